"""Part of stage 4: the HTML of every converted body is cleaned before it reaches a page.

Markdown lets editors paste HTML, and `{: ...}` (attr_list) lets them put any
attribute on an element, so a body could carry a script, an event handler or a
`javascript:` link into every visitor's browser. Every body therefore goes through
nh3 (the Rust sanitizer Ammonia) with an explicit allowlist, and nothing else:

- Elements: the ones Python-Markdown and its extensions here write (paragraphs,
  headings with ids, lists, tables, code, quotes, emphasis, footnotes, the
  <picture>s of images.py) and a few more an editor may reasonably paste: details and
  summary, definition lists, figure and figcaption, abbr, kbd, mark, sub, sup, del, ins,
  ruby. Anything else (<font>, <form>, <object>, <embed>, <video>, <base>, <meta>,
  <link>, ...) is removed and its text kept; <script>, <style> and <template> go with
  their content, and so do <svg> and <math>, which Ammonia never passes through.
- Attributes: `id`, `class`, `lang`, `dir` and `title` on every allowed element, and
  per element the few that carry meaning (a: href, hreflang, rel, target; img: src,
  srcset, sizes, width, height, alt, loading, decoding, fetchpriority; th/td: align,
  colspan, rowspan, headers, scope; ...). Event handlers (`on...`) and `style`
  attributes are never kept: the site is meant to run under a Content Security Policy
  without inline scripts or styles.
- Addresses (href, src, srcset, cite): http, https, mailto, tel and addresses relative to
  the site. `javascript:`, `vbscript:`, `data:` and any other scheme are removed (also
  when tabs, line breaks or spaces split them up), except `data:image/...` as the
  source of an image.
- <iframe>: only with an https:// address on a host listed in `embed_hosts` in
  data/site.yaml (a video player, a map). It keeps src, allow, allowfullscreen, title,
  width, height, loading and referrerpolicy, and always gets the site's `sandbox`: the
  player may run its scripts in its own origin, present full screen and open a page
  in a new tab, but never navigate this page. An iframe from any other host, or
  without an address, is removed whole; what is written between <iframe> and
  </iframe> is never shown and is dropped. A few presentational attributes the players'
  own embed codes carry (frameborder, scrolling, ...) are dropped without a word.
- A link that opens another tab or window (`target` other than `_self`) gets
  `rel="noopener noreferrer"`. No other link gets a `rel`.
- HTML comments are left out of the page.

Every removal is reported as a warning at the line of the Markdown source that wrote
it, with a hint. To know what was removed, the body before cleaning is read with
html.parser and each element, attribute and address is checked against the same
allowlist; each kind of removal is reported once per line.

A body with nothing to remove is returned exactly as it was written, so cleaning
changes no byte of such a page: nh3 writes HTML its own way (`&#160;` as `&nbsp;`,
`&#8617;` as the arrow itself, `allowfullscreen` as `allowfullscreen=""`), and the
written body is kept when it differs from nh3's version only in how characters are
spelled, or reads, element by element and attribute by attribute, exactly as nh3's
version does. Either way it must hold none of the constructs where Python's
html.parser and a browser may read HTML differently, or that could run (comments,
script-like elements, anything like an event handler or a script address, even in
text); a body that does is always published as nh3 wrote it.
"""

from __future__ import annotations

import importlib.metadata
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from html import unescape
from html.parser import HTMLParser
from urllib.parse import urlsplit

import nh3

# Bump when the policy below changes: converted bodies are kept between builds by it.
POLICY_VERSION = "sanitize-2"
NH3_VERSION = importlib.metadata.version("nh3")

GENERIC_ATTRIBUTES = frozenset({"id", "class", "lang", "dir", "title"})
TAG_ATTRIBUTES: dict[str, frozenset[str]] = {name: frozenset(attrs) for name, attrs in {
    "a": {"href", "hreflang", "rel", "target"},
    "abbr": set(), "b": set(), "bdi": set(), "bdo": set(),
    "blockquote": {"cite"},
    "br": set(), "caption": set(), "cite": set(), "code": set(),
    "col": {"span"}, "colgroup": {"span"},
    "dd": set(), "del": {"cite", "datetime"}, "details": {"open"}, "dfn": set(), "div": set(),
    "dl": set(), "dt": set(), "em": set(), "figcaption": set(), "figure": set(),
    "h1": set(), "h2": set(), "h3": set(), "h4": set(), "h5": set(), "h6": set(),
    "hr": set(), "i": set(),
    "iframe": {"src", "allow", "allowfullscreen", "width", "height", "loading", "referrerpolicy"},
    "img": {"src", "srcset", "sizes", "width", "height", "alt", "loading", "decoding", "fetchpriority"},
    "ins": {"cite", "datetime"}, "kbd": set(), "li": {"value"}, "mark": set(),
    "ol": {"start", "reversed", "type"}, "p": set(), "picture": set(), "pre": set(),
    "q": {"cite"}, "rp": set(), "rt": set(), "ruby": set(), "s": set(), "samp": set(),
    "small": set(), "source": {"srcset", "sizes", "type", "media", "width", "height"},
    "span": {"aria-hidden"}, "strong": set(), "sub": set(), "summary": set(), "sup": set(),
    "table": set(), "tbody": set(),
    "td": {"align", "colspan", "rowspan", "headers"},
    "tfoot": set(),
    "th": {"align", "colspan", "rowspan", "headers", "scope", "abbr"},
    "thead": set(), "time": {"datetime"}, "tr": set(), "u": set(), "ul": set(), "var": set(),
    "wbr": set(),
}.items()}
TAGS = frozenset(TAG_ATTRIBUTES)
# Removed with everything inside them (nh3's clean_content_tags; it drops <svg> and
# <math> whole by itself).
DROPPED_WHOLE = frozenset({"script", "style", "template"})
FOREIGN = frozenset({"svg", "math"})
# Left over from players' embed codes; dropped without a warning.
QUIETLY_DROPPED = {"iframe": frozenset({"frameborder", "scrolling", "marginwidth", "marginheight",
                                        "allowtransparency", "sandbox"})}
SANDBOX = "allow-scripts allow-same-origin allow-presentation allow-popups allow-popups-to-escape-sandbox"
URL_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
URL_ATTRIBUTES = frozenset({"href", "src", "srcset", "cite"})
NEW_TAB_REL = ("noopener", "noreferrer")

SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")
URL_NOISE = re.compile(r"[\t\n\r]")
SPACES = re.compile(r"[\x00-\x20\x7f]+")
# Refused even when spaces or control characters break them up (old browsers ignored them).
SCRIPT_SCHEMES = ("javascript:", "vbscript:", "livescript:", "data:")
DATA_IMAGE = re.compile(r"^data:image/[a-z0-9.+-]+[;,]", re.I)
EMBED = re.compile(r"^https://([A-Za-z0-9.-]+)(?::443)?(?:[/?#][^\s\\\x00-\x1f\x7f]*)?$")
# Where html.parser and a browser may read a body differently, or whatever a browser
# could run: a body holding any of these is never shipped as it was written (_doubtful).
DOUBTFUL_TAGS = frozenset({"script", "style", "iframe", "frame", "object", "embed", "applet", "svg", "math",
                           "template", "base", "meta", "link", "form", "noscript", "xmp", "textarea", "title",
                           "plaintext", "noembed", "noframes", None})  # None: <! and <?
TAG_NAME = re.compile(r"<(?:[!?]|/?([a-z][a-z0-9]*))")
HANDLER = re.compile(r"on[a-z]+\s*=")
SCRIPT_ADDRESS = re.compile(r"(?:java|vb)script\s*:|&(?:colon|tab|newline);")
CHARACTER_REFERENCE = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
# Characters that are part of HTML's syntax: a reference to one of them is kept (in one
# spelling), any other reference is read as its character when two bodies are compared.
SYNTAX = {"<": "&lt;", ">": "&gt;", "&": "&amp;", '"': "&quot;", "'": "&#39;", "=": "&#61;", "/": "&#47;",
          "`": "&#96;", " ": "&#32;"}
# nh3's output, token by token (it quotes every attribute value with " and escapes "
# and & in it; a < in text is always &lt;).
OUT_TAG = re.compile(r'<(/?)([a-z][a-z0-9-]*)((?:\s+[^\s"\'>/=]+(?:="[^"]*")?)*)\s*>')
OUT_ATTR = re.compile(r'\s+([^\s"\'>/=]+)(?:="([^"]*)")?')


@dataclass(frozen=True)
class Removal:
    """Something taken out of a body: where its source is, what and why."""

    line: int  # 0-based line of the Markdown body
    column: int  # 1-based; 0 when unknown
    message: str
    hint: str


def scheme_of(url: str) -> str | None:
    """The scheme of `url` as a browser reads it (lowercase), or None for a relative address."""
    cleaned = URL_NOISE.sub("", url.strip("\x00\x01\x02\x03\x04\x05\x06\x07\x08\t\n\x0b\x0c\r\x0e\x0f\x10\x11"
                                          "\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f "))
    match = SCHEME.match(cleaned)
    return match.group(1).lower() if match else None


def srcset_urls(value: str) -> list[str]:
    """The addresses of a srcset (the HTML standard's way of splitting it)."""
    urls, pos, size = [], 0, len(value)
    while pos < size:
        while pos < size and (value[pos].isspace() or value[pos] == ","):
            pos += 1
        if pos >= size:
            break
        start = pos
        while pos < size and not value[pos].isspace():
            pos += 1
        url = value[start:pos]
        if url.endswith(","):
            urls.append(url.rstrip(","))
            continue
        urls.append(url)
        depth = 0
        while pos < size:
            char = value[pos]
            pos += 1
            if char == "(":
                depth += 1
            elif char == ")":
                depth = max(0, depth - 1)
            elif char == "," and depth == 0:
                break
    return urls


class Sanitizer:
    """Cleans converted bodies for a site whose players may come from `embed_hosts`."""

    def __init__(self, embed_hosts: tuple[str, ...] | list[str] = ()):
        self.embed_hosts = tuple(host.lower() for host in embed_hosts)
        self.policy = [POLICY_VERSION, NH3_VERSION, list(self.embed_hosts)]  # for keys of kept bodies
        self._cleaner = nh3.Cleaner(
            tags=set(TAGS),
            clean_content_tags=set(DROPPED_WHOLE),
            attributes={"*": set(GENERIC_ATTRIBUTES), **{tag: set(attrs) for tag, attrs in TAG_ATTRIBUTES.items()}},
            attribute_filter=self._attribute,
            strip_comments=True,
            link_rel=None,
            url_schemes=set(URL_SCHEMES | {"data"}),  # data: only for images: see _attribute
            set_tag_attribute_values={"iframe": {"sandbox": SANDBOX}},
        )

    # -- the policy, shared by the cleaner and the report ------------------------------

    def embeddable(self, src: str) -> bool:
        match = EMBED.match(src)
        return bool(match) and match.group(1).lower() in self.embed_hosts

    def url_allowed(self, tag: str, attribute: str, value: str) -> bool:
        if tag == "iframe" and attribute == "src":
            return self.embeddable(value)
        if attribute == "srcset":
            return all(self.url_allowed(tag, "src", url) for url in srcset_urls(value))
        scheme = scheme_of(value)
        if scheme != "data" and SPACES.sub("", value).lower().startswith(SCRIPT_SCHEMES):
            return False
        if scheme is None or scheme in URL_SCHEMES:
            return True
        return scheme == "data" and tag in ("img", "source") and attribute == "src" and bool(
            DATA_IMAGE.match(URL_NOISE.sub("", value.strip())))

    def _attribute(self, tag: str, attribute: str, value: str) -> str | None:
        if attribute in URL_ATTRIBUTES and not self.url_allowed(tag, attribute, value):
            return None
        return value

    # -- cleaning --------------------------------------------------------------------

    def clean(self, html: str, source: str | Callable[[], str] = "") -> tuple[str, list[Removal]]:
        """`html` cleaned, and what was removed, located in `source` (the Markdown it
        was converted from; or a function that gives it, called only if something was
        removed)."""
        cleaned = self._finish(self._cleaner.clean(html))
        if cleaned == html:
            return html, []
        doubtful = _doubtful(html)
        if not doubtful and _spelled_out(cleaned) == _spelled_out(html):
            return html, []  # only characters are written another way (&#160; for &nbsp;, say)
        before = _Reader(self)
        before.read(html)
        after = _Reader(None)
        after.read(cleaned)
        if not before.findings and before.tokens == after.tokens and not doubtful:
            return html, []  # the same elements, attributes and text, written another way
        if callable(source):
            source = source()
        removals = _Locator(source).place(before.findings)
        if not removals:
            lost = {shape for shape in before.shapes - after.shapes
                    if shape[1] not in QUIETLY_DROPPED.get(shape[0], ())}
            if lost:
                what = sorted(lost)[0]
                removals = _Locator(source).place([(
                    [f"<{what[0]}"] + ([f"{what[1]}="] if what[1] else []),
                    "some HTML was removed: " + (f"the attribute '{what[1]}' of <{what[0]}>" if what[1]
                                                 else f"a <{what[0]}> element"),
                    "only the HTML listed in docs/editors.md (Pasting HTML) is kept")])
        return cleaned, removals

    def _finish(self, html: str) -> str:
        """What nh3 cannot do itself: an <iframe> without an allowed address is removed
        whole, nothing is kept inside an <iframe>, and a link to a new tab gets
        rel="noopener noreferrer"."""
        if "<iframe" not in html and " target=" not in html:
            return html
        out, pos = [], 0
        while True:
            start = html.find("<", pos)
            if start < 0:
                out.append(html[pos:])
                return "".join(out)
            out.append(html[pos:start])
            tag = OUT_TAG.match(html, start)
            if tag is None:  # not nh3's usual writing: keep no iframe at all rather than guess
                return self._without_frames(html)
            pos = tag.end()
            closing, name = tag.group(1), tag.group(2)
            if closing or name not in ("a", "iframe"):
                out.append(tag.group(0))
                continue
            attrs = [(m.group(1), m.group(2)) for m in OUT_ATTR.finditer(tag.group(3))]
            names = {attr for attr, _ in attrs}
            if name == "iframe":
                end = html.find("</iframe>", pos)
                if end < 0:
                    return self._without_frames(html)
                pos = end + len("</iframe>")
                if "src" in names:
                    out.append(tag.group(0) + "</iframe>")
                continue
            target = next((value for attr, value in attrs if attr == "target"), None)
            if target is None or target.lower() == "_self":
                out.append(tag.group(0))
                continue
            rel = next((value for attr, value in attrs if attr == "rel"), None)
            tokens = (rel or "").split()
            tokens += [token for token in NEW_TAB_REL if token not in {t.lower() for t in tokens}]
            if rel is None:
                attrs.append(("rel", ""))
            out.append("<a" + "".join(f' {attr}="{" ".join(tokens) if attr == "rel" else value}"'
                                      if value is not None or attr == "rel" else f" {attr}"
                                      for attr, value in attrs) + ">")

    def _without_frames(self, html: str) -> str:
        return nh3.clean(html, tags=set(TAGS - {"iframe"}), clean_content_tags=set(DROPPED_WHOLE | {"iframe"}),
                         attributes={"*": set(GENERIC_ATTRIBUTES),
                                     **{tag: set(attrs) for tag, attrs in TAG_ATTRIBUTES.items() if tag != "iframe"}},
                         attribute_filter=self._attribute, link_rel="noopener noreferrer",
                         url_schemes=set(URL_SCHEMES | {"data"}))

    # -- what the report says --------------------------------------------------------

    def scripts_hint(self) -> str:
        if not self.embed_hosts:
            return "scripts cannot run on this site"
        return "scripts cannot run on this site; " + self.embed_hint()

    def embed_hint(self) -> str:
        if not self.embed_hosts:
            return "no players can be embedded (embed_hosts in data/site.yaml lists no host)"
        return "embed videos with an <iframe> from: " + ", ".join(self.embed_hosts)


def _doubtful(html: str) -> bool:
    """Whether `html` holds a comment, a script-like element, something like an event
    handler or a script address, anywhere (in text too: then it is only slower)."""
    low = html.lower()
    if not DOUBTFUL_TAGS.isdisjoint(match.group(1) for match in TAG_NAME.finditer(low)):
        return True
    if any(match.start() and low[match.start() - 1] in " \t\n\r\f\"'/" for match in HANDLER.finditer(low)):
        return True
    return SCRIPT_ADDRESS.search(low) is not None


def _spelled_out(html: str) -> str:
    """`html` with every character reference to a character that is not HTML syntax
    replaced by that character, and the others written one way."""
    if "&" not in html:
        return html

    def character(match: re.Match) -> str:
        text = unescape(match.group(0))
        if len(text) != 1 or text < " " or text == "\x7f":
            return match.group(0)
        return SYNTAX.get(text, text)

    return CHARACTER_REFERENCE.sub(character, html)


FORM_TAGS = frozenset({"form", "input", "button", "select", "option", "optgroup", "textarea", "label",
                       "fieldset", "legend", "datalist", "output", "meter", "progress"})
PLAYER_TAGS = frozenset({"object", "embed", "applet", "video", "audio", "track", "param", "frame", "frameset"})
HEAD_TAGS = frozenset({"base", "meta", "link", "title", "head", "html", "body"})


class _Reader(HTMLParser):
    """A body read as tokens (to compare with nh3's version) and, given the sanitizer,
    checked against its allowlist: `findings` are (needles, message, hint), where the
    needles locate the offending source text."""

    def __init__(self, sanitizer: Sanitizer | None):
        super().__init__(convert_charrefs=True)
        self.sanitizer = sanitizer
        self.tokens: list = []
        self.shapes: Counter = Counter()  # (tag, "") and (tag, attribute) of every start tag
        self.findings: list[tuple[list[str], str, str]] = []
        self._skip: tuple[str, int] | None = None  # (tag, depth) of a subtree removed whole
        self._frame: list | None = None  # needles of the kept <iframe> being read ([] for a removed one)
        self._frame_content = False

    def read(self, html: str) -> None:
        self.feed(html)
        self.close()
        if self._frame and self._frame_content:  # never closed: it took the rest of the body
            self.handle_endtag("iframe")

    # tokens

    def handle_starttag(self, tag: str, attrs: list) -> None:
        values = tuple(sorted((name, value or "") for name, value in attrs))
        self.tokens.append(("<", tag, values))
        self.shapes[(tag, "")] += 1
        self.shapes.update((tag, name) for name, _ in values)
        if self.sanitizer is not None:
            self._check(tag, attrs)

    def handle_startendtag(self, tag: str, attrs: list) -> None:
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        self.tokens.append(("</", tag))
        if self._skip is not None and self._skip[0] == tag:
            depth = self._skip[1] - 1
            self._skip = (tag, depth) if depth else None
        if tag == "iframe" and self._frame is not None:
            if self._frame_content and self._frame and self.sanitizer is not None:
                self._find(self._frame, "what is written inside the <iframe> is never shown and was removed",
                           "write the text before or after the <iframe>")
            self._frame, self._frame_content = None, False

    def handle_data(self, data: str) -> None:
        if self.tokens and self.tokens[-1][0] == "text":
            self.tokens[-1] = ("text", self.tokens[-1][1] + data)
        else:
            self.tokens.append(("text", data))
        if self._frame is not None and data.strip():
            self._frame_content = True

    def handle_comment(self, data: str) -> None:
        self.tokens.append(("!", data))
        if self.sanitizer is not None and (data.startswith((">", "->")) or "--!>" in data):
            # a browser ends this comment early (<!--> or --!>) and reads what follows as HTML
            inner = _Reader(self.sanitizer)
            inner.read(data.split("--!>", 1)[-1] if "--!>" in data else data.lstrip("->"))
            self.findings += inner.findings

    def handle_decl(self, decl: str) -> None:
        self.tokens.append(("!", decl))

    def handle_pi(self, data: str) -> None:
        self.tokens.append(("?", data))

    def unknown_decl(self, data: str) -> None:
        self.tokens.append(("!", data))

    # the allowlist

    def _find(self, needles: list[str], message: str, hint: str) -> None:
        self.findings.append((needles, message, hint))

    def _check(self, tag: str, attrs: list) -> None:
        policy = self.sanitizer
        if self._skip is not None:
            if self._skip[0] == tag:
                self._skip = (tag, self._skip[1] + 1)
            return
        if self._frame is not None:
            self._frame_content = True
            return
        raw = self.get_starttag_text() or f"<{tag}"
        opening = [raw, f"<{tag}"]
        if tag not in TAGS:
            self._tag(tag, opening, policy)
            return
        allowed = GENERIC_ATTRIBUTES | TAG_ATTRIBUTES[tag]
        quiet = QUIETLY_DROPPED.get(tag, frozenset())
        if tag == "iframe":
            self._frame = opening
            src = next((value for name, value in attrs if name == "src"), None)
            if not src or not policy.url_allowed("iframe", "src", src):
                self._frame = []  # removed whole: nothing inside it to report
                shown = src or ""
                try:
                    host = urlsplit(shown.strip()).hostname
                except ValueError:
                    host = None
                needles = [shown, raw, "<iframe"] if shown else opening
                if not shown:
                    self._find(needles, "an <iframe> without an address was removed", policy.embed_hint())
                elif host and host.lower() in policy.embed_hosts:
                    self._find(needles, f"the <iframe> with the address '{shown}' was removed",
                               "use the https:// address from the player's own embed code")
                else:
                    self._find(needles, f"the <iframe> from '{host or shown}' was removed", policy.embed_hint())
                return
        seen: set[str] = set()
        for name, value in attrs:
            if name in seen:
                continue  # a second value of the same attribute is never read by a browser
            seen.add(name)
            value = value or ""
            needles = [_within(raw, name), f"{name}=", name]
            if name.startswith("on"):
                self._find(needles, f"the event handler '{name}' was removed", policy.scripts_hint())
            elif name == "style":
                self._find(needles, "the style attribute was removed",
                           "inline styles are not allowed: format the text with Markdown; "
                           "the site's stylesheet does the rest")
            elif name in quiet:
                continue
            elif name not in allowed:
                self._find(needles, f"the attribute '{name}' was removed from <{tag}>",
                           f"allowed on <{tag}>: " + ", ".join(sorted(allowed)))
            elif name in URL_ATTRIBUTES and not policy.url_allowed(tag, name, value):
                shown = value if len(value) <= 60 else value[:57] + "..."
                scheme = scheme_of(value) or ""
                self._find([_within(raw, value), value, f"{scheme}:" if scheme else name, f"{name}="],
                           f"the address '{shown}' was removed from <{tag} {name}>",
                           "an address starts with https://, http://, mailto: or tel:, or names a file of "
                           "this site; images may also be data:image/...")

    def _tag(self, tag: str, opening: list[str], policy: Sanitizer) -> None:
        if tag in DROPPED_WHOLE or tag in FOREIGN:
            self._skip = (tag, 1) if tag not in ("script", "style") else None  # html.parser skips those itself
            if tag == "script":
                self._find(opening, "the <script> element was removed, with its content", policy.scripts_hint())
            elif tag == "style":
                self._find(opening, "the <style> element was removed, with its content",
                           "the site's stylesheet styles every page: format the text with Markdown")
            elif tag in FOREIGN:
                self._find(opening, f"the <{tag}> element was removed, with its content",
                           "save a drawing as an .svg file next to this file and show it with "
                           "![what it shows](drawing.svg)" if tag == "svg" else
                           "write formulas as text or as an image")
            else:
                self._find(opening, f"the <{tag}> element was removed, with its content",
                           "write the text in Markdown")
        elif tag in PLAYER_TAGS:
            self._find(opening, f"the <{tag}> element was removed (its text is kept)", policy.embed_hint())
        elif tag in FORM_TAGS:
            self._find(opening, f"the <{tag}> element was removed (its text is kept)",
                       "forms cannot be part of a page: link to the form instead")
        elif tag in HEAD_TAGS:
            self._find(opening, f"the <{tag}> element was removed (its text is kept)",
                       "the page's head, title and links are written by the site's templates")
        else:
            self._find(opening, f"the <{tag}> element is not allowed and was removed (its text is kept)",
                       "write the text with Markdown; allowed HTML is listed in docs/editors.md "
                       "(Guide for editors, pasting HTML)")


def _within(raw: str, text: str) -> tuple[str, int]:
    """A needle for `text` inside the tag `raw`: the tag up to and including it, and
    where `text` starts in it."""
    at = raw.lower().find(text.lower()) if text else -1
    return (raw[:at + len(text)], at) if at >= 0 else (raw, 0)


class _Locator:
    """Finds the line of the Markdown source that wrote each finding."""

    def __init__(self, source: str):
        self.source = source
        self.lower = source.lower()
        self.first = next((i for i, line in enumerate(source.split("\n")) if line.strip()), 0)
        self._at = -1  # where the last finding was placed

    def find(self, needles: list) -> tuple[int, int]:
        """(line, column) of the first needle found: a needle is a text, or (text, where
        the offending part starts in it). Findings come in the order of the HTML, so a
        needle is looked for after the last finding placed, then from the top."""
        for after in (True, False):
            for needle in needles:
                text, focus = needle if isinstance(needle, tuple) else (needle, 0)
                if not text:
                    continue
                index = self.lower.find(text.lower(), max(0, self._at + 1 - focus) if after else 0)
                if index < 0:
                    continue
                at = self._at = index + focus
                line_start = self.source.rfind("\n", 0, at) + 1
                return self.source.count("\n", 0, at), at - line_start + 1
        return self.first, 0

    def place(self, findings: list) -> list[Removal]:
        removals, seen = [], set()
        for needles, message, hint in findings:
            line, column = self.find(needles)
            if (line, message) in seen:
                continue
            seen.add((line, message))
            removals.append(Removal(line, column, message, hint))
        return removals
