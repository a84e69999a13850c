"""Every output the SPEC promises, checked on a tiny bilingual site."""

from __future__ import annotations

import re

import feedparser
import pytest

from conftest import (broken_links, BASE, address, alternates, canonical, errors, find_diag, html_files, messages, news,
                      page_of, sitemap_entries, soup, switcher_links, url_to_file, visible_text)

pytestmark = pytest.mark.slow  # left out of the fast tier (see tests/conftest.py)

HASHED_CSS = re.compile(r"^assets/css/site\.[0-9a-f]{8,}\.css$")
LANGS = ("uz", "en")
HOME = {lang: address.home(lang) for lang in LANGS}
NEWS = {lang: address.section(lang, "news") for lang in LANGS}
FIRST = {lang: address.document(lang, "news", "first") for lang in LANGS}
SECOND = {lang: address.document(lang, "news", "second") for lang in LANGS}
THIRD = {lang: address.document(lang, "news", "third") for lang in LANGS}
SECRET = {lang: address.document(lang, "news", "secret") for lang in LANGS}
UZDOC = {lang: address.document(lang, "projects", "uzdoc") for lang in LANGS}
KAZNUA = {lang: address.record(lang, "partners", "kaznua") for lang in LANGS}
MEMO = {lang: address.tag(lang, "memo") for lang in LANGS}


def populate(site) -> None:
    """Three dated news items in both languages, a project, tags and a partner reference."""
    site.write("content/news/first.uz.md", news("uz", "Birinchi yangilik", "2025-06-12", tags="[memo]",
                                                partners="[kaznua]", projects="[uzdoc]",
                                                summary='"Birinchi qisqacha"'))
    site.write("content/news/first.en.md", news("en", "First news", summary='"First summary"', body="Text.\n"))
    site.write("content/news/second.uz.md", news("uz", "Ikkinchi yangilik", "2025-07-01"))
    site.write("content/news/second.en.md", news("en", "Second news", body="Text two.\n"))
    site.write("content/news/third.uz.md", news("uz", "Uchinchi yangilik", "2025-05-02", tags="[memo]"))
    site.write("content/news/third.en.md", news("en", "Third news", body="Text three.\n"))
    site.write("content/projects/_index.uz.md", '---\ntitle: "Loyihalar"\ntemplate: projects\n'
                                                'page_template: project\n---\n')
    site.write("content/projects/_index.en.md", '---\ntitle: "Projects"\n---\n')
    site.write("content/projects/uzdoc.uz.md", '---\ntitle: "UzDOC 2.0"\nprogramme: "Erasmus+"\n'
                                               'start: 2016\n---\nLoyiha.\n')
    site.write("content/projects/uzdoc.en.md", '---\ntitle: "UzDOC 2.0"\n---\nProject.\n')


@pytest.fixture
def built(site):
    populate(site)
    result = site.build()
    assert errors(result) == [], messages(result)
    assert result.written
    return result


def lang_pages(result) -> list[str]:
    """Every HTML page under /uz/ and /en/ except the 404 pages."""
    return [n for n in html_files(result) if n.split("/")[0] in ("uz", "en") and not n.endswith("404.html")]


def site_path(name: str) -> str:
    """'uz/news/x/index.html' -> '/uz/news/x/'."""
    return "/" + name[: -len("index.html")] if name.endswith("index.html") else "/" + name


# -- landing page and pretty URLs -------------------------------------------

def test_landing_page_refreshes_to_default_language_and_links_every_language(built):
    page = page_of(built, "index.html")
    refresh = page.find("meta", attrs={"http-equiv": re.compile("^refresh$", re.I)})
    assert refresh is not None, "the landing page must redirect without JavaScript"
    content = refresh["content"].replace(" ", "")
    assert re.fullmatch(r"\d+;url=" + re.escape(HOME["uz"]), content, re.I), refresh["content"]
    links = {a["hreflang"]: a["href"] for a in page.find_all("a", href=True, hreflang=True)}
    assert links.get("uz") == HOME["uz"]
    assert links.get("en") == HOME["en"]


def test_pretty_urls_for_every_document(built):
    for name in map(address.file, (*HOME.values(), *NEWS.values(), *FIRST.values(), *UZDOC.values(),
                                   *KAZNUA.values())):
        assert name in built.files, name
        assert (built.written and (built.files[name] == (built.site.config.root / "site" / name).read_bytes()))
    assert not any(n.endswith((".md", "first.html")) for n in built.files)


# -- the head of every page --------------------------------------------------

def test_every_html_page_has_lang_title_description_and_absolute_canonical(built):
    names = html_files(built)
    assert len(names) > 10
    for name in names:
        page = page_of(built, name)
        assert page.html is not None and page.html.get("lang") in ("uz", "en"), name
        title = page.find("title")
        assert title is not None and title.get_text(strip=True), name
        desc = page.find("meta", attrs={"name": "description"})
        assert desc is not None and desc.get("content", "").strip(), name
        canon = canonical(page)
        assert canon and canon.startswith(BASE + "/"), (name, canon)


def test_lang_attribute_matches_the_folder(built):
    for name in lang_pages(built):
        assert page_of(built, name).html["lang"] == name.split("/")[0], name


def test_canonical_is_the_page_itself(built):
    for name in lang_pages(built):
        assert canonical(page_of(built, name)) == BASE + site_path(name), name


def test_hreflang_alternates_for_each_translation_and_x_default(built):
    for name in lang_pages(built):
        page = page_of(built, name)
        alts = alternates(page)
        rest = site_path(name)[3:]  # '/uz/news/x/' -> 'news/x/'
        assert alts.get("uz") == f"{BASE}/uz{rest if rest.startswith('/') else '/' + rest}", (name, alts)
        assert alts.get("en") == f"{BASE}/en{rest if rest.startswith('/') else '/' + rest}", (name, alts)
        assert alts.get("x-default") == alts["uz"], (name, alts)
        assert set(alts) == {"uz", "en", "x-default"}, (name, alts)


def test_language_switcher_points_at_the_same_page_in_the_other_language(built):
    for name in lang_pages(built):
        lang = name.split("/")[0]
        other = "en" if lang == "uz" else "uz"
        links = switcher_links(page_of(built, name))
        expected = "/" + other + site_path(name)[3:]
        assert links.get(other) == expected, (name, links)
        assert url_to_file(links[other]) in built.files


def test_titles_and_descriptions_are_per_language(built):
    uz = page_of(built, address.file(FIRST["uz"]))
    en = page_of(built, address.file(FIRST["en"]))
    assert "Birinchi yangilik" in uz.title.get_text()
    assert "First news" in en.title.get_text()
    assert uz.find("meta", attrs={"name": "description"})["content"] == "Birinchi qisqacha"
    assert en.find("meta", attrs={"name": "description"})["content"] == "First summary"


# -- sitemap and robots ------------------------------------------------------

def test_sitemap_lists_every_page_with_alternates_and_no_404(built):
    entries = sitemap_entries(built.files["sitemap.xml"])
    expected = {BASE + site_path(n) for n in lang_pages(built)}
    assert expected <= set(entries), sorted(expected - set(entries))
    for loc, alts in entries.items():
        assert loc.startswith(BASE + "/"), loc
        assert "404" not in loc, loc
        assert url_to_file(loc[len(BASE):]) in built.files, loc
        assert set(alts) == {"uz", "en", "x-default"}, (loc, alts)
        assert loc in alts.values(), (loc, alts)
        for href in alts.values():
            assert href.startswith(BASE + "/") and url_to_file(href[len(BASE):]) in built.files, href


def test_robots_txt_names_the_absolute_sitemap(built):
    text = built.files["robots.txt"].decode("utf-8")
    assert re.search(r"^Sitemap:\s*https://example\.org/sitemap\.xml\s*$", text, re.M | re.I), text


# -- feeds -------------------------------------------------------------------

@pytest.mark.parametrize("lang", ["uz", "en"])
def test_atom_feed_is_valid_newest_first_with_absolute_links(built, lang):
    data = built.files.get(address.file(address.feed(lang)))
    assert data is not None, "no feed"
    feed = feedparser.parse(data)
    assert feed.bozo == 0, feed.get("bozo_exception")
    assert feed.version == "atom10"
    slugs = [e.link for e in feed.entries]
    assert slugs == [BASE + SECOND[lang], BASE + FIRST[lang], BASE + THIRD[lang]]
    published = [e.published_parsed for e in feed.entries]
    assert published == sorted(published, reverse=True)
    titles = [e.title for e in feed.entries]
    assert titles[1] == ("Birinchi yangilik" if lang == "uz" else "First news")


def test_pages_link_to_their_feed(built):
    page = page_of(built, address.file(HOME["en"]))
    link = page.find("link", attrs={"type": "application/atom+xml"})
    assert link is not None and link["href"] == address.feed("en")


# -- 404 pages ---------------------------------------------------------------

def test_404_pages_exist_at_root_and_per_language(built):
    for name in ("404.html", *(address.file(address.not_found(lang)) for lang in LANGS)):
        assert name in built.files, name
    assert page_of(built, address.file(address.not_found("uz"))).html["lang"] == "uz"
    assert page_of(built, address.file(address.not_found("en"))).html["lang"] == "en"
    en_text = visible_text(page_of(built, address.file(address.not_found("en"))))
    assert "Page not found" in en_text


# -- assets ------------------------------------------------------------------

def test_css_has_content_hashed_name_and_pages_use_it(built):
    css = [n for n in built.files if HASHED_CSS.match(n)]
    assert len(css) == 1, sorted(built.files)
    for name in html_files(built):
        sheets = [link["href"] for link in page_of(built, name).find_all("link", rel="stylesheet")]
        assert "/" + css[0] in sheets, (name, sheets)
        assert all(re.fullmatch(r"/assets/.+\.[0-9a-f]{8,}\.css", href) for href in sheets), (name, sheets)
    assert "assets/css/site.css" not in built.files and "css/site.css" not in built.files


def test_css_hash_changes_when_the_css_changes(site):
    populate(site)
    first = site.build()
    before = [n for n in first.files if HASHED_CSS.match(n)]
    css = site.root / "static/css/site.css"
    css.write_text(css.read_text(encoding="utf-8") + "\n.test-marker { color: red; }\n", encoding="utf-8")
    second = site.build()
    after = [n for n in second.files if HASHED_CSS.match(n)]
    assert len(before) == len(after) == 1
    assert before != after
    assert b".test-marker" in second.files[after[0]]
    assert before[0] not in second.files
    assert ("/" + after[0]) in site.html(address.file(HOME["uz"]))


def test_nothing_is_loaded_from_another_host(built):
    external = re.compile(r"^(?:[a-z][a-z0-9+.-]*:)?//", re.I)
    for name in html_files(built):
        page = page_of(built, name)
        refs = [s["src"] for s in page.find_all(["script", "img", "iframe", "source", "audio", "video"], src=True)]
        refs += [link["href"] for link in page.find_all("link", href=True)
                 if set(link.get("rel") or []) & {"stylesheet", "icon", "preload", "modulepreload", "manifest",
                                                  "apple-touch-icon", "prefetch"}]
        refs += [s.get("srcset", "") for s in page.find_all(srcset=True)]
        for ref in refs:
            assert not external.match(ref), (name, ref)
            assert ref.startswith("/") and url_to_file(ref) in built.files, (name, ref)
        for style in page.find_all("style"):
            assert not re.search(r"url\(\s*['\"]?(?:https?:)?//|@import", style.get_text()), name
    for name, data in built.files.items():
        if name.endswith(".css"):
            text = data.decode("utf-8")
            assert not re.search(r"url\(\s*['\"]?(?:https?:)?//", text), name
            assert not re.search(r"@import\s+(url\()?['\"]?(?:https?:)?//", text), name


# -- dates, numbers, countries ----------------------------------------------

def test_dates_are_formatted_per_language(built):
    uz = page_of(built, address.file(FIRST["uz"]))
    en = page_of(built, address.file(FIRST["en"]))
    assert "12-iyun, 2025" in visible_text(uz)
    assert "12 June 2025" in visible_text(en)
    assert "12-iyun, 2025" not in visible_text(page_of(built, address.file(FIRST["en"])))


def test_country_names_come_from_cldr_on_partner_pages(built):
    assert "Qozogʻiston" in visible_text(page_of(built, address.file(KAZNUA["uz"])))
    assert "Kazakhstan" in visible_text(page_of(built, address.file(KAZNUA["en"])))
    assert "Kazakhstan" not in visible_text(page_of(built, address.file(KAZNUA["uz"])))


def test_phone_is_a_tel_link(built):
    page = page_of(built, address.file(HOME["en"]))
    assert page.find("a", href="tel:+998712302816") is not None


# -- drafts ------------------------------------------------------------------

def _draft_site(site):
    populate(site)
    site.write("content/news/secret.uz.md", news("uz", "Maxfiy", "2025-08-01", draft="true", tags="[memo]",
                                                 partners="[kaznua]"))
    site.write("content/news/secret.en.md", news("en", "Secret", body="Hidden.\n"))


def test_drafts_are_left_out(site):
    _draft_site(site)
    result = site.build()
    assert errors(result) == [], messages(result)
    assert not any("secret" in name for name in result.files), sorted(result.files)
    for lang in LANGS:
        for name in map(address.file, (NEWS[lang], HOME[lang], MEMO[lang], KAZNUA[lang])):
            hrefs = [a["href"] for a in page_of(result, name).find_all("a", href=True)]
            assert not any("secret" in h for h in hrefs), (name, hrefs)
        assert b"secret" not in result.files[address.file(address.feed(lang))]
        assert "Maxfiy" not in result.files[address.file(address.feed(lang))].decode()
    assert b"secret" not in result.files["sitemap.xml"]


def test_drafts_are_built_with_drafts_true(site):
    _draft_site(site)
    result = site.build(drafts=True)
    assert errors(result) == [], messages(result)
    assert address.file(SECRET["uz"]) in result.files
    assert address.file(SECRET["en"]) in result.files
    hrefs = [a["href"] for a in page_of(result, address.file(NEWS["uz"])).find_all("a", href=True)]
    assert SECRET["uz"] in hrefs
    assert SECRET["uz"].encode() in result.files[address.file(address.feed("uz"))]
    assert SECRET["en"].encode() in result.files["sitemap.xml"]


# -- pagination --------------------------------------------------------------

@pytest.fixture
def paged(site):
    for n in range(1, 26):
        day = f"2025-03-{n:02d}"
        site.write(f"content/news/item-{n:02d}.uz.md", news("uz", f"Yangilik {n}", day))
        site.write(f"content/news/item-{n:02d}.en.md", news("en", f"News {n}", body=f"Text {n}.\n"))
    result = site.build()
    assert errors(result) == [], messages(result)
    return result


def _items(page, lang):
    items = {address.document(lang, "news", f"item-{n:02d}"): n for n in range(1, 26)}
    found = []
    for a in page.find_all("a", href=True):
        n = items.get(a["href"])
        if n and n not in found:
            found.append(n)
    return found


def _rel(page, rel):
    return {el["href"] for el in page.find_all(["a", "link"], href=True) if rel in (el.get("rel") or [])}


@pytest.mark.parametrize("lang", ["uz", "en"])
def test_pagination_splits_25_items_into_10_10_5_newest_first(paged, lang):
    p1 = page_of(paged, address.file(NEWS[lang]))
    p2 = page_of(paged, address.file(address.list_page(NEWS[lang], 2)))
    p3 = page_of(paged, address.file(address.list_page(NEWS[lang], 3)))
    assert address.file(address.list_page(NEWS[lang], 4)) not in paged.files
    assert address.file(address.list_page(NEWS[lang], 1)) not in paged.files
    assert _items(p1, lang) == list(range(25, 15, -1))
    assert _items(p2, lang) == list(range(15, 5, -1))
    assert _items(p3, lang) == list(range(5, 0, -1))


def test_pagination_prev_next_links(paged):
    page2, page3 = address.list_page(NEWS["uz"], 2), address.list_page(NEWS["uz"], 3)
    p1 = page_of(paged, address.file(NEWS["uz"]))
    p2 = page_of(paged, address.file(page2))
    p3 = page_of(paged, address.file(page3))
    assert _rel(p1, "prev") == set() and _rel(p1, "next") == {page2}
    assert _rel(p2, "prev") == {NEWS["uz"]} and _rel(p2, "next") == {page3}
    assert _rel(p3, "prev") == {page2} and _rel(p3, "next") == set()


def test_pagination_switcher_and_canonical_keep_the_page_number(paged):
    p2 = page_of(paged, address.file(address.list_page(NEWS["uz"], 2)))
    assert switcher_links(p2).get("en") == address.list_page(NEWS["en"], 2)
    assert canonical(p2) == BASE + address.list_page(NEWS["uz"], 2)
    assert alternates(p2).get("en") == BASE + address.list_page(NEWS["en"], 2)
    en3 = page_of(paged, address.file(address.list_page(NEWS["en"], 3)))
    assert switcher_links(en3).get("uz") == address.list_page(NEWS["uz"], 3)


# -- tags and cross-references -----------------------------------------------

def test_tag_page_lists_tagged_items_only(built):
    for lang in LANGS:
        hrefs = {a["href"] for a in page_of(built, address.file(MEMO[lang])).find_all("a", href=True)}
        assert FIRST[lang] in hrefs
        assert THIRD[lang] in hrefs
        assert SECOND[lang] not in hrefs
    tags = page_of(built, address.file(address.tag("en")))
    assert tags.find("a", href=MEMO["en"]) is not None


def test_partner_page_lists_news_that_mention_it(built):
    for lang in LANGS:
        hrefs = {a["href"] for a in page_of(built, address.file(KAZNUA[lang])).find_all("a", href=True)}
        assert FIRST[lang] in hrefs
        assert SECOND[lang] not in hrefs


def test_news_item_links_to_its_partners_projects_and_tags(built):
    for lang in LANGS:
        page = page_of(built, address.file(FIRST[lang]))
        hrefs = {a["href"] for a in page.find_all("a", href=True)}
        assert KAZNUA[lang] in hrefs
        assert UZDOC[lang] in hrefs
        assert MEMO[lang] in hrefs
    en_text = visible_text(page_of(built, address.file(FIRST["en"])))
    assert "Kazakh National University of Arts" in en_text
    project = page_of(built, address.file(UZDOC["en"]))
    assert project.find("a", href=FIRST["en"]) is not None


def test_tag_without_a_label_is_reported_with_its_line(site):
    site.write("content/news/x.uz.md", news("uz", "X", "2025-01-01", tags="[memx]"))
    site.write("content/news/x.en.md", news("en", "X"))
    result = site.build()
    assert (find_diag(result, "content/news/x.uz.md", 4, "memx", severity="warning")
            or find_diag(result, "content/news/x.uz.md", 4, "memx")), messages(result)


def test_home_lists_latest_news(built):
    hrefs = [a["href"] for a in page_of(built, address.file(HOME["en"])).find_all("a", href=True)
             if a["href"].startswith(NEWS["en"]) and a["href"] != NEWS["en"]]
    assert hrefs[:1] == [SECOND["en"]]


def test_output_is_bytes_of_utf8_html(built):
    for name in html_files(built):
        text = built.files[name].decode("utf-8")
        assert text.lstrip().lower().startswith("<!doctype html>"), name
    assert soup(built.files[address.file(HOME["uz"])]).find("meta", charset=True)["charset"].lower() == "utf-8"


def test_every_internal_link_resolves(built):
    assert broken_links(built) == []
