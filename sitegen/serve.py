"""`build.py serve`: a local preview that rebuilds on every save and reloads the browser.

The preview is a normal build (`pipeline.run`, writing) whose base URL is the
preview's own address, written into a git-ignored folder (`.cache/preview/` by
default), never into `site/`. livereload's `Server` serves that folder and adds
its reload script to every page; `ChangeWatcher` polls content/, data/,
templates/ and static/, waits until a burst of saves is over, and then runs one
rebuild and reloads the browsers.

The rebuild step is a function of the shape of `full_rebuild`; the server uses
`IncrementalRebuild`, which keeps the last build in memory and redoes only
what a change affects. It runs on the server's loop: a page asked for
meanwhile is answered when it is done, from the new build.

A rebuild that fails never stops the server: the folder keeps the last good
site (nothing is written unless the whole build succeeded), and while the last rebuild
failed every HTML page is served with an overlay listing the problems, the same
`path:line:col` lines the terminal shows. The overlay exists only in what the
preview serves, never in the files: a preview build without errors is byte for
byte the output of `build` with the same base URL.
"""

from __future__ import annotations

import errno
import html
import logging
import os
import re
import socket
import sys
import threading
import time
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Sequence

from livereload import Server
from livereload.handlers import LiveReloadHandler, StaticFileHandler
from livereload.watcher import Watcher
from tornado.ioloop import IOLoop, PeriodicCallback

from .lib.cache import Memory
from .config import load_config
from .lib.diagnostics import ERROR, Diagnostic, Diagnostics, one_line
from .pipeline import Result, rerender, run
from .search import BUNDLE, build_search_index
from .sources import load_source
from .lib.writer import unsafe_output, update_in_place

DEFAULT_OUT = Path(".cache") / "preview"
WATCHED = ("content", "data", "templates", "static")
OVERLAY_ID = "sitegen-preview-problems"

# Files editors' editors write next to the real ones: backups (x.md~), Emacs
# lock and autosave files (.#x.md, #x.md#), Vim swap files and the file Vim
# writes to test a folder (4913). Hidden files and folders are skipped too.
_EDITOR_FILE = re.compile(r"(.*~|\.#.*|#.*#|.*\.sw[ponx]|4913|\..*)\Z", re.S)
_BODY_START = re.compile(rb"<body\b[^>]*>", re.I)


@dataclass(frozen=True)
class Settings:
    """What every rebuild of one preview session uses."""

    root: Path
    out: Path
    base_url: str
    drafts: bool = False
    now: str | None = None  # --now; else each rebuild takes SOURCE_DATE_EPOCH or the clock


Rebuild = Callable[[Settings, Sequence[Path]], Result]


def full_rebuild(settings: Settings, changed: Sequence[Path]) -> Result:
    """A rebuild step: the whole site, whatever `changed` holds, swapped in complete."""
    return run(settings.root, out=settings.out, base_url=settings.base_url, drafts=settings.drafts, write=True,
               now=settings.now)


class IncrementalRebuild:
    """The preview's rebuild step. It keeps the parsed content files, the last
    output and the caches in memory (`cache.Memory`), so a rebuild reads only
    the files that changed, renders only the pages whose dependencies changed
    (see incremental.py) and writes only the files whose bytes changed.

    When only the text of content files changed (the usual save), the pages
    that show those texts are rendered and written first, from the last site
    model with the new bodies put in (`model.with_new_bodies`), and the step
    returns at once with `follow_up` set, so the browser reloads the page being
    edited; the caller then runs the step again (with no changes) for the
    complete rebuild, which brings the lists, feeds and every other page up to
    date. The search index, the one slow part, is made after that in a background
    thread, from the pages just written, and replaces the old one when done
    (unless a newer rebuild started). Once it is in, the folder holds exactly what
    a full build would write."""

    def __init__(self):
        self.memory = Memory()
        self.lock = threading.Lock()  # one writer of the folder at a time
        self.generation = 0
        self.indexer: threading.Thread | None = None
        self.follow_up = False  # the pages of an edit are written; the complete rebuild is still to come
        self.healthy = False  # the last complete rebuild succeeded (else no page goes first)

    def __call__(self, settings: Settings, changed: Sequence[Path]) -> Result:
        changed = [Path(path) for path in changed]
        for path in changed:  # never trust a time stamp for a file the watcher saw change
            self.memory.sources.pop(path, None)
            self.memory.sources.pop(path.resolve(), None)
        if changed and not self.follow_up:
            quick = self.edited_pages_first(settings, changed)
            if quick is not None:
                self.follow_up = True
                return quick
        self.follow_up = False
        with self.lock:
            self.generation += 1
            first = self.memory.files is None
            result = run(settings.root, out=settings.out, base_url=settings.base_url, drafts=settings.drafts,
                         write=True, memory=self.memory, index=first, now=settings.now)
            generation = self.generation
            self.healthy = result.written
        if not first and result.written and result.site is not None and result.site.config.search:
            self.indexer = threading.Thread(target=self._index, args=(generation, result, settings.out),
                                            name="search-index", daemon=True)
            self.indexer.start()
        return result

    def edited_pages_first(self, settings: Settings, changed: list[Path]) -> Result | None:
        """Render and write the pages of content files whose text alone changed; None
        (nothing written) when the change is anything else or shows any problem."""
        memory = self.memory
        last = memory.site
        if not self.healthy or last is None or memory.files is None or memory.templates is None:
            return None  # while another file has a mistake, the complete rebuild says so first
        started = time.perf_counter()
        diags = Diagnostics(last.config.root)
        content = last.config.content_dir.resolve()
        sources = []
        for path in changed:
            path = path.resolve()
            if path.suffix != ".md" or content not in path.parents:
                return None
            stem, _, lang = path.relative_to(content).as_posix()[: -len(".md")].rpartition(".")
            source = load_source(path, stem, lang, diags)
            if source is None or diags.items:
                return None
            sources.append(source)
        with self.lock:
            self.generation += 1
            files = rerender(memory, sources, diags)
            if files is None or not update_in_place(files, memory.files, settings.out, diags):
                return None
            memory.files = files
        return Result(diags, last, files, written=True, seconds=time.perf_counter() - started)

    def _index(self, generation: int, result: Result, out: Path) -> None:
        diags = Diagnostics(result.site.config.root)
        pages = {name: data for name, data in result.files.items() if not name.startswith(BUNDLE + "/")}
        bundle = build_search_index(pages, result.site.config, diags)
        with self.lock:
            if generation != self.generation or self.memory.files is None:
                return  # a newer rebuild will make its own
            if diags.failed():
                for line in diags.sorted():
                    print(line.format(), file=sys.stderr, flush=True)
                return
            files = {**pages, **bundle}
            if update_in_place(files, self.memory.files, out, diags):
                self.memory.files = files

    def wait(self) -> None:
        """Until the search index of the last rebuild is in (for tests and the benchmark)."""
        if self.indexer is not None:
            self.indexer.join()


@dataclass(frozen=True)
class Outcome:
    """What one rebuild did, in the terms the terminal and the overlay show."""

    ok: bool
    diagnostics: tuple[Diagnostic, ...] = ()
    crash: str = ""  # one line, when the engine stopped on an internal problem
    pages: int = 0
    seconds: float = 0.0

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == ERROR]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity != ERROR]


def internal_problem(exc: BaseException) -> str:
    return (f"the build stopped on an internal problem ({type(exc).__name__}: {one_line(str(exc))}). "
            "Please report it with the last file you changed; set SITEGEN_DEBUG=1 to see the details.")


class Preview:
    """One preview session: rebuilds through the rebuild step and remembers what
    the served pages must show (the overlay, or a minimal page before any build
    of the session has succeeded)."""

    def __init__(self, settings: Settings, rebuild: Rebuild = full_rebuild):
        self.settings = settings
        self.rebuild_step = rebuild
        self.has_site = False  # a rebuild of this session wrote a site into settings.out
        self.outcome: Outcome | None = None
        self.overlay: str | None = None  # the overlay's HTML while the last rebuild failed

    def rebuild(self, changed: Sequence[Path] = ()) -> Outcome:
        started = time.perf_counter()
        try:
            result = self.rebuild_step(self.settings, tuple(changed))
        except Exception as exc:  # a bug in the engine: report it, keep serving
            if os.environ.get("SITEGEN_DEBUG"):
                traceback.print_exc()
            outcome = Outcome(False, crash=internal_problem(exc), seconds=time.perf_counter() - started)
        else:
            ok = result.written and not result.diagnostics.failed()
            pages = sum(1 for name in result.files if name.endswith(".html"))
            outcome = Outcome(ok, tuple(result.diagnostics.sorted()), pages=pages, seconds=result.seconds)
        self.has_site = self.has_site or outcome.ok
        self.outcome = outcome
        self.overlay = None if outcome.ok else overlay_html(outcome, self.has_site)
        return outcome

    def decorate(self, page: bytes) -> bytes:
        """An HTML page as served: with the overlay while the last rebuild failed."""
        return inject_overlay(page, self.overlay) if self.overlay else page

    def minimal_page(self) -> bytes:
        """What every address shows while no rebuild of this session has succeeded."""
        return self.decorate(MINIMAL_PAGE.encode("utf-8"))


# --- the overlay ------------------------------------------------------------------------------

_PANEL = ("position:fixed;top:0;left:0;right:0;z-index:2147483647;box-sizing:border-box;max-height:60vh;"
          "overflow:auto;margin:0;padding:1rem 1.25rem;background:#ffffff;color:#111111;"
          "border-bottom:6px solid #8b0000;box-shadow:0 4px 16px rgba(0,0,0,.35);text-align:left;"
          "font:16px/1.5 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;letter-spacing:normal")
_SUMMARY = "cursor:pointer;margin:0;padding:0;font-size:1.125rem;font-weight:700;color:#8b0000"
_TEXT = "margin:.5rem 0 0;padding:0;font:inherit;color:#111111;background:none"
_LIST = "margin:.75rem 0 0;padding:0;list-style:none"
_ITEM = "margin:0 0 .75rem;padding:0 0 0 .75rem;border-left:4px solid #8b0000;color:#111111;background:none"
_CODE = ("font:15px/1.5 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;color:#111111;background:#f0f0f0;"
         "padding:0 .25rem;overflow-wrap:anywhere")
_SEVERITY = {ERROR: "font-weight:700;color:#8b0000", "warning": "font-weight:700;color:#6a4500"}
_HINT = "display:block;margin:.125rem 0 0;color:#333333"


def _item(location: str, severity: str, message: str, hint: str = "") -> str:
    esc = html.escape
    text = (f'<li style="{_ITEM}"><code style="{_CODE}">{esc(location)}</code> '
            f'<span style="{_SEVERITY.get(severity, _SEVERITY[ERROR])}">{esc(severity)}:</span> {esc(message)}')
    if hint:
        text += f'<span style="{_HINT}">hint: {esc(hint)}</span>'
    return text + "</li>"


def overlay_html(outcome: Outcome, has_site: bool = True) -> str:
    """The panel shown on top of every served page while the last rebuild failed."""
    if outcome.crash:
        title = "The preview could not be rebuilt: an internal problem"
        items = [_item("sitegen", ERROR, outcome.crash)]
    else:
        title = f"The preview could not be rebuilt: {len(outcome.errors)} error(s)"
        items = [_item(d.location, d.severity, d.message, d.hint) for d in outcome.diagnostics]
    shown = ("This page is the last version that built." if has_site else
             "Nothing could be built yet.")
    return (f'<div id="{OVERLAY_ID}" role="alert" lang="en" dir="ltr" style="{_PANEL}">'
            f'<details open style="margin:0;padding:0"><summary style="{_SUMMARY}">{html.escape(title)}</summary>'
            f'<p style="{_TEXT}">{shown} Fix the lines below and save: the page reloads by itself.</p>'
            f'<ul style="{_LIST}">{"".join(items)}</ul></details></div>')


def inject_overlay(page: bytes, overlay: str) -> bytes:
    """`page` with `overlay` as the first thing in its body."""
    panel = overlay.encode("utf-8")
    match = _BODY_START.search(page)
    if match is None:
        return panel + page
    return page[: match.end()] + panel + page[match.end():]


MINIMAL_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Preview: the site could not be built</title>
</head>
<body style="margin:0;background:#ffffff;color:#111111;font:16px/1.5 system-ui,sans-serif">
<main style="padding:62vh 1.25rem 2rem">
<h1 style="font-size:1.5rem;margin:0 0 .5rem">No preview yet</h1>
<p style="margin:0">The site could not be built. Fix the problems listed above and save a file:
this page reloads by itself.</p>
</main>
</body>
</html>
"""


# --- serving ----------------------------------------------------------------------------------

class PreviewHandler(StaticFileHandler):
    """livereload's file handler (it never answers 304) for the preview folder,
    with the overlay on HTML pages, the site's 404 page for unknown addresses,
    and no caching, so a reload always shows the latest build."""

    def initialize(self, path: str, default_filename: str | None = None, preview: Preview | None = None) -> None:
        super().initialize(path, default_filename)
        self.preview = preview
        self.own_page = False  # the response is a page made here, not a file as it is

    def compute_etag(self) -> str | None:
        return None if self.own_page else super().compute_etag()

    def set_extra_headers(self, path: str) -> None:
        self.set_header("Cache-Control", "no-store")

    def _send_html(self, page: bytes, status: int = 200) -> None:
        self.own_page = True
        self.set_status(status)
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.set_header("Cache-Control", "no-store")
        self.finish(page if self.request.method != "HEAD" else None)

    async def get(self, path: str, include_body: bool = True) -> None:
        if not self.preview.has_site:
            self._send_html(self.preview.minimal_page())
            return
        if include_body and self.preview.overlay:
            self.path = self.parse_url_path(path)
            found = self.validate_absolute_path(self.root, self.get_absolute_path(self.root, self.path))
            if found is None:  # redirected, e.g. /uz to /uz/
                return
            if found.endswith(".html"):
                self._send_html(self.preview.decorate(Path(found).read_bytes()))
                return
        await super().get(path, include_body)

    def write_error(self, status_code: int, **kwargs) -> None:
        page = Path(self.root) / "404.html"
        if status_code == 404 and page.is_file():
            self._send_html(self.preview.decorate(page.read_bytes()), 404)
            return
        super().write_error(status_code, **kwargs)


class PreviewServer(Server):
    """livereload's server, serving the preview folder through PreviewHandler."""

    def __init__(self, preview: Preview, watcher: Watcher):
        super().__init__(watcher=watcher)
        self.preview = preview

    def get_web_handlers(self, script):
        return [(r"/(.*)", PreviewHandler, {"path": str(self.preview.settings.out),
                                             "default_filename": "index.html", "preview": self.preview})]


def is_editor_file(name: str) -> bool:
    """True for a file name that never needs a rebuild (backups, swap and lock files, hidden files)."""
    return bool(_EDITOR_FILE.match(name))


class ChangeWatcher(Watcher):
    """livereload's watcher, polling its watched folders recursively; a burst of
    saves is one change: `on_change(paths)` runs once nothing has changed for
    `quiet` seconds. Editors' temporary files and hidden folders are ignored."""

    def __init__(self, on_change: Callable[[list[str]], None], *, interval: float = 0.2,
                 quiet: float = 0.3, clock: Callable[[], float] = time.monotonic):
        super().__init__()
        self.on_change = on_change
        self.interval = interval
        self.quiet = quiet
        self.clock = clock
        self.files: dict[str, tuple[int, int, int]] | None = None
        self.pending: set[str] = set()
        self.last_change = 0.0

    def start(self, callback) -> bool:
        PeriodicCallback(callback, self.interval * 1000).start()
        return True  # polled here, at our interval

    def scan(self) -> dict[str, tuple[int, int, int]]:
        files = {}
        for folder, task in self._tasks.items():
            for here, folders, names in os.walk(folder):
                folders[:] = sorted(name for name in folders if not name.startswith("."))
                for name in names:
                    path = os.path.join(here, name)
                    if is_editor_file(name) or (task["ignore"] and task["ignore"](path)):
                        continue
                    try:
                        stat = os.stat(path)
                    except OSError:  # removed while we looked
                        continue
                    files[path] = (stat.st_mtime_ns, stat.st_size, stat.st_ino)
        return files

    def baseline(self) -> None:
        """Take the state to compare with from now on."""
        self.files = self.scan()

    def examine(self):
        if self._changes:  # livereload's own messages (a reload after a restart)
            return self._changes.pop()
        now = self.clock()
        files = self.scan()
        if self.files is None:
            self.files = files
            return None, None
        changed = {path for path in files.keys() | self.files.keys() if files.get(path) != self.files.get(path)}
        self.files = files
        if changed:
            self.pending |= changed
            self.last_change = now
        elif self.pending and now - self.last_change >= self.quiet:
            paths = sorted(self.pending)
            self.pending.clear()
            self.filepath = paths[0]
            self.on_change(paths)
        return None, None  # the reload is sent by on_change, after the rebuild


# --- the command ------------------------------------------------------------------------------

def _relative(path: Path | str, root: Path) -> str:
    try:
        return Path(path).resolve().relative_to(root).as_posix()
    except ValueError:
        return Path(path).as_posix()


def report(outcome: Outcome, root: Path, out: Path, first: bool = False) -> None:
    """The terminal's account of one rebuild; problems on stderr, as `build` prints them."""
    if outcome.crash:
        print(f"error: {outcome.crash}", file=sys.stderr)
    else:
        for diagnostic in outcome.diagnostics:
            print(diagnostic.format(), file=sys.stderr)
    sys.stderr.flush()
    counts = f"{len(outcome.errors)} error(s), {len(outcome.warnings)} warning(s)"
    if outcome.ok:
        verb = f"Built {outcome.pages} HTML pages into {_relative(out, root)}/" if first else \
            f"Rebuilt {outcome.pages} HTML pages"
        print(f"{verb} in {outcome.seconds:.2f} s: {counts}.", flush=True)
    elif first:
        print("The site could not be built: the preview shows the problems until they are fixed.", flush=True)
    else:
        problem = "an internal problem" if outcome.crash else counts
        print(f"The preview could not be rebuilt ({problem}): it keeps the last good version, "
              "with the problems shown on top of every page.", flush=True)


def _url_host(host: str) -> str:
    return f"[{host}]" if ":" in host else host


def reserve_port(host: str, port: int) -> tuple[socket.socket, int]:
    """A socket bound to (host, port), kept until the server listens there: with
    port 0 the system picks a free port, which no other program gets meanwhile."""
    family, kind, proto, _, address = socket.getaddrinfo(host, port, socket.AF_UNSPEC, socket.SOCK_STREAM,
                                                         0, socket.AI_PASSIVE)[0]
    sock = socket.socket(family, kind, proto)
    try:
        if os.name != "nt":  # as tornado binds: a port with connections in TIME_WAIT is free
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
    except OSError:
        sock.close()
        raise
    return sock, sock.getsockname()[1]


def _refuse_out(out: Path, root: Path) -> str | None:
    if out == root / "site":
        return "site/ is what 'build' writes and CI publishes; the preview writes elsewhere (default .cache/preview/)"
    for name in WATCHED:
        folder = root / name
        if out == folder or folder in out.parents:
            return f"it is inside {name}/, which the preview watches; choose a folder such as .cache/preview/"
    reason = unsafe_output(out, root)
    return f"refusing to replace it: {reason}" if reason else None


def watched_folders(root: Path) -> list[Path]:
    """The site's own folders, and its theme's templates/ and static/ when it names one."""
    folders = [root / name for name in WATCHED]
    config = load_config(root, Diagnostics(root))
    if config is not None and config.theme is not None and config.theme != root:
        folders += [config.theme / "templates", config.theme / "static"]
    return folders


def serve(root: Path, out: Path | None = None, host: str = "127.0.0.1", port: int = 8000,
          drafts: bool = False, rebuild: Rebuild | None = None, now: str | None = None) -> int:
    """Run the preview until Ctrl-C. Returns the exit status."""
    root = root.resolve()
    out = (out or root / DEFAULT_OUT).resolve()
    refused = _refuse_out(out, root)
    if refused:
        print(f"error: --out {out}: {refused}", file=sys.stderr)
        return 2
    try:
        reserved, port = reserve_port(host, port)
    except socket.gaierror as exc:
        print(f"error: --host {host}: not an address of this computer ({exc.strerror})", file=sys.stderr)
        return 2
    except OSError as exc:
        why = "the port is in use" if exc.errno == errno.EADDRINUSE else (exc.strerror or str(exc))
        print(f"error: cannot serve on {_url_host(host)}:{port}: {why}; "
              "stop the other server or choose another --port (0 picks a free one)", file=sys.stderr)
        return 1
    address = f"http://{_url_host(host)}:{port}/"
    preview = Preview(Settings(root, out, address, drafts, now), rebuild or IncrementalRebuild())
    chatter = _OnlyProblems()
    livereload_log = logging.getLogger("livereload")
    try:
        def on_change(paths: list[str]) -> None:
            names = [_relative(path, root) for path in paths]
            more = f" and {len(names) - 3} more" if len(names) > 3 else ""
            print(f"Changed: {', '.join(names[:3])}{more}; rebuilding ...", flush=True)
            report(preview.rebuild([Path(path) for path in paths]), root, out)
            LiveReloadHandler.reload_waiters("*")  # a full reload, failed rebuild or not
            if getattr(preview.rebuild_step, "follow_up", False):  # the edited pages are in; now the rest
                IOLoop.current().add_callback(complete)

        def complete() -> None:
            report(preview.rebuild(), root, out)
            LiveReloadHandler.reload_waiters("*")

        watcher = ChangeWatcher(on_change)
        server = PreviewServer(preview, watcher)
        for folder in watched_folders(root):
            server.watch(str(folder))
        watcher.baseline()  # a save during the first build counts as a change
        report(preview.rebuild(), root, out, first=True)
        print(f"Serving the preview at {address} (it rebuilds when a file in "
              f"{', '.join(name + '/' for name in WATCHED)} changes). Press Ctrl-C to stop.", flush=True)
        livereload_log.addFilter(chatter)
        reserved.close()
        try:
            server.serve(host=host, port=port, restart_delay=1)
        except OSError as exc:
            print(f"error: cannot serve on {_url_host(host)}:{port}: {exc.strerror or exc}", file=sys.stderr)
            return 1
    except KeyboardInterrupt:
        pass
    finally:
        reserved.close()
        livereload_log.removeFilter(chatter)
    print("\nStopped the preview.", flush=True)
    return 0


class _OnlyProblems(logging.Filter):
    """livereload reports every request and poll at INFO; the terminal shows our own lines instead."""

    def filter(self, record: logging.LogRecord) -> bool:
        return record.levelno >= logging.WARNING
