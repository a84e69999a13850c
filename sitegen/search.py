"""Stage 5b: the search index, built from the rendered pages with Pagefind.

Pagefind (https://pagefind.app) reads finished HTML and writes a static,
chunked index that the browser fetches piece by piece, so search needs no
server and no other host. It keeps one index per `<html lang>`, so a search
on an English page finds English pages only.

Only pages whose templates mark the content with `data-pagefind-body` are
indexed (documents and record pages; not lists, tags, 404 or the search page
itself). The rendered pages are handed to Pagefind in one fixed order, the order
of their names (lib/pagefind.py), so that results of equal score rank the same on
every machine, and its bundle joins the other outputs in memory, so the site is
still written in one atomic step. Of the bundle only what the search page's own
script needs is kept: no Pagefind UI styles or scripts. Each language is
indexed by a Pagefind run of its own, which needs a third less memory, and the
bundles are put together into the one bundle a single run would write. The runs go
side by side, as many at once as there are CPUs (Pagefind uses one).

A language with more than SPLIT_FROM pages to index is indexed in parts of about
PART_PAGES, each a bundle of its own at pagefind/parts/<language>-<n>/ (the first
part stays at pagefind/), listed in pagefind/parts.json; the search page merges them
into its search with Pagefind's mergeIndex. A large folder's pages (the news items)
have parts of their own and the pages that list them (partners, projects) share
others (split_pages), so an edit runs Pagefind for its page's part only, and a new
title for that part and the part of the lists that show it. Each part ranks its
matches by its own word statistics, and looks for longer words that begin with a
search word only when it lacks the word itself, so on a site that large the order of
results, and rarely a result, can differ from one index.

Pagefind is the slowest stage of a build, so the bundle of each run is kept in
the cache folder (`search/<digest>/`), named by a digest of everything that
shapes it: the pages of that run (names and bytes), the Pagefind binary, the
configuration given to it, and what of its bundle is dropped. A run is one language,
so a changed English page runs Pagefind for English only and the other languages' bundles come from
the cache; they are put together as in a build without a cache. The newest
KEEP bundles of each language are kept. A bundle from the cache is checked file
by file against the sha256 recorded when it was stored; a missing, damaged or
unwritable cache only means Pagefind runs again.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import shutil
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Callable

from .config import CONFIG_FILE, Config
from .lib.diagnostics import Diagnostics
from .lib.files import Files, as_files, sha256, write_atomically
from .lib.pagefind import CONFIG as SERVICE_CONFIG, PagefindError, index_pages
from .lib.parallel import workers

BUNDLE = "pagefind"
MARKER = b"data-pagefind-body"
# parts of Pagefind's bundle for its ready-made UI, which the site does not use
UNUSED = ("pagefind-ui.", "pagefind-component-ui.", "pagefind-modular-ui.", "pagefind-highlight.")
TIMEOUT = 600
ENTRY = f"{BUNDLE}/pagefind-entry.json"
PARTS = f"{BUNDLE}/parts.json"  # a language's further parts, which the search page merges in
# A language with more than SPLIT_FROM pages to index is indexed in parts of about
# PART_PAGES. A smaller part makes an edit cheaper (at 10,000 news pages, Pagefind's run
# after one edit took 3.4-3.8 s for parts of about 1,850 pages, 1.7-1.9 s for about 930);
# a visitor's search loads each part's small entry and metadata files and one index chunk
# per part for each word (the parts share the first part's WebAssembly), and ranks by each
# part's own statistics, so a site up to SPLIT_FROM keeps one index per language.
SPLIT_FROM = 2000
PART_PAGES = 1000
HTML_TAG = re.compile(rb"<html\b([^>]*)>", re.IGNORECASE)
LANG_ATTRIBUTE = re.compile(rb"(?:^|\s)lang\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s\"'>]+))", re.IGNORECASE)
# Pagefind allocates with jemalloc, which by default keeps freed memory for 10 s
# before returning it. Returning it at once lowers the peak of a run over 1,027 pages
# from 201 MB (with 1 s) to 174 MB, for about 8 % more time in that run (1.59 s to
# 1.72 s); 1 s had lowered the peak at 10,000 pages by 150-200 MB against the default.
# The bundle is the same either way (checked byte for byte).
ALLOCATOR = ("_RJEM_MALLOC_CONF", "dirty_decay_ms:0,muzzy_decay_ms:0")
CACHE_FORMAT = "sitegen-search-cache/4"  # change when the cache layout or the bundle's post-processing changes
KEEP = 2  # bundles kept per language: the newest two (a build, and the one it may go back to)
STALE = 3600  # seconds after which an unfinished cache entry of another build is removed


def pagefind_executable() -> Path | None:
    try:
        from pagefind_bin import get_executable
    except ImportError:
        return None
    try:
        return Path(get_executable())
    except Exception:  # the package is there but holds no binary for this platform
        return None


def build_search_index(files, config: Config, diags: Diagnostics, meanwhile=None) -> dict[str, bytes]:
    """The Pagefind bundle for the rendered `files` (output path -> bytes, or Files),
    as more output files under pagefind/. Empty when search is off. `meanwhile` is
    called while Pagefind runs, if it runs (see run_pagefind). A page taken unread from
    the previous output (lib/files.py) is not read to know whether it is indexed and in
    which language: that is kept by its SHA-256 (PageFacts)."""
    if not config.search:
        return {}
    where = config.root / CONFIG_FILE
    executable = pagefind_executable()
    if executable is None:
        diags.error(where, 0, "search is on, but Pagefind is not installed",
                    hint="install the requirements (pip install -r requirements.txt), or set search: false")
        return {}
    files = as_files(files)
    facts = PageFacts(config.cache_dir / FACTS)
    languages = {}  # the pages to index: name -> language
    for name in [name for name in files if name.endswith(".html")]:
        indexed, language = facts.of(files, name)
        if indexed:
            languages[name] = language
    facts.save()
    if not languages:
        return {}
    out = run_pagefind(files, executable, where, diags, BundleCache(config.cache_dir / "search"), meanwhile,
                       languages)
    if out is None:
        return {}
    return out if PARTS in out else dict(sorted({**out, PARTS: b"{}"}.items()))  # the search page asks for it


def run_pagefind(pages, executable: Path, where: Path, diags: Diagnostics, cache: BundleCache | None = None,
                 meanwhile=None, languages: dict[str, str] | None = None) -> dict[str, bytes] | None:
    """Pagefind's bundle for `pages` (a mapping of bytes, or Files), or None (with an
    error reported) when it fails. `languages`: the pages to index, each with its
    language (language_of), if known already; all of `pages` otherwise.

    Pagefind's memory grows with the pages it holds, and it keeps a separate
    index per language anyway, so each language is indexed by a run of its
    own (a third less memory at 10,000 pages in two languages) and the bundles
    are put together: one language's files are the same whether the other
    languages are indexed in the same run or not, only pagefind-entry.json
    lists the languages of its run. Should the bundles not fit together (a
    language in two of them, a shared file that differs), all pages are
    indexed at once as before.

    With a `cache`, the bundle of each run is taken from it when the run's
    pages and settings are the same as those of a kept one, and kept otherwise
    (the run over all pages too, as a language of its own, None).

    `meanwhile`, if given, is called once while Pagefind runs (not at all when every
    bundle comes from the cache): the build stages the pages in the new output folder then.
    A run's pages are read (lib/files.py) only when it runs."""
    pages = as_files(pages)
    if languages is None:
        languages = {name: language_of(pages[name]) for name in pages}
    settings = bundle_settings(executable) if cache is not None else None

    pending = [meanwhile]  # called once, while the first Pagefind runs of this build go

    def run_all(runs: list[tuple[dict[str, str], str | None]]) -> list[dict[str, bytes] | None]:
        """The bundle of each (pages, language) run: from the cache, or from Pagefind,
        the runs side by side, as many at once as the build has CPUs (parallel.workers:
        the CPUs it may use, or SITEGEN_WORKERS)."""
        digests = [_digest(settings, group) if settings is not None else None for group, _ in runs]
        bundles = [cache.get(digest) if digest is not None else None for digest in digests]
        missing = [i for i, bundle in enumerate(bundles) if bundle is None]
        if not missing:
            return bundles
        at_once = min(len(missing), workers())
        handed = {i: threading.Event() for i in missing}

        def run(i: int, given: dict[str, bytes]) -> dict[str, bytes] | None:
            try:
                return _run_once(given, executable, where, diags, handed[i].set)
            finally:
                handed[i].set()

        with ThreadPoolExecutor(max_workers=at_once) as pool:  # a run's pages read here (lib/files.py), not in its thread
            running = {i: pool.submit(run, i, {name: pages[name] for name in runs[i][0]}) for i in missing}
            work = pending.pop() if pending else None
            if work is not None:
                for i in missing[:at_once]:  # the first runs' pages written before the other work starts
                    handed[i].wait()
                work()
            for i, future in running.items():
                bundles[i] = future.result()
                if bundles[i] is not None and digests[i] is not None:
                    cache.put(digests[i], bundles[i], runs[i][1])
        return bundles

    groups: dict[str, dict[str, str]] = {}  # language -> the name and SHA-256 of each of its pages
    for name in sorted(languages):
        groups.setdefault(languages[name], {})[name] = pages.sha(name)
    jobs = [(language, number, part) for language in sorted(groups)
            for number, part in enumerate(split_pages(groups[language]), start=1)]
    if len(jobs) > 1:
        bundles = run_all([(part, _label(language, number)) for language, number, part in jobs])
        if any(bundle is None for bundle in bundles):
            return None
        combined = combine_bundles([b for (_, number, _), b in zip(jobs, bundles) if number == 1])
        if combined is not None:
            more = [(language, number, bundle) for (language, number, _), bundle in zip(jobs, bundles) if number > 1]
            return with_parts(combined, more)
    everything = {name: sha for group in groups.values() for name, sha in group.items()}
    [out] = run_all([(everything, None if len(groups) > 1 else next(iter(groups)))])
    if out is None:
        return None
    if ENTRY in out:  # Pagefind lists the languages in no fixed order; the build must be deterministic
        out = dict(out)  # not the caller's (or the cache's) dictionary
        try:
            out[ENTRY] = _entry_bytes(json.loads(out[ENTRY]))
        except ValueError:
            pass
    return out


def split_pages(group: dict, size: int | None = None, split_from: int | None = None) -> list[dict]:
    """One language's pages, when there are more than `split_from` (SPLIT_FROM), in parts
    of about `size` (PART_PAGES), each indexed by a Pagefind run of its own: an edit runs
    Pagefind again for the parts of the pages it changed only, and the parts run side by
    side.

    The pages of a folder that holds more than `size` of them (the items of a large
    section: `en/news/`) have parts of their own, a page's part following from a digest
    of its file name. The pages of all the smaller folders (the partners, the projects,
    the pages of the site) share the other parts, a folder's part following from a digest
    of the folder's name, so that a folder is never split. Those are the pages that list
    the items (a partner's page shows the titles of its news): an item's new title then
    re-indexes its own part and one part of those, instead of a part for each page that
    shows it. Pages stay in their part as others come and go, until the number of parts
    of their kind changes."""
    size = size or PART_PAGES
    split_from = SPLIT_FROM if split_from is None else split_from
    if len(group) <= split_from or len(group) <= size:
        return [group]
    folders: dict[str, dict] = {}
    for name in sorted(group):
        folders.setdefault(_folder_of(name), {})[name] = group[name]
    parts: list[dict] = []
    rest: dict = {}
    for folder in sorted(folders):
        if len(folders[folder]) > size:
            parts += _shared_out(folders[folder], size, lambda name: name)
        else:
            rest.update(folders[folder])
    return parts + _shared_out(rest, size, _folder_of)


def _folder_of(name: str) -> str:
    """The folder that holds a page's own folder: `en/news` for en/news/<slug>/index.html."""
    return name.rsplit("/", 2)[0] if name.count("/") >= 2 else ""


def _shared_out(pages: dict, size: int, key) -> list[dict]:
    """`pages` in parts of about `size`, a page's part from a digest of `key(name)`."""
    count = max(1, -(-len(pages) // size))
    parts: list[dict] = [{} for _ in range(count)]
    for name in sorted(pages):
        parts[int(hashlib.sha256(key(name).encode("utf-8")).hexdigest()[:8], 16) % count][name] = pages[name]
    return [part for part in parts if part]


def _label(language: str, number: int) -> str:
    """How the cache names the runs of one language (and part) for keeping the newest."""
    return language if number == 1 else f"{language}#{number}"


def with_parts(bundle: dict[str, bytes], more: list[tuple[str, int, dict[str, bytes]]]) -> dict[str, bytes]:
    """The bundle of each language's first part, with the bundles of the further parts
    at pagefind/parts/<language>-<n>/ and their list in pagefind/parts.json, which the
    search page reads to merge them into its search (Pagefind's mergeIndex)."""
    out = dict(bundle)
    listed: dict[str, list[str]] = {}
    for language, number, part in more:
        folder = f"parts/{language or 'und'}-{number}/"
        listed.setdefault(language, []).append(folder)
        for name, data in part.items():
            out[f"{BUNDLE}/{folder}{name[len(BUNDLE) + 1:]}"] = data
    if listed:
        out[PARTS] = _entry_bytes(listed)
    return dict(sorted(out.items()))


def language_of(page: bytes) -> str:
    """The primary subtag of the page's `<html lang>`, in lower case ('' when
    there is none). Pagefind names an index by the whole `lang`, so pages of one
    Pagefind language never fall into two of these groups."""
    tag = HTML_TAG.search(page)
    found = LANG_ATTRIBUTE.search(tag.group(1)) if tag else None
    if not found:
        return ""
    value = next(group for group in found.groups() if group is not None)
    return value.decode("utf-8", "replace").strip().lower().replace("_", "-").split("-")[0]


def combine_bundles(parts: list[dict[str, bytes]]) -> dict[str, bytes] | None:
    """One bundle from the bundles of separate runs, or None when they do not fit
    together: each must list its own languages (and the same version and
    settings) in pagefind-entry.json, and a file in two must be the same in both."""
    out: dict[str, bytes] = {}
    entry: dict | None = None
    for part in parts:
        try:
            listed = json.loads(part[ENTRY])
        except (KeyError, ValueError):
            return None
        if not isinstance(listed, dict) or not isinstance(listed.get("languages"), dict):
            return None
        if entry is None:
            entry = {**listed, "languages": dict(listed["languages"])}
        else:
            if {k: v for k, v in listed.items() if k != "languages"} != \
                    {k: v for k, v in entry.items() if k != "languages"}:
                return None
            if set(listed["languages"]) & set(entry["languages"]):
                return None
            entry["languages"].update(listed["languages"])
        for name, data in part.items():
            if name != ENTRY:
                if out.setdefault(name, data) != data:
                    return None
    if entry is None:
        return None
    out[ENTRY] = _entry_bytes(entry)
    return dict(sorted(out.items()))


def _entry_bytes(entry) -> bytes:
    return json.dumps(entry, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _run_once(pages: dict[str, bytes], executable: Path, where: Path,
              diags: Diagnostics, handed: Callable[[], None] = lambda: None) -> dict[str, bytes] | None:
    """The bundle of one Pagefind run over `pages`, without the files the site does
    not use; None (with an error reported) when it fails. The pages go to Pagefind
    in the order of their names (lib/pagefind.py), so results of equal score are
    ranked the same on every machine."""
    environment = dict(os.environ)
    environment.setdefault(*ALLOCATOR)
    try:
        bundle = index_pages(executable, pages, environment=environment, timeout=TIMEOUT, handed=handed)
    except PagefindError as exc:
        diags.error(where, 0, f"the search index could not be built: {exc}",
                    hint="set search: false to publish without search")
        return None
    return {f"{BUNDLE}/{name}": bundle[name] for name in sorted(bundle)
            if _bundle_path(f"{BUNDLE}/{name}") and not name.rsplit("/", 1)[-1].startswith(UNUSED)}


def input_digest(pages: dict[str, bytes], executable: Path) -> str | None:
    """A digest of everything that shapes the bundle of a Pagefind run over
    `pages`, or None when part of it cannot be read (then the cache is not used)."""
    settings = bundle_settings(executable)
    return None if settings is None else _digest(settings, {name: sha256(data) for name, data in pages.items()})


def bundle_settings(executable: Path) -> dict | None:
    """What shapes every bundle besides its pages, or None when part of it cannot
    be read. Worked out once per build, not once per run."""
    try:
        binary = hashlib.sha256(executable.read_bytes()).hexdigest()
    except OSError:
        return None
    # Pagefind reads no config file and no PAGEFIND_* variable of the project's
    # (lib/pagefind.py): its settings are the configuration given to it
    return {"format": CACHE_FORMAT, "pagefind": binary, "config": SERVICE_CONFIG, "unused": UNUSED}


def _digest(settings: dict, pages: dict[str, str]) -> str:
    """The digest of a run: its settings, and each page's name and the SHA-256 of its bytes."""
    digest = hashlib.sha256()

    def add(part: bytes) -> None:  # length first, so that no two inputs read the same
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)

    add(json.dumps(settings, sort_keys=True, ensure_ascii=False).encode("utf-8"))
    for name in sorted(pages):
        add(name.encode("utf-8"))
        add(pages[name].encode("ascii"))
    return digest.hexdigest()


FACTS = "search-pages.json"  # in the cache folder
FACTS_FORMAT = "sitegen-search-pages/1"


class PageFacts:
    """Whether each page is indexed (MARKER) and its language (language_of), by the
    SHA-256 of its bytes, kept between builds for the pages a build takes unread from the
    previous output. A page that is read is looked at, never taken from here; what is
    kept is what the last build's pages were."""

    def __init__(self, path: Path):
        self.path = path
        self.known: dict[str, list] = {}
        self.now: dict[str, list] = {}
        try:
            found = json.loads(path.read_bytes())
            if found.get("format") == FACTS_FORMAT and isinstance(found.get("pages"), dict):
                self.known = found["pages"]
        except (OSError, ValueError, AttributeError):
            pass

    def of(self, files: Files, name: str) -> tuple[bool, str]:
        sha = files.sha(name)
        fact = self.known.get(sha) if files.is_kept(name) else None
        if not (isinstance(fact, list) and len(fact) == 2 and type(fact[0]) is bool and isinstance(fact[1], str)):
            data = files[name]
            fact = [MARKER in data, language_of(data)]
        self.now[sha] = fact
        return fact[0], fact[1]

    def save(self) -> None:
        """Best effort: without it, the next build reads the pages it takes unread."""
        if self.now != self.known:
            with contextlib.suppress(OSError):
                write_atomically(self.path, json.dumps({"format": FACTS_FORMAT, "pages": self.now},
                                                       separators=(",", ":")).encode("utf-8"))


def _bundle_path(name) -> bool:
    parts = name.split("/") if isinstance(name, str) else []
    return len(parts) > 1 and parts[0] == BUNDLE and all(part not in ("", ".", "..") and "\\" not in part
                                                         for part in parts)


class BundleCache:
    """The newest Pagefind bundles of each language, one folder per input digest
    holding `manifest.json` (the language, and each file's name, size and sha256,
    in order) and `bundle.bin` (the files one after another: one file to write
    and read instead of one per page)."""

    def __init__(self, folder: Path):
        self.folder = folder

    def get(self, digest: str) -> dict[str, bytes] | None:
        entry = self.folder / digest
        try:
            manifest = json.loads((entry / "manifest.json").read_text(encoding="utf-8"))
            if manifest["format"] != CACHE_FORMAT or manifest["digest"] != digest:
                return None
            out: dict[str, bytes] = {}
            with open(entry / "bundle.bin", "rb") as blob:
                for item in manifest["files"]:
                    name, size, sha = item["name"], item["size"], item["sha256"]
                    if not _bundle_path(name) or name in out or not isinstance(size, int) or size < 0:
                        return None
                    data = blob.read(size)
                    if len(data) != size or hashlib.sha256(data).hexdigest() != sha:
                        return None
                    out[name] = data
                if blob.read(1):
                    return None
        except (OSError, ValueError, KeyError, TypeError):
            return None
        try:  # the newest use decides what is kept
            os.utime(entry / "manifest.json")
        except OSError:
            pass
        return out

    def put(self, digest: str, bundle: dict[str, bytes], language: str | None) -> None:
        """Best effort, written atomically (a temporary folder renamed into place);
        older bundles of the same `language` beyond the newest KEEP are removed
        (None: a run over the pages of all languages)."""
        entry = self.folder / digest
        temporary = self.folder / f".{digest}.{os.getpid()}.tmp"
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            shutil.rmtree(temporary, ignore_errors=True)
            temporary.mkdir()
            files = []
            with open(temporary / "bundle.bin", "wb") as blob:
                for name in sorted(bundle):
                    data = bundle[name]
                    blob.write(data)
                    files.append({"name": name, "size": len(data), "sha256": hashlib.sha256(data).hexdigest()})
            manifest = {"format": CACHE_FORMAT, "digest": digest, "language": language, "files": files}
            (temporary / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
            if entry.exists():  # left by an earlier build, perhaps damaged: this one replaces it
                shutil.rmtree(entry)
            os.rename(temporary, entry)
        except OSError:
            shutil.rmtree(temporary, ignore_errors=True)
            return
        self._prune(keep=entry, language=language)

    def _prune(self, keep: Path, language: str | None) -> None:
        """Removes the bundles of `language` older than the newest KEEP (`keep`
        among them), and what cannot be a bundle of this format; the bundles of
        other languages stay."""
        try:
            older = []
            for path in self.folder.iterdir():
                if path == keep:
                    continue
                if path.name.startswith("."):  # another build's unfinished entry, or one left by a crash
                    if time.time() - path.stat().st_mtime > STALE:
                        shutil.rmtree(path, ignore_errors=True)
                    continue
                try:
                    manifest = path / "manifest.json"
                    used = manifest.stat().st_mtime
                    listed = json.loads(manifest.read_text(encoding="utf-8"))
                    if listed["format"] != CACHE_FORMAT:
                        raise ValueError("another format")
                    if listed["language"] == language:
                        older.append((used, path.name, path))
                except (OSError, ValueError, KeyError, TypeError):  # damaged, or of another version
                    self._remove(path)
            for _, _, path in sorted(older, reverse=True)[KEEP - 1:]:
                self._remove(path)
        except OSError:
            pass

    @staticmethod
    def _remove(path: Path) -> None:
        if path.is_dir():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)
