"""Stage 2a: content files, `content/<section>/<slug>.<lang>.md`.

Each file is split into its YAML front matter and its Markdown body. The
document's *key* is its path without language and extension
(`news/open-day-2026`); translations share a key, as in Zola.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import os
import re
import time
from dataclasses import dataclass
from pathlib import Path

from .config import Config
from .lib.cache import Store, code_version
from .lib.diagnostics import Diagnostic, Diagnostics
from .lib.orthography import (CYRILLIC_WORD, Fixes, cyrillic_lines, fix_markdown, fix_plain, is_latin_script,
                          is_latin_uzbek, note)
from .lib.parallel import fork_map, shares, workers
from .lib.textfile import read_text
from .lib.yamlsource import Mapping, from_kept, keepable, load_yaml, report

PARALLEL_FROM = 1000  # files; below this a second process costs more than it saves
KEPT = "sources.sqlite"  # in the cache folder: each file as parsed, by a digest of its text (see Parsed)
KEPT_FORMAT = "sitegen-sources/3"  # change when what is kept changes
STAMP = "stamp:"  # the kept entries that name a file's size, times and inode, and its text's entry
# A file changed less than this long before it was read is read again next time: its
# time may be that of a later save too, file systems keeping time in steps of a few ms
RACY_NS = 2_000_000_000
FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?)^---[ \t]*(?:\n|\Z)", re.S | re.M)


@dataclass(frozen=True)
class Source:
    path: Path
    key: str  # "news/open-day-2026", "news/_index", "_index"
    lang: str
    meta: Mapping
    body: str
    body_line: int  # the file's line on which the body starts
    digest: str = ""  # SHA-256 of the body, so that later stages need not hash it again

    @property
    def section(self) -> str:
        """The folder the document lives in ("" for the content root)."""
        folder, _, _ = self.key.rpartition("/")
        return folder

    @property
    def is_index(self) -> bool:
        return self.key.rpartition("/")[2] == "_index"


def split_front_matter(text: str) -> tuple[str, str, int] | None:
    """Return (front matter, body, line where the body starts) or None."""
    match = FRONT_MATTER.match(text)
    if not match:
        return None
    front = match.group(1)
    body = text[match.end():]
    return front, body, text[: match.end()].count("\n") + 1


def load_sources(config: Config, diags: Diagnostics, memory: dict | None = None) -> list[Source]:
    """Every content file, parsed. With `memory` (cache.Memory.sources, the preview's:
    path -> its size, times and inode when read, the Source or None, the problems it had),
    a file whose size, times and inode are unchanged is not read again; its
    problems are reported again all the same."""
    sources: list[Source] = []
    content = config.content_dir
    if not content.is_dir():
        diags.error(content, 0, "the content folder is missing")
        return sources
    codes = config.codes
    # how a language is written: "uz" (Uzbek Latin: its ʻ and ʼ corrected), "latin" (Cyrillic words stand out)
    scripts = {lang.code: "uz" if is_latin_uzbek(lang.locale) else "latin" if is_latin_script(lang.locale) else ""
               for lang in config.languages}
    wanted = []  # (path, key, language, script, stamp) of the files to read
    for path, entry in _walk(content):
        if not _usable(path, entry, config, diags) or path.suffix != ".md":
            continue
        rel = path.relative_to(content).as_posix()
        stem, _, lang = rel[: -len(".md")].rpartition(".")
        if stem and lang.lower() in codes and lang not in codes:
            fixed = f"{stem.rpartition('/')[2]}.{lang.lower()}.md"
            diags.error(path, 0, f"the language '{lang}' must be written in small letters",
                        hint=f"rename the file to {fixed}")
            continue
        if not stem or lang not in codes:
            name = (stem or lang).rpartition("/")[2]
            example = f"{rel.rpartition('/')[0] + '/' if '/' in rel else ''}{name}.{config.default_language}.md"
            coded = bool(stem) and re.fullmatch(r"[a-z]{2,3}", lang) is not None
            problem = f"'{lang}' is not a language of this site ({', '.join(codes)})" if coded \
                else "the file name has no language"
            close = difflib.get_close_matches(lang, codes, n=1) if coded else []  # 'eng' for 'en'
            hint = f"did you mean '{close[0]}'? rename the file to {name}.{close[0]}.md" if close \
                else f"name the file <name>.<language>.md, e.g. {example}"
            diags.error(path, 0, problem, hint=hint)
            continue
        wanted.append((path, stem, lang, scripts.get(lang, ""), _stamp(entry)))
    if memory is None:
        count = workers() if len(wanted) >= PARALLEL_FROM else 1
        parsed = Parsed(config.cache_dir / KEPT)
        for part, pending, names in fork_map(lambda share, forked: parsed.share(share, diags.root, forked),
                                             shares(wanted, count)):
            parsed.store.adopt(pending)
            parsed.used.update(names)
            for source, problems in part:
                diags.items.extend(problems)
                if source is not None:
                    sources.append(source)
        parsed.close()
        return sources
    for path, stem, lang, script, stamp in wanted:
        stamp = stamp or [0, 0, 0, 0]
        kept = memory.get(path)
        if kept is not None and kept[0] == stamp:
            source = kept[1]
            diags.items.extend(kept[2])
        else:
            before = len(diags.items)
            source = load_source(path, stem, lang, diags, script)
            memory[path] = (stamp, source, diags.items[before:])
        if source is not None:
            sources.append(source)
    return sources


# Names a Markdown file is often given that the site does not read (it reads <name>.<lang>.md).
_NEAR_MISS = re.compile(r"\.(?:md|markdown|mdown|mkdn?|mdwn|mdtext|mdtxt)(?:\.txt)?$", re.I)


def misnamed(path: Path) -> bool:
    """A Markdown file the site does not read because of its name (reported by `load_sources`)."""
    return path.suffix != ".md" and _NEAR_MISS.search(path.name) is not None


def _walk(content: Path):
    """(path, os.DirEntry) of everything under `content` in the order of sorted paths,
    without what a name starting with a dot hides, and not through links to folders;
    what the walk learns of each entry costs no more system calls."""
    try:
        with os.scandir(content) as listing:
            entries = sorted(listing, key=lambda entry: entry.name)
    except OSError:
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        yield Path(entry.path), entry
        try:
            folder = entry.is_dir(follow_symlinks=False)
        except OSError:
            folder = False
        if folder:
            yield from _walk(Path(entry.path))


def _usable(path: Path, entry: os.DirEntry, config: Config, diags: Diagnostics) -> bool:
    """False, with an error, for what content/ must not hold: a symbolic link (it would
    publish a second copy of a page, or files from outside the project) and a Markdown
    file whose name the site would not read (.markdown, .MD, .md.txt)."""
    try:
        link, folder = entry.is_symlink(), entry.is_dir(follow_symlinks=False)
    except OSError:
        return False
    if link:
        diags.error(path, 0, "this is a symbolic link; content/ takes only real files and folders",
                    hint="copy the file here instead, or link to the other page with [text](its-path.md)")
        return False
    if folder:
        return False
    name = path.name
    if misnamed(path):
        stem = name[: _NEAR_MISS.search(name).start()]
        if not re.search(r"\.[a-z]{2,3}$", stem, re.I):
            stem += f".{config.default_language}"
        fixed = re.sub(r"\.([A-Za-z]{2,3})$", lambda m: "." + m.group(1).lower(), stem) + ".md"
        diags.error(path, 0, "the site reads only Markdown files whose names end in .md",
                    hint=f"rename the file to {fixed}")
        return False
    return True


class Parsed:
    """Content files as parsed, kept in the cache (sources.sqlite) by a digest of the
    engine's code, the file's name, language and text: a build parses again only the
    files whose text changed (at 10,000 news pages, reading the content took about 2.0 s
    of every build, 1.1 s with the kept parses). What is kept is the front matter in a
    JSON form that gives back the same values, lines and spellings (yamlsource.keepable;
    a front matter it cannot hold is parsed in every build), the body (as corrected, if
    correcting its Uzbek letters changed it) and its digest, and the file's problems,
    reported again as they were. A kept entry that cannot be read back is parsed again.

    Beside each entry, the file's size, modification time, inode and change time when it
    was read (STAMP): a file whose stamp is still that is not even read, as
    git's index and the preview's memory do (at 10,000 news pages, 0.9 s of reading and
    hashing in each build after an edit). Its status is taken before it is read, so a
    file saved while it was read has a new time at the next build; and a file saved in
    the two seconds before is read again next time (RACY_NS), as git does with files as
    new as its index."""

    def __init__(self, path: Path):
        self.store = Store(path)
        self.used: set[str] = set()
        self.setup = f"{KEPT_FORMAT}\0{code_version(Path(__file__).parent)}\0".encode("utf-8")

    def share(self, share, root: Path, forked: bool) -> tuple[list[tuple[Source | None, list]], dict, list[str]]:
        """The files of `share` parsed (or taken from the store), each with its problems;
        what the store was given, for the parent process to write; the entries used."""
        if forked:
            self.store.after_fork()
        out, names = [], []
        described = [json.dumps([str(path), str(root), stem, lang, script]).encode("utf-8")
                     for path, stem, lang, script, _ in share]
        stamp_keys = [STAMP + hashlib.sha256(self.setup + named).hexdigest() for named in described]
        self.store.fetch(stamp_keys)  # in a few queries: the stamps, then the entries they name
        stamps = [known if isinstance(known, list) and len(known) == 5 and isinstance(known[4], str) else None
                  for known in map(self.store.get, stamp_keys)]
        self.store.fetch(known[4] for known in stamps if known is not None)
        for (path, stem, lang, script, stamp), named, stamp_key, known in zip(share, described, stamp_keys, stamps):
            diags = Diagnostics(root)
            if stamp is not None and known is not None and known[:4] == stamp:
                source = self._kept(self.store.get(known[4]), path, stem, lang, diags)
                if source is not None:  # unread: its size, times and inode are those it had
                    names += [stamp_key, known[4]]
                    out.append((source, diags.items))
                    continue
            text = read_text(path, diags)
            source = None
            if text is not None:
                name = hashlib.sha256(self.setup + named + b"\0" + text.encode("utf-8")).hexdigest()
                names.append(name)
                source = self._kept(self.store.get(name), path, stem, lang, diags)
                kept = source is not None
                if source is None:
                    source = parse_source(path, stem, lang, text, diags, script)
                    kept = self._keep(name, source, diags.items)
                if kept and stamp is not None and time.time_ns() - max(stamp[1], stamp[3]) > RACY_NS:
                    if known != [*stamp, name]:
                        self.store.put(stamp_key, [*stamp, name])
                    names.append(stamp_key)
            out.append((source, diags.items))
        return out, self.store.pending(), names

    @staticmethod
    def _kept(entry, path: Path, stem: str, lang: str, diags: Diagnostics) -> Source | None:
        """The Source of a kept entry, its problems reported; None when it cannot be read back."""
        try:
            meta = from_kept(entry["meta"])
            body, digest = entry["body"], entry["digest"]
            problems = [_problem(*problem) for problem in entry["problems"]]
            if not isinstance(meta, Mapping) or not isinstance(body, str) or not isinstance(digest, str) \
                    or type(entry["line"]) is not int:
                return None
        except (KeyError, TypeError, ValueError):  # no entry (None), or not one this code wrote
            return None
        diags.items.extend(problems)
        return Source(path, stem, lang, meta, body, entry["line"], digest)

    def _keep(self, name: str, source: Source | None, problems: list) -> bool:
        """Keep the parse of a file; False when it cannot be kept."""
        if source is None:
            return False
        meta = keepable(source.meta)
        if meta is None:
            return False
        self.store.put(name, {"meta": meta, "body": source.body, "digest": source.digest, "line": source.body_line,
                              "problems": [[d.path, d.line, d.column, d.severity, d.message, d.hint]
                                           for d in problems]})
        return True

    def close(self) -> None:
        self.store.flush()
        self.store.retain(self.used)
        self.store.close()


def _stamp(entry: os.DirEntry) -> list[int] | None:
    """The file's size, modification time, inode and change time (which `cp -p` or
    `touch -r` cannot set back), or None when they cannot be had: taken as the folder is
    walked, before the file is read."""
    try:
        status = entry.stat(follow_symlinks=False)
    except OSError:
        return None
    return [status.st_size, status.st_mtime_ns, status.st_ino, status.st_ctime_ns]


def _problem(path, line, column, severity, message, hint) -> Diagnostic:
    if not all(type(part) is str for part in (path, severity, message, hint)) or \
            not all(type(part) is int for part in (line, column)):
        raise TypeError("not a kept problem")
    return Diagnostic(path, line, column, severity, message, hint)


def _uzbek_letters(front: str, body: str, body_line: int, path: Path, diags: Diagnostics) -> tuple[str, str]:
    """The front matter and body with ʻ and ʼ in place of their look-alikes; one notice."""
    in_front, in_body = fix_plain(front), fix_markdown(body)
    if in_front.count or in_body.count:
        first = in_front if in_front.count else in_body
        line, column = first.where(2 if in_front.count else body_line)
        message, hint = note(Fixes(first.text, in_front.count + in_body.count, first.first, first.example))
        diags.notice(path, line, message, column=column, hint=hint)
    return in_front.text, in_body.text


def _cyrillic(front: str, body: str, body_line: int, lang: str, path: Path, diags: Diagnostics) -> None:
    """A warning at the first line with Cyrillic words in a Latin-script language's file."""
    lines = [i + 2 for i, text in enumerate(front.split("\n"))
             if CYRILLIC_WORD.search(text) and not text.lstrip().startswith("#")]
    lines += [i + body_line for i in cyrillic_lines(body)]
    if lines:
        more = f" (and {len(lines) - 1} more lines)" if len(lines) > 1 else ""
        diags.warning(path, lines[0], f"Cyrillic text in the '{lang}' file{more}: readers and search "
                      f"engines are told it is '{lang}'", hint="translate it; a quotation in another language "
                      "keeps its place with a line {lang=ru} right under its paragraph")


_COMMENT = re.compile(r"^[ \t]*(#+)[ \t]*(\S.*)$")
_COMMENTED_FIELD = re.compile(r"^[\w-]+:(?:\s|$)")


def _headings_in_front_matter(front: str, path: Path, diags: Diagnostics) -> None:
    """A Markdown heading written before the closing --- is a YAML comment there, and
    would silently vanish: a warning at its line. A comment is taken for a heading when it
    starts with ## or more, or comes after the last field (not a commented-out field)."""
    lines = front.split("\n")
    last_field = max((i for i, text in enumerate(lines) if text.strip() and not text.lstrip().startswith("#")),
                     default=-1)
    for i, text in enumerate(lines):
        found = _COMMENT.match(text)
        if not found or _COMMENTED_FIELD.match(found.group(2)):
            continue
        if len(found.group(1)) >= 2 or i > last_field:
            diags.warning(path, i + 2, f"'{text.strip()}' is inside the front matter, where it is a YAML "
                          "comment and is not shown", column=text.index("#") + 1,
                          hint="if it is a heading of the text, move it below the closing ---")


def load_source(path: Path, stem: str, lang: str, diags: Diagnostics, script: str = "") -> Source | None:
    """One content file split into front matter and body; None if it cannot be used.
    `script` "uz": Uzbek Latin, whose look-alikes of ʻ and ʼ are corrected (with one
    notice); "latin": any Latin-script language, in which Cyrillic text is a warning."""
    text = read_text(path, diags)
    return None if text is None else parse_source(path, stem, lang, text, diags, script)


def parse_source(path: Path, stem: str, lang: str, text: str, diags: Diagnostics, script: str = "") -> Source | None:
    """`load_source` for the file's `text`, read already."""
    parts = split_front_matter(text)
    if parts is None:
        if not text.strip():
            diags.error(path, 0, "the file is empty",
                        hint="write its front matter and text (see docs/editors.md), or delete the file")
        elif text.lstrip().startswith("---") and text.startswith("---"):
            diags.error(path, 1, "the front matter that starts here is never closed",
                        hint="add a line with only --- after the last field")
        else:
            diags.error(path, 1, "the file has no front matter",
                        hint="start it with a line ---, fields such as title: \"...\", and a closing ---")
        return None
    front, body, body_line = parts
    if script == "uz":
        front, body = _uzbek_letters(front, body, body_line, path, diags)
    if script:
        _cyrillic(front, body, body_line, lang, path, diags)
    _headings_in_front_matter(front, path, diags)
    meta, problems = load_yaml(front, first_line=2)
    report(problems, path, diags)
    if problems and meta is None:
        return None
    if meta is None:
        meta = Mapping()
        meta.line, meta.lines = 2, {}
    if not isinstance(meta, Mapping):
        diags.error(path, 2, "the front matter must be fields of the form 'name: value'")
        return None
    return Source(path, stem, lang, meta, body, body_line, hashlib.sha256(body.encode("utf-8")).hexdigest())
