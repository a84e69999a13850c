"""Translation status: which documents are missing a language, and which
translations have gone stale since the original changed.

A translation records the version of the original it was made from in its
front matter: `translation_of: "uz:1a2b3c4d5e"` (the original's language and a
hash of its title, summary and text). When the original changes, the hash no
longer matches and the translation is reported as stale. Editors never type
the field: `python build.py check --fix-translations FILE` writes it after they
bring FILE in line with the original, and without FILE it starts tracking
every translation that has no such field yet.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path

from .lib.cache import Store, code_version
from .lib.diagnostics import Diagnostics
from .i18n import missing_texts
from .model import Document, Site
from .sources import FRONT_MATTER

FIELD = "translation_of"
VALUE = re.compile(r"^([a-z]{2,3}(?:-[a-z0-9]+)*):([0-9a-f]{10})$")
VERSION = re.compile(r"[0-9a-f]{10}")


# What a reader does not see in a body: where links and images point (_without_targets),
# reference definitions, HTML comments, and the attributes of pasted HTML tags; each
# pattern with a text it cannot match without.
_TARGET = re.compile(r"\(\s*<?[^()\s>]*>?(?:\s+\"[^\"]*\")?\s*\)")  # (target "title") after ], a space or a line start
_INVISIBLE = (
    (re.compile(r"^ {0,3}\[[^\]\n]+\]:.*$", re.M), "", "]:"),  # [label]: target
    (re.compile(r"<!--.*?-->", re.S), "", "<!--"),
    (re.compile(r"<([a-zA-Z][a-zA-Z0-9-]*)\b[^>]*>"), r"<\1>", "<"),
)


def _without_targets(body: str) -> str:
    r"""`body` with each `(target "title")` that follows `]`, a space or a line start
    written `()`: what `re.sub(r"(\]|^|\s)\(...\)", r"\1()", body, flags=re.M)` gives,
    five times faster, looking only where there is a "(" (tests/unit/test_translations_fingerprint.py)."""
    parts, start, at = [], 0, body.find("(")
    while at >= 0:
        if at == 0 or body[at - 1] == "]" or body[at - 1].isspace():
            found = _TARGET.match(body, at)
            if found:
                parts += (body[start:at], "()")
                start = found.end()
                at = body.find("(", start)
                continue
        at = body.find("(", at + 1)
    parts.append(body[start:])
    return "".join(parts)


def _legacy_fingerprint(doc: Document) -> str:
    """The hash before invisible changes were left out; values written then still count."""
    parts = [doc.title, doc.summary, doc.source.body]
    text = "\n".join(" ".join(part.split()) for part in parts)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:10]


def fingerprint(doc: Document) -> str:
    """A hash of what a translator translates: title, summary and text as a reader sees
    them. Whitespace and line breaks, link targets, image files, comments and HTML
    attributes do not count, so correcting a link does not make translations stale."""
    body = _without_targets(doc.source.body)
    for pattern, replacement, needed in _INVISIBLE:
        if needed in body:
            body = pattern.sub(replacement, body)
    text = "\n".join(" ".join(part.split()) for part in (doc.title, doc.summary, body))
    return hashlib.sha256(("v2\n" + text).encode("utf-8")).hexdigest()[:10]


class Versions:
    """Each original's version (`fingerprint`, and the legacy one when a recorded value
    does not match it), kept in the cache (fingerprints.sqlite) by a digest of the
    title, summary and text it is worked out from, so that a build works out only the
    versions of texts that changed: at 10,000 news pages, 5,000 versions took 0.7-1.0 s
    of every build, 0.1 s kept. The engine's code is part of the key, as for every kept
    work (lib/cache.code_version); a kept value that is not a version is worked out again,
    and entries no original uses any more are removed (Store.retain)."""

    def __init__(self, path: Path):
        self.store = Store(path)
        self.used: set[str] = set()
        self.code = code_version(Path(__file__).parent)

    def of(self, doc: Document, legacy: bool = False) -> str:
        body = doc.source.digest or hashlib.sha256(doc.source.body.encode("utf-8")).hexdigest()
        inputs = json.dumps([self.code, "v1" if legacy else "v2", doc.title, doc.summary, body], ensure_ascii=False)
        name = hashlib.sha256(inputs.encode("utf-8")).hexdigest()
        self.used.add(name)
        kept = self.store.get(name)
        if isinstance(kept, str) and VERSION.fullmatch(kept):
            return kept
        value = (_legacy_fingerprint if legacy else fingerprint)(doc)
        self.store.put(name, value)
        return value

    def close(self) -> None:
        self.store.flush()
        self.store.retain(self.used)
        self.store.close()


@dataclass(frozen=True)
class Missing:
    key: str
    present: tuple[Document, ...]
    missing: tuple[str, ...]


@dataclass(frozen=True)
class Stale:
    translation: Document
    original: Document


@dataclass(frozen=True)
class MissingText:
    path: Path
    line: int
    missing: tuple[str, ...]


@dataclass(frozen=True)
class Status:
    missing: tuple[Missing, ...]
    stale: tuple[Stale, ...]
    untracked: tuple[Document, ...]  # translations with no translation_of yet
    texts: tuple[MissingText, ...] = ()  # per-language texts in data/ that lack a language


def original_of(group: dict[str, Document], codes: tuple[str, ...]) -> Document:
    """The document the others translate: the one they name, else the first language's."""
    for doc in group.values():
        match = VALUE.match(str(doc.params.get(FIELD, "")))
        if match and match.group(1) in group:
            return group[match.group(1)]
    return next(group[c] for c in codes if c in group)


def translation_status(site: Site, diags: Diagnostics) -> Status:
    codes = site.config.codes
    groups: dict[str, dict[str, Document]] = {}
    for (key, lang), doc in sorted(site.documents.items()):
        groups.setdefault(key, {})[lang] = doc
    missing, stale, untracked = [], [], []
    versions = Versions(site.config.cache_dir / "fingerprints.sqlite")
    for key, group in groups.items():
        # a file that is there but could not be read is reported as a mistake, not as missing
        absent = tuple(c for c in codes if c not in group
                       and not (site.config.content_dir / f"{key}.{c}.md").is_file())
        if absent:
            missing.append(Missing(key, tuple(group[c] for c in codes if c in group), absent))
        if len(group) < 2:
            continue
        original = original_of(group, codes)
        for doc in group.values():
            if doc is original:
                continue
            recorded = doc.params.get(FIELD)
            if recorded is None:
                untracked.append(doc)
                continue
            match = VALUE.match(str(recorded))
            source = doc.source
            if not match or match.group(1) not in group:
                diags.warning(source.path, source.meta.line_of(FIELD),
                              f"'{FIELD}' must name the original's language and version, e.g. "
                              f"'{original.lang}:{versions.of(original)}'",
                              column=source.meta.col_of(FIELD),
                              hint=f"run: python build.py check --fix-translations {diags.relative(source.path)}")
                continue
            named = group[match.group(1)]
            if match.group(2) != versions.of(named) and match.group(2) != versions.of(named, legacy=True):
                stale.append(Stale(doc, named))
    versions.close()
    texts = tuple(MissingText(file.path, line, absent)
                  for _, file in sorted(site.data_files.items())
                  for line, absent in missing_texts(file.value, codes))
    return Status(tuple(missing), tuple(stale), tuple(untracked), texts)


def write_field(path: Path, value: str) -> bool:
    """Set `translation_of: "value"` in a file's front matter, keeping everything else as written."""
    raw = path.read_bytes()
    newline = b"\r\n" if b"\r\n" in raw else b"\n"
    bom = raw.startswith(b"\xef\xbb\xbf")
    text = raw[3 if bom else 0:].decode("utf-8").replace("\r\n", "\n")
    match = FRONT_MATTER.match(text)
    if not match:
        return False
    front = match.group(1)
    line = f'{FIELD}: "{value}"'
    pattern = re.compile(rf"^{FIELD}:.*$", re.M)
    front = pattern.sub(line, front, count=1) if pattern.search(front) else front + line + "\n"
    updated = text[: match.start(1)] + front + text[match.end(1):]
    data = updated.encode("utf-8").replace(b"\n", newline)
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + data)
    return True


def fix_translations(site: Site, diags: Diagnostics, files: list[Path]) -> list[str]:
    """Record the current original's version in the given translations, or, with no
    files, in every translation that has no `translation_of` yet. Returns what it did."""
    codes = site.config.codes
    groups: dict[str, dict[str, Document]] = {}
    for (key, lang), doc in site.documents.items():
        groups.setdefault(key, {})[lang] = doc
    by_path = {doc.source.path.resolve(): doc for doc in site.documents.values()}
    done: list[str] = []
    if files:
        targets = []
        for file in files:
            doc = by_path.get(file.resolve())
            if doc is None:
                diags.error(file, 0, "is not a document of this site (or it has errors of its own)",
                            hint="name a translation file such as content/news/x.en.md")
                continue
            targets.append(doc)
    else:
        targets = [doc for key, group in groups.items() if len(group) > 1
                   for doc in group.values() if doc is not original_of(group, codes) and FIELD not in doc.params]
    for doc in sorted(targets, key=lambda d: str(d.source.path)):
        group = groups[doc.key]
        original = original_of(group, codes)
        if doc is original:
            diags.error(doc.source.path, 0, "is the original, not a translation",
                        hint="name the translation you brought in line with it")
            continue
        value = f"{original.lang}:{fingerprint(original)}"
        if write_field(doc.source.path, value):
            done.append(f"{diags.relative(doc.source.path)}: {FIELD}: {value}")
    return done
