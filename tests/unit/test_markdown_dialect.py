"""The Markdown dialect: what GitHub's renderer does with fences, lists, task lists,
strikethrough and bare URLs, the site does too (unit tests on `sitegen.lib.dialect`, then
the same through a build)."""

from __future__ import annotations

import pytest

from conftest import address, errors, find_diag, messages, news, soup, warnings
from sitegen.lib.dialect import code_mask, github_lists, new_markdown

PAGE = address.file(address.document("uz", "news", "x"))
NEWS = "content/news/x.uz.md"


def html(text: str, **options) -> str:
    return new_markdown(**options).convert(text)


def structure(text: str) -> list[str]:
    """The block structure GitHub's renderer is compared on: headings, lists with their
    depth, code blocks, tables, quotes and rules, in document order."""
    out = []

    def walk(node, depth):
        for child in getattr(node, "children", ()):
            name = getattr(child, "name", None)
            if name in ("ul", "ol"):
                out.append(f"{name}{depth + 1}")
                walk(child, depth + 1)
                continue
            if name in ("h1", "h2", "h3", "h4", "h5", "h6", "pre", "table", "blockquote", "hr"):
                out.append(name)
            if name:
                walk(child, depth)

    walk(soup(html(text)), 0)
    return out


# -- fenced code ------------------------------------------------------------------

def test_a_fence_is_a_highlighted_code_block_whose_html_stays_text():
    out = soup(html("```html\n<table><tr><td>cell</td></tr></table>\n```\n"))
    block = out.find("div", class_="highlight")
    assert block is not None and block.pre.code is not None
    assert out.find("table") is None, "HTML inside a fence must be shown, not parsed"
    assert "<table>" in block.get_text()
    assert block.find("span", class_="nt") is not None, "Pygments classes, not inline styles"
    assert out.find(style=True) is None


@pytest.mark.parametrize("fence", ["```", "~~~", "````"])
def test_backtick_and_tilde_fences(fence):
    out = soup(html(f"{fence}\nline one\n  line two\n{fence}\n\nAfter.\n"))
    assert out.find("pre").get_text() == "line one\n  line two\n"
    assert out.find("p").get_text() == "After."


def test_a_fence_inside_a_list_item_at_its_text_column():
    text = "1. Download the form:\n\n   ```sh\n   curl -O form.pdf\n   ```\n\n2. Fill it in.\n"
    out = soup(html(text))
    items = out.find("ol").find_all("li", recursive=False)
    assert len(items) == 2
    assert items[0].find("pre") is not None and "curl -O form.pdf" in items[0].find("pre").get_text()
    assert structure(text) == ["ol1", "pre"]


def test_a_fence_inside_a_block_quote():
    out = soup(html("> ```\n> <b>not bold</b>\n> ```\n"))
    assert out.blockquote.find("pre") is not None
    assert out.find("b") is None


def test_an_unclosed_fence_is_code_to_the_end_with_a_warning():
    md = new_markdown()
    out = soup(md.convert("Text.\n\n```python\nx = 1\n\n# not a heading\n"))
    assert out.find("h1") is None
    assert "# not a heading" in out.find("pre").get_text()
    assert [(w.line, "never closed" in w.message) for w in md.dialect.warnings] == [(3, True)]


def test_a_fence_right_after_a_paragraph_line():
    assert structure("Run this:\n```\nmake\n```\n") == ["pre"]


# -- lists ------------------------------------------------------------------------

@pytest.mark.parametrize("indent", [2, 3, 4])
def test_nesting_by_the_parent_items_text_column(indent):
    pad = " " * indent
    text = f"- one\n{pad}- two\n{pad}{pad}- three\n- four\n"
    if indent == 3:  # three spaces nest under "- " (column 2) once, then under column 5
        text = "- one\n  - two\n     - three\n- four\n"
    assert structure(text) == ["ul1", "ul2", "ul3"]
    top = soup(html(text)).find("ul").find_all("li", recursive=False)
    assert [li.contents[0].strip() for li in top] == ["one", "four"]


def test_ordered_items_nest_at_three_spaces():
    assert structure("1. one\n   - a\n   - b\n2. two\n") == ["ol1", "ul2"]


def test_a_numbered_list_right_after_a_bullet_list_starts_a_new_list():
    out = soup(html("- a\n- b\n1. one\n2. two\n"))
    assert [child.name for child in out.find_all(["ul", "ol"])] == ["ul", "ol"]
    assert len(out.find("ul").find_all("li")) == 2 and len(out.find("ol").find_all("li")) == 2


def test_a_list_may_follow_a_paragraph_line_directly():
    assert structure("Features:\n- fast\n- small\n") == ["ul1"]


def test_an_indented_line_after_a_blank_line_continues_the_item():
    out = soup(html("- item\n\n  second paragraph\n- next\n"))
    first = out.find("ul").find("li")
    assert "second paragraph" in first.get_text()
    assert len(out.find("ul").find_all("li", recursive=False)) == 2


def test_a_lazy_line_continues_the_item():
    out = soup(html("- a long item\nthat goes on\n- next\n"))
    items = out.find("ul").find_all("li", recursive=False)
    assert len(items) == 2 and "goes on" in items[0].get_text()


def test_the_next_ordered_item_after_a_paragraph_in_an_item():
    out = soup(html("1. First\n\n   More about it.\n2. Second\n"))
    assert len(out.find("ol").find_all("li", recursive=False)) == 2


def test_lists_in_a_block_quote_nest_by_the_same_rule():
    assert structure("> Steps:\n> - one\n>   - two\n> 1. first\n") == ["blockquote", "ul1", "ul2", "ol1"]


def test_an_unclosed_fence_in_a_quote_is_reported_at_its_line():
    md = new_markdown()
    out = soup(md.convert("Text.\n\n> ```\n> <b>x</b>\n"))
    assert out.blockquote.find("pre") is not None and out.find("b") is None
    assert [w.line for w in md.dialect.warnings] == [3]


def test_a_list_marker_inside_a_fence_is_code():
    assert structure("```\n- not an item\n  - nor this\n```\n") == ["pre"]


def test_list_lines_keep_their_numbers():
    out = github_lists(["- a", "  - b", "", "text"], [])
    assert out == ["- a", "    - b", "", "text"]


def test_parenthesis_numbers_are_read_as_numbers():
    assert structure("1) one\n2) two\n") == ["ol1"]


# -- where blocks end, as on GitHub ----------------------------------------------------

def test_an_html_block_ends_at_a_blank_line_and_markdown_follows():
    text = "<details>\n<summary>More</summary>\n\n#### Inside\n\n- one\n\n</details>\n"
    out = soup(html(text))
    assert out.find("details").find("summary") is not None
    assert out.find("h4") is not None and out.find("ul") is not None
    assert structure(text) == ["h4", "ul1"]


def test_html_pre_keeps_its_lines_as_written():
    out = soup(html("<pre>\n- not a list\n    indented\n\nstill pre\n</pre>\n"))
    assert out.find("ul") is None
    assert "    indented\n\nstill pre" in out.find("pre").get_text()


def test_quotes_apart_stay_apart():
    assert structure("> one\n\n> two\n") == ["blockquote", "blockquote"]
    assert structure("> one\n>\n> still one\n") == ["blockquote"]


def test_a_closing_fence_longer_than_the_opening_one():
    assert structure("```js\ncode\n`````\n\n# After\n") == ["pre", "h1"]


def test_only_the_first_word_of_the_info_string_names_the_language():
    out = soup(html("```rust,no_run\n#[tokio::main]\nasync fn main() {}\n```\n\n```json lines\n{}\n```\n"))
    assert out.find("h1") is None and len(out.find_all("pre")) == 2
    assert out.find("pre").find("span") is not None, "highlighted as Rust"


def test_a_line_right_after_a_fence_starts_a_block_of_its_own():
    assert structure("```\ncode\n```\n---\n") == ["pre", "hr"]
    out = soup(html("```\ncode\n```\ntext after\n"))
    assert out.find("p").get_text() == "text after" and out.find("p").find("pre") is None


def test_a_table_right_after_a_paragraph_line():
    assert structure("The fields:\n| a | b |\n|---|---|\n| 1 | 2 |\n") == ["table"]


def test_a_nested_list_right_after_a_paragraph_inside_an_item():
    text = "1. Remove it:\n\n   then run:\n   - Homebrew: `brew uninstall`\n   - Other: delete it\n"
    assert structure(text) == ["ol1", "ul2"]


def test_an_unclosed_comment_is_reported_at_its_line():
    md = new_markdown()
    out = md.convert("Text.\n\n<!-- TODO: check the dates\n\nThe rest.\n")
    assert [(w.line, w.message) for w in md.dialect.warnings] == [
        (3, "this HTML comment is never closed, so everything after it is hidden from the page")]
    assert md.dialect.warnings[0].hint == "close it with -->"
    md.reset()
    md.convert("<!-- closed -->\ntext\n")
    assert md.dialect.warnings == []


def test_a_table_row_with_more_cells_than_the_header_is_reported():
    md = new_markdown()
    md.convert("Intro\n\n| a | b |\n|---|---|\n| 1 | 2 |\n| 1 | 2 | 3 |\n| `x|y` | z\\|w |\n")
    assert [(w.line, "3 cells but the table has 2 columns" in w.message) for w in md.dialect.warnings] == [
        (6, True)]


# -- task lists, strikethrough, bare URLs -------------------------------------------

def test_task_items_are_marks_with_hidden_words_and_no_form_controls():
    out = soup(html("- [ ] write\n- [x] read\n- plain\n", labels=("Bajarilgan:", "Bajarilishi kerak:")))
    assert out.find("input") is None
    todo, done, plain = out.find_all("li")
    assert "task-todo" in todo["class"] and "task-done" in done["class"]
    assert todo.find("span", class_="task-box")["aria-hidden"] == "true"
    assert todo.find("span", class_="visually-hidden").get_text() == "Bajarilishi kerak: "
    assert done.find("span", class_="visually-hidden").get_text() == "Bajarilgan: "
    assert todo.get_text() == "Bajarilishi kerak: write"
    assert plain.get("class") is None
    assert "task-list" in out.find("ul")["class"]


def test_strikethrough_and_bare_urls():
    out = soup(html("~~old~~ see https://example.org/a_b?x=1 or www.example.com.\n"))
    assert out.find("del").get_text() == "old"
    assert [a["href"] for a in out.find_all("a")] == ["https://example.org/a_b?x=1", "http://www.example.com"]


@pytest.mark.parametrize("text, links", [
    ("See https://example.org/path.", ["https://example.org/path"]),
    ("(see https://en.wikipedia.org/wiki/Tashkent_(city))", ["https://en.wikipedia.org/wiki/Tashkent_(city)"]),
    ("(see https://example.org/x)", ["https://example.org/x"]),
    ("Write to info@example.org, please", ["mailto:info@example.org"]),
    ("Two: https://a.example/ and www.b.example!", ["https://a.example/", "http://www.b.example"]),
    ("In code: `https://example.org` and [text](https://c.example/)", ["https://c.example/"]),
    ("<https://d.example/> stays one link", ["https://d.example/"]),
    ("not a link: example.org or xhttps://e.example", []),
])
def test_bare_addresses_by_githubs_rules(text, links):
    out = soup(html(text + "\n"))
    assert [a["href"] for a in out.find_all("a")] == links


def test_bare_addresses_in_lists_headings_and_tables():
    out = soup(html("## See www.example.org\n\n- https://a.example\n\n| a |\n|---|\n| https://b.example |\n"))
    assert [a["href"] for a in out.find_all("a")] == ["http://www.example.org", "https://a.example",
                                                     "https://b.example"]
    assert out.find("pre") is None


def test_patterns_left_out_for_one_document_are_back_for_the_next():
    md = new_markdown()
    assert "<del>" not in md.convert("plain text\n")
    md.reset()
    assert "<del>gone</del>" in md.convert("~~gone~~ and `code` and **bold**\n")
    md.reset()
    assert "<strong>" in md.convert("**bold** only\n")


def test_tables_and_footnotes_as_before():
    out = soup(html("| a | b |\n|---|--:|\n| 1 | 2 |\n\nNote[^1].\n\n[^1]: The note.\n"))
    assert out.find("table") is not None and out.find("td", class_="align-right") is not None
    assert out.find("div", class_="footnote") is not None


# -- ids --------------------------------------------------------------------------

def test_headings_never_take_the_templates_ids_and_own_links_follow():
    out = soup(html("## Main\n\n## Site search\n\n## Main\n\n[up](#main)\n",
                    reserved=frozenset({"main", "site-search"})))
    ids = [h["id"] for h in out.find_all("h2")]
    assert ids[:2] == ["main-1", "site-search-1"], ids
    assert len(set(ids)) == 3 and not {"main", "site-search"} & set(ids), ids
    assert out.find("a")["href"] == "#main-1"


def test_an_explicit_id_twice_gets_a_number():
    out = soup(html("## One {#x}\n\n## Two {#x}\n"))
    assert [h["id"] for h in out.find_all("h2")] == ["x", "x-1"]


def test_code_mask_blanks_code_and_keeps_positions():
    text = "a [x](y.md)\n```\n[x](y.md)\n```\nand `[x](y.md)` too\n"
    masked = code_mask(text)
    assert len(masked) == len(text) and masked.count("\n") == text.count("\n")
    assert masked.count("y.md") == 1 and masked.index("y.md") == text.index("y.md")


# -- through a build ----------------------------------------------------------------

def test_a_page_with_every_construct_builds_clean_and_has_unique_ids(site):
    body = ("## Main\n\n- [x] done\n- [ ] to do\n  - nested two spaces\n\n"
            "```python\nprint('<b>')\n```\n\n~~old~~ https://example.org\n\n## Site search\n")
    site.write(NEWS, news("uz", "X", "2025-06-12", body=body))
    result = site.build()
    assert errors(result) == [] and warnings(result) == [], messages(result)
    page = site.soup(PAGE)
    ids = [tag["id"] for tag in page.find_all(id=True)]
    assert len(ids) == len(set(ids)), sorted(ids)
    main = page.find("main")
    assert main.find("div", class_="highlight") is not None
    assert main.find("input") is None
    assert main.find("span", class_="visually-hidden", string="Bajarilgan: ") is not None
    assert page.find("a", href="#main") is not None, "the skip link still leads to <main>"


def test_an_unclosed_fence_is_reported_at_its_line(site):
    site.write(NEWS, news("uz", "X", "2025-06-12", body="Matn.\n\n```\ncode\n"))
    result = site.build()
    diag = find_diag(result, NEWS, 7, "never closed", severity="warning")
    assert diag is not None, messages(result)
    assert "```" in diag.hint


def test_sanitizer_warnings_never_come_from_code(site):
    body = "```html\n<script>alert(1)</script>\n<p onclick=\"x()\">p</p>\n```\n\nText with `<script>` in code.\n"
    site.write(NEWS, news("uz", "X", "2025-06-12", body=body))
    result = site.build()
    assert warnings(result) == [] and errors(result) == [], messages(result)
    assert "<script>alert(1)</script>" in site.soup(PAGE).find("main").find("pre").get_text()
