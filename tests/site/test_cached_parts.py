"""Parts of pages that a template marks {% call cached(...) %}: rendered once per language
(and per the values given), the same markup on every page, and never silently wrong."""

from __future__ import annotations

import pytest

from sitegen import render

from conftest import address, errors, find_diag, messages, news, page_of, warnings

PAGES = {f"item-{n}": f"2026-05-{n:02d}" for n in range(1, 7)}


def with_items(site) -> None:
    for slug, day in PAGES.items():
        site.write(f"content/news/{slug}.uz.md", news("uz", f"Xabar {slug}", day))
        site.write(f"content/news/{slug}.en.md", news("en", f"Item {slug}", body="Text.\n"))


def with_block(site, block: str) -> None:
    """The theme's base.html with `block` at the top of <main>."""
    path = site.root / "templates/base.html"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("<main id=\"main\"", block + "\n<main id=\"main\"", 1), encoding="utf-8")


def item_pages(result, lang: str) -> list:
    return [page_of(result, address.file(address.document(lang, "news", slug))) for slug in PAGES]


def test_the_theme_footer_and_brand_are_each_language_s_own_on_every_page(site):
    with_items(site)
    result = site.build()
    assert errors(result) == [] and warnings(result) == [], messages(result)
    for lang, links_heading in (("uz", "Boʻlimlar"), ("en", "Sections")):
        pages = item_pages(result, lang) + [page_of(result, address.file(address.section(lang, "news")))]
        footers = {str(page.find("footer")) for page in pages}
        brands = {str(page.select_one("a.brand")) for page in pages}
        assert len(footers) == 1 and len(brands) == 1
        footer = pages[0].find("footer")
        assert footer.find("h2", id="footer-links").get_text() == links_heading
        assert pages[0].select_one("a.brand")["href"] == address.href(f"/{lang}/")
        menu = [a["href"] for a in footer.select("#footer-links + ul a")]
        assert menu and all(href.startswith(address.href(f"/{lang}/")) for href in menu)


def test_a_part_given_its_values_is_kept_once_per_value(site):
    with_items(site)
    with_block(site, '{% call cached(page.kind) %}<p class="kind">{{ page.kind }} {{ lang }}</p>{% endcall %}')
    result = site.build()
    assert errors(result) == [] and warnings(result) == [], messages(result)
    for lang in ("uz", "en"):
        assert {page.select_one("p.kind").get_text() for page in item_pages(result, lang)} == {f"document {lang}"}
        listing = page_of(result, address.file(address.section(lang, "news")))
        assert listing.select_one("p.kind").get_text() == f"{listing_kind(result, lang)} {lang}"


def listing_kind(result, lang: str) -> str:
    return next(page.kind for page in result.site.pages if page.path == address.section(lang, "news"))


def test_a_part_that_depends_on_the_page_is_reported_at_its_line_and_rendered_for_each_page(site):
    with_items(site)
    with_block(site, '{% call cached() %}<p class="own">{{ page.title }}</p>{% endcall %}')
    line = 1 + (site.root / "templates/base.html").read_text(encoding="utf-8").split("\n").index(
        '{% call cached() %}<p class="own">{{ page.title }}</p>{% endcall %}')
    result = site.build()
    assert errors(result) == [], messages(result)
    found = find_diag(result, "templates/base.html", line, "not the same on every page", severity="warning")
    assert found is not None, messages(result)
    assert "cached(page.kind)" in found.hint
    for lang in ("uz", "en"):
        # found at the second page, so rendered for each page from then on: every page its own
        for page in item_pages(result, lang):
            assert page.select_one("p.own").get_text() == page.h1.get_text()


def test_what_a_part_asks_counts_for_every_page_that_shows_it(site, monkeypatch):
    """A part naming another page's title: when that title changes, every page showing the
    part is rendered again, not only the page on which the part was first rendered."""
    with_items(site)
    site.write("content/about.uz.md", "---\ntitle: \"Biz haqimizda\"\n---\nMatn.\n")
    site.write("content/about.en.md", "---\ntitle: \"About us\"\n---\nText.\n")
    with_block(site, '{% call cached() %}<p class="about">{{ get("about").title }}</p>{% endcall %}')
    first = site.build()
    assert errors(first) == [] and warnings(first) == [], messages(first)
    assert {p.select_one("p.about").get_text() for p in item_pages(first, "en")} == {"About us"}

    site.write("content/about.en.md", "---\ntitle: \"Who we are\"\n---\nText.\n")
    reused: list[str] = []
    original = render.Renderer.render_pages

    def render_and_count(self, workers=1):
        out = original(self, workers)
        reused.extend(self.reused)
        return out

    monkeypatch.setattr(render.Renderer, "render_pages", render_and_count)
    second = site.build()
    assert errors(second) == [], messages(second)
    assert {p.select_one("p.about").get_text() for p in item_pages(second, "en")} == {"Who we are"}
    assert {p.select_one("p.about").get_text() for p in item_pages(second, "uz")} == {"Biz haqimizda"}
    for slug in PAGES:  # the pages of the other language were not asked anything new
        assert address.file(address.document("uz", "news", slug)) in reused


@pytest.mark.parametrize("values", ["[1, 2]", "{'a': 1}"])
def test_a_value_cached_cannot_tell_apart_is_an_error_at_its_line(site, values):
    with_items(site)
    block = f'{{% call cached({values}) %}}<p>x</p>{{% endcall %}}'
    with_block(site, block)
    line = 1 + (site.root / "templates/base.html").read_text(encoding="utf-8").split("\n").index(block)
    result = site.build()
    found = find_diag(result, "templates/base.html", line, "cached() takes values such as strings")
    assert found is not None, messages(result)
