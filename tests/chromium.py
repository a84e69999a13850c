"""Real-browser test support, loaded by the browser test modules as a pytest plugin
(`pytest_plugins = ["chromium"]`).

- The repository's own site is built into a temporary folder and served over HTTP on
  127.0.0.1 by a small static host running in a background thread. Like Cloudflare
  Pages and similar hosts, it answers a missing address with the nearest `404.html`
  (`/uz/404.html` for `/uz/anything`, else `/404.html`) and a 404 status.
- A second build of the same content, published under the sub-path `/ir/` and with
  three news items per list page, covers sub-path links and pagination (the real news
  section has fewer items than one list page holds).
- One Chromium runs for the whole session, with one browser context per viewport width
  and colour scheme. Without Chromium or Playwright the tests are skipped and say why;
  when the environment variable CI is set they fail instead, because CI must run them.
- Every browser tab records console errors and warnings, uncaught exceptions, failed
  requests and HTTP error responses; tests assert that there are none.
"""

from __future__ import annotations

import os
import posixpath
import re
import shutil
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Iterator
from urllib.parse import unquote, urlsplit

import pytest

from conftest import ROOT, ui_strings, unavailable  # unavailable: skip with the reason, fail under CI
from sitegen.pipeline import Result, run

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE = ROOT / "node_modules/axe-core/axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]

LANGS = ("uz", "en")
SUB_PATH = "/ir/"
NEWS_PER_PAGE = 3
DESKTOP = 1280
MOBILE = 375
# Viewport heights of typical devices at each tested width.
HEIGHTS = {320: 568, 375: 812, 768: 1024, 1024: 768, 1280: 800, 1440: 900}

# One page of every kind the site publishes: name -> translation key in the site model.
PAGE_TYPES = {
    "home": "_index",
    "about": "about",
    "contacts": "contacts",
    "partners": "partners/_index",
    "partner": "partners/kaznua",
    "partners-country": "partners/country/kz",
    "calls": "calls/_index",
    "call": "calls/erasmus-icm-autumn-2027",
    "calls-archive": "calls/archive",
    "events": "events/_index",
    "event": "events/erasmus-credit-mobility-info-day",
    "projects": "projects/_index",
    "project": "projects/uzdoc",
    "news": "news/_index",
    "news-page-2": "news/_index/page/2",
    "news-item": "news/kaznua-memorandum",
    "tags": "tags/_index",
    "tag": "tags/memorandum",
    "404": "404",
    "search": "search",
}
# Page types that only the paginated sub-path build has.
PAGED_ONLY = {"news-page-2"}
MISSING_PAGE = "no-such-page/"


# ---------------------------------------------------------------------------
# Availability: skip (or, in CI, fail) when the browser tools are missing
# ---------------------------------------------------------------------------

def missing_tool() -> str | None:
    """Why the browser tests cannot run here, or None when they can."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright for Python is not installed: .venv/bin/pip install playwright"
    if not (CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)):
        return f"Chromium is not installed ({CHROMIUM} missing): apt-get install chromium"
    return None




# ---------------------------------------------------------------------------
# The static host
# ---------------------------------------------------------------------------

class StaticHost(ThreadingHTTPServer):
    """Serves the folder `directory` at `prefix` (e.g. `/` or `/ir/`) on a free port."""

    daemon_threads = True

    def __init__(self, directory: Path, prefix: str = "/"):
        self.directory = directory
        self.prefix = prefix
        super().__init__(("127.0.0.1", 0), _StaticHandler)

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.server_port}"

    def not_found_page(self, request_path: str) -> bytes | None:
        """The body of the `404.html` nearest to `request_path`, as a static host sends it."""
        path = unquote(urlsplit(request_path).path)
        inside = path[len(self.prefix):] if path.startswith(self.prefix) else ""
        parts = [p for p in posixpath.normpath("/" + inside).split("/") if p and p != ".."]
        for depth in range(len(parts), -1, -1):
            candidate = self.directory.joinpath(*parts[:depth], "404.html")
            if candidate.is_file():
                return candidate.read_bytes()
        return None


class _StaticHandler(SimpleHTTPRequestHandler):
    server: StaticHost

    def __init__(self, request, client_address, server: StaticHost):
        super().__init__(request, client_address, server, directory=str(server.directory))

    def send_head(self):
        if not urlsplit(self.path).path.startswith(self.server.prefix):
            self.send_error(404)
            return None
        return super().send_head()

    def translate_path(self, path: str) -> str:
        return super().translate_path("/" + path[len(self.server.prefix):])

    def list_directory(self, path):
        self.send_error(404)
        return None

    def send_error(self, code, message=None, explain=None):
        body = self.server.not_found_page(self.path) if code == 404 else None
        if body is None:
            super().send_error(code, message, explain)
            return
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def log_message(self, format, *args):
        pass


@dataclass
class ServedSite:
    """A built site and the address it is served at."""

    name: str
    out: Path
    result: Result

    @property
    def base_url(self) -> str:
        return self.result.site.urls.base_url

    def url(self, site_path: str) -> str:
        """The absolute address of a site path such as `/uz/news/`."""
        return self.result.site.urls.absolute(site_path)

    def page(self, key: str, lang: str):
        page = self.result.site.page(key, lang)
        assert page is not None, f"the {self.name} site has no page {key!r} in {lang!r}"
        return page

    def page_url(self, key: str, lang: str) -> str:
        return self.url(self.page(key, lang).path)


@contextmanager
def served_build(project: Path, out: Path, name: str, prefix: str = "/") -> Iterator[ServedSite]:
    """Build `project` into `out` for the address it will have, then serve it."""
    host = StaticHost(out, prefix)
    try:
        result = run(project, out=out, base_url=host.origin + prefix)
        if not result.written:
            problems = "\n".join(d.format() for d in result.diagnostics.sorted())
            pytest.fail(f"the {name} site did not build:\n{problems}", pytrace=False)
        thread = threading.Thread(target=host.serve_forever, name=f"static host ({name})", daemon=True)
        thread.start()
        try:
            yield ServedSite(name, out, result)
        finally:
            host.shutdown()
            thread.join(timeout=5)
    finally:
        host.server_close()


def copy_project(dest: Path) -> Path:
    """A copy of the repository's content, data, templates and static files."""
    generated = {".git", ".venv", "node_modules", "tests", "site", ".pytest_cache", ".hypothesis",
                 ".cache", "test-artifacts", "test-screenshots", "__pycache__"}

    def ignore(folder: str, names: list[str]) -> list[str]:
        if Path(folder) == ROOT:
            return [n for n in names if n in generated or n.startswith("site.")]
        return [n for n in names if n == "__pycache__"]

    shutil.copytree(ROOT, dest, ignore=ignore)
    return dest


def set_news_per_page(project: Path, per_page: int) -> None:
    """Set `paginate:` of the news section in a copied project."""
    setting = re.compile(r"^paginate:[^\n]*$", re.M)
    indexes = sorted((project / "content/news").glob("_index.*.md"))
    assert indexes, "content/news has no _index.<lang>.md"
    changed = 0
    for index in indexes:
        text, n = setting.subn(f"paginate: {per_page}", index.read_text(encoding="utf-8"))
        index.write_text(text, encoding="utf-8")
        changed += n
    if not changed:
        text = indexes[0].read_text(encoding="utf-8")
        assert text.startswith("---\n"), f"{indexes[0]} has no front matter"
        indexes[0].write_text(f"---\npaginate: {per_page}\n" + text[4:], encoding="utf-8")


@dataclass(frozen=True)
class Target:
    """Where a test opens a page type: the site, the address and the expected status."""

    site: ServedSite
    name: str
    lang: str
    url: str
    status: int = 200


class Sites:
    """The default build (at the root) and the paginated build (under /ir/)."""

    def __init__(self, default: ServedSite, paged: ServedSite):
        self.default = default
        self.paged = paged

    def target(self, name: str, lang: str) -> Target:
        site = self.paged if name in PAGED_ONLY else self.default
        if name == "404":
            return Target(site, name, lang, site.url(f"/{lang}/{MISSING_PAGE}"), 404)
        return Target(site, name, lang, site.page_url(PAGE_TYPES[name], lang))


# ---------------------------------------------------------------------------
# Browser tabs that record problems
# ---------------------------------------------------------------------------

class Tab:
    """A browser page that records every console error or warning, uncaught exception,
    failed request and HTTP error response it meets."""

    def __init__(self, page, label: str):
        self.page = page
        self.label = label
        self.problems: list[str] = []
        self._reported = 0
        self._expected: dict[str, int] = {}  # url -> the error status a test asked for
        self._in_flight: set = set()
        self._left_behind: set = set()  # requests of documents the tab has navigated away from
        page.on("console", self._on_console)
        page.on("pageerror", lambda error: self.problems.append(f"uncaught exception: {error}"))
        page.on("request", self._on_request)
        page.on("requestfinished", self._on_request_finished)
        page.on("requestfailed", self._on_request_failed)
        page.on("response", self._on_response)
        page.on("framenavigated", self._on_navigated)

    def _on_navigated(self, frame) -> None:
        if frame == self.page.main_frame:
            self._left_behind |= self._in_flight
            self._in_flight = set()

    def _on_request(self, request) -> None:
        self._in_flight.add(request)

    def _on_request_finished(self, request) -> None:
        self._in_flight.discard(request)
        self._left_behind.discard(request)

    def _on_console(self, message) -> None:
        if message.type not in ("error", "warning"):
            return
        where = message.location.get("url", "")
        if where in self._expected and message.text.startswith("Failed to load resource"):
            return  # the browser's own note about a deliberate error status
        line = message.location.get("lineNumber")
        self.problems.append(f"console {message.type}: {message.text} ({where}:{line})")

    def _on_request_failed(self, request) -> None:
        self._in_flight.discard(request)
        left_behind = request in self._left_behind
        self._left_behind.discard(request)
        if "ERR_ABORTED" in (request.failure or "") and (left_behind or request.resource_type == "other"):
            # Cancelled because the tab moved on to the next page; "other" is the
            # browser's own favicon download, which starts after the load event.
            return
        self.problems.append(f"request failed: {request.method} {request.url}: {request.failure}")

    def _on_response(self, response) -> None:
        if response.status >= 400 and self._expected.get(response.url) != response.status:
            self.problems.append(f"HTTP {response.status}: {response.request.method} {response.url}")

    def open(self, url: str, status: int = 200):
        """Load `url` and wait for its `load` event; the response must have `status`."""
        if status >= 400:
            self._expected[url] = status
        response = self.page.goto(url, wait_until="load")
        assert response is not None, f"no response for {url}"
        assert response.status == status, f"{url}: HTTP {response.status}, expected {status}"
        return response

    def open_target(self, target: Target):
        return self.open(target.url, target.status)

    def new_problems(self) -> list[str]:
        new = self.problems[self._reported:]
        self._reported = len(self.problems)
        return new

    def assert_clean(self) -> None:
        """No console error or warning, exception or failed request since the last check."""
        new = self.new_problems()
        assert not new, f"{self.label}: the browser reported problems:\n" + "\n".join(new)

    # Small readers shared by the tests.

    def html_lang(self) -> str | None:
        return self.page.evaluate("document.documentElement.lang")

    def h1_texts(self) -> list[str]:
        return [t.strip() for t in self.page.locator("h1").all_inner_texts()]

    def head_link(self, rel: str, hreflang: str | None = None) -> str | None:
        """The resolved href of <link rel=... [hreflang=...]> in the head, or None."""
        selector = f'link[rel~="{rel}"]' + (f'[hreflang="{hreflang}"]' if hreflang else "")
        return self.page.evaluate(
            "selector => { const l = document.head.querySelector(selector); return l ? l.href : null; }",
            selector)

    def navigation(self, label_key: str):
        """The <nav> named by the UI string `label_key` in the page's language."""
        return self.page.get_by_role("navigation", name=ui_strings(self.html_lang())[label_key], exact=True)

    def click_and_wait(self, link) -> str:
        """Click a link, wait for the page it names to load, and return that address."""
        href = link.evaluate("a => a.href")
        with self.page.expect_navigation(url=href, wait_until="load"):
            link.click()
        return href


class ContextPool:
    """One browser context per (width, colour scheme), created on first use, each with
    one tab that successive tests reuse (opening a page costs more than the test)."""

    def __init__(self, browser):
        self.browser = browser
        self._contexts: dict[tuple[int, str], object] = {}
        self._tabs: dict[tuple[int, str], Tab] = {}

    def context(self, width: int = DESKTOP, scheme: str = "light"):
        key = (width, scheme)
        if key not in self._contexts:
            self._contexts[key] = self.browser.new_context(
                viewport={"width": width, "height": HEIGHTS.get(width, 800)},
                device_scale_factor=1,
                color_scheme=scheme,
                reduced_motion="reduce",
            )
        return self._contexts[key]

    def shared_tab(self, width: int = DESKTOP, scheme: str = "light") -> Tab:
        key = (width, scheme)
        if key not in self._tabs or self._tabs[key].page.is_closed():
            self._tabs[key] = Tab(self.context(width, scheme).new_page(), f"{width}px, {scheme}")
        return self._tabs[key]

    def close(self) -> None:
        for context in self._contexts.values():
            context.close()
        self._contexts.clear()
        self._tabs.clear()


# ---------------------------------------------------------------------------
# Fixtures
# ---------------------------------------------------------------------------

@pytest.fixture(scope="session")
def chromium():
    """The session's Chromium, or a skip (a failure in CI) saying what is missing."""
    reason = missing_tool()
    if reason:
        unavailable(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture(scope="session")
def sites(tmp_path_factory, chromium) -> Iterator[Sites]:
    """The default site served at the root and the paginated copy served under /ir/."""
    base = tmp_path_factory.mktemp("browser-sites")
    project = copy_project(base / "paged-project")
    set_news_per_page(project, NEWS_PER_PAGE)
    with served_build(ROOT, base / "default", "default") as default, \
            served_build(project, base / "paged", "paginated sub-path", SUB_PATH) as paged:
        yield Sites(default, paged)


@pytest.fixture(scope="session")
def contexts(chromium) -> Iterator[ContextPool]:
    pool = ContextPool(chromium)
    try:
        yield pool
    finally:
        pool.close()


@pytest.fixture
def tabs(contexts):
    """`tabs(width, scheme)`: the shared tab of that viewport and colour scheme, or with
    `fresh=True` a new tab closed after the test. Problems that the test did not assert
    on fail its teardown."""
    used: list[tuple[Tab, bool]] = []

    def open_tab(width: int = DESKTOP, scheme: str = "light", fresh: bool = False) -> Tab:
        if fresh:
            tab = Tab(contexts.context(width, scheme).new_page(), f"new tab, {width}px, {scheme}")
        else:
            tab = contexts.shared_tab(width, scheme)
            tab.new_problems()  # anything left from an earlier test was reported there
        used.append((tab, fresh))
        return tab

    yield open_tab
    leftover = []
    for tab, fresh in used:
        leftover += [f"{tab.label}: {p}" for p in tab.new_problems()]
        if fresh:
            tab.page.close()
    if leftover:
        pytest.fail("the browser reported problems:\n" + "\n".join(leftover), pytrace=False)


@pytest.fixture
def tab(tabs) -> Tab:
    """The shared tab 1280 px wide in the light colour scheme."""
    return tabs()


# ---------------------------------------------------------------------------
# axe-core
# ---------------------------------------------------------------------------

def axe_violations(page) -> list[dict]:
    """Run axe-core's WCAG 2.0-2.2 A and AA rules on the page loaded in `page`."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    return page.evaluate(
        """tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})
                   .then(results => results.violations.map(v => ({
                       id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
                       nodes: v.nodes.map(n => ({target: n.target, summary: n.failureSummary || ''}))})))""",
        AXE_TAGS,
    )


def describe_violations(violations: list[dict], per_rule: int = 6) -> str:
    """Rule, impact, help and the first few elements, each with what to fix."""
    lines = []
    for v in violations:
        lines.append(f"[{v['impact']}] {v['id']}: {v['help']} ({len(v['nodes'])} element(s)) {v['helpUrl']}")
        for node in v["nodes"][:per_rule]:
            target = " ".join(" >> ".join(t) if isinstance(t, list) else str(t) for t in node["target"])
            summary = " ".join(node["summary"].split())
            lines.append(f"    {target}\n        {summary[:300]}")
        if len(v["nodes"]) > per_rule:
            lines.append(f"    ... and {len(v['nodes']) - per_rule} more")
    return "\n".join(lines)


# ---------------------------------------------------------------------------
# Files written by the tests
# ---------------------------------------------------------------------------

def screenshot_dir() -> Path:
    """$SCREENSHOT_DIR, or test-screenshots/ in the repository."""
    return Path(os.environ.get("SCREENSHOT_DIR") or ROOT / "test-screenshots")


def png_size(data: bytes) -> tuple[int, int]:
    """(width, height) from a PNG's IHDR chunk."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG file"
    assert data[12:16] == b"IHDR", "PNG without IHDR"
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
