"""What each page was made from, so that a later build renders only what changed.

While a page renders, every question its template asks of the site is
recorded as a *dependency*: a token naming the question and, later, a digest
of the answer. The tokens are:

    ("site",)                     configuration, strings, data files, menu, terms,
                                  asset names and the engine's own code
    ("template", name)            the template and every template it extends,
                                  includes or imports
    ("page", key, lang)           everything about one page (its document's fields
                                  and text, its record, its list of items), or its absence;
                                  also asked by every link to the page in a Markdown body
    ("section", section, lang)    the pages of a section, in order
    ("crumb", key, lang)          a page as breadcrumbs show it: address, title, menu title
    ("group", key)                the translations of a page (address, in the sitemap)
    ("refs", field, id)           the documents that name a record or a page
    ("tagged", taxonomy, term)    the documents a taxonomy gives a term
    ("cover", key, lang)          a document's cover image, as processed
    ("clock",)                    what the build's moment decides (clock.py): the date,
                                  and which dated items are over or have begun

A page's entry in the store holds its tokens, one digest over their answers,
the SHA-256 of the bytes it rendered to, the #fragment links of its Markdown
body (checked again in every build) and the images it showed. In the next
build the page is not rendered again when the answers are all the same
(computed against the new site), its images are the same, and the previous
output still holds exactly those bytes (known from the output's manifest without
reading the file, see lib/writer.py; else read and compared); anything else renders
it again. A page whose rendering
reported a problem is never kept, so its warnings show in every build.

The same idea as the dependency graphs of Zola's and Hugo's live preview,
but kept between builds and checked by answer rather than by timestamp.
"""

from __future__ import annotations

import functools
import hashlib
import json
from pathlib import Path

import jinja2
import jinja2.meta

from .lib.cache import code_version as cache_version
from .lib.files import sha256
from .model import Page, Site

Token = tuple[str, ...]


def code_version() -> str:
    """A digest of the engine's source: a new version never reuses old pages."""
    return cache_version(Path(__file__).parent)


def _hash(value) -> str:
    """A digest of JSON-like data. Mappings keep the order they were written in (the
    same in every build); keys JSON cannot take (a date) fall back to repr()."""
    try:
        material = json.dumps(value, ensure_ascii=False, default=repr, separators=(",", ":"))
    except (TypeError, ValueError):
        material = repr(value)
    return hashlib.sha256(material.encode("utf-8")).hexdigest()


def page_facts(page: Page) -> list:
    """Everything a template can read from a page, as JSON-ready data."""
    doc = page.doc
    return [
        page.key, page.lang, page.path, page.template, page.title, page.summary, page.kind,
        page.collection, page.taxonomy, page.term, page.in_sitemap, str(page.date),
        None if page.pager is None else [page.pager.number, page.pager.total, list(page.pager.items),
                                          page.pager.prev_path, page.pager.next_path],
        None if page.record is None else page.record,
        None if doc is None else [
            doc.key, doc.lang, doc.title, doc.summary, doc.menu_title, doc.slug, str(doc.date), doc.weight,
            doc.terms, doc.refs, doc.params, doc.path, doc.source.path.as_posix(), doc.source.digest,
        ],
    ]


class Answers:
    """The digest of each token's answer in one build, each computed once."""

    def __init__(self, site: Site, env: jinja2.Environment, site_facts, cover, store=None):
        self.site = site
        self.env = env
        self.store = store  # lib/cache.Store: what each template's text refers to, kept between builds
        self.site_facts = site_facts  # () -> JSON-ready data behind ("site",)
        self.cover = cover  # (key, lang) -> the processed cover, or None
        self._memo: dict[Token, str] = {}
        self._lines: dict[Token, bytes] = {}  # a token and its answer, as combined() hashes them
        self._templates: dict[str, str] = {}

    def digest(self, token: Token) -> str:
        found = self._memo.get(token)
        if found is None:
            found = self._memo[token] = self._answer(token)
        return found

    def combined(self, tokens) -> str:
        """One digest of the tokens and their answers, in the order given."""
        lines = self._lines
        material = []
        for token in tokens:
            token = tuple(token)
            line = lines.get(token)
            if line is None:
                line = lines[token] = "\x1f".join(token).encode("utf-8") + b"=" + self.digest(token).encode() + b"\n"
            material.append(line)
        return hashlib.sha256(b"".join(material)).hexdigest()

    def _answer(self, token: Token) -> str:
        kind, *args = token
        site = self.site
        if kind == "site":
            return _hash([code_version(), self.site_facts()])
        if kind == "template":
            return self._template(args[0])
        if kind == "clock":  # what the build's moment decides: the date, and what is over or has begun
            return _hash([site.today.isoformat(), [
                [doc.key, doc.lang, doc.span.closed(site.now), doc.span.started(site.now)]
                for doc in site.documents.values() if doc.span is not None]])
        if kind == "page":
            page = site.page(args[0], args[1])
            return _hash(None if page is None else page_facts(page))
        if kind == "crumb":
            page = site.page(args[0], args[1])
            return _hash(None if page is None else [page.path, page.title, page.doc and page.doc.menu_title])
        if kind == "section":
            members = site.sections.get((args[0], args[1]), ())
            return _hash([[p.key, self.digest(("page", p.key, p.lang))] for p in members])
        if kind == "group":
            group = site.translations.get(args[0], {})
            return _hash([[lang, group[lang].path, group[lang].in_sitemap] for lang in sorted(group)])
        if kind == "refs":
            return _hash(list(site.referrers.get((args[0], args[1]), ())))
        if kind == "tagged":
            return _hash(list(site.terms.get(args[0], {}).get(args[1], ())))
        if kind == "cover":
            cover = self.cover(args[0], args[1])
            return _hash(None if cover is None else [str(cover.html), cover.src, cover.width, cover.height,
                                                     cover.alt, cover.caption])
        return _hash(["unknown", token])  # never equal to a real answer's digest

    def _template(self, name: str) -> str:
        """The template and all it refers to; a name computed at run time makes
        the page depend on every template."""
        if name in self._templates:
            return self._templates[name]
        seen, todo, parts = set(), [name], []
        while todo:
            current = todo.pop()
            if current in seen:
                continue
            seen.add(current)
            try:
                source, _, _ = self.env.loader.get_source(self.env, current)
                refs = self._references(source)
            except (jinja2.TemplateError, OSError, UnicodeError):
                parts.append([current, None])  # reported when the page renders
                continue
            parts.append([current, source])
            if None in refs:
                todo.extend(self.env.list_templates())
            todo.extend(ref for ref in refs if ref is not None)
        self._templates[name] = _hash(sorted(parts, key=lambda p: p[0]))
        return self._templates[name]

    def _references(self, source: str) -> tuple[str | None, ...]:
        """`_references`, kept in the store by a digest of Jinja's version and the text:
        parsing the templates took a tenth of a second in every process of every build."""
        key = "template-refs:" + sha256(f"{jinja2.__version__}\0{source}".encode("utf-8"))
        kept = self.store.get(key) if self.store is not None else None
        if isinstance(kept, list) and all(ref is None or isinstance(ref, str) for ref in kept):
            return tuple(kept)
        refs = _references(self.env, source)
        if self.store is not None:
            self.store.put(key, list(refs))
        return refs


@functools.lru_cache(maxsize=512)
def _references(env: jinja2.Environment, source: str) -> tuple[str | None, ...]:
    """The templates a template's text extends, includes or imports (None: a computed name)."""
    return tuple(jinja2.meta.find_referenced_templates(env.parse(source)))

