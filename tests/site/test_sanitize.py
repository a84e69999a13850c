"""HTML that editors paste into Markdown is cleaned (sitegen/lib/sanitize.py): scripts, event
handlers, script addresses, inline styles and frames from other hosts are removed, each
removal is reported as a warning at its line, also when the body comes from the cache,
and a body with nothing to remove is published byte for byte as Python-Markdown wrote it."""

from __future__ import annotations

import markdown
import pytest
from markdown.extensions.toc import slugify_unicode

from conftest import SITE_YAML, address, errors, find_diag, messages, news
from sitegen.lib.sanitize import SANDBOX, Sanitizer, scheme_of, srcset_urls

NEWS = "content/news/x.uz.md"
PAGE = address.file(address.document("uz", "news", "x"))
HOSTS = ("www.youtube-nocookie.com", "player.vimeo.com")
# The body of news(...) starts on line 5: ---, title, date, ---.
FIRST = 5


def build(site, body: str, **kwargs):
    site.write(NEWS, news("uz", "Xabar", "2025-06-12", body=body))
    result = site.build(**kwargs)
    assert errors(result) == [] and result.written, messages(result)
    return result


def warned(result, line: int | None, text: str):
    found = find_diag(result, NEWS, line, text, severity="warning")
    assert found is not None, f"no warning '{text}' at {NEWS}:{line}; got:\n" + "\n".join(messages(result))
    return found


@pytest.fixture
def embeds(site):
    site.write("data/site.yaml", SITE_YAML + "embed_hosts:\n" + "".join(f"  - {h}\n" for h in HOSTS))
    return site


def test_a_script_is_removed_with_its_content_and_reported_at_its_line(site):
    result = build(site, "Birinchi xatboshi.\n\n<script>alert(1)</script>\n\nOxiri.\n")
    body = str(site.soup(PAGE).find("main"))
    assert "<script>alert" not in body and "alert(1)" not in body
    assert "Birinchi xatboshi." in body and "Oxiri." in body
    warning = warned(result, FIRST + 2, "the <script> element was removed")
    assert warning.column == 1
    assert warning.hint == "scripts cannot run on this site"


def test_the_hint_names_the_hosts_videos_may_come_from(embeds):
    result = build(embeds, "<script src=\"https://example.com/x.js\"></script>\n")
    assert "embed videos with an <iframe> from: www.youtube-nocookie.com, player.vimeo.com" in \
        warned(result, FIRST, "<script>").hint


def test_an_event_handler_is_removed_and_its_element_kept(site):
    result = build(site, "Matn.\n\n<p>Rasm: <img src=\"/img/logo.png\" alt=\"x\" onerror=\"alert(1)\"></p>\n")
    image = site.soup(PAGE).find("main").find("img", src="/img/logo.png")
    assert image is not None and not image.has_attr("onerror")
    warning = warned(result, FIRST + 2, "the event handler 'onerror' was removed")
    assert warning.column == len('<p>Rasm: <img src="/img/logo.png" alt="x" ') + 1


def test_a_javascript_address_is_removed_from_a_link(site):
    result = build(site, "[bosing](javascript:alert(1))\n\nMatn.\n\n<a href=\"JaVaScRiPt&#58;alert(2)\">ham</a>\n")
    links = {a.get_text(): a for a in site.soup(PAGE).find("main").find_all("a")}
    assert not links["bosing"].has_attr("href") and not links["ham"].has_attr("href")
    warned(result, FIRST, "the address 'javascript:alert(1)' was removed from <a href>")
    warned(result, FIRST + 4, "the address 'JaVaScRiPt:alert(2)' was removed")


def test_an_iframe_from_an_allowed_host_is_kept_in_a_sandbox(embeds):
    player = ('<iframe width="560" height="315" src="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ" '
              'title="Video" frameborder="0" allow="autoplay; encrypted-media; picture-in-picture" '
              'referrerpolicy="strict-origin-when-cross-origin" allowfullscreen></iframe>')
    result = build(embeds, f"Video:\n\n{player}\n")
    assert result.diagnostics.warnings == [], messages(result)
    frame = embeds.soup(PAGE).find("iframe")
    assert frame["src"] == "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"
    assert " ".join(frame["sandbox"]) == SANDBOX
    assert {k: frame[k] for k in ("width", "height", "title", "allow", "referrerpolicy")} == {
        "width": "560", "height": "315", "title": "Video", "allow": "autoplay; encrypted-media; picture-in-picture",
        "referrerpolicy": "strict-origin-when-cross-origin"}
    assert frame.has_attr("allowfullscreen") and not frame.has_attr("frameborder")


@pytest.mark.parametrize("src", [
    "https://evil.example/embed/x",
    "http://www.youtube-nocookie.com/embed/x",  # not https
    "https://www.youtube-nocookie.com.evil.example/embed/x",
    "https://www.youtube-nocookie.com@evil.example/embed/x",
    "https://evil.example\\@www.youtube-nocookie.com/embed/x",
    "javascript:alert(1)",
])
def test_an_iframe_from_another_host_is_removed_whole(embeds, src):
    result = build(embeds, f"Matn.\n\n<iframe src=\"{src}\">ichida</iframe>\n\nOxiri.\n")
    main = embeds.soup(PAGE).find("main")
    assert main.find("iframe") is None and "ichida" not in main.get_text()
    warning = warned(result, FIRST + 2, "<iframe>")
    assert "was removed" in warning.message


def test_an_iframe_from_evil_example_names_the_host_and_the_allowed_ones(embeds):
    result = build(embeds, "<iframe src=\"https://evil.example/x\"></iframe>\n")
    warning = warned(result, FIRST, "the <iframe> from 'evil.example' was removed")
    assert warning.hint == "embed videos with an <iframe> from: www.youtube-nocookie.com, player.vimeo.com"


def test_without_embed_hosts_no_iframe_is_kept(site):
    result = build(site, "<iframe src=\"https://www.youtube-nocookie.com/embed/x\"></iframe>\n")
    assert site.soup(PAGE).find("iframe") is None
    assert "embed_hosts in data/site.yaml lists no host" in warned(result, FIRST, "<iframe>").hint


def test_a_style_attribute_is_removed(site):
    result = build(site, "Matn.\n\n<p style=\"color: red\">Qizil</p>\n\nXatboshi\n{: style=\"display:none\" }\n")
    main = site.soup(PAGE).find("main")
    assert main.find(style=True) is None
    assert main.find("p", string="Qizil") is not None and "Xatboshi" in main.get_text()
    warned(result, FIRST + 2, "the style attribute was removed")
    warned(result, FIRST + 5, "the style attribute was removed")


def test_a_style_element_is_removed_with_its_content(site):
    result = build(site, "<style>body { display: none }</style>\n\nMatn.\n")
    assert "display: none" not in site.html(PAGE).split("<main", 1)[1]
    warned(result, FIRST, "the <style> element was removed, with its content")


def test_the_text_of_a_removed_wrapper_is_kept(site):
    result = build(site, "<font color=\"red\">Muhim</font> matn.\n")
    assert "Muhim" in site.soup(PAGE).find("main").get_text()
    warned(result, FIRST, "the <font> element is not allowed and was removed (its text is kept)")


def test_each_kind_is_reported_once_per_line(site):
    result = build(site, "<b onclick=\"a()\">1</b> <i onclick=\"b()\">2</i> <u onmouseover=\"c()\">3</u>\n\n"
                         "<em onclick=\"d()\">4</em>\n")
    reported = sorted((d.line, d.column, d.message) for d in result.diagnostics.sorted() if d.path == NEWS)
    assert reported == [(FIRST, 4, "the event handler 'onclick' was removed"),
                        (FIRST, 50, "the event handler 'onmouseover' was removed"),
                        (FIRST + 2, 5, "the event handler 'onclick' was removed")]


def test_a_link_to_a_new_tab_gets_noopener_and_other_links_no_rel(site):
    result = build(site, "<a href=\"https://example.com/\" target=\"_blank\">tashqi</a> va "
                         "[oddiy](https://example.org/)\n")
    assert result.diagnostics.warnings == [], messages(result)
    main = site.soup(PAGE).find("main")
    assert main.find("a", string="tashqi")["rel"] == ["noopener", "noreferrer"]
    assert not main.find("a", string="oddiy").has_attr("rel")


def test_table_columns_are_aligned_without_style_attributes(site):
    result = build(site, "| a | b |\n|:--|--:|\n| 1 | 2 |\n")
    assert result.diagnostics.warnings == [], messages(result)
    table = site.soup(PAGE).find("table")
    assert [cell.get("class") for cell in table.find_all("td")] == [["align-left"], ["align-right"]]
    assert table.find(align=True) is None, "align is obsolete in HTML"
    assert table.find(style=True) is None


def test_a_kept_body_reports_its_removals_again(site, monkeypatch, tmp_path):
    body = "Matn.\n\n<script>alert(1)</script>\n\n<img src=\"/img/logo.png\" alt=\"x\" onerror=\"alert(2)\">\n"
    first = build(site, body, out=tmp_path / "one")
    conversions = []
    real = markdown.Markdown.convert
    monkeypatch.setattr(markdown.Markdown, "convert", lambda self, text: conversions.append(text) or real(self, text))
    second = site.build(out=tmp_path / "two")
    assert conversions == [], "the body was converted again instead of taken from the cache"
    assert sorted(second.diagnostics.warnings) == sorted(first.diagnostics.warnings)
    assert len([d for d in second.diagnostics.warnings if d.path == NEWS]) >= 2
    assert (tmp_path / "one" / PAGE).read_bytes() == (tmp_path / "two" / PAGE).read_bytes()
    third = site.build(out=tmp_path / "two")  # into the same folder: unchanged pages may be taken from it
    assert conversions == []
    assert sorted(third.diagnostics.warnings) == sorted(first.diagnostics.warnings)


def test_a_kept_body_is_cleaned_again_when_the_allowed_hosts_change(embeds):
    build(embeds, "<iframe src=\"https://player.vimeo.com/video/1\"></iframe>\n")
    assert embeds.soup(PAGE).find("iframe") is not None
    embeds.write("data/site.yaml", SITE_YAML + "embed_hosts:\n  - www.youtube-nocookie.com\n")
    result = embeds.build()
    assert result.written and embeds.soup(PAGE).find("iframe") is None
    warned(result, FIRST, "the <iframe> from 'player.vimeo.com' was removed")


# -- the sanitizer on its own -------------------------------------------------------

RICH = """\
## Reja {: #reja .muhim }

Matn[^1] *urgʻu*, **qalin**, `kod`, <me@example.org>, <https://example.org/?a=1&b=2>,
[havola](https://example.org/ "Sarlavha") va&nbsp;belgilar: &copy; &mdash; "qoʻshtirnoq" 5 > 3 & 2 < 4.

| Ustun | Son |
|:------|----:|
| a     | 1   |

    kod bloki <b>

> Iqtibos

1. bir
2. ikki

![rasm](data:image/png;base64,iVBORw0KGgo=)

<details><summary>Batafsil</summary>

Yashirin matn.

</details>

<abbr title="Xalqaro aloqalar">XA</abbr> <kbd>Ctrl</kbd> <mark>belgi</mark> H<sub>2</sub>O x<sup>2</sup> <del>eski</del>

[^1]: Izoh.
"""


def markdown_html(text: str) -> str:
    return markdown.Markdown(extensions=["tables", "footnotes", "attr_list", "toc"],
                             extension_configs={"toc": {"slugify": slugify_unicode, "toc_depth": "2-6"},
                                                "tables": {"use_align_attribute": True}},
                             output_format="html").convert(text)


def test_a_clean_document_is_returned_unchanged():
    html = markdown_html(RICH)
    assert "&#8617;" in html and "&#109;" in html  # written differently than nh3 would write them
    cleaned, removed = Sanitizer(HOSTS).clean(html, RICH)
    assert removed == []
    assert cleaned == html


def test_removals_name_the_line_of_the_source():
    source = "Bir.\n\nIkki.\n\n<p onmouseover=\"x()\">Uch</p>\n"
    _, removed = Sanitizer().clean(markdown_html(source), source)
    assert [(r.line, r.column, r.message) for r in removed] == [(4, 4, "the event handler 'onmouseover' was removed")]


def test_what_the_report_cannot_place_is_reported_on_the_first_line():
    source = "\n\nMatn.\n"
    _, removed = Sanitizer().clean("<p>Matn.</p><script>x()</script>", source)
    assert [(r.line, r.column) for r in removed] == [(2, 0)]


@pytest.mark.parametrize("html, kept", [
    ('<img src="data:image/png;base64,AAAA" alt="x">', True),
    ('<img src="data:text/html,x" alt="x">', False),
    ('<img srcset="/a.png 1x, javascript:x 2x" alt="x">', False),
    ('<img srcset="/a.png 480w, /b.png 800w" sizes="100vw" alt="x">', True),
    ('<a href="data:text/html;base64,PHNjcmlwdD4=">x</a>', False),
    ('<a href="mailto:ir@example.org">x</a>', True),
    ('<a href="tel:+998712302816">x</a>', True),
    ('<a href="ftp://example.org/">x</a>', False),
    ('<a href="java\tscript:x()">x</a>', False),
    ('<a href="jav  ascript:x()">x</a>', False),
    ('<a href="../partners/kaznua/">x</a>', True),
    ('<blockquote cite="javascript:x()">q</blockquote>', False),
])
def test_addresses(html, kept):
    cleaned, removed = Sanitizer().clean(html, html)
    assert (cleaned == html) is kept, cleaned
    assert (removed == []) is kept, removed


def test_scheme_and_srcset_reading():
    assert scheme_of("  JaVa\tScRiPt:x") == "javascript"
    assert scheme_of("/uz/news/") is None and scheme_of("12:30") is None
    assert srcset_urls("a.png 1x, b.png 2x") == ["a.png", "b.png"]
    assert srcset_urls("data:image/png;base64,AA,BB 1x, c.png") == ["data:image/png;base64,AA,BB", "c.png"]
