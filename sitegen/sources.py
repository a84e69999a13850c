"""Stage 2a: content files, `content/<section>/<slug>.<lang>.md`.

Each file is split into its YAML front matter and its Markdown body. The
document's *key* is its path without language and extension
(`news/kaznua-memorandum`); translations share a key, as in Zola.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from .config import Config
from .diagnostics import Diagnostics
from .parallel import fork_map, shares, workers
from .textfile import read_text
from .yamlsource import Mapping, load_yaml, report

PARALLEL_FROM = 1000  # files; below this a second process costs more than it saves
FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?)^---[ \t]*(?:\n|\Z)", re.S | re.M)


@dataclass(frozen=True)
class Source:
    path: Path
    key: str  # "news/kaznua-memorandum", "news/_index", "_index"
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


# path -> (its size, time and inode when read, the Source or None, the problems it had)
SourceMemo = dict[Path, tuple[tuple[int, int, int], "Source | None", list]]


def load_sources(config: Config, diags: Diagnostics, memo: SourceMemo | None = None) -> list[Source]:
    """Every content file, parsed. With `memo` (kept by a long-running preview),
    a file whose size, time and inode are unchanged is not read again; its
    problems are reported again all the same."""
    sources: list[Source] = []
    content = config.content_dir
    if not content.is_dir():
        diags.error(content, 0, "the content folder is missing")
        return sources
    codes = config.codes
    wanted = []  # (path, key, language) of the files to read
    for path in sorted(content.rglob("*.md")):
        if any(part.startswith(".") for part in path.relative_to(content).parts):
            continue
        rel = path.relative_to(content).as_posix()
        stem, _, lang = rel[: -len(".md")].rpartition(".")
        if not stem or lang not in codes:
            name = (stem or lang).rpartition("/")[2]
            example = f"{rel.rpartition('/')[0] + '/' if '/' in rel else ''}{name}.{config.default_language}.md"
            problem = (f"'{lang}' is not a language of this site ({', '.join(codes)})"
                       if stem and re.fullmatch(r"[a-z]{2,3}", lang) else "the file name has no language")
            diags.error(path, 0, problem, hint=f"name the file <name>.<language>.md, e.g. {example}")
            continue
        wanted.append((path, stem, lang))
    if memo is None:
        count = workers() if len(wanted) >= PARALLEL_FROM else 1
        for part in fork_map(lambda share, forked: _load_share(share, diags.root), shares(wanted, count)):
            for source, problems in part:
                diags.items.extend(problems)
                if source is not None:
                    sources.append(source)
        return sources
    for path, stem, lang in wanted:
        try:
            status = path.stat()
            stamp = (status.st_mtime_ns, status.st_size, status.st_ino)
        except OSError:
            stamp = (0, 0, 0)
        kept = memo.get(path)
        if kept is not None and kept[0] == stamp:
            source = kept[1]
            diags.items.extend(kept[2])
        else:
            before = len(diags.items)
            source = load_source(path, stem, lang, diags)
            memo[path] = (stamp, source, diags.items[before:])
        if source is not None:
            sources.append(source)
    return sources


def _load_share(share, root: Path) -> list[tuple[Source | None, list]]:
    """Files parsed, each with the problems it had (in a process of its own, see parallel.py)."""
    out = []
    for path, stem, lang in share:
        diags = Diagnostics(root)
        out.append((load_source(path, stem, lang, diags), diags.items))
    return out


def load_source(path: Path, stem: str, lang: str, diags: Diagnostics) -> Source | None:
    """One content file split into front matter and body; None if it cannot be used."""
    text = read_text(path, diags)
    if text is None:
        return None
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
