"""Layout in a real browser: no page scrolls sideways from 320 px to 1440 px, the print
style sheet keeps only the article, the shipped font stack has the Uzbek letters ʻ and ʼ,
and full-page screenshots are written for people to look at.

Screenshots go to $SCREENSHOT_DIR, or to test-screenshots/ in the repository.
"""

from __future__ import annotations

import re

import pytest

pytest.register_assert_rewrite("chromium")

from chromium import DESKTOP, LANGS, MOBILE, PAGE_TYPES, png_size, screenshot_dir  # noqa: E402

pytest_plugins = ["chromium"]

pytestmark = pytest.mark.external("chromium")

WIDTHS = (320, 375, 768, 1024, 1280, 1440)

# The elements wider than the viewport, innermost first, to say what to fix.
OVERFLOW = """() => {
    const limit = document.documentElement.clientWidth;
    const wide = [...document.body.querySelectorAll('*')].filter(el => {
        const r = el.getBoundingClientRect();
        return r.width > 0 && r.right > limit + 0.5;
    });
    const innermost = wide.filter(el => !wide.some(other => other !== el && el.contains(other)));
    return {
        scrollWidth: document.documentElement.scrollWidth,
        innerWidth: window.innerWidth,
        culprits: innermost.slice(0, 8).map(el => {
            const r = el.getBoundingClientRect();
            const name = el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
                + [...el.classList].map(c => '.' + c).join('');
            const text = (el.textContent || '').trim().replace(/\\s+/g, ' ').slice(0, 50);
            return `${name} (right edge ${Math.round(r.right)}px): ${text}`;
        }),
    };
}"""

DISPLAY = """selector => [...document.querySelectorAll(selector)].map(el => getComputedStyle(el).display)"""


@pytest.mark.parametrize("width", WIDTHS, ids=lambda w: f"{w}px")
@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", PAGE_TYPES)
def test_page_does_not_scroll_sideways(sites, tabs, name, lang, width):
    tab = tabs(width)
    target = sites.target(name, lang)
    tab.open_target(target)
    found = tab.page.evaluate(OVERFLOW)
    assert found["innerWidth"] == width
    assert found["scrollWidth"] <= found["innerWidth"], (
        f"{target.url} at {width}px is {found['scrollWidth']}px wide; too wide:\n  "
        + "\n  ".join(found["culprits"]))
    tab.assert_clean()


def test_screenshots_of_home_and_news_item(sites, tabs):
    folder = screenshot_dir()
    folder.mkdir(parents=True, exist_ok=True)
    print(f"\nscreenshots: {folder}")
    written = []
    for name in ("home", "news-item"):
        for lang in LANGS:
            for width in (MOBILE, DESKTOP):
                tab = tabs(width)
                tab.open_target(sites.target(name, lang))
                path = folder / f"{name}-{lang}-{width}.png"
                path.unlink(missing_ok=True)
                tab.page.screenshot(path=str(path), full_page=True)
                tab.assert_clean()
                written.append((path, width, tab.page.viewport_size["height"]))
    for path, width, height in written:
        assert path.is_file(), f"{path} was not written"
        data = path.read_bytes()
        shot_width, shot_height = png_size(data)
        assert shot_width == width, f"{path.name} is {shot_width}px wide"
        assert shot_height >= height, f"{path.name} is {shot_height}px high, shorter than the screen"
        assert len(data) > 10_000, f"{path.name} is only {len(data)} bytes"


@pytest.mark.parametrize("lang", LANGS)
def test_print_keeps_the_article_and_drops_navigation(sites, tabs, lang):
    tab = tabs(fresh=True)
    tab.open_target(sites.target("news-item", lang))
    tab.page.emulate_media(media="print")
    hidden = {
        "header navigation": "body > header nav",
        "language switcher": "nav:has(a[hreflang][lang])",
        "footer": "body > footer",
        "skip link": 'body > a[href^="#"]',
    }
    for what, selector in hidden.items():
        displays = tab.page.evaluate(DISPLAY, selector)
        assert displays, f"no {what} ({selector}) on the page"
        assert set(displays) == {"none"}, f"the {what} ({selector}) is printed: display {displays}"
    article = tab.page.locator("main article")
    assert tab.page.evaluate(DISPLAY, "main article") not in ([], ["none"])
    assert article.is_visible()
    assert article.locator("h1").inner_text().strip() == tab.h1_texts()[0]

    pdf = tab.page.pdf(format="A4")
    assert pdf.startswith(b"%PDF")
    pages = len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", pdf))
    assert 1 <= pages <= 3, f"the news item prints on {pages} A4 pages"
    tab.assert_clean()


def test_body_font_has_the_uzbek_letters(sites, tab):
    tab.open_target(sites.target("news-item", "uz"))
    widths = tab.page.evaluate("""async () => {
        await document.fonts.ready;
        const context = document.createElement('canvas').getContext('2d');
        context.font = getComputedStyle(document.body).font;
        const width = text => context.measureText(text).width;
        return {font: context.font, okina: width('\\u02BB'), tutuq: width('\\u02BC'),
                tofu: width('\\uE000'), tofu2: width('\\uE001')};
    }""")
    assert "ʻ" in tab.page.locator("main").inner_text(), "the page has no ʻ to show"
    tofu = widths["tofu"]
    assert tofu > 0 and widths["tofu2"] == tofu, f"no stable missing-glyph width to compare with: {widths}"
    for letter in ("okina", "tutuq"):
        assert widths[letter] > 0, widths
        assert widths[letter] != tofu, f"{letter} renders as a missing glyph in {widths['font']}: {widths}"
    tab.assert_clean()
