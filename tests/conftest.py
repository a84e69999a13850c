"""Shared helpers: tiny sites written into temporary folders, built in-process."""

from __future__ import annotations

import os
import shutil
import sys
import textwrap
import types
from pathlib import Path

import jinja2
import jinja2.bccache
import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sitegen import render  # noqa: E402
from sitegen.lib import urls  # noqa: E402
from sitegen.pipeline import run  # noqa: E402

# -- tiers and external tools --------------------------------------------------------
#
# A test that needs a program from outside Python says so with one marker,
# `@pytest.mark.external("nginx")` (or `pytestmark = ...` for a whole module). Without
# the program the test is skipped with the reason and the command that installs it;
# under CI (the variable CI set) it fails instead, since CI must run everything.
# External tests, and those marked `slow`, are left out of the fast tier:
#     .venv/bin/python -m pytest -m "not slow"

EXTERNAL = {  # name -> (what must exist: a path in the project or on the system, or a command; install)
    "chromium": ("/usr/bin/chromium", "apt-get install chromium"),
    "nginx": ("/usr/sbin/nginx", "apt-get install nginx"),
    "apache2": ("/usr/sbin/apache2", "apt-get install apache2"),
    "calcurse": ("calcurse", "apt-get install calcurse"),
    "java": ("java", "apt-get install default-jre-headless"),
    "axe": ("node_modules/axe-core/axe.min.js", "npm ci"),
    "vnu": ("node_modules/vnu-jar/build/dist/vnu.jar", "npm ci"),
}


def missing_tool(name: str) -> str | None:
    """Why the external tool `name` cannot be used here, or None when it can."""
    where, install = EXTERNAL[name]
    if "/" not in where:
        found = shutil.which(where) is not None
    else:
        path = Path(where) if where.startswith("/") else ROOT / where
        found = path.exists()
    return None if found else f"{name} is not installed ({where} missing): {install}"


def unavailable(reason: str):
    """Skip with `reason`, or fail when running in CI, where every test must run."""
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI is set, so this test must run)", pytrace=False)
    pytest.skip(reason)


def pytest_configure(config):
    config.addinivalue_line("markers", "external(*tools): needs programs from outside Python (see EXTERNAL in "
                                       "tests/conftest.py); skipped with the reason without them, failed under CI")
    config.addinivalue_line("markers", "slow: left out of the fast tier (pytest -m 'not slow')")


def pytest_collection_modifyitems(config, items):
    for item in items:
        if item.get_closest_marker("external") is not None:
            item.add_marker(pytest.mark.slow)


def pytest_runtest_setup(item):
    for mark in item.iter_markers("external"):
        for tool in mark.args:
            reason = missing_tool(tool)
            if reason:
                unavailable(reason)


# Every tiny site has its own copy of the templates, which Jinja would compile again
# for each of the hundreds of builds. Here they are compiled once per test process: a
# template's code is kept by name and source, and handed to another copy with its own
# file name put in, so that a template error still names the copy's file and line.
# (The engine's own cache, in each project's .cache/, is what the builds use otherwise.)

class _CompiledOnce(jinja2.FileSystemBytecodeCache):
    code: dict = {}  # (template name, source checksum) -> code object

    def get_bucket(self, environment, name, filename, source):
        checksum = self.get_source_checksum(source)
        bucket = jinja2.bccache.Bucket(environment, self.get_cache_key(name, filename), checksum)
        code = self.code.get((name, checksum))
        if code is not None and filename:
            bucket.code = _named(code, filename)
        else:
            self.load_bytecode(bucket)
        bucket.shared_key = (name, checksum)
        return bucket

    def set_bucket(self, bucket):
        if bucket.code is not None and hasattr(bucket, "shared_key"):
            self.code[bucket.shared_key] = bucket.code
        self.dump_bytecode(bucket)


def _named(code, filename: str):
    """`code`, and every function compiled in it, as if compiled from `filename`."""
    consts = tuple(_named(c, filename) if isinstance(c, types.CodeType) else c for c in code.co_consts)
    return code.replace(co_filename=filename, co_consts=consts)


jinja2.FileSystemBytecodeCache = _CompiledOnce


# The real templates and static files are used by the tiny sites too, so the
# tests exercise what ships.
SITE_YAML = """\
title:
  uz: "Sinov sayti"
  en: "Test site"
base_url: "https://example.org/"
default_language: uz
languages:
  - code: uz
    name: "Oʻzbekcha"
    locale: uz_Latn
  - code: en
    name: "English"
    locale: en
missing_translation: fallback
timezone: Asia/Tashkent
organisation: department
menu:
  - _index.md
  - news/_index.md
collections:
  partners:
    template: partner.html
home:
  figures:
    - {label: figure_partners, count: partners}
    - {label: figure_countries, count: partners, distinct: country}
    - {label: figure_projects, count: projects, without: end}
  lists:
    - {section: news, show: latest, limit: 3, title: latest_news, more: all_news}
"""

DEPARTMENT_YAML = """\
name: {uz: "Boʻlim", en: "Department"}
parent: {uz: "Institut", en: "Institute"}
head:
  name: ""
  role: {uz: "Boʻlim boshligʻi", en: "Head of department"}
office_hours: {days: daily, opens: "10:00", closes: "15:00"}
phone: "(+99871) 230-28-16"
email: ""
address: {uz: "Toshkent", en: "Tashkent"}
summary: {uz: "Qisqa", en: "Short"}
goals:
  - {uz: "Birinchi", en: "First"}
"""

PARTNERS_YAML = """\
- id: kaznua
  name: {uz: "Qozogʻiston milliy sanʼat universiteti", en: "Kazakh National University of Arts"}
  country: KZ
  city: {uz: "Astana", en: "Astana"}
  website: "https://kaznua.kz/"
  agreement: memorandum
"""

# A small schema, so the tiny sites' fields are checked the way the real site's are.
SCHEMA_YAML = """\
content:
  pages:
    section: ""
    new: page
  news:
    new: news
    fields:
      date: {type: date}
      partners: {type: refs, to: partners}
      projects: {type: refs, to: projects}
  projects:
    new: project
    fields:
      partners: {type: refs, to: partners}
      programme: {type: text}
      role: {type: choice, values: [participant, partner, coordinator]}
      start: {type: year}
      end: {type: year, after: start}
      link: {type: url}
data:
  department:
    kind: record
    fields:
      name: {type: translated, required: true}
      parent: {type: translated, required: true}
      head:
        type: record
        fields:
          name: {type: text}
          role: {type: translated}
      office_hours:
        type: record
        fields:
          days: {type: weekdays}
          opens: {type: time}
          closes: {type: time, after: opens}
      phone: {type: phone}
      email: {type: email}
      address: {type: translated}
      summary: {type: translated}
      goals: {type: list, items: translated}
  partners:
    kind: list
    new: partner
    fields:
      id: {type: id, required: true}
      name: {type: translated, required: true}
      country: {type: country, required: true}
      city: {type: translated}
      website: {type: url}
      agreement: {type: choice, values: [memorandum, cooperation-agreement]}
      signed: {type: date}
      valid_until: {type: date, expires: true, after: signed}
  tags:
    kind: map
    items: translated
"""

BASE_FILES = {
    "data/schema.yaml": SCHEMA_YAML,
    "data/site.yaml": SITE_YAML,
    "data/department.yaml": DEPARTMENT_YAML,
    "data/partners.yaml": PARTNERS_YAML,
    "data/tags.yaml": "memo: {uz: \"Memorandum\", en: \"Memorandum\"}\n",
    "content/_index.uz.md": "---\ntitle: \"Bosh sahifa\"\nsummary: \"Xush kelibsiz\"\n---\nSalom.\n",
    "content/_index.en.md": "---\ntitle: \"Home\"\nsummary: \"Welcome\"\n---\nHello.\n",
    "content/news/_index.uz.md": "---\ntitle: \"Yangiliklar\"\npaginate: 10\nfeed: true\n"
                                 "template: news\npage_template: news-item\n---\n",
    "content/news/_index.en.md": "---\ntitle: \"News\"\n---\n",
}


class SiteDir:
    """A project folder in tmp: files written with `write`, built with `build`."""

    def __init__(self, root: Path):
        self.root = root
        for name in ("templates", "static"):
            shutil.copytree(ROOT / name, root / name)
        (root / "data/strings").mkdir(parents=True)
        for code in ("uz", "en"):
            shutil.copy(ROOT / f"data/strings/{code}.yaml", root / f"data/strings/{code}.yaml")

    def write(self, rel: str, text: str) -> Path:
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text) if text.startswith("\n") else text, encoding="utf-8")
        return path

    def build(self, **kwargs):
        kwargs.setdefault("out", self.root / "site")
        return run(self.root, **kwargs)

    def html(self, rel: str) -> str:
        return (self.root / "site" / rel).read_text(encoding="utf-8")

    def soup(self, rel: str):
        """A built page, parsed with BeautifulSoup (html.parser)."""
        return soup(self.html(rel))


@pytest.fixture
def site(tmp_path: Path) -> SiteDir:
    """A tiny valid bilingual site: home, a news section, one partner."""
    s = SiteDir(tmp_path / "project")
    for rel, text in BASE_FILES.items():
        s.write(rel, text)
    return s


@pytest.fixture
def empty_site(tmp_path: Path) -> SiteDir:
    """Only templates, static files and UI strings: a test writes the rest."""
    return SiteDir(tmp_path / "project")


# ---------------------------------------------------------------------------
# Helpers shared by the test modules (additions; the API above is unchanged).
# ---------------------------------------------------------------------------

from xml.etree import ElementTree as ET  # noqa: E402

import yaml  # noqa: E402
from bs4 import BeautifulSoup  # noqa: E402

BASE = "https://example.org"
SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML_NS = "{http://www.w3.org/1999/xhtml}"


def soup(html) -> BeautifulSoup:
    if isinstance(html, bytes):
        html = html.decode("utf-8")
    return BeautifulSoup(html, "html.parser")


def messages(result, severity: str | None = None) -> list[str]:
    """Formatted diagnostics (`path:line: severity: message`), for assertion messages."""
    items = result.diagnostics.items
    return [d.format() for d in items if severity is None or d.severity == severity]


def errors(result) -> list:
    return list(result.diagnostics.errors)


def warnings(result) -> list:
    return list(result.diagnostics.warnings)


def find_diag(result, path: str, line: int | tuple | None = None, text: str = "",
              severity: str = "error"):
    """The diagnostic at `path` (and `line`, an int or a tuple of accepted lines) whose
    message contains `text`, or None."""
    lines = (line,) if isinstance(line, int) else line
    for d in result.diagnostics.items:
        if d.severity != severity or d.path != path:
            continue
        if lines is not None and d.line not in lines:
            continue
        if text and text.lower() not in d.message.lower():
            continue
        return d
    return None


def page_of(result, rel: str) -> BeautifulSoup:
    """A built HTML page from the in-memory result, parsed."""
    assert rel in result.files, f"{rel} was not built; built: {sorted(result.files)}"
    return soup(result.files[rel])


def html_files(result) -> list[str]:
    return sorted(name for name in result.files if name.endswith(".html"))


class Address:
    """Where a page of a tiny site lives, from the engine's own rules (sitegen/lib/urls.py), so
    that a test says which page it means rather than spelling its address. A few tests
    (tests/unit/test_paths.py, tests/site/test_real_site.py) keep literal addresses, to
    pin the URL scheme of the contract.

        address.document("uz", "news", "visit")  -> "/uz/news/visit/"
        address.file(address.record("en", "partners", "kaznua"))  -> "en/partners/kaznua/index.html"
        address.list_page(address.section("uz", "news"), 2)  -> "/uz/news/page/2/"
        address.href(address.home("uz"), "https://example.org/ir/")  -> "/ir/uz/"
    """

    home = staticmethod(urls.home_path)
    section = staticmethod(urls.section_path)
    document = staticmethod(urls.document_path)  # a page at the top of content/: document(lang, "", slug)
    record = staticmethod(urls.record_path)
    filter = staticmethod(urls.filter_path)  # (lang, collection, field, value)
    list_page = staticmethod(urls.later_page_path)  # (the list's first page, number)
    taxonomy = staticmethod(urls.taxonomy_path)  # (lang, taxonomy, term="")

    archive = staticmethod(urls.archive_path)
    search = staticmethod(urls.search_path)
    not_found = staticmethod(urls.not_found_path)
    feed = staticmethod(urls.feed_path)
    calendar = staticmethod(urls.calendar_feed_path)
    item_calendar = staticmethod(urls.item_calendar_path)  # (the item's page, slug)
    attachment = staticmethod(urls.attachment_path)  # (the document's page, file name)
    output = staticmethod(urls.output_path)  # (lang, file name)
    file = staticmethod(urls.Urls.output_file)

    @staticmethod
    def tag(lang: str, tag: str = "") -> str:
        """The tags page, or one tag's: the addresses of the taxonomy `tags`."""
        return urls.taxonomy_path(lang, "tags", tag)

    @staticmethod
    def href(site_path: str, base_url: str = BASE + "/") -> str:
        """The link to a site path on a site at `base_url` ('/ir/uz/' under https://example.org/ir/)."""
        return urls.Urls(base_url).href(site_path)

    @staticmethod
    def absolute(site_path: str, base_url: str = BASE + "/") -> str:
        """The absolute URL of a site path on a site at `base_url`."""
        return urls.Urls(base_url).absolute(site_path)


address = Address()


def url_to_file(path: str) -> str:
    """'/uz/news/x/' -> 'uz/news/x/index.html' (a site path, no base path)."""
    return urls.Urls.output_file(path.split("#", 1)[0].split("?", 1)[0])


def sitemap_entries(data: bytes) -> dict[str, dict[str, str]]:
    """loc -> {hreflang: href} from a sitemap."""
    root = ET.fromstring(data)
    assert root.tag == SITEMAP_NS + "urlset"
    out = {}
    for url in root.findall(SITEMAP_NS + "url"):
        loc = url.find(SITEMAP_NS + "loc").text.strip()
        out[loc] = {link.get("hreflang"): link.get("href") for link in url.findall(XHTML_NS + "link")
                    if link.get("rel") == "alternate"}
    return out


def alternates(page: BeautifulSoup) -> dict[str, str]:
    """hreflang -> href of <link rel=alternate hreflang> in the head."""
    return {link["hreflang"]: link["href"] for link in page.find_all("link", hreflang=True)
            if "alternate" in (link.get("rel") or [])}


def canonical(page: BeautifulSoup) -> str | None:
    link = page.find("link", rel="canonical")
    return link["href"] if link else None


def switcher_links(page: BeautifulSoup) -> dict[str, str]:
    """The language switcher: lang -> href of links carrying both lang and hreflang."""
    return {a["hreflang"]: a["href"] for a in page.find_all("a", href=True, hreflang=True)
            if a.get("lang") == a["hreflang"]}


def switcher_languages(page: BeautifulSoup) -> set[str]:
    """Every language named in the switcher (links and the current language)."""
    links = [a for a in page.find_all("a", href=True, hreflang=True) if a.get("lang") == a["hreflang"]]
    assert links, "no language switcher links (a[hreflang][lang]) found"
    container = links[0].find_parent(["nav", "ul", "div"]) or links[0].parent
    return {el["lang"] for el in container.find_all(attrs={"lang": True})}


def visible_text(page: BeautifulSoup) -> str:
    for tag in page(["script", "style", "template"]):
        tag.decompose()
    return " ".join(page.get_text(" ").split())


def ui_strings(lang: str) -> dict:
    """The shipped site's UI strings in `lang`: the theme's, with the site's own over them."""
    return {**yaml.safe_load((ROOT / f"templates/strings/{lang}.yaml").read_text(encoding="utf-8")),
            **yaml.safe_load((ROOT / f"data/strings/{lang}.yaml").read_text(encoding="utf-8"))}


def news(lang: str, title: str, date: str | None = None, body: str = "Matn.\n", **fields) -> str:
    """A news file's text: front matter with title, date and any extra fields, then the body."""
    lines = ["---", f'title: "{title}"']
    if date:
        lines.append(f"date: {date}")
    for name, value in fields.items():
        lines.append(f"{name}: {value}")
    lines.append("---")
    return "\n".join(lines) + "\n" + body


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file below `folder` (relative posix path -> bytes), except the work a
    project keeps between builds in .cache/, which is not part of it."""
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*"))
            if p.is_file() and p.relative_to(folder).parts[0] != ".cache"}



def broken_links(result) -> list[tuple[str, str]]:
    """(page, link) for every root-relative href/src in the built HTML that names no built file."""
    broken = []
    for name in html_files(result):
        page = page_of(result, name)
        refs = [el["href"] for el in page.find_all(["a", "link"], href=True)]
        refs += [el["src"] for el in page.find_all(src=True)]
        for ref in refs:
            if ref.startswith("/") and not ref.startswith("//") and url_to_file(ref) not in result.files:
                broken.append((name, ref))
    return broken


SEARCH_ON = "search: true\n"


@pytest.fixture
def searchable(site):
    """The tiny site with search on and one news item in each language."""
    site.write("data/site.yaml", site.root.joinpath("data/site.yaml").read_text() + SEARCH_ON)
    site.write("content/news/memo.uz.md", news("uz", "Memorandum imzolandi", "2025-11-17",
                                               body="Qozogʻiston milliy sanʼat universiteti bilan.\n"))
    site.write("content/news/memo.en.md", news("en", "Memorandum signed", "2025-11-17",
                                               body="With the Kazakh National University of Arts.\n"))
    return site


@pytest.fixture
def counted(monkeypatch):
    """(rendered, taken from the previous output) for each build, in order."""
    counts = []
    original = render.Renderer.render_pages

    def render_and_count(self, workers=1):
        out = original(self, workers)
        counts.append((len(self.rendered), len(self.reused)))
        return out

    monkeypatch.setattr(render.Renderer, "render_pages", render_and_count)
    return counts


@pytest.fixture
def failing_pagefind(monkeypatch, tmp_path):
    """Call it to put a Pagefind in place that fails with 'cannot index: disk full'
    (once the file `wait_for` exists, if given)."""
    def install(wait_for: Path | None = None):
        import sitegen.search

        fake = tmp_path / "pagefind"
        wait = f"while [ ! -e '{wait_for}' ]; do sleep 0.01; done\n" if wait_for else ""
        fake.write_text(f"#!/bin/sh\n{wait}echo 'cannot index: disk full' >&2\nexit 3\n")
        fake.chmod(0o755)
        monkeypatch.setattr(sitegen.search, "pagefind_executable", lambda: fake)
        return fake
    return install
