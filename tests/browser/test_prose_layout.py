"""Article bodies in the GitHub-like Markdown dialect: highlighted code, wide tables,
long links and words, task lists and deletions.

- In a real browser, 320 px wide and on a desktop, in the light and the dark colour
  scheme: nothing makes the page scroll sideways, code blocks wrap instead of
  scrolling, a ten-column table fits its column, the task boxes are drawn, columns
  aligned in Markdown stay aligned, and axe-core finds no WCAG 2.2 A or AA violation.
  A table too wide for any phone scrolls inside its own box, a region that takes the
  keyboard focus, and passes axe. The print style prints code black on white.
  Screenshots go to $SCREENSHOT_DIR (else test-screenshots/).
- Without a browser, from static/css/site.css alone: every Pygments token class the
  dialect can write has a colour in both schemes, and each colour has at least 4.5:1
  contrast on the code background.

The bodies are written as raw HTML in the shape the dialect writes (Pygments'
HtmlFormatter with wrapcode), which Python-Markdown passes through and the sanitizer
keeps, so these tests do not wait on the dialect itself.
"""

from __future__ import annotations

import re
import threading
from html import escape

import pytest
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import get_lexer_by_name

pytest.register_assert_rewrite("chromium")

from chromium import (  # noqa: E402
    DESKTOP, StaticHost, axe_violations, describe_violations, png_size, screenshot_dir,
)
from conftest import BASE_FILES, ROOT, SiteDir, address, messages  # noqa: E402

pytest_plugins = ["chromium"]

CSS = ROOT / "static/css/site.css"
PHONE = 320
SCHEMES = ("light", "dark")
MIN_CONTRAST = 4.5

# ---------------------------------------------------------------------------
# The page
# ---------------------------------------------------------------------------

LONG_URL = "https://example.org/" + "/".join(f"section-{i:02d}-of-the-archive" for i in range(6))
LONG_URL = LONG_URL + "?q=" + "x" * (200 - len(LONG_URL) - 3)
LONG_WORD = "Oʻzbekiston" * 6 + "Respublikasi" * 4

PYTHON = '''\
#!/usr/bin/env python3
"""Count the partners of each country."""
from collections import Counter
import yaml as y

@lru_cache(maxsize=None)
class Partners(Base):
    def by_country(self, path: str = "data/partners.yaml", limit=0x10) -> dict[str, int]:
        # a comment
        rows = y.safe_load(open(path, encoding="utf-8")) or []
        counts = Counter(row["country"] for row in rows if row.get("agreement") is not None)
        return {k: v * 2.5 for k, v in counts.items() if v > limit and k not in (None, True, False)}

LINE = [''' + ", ".join(f'"{i:03d}"' for i in range(48)) + ''']
print(f"{len(LINE)} items\\n", r"\\d+", __name__)
'''
SHELL = '''\
# build and serve
export SOURCE_DATE_EPOCH="$(git log -1 --format=%ct)"
.venv/bin/python build.py build --strict && python3 -m http.server -d site 8000 > /dev/null 2>&1
'''
YAML = '''\
title: "Erasmus+ information day"   # shown in both languages
date: 2026-12-05
partners: [kaznua, rgisi]
draft: false
'''
DIFF = '''\
--- a/data/partners.yaml
+++ b/data/partners.yaml
@@ -1,3 +1,3 @@
 - id: kaznua
-  agreement: memorandum
+  agreement: cooperation-agreement
'''
HTML = '''\
<!-- a partner card -->
<article class="card" lang="en"><h2>KazNUA</h2><p>Astana &amp; Almaty</p></article>
'''


def code_block(code: str, language: str | None) -> str:
    """A fenced code block as the dialect writes it."""
    if language is None:
        return f'<div class="highlight"><pre><span></span><code>{escape(code)}</code></pre></div>'
    html = highlight(code, get_lexer_by_name(language), HtmlFormatter(wrapcode=True)).strip()
    # Indentation as a whitespace token, the way Pygments writes some of it anyway: the
    # Markdown reader does not keep leading spaces of raw HTML lines.
    return re.sub(r"^( +)", r'<span class="w">\1</span>', html, flags=re.M)


def table(columns: int, header: str) -> str:
    """A table whose first column is aligned right, as `| ---: |` writes it."""
    def align(column: int) -> str:
        return ' class="align-right"' if column == 0 else ""
    head = "".join(f"<th{align(c)}>{header}{c + 1}</th>" for c in range(columns))
    rows = "".join("<tr>" + "".join(f"<td{align(c)}>{r * columns + c}</td>" for c in range(columns)) + "</tr>"
                   for r in range(3))
    return f"<table>\n<thead><tr>{head}</tr></thead>\n<tbody>{rows}</tbody>\n</table>"


def task(done: bool, text: str) -> str:
    """A task list item as the dialect writes it, less the box's aria-hidden, which the
    sanitizer removes (the box has no content for a screen reader to read anyway)."""
    state, label = ("done", "Done: ") if done else ("todo", "To do: ")
    return (f'<li class="task-item task-{state}"><span class="task-box"></span>'
            f'<span class="visually-hidden">{label}</span>{text}</li>')


def body() -> str:
    assert len(LONG_URL) == 200 and max(len(line) for line in PYTHON.splitlines()) >= 300
    return f"""\
Code runs on the reader's screen without scrolling; `inline code` and
`a_very_long_identifier_that_does_not_fit_on_a_phone_screen_at_all` wrap too.

{code_block(PYTHON, "python")}

{code_block(SHELL, "bash")}

{code_block(YAML, "yaml")}

{code_block(DIFF, "diff")}

{code_block(HTML, "html")}

{code_block("A fence without a language: " + "plain-text-" * 30 + "end.", None)}

The registration list: [{LONG_URL}]({LONG_URL}).

One unbroken word: {LONG_WORD}.

The plan had <del>two sessions</del> one session.

{table(10, "Participants")}

## Preparation

<ul class="task-list">
{task(True, "Book the hall")}
{task(True, "Invite the partners of the department, all eleven universities in six countries")}
{task(False, "Print the programme")}
</ul>
"""


def wide_body() -> str:
    return f"A table no phone can show whole.\n\n{table(20, 'Participants')}\n"


def page(title: str, text: str) -> str:
    return f'---\ntitle: "{title}"\n---\n{text}'


@pytest.fixture(scope="module")
def prose_site(tmp_path_factory, chromium):
    """A tiny site with the prose page and the wide-table page in both languages, served."""
    base = tmp_path_factory.mktemp("prose")
    project = SiteDir(base / "project")
    for rel, text in BASE_FILES.items():
        project.write(rel, text)
    for lang in ("uz", "en"):
        project.write(f"content/prose.{lang}.md", page("Prose", body()))
        project.write(f"content/wide.{lang}.md", page("Wide table", wide_body()))
    out = base / "site"
    host = StaticHost(out)
    try:
        result = project.build(out=out, base_url=host.origin + "/", now="2026-12-05")
        assert result.written, "\n".join(messages(result))
        # the same English text in both languages' files, on purpose: the copy warning and the
        # notice about apostrophes read as Uzbek letters are expected; nothing else is
        problems = [m for m in messages(result) if ": notice:" not in m and "untranslated copy" not in m]
        assert not problems, "the prose site built with problems:\n" + "\n".join(problems)
        thread = threading.Thread(target=host.serve_forever, name="static host (prose)", daemon=True)
        thread.start()
        try:
            yield result.site.urls
        finally:
            host.shutdown()
            thread.join(timeout=5)
    finally:
        host.server_close()


# ---------------------------------------------------------------------------
# In the browser
# ---------------------------------------------------------------------------

# How wide the page and its parts are, and what is wider than the screen.
MEASURE = """() => {
    const root = document.documentElement;
    const limit = root.clientWidth;
    const wide = [...document.body.querySelectorAll('*')].filter(el => {
        const r = el.getBoundingClientRect();
        return r.width > 0 && r.right > limit + 0.5;
    });
    const name = el => el.tagName.toLowerCase() + [...el.classList].map(c => '.' + c).join('');
    const scrolls = [...document.querySelectorAll('.prose *')]
        .filter(el => el.scrollWidth > el.clientWidth + 1
                && ['auto', 'scroll'].includes(getComputedStyle(el).overflowX))
        .map(name);
    return {
        scrollWidth: root.scrollWidth,
        clientWidth: limit,
        culprits: wide.filter(el => !wide.some(o => o !== el && el.contains(o))).slice(0, 8)
            .map(el => `${name(el)} (right edge ${Math.round(el.getBoundingClientRect().right)}px)`),
        scrolls,
    };
}"""

LOOKS = """() => {
    const style = (el, pseudo) => getComputedStyle(el, pseudo || null);
    const pre = document.querySelector('.prose .highlight pre');
    const keyword = document.querySelector('.prose .highlight .k');
    const done = document.querySelector('.task-done > .task-box');
    const todo = document.querySelector('.task-todo > .task-box');
    return {
        pageBackground: style(document.body).backgroundColor,
        preBackground: style(pre).backgroundColor,
        preWhiteSpace: style(pre).whiteSpace,
        preFont: style(pre).fontFamily,
        preText: style(pre).color,
        keyword: style(keyword).color,
        inlineCodeBackground: style(document.querySelector('.prose p > code')).backgroundColor,
        taskBullets: [...document.querySelectorAll('.task-item')].map(li => style(li).listStyleType),
        doneBox: [style(done).borderTopWidth, style(done).borderTopStyle, done.getBoundingClientRect().width],
        todoBox: [style(todo).borderTopWidth, style(todo).borderTopStyle, todo.getBoundingClientRect().width],
        check: [style(done, '::after').content, style(done, '::after').borderRightWidth,
                style(done, '::after').borderBottomWidth],
        todoCheck: style(todo, '::after').content,
        del: style(document.querySelector('.prose del')).textDecorationLine,
        align: ['th', 'td', 'th:not(.align-right)', 'td:not(.align-right)']
            .map(cell => style(document.querySelector('.prose table ' + cell)).textAlign),
    };
}"""


def open_page(tabs, urls, key: str, width: int, scheme: str, lang: str = "en"):
    tab = tabs(width, scheme)
    tab.open(urls.absolute(address.document(lang, "", key)))
    return tab


def assert_no_sideways_scroll(tab, found, what: str) -> None:
    assert found["scrollWidth"] <= found["clientWidth"], (
        f"{what} is {found['scrollWidth']}px wide in a {found['clientWidth']}px window; too wide:\n  "
        + "\n  ".join(found["culprits"]))


@pytest.mark.external("chromium", "axe")
@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("width", [PHONE, DESKTOP], ids=lambda w: f"{w}px")
def test_prose_fits_the_screen_and_passes_axe(prose_site, tabs, width, scheme):
    tab = open_page(tabs, prose_site, "prose", width, scheme)
    found = tab.page.evaluate(MEASURE)
    assert_no_sideways_scroll(tab, found, f"the prose page at {width}px ({scheme})")
    assert found["scrolls"] == [], f"parts of the body scroll sideways by themselves: {found['scrolls']}"
    violations = axe_violations(tab.page)
    assert not violations, (f"axe-core on the prose page at {width}px, {scheme} scheme:\n"
                            + describe_violations(violations))
    tab.assert_clean()


@pytest.mark.external("chromium", "axe")
@pytest.mark.parametrize("scheme", SCHEMES)
def test_code_tasks_deletions_and_aligned_columns_are_styled(prose_site, tabs, scheme):
    tab = open_page(tabs, prose_site, "prose", PHONE, scheme)
    looks = tab.page.evaluate(LOOKS)
    assert looks["preBackground"] != looks["pageBackground"], "code blocks do not stand out from the page"
    assert looks["inlineCodeBackground"] == looks["preBackground"]
    assert looks["preWhiteSpace"] == "pre-wrap"
    assert "monospace" in looks["preFont"]
    assert looks["keyword"] != looks["preText"], "keywords are not highlighted"
    assert set(looks["taskBullets"]) == {"none"}, f"task items show bullets: {looks['taskBullets']}"
    for box in ("doneBox", "todoBox"):
        border, line, size = looks[box]
        assert float(border.removesuffix("px")) >= 1 and line == "solid" and size >= 12, (box, looks[box])
    content, right, bottom = looks["check"]
    assert content == '""' and float(right.removesuffix("px")) >= 1 and float(bottom.removesuffix("px")) >= 1, \
        f"the done box draws no check mark: {looks['check']}"
    assert looks["todoCheck"] == "none", "an open task shows a check mark"
    assert looks["del"] == "line-through"
    aligned = [value.removeprefix("-webkit-") for value in looks["align"]]
    assert aligned == ["right", "right", "left", "left"], f"table cells are aligned {looks['align']}"
    tab.assert_clean()


@pytest.mark.external("chromium", "axe")
@pytest.mark.parametrize("scheme", SCHEMES)
def test_a_table_too_wide_for_a_phone_scrolls_inside_its_own_box(prose_site, tabs, scheme):
    tab = open_page(tabs, prose_site, "wide", PHONE, scheme)
    found = tab.page.evaluate(MEASURE)
    assert_no_sideways_scroll(tab, found, f"the wide-table page ({scheme})")
    # The generator wraps every table in a region that takes the keyboard focus.
    assert found["scrolls"] == ["div.table-scroll"], "a twenty-column table should scroll in its own box at 320px"
    region = tab.page.evaluate("""() => {
        const region = document.querySelector('.prose .table-scroll');
        return [region.getAttribute('role'), region.getAttribute('tabindex'), region.getAttribute('aria-label')];
    }""")
    assert region == ["region", "0", "Table"]
    violations = axe_violations(tab.page)
    assert not violations, describe_violations(violations)
    tab.assert_clean()


@pytest.mark.external("chromium", "axe")
@pytest.mark.parametrize("scheme", SCHEMES)
def test_code_prints_black_on_white(prose_site, tabs, scheme):
    tab = tabs(PHONE, scheme, fresh=True)
    tab.open(prose_site.absolute(address.document("en", "", "prose")))
    tab.page.emulate_media(media="print")
    colours = tab.page.evaluate("""() => {
        const all = [...document.querySelectorAll('.prose .highlight pre, .prose .highlight pre *, .prose code')];
        return {
            colours: [...new Set(all.map(el => getComputedStyle(el).color))],
            backgrounds: [...new Set(all.map(el => getComputedStyle(el).backgroundColor))],
            boxes: [...new Set([...document.querySelectorAll('.task-box')]
                .map(el => getComputedStyle(el).borderTopColor))],
        };
    }""")
    assert colours["colours"] == ["rgb(0, 0, 0)"], colours
    assert colours["backgrounds"] == ["rgba(0, 0, 0, 0)"], colours
    assert colours["boxes"] == ["rgb(0, 0, 0)"], colours
    tab.assert_clean()


@pytest.mark.external("chromium", "axe")
def test_screenshots_of_the_prose_page(prose_site, tabs):
    folder = screenshot_dir()
    folder.mkdir(parents=True, exist_ok=True)
    print(f"\nscreenshots: {folder}")
    for width in (PHONE, DESKTOP):
        for scheme in SCHEMES:
            tab = open_page(tabs, prose_site, "prose", width, scheme)
            path = folder / f"prose-{width}-{scheme}.png"
            path.unlink(missing_ok=True)
            tab.page.screenshot(path=str(path), full_page=True)
            assert png_size(path.read_bytes())[0] == width
            tab.assert_clean()


# ---------------------------------------------------------------------------
# From the style sheet alone
# ---------------------------------------------------------------------------

# Every class Pygments' HtmlFormatter writes for the languages editors are likely to
# fence (Python, JavaScript, shell, YAML, JSON, TOML, HTML, CSS, SQL, diff, console
# sessions, tracebacks) and the rest of its common short names.
TOKEN_CLASSES = set("""
    k kc kd kn kp kr kt  n na nb bp nc no nd ni ne nf fm nl nn nx py nt nv vc vg vi vm
    l ld s sa sb sc dl sd s2 se sh si sx sr s1 ss  m mb mf mh mi il mo  o ow p
    c ch cm cp cpf c1 cs  gd ge gr gh gi go gp gs gu gt  err w
""".split())

DECLARATION = re.compile(r"(--[\w-]+|[a-z-]+)\s*:\s*([^;]+)")
VAR = re.compile(r"var\(\s*(--[\w-]+)\s*\)")
HEX = re.compile(r"#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})")


def css_rules(text: str, media: str = "") -> list[tuple[str, str, dict[str, str]]]:
    """(media condition, selector, {property: value}) for every rule, media blocks opened."""
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    rules, i = [], 0
    while True:
        start = text.find("{", i)
        if start < 0:
            return rules
        prelude = text[i:start].strip()
        depth, end = 1, start + 1
        while depth:
            depth += {"{": 1, "}": -1}.get(text[end], 0)
            end += 1
        inner = text[start + 1:end - 1]
        if prelude.startswith("@media"):
            rules += css_rules(inner, prelude[len("@media"):].strip())
        else:
            declarations = {name: value.strip() for name, value in DECLARATION.findall(inner)}
            rules.append((media, " ".join(prelude.split()), declarations))
        i = end


def scheme_variables(rules, scheme: str) -> dict[str, str]:
    """The custom properties on :root in a scheme: light, dark, or print (from light or dark)."""
    wanted = {"light": ("",), "dark": ("", "(prefers-color-scheme: dark)"),
              "print": ("", "(prefers-color-scheme: dark)", "print")}[scheme]
    values = {}
    for media, selector, declarations in rules:
        if selector == ":root" and media in wanted:
            values.update({k: v for k, v in declarations.items() if k.startswith("--")})
    return values


def resolve(value: str, variables: dict[str, str]) -> str:
    for _ in range(10):
        found = VAR.search(value)
        if not found:
            return value
        assert found.group(1) in variables, f"{found.group(1)} is not defined"
        value = value[:found.start()] + variables[found.group(1)] + value[found.end():]
    raise AssertionError(f"{value}: var() nested too deep")


def hex_colour(value: str) -> tuple[int, int, int]:
    found = HEX.fullmatch(value.strip())
    assert found, f"{value!r} is not a #hex colour"
    digits = found.group(1)
    if len(digits) == 3:
        digits = "".join(d * 2 for d in digits)
    return tuple(int(digits[i:i + 2], 16) for i in (0, 2, 4))


def luminance(rgb: tuple[int, int, int]) -> float:
    """WCAG 2 relative luminance."""
    def linear(channel: int) -> float:
        c = channel / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (linear(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(one: str, other: str) -> float:
    light, dark = sorted((luminance(hex_colour(one)), luminance(hex_colour(other))), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def token_colours(rules) -> dict[str, str]:
    """Token class -> the colour value (perhaps a var()) of the screen rules `.highlight .x`."""
    colours = {}
    for media, selector, declarations in rules:
        parts = [s.strip() for s in selector.split(",")]
        if media or "color" not in declarations or not all(p.startswith(".highlight .") for p in parts):
            continue
        for part in parts:
            name = part.removeprefix(".highlight .")
            assert re.fullmatch(r"[a-z0-9]+", name), f"unexpected token selector {part!r}"
            assert name not in colours, f".highlight .{name} has a colour twice"
            colours[name] = declarations["color"]
    return colours


def rule(rules, selector: str, media: str = "") -> dict[str, str]:
    found = [d for m, s, d in rules if s == selector and m == media]
    assert found, f"site.css has no {selector!r} rule" + (f" in @media {media}" if media else "")
    return {k: v for d in found for k, v in d.items()}


def test_contrast_helpers():
    assert round(contrast("#000", "#fff"), 2) == 21.0
    assert round(contrast("#767676", "#ffffff"), 2) == 4.54
    assert contrast("#fff", "#fff") == 1.0


def test_every_common_token_class_has_a_colour():
    colours = token_colours(css_rules(CSS.read_text(encoding="utf-8")))
    missing = sorted(TOKEN_CLASSES - set(colours))
    assert not missing, "Pygments token classes without a colour in site.css: " + " ".join(missing)


@pytest.mark.parametrize("scheme", SCHEMES)
def test_token_colours_have_enough_contrast_on_the_code_background(scheme):
    rules = css_rules(CSS.read_text(encoding="utf-8"))
    variables = scheme_variables(rules, scheme)
    background = resolve(rule(rules, "pre")["background"], variables)
    assert background == resolve(rule(rules, ":not(pre) > code")["background"], variables)
    assert contrast(background, variables["--bg"]) > 1.05, "code blocks look like the page around them"
    checked = {"code text": resolve(rule(rules, "pre")["color"], variables),
               "inline code text": variables["--text"], "link in inline code": variables["--link"]}
    checked.update({f".highlight .{name}": resolve(value, variables)
                    for name, value in token_colours(rules).items()})
    low = {what: f"{colour} on {background}: {contrast(colour, background):.2f}:1"
           for what, colour in checked.items() if contrast(colour, background) < MIN_CONTRAST}
    assert not low, f"{scheme} scheme: below {MIN_CONTRAST}:1:\n  " + "\n  ".join(f"{k}: {v}" for k, v in low.items())


@pytest.mark.parametrize("screen", SCHEMES)
def test_code_prints_black_without_backgrounds(screen):
    rules = css_rules(CSS.read_text(encoding="utf-8"))
    variables = scheme_variables(rules, "print")
    if screen == "light":  # print rules must win over the dark scheme's as well
        variables = {**scheme_variables(rules, "light"), **rule(rules, ":root", "print")}
    for name, value in token_colours(rules).items():
        assert hex_colour(resolve(value, variables)) == (0, 0, 0), f".highlight .{name} prints in {value}"
    assert resolve("var(--code-bg)", variables) in ("transparent", "none")
    assert rule(rules, "pre, :not(pre) > code", "print")["background"] == "none"
