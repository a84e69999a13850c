"""The shipped site behind a real web server: Debian's nginx with deploy/nginx.conf.

The repository's own site is built once (with `build.py`, as a deploy would) for
the sub-path /ir/ of a free port on 127.0.0.1, and served by an nginx that runs
with a configuration, prefix and logs of its own in a temporary folder (never
the system's). A crawl then starts at the landing page /ir/ and follows every
same-origin link: href, src, srcset, form actions and share images in the HTML,
url() in CSS, <loc> and xhtml:link in the sitemap, the links of the feeds and
of the HTML inside their entries, the URL of each calendar entry, robots.txt's
Sitemap. Every one must answer 200 (a redirect counts as a broken link), every
page of the site must be linked from another page, and the answers must carry
the headers of sitegen/hosting.py.

Without nginx (`apt-get install nginx`) the tests are skipped and say why; when
the environment variable CI is set they fail instead, because CI must run them.
"""

from __future__ import annotations

import gzip
import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from urllib.error import HTTPError
from urllib.parse import quote, unquote, urldefrag, urljoin, urlsplit
from urllib.request import HTTPRedirectHandler, Request, build_opener
from xml.etree import ElementTree as ET

import pytest

from conftest import ROOT, address, soup, unavailable
from sitegen.config import load_config
from sitegen.lib.diagnostics import Diagnostics
from sitegen.hosting import IMMUTABLE, SHORT, security_headers

pytestmark = pytest.mark.external("nginx")

NGINX = Path(os.environ.get("NGINX_PATH", "/usr/sbin/nginx"))
SNIPPET = ROOT / "deploy/nginx.conf"
PREFIX = "/ir/"
ALIAS = re.compile(r"^(\s*)alias\s+[^;]+;", re.MULTILINE)
LANGS = ("uz", "en")
TIMEOUT = 10  # seconds for nginx to start or stop, and for one request




def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


@dataclass
class Server:
    origin: str  # http://127.0.0.1:PORT
    site: Path  # the built folder that nginx serves at /ir/
    folder: Path  # nginx's prefix: its configuration and logs

    def url(self, path: str) -> str:
        return self.origin + path

    def log(self) -> str:
        path = self.folder / "error.log"
        return path.read_text(errors="replace") if path.exists() else ""


def nginx_conf(folder: Path, port: int, snippet: Path) -> str:
    temp = "\n".join(f"    {name}_temp_path {folder / ('temp_' + name)};"
                     for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    # Run as root (as in CI's container), nginx would start its workers as `nobody`,
    # who may not read the temporary folder; as anyone else it keeps the user.
    user = "user root;\n" if os.geteuid() == 0 else ""
    return f"""{user}daemon off;
pid {folder / 'nginx.pid'};
error_log {folder / 'error.log'};
events {{}}
http {{
    include /etc/nginx/mime.types;
    access_log off;
{temp}
    server {{
        listen 127.0.0.1:{port};
        root {folder / 'www'};
        include {snippet};
    }}
}}
"""


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    if not (NGINX.is_file() and os.access(NGINX, os.X_OK)):
        unavailable(f"nginx is not installed ({NGINX} missing): apt-get install nginx")
    folder = tmp_path_factory.mktemp("nginx")
    port = free_port()
    origin = f"http://127.0.0.1:{port}"
    site = folder / "site"
    built = subprocess.run([sys.executable, str(ROOT / "build.py"), "build", "--out", str(site),
                            "--base-url", origin + PREFIX, "--quiet"],
                           capture_output=True, text=True, timeout=900)
    assert built.returncode == 0, f"the build failed:\n{built.stdout}\n{built.stderr}"

    text = SNIPPET.read_text(encoding="utf-8")
    assert len(ALIAS.findall(text)) == 1, "deploy/nginx.conf must have exactly one `alias` line"
    snippet = folder / "site.conf"
    text = text.replace("include /srv/www/ir-site/", f"include {site}/")
    snippet.write_text(ALIAS.sub(lambda m: f"{m.group(1)}alias {site}/;", text), encoding="utf-8")
    (folder / "www").mkdir()
    conf = folder / "nginx.conf"
    conf.write_text(nginx_conf(folder, port, snippet), encoding="utf-8")

    command = [str(NGINX), "-p", str(folder), "-c", str(conf), "-e", str(folder / "error.log")]
    checked = subprocess.run([*command, "-t"], capture_output=True, text=True, timeout=TIMEOUT)
    assert checked.returncode == 0, f"nginx rejects the configuration:\n{checked.stderr}"
    with open(folder / "nginx.out", "wb") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + TIMEOUT
        while not answers(port):
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"nginx did not start (status {process.poll()}):\n"
                            f"{(folder / 'nginx.out').read_text(errors='replace')}\n"
                            f"{Server(origin, site, folder).log()}", pytrace=False)
            time.sleep(0.05)
        yield Server(origin, site, folder)
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)  # fast shutdown
            try:
                process.wait(timeout=TIMEOUT)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


# ---------------------------------------------------------------------------
# HTTP without following redirects: a redirect is an answer of its own
# ---------------------------------------------------------------------------

class _Keep(HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


OPENER = build_opener(_Keep)


@dataclass
class Answer:
    status: int
    headers: dict[str, str]  # lower-case names
    body: bytes

    @property
    def type(self) -> str:
        return self.headers.get("content-type", "").split(";")[0].strip().lower()


def fetch(url: str, **headers: str) -> Answer:
    parts = urlsplit(url)
    target = parts._replace(path=quote(parts.path, safe="/%:@!$&'()*+,;=-._~"),
                            query=quote(parts.query, safe="=&%+")).geturl()
    request = Request(target, headers={name.replace("_", "-"): value for name, value in headers.items()})
    try:
        with OPENER.open(request, timeout=TIMEOUT) as response:
            return Answer(response.status, {k.lower(): v for k, v in response.headers.items()}, response.read())
    except HTTPError as error:
        return Answer(error.code, {k.lower(): v for k, v in error.headers.items()}, error.read())


# ---------------------------------------------------------------------------
# The crawl
# ---------------------------------------------------------------------------

HTML_ATTRIBUTES = ("href", "src", "action", "poster", "data", "xlink:href")
CSS_URL = re.compile(r"""url\(\s*(['"]?)([^'")]+)\1\s*\)""")
ICS_URI = re.compile(r"^(?:URL|ATTACH|IMAGE)(?:;[^:]*)?:(.+)$", re.MULTILINE)
XML_STYLESHEET = re.compile(rb"<\?xml-stylesheet[^>]*\bhref=[\"']([^\"']+)")
XML_TEXT_LINKS = {"loc", "icon", "logo", "uri", "id"}  # elements whose text may be an address


def html_links(html: bytes | str) -> list[str]:
    page = soup(html)
    refs = []
    for tag in page.find_all(True):
        for name in HTML_ATTRIBUTES:
            if tag.get(name):
                refs.append(tag[name])
        for name in ("srcset", "imagesrcset"):
            if tag.get(name):
                refs += [part.strip().split()[0] for part in tag[name].split(",") if part.strip()]
        if tag.name == "meta" and tag.get("content", "").startswith(("http://", "https://")):
            refs.append(tag["content"])  # og:image, og:url, twitter:image
    return refs


def xml_links(data: bytes, url: str) -> list[tuple[str, str]]:
    """(link, base) pairs of a sitemap or an Atom feed, including the links in the
    HTML of feed entries (resolved against their xml:base)."""
    refs = [(m.decode(), url) for m in XML_STYLESHEET.findall(data)]
    root = ET.fromstring(data)
    for element in root.iter():
        local = element.tag.rsplit("}", 1)[-1]
        if element.get("href"):
            refs.append((element.get("href"), url))
        if local in XML_TEXT_LINKS and element.text and element.text.strip().startswith(("http://", "https://")):
            refs.append((element.text.strip(), url))
        if local in ("content", "summary") and element.get("type") == "html" and element.text:
            base = element.get("{http://www.w3.org/XML/1998/namespace}base") or url
            refs += [(ref, base) for ref in html_links(element.text)]
    return refs


def ics_links(data: bytes) -> list[str]:
    text = data.decode("utf-8").replace("\r\n", "\n").replace("\n ", "").replace("\n\t", "")
    return [value.strip() for value in ICS_URI.findall(text)]


@dataclass
class Crawl:
    answers: dict[str, Answer] = field(default_factory=dict)  # url -> answer
    linked_from: dict[str, str] = field(default_factory=dict)  # url -> the first page that links to it
    from_pages: set[str] = field(default_factory=set)  # urls linked from an HTML page

    def failures(self) -> list[str]:
        return [f"{answer.status} {url}  (linked from {self.linked_from.get(url, 'the start')})"
                for url, answer in sorted(self.answers.items()) if answer.status != 200]


@pytest.fixture(scope="module")
def crawl(server) -> Crawl:
    return crawl_site(server)


def crawl_site(server: Server) -> Crawl:
    """Everything reachable from /ir/, the sitemap and robots.txt on `server`."""
    result = Crawl()
    start = [server.url(PREFIX), server.url(PREFIX + "sitemap.xml"), server.url(PREFIX + "robots.txt")]
    queue = deque(start)
    seen = set(start)
    while queue:
        url = queue.popleft()
        answer = fetch(url)
        result.answers[url] = answer
        if answer.status != 200:
            continue
        kind = answer.type
        pairs: list[tuple[str, str]] = []
        if kind == "text/html":
            pairs = [(ref, url) for ref in html_links(answer.body)]
        elif kind == "text/css":
            pairs = [(m.group(2), url) for m in CSS_URL.finditer(answer.body.decode("utf-8"))]
        elif kind in ("text/xml", "application/xml", "application/atom+xml"):
            pairs = xml_links(answer.body, url)
        elif kind == "text/calendar":
            pairs = [(ref, url) for ref in ics_links(answer.body)]
        elif urlsplit(url).path.endswith("/robots.txt"):
            pairs = [(line.split(":", 1)[1].strip(), url) for line in answer.body.decode().splitlines()
                     if line.lower().startswith("sitemap:")]
        for ref, base in pairs:
            target = urldefrag(urljoin(base, ref.strip())).url
            parts = urlsplit(target)
            if parts.scheme not in ("http", "https") or f"{parts.scheme}://{parts.netloc}" != server.origin:
                continue  # another site, mailto:, tel:, data:
            if kind == "text/html":
                result.from_pages.add(target)
            if target not in seen:
                seen.add(target)
                result.linked_from[target] = url
                queue.append(target)
    return result


def site_file(path: str) -> str | None:
    """The file under the site folder that a path under /ir/ names ('/ir/uz/' -> 'uz/index.html')."""
    if not path.startswith(PREFIX):
        return None
    rel = unquote(path[len(PREFIX):])
    return rel + "index.html" if rel == "" or rel.endswith("/") else rel


@pytest.fixture(scope="module")
def config():
    loaded = load_config(ROOT, Diagnostics(ROOT))
    assert loaded is not None
    return loaded


# ---------------------------------------------------------------------------
# The tests
# ---------------------------------------------------------------------------

def test_every_link_answers_200(crawl):
    assert len(crawl.answers) > 100, f"the crawl found only {len(crawl.answers)} addresses"
    failures = crawl.failures()
    print("\n".join(failures))
    assert failures == [], f"{len(failures)} broken link(s):\n" + "\n".join(failures)


def test_every_link_stays_under_the_sub_path(crawl):
    outside = [f"{url}  (linked from {crawl.linked_from.get(url)})" for url in crawl.answers
               if not urlsplit(url).path.startswith(PREFIX)]
    assert outside == [], "links outside /ir/:\n" + "\n".join(outside)


def test_every_page_is_linked_from_another_page(server, crawl):
    linked = {site_file(urlsplit(url).path) for url in crawl.from_pages
              if crawl.answers.get(url) and crawl.answers[url].status == 200}
    linked.add("index.html")  # where the crawl starts: the address of the site itself
    pages = sorted(p.relative_to(server.site).as_posix() for p in server.site.rglob("*.html"))
    # the 404 pages are reached by missing addresses: see the next test
    orphans = [page for page in pages if page not in linked and not page.endswith("404.html")]
    sitemap_only = [page for page in orphans
                    if any(site_file(urlsplit(url).path) == page for url in crawl.answers)]
    assert orphans == [], ("pages no page links to:\n" + "\n".join(orphans)
                           + ("\n(of them, reached through the sitemap or a feed only:\n"
                              + "\n".join(sitemap_only) + ")" if sitemap_only else ""))


@pytest.mark.parametrize("path, page", [
    ("no-such-page/", "404.html"),
    ("en/no-such/", address.file(address.not_found("en"))),
    ("uz/no-such/", address.file(address.not_found("uz"))),
    ("en/news/no-such-item", address.file(address.not_found("en"))),
    ("assets/no-such.css", "404.html"),
])
def test_a_missing_address_answers_404_with_the_site_page(server, config, path, page):
    answer = fetch(server.url(PREFIX + path))
    assert answer.status == 404
    assert answer.type == "text/html"
    assert answer.body == (server.site / page).read_bytes(), f"{path} did not get {page}"
    title = soup(answer.body).title.get_text()
    assert title.endswith(config.title[page.split("/")[0] if "/" in page else config.default_language])
    assert answer.headers.get("cache-control") == SHORT
    for name, value in security_headers(config.embed_hosts):
        assert answer.headers.get(name.lower()) == value, name


def test_pages_carry_the_security_headers_and_short_caching(crawl, config):
    expected = security_headers(config.embed_hosts)
    wrong = []
    for url, answer in sorted(crawl.answers.items()):
        if answer.status != 200:
            continue
        for name, value in expected:
            if answer.headers.get(name.lower()) != value:
                wrong.append(f"{url}: {name}: {answer.headers.get(name.lower())!r}")
        if answer.type == "text/html" and answer.headers.get("cache-control") != SHORT:
            wrong.append(f"{url}: Cache-Control: {answer.headers.get('cache-control')!r}")
    assert wrong == [], "\n".join(wrong[:50])
    csp = dict(expected)["Content-Security-Policy"]
    assert "'unsafe-inline'" not in csp and "'unsafe-eval'" not in csp


def test_hashed_files_are_cached_for_a_year_and_the_others_briefly(server, crawl):
    assets = [url for url in crawl.answers if urlsplit(url).path.startswith(PREFIX + "assets/")]
    assert assets, "the crawl reached no asset"
    bundle = server.site / "pagefind"
    hashed = [next(bundle.glob("*.pf_meta")), next(bundle.glob("fragment/*")), next(bundle.glob("index/*"))]
    unhashed = [bundle / "pagefind.js", bundle / "pagefind-worker.js", bundle / "pagefind-entry.json",
                next(bundle.glob("wasm.*.pagefind"))]
    wrong = []
    for url in assets + [server.url(PREFIX + p.relative_to(server.site).as_posix()) for p in hashed]:
        answer = crawl.answers.get(url) or fetch(url)
        if (answer.status, answer.headers.get("cache-control")) != (200, IMMUTABLE):
            wrong.append(f"{url}: {answer.status} {answer.headers.get('cache-control')!r}")
    for url in [server.url(PREFIX + p.relative_to(server.site).as_posix()) for p in unhashed] + [
            server.url(PREFIX + "sitemap.xml"), address.absolute(address.feed("en"), server.origin + PREFIX)]:
        answer = fetch(url)
        if (answer.status, answer.headers.get("cache-control")) != (200, SHORT):
            wrong.append(f"{url}: {answer.status} {answer.headers.get('cache-control')!r}")
    assert wrong == [], "\n".join(wrong)


def test_pagefind_index_files_are_binary_and_sent_as_they_are(server):
    path = next((server.site / "pagefind/fragment").iterdir())
    answer = fetch(server.url(PREFIX + path.relative_to(server.site).as_posix()), Accept_Encoding="gzip")
    assert answer.status == 200
    assert answer.type == "application/octet-stream"
    assert "content-encoding" not in answer.headers  # compressed by Pagefind already
    assert answer.body == path.read_bytes()


def test_calendars_are_text_calendar(crawl):
    calendars = {url: answer for url, answer in crawl.answers.items() if urlsplit(url).path.endswith(".ics")}
    assert {address.file(address.calendar(lang)) for lang in LANGS} <= {site_file(urlsplit(u).path) for u in calendars}
    assert len(calendars) > len(LANGS), "no event's own .ics file was reached"
    wrong = [f"{url}: {answer.headers.get('content-type')}" for url, answer in calendars.items()
             if answer.type != "text/calendar" or "charset=utf-8" not in answer.headers.get("content-type", "")]
    assert wrong == [], "\n".join(wrong)


def test_feeds_and_sitemap_were_crawled(crawl):
    reached = {site_file(urlsplit(url).path) for url, answer in crawl.answers.items() if answer.status == 200}
    assert {"sitemap.xml", "robots.txt", *(address.file(address.feed(lang)) for lang in LANGS)} <= reached


def test_text_is_compressed(server, crawl):
    css = next(url for url in crawl.answers if url.endswith(".css"))
    base = server.origin + PREFIX
    for url in (address.absolute(address.home("en"), base), css, address.absolute(address.feed("en"), base)):
        answer = fetch(url, Accept_Encoding="gzip")
        assert answer.status == 200
        assert answer.headers.get("content-encoding") == "gzip", url
        assert "Accept-Encoding" in answer.headers.get("vary", ""), url
        assert gzip.decompress(answer.body) == fetch(url).body


@pytest.mark.parametrize("path, location", [
    ("/ir", "/ir/"),
    ("/ir/uz/news", "/ir/uz/news/"),
    ("/ir/en", "/ir/en/"),
])
def test_an_address_without_its_slash_redirects(server, path, location):
    answer = fetch(server.url(path))
    assert answer.status == 301
    assert answer.headers.get("location") == location


def test_attachments_are_served_with_their_type_in_each_language(server, crawl):
    """The Erasmus+ call links its application form: each language's page its own file."""
    forms = {url: answer for url, answer in crawl.answers.items() if urlsplit(url).path.endswith(".docx")}
    reached = {site_file(urlsplit(url).path) for url in forms}
    call = {lang: address.document(lang, "calls", "erasmus-icm-autumn-2027") for lang in LANGS}
    assert {address.file(address.attachment(call[lang], "erasmus-icm-application-form.docx"))
            for lang in LANGS} <= reached
    for url, answer in forms.items():
        assert answer.status == 200, url
        assert answer.type == "application/vnd.openxmlformats-officedocument.wordprocessingml.document", url
        lang = site_file(urlsplit(url).path).split("/")[0]
        source = ROOT / "content/calls" / f"erasmus-icm-application-form.{lang}.docx"
        assert answer.body == source.read_bytes(), f"{url} is not the {source.name} of its language"
