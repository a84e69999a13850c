"""`build.py serve`: the rebuild step, the overlay, the watcher, and one real
preview served over HTTP while its files are edited."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from tornado import escape
from tornado.ioloop import IOLoop
from tornado.websocket import websocket_connect

from conftest import ROOT, address, news, snapshot
from sitegen.lib.diagnostics import Diagnostic
from sitegen.serve import (OVERLAY_ID, ChangeWatcher, Outcome, Preview, Settings, full_rebuild, inject_overlay,
                           is_editor_file, overlay_html)

pytestmark = pytest.mark.slow  # left out of the fast tier (see tests/conftest.py)

BUILD = str(ROOT / "build.py")
BASE_URL = "http://127.0.0.1:8765/"
BROKEN = '---\ntitle: Yomon: sarlavha\ndate: 2025-06-12\n---\nMatn.\n'  # a colon in an unquoted title, line 2
FIRST = address.document("uz", "news", "first")
PAGE = address.file(FIRST)


def _content(site, title="Birinchi"):
    site.write("content/news/first.uz.md", news("uz", title, "2025-06-12", partners="[kaznua]"))
    site.write("content/news/first.en.md", news("en", "First", body="Text.\n"))


def _preview(site, tmp_path, rebuild=full_rebuild) -> Preview:
    return Preview(Settings(site.root.resolve(), tmp_path / "preview", BASE_URL), rebuild)


def _page(preview: Preview, rel: str) -> str:
    """An HTML page of the preview as the server sends it (before livereload's script)."""
    return preview.decorate((preview.settings.out / rel).read_bytes()).decode("utf-8")


# --- the rebuild step and the overlay ------------------------------------------------------------

def test_good_build_writes_the_preview_with_its_own_address(site, tmp_path):
    _content(site)
    preview = _preview(site, tmp_path)
    outcome = preview.rebuild()
    assert outcome.ok, outcome.diagnostics
    assert outcome.pages > 0 and not outcome.crash
    assert preview.has_site and preview.overlay is None
    page = _page(preview, PAGE)
    assert f'rel="canonical" href="{address.absolute(FIRST, BASE_URL)}"' in page
    assert OVERLAY_ID not in page and 'role="alert"' not in page
    assert not (site.root / "site").exists()  # the published folder is never touched


def test_broken_edit_keeps_the_last_good_pages_and_serves_the_overlay(site, tmp_path):
    _content(site)
    preview = _preview(site, tmp_path)
    assert preview.rebuild().ok
    before = snapshot(preview.settings.out)
    site.write("content/news/first.uz.md", BROKEN)
    outcome = preview.rebuild([site.root / "content/news/first.uz.md"])
    assert not outcome.ok
    assert any(d.path == "content/news/first.uz.md" and d.line == 2 for d in outcome.errors), outcome.errors
    assert snapshot(preview.settings.out) == before  # the last good site, unchanged
    for rel in (PAGE, address.file(address.home("en"))):  # every page shows it
        page = _page(preview, rel)
        assert page.count(OVERLAY_ID) == 1
        assert 'role="alert"' in page
        assert "content/news/first.uz.md:2:" in page
        assert "hint:" in page
    # the panel is the first thing in the body, and the page itself is the last good one
    page = _page(preview, PAGE)
    assert re.search(r"<body[^>]*><div id=\"%s\"" % OVERLAY_ID, page)
    assert "Birinchi" in page


def test_fixing_the_mistake_removes_the_overlay(site, tmp_path):
    _content(site)
    preview = _preview(site, tmp_path)
    assert preview.rebuild().ok
    site.write("content/news/first.uz.md", BROKEN)
    assert not preview.rebuild().ok
    _content(site, title="Tuzatildi")
    outcome = preview.rebuild()
    assert outcome.ok, outcome.diagnostics
    assert preview.overlay is None
    page = _page(preview, PAGE)
    assert "Tuzatildi" in page and OVERLAY_ID not in page


def test_preview_output_equals_a_normal_build_with_the_same_base_url(site, tmp_path):
    _content(site)
    preview = _preview(site, tmp_path)
    assert preview.rebuild().ok
    normal = site.build(out=tmp_path / "normal", base_url=BASE_URL)
    assert normal.written, normal.diagnostics.items
    assert snapshot(preview.settings.out) == snapshot(tmp_path / "normal")


def test_a_first_build_that_fails_serves_a_minimal_page_with_the_overlay(site, tmp_path):
    site.write("content/news/first.uz.md", BROKEN)
    preview = _preview(site, tmp_path)
    outcome = preview.rebuild()
    assert not outcome.ok and not preview.has_site
    assert not preview.settings.out.exists()
    page = preview.minimal_page().decode("utf-8")
    assert page.startswith("<!DOCTYPE html>") and "</head>" in page  # livereload's script goes before </head>
    assert 'role="alert"' in page and "content/news/first.uz.md:2:" in page
    assert "Nothing could be built yet" in page
    _content(site)
    assert preview.rebuild().ok and preview.has_site and preview.overlay is None


def test_a_crash_in_the_engine_is_one_line_in_the_overlay_and_keeps_the_site(site, tmp_path, monkeypatch):
    monkeypatch.delenv("SITEGEN_DEBUG", raising=False)
    _content(site)
    calls = []

    def crashing(settings, changed):  # the rebuild step is swappable: here one that fails on its 2nd run
        calls.append(changed)
        if len(calls) == 2:
            raise KeyError("boom\nsecond line")
        return full_rebuild(settings, changed)

    preview = _preview(site, tmp_path, crashing)
    assert preview.rebuild().ok
    before = snapshot(preview.settings.out)
    changed = [site.root / "content/news/first.uz.md"]
    outcome = preview.rebuild(changed)  # no exception escapes
    assert calls[1] == tuple(changed)
    assert not outcome.ok and "internal problem" in outcome.crash and "KeyError" in outcome.crash
    assert "\n" not in outcome.crash
    assert snapshot(preview.settings.out) == before
    page = _page(preview, address.file(address.home("uz")))
    assert 'role="alert"' in page and "internal problem" in page and "SITEGEN_DEBUG" in page
    assert preview.rebuild().ok and preview.overlay is None


def test_overlay_escapes_editors_text_and_lists_every_problem():
    outcome = Outcome(False, (
        Diagnostic("content/a.uz.md", 3, 7, "error", "bad <script>alert(1)</script>", "write \"x\" & y"),
        Diagnostic("data/tags.yaml", 0, 0, "error", "the file is empty"),
        Diagnostic("content/b.en.md", 2, 0, "warning", "a warning"),
    ))
    panel = overlay_html(outcome)
    assert "<script>" not in panel and "&lt;script&gt;" in panel
    assert "content/a.uz.md:3:7" in panel and "data/tags.yaml" in panel and "content/b.en.md:2" in panel
    assert "hint: write &quot;x&quot; &amp; y" in panel
    assert "2 error(s)" in panel
    assert 'role="alert"' in panel and 'lang="en"' in panel
    assert "http" not in panel and "<link" not in panel and "<img" not in panel  # no external assets


def test_inject_overlay_places_the_panel_first_in_the_body():
    page = b'<!DOCTYPE html><html><head><title>x</title></head><BODY class="a">text</BODY></html>'
    assert inject_overlay(page, "<div>P</div>") == \
        b'<!DOCTYPE html><html><head><title>x</title></head><BODY class="a"><div>P</div>text</BODY></html>'
    assert inject_overlay(b"fragment", "<div>P</div>") == b"<div>P</div>fragment"


# --- the watcher ------------------------------------------------------------------------------

class Clock:
    def __init__(self):
        self.now = 100.0

    def __call__(self):
        return self.now


def _watcher(site):
    clock, bursts = Clock(), []
    watcher = ChangeWatcher(bursts.append, quiet=0.3, clock=clock)
    for name in ("content", "data", "templates", "static"):
        watcher.watch(str(site.root / name))
    watcher.baseline()
    return watcher, clock, bursts


def _tick(watcher, clock, seconds=0.2):
    clock.now += seconds
    assert watcher.examine() == (None, None)


def test_a_burst_of_saves_is_one_rebuild(site):
    watcher, clock, bursts = _watcher(site)
    _tick(watcher, clock)
    assert bursts == []
    site.write("content/news/a.uz.md", news("uz", "A", "2025-01-01"))
    site.write("content/news/a.en.md", news("en", "A"))
    _tick(watcher, clock, 0.1)
    site.write("data/tags.yaml", "memo: {uz: \"M\", en: \"M\"}\n")
    (site.root / "content/_index.en.md").unlink()
    _tick(watcher, clock, 0.1)  # still saving: no rebuild yet
    assert bursts == []
    _tick(watcher, clock, 0.1)  # quiet for 0.1 s only
    assert bursts == []
    _tick(watcher, clock, 0.25)
    assert len(bursts) == 1
    assert {Path(p).relative_to(site.root).as_posix() for p in bursts[0]} == {
        "content/news/a.uz.md", "content/news/a.en.md", "data/tags.yaml", "content/_index.en.md"}
    for _ in range(5):
        _tick(watcher, clock)
    assert len(bursts) == 1  # nothing more changed


def test_editor_temporary_files_and_hidden_folders_are_ignored(site):
    watcher, clock, bursts = _watcher(site)
    for rel in ("content/news/_index.uz.md~", "content/news/.#_index.uz.md", "content/news/._index.uz.md.swp",
                "content/news/#_index.uz.md#", "content/news/4913", "templates/.base.html.swx",
                "content/.git/index", "static/.cache/x.css", "data/.hidden.yaml"):
        site.write(rel, "x")
    for _ in range(5):
        _tick(watcher, clock)
    assert bursts == []
    site.write("templates/extra.html", "x")
    for _ in range(3):
        _tick(watcher, clock)
    assert bursts == [[str(site.root / "templates/extra.html")]]


@pytest.mark.parametrize("name,ignored", [
    ("a.uz.md~", True), (".#a.uz.md", True), ("a.uz.md.swp", True), ("4913", True), ("#a.md#", True),
    (".DS_Store", True), ("a.uz.md", False), ("site.yaml", False), ("photo.jpg", False), ("49130.md", False),
])
def test_editor_file_names(name, ignored):
    assert is_editor_file(name) is ignored


# --- the command ------------------------------------------------------------------------------

# The preview as started from a terminal, where Ctrl-C stops it: a shell that runs these
# tests in the background without job control has them ignore SIGINT, and a process
# started from them would inherit that; SIGINT's default is restored before the preview's
# Python starts (an ignored signal stays ignored across exec, a default one stays default).
_CTRL_C = [sys.executable, "-c", "import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL); "
           "os.execv(sys.executable, [sys.executable, *sys.argv[1:]])"] if os.name == "posix" else [sys.executable]


def _env():
    env = {k: v for k, v in os.environ.items() if k != "SITEGEN_DEBUG"}
    env["PYTHONUNBUFFERED"] = "1"
    return env


def _cli(*args, cwd):
    proc = subprocess.run([sys.executable, BUILD, *args], cwd=cwd, capture_output=True, text=True,
                          encoding="utf-8", timeout=60, env=_env())
    assert "Traceback" not in proc.stdout + proc.stderr, proc.stdout + proc.stderr
    return proc


def test_serve_help_lists_its_options():
    proc = _cli("serve", "--help", cwd=ROOT)
    assert proc.returncode == 0
    for option in ("--host", "--port", "--drafts", "--out", "--root"):
        assert option in proc.stdout
    assert "serve" in _cli("--help", cwd=ROOT).stdout


@pytest.mark.parametrize("out,why", [("site", "site/"), ("content/preview", "content/"), ("static", "static/"),
                                     (".", "project")])
def test_serve_refuses_an_output_folder_it_must_not_write(site, out, why):
    _content(site)
    before = snapshot(site.root)
    proc = _cli("serve", "--root", str(site.root), "--port", "0", "--out", out, cwd=site.root)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert why in proc.stderr
    assert snapshot(site.root) == before


def test_serve_rejects_a_bad_port(site):
    proc = _cli("serve", "--root", str(site.root), "--port", "70000", cwd=site.root)
    assert proc.returncode == 2 and "port" in proc.stderr


def test_serve_reports_a_port_in_use(site):
    _content(site)
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        proc = _cli("serve", "--root", str(site.root), "--port", str(port), "--out", "preview", cwd=site.root)
    assert proc.returncode == 1
    assert "in use" in proc.stderr and "--port" in proc.stderr
    assert not (site.root / "preview").exists()


class Output:
    """A subprocess's merged output, read as it comes."""

    def __init__(self, stream):
        self.lines: list[str] = []
        self.thread = threading.Thread(target=self._read, args=(stream,), daemon=True)
        self.thread.start()

    def _read(self, stream):
        for line in stream:
            self.lines.append(line)

    @property
    def text(self) -> str:
        return "".join(self.lines)


class Browser:
    """What livereload.js does in a browser: connect to the server's websocket
    and collect the commands it sends (a `reload` after each rebuild)."""

    def __init__(self, url: str):
        self.url = url
        self.commands: list[dict] = []
        self.connected = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()
        assert self.connected.wait(20), "the livereload websocket did not answer"

    def _run(self):
        loop = IOLoop()
        try:
            loop.run_sync(self._listen)
        finally:
            loop.close()

    async def _listen(self):
        connection = await websocket_connect(self.url.replace("http://", "ws://") + "livereload")
        connection.write_message(escape.json_encode(
            {"command": "hello", "protocols": ["http://livereload.com/protocols/official-7"]}))
        self.commands.append(escape.json_decode(await connection.read_message()))
        connection.write_message(escape.json_encode({"command": "info", "url": self.url, "plugins": {}}))
        self.connected.set()
        try:
            while (message := await connection.read_message()) is not None:
                self.commands.append(escape.json_decode(message))
        finally:
            connection.close()

    def reloads(self) -> int:
        return sum(1 for command in self.commands if command.get("command") == "reload")


def _fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8")


def _until(condition, what: str, output: Output, timeout: float = 20.0):
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout:.0f} s waiting for {what}; the server printed:\n{output.text}")
        time.sleep(0.2)


def test_serve_rebuilds_on_save_and_shows_mistakes_in_the_browser(site, tmp_path):
    _content(site)
    proc = subprocess.Popen([*_CTRL_C, BUILD, "serve", "--root", str(site.root), "--port", "0",
                             "--out", str(tmp_path / "preview")], cwd=site.root, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, encoding="utf-8", env=_env())
    output = Output(proc.stdout)
    try:
        found = _until(lambda: re.search(r"http://127\.0\.0\.1:(\d+)/", output.text) or proc.poll() is not None,
                       "the address", output, timeout=90)
        assert proc.poll() is None, output.text
        url = address.absolute(FIRST, found.group(0))

        status, page = _fetch(url)
        assert status == 200 and "Birinchi" in page and OVERLAY_ID not in page
        assert "livereload.js" in page  # livereload reloads the browser after each rebuild
        assert f'href="{url}"' in page  # canonical link: the preview's address
        status, missing = _fetch(found.group(0) + "uz/no-such-page/")
        assert status == 404 and "<html" in missing  # the site's own 404 page

        browser = Browser(found.group(0))
        assert browser.commands[0]["command"] == "hello"
        time.sleep(0.5)  # the server registers the browser after its 'info'
        site.write("content/news/first.uz.md", news("uz", "Yangilangan sarlavha", "2025-06-12",
                                                      partners="[kaznua]"))
        _until(lambda: "Yangilangan sarlavha" in _fetch(url)[1], "the edited title", output)
        _until(browser.reloads, "the browser's reload", output)

        site.write("content/news/first.uz.md", BROKEN)
        page = _until(lambda: (lambda p: p if OVERLAY_ID in p else "")(_fetch(url)[1]), "the overlay", output)
        assert 'role="alert"' in page and "content/news/first.uz.md:2:" in page
        assert "Yangilangan sarlavha" in page  # still the last good page underneath
        _until(lambda: browser.reloads() >= 2, "the reload after the failed rebuild", output)

        site.write("content/news/first.uz.md", news("uz", "Tuzatildi", "2025-06-12", partners="[kaznua]"))
        page = _until(lambda: (lambda p: p if "Tuzatildi" in p else "")(_fetch(url)[1]), "the fix", output)
        assert OVERLAY_ID not in page
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGINT if os.name == "posix" else signal.SIGTERM)  # Ctrl-C
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        output.thread.join(timeout=5)
        proc.stdout.close()
    text = output.text
    assert "Traceback" not in text, text
    assert re.search(r"^content/news/first\.uz\.md:2:\d+: error: ", text, re.M), text  # also in the terminal
    if os.name == "posix":
        assert proc.returncode == 0, text
        assert "Stopped the preview." in text


def test_the_preview_watches_the_theme_a_site_names(tmp_path):
    from sitegen.serve import watched_folders
    from test_example_site import example_copy

    site = example_copy(tmp_path)
    folders = watched_folders(site)
    assert tmp_path / "templates" in folders and tmp_path / "static" in folders
    assert site / "content" in folders and site / "data" in folders
