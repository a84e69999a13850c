"""Stage 4: Markdown to HTML, in the dialect of `dialect.py`, every link resolved and checked.

Editors link to another content file by its path, relative to the current
file (`[text](../partners/vienna.md)`) or from the content root
(`[text](@/projects/exchange.md)`), without a language. The link becomes the
URL of that document in the language of the page being rendered; a
`.en.md` suffix pins a language. Data-collection records are addressed the
same way (`partners/<id>.md`). A file beside the document that it links
(`[form](form.pdf)`, `form.<lang>.pdf` first) is an attachment, published beside
the page with its type and size shown after the link; `/files/x.pdf` is
static/files/x.pdf, published at that address. Links to site paths (`/uz/news/`,
with or without the base path, or the site's own address written out) are checked
against the outputs once every page is rendered. Links in pasted HTML are held to
the same rules. Each problem is reported where its link is written (`_Places`).
Images written beside a content file (`![alt](photo.jpg)`) are published in
responsive sizes by `images.py` and become a <picture>; so does a document's
cover image (front matter `image:` with `image_alt:`). Images from other hosts,
pasted `data:` images and images without alt text are refused. The finished HTML
of every body is cleaned by `sanitize.py` (an allowlist of elements, attributes and
addresses); what it removes is reported as a warning at its line, on every build,
also when the body is taken from the cache.
"""

from __future__ import annotations

import difflib
import hashlib
import html
import importlib.metadata
import json
import os
import posixpath
import re
import urllib.parse
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from xml.etree.ElementTree import Element

import babel.numbers
import markdown
from markdown.extensions import Extension
from markdown.postprocessors import Postprocessor
from markdown.treeprocessors import Treeprocessor
from markupsafe import Markup

from .lib import dialect
from .lib.cache import Store
from .lib.diagnostics import Diagnostics
from .lib.images import ImageCache, ImageProcessor, Picture, Problem
from .lib.sanitize import Removal, Sanitizer, scheme_of
from .lib.urls import attachment_path, page_path
from .model import Document, Page, Site
from .sources import misnamed

# Everything besides the text that shapes a converted body: kept bodies made with
# another setup (or other versions of the libraries) are never used. Change the first
# item with any change to how bodies are converted. (CI restores a cache only for the
# same engine code: its key holds a digest of sitegen/.)
MARKDOWN_SETUP = ["markup-3", markdown.__version__, importlib.metadata.version("pymdown-extensions"),
                  importlib.metadata.version("pygments"), dialect.SETUP, "attachments: beside the page",
                  "tables: scroll regions"]
# UI strings that converted bodies show (data/strings/<lang>.yaml), with what is shown without them
BODY_STRINGS = {"task_done": "Done:", "task_todo": "To do:", "footnote_back": "Jump back to footnote %d in the text",
                "table_label": "Table", "file_bytes": "bytes"}
SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")
TAG = re.compile(r"<[^>]+>")
# Raw HTML pasted into Markdown: its links and images are held to the same rules.
RAW_TAG = re.compile(r"<(a|img)\b((?:[^>\"']|\"[^\"]*\"|'[^']*')*)>", re.I)
RAW_ATTRIBUTE = re.compile(r"""([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?""")


@dataclass(frozen=True)
class Anchor:
    doc: Document  # where the link is written
    href: str  # as written
    target: str  # site path of the page it points at
    fragment: str


@dataclass(frozen=True)
class Target:
    """A link into the site that no document stands behind (`/uz/news/`, `/files/x.pdf`):
    checked against the outputs once every page is rendered."""

    doc: Document
    line: int  # 0-based line of the body
    column: int
    href: str  # as written
    path: str  # site path


@dataclass(frozen=True)
class Attachment:
    """A file beside a document that the document links (a form, a report)."""

    source: Path
    path: str  # site path where it is published
    kind: str  # "PDF", "DOCX"
    size: int  # bytes


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
        files = []
        for element in list(root.iter("a")):
            href = element.get("href")
            if href:
                element.set("href", self.owner.link(href))
                file = self.owner.attachment_of(element.get("href"))
                if file is not None and "footnote" not in (element.get("class") or ""):
                    files.append((element, file))
        if files:
            parents = {child: parent for parent in root.iter() for child in parent}
            for element, file in files:
                _add_file_facts(element, parents.get(element), self.owner.file_facts(file))
        for element in list(root.iter("img")):  # image() may turn an <img> into a <picture>
            self.owner.picture(element)


def _add_file_facts(link: Element, parent: Element | None, facts: str) -> None:
    """' (PDF, 240 KB)' after a link to an attachment, as GOV.UK shows it."""
    if parent is None:
        return
    note = Element("span", {"class": "file-facts"})
    note.text = f"({facts})"
    note.tail = link.tail
    link.tail = " "
    parent.insert(list(parent).index(link) + 1, note)


class _RawHtml(Postprocessor):
    """Links and images in pasted HTML, resolved and checked like Markdown's own."""

    def __init__(self, md, owner: "MarkdownRenderer"):
        super().__init__(md)
        self.owner = owner
        self.done = 0  # blocks of the stash already seen (postprocessors may run again, e.g. for the toc)

    def run(self, text: str) -> str:
        stash = self.md.htmlStash
        for index in range(self.done, len(stash.rawHtmlBlocks)):
            block = stash.rawHtmlBlocks[index]
            if isinstance(block, str) and RAW_TAG.search(block):
                stash.rawHtmlBlocks[index] = RAW_TAG.sub(self._tag, block)
        self.done = len(stash.rawHtmlBlocks)
        return text

    def _tag(self, match: re.Match) -> str:
        name = match.group(1).lower()
        attributes = [(m.group(1).lower(), html.unescape(next((g for g in m.group(2, 3, 4) if g is not None), "")))
                      for m in RAW_ATTRIBUTE.finditer(match.group(2))]
        if name == "a":
            href = next((value for key, value in attributes if key == "href"), None)
            if not href:
                return match.group(0)
            new = self.owner.link(href)
            if new == href:
                return match.group(0)
            return "<a" + "".join(f' {key}="{html.escape(new if key == "href" else value)}"'
                                  for key, value in attributes) + ">"
        element = Element("img", dict(attributes))
        self.owner.picture(element, pasted=True)
        return _serialize(element)


def _serialize(element: Element) -> str:
    attrs = "".join(f' {key}="{html.escape(str(value))}"' for key, value in element.attrib.items())
    if element.tag == "picture":
        return f"<picture{attrs}>" + "".join(_serialize(child) for child in element) + "</picture>"
    return f"<{element.tag}{attrs}>"


class _LinkExtension(Extension):
    def __init__(self, owner: "MarkdownRenderer"):
        super().__init__()
        self.owner = owner

    def extendMarkdown(self, md) -> None:
        md.treeprocessors.register(_Links(md, self.owner), "document_links", 5)
        self.raw = _RawHtml(md, self.owner)
        md.postprocessors.register(self.raw, "raw_html_links", 31)  # before raw_html (30)
        md.registerExtension(self)

    def reset(self) -> None:
        if hasattr(self, "raw"):
            self.raw.done = 0


class _Places:
    """Where a body writes each address: the n-th time an address is used, it is at its
    n-th place in the source outside code (or at the last, for a reference used again)."""

    def __init__(self, body: str):
        self.body = body
        self._masked: str | None = None  # made when first asked: most bodies are never asked
        self.used: Counter[str] = Counter()

    @property
    def masked(self) -> str:
        if self._masked is None:
            self._masked = dialect.code_mask(self.body)
        return self._masked

    def of(self, href: str) -> tuple[int, int]:
        """(0-based line, 1-based column) of the next use of `href`; (0, 0) if not found."""
        spots = [m.start() for m in re.finditer(r"(?<![\w./-])" + re.escape(href) + r"(?![\w/-])", self.masked)]
        if not spots:
            spots = [m.start() for m in re.finditer(re.escape(html.escape(href)), self.masked)]
        if not spots:
            return 0, 0
        at = spots[min(self.used[href], len(spots) - 1)]
        self.used[href] += 1
        start = self.masked.rfind("\n", 0, at) + 1
        return self.masked.count("\n", 0, at), at - start + 1


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
        # links to documents found, by (folder of the linking document, language, target): the
        # page's key, path and address; a build asks the same ones many times (every body's
        # links are resolved again when its kept page is reused)
        self._found: dict[tuple[str, str, str], tuple[str, str, str]] = {}
        # the same by (folder of the linking document, language, link as written): the page's
        # key, path, address and the link's #fragment, with none of resolve()'s checks again
        self._hrefs: dict[tuple[str, str, str], tuple[str, str, str, str]] = {}
        self.images = images or ImageProcessor(site.config.content_dir, ImageCache(site.config.cache_dir))
        self.files: dict[str, bytes] = self.images.files  # images of documents and covers: output path -> bytes
        self._covers: dict[tuple[str, str, str], Cover | None] = {}
        self.anchors: list[Anchor] = []  # links to #fragments, checked once every page is rendered
        self.targets: list[Target] = []  # links to site paths, checked once every output is known
        self.attachments: dict[str, Attachment] = {}  # site path -> the file published there
        self.sanitizer = Sanitizer(site.config.embed_hosts)
        self.reserved = dialect.template_ids(_template_texts(site.config.template_dirs))
        self.md = dialect.new_markdown(extra=[_LinkExtension(self)], reserved=self.reserved)
        self._footnotes = next(e for e in self.md.registeredExtensions if type(e).__name__ == "FootnoteExtension")
        self._places: _Places | None = None
        self._setups: dict[str, str] = {}  # language -> the start of its bodies' cache keys
        self.used: set[Path] = set()  # files of content/ that the site publishes (images, attachments)
        self._static = site.config.static_dirs

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
        self._places = _Places(doc.source.body)
        self.calls_of[which] = self._calls
        before = len(self.diags.items)
        self.md.reset()
        self.md.dialect.labels = (self._word(lang, "task_done"), self._word(lang, "task_todo"))
        back = self._word(lang, "footnote_back").replace("{", "{{").replace("}", "}}").replace("%d", "{}")
        self._footnotes.setConfig("BACKLINK_TITLE", back)  # read with str.format by the extension
        try:
            html = self.md.convert(doc.source.body)
        finally:
            self._doc = self._places = None
        for notice in self.md.dialect.warnings:
            self.diags.warning(doc.source.path, doc.source.body_line + notice.line - 1, notice.message,
                               hint=notice.hint)
        self.anchors_of[which] = self.anchors[anchors:]
        converted = len(self.diags.items) == before
        # the one point where the body's HTML is final: links and images are rewritten
        html, removed = self.sanitizer.clean(html, lambda: dialect.code_mask(doc.source.body))
        html = _scrolling_tables(html, self._word(lang, "table_label"))
        self._warn(doc, removed)
        if converted:  # a body with problems is converted again next time
            self.store.put(key, {"html": html, "calls": self._calls,
                                 "removed": [[r.line, r.column, r.message, r.hint] for r in removed]})
        return html

    def _word(self, lang: str, name: str) -> str:
        """A UI string that bodies show (BODY_STRINGS), in `lang`."""
        return str(self.site.strings.get(lang, {}).get(name, BODY_STRINGS[name]))

    def _cache_key(self, doc: Document, lang: str) -> str:
        setup = self._setups.get(lang)
        if setup is None:  # what every body of the language shares: its JSON without the closing ]
            setup = self._setups[lang] = json.dumps(
                [MARKDOWN_SETUP, self.sanitizer.policy, sorted(self.reserved),
                 [self._word(lang, name) for name in BODY_STRINGS], self.site.config.language(lang).locale],
                ensure_ascii=False)[:-1]
        material = setup + ", " + json.dumps([doc.key, lang, doc.source.body], ensure_ascii=False)[1:]
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
        before, anchors, targets = len(self.diags.items), len(self.anchors), len(self.targets)
        self._doc, self._lang, self._places = doc, lang, _Places(doc.source.body)
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
                    del self.targets[targets:]
                    return False
        except (TypeError, IndexError, KeyError, ValueError):  # an entry of another shape
            del self.diags.items[before:]
            del self.anchors[anchors:]
            del self.targets[targets:]
            return False
        finally:
            self._doc = self._places = None
        return True

    def link(self, href: str) -> str:
        resolved = self.resolve(href)
        self._calls.append(["a", href, resolved])
        return resolved

    def picture(self, element: Element, pasted: bool = False) -> None:
        given = sorted(element.attrib.items())
        self.image(element, pasted)
        self._calls.append(["img", given, _shape(element)])

    def resolve(self, href: str) -> str:
        """Where a link written in the body goes, as an address of the built site:
        a document (`../news/x.md`, `@/news/x.md`), a site path (`/uz/news/`, also
        with the base path), a file beside the document (an attachment) or under
        static/. Links to other websites are kept as they are."""
        found = self._hrefs.get((self._doc.key.rpartition("/")[0], self._lang, href))
        if found is not None:  # a document found before: as _document would answer
            key, path, address, fragment = found
            self._asked.add(key)
            if fragment:
                self.anchors.append(Anchor(self._doc, href, path, fragment))
            return address + (f"#{fragment}" if fragment else "")
        if href.startswith("#") and len(href) > 1:
            own = self.site.page(self._doc.key, self._lang)
            if own is not None:
                self.anchors.append(Anchor(self._doc, href, own.path, href[1:]))
            return href
        own = self.site.urls.base_url
        if href.startswith(own) and len(href) > len(own):  # the site's own address, written out
            path = "/" + href[len(own):].partition("#")[0].split("?")[0]
            line, column = self._places.of(href) if self._places else (0, 0)
            self.targets.append(Target(self._doc, line, column, href, path))
            return href
        if SCHEME.match(href) or href.startswith(("#", "?", "//")) or scheme_of(href) is not None:
            return href  # another website, or an address the sanitizer judges (java\tscript:...)
        target, _, fragment = href.partition("#")
        target = target.split("?")[0]
        if re.search(r"[\x00-\x1f\x7f]", target):
            self._report(href, f"the link '{target}' is not an address: it holds a line break or a control "
                         "character", hint="write the address on one line, without tabs")
            return href
        if target.startswith("/"):
            return self._site_path(href, target, fragment)
        if target.startswith("@/") or target.endswith(".md"):
            return self._document(href, target, fragment)
        return self._attachment(href, target, fragment)

    def _document(self, href: str, target: str, fragment: str) -> str:
        folder = "" if target.startswith("@/") else posixpath.dirname(self._doc.key)
        found = self._found.get((folder, self._lang, target))
        if found is not None:  # as the lookup below, without its work
            key, path, address = found
            self._hrefs[(self._doc.key.rpartition("/")[0], self._lang, href)] = (key, path, address, fragment)
            self._asked.add(key)
            if fragment:
                self.anchors.append(Anchor(self._doc, href, path, fragment))
            return address + (f"#{fragment}" if fragment else "")
        rel = target[2:] if target.startswith("@/") else posixpath.join(folder, target)
        rel = posixpath.normpath(rel)
        if rel.endswith(".md"):
            rel = rel[:-3]
        key, lang, pinned = rel, self._lang, False
        stem, _, suffix = rel.rpartition(".")
        if stem and suffix in self.site.config.codes:
            key, lang, pinned = stem, suffix, True
        if key.endswith("/index") or key == "index":
            key = key[: -len("index")] + "_index"
        self._asked.add(key)
        group = self.site.translations.get(key)
        page: Page | None = group.get(lang) if group else None
        direct = page is not None  # found in its language: nothing to report, the same every time
        if page is None and (key in self.site.withheld or self._unread_collection(key)):
            return href  # the document is left out for a mistake, or its data file unreadable: reported there
        if page is None and key in self.site.drafts:
            self._report(href, f"the link '{target}' points at a draft, which the site does not publish",
                         hint="publish that document (remove draft: true) or remove the link")
            return href
        if page is None and group:
            page = group.get(self._doc.lang) or next(iter(group.values()))
            if not pinned:
                self._report(href, f"the link '{target}' points at a document that has no "
                             f"{self.site.config.language(lang).name} version; the link leads to the "
                             f"{self.site.config.language(page.lang).name} page", warn=True,
                             hint=f"translate it, or link that language on purpose: {key}.{page.lang}.md")
        if page is None:
            keys = [k for k in self.site.translations if "/page/" not in k]
            named = [k for k in keys if k.rpartition("/")[2] == key.rpartition("/")[2]]
            close = named if len(named) == 1 else difflib.get_close_matches(key, keys, n=1, cutoff=0.75)
            hint = (f"did you mean '{_relative_to(close[0] + '.md', self._doc.key)}'?" if close else
                    "link to a content file by its path without the language, e.g. ../news/x.md")
            self._report(href, f"the link '{target}' points at no document", hint=hint)
            return href
        if fragment:
            self.anchors.append(Anchor(self._doc, href, page.path, fragment))
        address = self.site.urls.href(page.path)
        if direct:
            self._found[(folder, self._lang, target)] = (key, page.path, address)
            self._hrefs[(self._doc.key.rpartition("/")[0], self._lang, href)] = (key, page.path, address, fragment)
        return address + (f"#{fragment}" if fragment else "")

    def _unread_collection(self, key: str) -> bool:
        """Whether `key` names a record of a collection whose data file could not be read."""
        name = key.partition("/")[0]
        file = self.site.data_files.get(name)
        return file is not None and file.unread and any(c.name == name for c in self.site.config.collections)

    def _site_path(self, href: str, target: str, fragment: str) -> str:
        """`/uz/news/`, `/ir/uz/news/` or `/files/form.pdf`: checked once every output is known."""
        base = self.site.urls.base_path
        path = target
        if base != "/" and (path + "/").startswith(base):
            path = "/" + path[len(base):]
        name = urllib.parse.unquote(path.lstrip("/"))
        static = self._static_file(name) if name and not name.endswith("/") else None
        if static is not None:
            self._publish(static, path)
        line, column = self._places.of(href) if self._places else (0, 0)
        self.targets.append(Target(self._doc, line, column, href, path))
        return self.site.urls.href(path) + (f"#{fragment}" if fragment else "")

    def _static_file(self, name: str) -> Path | None:
        """static/<name>, if it is a file inside static/ (the site's, else its theme's)."""
        for folder in reversed(self._static):
            try:
                path = (folder / name).resolve()
                if path.is_file() and folder.resolve() in path.parents:
                    return path
            except (OSError, ValueError):
                continue
        return None

    def _attachment(self, href: str, target: str, fragment: str) -> str:
        """A file beside the document: published beside its page, the link rewritten.
        `form.pdf` is the page language's `form.<lang>.pdf` when there is one."""
        folder = self._doc.source.path.parent
        name = urllib.parse.unquote(target)
        stem, dot, ext = name.rpartition(".")
        candidates = [f"{stem}.{self._lang}.{ext}", f"{stem}.{self._doc.lang}.{ext}", name] if dot else [name]
        found = None
        for candidate in candidates:
            path = folder / candidate
            try:
                if path.is_file():
                    found = path
                    break
            except (OSError, ValueError):
                continue
        if found is None:
            codes = self.site.config.codes
            present = {_without_language(file, codes) for file in _files_in(folder / posixpath.dirname(name))}
            versions = [code for code in codes if dot and (folder / f"{stem}.{code}.{ext}").is_file()]
            if versions:
                language = self.site.config.language(self._lang).name
                self._report(href, f"the file '{target}' has no {language} version ({stem}.{self._lang}.{ext})",
                             hint=f"add {stem}.{self._lang}.{ext}, or link {stem}.{versions[0]}.{ext} to give "
                                  f"these readers that language's file")
                return href
            close = difflib.get_close_matches(posixpath.basename(name), sorted(present), n=1, cutoff=0.6)
            self._report(href, f"the link '{target}' points at no file",
                         hint=f"did you mean '{posixpath.join(posixpath.dirname(name), close[0])}'?" if close else
                         f"put the file in {self.diags.relative(folder)}/ or correct its name")
            return href
        content = self.site.config.content_dir.resolve()
        if content not in found.resolve().parents:
            self._report(href, f"the file '{target}' is outside the content folder, which the site will not "
                         "publish", hint="put the file in content/, next to the document")
            return href
        page = self.site.page(self._doc.key, self._lang)
        if page is None:
            return href
        published = _without_language(found.name, self.site.config.codes)
        path = attachment_path(page.path, published)
        self._publish(found, path)
        return self.site.urls.href(path) + (f"#{fragment}" if fragment else "")

    def _publish(self, source: Path, path: str) -> None:
        if path in self.attachments:
            return
        try:
            data = source.read_bytes()
        except OSError as exc:
            self._report(source.name, f"the file '{source.name}' cannot be read: {exc.strerror or exc}")
            return
        self.files[path.lstrip("/")] = data
        self.used.add(source.resolve())
        kind = source.suffix.lstrip(".").upper() or "FILE"
        self.attachments[path] = Attachment(source, path, kind, len(data))

    def attachment_of(self, href: str | None) -> Attachment | None:
        """The attachment a rewritten link points at, or None."""
        if not href:
            return None
        base = self.site.urls.base_path
        path = href.split("#")[0]
        if base != "/" and path.startswith(base):
            path = "/" + path[len(base):]
        return self.attachments.get(path)

    def file_facts(self, file: Attachment) -> str:
        """'PDF, 240 KB' in the page's language."""
        locale = self.site.config.language(self._lang).locale
        if file.size < 1024:
            amount, unit = str(file.size), self._word(self._lang, "file_bytes")
        elif file.size < 1024 * 1024:
            amount, unit = babel.numbers.format_decimal(round(file.size / 1024), locale=locale), "KB"
        else:
            amount, unit = babel.numbers.format_decimal(round(file.size / 1024 / 1024, 1), locale=locale), "MB"
        return f"{file.kind}, {amount}\u00a0{unit}"

    def check_targets(self, exists) -> None:
        """Report links to site paths the build does not write; `exists(path)` tells.
        Addresses of the site written out in front matter and data files are checked too."""
        for path, line, column, href, site_path in field_links(self.site):
            if not exists(site_path):
                self.diags.error(path, line, f"the address '{href}' points at nothing the site publishes",
                                 column=column, hint="correct the address, or link the page it means")
        seen = set()
        drafts = {page_path(code, key.removesuffix("_index")) for key in self.site.drafts
                  for code in self.site.config.codes}  # where a draft would be, were it published
        for target in self.targets:
            where = (target.doc.source.path, target.line, target.column, target.href)
            if where in seen or exists(target.path):
                continue
            seen.add(where)
            line = target.doc.source.body_line + target.line
            if target.path in drafts:
                self.diags.error(target.doc.source.path, line, f"the link '{target.href}' points at a draft, which "
                                 "the site does not publish", column=target.column,
                                 hint="publish that document (remove draft: true) or remove the link")
                continue
            known = [p.path for p in self.site.pages if p.lang == self._lang_of(target.path)]
            close = difflib.get_close_matches(target.path, known, n=1, cutoff=0.75)
            if close:
                hint = f"did you mean '{close[0]}'?"
            elif target.path.endswith("/"):
                hint = "link to the document by its file (../news/x.md): the site checks it and keeps the reader's language"
            else:
                hint = "put the file in static/ (static/files/x.pdf is /files/x.pdf), or beside the document and link its name"
            self.diags.error(target.doc.source.path, line, f"the link '{target.href}' points at nothing the site "
                             "publishes", column=target.column, hint=hint)

    def check_unused(self) -> None:
        """A notice for each file in content/ that no document links: it is not published."""
        folder = self.site.config.content_dir
        # a document left out for a mistake (reported there) did not link its files
        withheld = {folder / key.rpartition("/")[0] for key in self.site.withheld}
        for path in sorted(_files_besides_markdown(folder)):
            if not path.is_file():
                continue
            if path.is_symlink() or misnamed(path):
                continue  # refused when the content was read
            if any(part.startswith(".") for part in path.relative_to(folder).parts):
                continue
            if path.resolve() not in self.used and path.parent not in withheld:
                beside = any(p.suffix.lower() == ".md" for p in path.parent.iterdir())
                shown = _without_language(path.name, self.site.config.codes)
                self.diags.notice(path, 0, "no document links this file, so the site does not publish it",
                                  hint=f"link it from a document beside it, e.g. [Application form]({shown}), or "
                                       "delete it" if beside else f"move it to static/files/ and link it as "
                                       f"/files/{shown}, or put it beside the document that links it")

    @staticmethod
    def _lang_of(path: str) -> str:
        return path.strip("/").split("/")[0]

    def image(self, element: Element, pasted: bool = False) -> None:
        """An image beside the content file is published in responsive sizes and
        becomes a lazily loaded <picture>; an image from another host or without
        alt text is refused."""
        src = element.get("src") or ""
        alt = element.get("alt", "")
        if not alt.strip():
            self._report(src, f"the image '{src}' has no alt text",
                         hint='describe it for people who cannot see it: <img alt="what the image shows" ...>'
                         if pasted else f"describe it for people who cannot see it: ![what the image shows]({src})")
        if src.startswith("data:"):
            self._report(src[:40], "the image is pasted into the text as data",
                         hint="save the image as a file next to this document and write its file name: "
                              "![what the image shows](photo.jpg)")
            element.set("src", "")
            return
        if src.startswith("//") or SCHEME.match(src):
            self._report(src, f"the image '{src}' would be loaded from another website",
                         hint="save the image next to this file and write its file name instead")
            return
        if src.startswith("/"):
            element.set("src", self._site_path(src, src.split("#")[0].split("?")[0], ""))
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
        self.used.add(path)
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

    def _report(self, target: str, message: str, doc: Document | None = None, hint: str = "",
                warn: bool = False) -> None:
        """A problem with the link or image written as `target` in the body being converted,
        at the place where the body writes it (see _Places)."""
        doc = doc or self._doc
        report = self.diags.warning if warn else self.diags.error
        if doc is self._doc and self._places is not None:
            offset, column = self._places.of(target)
        else:
            masked = dialect.code_mask(doc.source.body).split("\n")
            offset = next((i for i, line in enumerate(masked) if target in line), 0)
            column = masked[offset].find(target) + 1 if target and target in masked[offset] else 0
        report(doc.source.path, doc.source.body_line + offset, message, column=column, hint=hint)

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


TABLE_START = re.compile(r"<table\b[^>]*>")


def _scrolling_tables(body: str, label: str) -> str:
    """Every table in a region of its own that scrolls sideways when the table is wider
    than the screen, reachable with the keyboard (added after cleaning: editors may not
    write tabindex or role themselves)."""
    if "<table" not in body:
        return body
    opening = f'<div class="table-scroll" role="region" tabindex="0" aria-label="{html.escape(label)}">'
    return TABLE_START.sub(lambda m: opening + m.group(0), body).replace("</table>", "</table></div>")


def _template_texts(folders: tuple[Path, ...]):
    for path in sorted(path for folder in folders for path in folder.glob("*.html")):
        try:
            yield path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue


def _files_in(folder: Path) -> list[str]:
    try:
        return sorted(p.name for p in folder.iterdir() if p.is_file())
    except OSError:
        return []


def _without_language(name: str, codes) -> str:
    """'form.uz.pdf' -> 'form.pdf'."""
    parts = name.split(".")
    if len(parts) >= 3 and parts[-2] in codes:
        del parts[-2]
    return ".".join(parts)


def _relative_to(key_path: str, from_key: str) -> str:
    return posixpath.relpath(key_path, posixpath.dirname(from_key) or ".")


def _files_besides_markdown(folder: Path):
    """The files under `folder` other than hidden and Markdown ones (links to files too;
    linked folders not entered), as `rglob("*")` finds them, without a Path made for each
    of the many .md files."""
    for parent, _, names in os.walk(folder):
        for name in names:
            if not name.startswith(".") and not name.lower().endswith(".md"):
                yield Path(parent, name)


def field_links(site: Site):
    """Addresses of the site itself written in front matter and data files
    (`link: https://example.org/ir/uz/news/x/`): (file, line, column, address, site path)."""
    own = site.urls.base_url

    def walk(path, value, line, column):
        if isinstance(value, str):
            if value.startswith(own) and len(value) > len(own):
                yield path, line, column, value, "/" + value[len(own):].partition("#")[0].split("?")[0]
            return
        items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
        for key, item in items:  # a value's place looked up only for what is yielded, or holds more
            if isinstance(item, (dict, list)) or isinstance(item, str) and item.startswith(own) and len(item) > len(own):
                where = (value.line_of(key), value.col_of(key)) if hasattr(value, "line_of") else (line, column)
                yield from walk(path, item, *where)

    for doc in sorted({id(d): d for d in site.documents.values()}.values(), key=lambda d: str(d.source.path)):
        yield from walk(doc.source.path, doc.source.meta, 0, 0)
    for name in sorted(site.data_files):
        file = site.data_files[name]
        yield from walk(file.path, file.written if file.written is not None else file.value, 0, 0)


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
    return [element.tag, [list(item) for item in sorted(element.attrib.items())], [_shape(child) for child in element]]


def plain_text(fragment: str, limit: int = 160) -> str:
    """The first paragraph of an HTML fragment as plain text, cut at a word."""
    match = re.search(r"<p>(.*?)</p>", fragment, re.S)
    text = html.unescape(TAG.sub("", match.group(1) if match else fragment))
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0].rstrip(",;:") + "…"
