"""Stage 3a: documents, from the content files as read (sources.py).

Each file's front matter is checked against its kind in the schema; the fields
written once for every language are shared between a document's translations;
a document whose own fields are wrong is left out in every language (and named,
so that what links to it stays silent: one mistake, one message). Also here:
untranslated copies, and data dates that have expired. Everything an editor can
get wrong in a content file is reported here, with file and line.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import zoneinfo
from collections import Counter
from dataclasses import dataclass

from .lib.cache import Store
from .lib.clock import Span, make_span
from .config import Config
from .data import Data
from .lib.diagnostics import Diagnostics
from .lib.parallel import fork_map, shares, workers
from .schema import INDEX_FIELDS, PLACEHOLDER, Checker, Field, Schema, common_fields
from .sources import Source
from .lib.urls import document_path, home_path, pattern_uses_date, section_path
from .lib.yamlsource import Mapping

TRANSLATED_FIELDS = ("title", "summary", "menu_title", "slug", "translation_of", "aliases")
BAD = "\0bad"  # marks a document whose own fields have errors
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
WORD = re.compile(r"\w+")
COPY_MIN_WORDS = 20  # shorter texts (lists of names, a line of links) may rightly be the same
COPY_SHARE = 0.8
COPIES_PARALLEL_FROM = 500  # pairs of texts to compare; fewer are compared in this process
COPY_SETUP = "copies-1"  # change with WORD, COPY_MIN_WORDS or how the share is counted


@dataclass(frozen=True)
class Document:
    key: str
    lang: str
    source: Source
    title: str
    summary: str
    menu_title: str
    slug: str
    date: dt.date | None
    weight: int
    terms: dict[str, tuple[str, ...]]  # taxonomy (tags) -> the terms it gives the document
    refs: dict[str, tuple[str, ...]]  # front-matter field -> ids it names
    params: Mapping  # every front-matter field, shared ones merged in
    path: str  # site path
    span: Span | None = None  # when the item happens or is open, for a type with a timeline

    @property
    def section(self) -> str:
        return self.source.section

    @property
    def is_index(self) -> bool:
        return self.source.is_index


_INLINE_MARKDOWN = (
    (re.compile(r"!?\[([^\]]*)\]\([^)]*\)"), r"\1"),  # [text](address), ![alt](image)
    (re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1"), r"\2"),  # **strong**
    (re.compile(r"(?<![\w*])\*(?=\S)([^*]+?)(?<=\S)\*(?![\w*])"), r"\1"),  # *emphasis*
    (re.compile(r"(?<!\w)_(?=\S)([^_]+?)(?<=\S)_(?!\w)"), r"\1"),  # _emphasis_
    (re.compile(r"(?<![\w`])`([^`]+)`(?![\w`])"), r"\1"),  # `code`
)


def without_markdown(text: str) -> str:
    """`text` without inline Markdown: what a summary shows in lists, feeds and meta tags."""
    if not any(mark in text for mark in "[*_`"):  # what every pattern needs
        return text
    for pattern, replacement in _INLINE_MARKDOWN:
        text = pattern.sub(replacement, text)
    return text


def copy_share(original: str, translation: str) -> float:
    """The share of words two texts have in common (1: the same words, as often), or 0
    when the original is too short to tell (COPY_MIN_WORDS)."""
    mine = Counter(WORD.findall(original.casefold()))
    total = sum(mine.values())
    if total < COPY_MIN_WORDS:  # a shorter text may rightly be the same
        return 0
    theirs = Counter(WORD.findall(translation.casefold()))
    common = sum(min(mine[word], theirs[word]) for word in mine.keys() & theirs.keys())
    return 2 * common / (total + sum(theirs.values()))


def language_order(config: Config) -> list[str]:
    """The default language first, then the others in their order."""
    return [config.default_language] + [c for c in config.codes if c != config.default_language]


@dataclass
class DocumentReader:
    """Makes the documents of a build; what it left out (`withheld`, `drafts`) and
    the content keys it saw (`source_keys`) are read by the model afterwards."""

    config: Config
    data: Data
    diags: Diagnostics
    schema: Schema | None
    now: dt.datetime

    def __post_init__(self):
        self.today = self.now.astimezone(zoneinfo.ZoneInfo(self.config.timezone)).date()
        self.language_order = language_order(self.config)

    def documents(self, sources: list[Source]) -> dict[tuple[str, str], Document]:
        groups: dict[str, dict[str, Source]] = {}
        for source in sources:
            groups.setdefault(source.key, {})[source.lang] = source
        sections = {s.section for s in sources} - {""}
        self.section_keys = {name: {k.rpartition("/")[2] for k in groups if k.startswith(name + "/")
                                    and not k.endswith("/_index")} for name in sections}
        # None: any id (the file could not be read; its error is reported there)
        self.record_ids = {c.name: (None if file.unread else file.ids()) if file is not None else set()
                           for c in self.config.collections for file in [self.data.files.get(c.name)]}
        # a taxonomy's terms are the ids of data/<name>.yaml, when the site has it (else any)
        self.term_ids = {name: set(file.value) if file is not None and isinstance(file.value, dict) else None
                         for name in self.config.taxonomy_names for file in [self.data.files.get(name)]}
        self.unknown_targets = self._check_targets(sections)
        self.common = common_fields(self.config.taxonomy_names)
        # Without data/schema.yaml a field named after a collection or a section lists its ids.
        self.inferred_refs = {name: Field(name, "refs", to=name)
                              for name in [c.name for c in self.config.collections] + sorted(sections)}
        self.translated = self.schema.translated_fields() if self.schema else set(TRANSLATED_FIELDS)

        self.source_keys = set(groups)
        self.withheld: set[str] = set()  # documents left out because of their own mistakes
        self.drafts: set[str] = set()  # documents left out as drafts
        self.source_langs = {(s.key, s.lang) for s in sources}
        docs: dict[tuple[str, str], Document] = {}
        for key in sorted(groups):
            group = groups[key]
            checked = {lang: self._check_fields(source) for lang, source in group.items()}
            if any(values is None for values in checked.values()):
                continue  # reported already: the folder is not a known kind of content
            shared, origins = self._merge_shared(group, checked, self.language_order)
            if shared.get("draft") is True and not self.config.drafts:
                self.drafts.add(key)
                continue
            self._check_alt_texts(group, shared, origins)
            if any(BAD in values for values in checked.values()):
                # a wrong value in either file leaves the document out in every language:
                # a translation alone would lack the shared fields the other file holds
                self.withheld.add(key)
                continue
            for lang, source in sorted(group.items()):
                doc = self._document(source, checked[lang], shared, origins, alone=len(group) == 1)
                if doc is not None:
                    docs[(key, lang)] = doc
            if not any((key, lang) in docs for lang in group):
                self.withheld.add(key)
        return docs

    def _check_alt_texts(self, group: dict[str, Source], shared: dict, origins: dict[str, Source]) -> None:
        """An image field `x` whose schema also declares `x_alt` needs that alt text
        (in every language's file, if it is translated): an image without alt text is refused."""
        fields = self._fields(next(iter(group.values()))) or {}
        for spec in fields.values():
            alt = fields.get(f"{spec.name}_alt")
            if spec.type != "image" or alt is None or not shared.get(spec.name):
                continue
            origin = origins[spec.name]
            line, where = origin.meta.line_of(spec.name), self.diags.relative(origin.path)
            for source in [group[lang] for lang in sorted(group)] if alt.translated else [origin]:
                written = (source.meta if alt.translated else shared).get(alt.name)
                if written is not None and (not isinstance(written, str) or written.strip()):
                    continue  # written; a wrong value is reported by the field check
                at_image = source is origin
                self.diags.error(source.path, line if at_image else (2 if source.meta else 1),
                                 f"the image '{shared[spec.name]}' has no alt text"
                                 + ("" if at_image else f" in this language (the image is on {where}:{line})"),
                                 column=origin.meta.col_of(spec.name) if at_image else 0,
                                 hint=f'describe it for people who cannot see it: {alt.name}: "what the image shows"')

    def _fields(self, source: Source) -> dict[str, Field] | None:
        if self.schema is None:
            return {f.name: f for f in self.common + INDEX_FIELDS} | self.inferred_refs
        return self.schema.fields_for(source.section, source.is_index)

    def _check_targets(self, sections: set[str]) -> set[str]:
        """Each list of ids in the schema's content types names a collection, a taxonomy or a
        section of content; one that names none (`to: partner`) is reported once, at the
        schema's line, and its values are not checked, rather than each reported as unknown.
        The names of those it reported."""
        if self.schema is None:
            return set()
        targets = (set(self.record_ids) | set(self.term_ids) | sections
                   | {t.section for t in self.schema.content.values() if t.section})
        unknown: set[str] = set()
        for ctype in self.schema.content.values():
            for field in ctype.fields.values():
                if field.type != "refs" or not field.to or field.to in targets:
                    continue
                close = difflib.get_close_matches(field.to, sorted(targets), n=1)
                self.diags.error(self.config.root / "data/schema.yaml", field.to_line,
                                 f"the field '{field.name}' lists ids of something that is no collection, "
                                 f"taxonomy or section of content (found '{field.to}')",
                                 hint=f"did you mean '{close[0]}'?" if close else
                                 "to: names a data file of records (data/<name>.yaml), a taxonomy or a folder "
                                 "of content/")
                unknown.add(field.to)
        return unknown

    def known_ids(self, to: str) -> set[str] | None:
        if to in self.unknown_targets:
            return None  # reported at the schema
        if to in self.term_ids:
            return self.term_ids[to]
        if to in self.record_ids:
            return self.record_ids[to]
        return self.section_keys.get(to, set())

    def target_name(self, to: str) -> str:
        if to in self.term_ids:
            return f"data/{to}.yaml"
        return f"data/{to}.yaml" if to in self.record_ids else f"content/{to}/"

    def _check_fields(self, source: Source) -> dict | None:
        """The file's front matter checked against its content type; None if the type is unknown."""
        fields = self._fields(source)
        if fields is None:
            self.diags.error(source.path, 0, f"content/{source.section}/ is not a kind of content this site knows",
                             hint=f"declare '{source.section}' under content: in data/schema.yaml, "
                                  "or move the file to a known folder")
            return None
        checker = Checker(self.diags, source.path, self.config.codes, self.known_ids, self.target_name,
                          source.path.parent, locales=tuple(lang.locale for lang in self.config.languages),
                          today=self.today, horizon_days=self.config.date_horizon_days)
        if self.schema is None:
            values = {k: checker.value(fields[k], v, source.meta, k) if k in fields else v
                      for k, v in source.meta.items()}
        else:
            values = checker.mapping(source.meta, fields, required=False)
        values = {k: v for k, v in values.items() if v is not None}
        if not checker.ok:
            values[BAD] = True
        return values

    def _merge_shared(self, group: dict[str, Source], checked: dict[str, dict],
                      order: list[str]) -> tuple[dict, dict[str, Source]]:
        """Fields written once for all languages, from whichever file wrote them."""
        shared: dict = {}
        origin: dict[str, Source] = {}
        for lang in order:
            source = group.get(lang)
            if source is None:
                continue
            for name, value in checked[lang].items():
                if name in self.translated or name == BAD:
                    continue
                if name in shared and shared[name] != value:
                    first = origin[name]
                    self.diags.warning(source.path, source.meta.line_of(name),
                                       f"'{name}' differs from {self.diags.relative(first.path)}:"
                                       f"{first.meta.line_of(name)}", column=source.meta.col_of(name),
                                       hint="write shared fields in one file only; the other language inherits them")
                    continue
                shared[name] = value
                origin[name] = source
        return shared, origin

    def _document(self, source: Source, own: dict, shared: dict, origins: dict[str, Source],
                  alone: bool = False) -> Document | None:
        """`alone`: the document has no file in another language (whose shared fields it
        would take: its original deleted or renamed, perhaps)."""
        path = source.path
        ok = BAD not in own
        params = Mapping(shared)
        params.line, params.lines, params.cols = source.meta.line, {}, {}
        for name, src in origins.items():
            params.lines[name] = src.meta.line_of(name)
        for name in sorted(self.translated):
            if name in own:
                params[name] = own[name]
                params.lines[name] = source.meta.line_of(name)
        fields = self._fields(source) or {}
        for spec in fields.values():
            if spec.required and spec.name not in params and ok and not spec.translated and self._unreadable(source):
                ok = False  # the field may be in the other language's file, whose own mistake is reported there
            elif spec.required and spec.name not in params and ok:
                first = self.language_order[0]
                # a translation alone (its original deleted or renamed?) took its shared fields from it
                original = f"{path.name[:-len(f'.{source.lang}.md')]}.{first}.md" \
                    if alone and source.lang != first and not spec.translated else ""
                where = "" if spec.translated or original else " (in either language's file)"
                missing = f"; a translation takes it from the {first} file, and there is no {original}" \
                    if original else ""
                self.diags.error(path, 2 if source.meta else 1, f"the field '{spec.name}' is missing{where}",
                                 hint=f"add {spec.name}: {spec.example or '...'} "
                                      f"({spec.describe_type(self.config.codes)}){missing}")
                ok = False
            elif spec.recommended and spec.name not in params and ok and source.lang == self.first_lang(source):
                self.diags.warning(path, 2 if source.meta else 1, f"the field '{spec.name}' is missing: "
                                   f"{spec.description or 'it should be given'}",
                                   hint=f"add {spec.name}: {spec.example or '...'} "
                                        f"({spec.describe_type(self.config.codes)})")
        for number, text in enumerate(source.body.split("\n") if PLACEHOLDER + ":" in source.body else ()):
            if text.lstrip().startswith(PLACEHOLDER + ":"):
                self.diags.error(path, source.body_line + number, "the text still holds a placeholder",
                                 column=text.index(PLACEHOLDER) + 1, hint="replace the TODO line with the real text")
                ok = False
        title = params.get("title") or ""
        slug = params.get("slug", source.key.rpartition("/")[2])
        if not source.is_index and "slug" not in params and not SLUG.match(slug):
            self.diags.error(path, 0, "the file name must be lowercase letters, digits and hyphens "
                             "before the language", hint=f"e.g. open-day-2026.{source.lang}.md")
            ok = False
        if not ok:
            return None
        refs = {name: tuple(params[name]) for name, spec in fields.items()
                if spec.type == "refs" and spec.to not in self.term_ids and params.get(name) and not source.is_index}
        terms = {name: tuple(params[name]) for name in self.term_ids
                 if params.get(name) and name in fields and (fields[name].type, fields[name].to) == ("refs", name)}
        kind = self.schema.content_type(source.section) if self.schema and not source.is_index else None
        pattern = kind.path if kind is not None else ""
        if source.key == "_index":
            site_path = home_path(source.lang)
        elif source.is_index:
            site_path = section_path(source.lang, source.section)
        elif pattern_uses_date(pattern) and not isinstance(params.get("date"), dt.date):
            self.diags.error(path, 2 if source.meta else 1, f"the address of this kind of document is made with "
                             f"its date ({pattern}), and it has none", hint="add date: YYYY-MM-DD")
            return None
        else:
            site_path = document_path(source.lang, source.section, slug, pattern, params.get("date"))
        span = self._span(source, params, fields)
        if not self._span_in_order(source, params, span, origins):
            return None
        summary = str(params.get("summary") or "").strip()
        plain = without_markdown(summary)
        if plain != summary and "summary" in source.meta:
            self.diags.warning(path, source.meta.line_of("summary"), "'summary' holds Markdown, which lists, "
                               "feeds and search engines show as plain text", column=source.meta.col_of("summary"),
                               hint=f'write it as plain text: summary: "{plain}"')
        return Document(
            key=source.key, lang=source.lang, source=source, title=str(title).strip(),
            summary=plain,
            menu_title=str(params.get("menu_title") or title).strip(),
            slug=slug, date=params.get("date"), weight=params.get("weight") or 0,
            terms=terms, refs=refs, params=params, path=site_path, span=span,
        )

    def _unreadable(self, source: Source) -> bool:
        """Whether another language's file of the document exists but could not be read."""
        stem = source.path.name[: -len(f".{source.lang}.md")]
        return any((code != source.lang and (source.key, code) not in self.source_langs
                    and source.path.with_name(f"{stem}.{code}.md").is_file()) for code in self.config.codes)

    def first_lang(self, source: Source) -> str:
        """The language whose file reports a problem shared by all of a document's files."""
        return next(lang for lang in self.language_order if (source.key, lang) in self.source_langs)

    def _span_in_order(self, source: Source, params: Mapping, span: Span | None,
                       origins: dict[str, Source]) -> bool:
        """False, with an error at the end's line, when an item ends before it starts (an
        event's end before its start, a call's deadline before it opens)."""
        if span is None or span.start is None or span.end is None or span.end > span.start:
            return True
        timeline = self.schema.content_type(source.section).timeline

        def spelled(name: str) -> str:  # as the editor wrote it
            meta = origins.get(name, source).meta
            return str(getattr(meta, "raw", {}).get(name, params.get(name)))

        where = origins.get(timeline.end, source)
        self.diags.error(where.path, where.meta.line_of(timeline.end),
                         f"'{timeline.end}' ({spelled(timeline.end)}) is not after '{timeline.start}' "
                         f"({spelled(timeline.start)})", column=where.meta.col_of(timeline.end),
                         hint=f"correct one of the two dates: {timeline.end} must come after {timeline.start}")
        return False

    def _span(self, source: Source, params: Mapping, fields: dict[str, Field]) -> Span | None:
        ctype = self.schema.content_type(source.section) if self.schema and not source.is_index else None
        if ctype is None or ctype.timeline is None:
            return None
        timeline = ctype.timeline
        zone = next((params[f.name] for f in fields.values() if f.type == "timezone" and params.get(f.name)),
                    self.config.timezone)
        start = params.get(timeline.start) if timeline.start else None
        end = params.get(timeline.end)
        if start is None and end is None:
            return Span(None, None, zone)
        return make_span(start, end, zone, open_ended=timeline.open_ended)

    def expired_data(self) -> None:
        """A notice for every date in data/ marked `expires: true` in the schema that has
        passed (an agreement that ran out: shown as expired on the site until renewed) or
        comes within `expiry_notice_days` of the build's date."""
        if self.schema is None:
            return
        today = self.today

        def walk(spec: Field, value, path) -> None:
            if spec.type == "list" and spec.items is not None and isinstance(value, list):
                for item in value:
                    walk(spec.items, item, path)
            elif spec.type == "record" and isinstance(value, Mapping):
                for sub in spec.fields:
                    found = value.get(sub.name)
                    ahead = dt.timedelta(days=self.config.expiry_notice_days)
                    if sub.expires and isinstance(found, dt.date) and found < today + ahead:
                        what = value.get("id") or value.get("name")
                        named = repr(str(what)) if isinstance(what, str) else "this record"
                        when = ("which has passed" if found < today else
                                f"in {(found - today).days} days" if found > today else "today")
                        # only the passing of time brings this: a notice, never a reason to fail
                        self.diags.notice(path, value.line_of(sub.name), f"'{sub.name}' of {named} is "
                                          f"{found.isoformat()}, {when} (the build's date is {today.isoformat()})"
                                          + ("; the site shows it as expired" if found < today else ""),
                                          column=value.col_of(sub.name),
                                          hint=f"once it is renewed, write the new {sub.name}; "
                                               "if it is over, say so or remove it")
                    elif found is not None:
                        walk(sub, found, path)

        for name, spec in self.schema.data.items():
            file = self.data.files.get(name)
            if file is not None:
                walk(spec.root, file.value, self.config.data_dir / f"{name}.yaml")

    def untranslated_copies(self, docs: dict[tuple[str, str], Document]) -> None:
        """A warning at a translation whose text is, word for word, at least 80 % its
        original's: a file copied to the other language and not translated yet, which
        would be published under the wrong language. The share of each pair of texts is
        kept in the cache (copies.sqlite) by the digests of the two, so only texts that
        changed are compared again; many of them (a first build) are compared on every CPU."""
        groups: dict[str, dict[str, Document]] = {}
        for (key, lang), doc in docs.items():
            groups.setdefault(key, {})[lang] = doc
        kept = Store(self.config.cache_dir / "copies.sqlite")
        kept.prefetch(f"{COPY_SETUP}:")
        pairs = []  # (the cache's name for the pair, the original, its translation, the kept share or None)
        for key, group in sorted(groups.items()):
            if len(group) < 2:
                continue
            original = next(group[code] for code in self.language_order if code in group)
            for lang, doc in sorted(group.items()):
                if doc is not original:
                    name = f"{COPY_SETUP}:{original.source.digest}:{doc.source.digest}"
                    share = kept.get(name)
                    pairs.append((name, original, doc, share if isinstance(share, (int, float)) else None))
        missing = [(original.source.body, doc.source.body) for _, original, doc, share in pairs if share is None]
        count = workers() if len(missing) >= COPIES_PARALLEL_FROM else 1
        computed = iter([share for part in fork_map(lambda texts, forked: [copy_share(*pair) for pair in texts],
                                                    shares(missing, count)) for share in part])
        for name, original, doc, share in pairs:
            if share is None:
                share = next(computed)
                kept.put(name, share)
            if share >= COPY_SHARE:
                lang = doc.lang
                self.diags.warning(doc.source.path, doc.source.body_line,
                                   f"the text is {round(100 * share)} % "
                                   f"the same as {self.diags.relative(original.source.path)}'s: it reads as "
                                   f"an untranslated copy, published as '{lang}'",
                                   hint=f"translate it into {self.config.language(lang).name}, or delete "
                                        "the file until it is translated")
        kept.close()

