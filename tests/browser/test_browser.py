"""End-to-end tests in a real browser (Chromium through Playwright) on the built site
served over HTTP: the main menu, the language switcher on every page type, pagination,
links between news and partners, the 404 page and keyboard use.

Every tab records console errors and warnings, uncaught exceptions and failed or
erroneous requests; each test ends by asserting that there were none.
"""

from __future__ import annotations

import math

import pytest

pytest.register_assert_rewrite("chromium")

from chromium import LANGS, MISSING_PAGE, NEWS_PER_PAGE, PAGE_TYPES  # noqa: E402
from conftest import ui_strings  # noqa: E402

pytest_plugins = ["chromium"]

pytestmark = pytest.mark.external("chromium")

OTHER = {"uz": "en", "en": "uz"}
# Pages kept out of search engines (robots noindex), which therefore name no hreflang alternates.
NOINDEX = {"404", "search"}

# What the element that has keyboard focus looks like.
FOCUSED = """() => {
    const el = document.activeElement;
    const style = getComputedStyle(el);
    const rect = el.getBoundingClientRect();
    const transparent = c => c === 'transparent' || /rgba\\(.*,\\s*0\\)$/.test(c);
    const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0
        && !transparent(style.outlineColor);
    const shadow = style.boxShadow !== 'none' && style.boxShadow !== '';
    const hit = document.elementFromPoint(rect.left + rect.width / 2, rect.top + rect.height / 2);
    return {
        tag: el.tagName.toLowerCase(),
        id: el.id,
        href: el.getAttribute('href'),
        text: (el.innerText || '').trim().replace(/\\s+/g, ' ').slice(0, 60),
        inMain: !!el.closest('main'),
        indicator: outline || shadow,
        style: `outline: ${style.outlineStyle} ${style.outlineWidth} ${style.outlineColor}; box-shadow: ${style.boxShadow}`,
        rect: {top: rect.top, left: rect.left, bottom: rect.bottom, right: rect.right,
               width: rect.width, height: rect.height},
        onTop: hit !== null && (hit === el || el.contains(hit)),
        viewport: {width: innerWidth, height: innerHeight},
    };
}"""


def news_titles(tab) -> list[str]:
    """Titles of the news cards on a news list page."""
    return [t.strip() for t in tab.page.locator("main article h2").all_inner_texts()]


def news_count(site, lang: str) -> int:
    """How many news items the site publishes in `lang`."""
    return sum(1 for p in site.result.site.pages
               if p.lang == lang and p.key.startswith("news/") and "_index" not in p.key)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("where", ["root", "sub-path"])
def test_main_menu_leads_to_every_section(sites, tab, where, lang):
    site = sites.default if where == "root" else sites.paged
    expected = [site.url(item.path) for item in site.result.site.menu[lang]]
    assert len(expected) >= 5
    tab.open(site.page_url("_index", lang))

    visited = []
    for i in range(len(expected)):
        menu = tab.navigation("menu_label")
        assert menu.get_by_role("link").count() == len(expected)
        link = menu.get_by_role("link").nth(i)
        name = link.inner_text().strip()
        visited.append(tab.click_and_wait(link))
        assert tab.page.url.startswith(site.base_url)
        assert tab.html_lang() == lang, f"{tab.page.url}: <html lang> is {tab.html_lang()!r}"
        h1 = tab.h1_texts()
        assert len(h1) == 1 and h1[0], f"{tab.page.url}: expected one non-empty <h1>, found {h1}"
        current = tab.navigation("menu_label").locator('a[aria-current="page"]')
        assert current.count() == 1, f"{tab.page.url}: no menu item is marked aria-current=page"
        assert current.inner_text().strip() == name
    assert visited == expected
    tab.assert_clean()


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", PAGE_TYPES)
def test_language_switcher_opens_the_same_page_in_the_other_language(sites, tab, name, lang):
    other = OTHER[lang]
    target = sites.target(name, lang)
    tab.open_target(target)
    start = tab.head_link("canonical")
    alternate = tab.head_link("alternate", other)
    if name not in NOINDEX:
        assert alternate, f"{target.url}: no <link rel=alternate hreflang={other}>"

    switch = tab.navigation("language_label").locator(f'a[hreflang="{other}"]')
    assert switch.count() == 1, f"{target.url}: the language switcher has no link to {other!r}"
    landed = tab.click_and_wait(switch)

    assert landed == target.site.page_url(PAGE_TYPES[name], other)
    if alternate:
        assert landed == alternate
        assert tab.head_link("canonical") == alternate
    assert tab.html_lang() == other
    h1 = tab.h1_texts()
    assert len(h1) == 1 and h1[0], f"{landed}: expected one non-empty <h1>, found {h1}"
    if name == "404":
        assert h1 == [ui_strings(other)["not_found_title"]]
    back = tab.navigation("language_label").locator(f'a[hreflang="{lang}"]')
    assert back.evaluate("a => a.href") == start, "the way back does not lead to the page we came from"
    tab.assert_clean()


@pytest.mark.parametrize("lang", LANGS)
def test_news_list_pages_forward_and_back(sites, tab, lang):
    site = sites.paged
    items = news_count(site, lang)
    pages = math.ceil(items / NEWS_PER_PAGE)
    assert pages >= 2, "the paginated build must have at least two list pages"
    urls = [site.page_url("news/_index", lang)]
    tab.open(urls[0])
    titles = [news_titles(tab)]

    while (following := tab.navigation("pagination_label").locator('a[rel="next"]')).count():
        urls.append(tab.click_and_wait(following))
        titles.append(news_titles(tab))
        assert tab.html_lang() == lang
        assert len(tab.h1_texts()) == 1

    assert len(urls) == pages
    assert urls[1] == site.page_url("news/_index/page/2", lang)
    assert all(0 < len(t) <= NEWS_PER_PAGE for t in titles), titles
    shown = [t for page in titles for t in page]
    assert len(shown) == len(set(shown)) == items, "every news item appears on exactly one list page"

    for expected in reversed(urls[:-1]):
        previous = tab.navigation("pagination_label").locator('a[rel="prev"]')
        assert tab.click_and_wait(previous) == expected
    assert tab.page.url == urls[0]
    assert tab.navigation("pagination_label").locator('a[rel="prev"]').count() == 0
    tab.assert_clean()


@pytest.mark.parametrize("lang", LANGS)
def test_news_item_links_to_its_partner(sites, tab, lang):
    site = sites.default
    tab.open(site.page_url("news/kaznua-memorandum", lang))
    partner = site.page("partners/kaznua", lang)
    related = tab.page.get_by_role("complementary", name=ui_strings(lang)["related_label"], exact=True)
    link = related.get_by_role("link", name=partner.title, exact=True)
    assert link.count() == 1, f"the related aside has no link named {partner.title!r}"

    assert tab.click_and_wait(link) == site.url(partner.path)
    assert tab.h1_texts() == [partner.title]
    assert tab.html_lang() == lang
    tab.assert_clean()


@pytest.mark.parametrize("lang", LANGS)
def test_missing_address_shows_the_404_page_of_its_language(sites, tab, lang):
    site = sites.default
    tab.open(site.url(f"/{lang}/{MISSING_PAGE}deeper/still/"), status=404)
    assert tab.html_lang() == lang
    assert tab.h1_texts() == [ui_strings(lang)["not_found_title"]]
    # Root-relative links keep the styles working at any depth.
    assert tab.page.evaluate("[...document.styleSheets].every(s => s.cssRules.length > 0)")
    assert tab.page.evaluate("getComputedStyle(document.body).margin") == "0px"
    home = tab.page.locator("main").get_by_role("link", name=ui_strings(lang)["go_home"], exact=True)
    assert tab.click_and_wait(home) == site.page_url("_index", lang)
    tab.assert_clean()


def test_missing_address_outside_the_languages_speaks_every_language(sites, tab):
    tab.open(sites.default.url(f"/{MISSING_PAGE}"), status=404)
    headings = [t.strip() for t in tab.page.locator("main h1, main h2").all_inner_texts()]
    for lang in LANGS:
        assert ui_strings(lang)["not_found_title"] in headings
    tab.assert_clean()


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", ["home", "news-item", "404"])
def test_first_tab_focuses_a_visible_skip_link_that_moves_focus_to_main(sites, tab, name, lang):
    tab.open_target(sites.target(name, lang))
    skip = tab.page.get_by_role("link", name=ui_strings(lang)["skip_link"], exact=True)
    assert skip.count() == 1
    assert skip.evaluate("a => a.getBoundingClientRect().bottom") <= 0, "the skip link shows before it has focus"

    tab.page.keyboard.press("Tab")
    focused = tab.page.evaluate(FOCUSED)
    assert focused["text"] == ui_strings(lang)["skip_link"], f"the first Tab focused {focused}"
    rect, viewport = focused["rect"], focused["viewport"]
    assert rect["width"] > 0 and rect["height"] > 0
    assert rect["top"] >= 0 and rect["left"] >= 0, f"the focused skip link is off screen: {rect}"
    assert rect["bottom"] <= viewport["height"] and rect["right"] <= viewport["width"]
    assert focused["onTop"], "the focused skip link is covered by another element"
    assert focused["indicator"], f"the focused skip link has no focus indicator: {focused['style']}"

    tab.page.keyboard.press("Enter")
    assert tab.page.evaluate("document.activeElement.tagName") == "MAIN"
    tab.page.keyboard.press("Tab")
    assert tab.page.evaluate("!!document.activeElement.closest('main')"), \
        "after the skip link, Tab does not continue inside <main>"
    tab.assert_clean()


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("name", ["home", "news-item"])
def test_keyboard_focus_is_always_visible(sites, tabs, name, scheme):
    tab = tabs(scheme=scheme)
    tab.open_target(sites.target(name, "uz"))
    seen = []
    for _ in range(24):
        tab.page.keyboard.press("Tab")
        focused = tab.page.evaluate(FOCUSED)
        if focused["tag"] == "body":
            break
        seen.append(focused)
    assert len({(f["href"], f["text"]) for f in seen}) >= 10, "Tab does not move through the links"
    assert any(f["inMain"] for f in seen), "Tab never reached the main content"
    invisible = [f"{f['tag']} {f['href']!r} {f['text']!r}: {f['style']}" for f in seen if not f["indicator"]]
    assert not invisible, "focused elements without a visible focus indicator:\n" + "\n".join(invisible)
    tab.assert_clean()
