"""Sharing and search engines: OpenGraph and Twitter tags, JSON-LD, breadcrumbs,
and the weight of a page (one small stylesheet, nothing render-blocking)."""

from __future__ import annotations

import json

import pytest

from conftest import ROOT, address, errors, messages, news, page_of, soup
from sitegen.pipeline import run

MEMO = {lang: address.document(lang, "news", "memo") for lang in ("uz", "en")}
HOME_UZ = address.file(address.home("uz"))


def og(page) -> dict[str, list[str]]:
    tags: dict[str, list[str]] = {}
    for meta in page.find_all("meta", property=True):
        tags.setdefault(meta["property"], []).append(meta["content"])
    return tags


def json_ld(page) -> list[dict]:
    return [json.loads(tag.string) for tag in page.find_all("script", type="application/ld+json")]


def of_type(page, kind: str) -> dict:
    found = [item for item in json_ld(page) if item.get("@type") == kind]
    assert len(found) == 1, f"expected one {kind} in {json_ld(page)}"
    return found[0]


@pytest.fixture
def built(site):
    site.write("content/news/memo.uz.md", news("uz", "Memorandum imzolandi", "2025-11-17",
                                               summary='"Ikki universitet hamkorlik qiladi."'))
    site.write("content/news/memo.en.md", news("en", "Memorandum signed", "2025-11-17",
                                               summary='"Two universities will cooperate."'))
    result = site.build()
    assert errors(result) == [], messages(result)
    return result


def test_every_page_has_opengraph_and_twitter_tags(built):
    page = page_of(built, address.file(MEMO["en"]))
    tags = og(page)
    assert tags["og:type"] == ["article"]
    assert tags["og:title"] == ["Memorandum signed"]
    assert tags["og:description"] == ["Two universities will cooperate."]
    assert tags["og:url"] == [address.absolute(MEMO["en"])]
    assert tags["og:locale"] == ["en_US"]
    assert tags["og:locale:alternate"] == ["uz_UZ"]
    image = tags["og:image"][0]
    assert image.startswith("https://example.org/assets/img/share.") and image.endswith(".png")
    assert image.removeprefix("https://example.org/") in built.files
    assert tags["og:image:width"] == ["1200"] and tags["og:image:height"] == ["630"]
    assert tags["og:image:alt"][0].strip()
    assert page.find("meta", attrs={"name": "twitter:card"})["content"] == "summary_large_image"
    home = og(page_of(built, HOME_UZ))
    assert home["og:type"] == ["website"] and home["og:locale"] == ["uz_UZ"]


def test_meta_description_comes_from_the_summary(built):
    page = page_of(built, address.file(MEMO["uz"]))
    assert page.find("meta", attrs={"name": "description"})["content"] == "Ikki universitet hamkorlik qiladi."


def test_news_item_carries_news_article_json_ld(built):
    page = page_of(built, address.file(MEMO["en"]))
    article = of_type(page, "NewsArticle")
    assert article["@context"] == "https://schema.org"
    assert article["headline"] == "Memorandum signed"
    assert article["datePublished"] == "2025-11-17"
    assert article["inLanguage"] == "en"
    assert article["mainEntityOfPage"] == address.absolute(MEMO["en"])
    assert article["publisher"]["@type"] == "Organization"
    assert article["publisher"]["parentOrganization"]["@type"] == "CollegeOrUniversity"
    assert article["publisher"]["telephone"] == "+998712302816"
    assert all(url.startswith("https://example.org/") for url in article["image"])


def test_home_describes_the_department_as_an_organization(built):
    org = of_type(page_of(built, HOME_UZ), "Organization")
    assert org["name"] == "Boʻlim"
    assert org["url"] == address.absolute(address.home("uz"))
    assert org["parentOrganization"] == {"@type": "CollegeOrUniversity", "name": "Institut"}
    assert org["logo"].removeprefix("https://example.org/") in built.files


def test_breadcrumbs_are_shown_and_described_the_same_way(built):
    page = page_of(built, address.file(MEMO["en"]))
    trail = of_type(page, "BreadcrumbList")["itemListElement"]
    assert [item["position"] for item in trail] == [1, 2, 3]
    path = [address.home("en"), address.section("en", "news"), MEMO["en"]]
    assert [item["item"] for item in trail] == [address.absolute(p) for p in path]
    nav = page.find("nav", class_="breadcrumbs")
    links = [a["href"] for a in nav.find_all("a")]
    assert links == path[:2]
    assert [li.get_text(strip=True) for li in nav.find_all("li")] == [item["name"] for item in trail]
    assert nav.find(attrs={"aria-current": "page"}).get_text(strip=True) == "Memorandum signed"


def test_the_home_page_has_no_breadcrumbs(built):
    page = page_of(built, HOME_UZ)
    assert page.find("nav", class_="breadcrumbs") is None
    assert not [item for item in json_ld(page) if item.get("@type") == "BreadcrumbList"]


def test_partner_pages_sit_under_the_partner_list(site):
    site.write("content/partners/_index.uz.md", "---\ntitle: \"Hamkorlar\"\n---\n")
    site.write("content/partners/_index.en.md", "---\ntitle: \"Partners\"\n---\n")
    result = site.build()
    assert errors(result) == [], messages(result)
    kaznua = address.record("en", "partners", "kaznua")
    trail = of_type(page_of(result, address.file(kaznua)), "BreadcrumbList")["itemListElement"]
    assert [item["item"] for item in trail] == [
        address.absolute(address.home("en")), address.absolute(address.section("en", "partners")),
        address.absolute(kaznua)]


def test_json_ld_cannot_be_broken_out_of(site):
    site.write("content/news/x.uz.md", news("uz", "</script><script>alert(1)</script>", "2025-01-01"))
    result = site.build()
    assert errors(result) == [], messages(result)
    html = result.files[address.file(address.document("uz", "news", "x"))].decode()
    assert "<script>alert(1)" not in html
    article = of_type(soup(html), "NewsArticle")
    assert article["headline"] == "</script><script>alert(1)</script>"


# -- the weight budget of the shipped site ----------------------------------

@pytest.fixture(scope="module")
def real_site():
    result = run(ROOT, write=False)
    assert errors(result) == [], messages(result)
    return result


def local_file(result, href: str) -> bytes:
    return result.files[href.split("#")[0].split("?")[0].lstrip("/")]


@pytest.mark.parametrize("page", [address.file(p) for p in (
    address.document("uz", "news", "kaznua-memorandum"), address.document("en", "news", "kaznua-memorandum"),
    address.document("en", "news", "partners-15-institutions"), address.home("en"), address.section("en", "news"))])
def test_a_page_with_everything_it_loads_weighs_under_100_kb(real_site, page):
    html = real_site.files[page]
    doc = soup(html)
    assert doc.find("picture") or "partners-15" not in page, "the cover image is counted"
    loaded = [link["href"] for link in doc.find_all("link", rel="stylesheet")]
    loaded += [el["src"] for el in doc.find_all(["script", "img", "source", "iframe"], src=True)]
    loaded += [link["href"] for link in doc.find_all("link", rel="icon")]
    total = len(html) + sum(len(local_file(real_site, ref)) for ref in loaded)
    assert total < 100 * 1024, f"{page}: {total} bytes"


@pytest.mark.parametrize("page", [address.file(p) for p in (
    address.home("en"), address.document("uz", "news", "kaznua-memorandum"), address.search("en"))])
def test_one_small_stylesheet_and_nothing_render_blocking(real_site, page):
    doc = soup(real_site.files[page])
    sheets = doc.find_all("link", rel="stylesheet")
    assert len(sheets) == 1
    assert len(local_file(real_site, sheets[0]["href"])) < 20 * 1024
    assert doc.find("style") is None and not doc.find_all(style=True)
    for script in doc.find_all("script"):
        if script.get("type") == "application/ld+json":
            continue
        assert script.get("src"), "no inline scripts"
        assert script.get("type") == "module" or script.has_attr("defer") or script.has_attr("async")


def test_nothing_is_loaded_from_another_host(real_site):
    for name, data in real_site.files.items():
        if not name.endswith(".html"):
            continue
        doc = soup(data)
        for el in doc.find_all(["link", "script", "img", "source", "iframe"]):
            if el.name == "link" and "stylesheet" not in (el.get("rel") or []) and "icon" not in (el.get("rel") or []):
                continue
            ref = el.get("src") or el.get("href") or ""
            assert not ref.startswith(("http:", "https:", "//")), f"{name} loads {ref}"
