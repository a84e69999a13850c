"""Stage 3b: the read-only site model, from the documents (documents.py) and data.

- pages: every output with its language and site path, including fallback
  pages, paginated lists, collection records, filters, archives, tags, outputs
  and 404s;
- translation groups (key -> language -> page), sections, cross-references
  (which documents name a partner, a project, a tag), the menu and aliases.
What an editor can get wrong across pages (two pages at one address, a menu
entry or alias that names nothing) is reported here, with file and line.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import posixpath
import re
import zoneinfo
from dataclasses import dataclass, field

from .lib.clock import build_moment
from .config import Config
from .data import Data, DataFile
from .lib.diagnostics import Diagnostics
from .i18n import Formatter, localize
from .schema import INDEX_FIELDS, PLACEHOLDER, Schema, Timeline, common_fields
from .documents import SLUG, Document, DocumentReader, language_order
from .sources import Source
from .lib.urls import (Urls, archive_path, filter_path, home_path, later_page_path, not_found_path, output_path,
                   page_path, record_path, search_path, taxonomy_path)
from .lib.yamlsource import Mapping

ALIAS_PATH = re.compile(r"^/(?:[A-Za-z0-9._~%-]+/)*(?:[A-Za-z0-9._~%-]+\.html)?$")


@dataclass(frozen=True)
class Pager:
    number: int
    total: int
    items: tuple[str, ...]  # keys of the pages listed on this page
    prev_path: str | None
    next_path: str | None


@dataclass(frozen=True)
class Page:
    key: str  # translation key, shared by the page's translations
    lang: str
    path: str
    template: str
    title: str
    summary: str
    kind: str  # document | record | filter | archive | taxonomy | term | not_found | search
    doc: Document | None = None  # on a fallback page, another language's document
    record: Mapping | None = None
    collection: str = ""
    taxonomy: str = ""  # on a taxonomy's page and its terms' pages: its name (tags)
    term: str = ""  # on a term's page: its id
    pager: Pager | None = None
    date: dt.date | None = None
    in_sitemap: bool = True
    section: str = ""  # on an archive page: the section whose past items it lists
    filter: tuple[str, str] | None = None  # on a filter page: (field, value) its records share

    @property
    def fallback(self) -> bool:
        return self.doc is not None and self.doc.lang != self.lang

    @property
    def content_lang(self) -> str:
        return self.doc.lang if self.doc is not None else self.lang


@dataclass(frozen=True)
class Alias:
    """An earlier address of a page (`aliases:` in its front matter), which leads to it."""

    path: str  # the earlier site path: /uz/news/old-name/
    target: str  # the page's site path
    lang: str
    title: str


@dataclass(frozen=True)
class MenuItem:
    key: str
    title: str
    path: str


@dataclass(frozen=True)
class Site:
    config: Config
    urls: Urls
    documents: dict[tuple[str, str], Document]
    pages: tuple[Page, ...]
    translations: dict[str, dict[str, Page]]
    sections: dict[tuple[str, str], tuple[Page, ...]]  # (section, lang) -> its pages, sorted
    data: dict[str, Mapping]  # lang -> data files, localized
    data_files: dict[str, DataFile]  # name -> the data file as written
    strings: dict[str, dict[str, str]]
    referrers: dict[tuple[str, str], tuple[str, ...]]  # (field, id) -> document keys
    terms: dict[str, dict[str, tuple[str, ...]]]  # taxonomy -> term -> document keys, newest first
    menu: dict[str, tuple[MenuItem, ...]]
    now: dt.datetime  # the build's moment (see clock.py), aware
    today: dt.date  # its date in the site's time zone
    timelines: dict[str, Timeline] = field(default_factory=dict)  # section -> when its items happen
    withheld: frozenset[str] = frozenset()  # keys of documents and records left out for mistakes reported at them
    drafts: frozenset[str] = frozenset()  # keys of documents left out as drafts (without --drafts)
    declared: dict[str, frozenset[str]] | None = None  # section -> the fields its kind declares (None: no schema)
    aliases: tuple[Alias, ...] = ()  # earlier addresses, each leading to its page
    schema: Schema | None = None  # what each kind of content and data file holds (labels, types)

    def cover_field(self, doc: Document | None) -> str:
        """The image field that is `doc`'s cover (the schema's `cover:`; image without a schema)."""
        if doc is None or self.schema is None:
            return "image"
        kind = None if doc.is_index else self.schema.content_type(doc.section)
        return kind.cover if kind is not None else "image"

    def schema_fields(self, doc: Document) -> frozenset[str] | None:
        """The fields `doc`'s kind declares, or None when the site has no schema."""
        if self.declared is None:
            return None
        if doc.is_index:
            return frozenset(f.name for f in common_fields(self.config.taxonomy_names) + INDEX_FIELDS)
        return self.declared.get(doc.section, frozenset())

    def timeline(self, section: str, lang: str) -> tuple[list[Page], list[Page]]:
        """The section's dated items in two lists: still to come or open, the
        nearest end first (then the nearest start); and past or closed, the latest
        end first."""
        items = [p for p in self.sections.get((section, lang), ()) if p.doc is not None and p.doc.span]
        later = dt.datetime.max.replace(tzinfo=dt.timezone.utc)
        current = [p for p in items if not p.doc.span.closed(self.now)]
        past = [p for p in items if p.doc.span.closed(self.now)]
        current.sort(key=lambda p: (p.doc.span.end or later, p.doc.span.start or later, p.key))
        past.sort(key=lambda p: (p.doc.span.end, p.key), reverse=True)
        return current, past

    def page(self, key: str, lang: str) -> Page | None:
        return self.translations.get(key, {}).get(lang)

    def pages_for(self, keys, lang: str) -> list[Page]:
        return [p for p in (self.page(k, lang) for k in keys) if p is not None]

    def trail(self, page: Page) -> list[Page]:
        """The pages above `page`, from the home page down to its parent: the
        breadcrumbs. `news/x` sits under `news/_index`, page 2 of a list under
        the list, `a/b/_index` under `a/_index`, everything under `_index`."""
        parents = [self.page(key, page.lang) for key in ancestor_keys(page.key)]
        return [parent for parent in parents if parent is not None]


def ancestor_keys(key: str) -> list[str]:
    """The keys a page's breadcrumbs may show, from the home page down to its parent."""
    keys = []
    while key != "_index":
        if "/page/" in key:
            key = key.split("/page/")[0]
        else:
            folder = posixpath.dirname(key[: -len("/_index")] if key.endswith("/_index") else key)
            key = f"{folder}/_index" if folder else "_index"
        keys.append(key)
    return keys[::-1]


def with_extension(template: str) -> str:
    """Editors may write `template: about` for templates/about.html."""
    return template if template.endswith((".html", ".xml")) else template + ".html"


@dataclass
class _Pages:
    """Makes every page of the site and checks what is said across them."""

    config: Config
    data: Data
    diags: Diagnostics
    schema: Schema | None
    now: dt.datetime
    source_keys: set[str]  # the content files' keys, those left out for mistakes too
    urls: Urls = field(init=False)

    def __post_init__(self):
        self.urls = Urls(self.config.base_url)
        self.today = self.now.astimezone(zoneinfo.ZoneInfo(self.config.timezone)).date()
        self.language_order = language_order(self.config)

    # -- pages -------------------------------------------------------------

    def index_of(self, section: str, lang: str, docs) -> Document | None:
        """The section's _index document in `lang`, else in any language (shared fields agree)."""
        key = f"{section}/_index" if section else "_index"
        for code in (lang, *self.config.codes):
            if (key, code) in docs:
                return docs[(key, code)]
        return None

    def template_for(self, doc: Document, docs) -> str:
        if "template" in doc.params:
            return with_extension(doc.params["template"])
        if doc.key == "_index":
            return "home.html"
        if doc.is_index:
            return "section.html"
        index = self.index_of(doc.section, doc.lang, docs)
        if index is not None and "page_template" in index.params:
            return with_extension(index.params["page_template"])
        return "page.html"

    def pages(self, docs: dict[tuple[str, str], Document]) -> list[Page]:
        config = self.config
        keys = sorted({k for k, _ in docs})
        pages: list[Page] = []
        for key in keys:
            for lang in config.codes:
                doc = docs.get((key, lang))
                fallback = False
                if doc is None:
                    if config.missing_translation != "fallback":
                        continue
                    doc = next(docs[(key, other)] for other in self.language_order if (key, other) in docs)
                    fallback = True
                path = docs[(key, doc.lang)].path
                if fallback:
                    path = page_path(lang, *path.strip("/").split("/")[1:])
                pages.append(Page(
                    key=key, lang=lang, path=path, template=self.template_for(doc, docs),
                    title=doc.title, summary=doc.summary, kind="document", doc=doc,
                    date=doc.date, in_sitemap=not fallback,
                ))
        return pages

    def sort_pages(self, pages: list[Page], sort_by: str) -> list[Page]:
        if sort_by == "date":
            return sorted(pages, key=lambda p: (-(p.date or dt.date.min).toordinal(), p.title.casefold(), p.key))
        if sort_by == "weight":
            return sorted(pages, key=lambda p: (p.doc.weight if p.doc else 0, p.title.casefold(), p.key))
        return sorted(pages, key=lambda p: (p.title.casefold(), p.key))

    def sections(self, pages: list[Page], docs) -> dict[tuple[str, str], tuple[Page, ...]]:
        out: dict[tuple[str, str], tuple[Page, ...]] = {}
        members: dict[tuple[str, str], list[Page]] = {}
        for page in pages:
            if page.doc is not None and not page.doc.is_index:
                members.setdefault((page.doc.section, page.lang), []).append(page)
        for (section, lang), items in members.items():
            index = self.index_of(section, lang, docs)
            default = "date" if any(p.date for p in items) else "weight"
            sort_by = index.params.get("sort_by", default) if index else default
            out[(section, lang)] = tuple(self.sort_pages(items, sort_by))
        return out

    def paginate(self, pages: list[Page], sections) -> list[Page]:
        """Split sections whose index sets `paginate: N` into /page/2/, /page/3/..."""
        out: list[Page] = []
        for page in pages:
            per = page.doc.params.get("paginate") if page.doc and page.doc.is_index else None
            if not per:
                out.append(page)
                continue
            items = [p.key for p in sections.get((page.doc.section, page.lang), ())]
            chunks = [tuple(items[i:i + per]) for i in range(0, len(items), per)] or [()]
            paths = [page.path] + [later_page_path(page.path, n) for n in range(2, len(chunks) + 1)]
            for n, chunk in enumerate(chunks, start=1):
                pager = Pager(n, len(chunks), chunk, paths[n - 2] if n > 1 else None,
                              paths[n] if n < len(chunks) else None)
                key = page.key if n == 1 else f"{page.key}/page/{n}"
                title = page.title
                out.append(Page(key=key, lang=page.lang, path=paths[n - 1], template=page.template,
                                title=title, summary=page.summary, kind="document", doc=page.doc,
                                pager=pager, date=page.date, in_sitemap=page.in_sitemap))
        return out

    def record_pages(self, records) -> list[Page]:
        pages = []
        for collection in self.config.collections:
            for lang in self.config.codes:
                declared = self.schema.data.get(collection.name) if self.schema else None
                named_by = (declared.title,) if declared and declared.title else ("title", "name")
                for rid, record in records.get(collection.name, {}).get(lang, {}).items():
                    title = next((record.get(f) for f in named_by if record.get(f)), rid)
                    summary = record.get("summary") or ""
                    pages.append(Page(key=f"{collection.name}/{rid}", lang=lang,
                                      path=record_path(lang, collection.name, rid),
                                      template=collection.template, title=str(title), summary=str(summary),
                                      kind="record", record=record, collection=collection.name))
        return pages

    def taxonomy_pages(self, terms: dict[str, dict[str, tuple[str, ...]]], data) -> list[Page]:
        """For each taxonomy that gives a document a term, /<lang>/<name>/ lists its terms
        and /<lang>/<name>/<term>/ the documents with the term; a term is named by
        data/<name>.yaml in the page's language, else by its id."""
        pages = []
        for taxonomy in self.config.taxonomies:
            name = taxonomy.name
            if not terms.get(name):
                continue
            for lang in self.config.codes:
                labels = data[lang].get(name) or {}
                pages.append(Page(key=f"{name}/_index", lang=lang, path=taxonomy_path(lang, name),
                                  template=taxonomy.template, title=self.strings(lang).get(f"{name}_title", name),
                                  summary="", kind="taxonomy", taxonomy=name))
                for term in terms[name]:
                    label = labels.get(term, term) if isinstance(labels, dict) else term
                    pages.append(Page(key=f"{name}/{term}", lang=lang, path=taxonomy_path(lang, name, term),
                                      template=taxonomy.term_template, title=str(label), summary="", kind="term",
                                      taxonomy=name, term=term))
        return pages

    def archive_pages(self, translations_of_index) -> list[Page]:
        """For each section whose kind has a timeline, /<lang>/<section>/archive/: the
        items that are over (the section's own page lists those still to come)."""
        if self.schema is None:
            return []
        pages = []
        for ctype in self.schema.content.values():
            if ctype.timeline is None or not ctype.section:
                continue
            for lang, index in translations_of_index(f"{ctype.section}/_index").items():
                template = index.doc.params.get("archive_template", "archive.html") if index.doc else "archive.html"
                pages.append(Page(key=f"{ctype.section}/archive", lang=lang,
                                  path=archive_path(lang, ctype.section), template=with_extension(template),
                                  title=self.strings(lang).get("archive_title", "Archive"), summary="",
                                  kind="archive", section=ctype.section, in_sitemap=index.in_sitemap))
        return pages

    def filter_pages(self, records) -> list[Page]:
        """For each filter of a collection (`filters: {field: template}` in site.yaml),
        one page per value: /<lang>/<collection>/<field>/<value>/, listing the records
        with that value. Lists that can be narrowed without JavaScript."""
        pages = []
        for collection in self.config.collections:
            for name, template in collection.filters:
                for lang in self.config.codes:
                    values = dict.fromkeys(str(r.get(name)) for r in records.get(collection.name, {}).get(lang, {})
                                           .values() if isinstance(r.get(name), (str, int)) and r.get(name) != "")
                    strings = self.strings(lang)
                    for value in values:
                        if not SLUG.match(value.lower()):
                            if lang == self.config.default_language:
                                self.diags.warning(self.config.data_dir / f"{collection.name}.yaml", 0,
                                                   f"the {name} '{value}' cannot be part of an address, so it "
                                                   "gets no filter page", hint="filter on a field whose values "
                                                   "are ids: lowercase letters, digits and hyphens")
                            continue
                        label = self.value_label(collection.name, name, value, lang)
                        title = strings.get(f"filter_{collection.name}_{name}", "{value}").replace("{value}", label)
                        pages.append(Page(key=f"{collection.name}/{name}/{value.lower()}", lang=lang,
                                          path=filter_path(lang, collection.name, name, value),
                                          template=template, title=title, summary="", kind="filter",
                                          collection=collection.name, filter=(name, value)))
        return pages

    def value_label(self, collection: str, field_name: str, value: str, lang: str) -> str:
        """How a filter value reads: the strings file's `<field>_<value>`
        (agreement_memorandum), a country's name from CLDR, or the value itself."""
        strings = self.strings(lang)
        if f"{field_name}_{value}" in strings:
            return strings[f"{field_name}_{value}"]
        if self._record_field_type(collection, field_name) == "country":
            return Formatter(self.config.language(lang).locale, "").country(value)
        return value

    def _record_field_type(self, collection: str, field_name: str) -> str | None:
        declared = self.schema.data.get(collection) if self.schema else None
        record = declared.root.items if declared and declared.root.type == "list" else None
        return next((f.type for f in record.fields if f.name == field_name), None) if record else None

    def strings(self, lang: str) -> dict[str, str]:
        return self.data.strings.get(lang, {})

    def not_found_pages(self) -> list[Page]:
        return [Page(key="404", lang=lang, path=not_found_path(lang), template="404.html",
                     title=self.strings(lang).get("not_found_title", "404"), summary="",
                     kind="not_found", in_sitemap=False)
                for lang in self.config.codes]

    def output_pages(self) -> list[Page]:
        """The files every language gets from a template (data/site.yaml: outputs)."""
        return [Page(key=f"output/{output.path}", lang=lang, path=output_path(lang, output.path),
                     template=output.template, title=self.config.title[lang], summary="",
                     kind="output", in_sitemap=False)
                for output in self.config.outputs for lang in self.config.codes]

    def search_pages(self) -> list[Page]:
        if not self.config.search:
            return []
        return [Page(key="search", lang=lang, path=search_path(lang), template="search.html",
                     title=self.strings(lang).get("search_title", "Search"), summary="",
                     kind="search", in_sitemap=False)
                for lang in self.config.codes]

    def check_paths(self, pages: list[Page]) -> None:
        """Two pages may never write the same file; each clash is reported once, at the
        document that asked for the address (its slug) or else the later one."""
        seen: dict[str, Page] = {}
        reported: set[frozenset[str]] = set()
        for page in sorted(pages, key=lambda p: (p.fallback, p.path)):
            other = seen.setdefault(page.path, page)
            if other is page or frozenset((page.key, other.key)) in reported:
                continue
            reported.add(frozenset((page.key, other.key)))
            culprit, first = (other, page) if other.doc and "slug" in other.doc.source.meta else (page, other)
            here = culprit.doc.source if culprit.doc else None
            there = first.doc.source.path if first.doc else self.config.root / f"data/{first.collection}.yaml"
            path = here.path if here else self.config.root / f"data/{culprit.collection}.yaml"
            line = here.meta.line_of("slug", 0) if here and "slug" in here.meta else 0
            self.diags.error(path, line, f"writes the same page {page.path} as {self.diags.relative(there)}",
                             column=here.meta.col_of("slug") if line else 0,
                             hint="rename one of the files or give one of them another slug")

    def aliases(self, pages: list[Page]) -> tuple[Alias, ...]:
        """The earlier addresses documents give in `aliases:`: a path of the site
        (/uz/news/old-name/, with or without the base URL's path, or the whole
        address), or a name beside the page's own (old-name). One that is the
        address of a page, or that two documents claim, is an error at its line."""
        taken = {page.path: page for page in pages}
        claimed: dict[str, Document] = {}
        found: list[Alias] = []
        base = self.urls.base_path
        for page in pages:
            doc = page.doc
            if page.kind != "document" or doc is None or page.fallback or page.pager is not None:
                continue
            written = doc.params.get("aliases") or ()
            meta = doc.source.meta
            holder = meta.get("aliases")
            for i, raw in enumerate(written if isinstance(written, list) else ()):
                line = holder.line_of(i) if hasattr(holder, "line_of") else meta.line_of("aliases")
                column = holder.col_of(i) if hasattr(holder, "col_of") else 0
                text = str(raw).strip()
                if text.startswith(self.urls.origin + base):
                    text = "/" + text[len(self.urls.origin + base):]
                elif base != "/" and text.startswith(base):
                    text = "/" + text[len(base):]
                elif not text.startswith("/"):
                    text = posixpath.join(posixpath.dirname(doc.path.rstrip("/")), text)
                climbs = posixpath.normpath(text.lstrip("/")).startswith("..")  # above the site's root
                path = posixpath.normpath(text) + ("" if text.endswith(".html") else "/")
                path = path.replace("//", "/")
                if not ALIAS_PATH.match(path) or path in ("/", home_path(doc.lang)) or climbs:
                    self.diags.error(doc.source.path, line, f"the alias '{raw}' is not an address of this site",
                                     column=column, hint=f"write the earlier address as a path, e.g. "
                                     f"{page_path(doc.lang, doc.section or 'news', 'old-name')}")
                    continue
                if path in taken:
                    other = taken[path]
                    where = self.diags.relative(other.doc.source.path) if other.doc else other.path
                    self.diags.error(doc.source.path, line, f"the alias '{raw}' is the address of {where}",
                                     column=column, hint="an alias is an address that no page has any more; "
                                     "remove it, or rename that page first")
                    continue
                if path in claimed and claimed[path] is not doc:
                    self.diags.error(doc.source.path, line, f"the alias '{raw}' is also an alias of "
                                     f"{self.diags.relative(claimed[path].source.path)}", column=column,
                                     hint="an earlier address can lead to one page only: keep it in one file")
                    continue
                if path in claimed:
                    continue
                claimed[path] = doc
                found.append(Alias(path, page.path, page.lang, page.title))
        return tuple(sorted(found, key=lambda a: a.path))

    def check_home(self, translations, sections) -> None:
        """What data/site.yaml's `home:` names must exist: each collection or section it
        counts or lists (a section with a timeline for upcoming items), each page it links
        and each UI string it shows; a mistake is reported at its line."""
        path = self.config.root / "data/site.yaml"
        collections = {c.name for c in self.config.collections}
        section_names = ({section for section, _ in sections} | {k.rpartition("/")[0] for k in self.source_keys}
                         | ({t.section for t in self.schema.content.values()} if self.schema else set()))
        timelines = {t.section for t in self.schema.content.values() if t.timeline} if self.schema else set()
        known = sorted(collections | section_names - {""})
        strings = {lang: self.strings(lang) for lang in self.config.codes}

        def report(line: int, message: str, hint: str) -> None:
            self.diags.error(path, line, message, hint=hint)

        for item in [*self.config.figures, *self.config.home_lists]:
            name = item.count if hasattr(item, "count") else item.section
            if name not in collections and name not in section_names:
                close = difflib.get_close_matches(name, known, n=1)
                report(item.line, f"the home page names '{name}', which is no collection or section",
                       f"did you mean '{close[0]}'?" if close else "known: " + ", ".join(known))
                continue
            if getattr(item, "show", "") == "upcoming" and name not in timelines:
                report(item.line, f"'{name}' has no timeline, so nothing in it is upcoming",
                       "show: latest lists its newest items; a timeline is declared in data/schema.yaml")
            link = getattr(item, "link", "")
            linked = link[: -len(".md")]
            if link and linked not in translations and linked not in self.source_keys:  # left out: reported there
                report(item.line, f"the home page links '{link}', which is not a content file",
                       "name a file in content/ without its language, e.g. partners/_index.md")
            for key in (getattr(item, k, "") for k in ("label", "title", "empty", "more")):
                absent = [lang for lang, table in strings.items() if key and key not in table]
                if absent:
                    close = difflib.get_close_matches(key, sorted(strings[absent[0]]), n=1)
                    report(item.line, f"the home page shows the UI string '{key}', which data/strings/"
                           f"{absent[0]}.yaml does not have", f"did you mean '{close[0]}'?" if close else
                           f"add {key}: \"...\" to every strings file")

    def check_taxonomies(self) -> None:
        """Each taxonomy's pages are titled by the UI string `<name>_title`, which every
        language's strings must give; a mistake is reported at the taxonomy's line."""
        for taxonomy in self.config.taxonomies:
            key = f"{taxonomy.name}_title"
            absent = [lang for lang in self.config.codes if key not in self.strings(lang)]
            if absent:
                self.diags.error(self.config.root / "data/site.yaml", taxonomy.line,
                                 f"the taxonomy '{taxonomy.name}' has no title in data/strings/{absent[0]}.yaml",
                                 hint=f"add {key}: \"...\" to every strings file: it titles /<lang>/{taxonomy.name}/")

    def menu(self, translations) -> dict[str, tuple[MenuItem, ...]]:
        path = self.config.root / "data/site.yaml"
        out: dict[str, list[MenuItem]] = {lang: [] for lang in self.config.codes}
        for entry, line in self.config.menu:
            key = entry[: -len(".md")]
            group = translations.get(key)
            if not group and key in self.source_keys:
                continue  # the document exists but has errors of its own, reported there
            if not group:
                close = difflib.get_close_matches(entry, sorted(k + ".md" for k in translations), n=1)
                self.diags.error(path, line, f"the menu names '{entry}', which is not a content file",
                                 hint=f"did you mean '{close[0]}'?" if close else
                                 "name a file in content/ without its language, e.g. about.md")
                continue
            for lang in self.config.codes:
                page = group.get(lang)
                if page is not None:
                    title = page.doc.menu_title if page.doc else page.title
                    out[lang].append(MenuItem(key, title, page.path))
        return {lang: tuple(items) for lang, items in out.items()}


def as_list(value) -> list:
    return value if isinstance(value, list) else []


def build_model(config: Config, sources: list[Source], data: Data, diags: Diagnostics,
                schema: Schema | None = None, now: dt.datetime | None = None) -> Site:
    now = now or build_moment(None, config.timezone)
    reader = DocumentReader(config, data, diags, schema, now)
    docs = reader.documents(sources)
    reader.untranslated_copies(docs)
    reader.expired_data()
    builder = _Pages(config, data, diags, schema, now, reader.source_keys)

    localized: dict[str, Mapping] = {}
    for lang in config.codes:
        files = Mapping()
        files.line, files.lines = 0, {}
        for name, file in data.files.items():
            files[name] = localize(file.value, lang, config.codes, config.default_language)
        localized[lang] = files

    records = {c.name: {lang: {r["id"]: r for r in as_list(localized[lang].get(c.name))
                               if isinstance(r, Mapping) and isinstance(r.get("id"), str)}
                        for lang in config.codes}
               for c in config.collections}

    pages = builder.pages(docs)
    sections = builder.sections(pages, docs)
    pages = builder.paginate(pages, sections)

    terms: dict[str, dict[str, list[str]]] = {name: {} for name in config.taxonomy_names}
    referrers: dict[tuple[str, str], list[str]] = {}
    dated = sorted({d.key: d for d in docs.values()}.values(),
                   key=lambda d: (-(d.date or dt.date.min).toordinal(), d.key))
    for doc in dated:
        for name, ids in doc.terms.items():
            for term in ids:
                terms[name].setdefault(term, []).append(doc.key)
        for name, ids in doc.refs.items():
            for rid in ids:
                referrers.setdefault((name, rid), []).append(doc.key)
    terms_t = {name: {term: tuple(dict.fromkeys(keys)) for term, keys in sorted(found.items())}
               for name, found in terms.items()}
    referrers_t = {ref: tuple(dict.fromkeys(keys)) for ref, keys in sorted(referrers.items())}

    pages += builder.record_pages(records)
    pages += builder.filter_pages(records)
    pages += builder.archive_pages(lambda key: {p.lang: p for p in pages if p.key == key})
    pages += builder.taxonomy_pages(terms_t, localized)
    pages += builder.not_found_pages()
    pages += builder.search_pages()
    pages += builder.output_pages()
    pages.sort(key=lambda p: p.path)
    builder.check_paths(pages)

    translations: dict[str, dict[str, Page]] = {}
    for page in pages:
        translations.setdefault(page.key, {})[page.lang] = page

    builder.check_home(translations, sections)
    builder.check_taxonomies()
    return Site(
        config=config, urls=builder.urls, documents=docs, pages=tuple(pages), translations=translations,
        sections=sections, data=localized, data_files=data.files, strings=data.strings,
        referrers=referrers_t, terms=terms_t, menu=builder.menu(translations),
        now=now, today=builder.today,
        timelines={t.section: t.timeline for t in schema.content.values() if t.timeline and t.section}
        if schema else {},
        withheld=frozenset(reader.withheld | {f"{c.name}/{rid}" for c in config.collections if c.name in data.files
                                                for rid in data.files[c.name].ids() - set(records[c.name][
                                                    config.default_language])}),
        drafts=frozenset(reader.drafts),
        declared={t.section: frozenset(t.fields) for t in schema.content.values()} if schema else None,
        schema=schema,
        aliases=builder.aliases(pages),
    )


def with_new_bodies(site: Site, sources: list[Source]) -> tuple[Site, list[Page]] | None:
    """The site with the bodies of `sources` (files whose front matter did not
    change) put in, and the pages that show those bodies; None when that is not
    all that changed (a front matter, a file the site does not know, a
    placeholder line). For the preview, which renders these pages first; the
    complete rebuild that follows rebuilds the model in full."""
    by_path = {source.path: source for source in sources}
    docs = dict(site.documents)
    replaced: dict[int, Document] = {}
    for where, doc in site.documents.items():
        new = by_path.get(doc.source.path)
        if new is None:
            continue
        old = doc.source
        if (new.meta != old.meta or new.body_line != old.body_line or new.key != old.key
                or new.lang != old.lang or PLACEHOLDER + ":" in new.body):
            return None
        docs[where] = replaced[id(doc)] = dataclasses.replace(doc, source=new)
    if len(replaced) != len(by_path):
        return None  # a new file, or one the model left out (a draft, a mistake)
    changed = {id(page): dataclasses.replace(page, doc=replaced[id(page.doc)])
               for page in site.pages if page.doc is not None and id(page.doc) in replaced}

    def swap(page: Page) -> Page:
        return changed.get(id(page), page)

    patched = dataclasses.replace(
        site, documents=docs, pages=tuple(swap(p) for p in site.pages),
        translations={key: {lang: swap(p) for lang, p in group.items()} for key, group in site.translations.items()},
        sections={where: tuple(swap(p) for p in pages) for where, pages in site.sections.items()},
    )
    return patched, [page for page in patched.pages if id(page) in {id(p) for p in changed.values()}]
