"""The shipped site: the repository's own content/, data/, templates/ and static/."""

from __future__ import annotations

import re

import feedparser
import pytest
import yaml
from babel import Locale

from conftest import broken_links, ROOT, html_files, messages, page_of, snapshot, soup, url_to_file, visible_text
from sitegen.pipeline import run

LANGS = ("uz", "en")
LOCALES = {"uz": "uz_Latn", "en": "en"}
# The department's page lists seven Russian names but counts 15 institutions in all; two of
# the names are one institution (the St Petersburg State Academy of Theatre Arts, renamed the
# Russian State Institute of Performing Arts), listed once with its former name. See README.
COUNTRY_COUNTS = {"RU": 6, "KZ": 3, "AZ": 1, "KR": 2, "LV": 1, "BY": 1, "TJ": 1}
PARTNER_LINK = re.compile(r"^/(uz|en)/partners/([a-z0-9-]+)/$")


@pytest.fixture(scope="module")
def real(tmp_path_factory):
    out = tmp_path_factory.mktemp("real") / "site"
    result = run(ROOT, out=out)
    result.out = out
    return result


def test_real_site_builds_without_errors_or_warnings(real):
    assert messages(real) == []
    assert real.written
    assert snapshot(real.out) == real.files


def test_real_site_build_is_deterministic(real, tmp_path):
    again = run(ROOT, out=tmp_path / "site")
    assert sorted(again.files) == sorted(real.files)
    assert [n for n in real.files if real.files[n] != again.files[n]] == []
    if real.written and again.written:
        assert snapshot(tmp_path / "site") == snapshot(real.out)


# -- the partners page -------------------------------------------------------

def _partner_links(node, lang):
    ids = []
    for a in node.find_all("a", href=True):
        m = PARTNER_LINK.match(a["href"])
        if m and m.group(1) == lang and m.group(2) not in ids:
            ids.append(m.group(2))
    return ids


def _country_groups(real, lang):
    """Country name -> (heading text, partner ids listed under it) on the partners page."""
    page = page_of(real, f"{lang}/partners/index.html")
    main = page.find("main") or page
    territories = Locale.parse(LOCALES[lang]).territories
    groups = {}
    for code in COUNTRY_COUNTS:
        name = territories[code]
        headings = [h for h in main.find_all(re.compile(r"^h[1-6]$")) if name in h.get_text()]
        assert headings, f"no heading for {name} on the {lang} partners page"
        heading = headings[0]
        group = heading.find_parent("section") or heading.parent
        groups[code] = (" ".join(heading.get_text(" ").split()), _partner_links(group, lang))
    return main, groups


@pytest.mark.parametrize("lang", LANGS)
def test_partners_page_shows_15_partners_in_7_countries(real, lang):
    main, groups = _country_groups(real, lang)
    ids = _partner_links(main, lang)
    assert len(ids) == 15, ids
    assert len(groups) == 7
    listed = [pid for _, members in groups.values() for pid in members]
    assert sorted(listed) == sorted(ids), "every partner is listed under exactly one country"
    for code, (heading, members) in groups.items():
        # the count shown next to the country is the number of partners listed under it
        assert re.search(rf"\b{len(members)}\b", heading), (code, heading, members)


@pytest.mark.parametrize("lang", LANGS)
def test_partners_page_country_counts_match_the_department(real, lang):
    _, groups = _country_groups(real, lang)
    shown = {code: len(members) for code, (_, members) in groups.items()}
    assert shown == COUNTRY_COUNTS


@pytest.mark.parametrize("lang", LANGS)
def test_every_partner_has_a_page_with_its_country(real, lang):
    records = yaml.safe_load((ROOT / "data/partners.yaml").read_text(encoding="utf-8"))
    assert len(records) == 15
    assert {r["country"] for r in records} == set(COUNTRY_COUNTS)
    territories = Locale.parse(LOCALES[lang]).territories
    for record in records:
        page = page_of(real, f"{lang}/partners/{record['id']}/index.html")
        text = visible_text(page)
        assert record["name"][lang] in text
        assert territories[record["country"]] in text


@pytest.mark.parametrize("lang", LANGS)
def test_home_page_shows_key_figures(real, lang):
    page = page_of(real, f"{lang}/index.html")
    main = page.find("main") or page
    leaves = {el.get_text(strip=True) for el in main.find_all(True) if not el.find(True)}
    assert "15" in leaves and "7" in leaves, sorted(leaves)[:50]


# -- news --------------------------------------------------------------------

def _news_list(real, lang):
    items, name = [], f"{lang}/news/index.html"
    seen = set()
    while name and name not in seen:
        seen.add(name)
        page = page_of(real, name)
        main = page.find("main") or page
        for a in main.find_all("a", href=True):
            m = re.fullmatch(rf"/{lang}/news/([a-z0-9-]+)/", a["href"])
            if m and m.group(1) != "page" and m.group(1) not in items:
                items.append(m.group(1))
        nxt = [el["href"] for el in page.find_all(["a", "link"], href=True) if "next" in (el.get("rel") or [])]
        name = url_to_file(nxt[0]) if nxt else None
    return items


KAZNUA = "kaznua-memorandum"


@pytest.mark.parametrize("lang", LANGS)
def test_news_list_has_at_least_six_items_newest_first(real, lang):
    items = _news_list(real, lang)
    assert len(items) >= 6, items
    assert items[0] == KAZNUA
    title = page_of(real, f"{lang}/news/{KAZNUA}/index.html").find("h1").get_text()
    assert ("Kazakh National University of Arts" if lang == "en" else "Qozogʻiston milliy sanʼat universiteti") in title


@pytest.mark.parametrize("lang", LANGS)
def test_feed_holds_news_events_and_calls_newest_first(real, lang):
    assert f"{lang}/feed.xml" in real.files, "the SPEC requires /<lang>/feed.xml"
    feed = feedparser.parse(real.files[f"{lang}/feed.xml"])
    assert feed.bozo == 0, feed.get("bozo_exception")
    links = [e.link for e in feed.entries]
    news = [link for link in links if f"/{lang}/news/" in link]
    assert len(news) >= 6 and news[0] == f"https://ir.dsmi.uz/{lang}/news/{KAZNUA}/"
    assert any(f"/{lang}/events/" in link for link in links) and any(f"/{lang}/calls/" in link for link in links)
    dates = [e.published_parsed for e in feed.entries]
    assert dates == sorted(dates, reverse=True)


@pytest.mark.parametrize("lang", LANGS)
def test_kaznua_news_links_to_its_partner(real, lang):
    page = page_of(real, f"{lang}/news/{KAZNUA}/index.html")
    assert page.find("a", href=f"/{lang}/partners/kaznua/") is not None
    partner = page_of(real, f"{lang}/partners/kaznua/index.html")
    assert partner.find("a", href=f"/{lang}/news/{KAZNUA}/") is not None


# -- about and contacts ------------------------------------------------------

@pytest.mark.parametrize("lang", LANGS)
def test_about_page_lists_ten_goals(real, lang):
    department = yaml.safe_load((ROOT / "data/department.yaml").read_text(encoding="utf-8"))
    goals = [g[lang] for g in department["goals"]]
    assert len(goals) == 10
    page = page_of(real, f"{lang}/about/index.html")
    first = page.find(string=re.compile(re.escape(goals[0][:40])))
    assert first is not None
    listing = first.find_parent(["ol", "ul"])
    assert listing is not None
    items = [" ".join(li.get_text(" ").split()) for li in listing.find_all("li", recursive=False)]
    assert items == goals


@pytest.mark.parametrize("lang", LANGS)
def test_contacts_page_has_phone_link_and_office_hours(real, lang):
    page = page_of(real, f"{lang}/contacts/index.html")
    phone = page.find("a", href="tel:+998712302816")
    assert phone is not None
    assert "230-28-16" in phone.get_text()
    text = visible_text(page)
    assert "10:00" in text and "15:00" in text


# -- navigation and links ----------------------------------------------------

def test_every_menu_page_exists_in_both_languages(real):
    config = yaml.safe_load((ROOT / "data/site.yaml").read_text(encoding="utf-8"))
    keys = [entry[: -len(".md")] for entry in config["menu"]]
    assert len(keys) >= 6
    for key in keys:
        for lang in LANGS:
            assert (key, lang) in real.site.documents, f"{key} has no {lang} file"
    for lang in LANGS:
        page = page_of(real, f"{lang}/index.html")
        nav = [n for n in page.find_all("nav") if len({a["href"] for a in n.find_all("a", href=True)}) >= len(keys)]
        assert nav, "no main navigation"
        for a in nav[0].find_all("a", href=True):
            assert a["href"].startswith(f"/{lang}/"), a["href"]
            target = url_to_file(a["href"])
            assert target in real.files, a["href"]
            assert "role=\"note\"" not in real.files[target].decode("utf-8")  # not a fallback page


def test_every_internal_link_resolves(real):
    assert len(html_files(real)) > 50
    assert broken_links(real) == []


def test_internal_fragments_exist(real):
    broken = []
    for name in html_files(real):
        page = page_of(real, name)
        for a in page.find_all("a", href=re.compile(r"^/[^#]*#.+")):
            path, fragment = a["href"].split("#", 1)
            target = soup(real.files.get(url_to_file(path), b""))
            if target.find(id=fragment) is None:
                broken.append((name, a["href"]))
    assert broken == []


def test_no_fallback_pages_on_the_shipped_site(real):
    fallbacks = [p.path for p in real.site.pages if p.fallback]
    assert fallbacks == []


# -- Uzbek typography --------------------------------------------------------

APOSTROPHE = re.compile(r"[A-Za-z]['‘’`][A-Za-z]")


def test_uzbek_pages_use_modifier_letters_not_apostrophes(real):
    found = []
    for name in html_files(real):
        if not name.startswith("uz/"):
            continue
        page = page_of(real, name)
        for el in page.find_all(attrs={"lang": True}):
            if el is not page.html and not el["lang"].startswith("uz"):
                el.decompose()
        texts = [page.title.get_text() if page.title else ""]
        desc = page.find("meta", attrs={"name": "description"})
        texts.append(desc["content"] if desc else "")
        texts.append(visible_text(page))
        for text in texts:
            for m in APOSTROPHE.finditer(text):
                found.append((name, text[max(0, m.start() - 20): m.end() + 20]))
    assert found == []


def test_real_site_all_pages_have_required_head(real):
    for name in html_files(real):
        page = page_of(real, name)
        assert page.html.get("lang") in LANGS, name
        assert page.find("title").get_text(strip=True), name
        assert page.find("meta", attrs={"name": "description"})["content"].strip(), name
        assert page.find("link", rel="canonical")["href"].startswith("https://ir.dsmi.uz/"), name


@pytest.mark.parametrize("lang,former", [("uz", "Sankt-Peterburg davlat teatr sanʼati akademiyasi"),
                                         ("en", "St Petersburg State Academy of Theatre Arts")])
def test_merged_russian_partner_shows_its_former_name(real, lang, former):
    page = (real.out / lang / "partners/rgisi/index.html").read_text(encoding="utf-8")
    assert former in page
