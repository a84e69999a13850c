"""Stage 4: Markdown to HTML (Python-Markdown), links between documents resolved.

Editors link to another content file by its path, relative to the current
file (`[text](../partners/kaznua.md)`) or from the content root
(`[text](@/projects/uzdoc.md)`), without a language. The link becomes the
URL of that document in the language of the page being rendered; a
`.en.md` suffix pins a language. Data-collection records are addressed the
same way (`partners/<id>.md`). A link to nothing is reported with its line.
Images written beside a content file (`![alt](photo.jpg)`) are published in
responsive sizes by `images.py` and become a <picture>; so does a document's
cover image (front matter `image:` with `image_alt:`). Images from other hosts
and images without alt text are refused. The finished HTML of every body is
cleaned by `sanitize.py` (an allowlist of elements, attributes and addresses);
what it removes is reported as a warning at its line, on every build, also when
the body is taken from the cache.
"""

from __future__ import annotations

import difflib
import hashlib
import html
import json
import posixpath
import re
from dataclasses import dataclass
from pathlib import Path
from xml.etree.ElementTree import Element

import markdown
from markdown.extensions import Extension
from markdown.extensions.toc import slugify_unicode
from markdown.treeprocessors import Treeprocessor
from markupsafe import Markup

from .cache import Store
from .diagnostics import Diagnostics
from .images import ImageCache, ImageProcessor, Picture, Problem
from .model import Document, Page, Site
from .sanitize import Removal, Sanitizer

EXTENSIONS = ["tables", "footnotes", "attr_list", "toc"]
# Everything besides the text that shapes a converted body: kept bodies made with
# another setup (or another Python-Markdown) are never used. Table columns are aligned
# with `align`, not with a style attribute, which the sanitizer removes (no inline styles).
MARKDOWN_SETUP = ["markup-2", markdown.__version__, EXTENSIONS, "toc: slugify_unicode, depth 2-6",
                  "tables: align attribute"]
SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")
TAG = re.compile(r"<[^>]+>")


@dataclass(frozen=True)
class Anchor:
    doc: Document  # where the link is written
    href: str  # as written
    target: str  # site path of the page it points at
    fragment: str


@dataclass(frozen=True)
class Cover:
    """A document's cover image, as templates get it from cover(page)."""

    html: Markup  # the <picture>, loaded eagerly: it is at the top of the page
    src: str  # site path of the fallback about 1200 pixels wide, e.g. for og:image
    width: int | None  # of that file
    height: int | None
    alt: str
    caption: str  # "" when the document gives none


class _Links(Treeprocessor):
    def __init__(self, md, owner: "MarkdownRenderer"):
        super().__init__(md)
        self.owner = owner

    def run(self, root: Element) -> None:
        for element in root.iter("a"):
            href = element.get("href")
            if href:
                element.set("href", self.owner.link(href))
        for element in list(root.iter("img")):  # image() may turn an <img> into a <picture>
            self.owner.picture(element)


class _LinkExtension(Extension):
    def __init__(self, owner: "MarkdownRenderer"):
        super().__init__()
        self.owner = owner

    def extendMarkdown(self, md) -> None:
        md.treeprocessors.register(_Links(md, self.owner), "document_links", 5)


class MarkdownRenderer:
    """Converts document bodies; one instance per build, reused across documents."""

    def __init__(self, site: Site, diags: Diagnostics, images: ImageProcessor | None = None,
                 store: Store | None = None):
        self.site = site
        self.diags = diags
        self._doc: Document | None = None
        self._lang = ""
        self.store = store if store is not None else Store(site.config.cache_dir / "markdown.sqlite")
        self._calls: list[list] = []  # what the document being converted asked of the site
        self.calls_of: dict[tuple[str, str, str], list] = {}  # (key, doc's language, lang) -> its calls
        self.asked_of: dict[tuple[str, str, str], set[str]] = {}  # ... -> keys of the pages its links looked up
        self.anchors_of: dict[tuple[str, str, str], list[Anchor]] = {}  # ... -> its links to #fragments
        self._asked: set[str] = set()
        self.images = images or ImageProcessor(site.config.content_dir, ImageCache(site.config.cache_dir))
        self.files: dict[str, bytes] = self.images.files  # images of documents and covers: output path -> bytes
        self._covers: dict[tuple[str, str, str], Cover | None] = {}
        self.anchors: list[Anchor] = []  # links to #fragments, checked once every page is rendered
        self.sanitizer = Sanitizer(site.config.embed_hosts)
        self.md = markdown.Markdown(
            extensions=[*EXTENSIONS, _LinkExtension(self)],
            extension_configs={"toc": {"slugify": slugify_unicode, "toc_depth": "2-6"},
                               "tables": {"use_align_attribute": True}},
            output_format="html",
        )

    def convert(self, doc: Document, lang: str) -> str:
        """The body of `doc` as HTML, with links pointing into the `lang` site.

        Converted bodies are kept between builds with every link and image the
        conversion resolved. A kept body is used only if resolving them again
        (against this build's site) gives the same answers without a problem, so
        a moved page, a changed image or a deleted target re-converts the body.
        What the sanitizer removed is kept with the body and reported again
        whenever the kept body is used."""
        key = self._cache_key(doc, lang)
        which = (doc.key, doc.lang, lang)
        kept = self.store.get(key)
        anchors = len(self.anchors)
        self._asked = self.asked_of[which] = set()
        removed = _removals(kept.get("removed")) if isinstance(kept, dict) else None
        if removed is not None and self.replay(doc, lang, kept.get("calls")):
            self.calls_of[which] = kept["calls"]
            self.anchors_of[which] = self.anchors[anchors:]
            self._warn(doc, removed)  # what the sanitizer removed, reported on every build
            return str(kept.get("html", ""))
        self._asked = self.asked_of[which] = set()
        self._doc, self._lang, self._calls = doc, lang, []
        self.calls_of[which] = self._calls
        before = len(self.diags.items)
        self.md.reset()
        try:
            html = self.md.convert(doc.source.body)
        finally:
            self._doc = None
        self.anchors_of[which] = self.anchors[anchors:]
        converted = len(self.diags.items) == before
        # the one point where the body's HTML is final: links and images are rewritten
        html, removed = self.sanitizer.clean(html, doc.source.body)
        self._warn(doc, removed)
        if converted:  # a body with problems is converted again next time
            self.store.put(key, {"html": html, "calls": self._calls,
                                 "removed": [[r.line, r.column, r.message, r.hint] for r in removed]})
        return html

    def _cache_key(self, doc: Document, lang: str) -> str:
        material = json.dumps([MARKDOWN_SETUP, self.sanitizer.policy, doc.key, lang, doc.source.body],
                              ensure_ascii=False)
        return hashlib.sha256(material.encode("utf-8")).hexdigest()

    def _warn(self, doc: Document, removed: list[Removal]) -> None:
        """Report what the sanitizer took out of `doc`'s body, at the lines that wrote it."""
        for removal in removed:
            self.diags.warning(doc.source.path, doc.source.body_line + removal.line, removal.message,
                               column=removal.column, hint=removal.hint)

    def replay(self, doc: Document, lang: str, calls) -> bool:
        """Resolve again what a kept body resolved; True if every answer is the same."""
        if not isinstance(calls, list):
            return False
        before, anchors = len(self.diags.items), len(self.anchors)
        self._doc, self._lang = doc, lang
        try:
            for call in calls:
                if call[0] == "a":
                    same = self.resolve(call[1]) == call[2]
                else:
                    element = Element("img", dict(call[1]))
                    self.image(element)
                    same = _shape(element) == call[2]
                if not same or len(self.diags.items) != before:
                    del self.diags.items[before:]
                    del self.anchors[anchors:]
                    return False
        except (TypeError, IndexError, KeyError, ValueError):  # an entry of another shape
            del self.diags.items[before:]
            del self.anchors[anchors:]
            return False
        finally:
            self._doc = None
        return True

    def link(self, href: str) -> str:
        resolved = self.resolve(href)
        self._calls.append(["a", href, resolved])
        return resolved

    def picture(self, element: Element) -> None:
        given = sorted(element.attrib.items())
        self.image(element)
        self._calls.append(["img", given, _shape(element)])

    def resolve(self, href: str) -> str:
        if href.startswith("#") and len(href) > 1:
            own = self.site.page(self._doc.key, self._lang)
            if own is not None:
                self.anchors.append(Anchor(self._doc, href, own.path, href[1:]))
            return href
        if SCHEME.match(href) or href.startswith(("#", "/", "?")):
            return href
        target, _, fragment = href.partition("#")
        if target.startswith("@/"):
            rel = target[2:]
        elif target.endswith(".md"):
            rel = posixpath.join(posixpath.dirname(self._doc.key), target)
        else:
            return href
        rel = posixpath.normpath(rel)
        if rel.endswith(".md"):
            rel = rel[:-3]
        key, lang = rel, self._lang
        stem, _, suffix = rel.rpartition(".")
        if stem and suffix in self.site.config.codes:
            key, lang = stem, suffix
        if key.endswith("/index") or key == "index":
            key = key[: -len("index")] + "_index"
        self._asked.add(key)
        group = self.site.translations.get(key)
        page: Page | None = None
        if group:
            page = group.get(lang) or next(iter(group.values()))
        if page is None and key in self.site.withheld:
            return href  # the document is left out for a mistake, reported there
        if page is None:
            close = difflib.get_close_matches(key, [k for k in self.site.translations if "/page/" not in k],
                                              n=1, cutoff=0.75)
            self._report(target, f"the link '{target}' points at no document",
                         hint=f"did you mean '{close[0]}.md'?" if close else
                         "link to a content file by its path without the language, e.g. ../news/x.md")
            return href
        if fragment:
            self.anchors.append(Anchor(self._doc, href, page.path, fragment))
        return self.site.urls.href(page.path) + (f"#{fragment}" if fragment else "")

    def image(self, element: Element) -> None:
        """An image beside the content file is published in responsive sizes and
        becomes a lazily loaded <picture>; an image from another host or without
        alt text is refused."""
        src = element.get("src") or ""
        alt = element.get("alt", "")
        if not alt.strip():
            self._report(src, f"the image '{src}' has no alt text",
                         hint=f"describe it for people who cannot see it: ![what the image shows]({src})")
        if src.startswith("//") or SCHEME.match(src):
            if not src.startswith("data:"):
                self._report(src, f"the image '{src}' would be loaded from another website",
                             hint="save the image next to this file and write its file name instead")
            return
        if src.startswith("/"):
            return
        folder = self._doc.source.path.parent
        picture = self._picture(folder, src.split("#")[0].split("?")[0], src,
                                lambda message, hint: self._report(src, message, hint=hint))
        if picture is not None:
            picture.fill(element, self.site.urls.href, alt)

    def _picture(self, folder: Path, name: str, written: str, report) -> Picture | None:
        """The image file `name`, relative to `folder`, processed; problems go to
        `report(message, hint)`, naming the image as the editor `written` it."""
        content = self.site.config.content_dir.resolve()
        try:
            path = (folder / name).resolve()
            found = path.is_file()
        except (OSError, ValueError):
            found = False
        if found and content not in path.parents:
            report(f"the image '{written}' is outside the content folder, which the site will not publish",
                   "put the image in content/, next to the document")
            return None
        if not found:
            report(f"the image '{written}' does not exist",
                   f"put the file in {self.diags.relative(folder)}/ or correct its name")
            return None
        result = self.images.process(path)
        if isinstance(result, Problem):
            report(f"the image '{written}' {result.reason}", result.hint)
            return None
        return result

    def cover(self, doc: Document | None, field: str = "image") -> Cover | None:
        """The document's cover image (front matter `image:`, with `image_alt:` and an
        optional `image_caption:` in its language), or None if it has none."""
        if doc is None or not isinstance(doc.params.get(field), str):
            return None
        key = (doc.key, doc.lang, field)
        if key not in self._covers:
            self._covers[key] = self._cover(doc, field)
        return self._covers[key]

    def _cover(self, doc: Document, field: str) -> Cover | None:
        alt = str(doc.params.get(f"{field}_alt") or "").strip()
        if not alt:
            return None  # reported with the document's fields
        name = doc.params[field]
        # the field is shared: report at the file that wrote it, whichever language that is
        group = [self.site.documents.get((doc.key, code)) for code in (doc.lang, *self.site.config.codes)]
        origin = next((d.source for d in group if d is not None and field in d.source.meta), doc.source)
        line, column = origin.meta.line_of(field), origin.meta.col_of(field)
        picture = self._picture(origin.path.parent, name, name, lambda message, hint: self.diags.error(
            origin.path, line, message, column=column, hint=hint))
        if picture is None:
            return None
        chosen = picture.at_most(1200)
        shown = Markup(picture.html(self.site.urls.href, alt, default=1200, eager=True))
        return Cover(shown, chosen.path, chosen.width, chosen.height, alt,
                     str(doc.params.get(f"{field}_caption") or "").strip())

    def _report(self, target: str, message: str, doc: Document | None = None, hint: str = "") -> None:
        doc = doc or self._doc
        lines = doc.source.body.split("\n")
        offset = next((i for i, line in enumerate(lines) if target in line), 0)
        column = lines[offset].find(target) + 1 if target and target in lines[offset] else 0
        self.diags.error(doc.source.path, doc.source.body_line + offset, message, column=column, hint=hint)

    def check_anchors(self, ids_of) -> None:
        """Report links whose #fragment names no id on the target page. `ids_of(path)`
        gives the ids of a rendered page (None if it was not rendered)."""
        seen = set()
        for anchor in self.anchors:
            ids = ids_of(anchor.target)
            key = (anchor.doc.source.path, anchor.href)
            if ids is None or anchor.fragment in ids or key in seen:
                continue
            seen.add(key)
            close = difflib.get_close_matches(anchor.fragment, sorted(ids), n=1)
            self._report(anchor.href, f"the link '{anchor.href}' names no heading or anchor on "
                         + ("this page" if anchor.href.startswith("#") else "that page"), anchor.doc,
                         f"did you mean '#{close[0]}'?" if close else "link to a heading's id")


def _removals(entry) -> list[Removal] | None:
    """The sanitizer's removals as kept with a body, or None if the entry has another shape."""
    if not isinstance(entry, list):
        return None
    try:
        return [Removal(int(line), int(column), str(message), str(hint)) for line, column, message, hint in entry]
    except (TypeError, ValueError):
        return None


def _shape(element: Element) -> list:
    """An element and its children as JSON-ready lists, to compare with a kept one."""
    return [element.tag, sorted(element.attrib.items()), [_shape(child) for child in element]]


def plain_text(fragment: str, limit: int = 160) -> str:
    """The first paragraph of an HTML fragment as plain text, cut at a word."""
    match = re.search(r"<p>(.*?)</p>", fragment, re.S)
    text = html.unescape(TAG.sub("", match.group(1) if match else fragment))
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0].rstrip(",;:") + "…"
