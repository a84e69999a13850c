"""The site's Markdown against GitHub's, on real documents written for GitHub.

tests/corpus/gfm/ holds READMEs and docs pages of public repositories, chosen by the
rule written in its SOURCES.md. Every document is converted twice: by the site's
dialect (`sitegen.lib.dialect.new_markdown()`) and by cmark-gfm (`cmarkgfm`, the C
library GitHub renders Markdown with; a test-only dependency in requirements-dev.txt),
with GitHub's options: raw HTML kept (CMARK_OPT_UNSAFE), footnotes on, and the
extensions table, strikethrough, autolink, tagfilter and tasklist.

What is compared is the **block structure** of the two outputs: the start tags of
h1-h6, ul/ol (each with its depth: how many ul/ol elements it sits in), pre, table,
blockquote and hr, in document order. Text, inline markup, attributes, ids,
highlighting and paragraphs are not compared. A document *agrees* when the two
sequences are equal; at least 95 % of the documents must agree.

- Raw HTML counts the same on both sides: both renderers pass it through, so an
  element written as HTML (`<table>`, `<hr>`, `<h1 align=center>`, a `<ul>` in a
  `<details>`) is part of the structure of both outputs. Where the two read the
  Markdown around raw HTML differently (what ends an HTML block, Markdown written
  inside one), the sequences differ, and that is a disagreement worth seeing.
- Code is never structure: elements inside <pre> are not collected (a renderer
  escapes them anyway), and neither is the content of <script>, <style> or comments.
- Footnotes are left out: GitHub writes them as `<section class="footnotes">`,
  Python-Markdown as `<div class="footnote">` with an <hr>; the subtree of either
  is skipped.

The site's output also goes through the sanitizer, and no removal it reports may
point at a line inside a fenced code block of the source: code is shown, never
read as HTML. (`Removal.line` counts from 0, as the sanitizer documents.)

The test prints "N/M documents agree" and, for each disagreeing document, a short
diff of the two sequences; run it with `-s` or `-rA` to see them. Without cmarkgfm
it is skipped and says why, except under the CI environment variable, where it fails.
"""

from __future__ import annotations

import difflib
import os
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import ROOT

pytestmark = pytest.mark.slow  # left out of the fast tier (see tests/conftest.py)

try:
    import cmarkgfm
    from cmarkgfm.cmark import Options
except ImportError:  # pragma: no cover - depends on the environment
    cmarkgfm = None

CORPUS = ROOT / "tests" / "corpus" / "gfm"
REQUIRED_AGREEMENT = 0.95
HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
BLOCKS = HEADINGS | {"pre", "table", "blockquote", "hr"}
LISTS = {"ul", "ol"}
DIFF_LINES = 14  # per disagreeing document


def corpus_documents() -> list[Path]:
    return sorted(path for path in CORPUS.glob("*.md") if path.name != "SOURCES.md")


def read_source(path: Path) -> str:
    """The document's text as the site reads a source: BOM dropped, CRLF/CR made LF."""
    text = path.read_bytes().decode("utf-8")
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


def github_html(text: str) -> str:
    options = Options.CMARK_OPT_UNSAFE | Options.CMARK_OPT_FOOTNOTES
    return cmarkgfm.github_flavored_markdown_to_html(text, options)


# -- block structure ---------------------------------------------------------------


class _Structure(HTMLParser):
    """Collects the block structure of an HTML body (see the module docstring)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.sequence: list[str] = []
        self.lists: list[str] = []  # open ul/ol, innermost last
        self.pre = 0  # open <pre> elements
        self.skipping: tuple[str, int] | None = None  # (tag, nesting) of a skipped footnote section

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.skipping is not None:
            name, depth = self.skipping
            if tag == name:
                self.skipping = (name, depth + 1)
            return
        classes = (dict(attrs).get("class") or "").split()
        if (tag == "section" and "footnotes" in classes) or (tag == "div" and "footnote" in classes):
            self.skipping = (tag, 1)
            return
        if self.pre:
            self.pre += tag == "pre"
            return
        if tag in LISTS:
            self.sequence.append(f"{tag} depth {len(self.lists)}")
            self.lists.append(tag)
        elif tag in BLOCKS:
            self.sequence.append(tag)
            self.pre += tag == "pre"

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in LISTS and tag != "pre":  # <hr />; a self-closed <ul/> opens nothing
            self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if self.skipping is not None:
            name, depth = self.skipping
            if tag == name:
                self.skipping = (name, depth - 1) if depth > 1 else None
            return
        if tag == "pre" and self.pre:
            self.pre -= 1
        elif tag in LISTS and not self.pre and tag in self.lists:
            while self.lists.pop() != tag:
                pass


def block_structure(html: str) -> list[str]:
    parser = _Structure()
    parser.feed(html)
    parser.close()
    return parser.sequence


# -- fenced code in the source -------------------------------------------------------

QUOTE_PREFIX = re.compile(r"(?: {0,3}>)+ ?")
LIST_MARKER = re.compile(r"( *)([-+*]|\d{1,9}[.)])( {1,4}(?=\S)| *$)")
FENCE = re.compile(r"( *)(`{3,}|~{3,})(.*)")


def fenced_lines(text: str) -> set[int]:
    """The 0-based numbers of the lines inside fenced code blocks (not the fences).

    A small CommonMark-style scan: a fence is three or more backticks or tildes,
    indented at most three spaces relative to its container (the document, or a list
    item whose text starts at a known column), after any block-quote markers; it is
    closed by a fence of the same character at least as long, or by the end of the
    document. A backtick fence's info string has no backtick. Containers are followed
    approximately: every list item seen since the last unindented paragraph line
    counts as a possible container."""
    inside: set[int] = set()
    columns: list[int] = []  # text columns of list items that may still be open
    fence: tuple[str, int, int] | None = None  # (character, length, container column)
    lines = text.split("\n")
    if lines[-1] == "":
        lines.pop()  # what follows the last line break is no line
    for number, raw in enumerate(lines):
        quote = QUOTE_PREFIX.match(raw)
        line = raw[quote.end():] if quote else raw
        indent = len(line) - len(line.lstrip(" "))
        if fence is not None:
            char, length, column = fence
            stripped = line.strip()
            if indent <= column + 3 and stripped.startswith(char * length) and not stripped.strip(char):
                fence = None
            else:
                inside.add(number)
            continue
        if not line.strip():
            continue
        marker = LIST_MARKER.match(line)
        if marker:
            column = marker.end()
            columns = [c for c in columns if c < column] + [column]
            opened = FENCE.fullmatch(line[column:])
            if opened and not (opened.group(2)[0] == "`" and "`" in opened.group(3)):
                fence = (opened.group(2)[0], len(opened.group(2)), column)
            continue
        if indent == 0 and not quote:
            columns = []
        container = max((c for c in [0, *columns] if c <= indent), default=0)
        opened = FENCE.fullmatch(line)
        if opened and indent - container <= 3 and not (opened.group(2)[0] == "`" and "`" in opened.group(3)):
            fence = (opened.group(2)[0], len(opened.group(2)), container)
    return inside


def test_fenced_lines_scan():
    text = ("# t\n"  # 0
            "```sh\n"  # 1
            "<script>x</script>\n"  # 2
            "```\n"  # 3
            "- item\n"  # 4
            "  ~~~~\n"  # 5
            "  <b onclick=x>\n"  # 6
            "  ~~~\n"  # 7 (too short: still inside)
            "  ~~~~\n"  # 8
            "> ```\n"  # 9
            "> <i>\n"  # 10
            "> ```\n"  # 11
            "    ```\n"  # 12 (in the list item: a fence)
            "    x\n"  # 13
            "    ```\n"  # 14
            "text\n"  # 15
            "    ```\n"  # 16 (indented code, not a fence)
            "``` a`b\n"  # 17 (not a fence: backtick in the info string)
            "````\n"  # 18
            "```\n"  # 19
            )
    assert fenced_lines(text) == {2, 6, 7, 10, 13, 19}


# -- the comparison ----------------------------------------------------------------


def _require_cmarkgfm() -> None:
    if cmarkgfm is not None:
        return
    reason = ("cmarkgfm, the reference GFM renderer, is not installed "
              "(pip install -r requirements-dev.txt)")
    if os.environ.get("CI"):
        pytest.fail(reason)
    print(reason)
    pytest.skip(reason)


def _short_diff(name: str, site: list[str], github: list[str]) -> str:
    diff = list(difflib.unified_diff(github, site, "github", "site", n=1, lineterm=""))[2:]
    if len(diff) > DIFF_LINES:
        diff = diff[:DIFF_LINES] + [f"... ({len(diff) - DIFF_LINES} more lines)"]
    return "\n".join([f"--- {name}"] + ["    " + line for line in diff])


def test_block_structure_agrees_with_github():
    _require_cmarkgfm()
    from sitegen.lib.dialect import new_markdown
    from sitegen.lib.sanitize import Sanitizer

    documents = corpus_documents()
    assert len(documents) >= 110, f"the corpus holds only {len(documents)} documents"
    md = new_markdown()
    sanitizer = Sanitizer(())
    disagreements, in_code = [], []
    for path in documents:
        text = read_source(path)
        md.reset()
        html = md.convert(text)
        site, github = block_structure(html), block_structure(github_html(text))
        if site != github:
            disagreements.append(_short_diff(path.name, site, github))
        fenced = fenced_lines(text)
        _, removals = sanitizer.clean(html, text)
        in_code += [f"{path.name}:{removal.line + 1}: {removal.message}"
                    for removal in removals if removal.line in fenced]

    agree = len(documents) - len(disagreements)
    print(f"\n{agree}/{len(documents)} documents agree")
    if disagreements:
        print("Block structure, GitHub (-) against the site (+):")
        print("\n".join(disagreements))
    if in_code:
        print("Removals placed inside fenced code:\n" + "\n".join(in_code))
    assert agree >= REQUIRED_AGREEMENT * len(documents), (
        f"only {agree}/{len(documents)} documents have GitHub's block structure "
        f"(at least {REQUIRED_AGREEMENT:.0%} must); the differences are printed above")
    assert not in_code, "the sanitizer reported removals inside fenced code:\n" + "\n".join(in_code)
