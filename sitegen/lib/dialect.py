"""Part of stage 4: the Markdown dialect editors write, GitHub's, on Python-Markdown.

Python-Markdown with its own `tables`, `footnotes`, `attr_list`, `toc` and
`sane_lists`, and from PyMdown Extensions (the extension set the Python-Markdown
world maintains): `superfences` (fenced code with ``` and ~~~, also inside list
items and block quotes; the content is always code, never HTML), `highlight`
(Pygments at build time, CSS classes only) and `tilde` (~~strikethrough~~). These
pieces are ours:

- `GithubLists`, a preprocessor that re-indents list items by GitHub's rule (a
  child starts at its parent item's text column, so two-, three- and four-space
  nesting all work) into the four-space indentation Python-Markdown reads, lets a
  list interrupt a paragraph, and closes a fence left open at the end of the
  document (with a warning at the line that opened it);
- `TaskItems`: `- [ ]` and `- [x]` items become a drawn box and hidden text
  ("Done:", "To do:" in the page's language), never a form control;
- `UniqueIds`: a heading, footnote or `{#id}` never takes an id the page's
  templates use (`main`, `site-search`, ...) or one used earlier in the body;
- `BareUrls`: addresses written out (https://..., www..., e-mail) become links by
  GitHub's rules, in one pass over the finished text;
- `PatternsInUse`: an inline pattern is tried only on documents that hold its
  trigger (a `~` for strikethrough, a `[` for links): Python-Markdown otherwise tries
  every pattern on every piece of text, most of its time;
- `TableCells`: column alignment as classes.

`code_mask()` blanks out the code of a source, so that what is reported about a
body (links, removed HTML) is never placed inside code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from xml.etree.ElementTree import Element, SubElement

import markdown
from markdown.blockprocessors import BlockQuoteProcessor
from markdown.extensions import Extension
from markdown.extensions.toc import slugify_unicode
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor

EXTENSIONS = ["tables", "footnotes", "attr_list", "toc", "sane_lists", "pymdownx.superfences",
              "pymdownx.highlight", "pymdownx.tilde"]
EXTENSION_CONFIGS = {
    "toc": {"slugify": slugify_unicode, "toc_depth": "2-6"},
    "tables": {"use_align_attribute": True},  # no style attributes: the sanitizer removes them
    "pymdownx.highlight": {"use_pygments": True, "css_class": "highlight", "guess_lang": False,
                           "pygments_lang_class": False},
    "pymdownx.tilde": {"subscript": False},
}
# Everything besides the text that shapes a converted body, for the keys of kept bodies.
SETUP = ["dialect-1", EXTENSIONS, "toc: slugify_unicode, depth 2-6", "tables: align attribute",
         "highlight: pygments classes", "lists: github columns", "tasks: marks", "ids: unique", "cells: align classes",
         "bare urls: github rules"]
# An inline pattern is tried on a document only if it holds one of these texts: a pattern
# cannot match without them, and trying each pattern on every piece of text is most of
# Python-Markdown's time. Patterns not named here are always tried.
TRIGGERS = {
    "backtick": ("`",), "escape": ("\\",), "footnote": ("[^",), "reference": ("[",), "link": ("[",),
    "short_reference": ("[",), "image_link": ("![",), "image_reference": ("![",), "short_image_ref": ("![",),
    "autolink": ("<",), "automail": ("<",), "html": ("<",), "linebreak": ("  \n",), "entity": ("&",),
    "em_strong": ("*", "_"), "delimiter": ("~",),
}
# GitHub's extended autolinks: http://, https:// and www. addresses, and e-mail addresses,
# at the start of a line or after a space or ( * _ ~; trailing punctuation is not part of them.
BARE_URL = re.compile(r"(?:(?<=[\s(*_~])|^)(?:(?:https?://|www\.)[^\s<\x02\x03]+|"
                      r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+)")
TRAILING = "?!.,:*_~'\""

QUOTE = re.compile(r" {0,3}> ?")
# CommonMark's HTML blocks: (start, end) for kinds 1-5, which end at a line holding the
# end; kinds 6 and 7 end at a blank line, and 7 cannot interrupt a paragraph.
HTML_UNTIL = [(re.compile(r" {0,3}<(?:script|pre|style|textarea)(?:\s|>|$)", re.I),
               re.compile(r"</(?:script|pre|style|textarea)>", re.I)),
              (re.compile(r" {0,3}<!--"), re.compile(r"-->")),
              (re.compile(r" {0,3}<\?"), re.compile(r"\?>")),
              (re.compile(r" {0,3}<![A-Za-z]"), re.compile(r">")),
              (re.compile(r" {0,3}<!\[CDATA\["), re.compile(r"\]\]>"))]
HTML_BLOCK_TAG = re.compile(
    r" {0,3}</?(?:address|article|aside|base|basefont|blockquote|body|caption|center|col|colgroup|dd|details|"
    r"dialog|dir|div|dl|dt|fieldset|figcaption|figure|footer|form|frame|frameset|h[1-6]|head|header|hr|html|"
    r"iframe|legend|li|link|main|menu|menuitem|nav|noframes|ol|optgroup|option|p|param|search|section|summary|"
    r"table|tbody|td|tfoot|th|thead|title|tr|track|ul)(?:\s|/?>|$)", re.I)
HTML_ANY_TAG = re.compile(r" {0,3}(?:<[A-Za-z][A-Za-z0-9-]*(?:\s+[A-Za-z_:][\w.:-]*(?:\s*=\s*(?:[^\s\"'=<>`]+|'[^']*'|"
                          r"\"[^\"]*\"))?)*\s*/?>|</[A-Za-z][A-Za-z0-9-]*\s*>)\s*$")
TABLE_RULE = re.compile(r" {0,3}\|?\s*:?-+:?\s*(?:\|\s*:?-+:?\s*)*\|?\s*$")
MARKER = re.compile(r"( *)([-+*]|\d{1,9}[.)])( +|$)")
FENCE_OPEN = re.compile(r"( *)(`{3,}|~{3,})(.*)")
THEMATIC_BREAK = re.compile(r" {0,3}([-*_])(?: *\1){2,} *$")
INFO_WORD = re.compile(r"[\w#+.-]+")  # the language of a fence: the first word of its info string
TASK = re.compile(r"\[([ xX])\](?:\s+|$)")
HTML_ID = re.compile(r"""\sid\s*=\s*["']([A-Za-z][\w:.-]*)["']""")


@dataclass
class Notice:
    line: int  # 1-based, in the Markdown source
    message: str
    hint: str


@dataclass
class _Item:
    content: int  # the column where the item's text starts, in the source
    depth: int
    ordered: bool
    loose: bool = False  # a blank line stood inside it


@dataclass
class _Fence:
    char: str
    length: int
    strip: int  # the container's column in the source
    prefix: str  # the indentation written out
    line: int  # where it opened (1-based)


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


@dataclass
class _ListState:
    out: list[str] = field(default_factory=list)
    stack: list[_Item] = field(default_factory=list)
    fence: _Fence | None = None
    previous: str = "blank"  # blank, text (a paragraph line), code, other
    marker_at: int = -1  # the output line of the last list item's marker
    table: int = 0  # the columns of the table being read, 0 outside tables
    warnings: list = field(default_factory=list)


def github_lists(lines: list[str], warnings: list[Notice], stash=None) -> list[str]:
    """`lines` re-indented the way Python-Markdown reads lists (see the module's
    docstring); fences are recognised so their content is never taken for list items,
    and the content of a block quote is read the same way. With `stash` (Python-Markdown's
    htmlStash.store), an HTML block ends where GitHub ends it: at a blank line, so the
    Markdown after it is Markdown."""
    s = _ListState(warnings=warnings)
    index = 0
    while index < len(lines):
        line = lines[index]
        if s.fence is not None:
            _fence_line(s, line)
        elif not line.strip():
            s.out.append("")
            s.table = 0
            for item in s.stack:
                item.loose = True
            if s.previous != "code":
                s.previous = "blank"
        elif not s.stack and QUOTE.match(line):
            end = index
            while end < len(lines) and QUOTE.match(lines[end]):
                end += 1
            inner: list[Notice] = []
            quoted = github_lists([QUOTE.sub("", text, count=1) for text in lines[index:end]], inner, stash)
            warnings.extend(Notice(notice.line + index, notice.message, notice.hint) for notice in inner)
            s.out.extend(("> " + text) if text else ">" for text in quoted)
            s.previous = "other"
            index = end
            continue
        elif (stash is not None and (not s.stack or _indent(line) < s.stack[0].content)
              and (end := _html_block_end(lines, index, s.previous, warnings))):
            if s.previous != "blank":
                s.out.append("")
            s.stack = []  # an HTML block at the left margin ends any list
            s.out += [stash("\n".join(lines[index:end])), ""]
            s.previous = "blank"
            index = end
            continue
        else:
            _line(s, line, index + 1)
        index += 1
    if s.fence is not None:
        fence = s.fence
        s.out.append(fence.prefix + fence.char * fence.length)
        warnings.append(Notice(fence.line, "this code block is never closed, so it runs to the end of the "
                                           "document", f"end it with {fence.char * fence.length} on a line of "
                                                       "its own"))
    return s.out


def _html_block_end(lines: list[str], index: int, previous: str, warnings: list[Notice]) -> int:
    """Where the HTML block starting at `lines[index]` ends (the index after it), or 0.
    A comment (or <pre>, <script>...) never closed hides the rest of the document, as on
    GitHub: a warning says so at its line."""
    line = lines[index]
    for start, end in HTML_UNTIL:
        if start.match(line):
            for last in range(index, len(lines)):
                if end.search(lines[last], start.match(line).end() if last == index else 0):
                    return last + 1
            if any(text.strip() for text in lines[index + 1:]) or "<!--" in line:
                what = "HTML comment" if "<!--" in line else "HTML block"
                closing = "-->" if "<!--" in line else end.pattern.replace("\\", "")
                warnings.append(Notice(index + 1, f"this {what} is never closed, so everything after it is "
                                                  "hidden from the page", f"close it with {closing}"))
            return len(lines)
    if HTML_BLOCK_TAG.match(line) or (previous != "text" and HTML_ANY_TAG.match(line)):
        last = index
        while last < len(lines) and lines[last].strip():
            last += 1
        return last
    return 0


def _fence_line(s: _ListState, line: str) -> None:
    fence = s.fence
    indent = _indent(line)
    rest = line[min(indent, fence.strip):]
    stripped = line.strip()
    if (indent - fence.strip <= 3 and indent >= fence.strip and stripped.startswith(fence.char * fence.length)
            and not stripped.strip(fence.char)):
        s.fence = None
        s.previous = "blank"  # what follows a fence starts a block of its own, as on GitHub
        s.out += [fence.prefix + fence.char * fence.length, ""]
        return
    s.out.append(fence.prefix + rest if line.strip() else "")


def _line(s: _ListState, line: str, number: int) -> None:
    indent = _indent(line)
    text = line[indent:]
    block_start = _starts_block(text, indent - (s.stack[-1].content if s.stack else 0), bool(s.stack))
    if s.previous == "text" and s.stack and indent < s.stack[-1].content and not block_start:
        s.out.append("    " * len(s.stack) + text)  # a lazy continuation of the item's paragraph
        return
    sibling = None  # the last item closed by this line
    while s.stack and indent < s.stack[-1].content:
        sibling = s.stack.pop()
    base = s.stack[-1].content if s.stack else 0
    prefix = "    " * len(s.stack)
    relative = indent - base
    marker = None
    if relative <= 3 and not THEMATIC_BREAK.match(line[base:]):
        marker = MARKER.match(line)
    if marker:
        _item(s, line, marker, sibling)
        return
    if sibling is not None and not s.stack and s.previous != "blank":
        s.out.append("")  # the list ends here: Python-Markdown needs it said with a blank line
    if relative >= 4 and s.previous in ("blank", "code"):
        s.out.append(prefix + line[base:])  # indented code
        s.previous = "code"
        return
    if relative >= 4 and s.previous == "text":
        s.out.append(prefix + line[base:])  # a paragraph's continuation
        return
    fence = FENCE_OPEN.fullmatch(line[base:]) if relative <= 3 else None
    if fence and not (fence.group(2)[0] == "`" and "`" in fence.group(3)):
        s.fence = _Fence(fence.group(2)[0], len(fence.group(2)), base, prefix, number)
        if s.previous == "text":
            s.out.append("")
        language = INFO_WORD.match(fence.group(3).strip())
        s.out.append(prefix + fence.group(2) + (language.group(0) if language else ""))
        s.previous = "other"
        return
    if not s.stack and TABLE_RULE.match(line) and "|" in line and s.out and "|" in s.out[-1]:
        if len(s.out) > 1 and s.out[-2].strip() and not s.out[-2].lstrip().startswith(("|", "#", ">")):
            s.out.insert(len(s.out) - 1, "")  # a table may follow a paragraph directly, as on GitHub
        s.table = len(_cells(s.out[-1]))
    elif s.table and "|" in line and len(_cells(line)) > s.table:
        s.warnings.append(Notice(number, f"this table row has {len(_cells(line))} cells but the table has "
                                         f"{s.table} columns; the cells after the last column are not shown",
                                 "add a column to the header row and the line under it, or join the cells"))
    s.out.append(prefix + line[base:])
    s.previous = "other" if text.startswith(("#", "|")) or THEMATIC_BREAK.match(text) else "text"


def _cells(row: str) -> list[str]:
    """The cells of a table row: split at | outside code spans and escapes."""
    row = CODE_SPAN.sub(lambda m: "x" * len(m.group(0)), row.replace("\\|", "xx")).strip()
    if row.startswith("|"):
        row = row[1:]
    if row.endswith("|"):
        row = row[:-1]
    return row.split("|")


def _starts_block(text: str, relative: int, in_list: bool) -> bool:
    """Whether a line that is not indented enough for the open item ends its paragraph
    (an item of any kind does: in a list it is the next item, or a new list)."""
    if relative >= 4:
        return False
    return bool(text.startswith(("#", ">", "```", "~~~")) or THEMATIC_BREAK.match(text)
                or (MARKER.match(text) and (in_list or text[0] in "-+*" or text.startswith(("1.", "1)")))))


def _item(s: _ListState, line: str, marker: re.Match, sibling: _Item | None) -> None:
    indent, sign, spaces = len(marker.group(1)), marker.group(2), marker.group(3)
    rest = line[marker.end():]
    width = len(sign) + (len(spaces) if rest and len(spaces) <= 4 else 1)
    ordered = sign[0].isdigit()
    if sibling is not None and sibling.depth == len(s.stack):
        if (sibling.ordered != ordered or sibling.loose) and s.previous != "blank":
            s.out.append("")  # another kind of list starts here, or the item held paragraphs
    elif s.previous == "text" and rest.strip() and (not s.stack or s.marker_at != len(s.out) - 1):
        s.out.append("")  # a list may interrupt a paragraph, as on GitHub
    if sign[-1] == ")":
        sign = sign[:-1] + "."
    if rest and len(spaces) > 4:
        rest = " " * (len(spaces) - 1) + rest  # the item starts with indented code
    s.out.append("    " * len(s.stack) + sign + " " + rest)
    s.marker_at = len(s.out) - 1
    s.stack.append(_Item(indent + width, len(s.stack), ordered))
    s.previous = "text" if rest.strip() else "other"


class GithubLists(Preprocessor):
    def __init__(self, md, owner: "Dialect"):
        super().__init__(md)
        self.owner = owner

    def run(self, lines: list[str]) -> list[str]:
        return github_lists(lines, self.owner.warnings, self.md.htmlStash.store)


class SeparateQuotes(BlockQuoteProcessor):
    """A quote after a blank line is a quote of its own, as on GitHub (Python-Markdown
    adds it to the quote before)."""

    def run(self, parent: Element, blocks: list[str]) -> None:
        block = blocks.pop(0)
        match = self.RE.search(block)
        if match:
            self.parser.parseBlocks(parent, [block[:match.start()]])
            block = "\n".join(self.clean(line) for line in block[match.start():].split("\n"))
        quote = SubElement(parent, "blockquote")
        self.parser.state.set("blockquote")
        self.parser.parseChunk(quote, block)
        self.parser.state.reset()


class PatternsInUse(Preprocessor):
    """Leaves out, for this document, the inline patterns it gives no occasion to (TRIGGERS)."""

    def __init__(self, md):
        super().__init__(md)
        self.every: list[tuple] | None = None

    def run(self, lines: list[str]) -> list[str]:
        patterns = self.md.inlinePatterns
        if self.every is None:
            self.every = [(patterns[entry.name], entry.name, entry.priority) for entry in list(patterns._priority)]
        text = "\n".join(lines)
        for item, name, priority in self.every:
            wanted = name not in TRIGGERS or any(needle in text for needle in TRIGGERS[name])
            if wanted and name not in patterns:
                patterns.register(item, name, priority)
            elif not wanted and name in patterns:
                patterns.deregister(name)
        return lines


class BareUrls(Treeprocessor):
    """Addresses written out in the text become links, by GitHub's rules; never inside
    code or an existing link."""

    SKIP = frozenset({"a", "code", "pre", "kbd", "samp", "script", "style"})

    def run(self, root: Element) -> None:
        self._walk(root)

    def _walk(self, parent: Element) -> None:
        if parent.tag in self.SKIP:
            return
        if parent.text and _may_link(parent.text):
            parent.text, links = _split(parent.text)
            for index, link in enumerate(links):
                parent.insert(index, link)
        for child in list(parent):
            self._walk(child)
            if child.tail and _may_link(child.tail):
                child.tail, links = _split(child.tail)
                at = list(parent).index(child)
                for offset, link in enumerate(links, 1):
                    parent.insert(at + offset, link)


def _may_link(text: str) -> bool:
    return "://" in text or "www." in text or "@" in text


def _split(text: str) -> tuple[str, list[Element]]:
    """The text before the first address, and a link for each address (its tail the
    text after it)."""
    links: list[Element] = []
    head, pos = None, 0
    for match in BARE_URL.finditer(text):
        start, address = match.start(), _trim(match.group(0))
        if not address or (address.startswith("www.") and "." not in address[4:]):
            continue
        if "@" in address and "://" not in address and not address.startswith("www."):
            if address[-1] in "-_":
                continue
            href = "mailto:" + address
        else:
            href = ("http://" + address) if address.startswith("www.") else address
        before = text[pos:start]
        if head is None:
            head = before
        else:
            links[-1].tail = before
        link = Element("a", {"href": href})
        link.text = address
        links.append(link)
        pos = start + len(address)
    if head is None:
        return text, []
    links[-1].tail = text[pos:]
    return head, links


def _trim(address: str) -> str:
    """GitHub's rules for where an address ends: no trailing punctuation, no unbalanced )."""
    while address:
        if address[-1] in TRAILING:
            address = address[:-1]
        elif address[-1] == ")" and address.count(")") > address.count("("):
            address = address[:-1]
        elif address[-1] == ";" and re.search(r"&[A-Za-z0-9]+;$", address):
            address = address[: address.rfind("&")]
        else:
            break
    return address


class TaskItems(Treeprocessor):
    """`[ ]` / `[x]` at the start of a list item: a box drawn by CSS and words for
    screen readers, in the page's language."""

    def __init__(self, md, owner: "Dialect"):
        super().__init__(md)
        self.owner = owner

    def run(self, root: Element) -> None:
        for parent in root.iter():
            if parent.tag not in ("ul", "ol"):
                continue
            tasks = 0
            for item in parent:
                if item.tag == "li" and self._mark(item):
                    tasks += 1
            if tasks:
                parent.set("class", " ".join(filter(None, [parent.get("class"), "task-list"])))

    def _mark(self, item: Element) -> bool:
        holder = item
        if not (item.text or "").strip() and len(item) and item[0].tag == "p":
            holder = item[0]
        match = TASK.match(holder.text or "")
        if match is None:
            return False
        done = match.group(1) != " "
        item.set("class", " ".join(filter(None, [item.get("class"), "task-item",
                                                 "task-done" if done else "task-todo"])))
        rest = (holder.text or "")[match.end():]
        holder.text = None
        box = Element("span", {"class": "task-box", "aria-hidden": "true"})
        words = Element("span", {"class": "visually-hidden"})
        words.text = self.owner.labels[0 if done else 1] + " "
        words.tail = rest
        holder.insert(0, words)
        holder.insert(0, box)
        return True


class UniqueIds(Treeprocessor):
    """No id twice on a page: an id the templates use, or one the body used already,
    gets a number (`main` -> `main-1`); the body's own links to it follow."""

    def __init__(self, md, owner: "Dialect"):
        super().__init__(md)
        self.owner = owner

    def run(self, root: Element) -> None:
        elements = [element for element in root.iter() if element.get("id") is not None]
        used = set(self.owner.reserved) | {element.get("id") for element in elements}
        seen: set[str] = set()
        renamed: dict[str, str] = {}
        for element in elements:
            given = element.get("id")
            if given in seen or given in self.owner.reserved:
                number = 1
                while f"{given}-{number}" in used:
                    number += 1
                new = f"{given}-{number}"
                element.set("id", new)
                used.add(new)
                renamed.setdefault(given, new)
                given = new
            seen.add(given)
        for link in root.iter("a") if renamed else ():
            href = link.get("href") or ""
            if href[1:] in self.owner.reserved and href[1:] in renamed:
                link.set("href", "#" + renamed[href[1:]])


class TableCells(Treeprocessor):
    """A column's alignment (`|--:|`) as a class: HTML's `align` is obsolete, and style
    attributes are not allowed on this site."""

    def run(self, root: Element) -> None:
        for cell in root.iter():
            if cell.tag in ("td", "th") and cell.get("align") in ("left", "right", "center"):
                align = cell.attrib.pop("align")
                cell.set("class", " ".join(filter(None, [cell.get("class"), f"align-{align}"])))


class Dialect(Extension):
    """Our three pieces; `labels` and `reserved` are set per conversion by the owner."""

    def __init__(self, reserved: frozenset[str] = frozenset(), labels: tuple[str, str] = ("Done:", "To do:")):
        super().__init__()
        self.reserved = reserved
        self.labels = labels
        self.warnings: list[Notice] = []

    def extendMarkdown(self, md) -> None:
        md.preprocessors.register(GithubLists(md, self), "github_lists", 29)  # before superfences (25)
        md.preprocessors.register(PatternsInUse(md), "patterns_in_use", 28)
        md.parser.blockprocessors.register(SeparateQuotes(md.parser), "quote", 20)
        md.treeprocessors.register(BareUrls(md), "bare_urls", 19)  # after inline (20)
        md.treeprocessors.register(TaskItems(md, self), "task_items", 18)  # after inline (20)
        md.treeprocessors.register(UniqueIds(md, self), "unique_ids", 4)  # after toc (5)
        md.treeprocessors.register(TableCells(md), "table_cells", 3)
        md.registerExtension(self)

    def reset(self) -> None:
        self.warnings = []


def new_markdown(extra: list | tuple = (), reserved=frozenset(), labels=("Done:", "To do:")) -> markdown.Markdown:
    """A Markdown converter for the dialect; `md.dialect` is its `Dialect` (warnings
    of the last conversion in `md.dialect.warnings`)."""
    dialect = Dialect(frozenset(reserved), tuple(labels))
    md = markdown.Markdown(extensions=[*EXTENSIONS, dialect, *extra], extension_configs=EXTENSION_CONFIGS,
                           output_format="html")
    md.dialect = dialect
    return md


def template_ids(html_sources) -> frozenset[str]:
    """The literal ids written in templates (`id="main"`): a body must not take them."""
    return frozenset(match for text in html_sources for match in HTML_ID.findall(text))


CODE_SPAN = re.compile(r"(`+)(?!`)(.+?)(?<!`)\1(?!`)", re.S)


def code_mask(text: str) -> str:
    """`text` with its fenced code blocks and its code spans blanked out
    (every character but line breaks becomes a space), so positions are kept."""
    lines = text.split("\n")
    fence: tuple[str, int, int] | None = None
    for index, line in enumerate(lines):
        indent = _indent(line)
        quoted = line.lstrip(" >")
        if fence is not None:
            char, length, _ = fence
            if quoted.startswith(char * length) and not quoted.strip().strip(char):
                fence = None
            else:
                lines[index] = " " * len(line)
            continue
        opened = FENCE_OPEN.fullmatch(quoted)
        if opened and not (opened.group(2)[0] == "`" and "`" in opened.group(3)):
            fence = (opened.group(2)[0], len(opened.group(2)), indent)
    masked = "\n".join(lines)
    return CODE_SPAN.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), masked)
