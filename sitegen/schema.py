"""What editors may write: field types, the schema file, and checking values against it.

A site declares its content types and data files in `data/schema.yaml`; the
engine adds the fields every document understands (`title`, `date`, `draft`...).
Checking a value gives back a clean Python value or reports a diagnostic with
the field's line and column and a hint in plain language. The field tables of
docs/fields.md are generated from the same declarations (`python build.py schema --docs`).
"""

from __future__ import annotations

import datetime as dt
import difflib
import functools
import re
import zoneinfo
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable
from urllib.parse import urlsplit

from babel import Locale

from .lib.clock import parse_moment
from .lib.diagnostics import Diagnostics
from .lib.urls import pattern_problem, pattern_uses_date
from .lib.yamlsource import Mapping, Sequence, read_yaml_file

SCHEMA_FILE = "data/schema.yaml"
PLACEHOLDER = "TODO"  # what `new` writes where an editor must fill something in

TYPES = {
    "text": "text",
    "translated": "text per language",
    "date": "date, YYYY-MM-DD",
    "datetime": 'date and time, "YYYY-MM-DD HH:MM" (or a date alone: all day)',
    "time": 'time of day, "HH:MM"',
    "weekdays": 'days of the week: "Monday-Friday", "Monday, Wednesday", daily',
    "timezone": "time zone, e.g. Europe/Vienna",
    "year": "year, e.g. 2025",
    "int": "whole number",
    "bool": "true or false",
    "url": "web address, https://...",
    "email": "e-mail address",
    "phone": "phone number",
    "country": "ISO 3166 country code, e.g. KZ",
    "choice": "one of the listed values",
    "refs": "list of ids",
    "id": "id: lowercase letters, digits, hyphens",
    "slug": "lowercase letters, digits, hyphens",
    "image": "image file next to the document",
    "record": "group of fields",
    "list": "list",
    "map": "ids, each with a value",
}

ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
DATE_THEN_TIME = re.compile(r"^\s*\d{4}-\d{1,2}-\d{1,2}[ T]\d{1,2}:\d{2}")
LOOSE_DATE = re.compile(r"^\s*(\d{4})[-./](\d{1,2})[-./](\d{1,2})\s*$")
DAY_FIRST_DATE = re.compile(r"^\s*(\d{1,2})[-./](\d{1,2})[-./](\d{4})\s*$")
# 15.04.2027 10:00, 2027/04/15 10:00: a date written another way, then a time
OTHER_DATE_TIME = re.compile(r"^\s*(?:(\d{1,2})[-./](\d{1,2})[-./](\d{4})|(\d{4})[./](\d{1,2})[./](\d{1,2}))"
                             r"[ T]+([01]?\d|2[0-3])[:.]([0-5]\d)\s*$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
PHONE = re.compile(r"^(?=(?:\D*\d){7})[\d\s()+\-]+$")
WHOLE_NUMBER = re.compile(r"^[-+]?(?:0|[1-9][0-9]*)$")
ISO_DATE = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})\s*$")
TIME = re.compile(r"^\s*([01]?\d|2[0-3])[:.]([0-5]\d)\s*$")
# What YAML 1.1 reads as "no value" or as true/false when written without quotes.
NULL_WORDS = frozenset({"null", "Null", "NULL", "~"})
BOOL_SPELLINGS = frozenset({"yes", "no", "on", "off"})
ALL_WEEK = frozenset({"daily", "every day", "everyday"})
TERRITORIES = frozenset(Locale.parse("en").territories)


@dataclass(frozen=True)
class Field:
    name: str
    type: str
    required: bool = False
    recommended: bool = False  # missing: a warning, with the description as the reason
    expires: bool = False  # a date after which the thing is no longer valid: a warning once it has passed
    translated: bool = False  # in content: written in each language's file
    values: tuple[str, ...] = ()  # for choice
    to: str = ""  # for refs: a data collection, a content section, or a taxonomy (tags)
    after: str = ""  # another field of the same record this one may not come before (valid_until: signed)
    items: "Field | None" = None  # for list and map: the type of each item
    fields: tuple["Field", ...] = ()  # for record
    description: str = ""
    example: str = ""
    label: tuple[tuple[str, str], ...] = ()  # (language, text): what pages call the field; "*" for every language
    label_line: int = 0  # where the label is written in the schema
    to_line: int = 0  # where `to` is written in the schema (0: built in)

    def label_in(self, lang: str, default: str = "") -> str:
        """The field's label in `lang` from the schema (else in the `default` language),
        or "" when the schema gives none."""
        labels = dict(self.label)
        return labels.get(lang) or labels.get("*") or labels.get(default, "")

    def describe_type(self, codes: tuple[str, ...] = ()) -> str:
        """The type in words; with the site's language codes, how text per language is written."""
        if self.type == "choice":
            return "one of: " + ", ".join(self.values)
        if self.type == "refs":
            return f"list of {self.to} ids"
        if self.type == "list" and self.items is not None:
            return "list of " + ("groups of fields" if self.items.type == "record" else
                                 self.items.describe_type(codes))
        if self.type == "translated" and codes:
            return f"{TYPES['translated']}: {{{', '.join(c + ': ...' for c in codes)}}}"
        return TYPES.get(self.type, self.type)


@dataclass(frozen=True)
class ContentType:
    section: str  # folder under content/ ("" for top-level pages)
    new: str  # the word for `build.py new`
    description: str
    fields: dict[str, Field]
    dated: bool = False  # the type declares its own `date` (news, events): `new` writes today's date
    timeline: Timeline | None = None  # when its items happen or are open: past ones move to an archive
    cover: str = ""  # the image field shown at the top of a page and when it is shared (with <field>_alt, _caption)
    path: str = ""  # the pattern of its documents' addresses, e.g. "{section}/{year}/{slug}" (urls.py)


@dataclass(frozen=True)
class Timeline:
    start: str  # the field giving the start (may be "")
    end: str  # the field giving the end
    open_ended: bool = False  # an item without an end stays open (a call); else it ends with its start day
    calendar: str = "span"  # what a calendar shows: the whole span (an event), or the end alone (a deadline)
    where: tuple[str, ...] = ()  # the fields that say where an item takes place (a calendar's location)


@dataclass(frozen=True)
class DataFile:
    name: str  # data/<name>.yaml
    new: str
    description: str
    root: Field  # a record, a list of records or a map
    title: str = ""  # the field that names a record (the title of its page), for a list of records


# Fields every content document understands, whatever its type.
BUILTIN = (
    Field("title", "text", required=True, translated=True, description="the title", example='"..."'),
    Field("summary", "text", translated=True,
          description="one or two sentences for lists, feeds and search engines"),
    Field("menu_title", "text", translated=True, description="a shorter title for menus and breadcrumbs"),
    Field("slug", "slug", translated=True, description="the last part of the address (default: the file name)"),
    Field("translation_of", "text", translated=True,
          description="written by `check --fix-translations`: which version of the original this translates"),
    Field("date", "date", description="publication date, YYYY-MM-DD", example="2025-06-12"),
    Field("draft", "bool", description="true keeps the document off the site"),
    Field("weight", "int", description="order in lists: smaller first"),
    Field("template", "text", description="the template in templates/ (default: by section)"),
    Field("aliases", "list", translated=True, items=Field("aliases item", "text"),
          description="earlier addresses of this page, which keep working and lead here (after a rename)",
          example="[/uz/news/old-name/]"),
)


def common_fields(taxonomies: tuple[str, ...] = ("tags",)) -> tuple[Field, ...]:
    """The fields of every document: BUILTIN, and a field of terms for each taxonomy of
    the site (data/site.yaml: taxonomies), named after it."""
    return BUILTIN + tuple(Field(name, "refs", to=name, description=f"ids from data/{name}.yaml: the page's {name}",
                                 example="[exchange]" if name == "tags" else "") for name in taxonomies)


# Fields a section's _index file may set for the whole section.
INDEX_FIELDS = (
    Field("page_template", "text", description="template of the section's pages"),
    Field("paginate", "int", description="items per list page"),
    Field("sort_by", "choice", values=("date", "weight", "title"), description="order of the list"),
    Field("feed", "bool", description="true puts the section's items in the Atom feed of each language"),
    Field("archive_template", "text",
          description="template of the archive page of a section whose items have dates (events, calls)"),
)


@dataclass(frozen=True)
class Schema:
    content: dict[str, ContentType]
    data: dict[str, DataFile]
    common: tuple[Field, ...] = common_fields()  # the fields of every document

    def content_type(self, section: str) -> ContentType | None:
        return next((t for t in self.content.values() if t.section == section), None)

    def fields_for(self, section: str, is_index: bool) -> dict[str, Field] | None:
        """All fields a document in `section` may have, or None if the section is not declared."""
        if is_index:
            return {f.name: f for f in self.common + INDEX_FIELDS}
        ctype = self.content_type(section)
        if ctype is None:
            return None
        return ctype.fields

    def translated_fields(self) -> set[str]:
        names = {f.name for f in self.common if f.translated}
        for ctype in self.content.values():
            names |= {f.name for f in ctype.fields.values() if f.translated}
        return names


# -- reading data/schema.yaml --------------------------------------------------

def _field(name: str, spec, path: Path, line: int, diags: Diagnostics, base: Field | None = None) -> Field | None:
    if spec is None:
        spec = Mapping()
    if isinstance(spec, str):
        spec = {"type": spec}
    if not isinstance(spec, dict):
        diags.error(path, line, f"the field '{name}' must be described as type: ..., required: ...")
        return None
    ftype = spec.get("type", base.type if base else None)
    if not isinstance(ftype, str) or ftype not in TYPES:
        close = difflib.get_close_matches(str(ftype), list(TYPES), n=1)
        diags.error(path, line, f"the field '{name}' has an unknown type (found '{ftype}')",
                    hint=f"did you mean '{close[0]}'?" if close else "types: " + ", ".join(TYPES))
        return None
    values = spec.get("values", base.values if base else ())
    if not isinstance(values, (list, tuple)):
        diags.error(path, line, f"the values of '{name}' must be a list, e.g. values: [a, b]")
        return None
    items = None
    if "items" in spec:
        items = _field(f"{name} item", spec["items"], path, line, diags)
    elif "fields" in spec and ftype == "list":
        items = Field(f"{name} item", "record", fields=_fields(spec["fields"], path, diags))
    elif ftype in ("list", "map"):
        items = Field(f"{name} item", "text")
    return Field(
        name=name, type=ftype,
        required=bool(spec.get("required", base.required if base else False)),
        recommended=bool(spec.get("recommended", base.recommended if base else False)),
        expires=bool(spec.get("expires", base.expires if base else False)),
        translated=bool(spec.get("translated", base.translated if base else False)),
        values=tuple(str(v) for v in values),
        to=str(spec.get("to", base.to if base else "")),
        after=str(spec.get("after", base.after if base else "")),
        items=items,
        fields=_fields(spec["fields"], path, diags) if "fields" in spec and ftype == "record" else (),
        description=str(spec.get("description", base.description if base else "")),
        example=str(spec.get("example", base.example if base else "")),
        label=_label(name, spec.get("label"), path, spec.line_of("label", line) if isinstance(spec, Mapping) else line,
                     diags) if "label" in spec else (base.label if base else ()),
        label_line=spec.line_of("label", line) if isinstance(spec, Mapping) and "label" in spec else 0,
        to_line=spec.line_of("to", line) if isinstance(spec, Mapping) and "to" in spec else line,
    )


def check_labels(schema: Schema, codes: tuple[str, ...], path: Path, diags: Diagnostics) -> None:
    """A label written per language names every language of the site (a page in a language
    without one shows the default language's)."""
    def walk(fields) -> None:
        for spec in fields:
            labels = dict(spec.label)
            if labels and "*" not in labels:
                missing = [code for code in codes if code not in labels]
                unknown = [code for code in labels if code not in codes]
                if missing or unknown:
                    diags.warning(path, spec.label_line, f"the label of '{spec.name}' "
                                  + (f"has no text in {', '.join(missing)}" if missing else
                                     f"names '{unknown[0]}', which is not a language of this site"),
                                  hint=f"write it for every language: label: {{{', '.join(c + ': ...' for c in codes)}}}")
            walk(spec.fields)
            if spec.items is not None:
                walk((spec.items,))
    for kind in schema.content.values():
        walk(kind.fields.values())
    for data in schema.data.values():
        walk((data.root,))


def _label(name: str, raw, path: Path, line: int, diags: Diagnostics) -> tuple[tuple[str, str], ...]:
    """`label: "Venue"` for every language, or a text per language: `label: {de: Ort, en: Venue}`."""
    if isinstance(raw, str) and raw.strip():
        return (("*", raw.strip()),)
    if isinstance(raw, dict) and raw and all(isinstance(k, str) and isinstance(v, str) and v.strip()
                                             for k, v in raw.items()):
        return tuple((k, v.strip()) for k, v in raw.items())
    diags.error(path, line, f"the label of '{name}' is the text pages show for the field, in each language",
                hint='e.g. label: "Venue" for every language, or a text per language code of data/site.yaml: '
                     'label: {<code>: "...", <code>: "..."}')
    return ()


def _fields(specs, path: Path, diags: Diagnostics, base: dict[str, Field] | None = None) -> tuple[Field, ...]:
    if not isinstance(specs, dict):
        return ()
    out = []
    for name, spec in specs.items():
        line = specs.line_of(name) if isinstance(specs, Mapping) else 0
        made = _field(str(name), spec, path, line, diags, (base or {}).get(name))
        if made is not None:
            out.append(made)
    return tuple(out)


def _entries(raw: Mapping, section: str, path: Path, diags: Diagnostics):
    """(name, spec, line) for each entry under `content:` or `data:`, reporting malformed ones."""
    group = raw.get(section) or Mapping()
    if not isinstance(group, Mapping):
        diags.error(path, raw.line_of(section, 1), f"'{section}:' must list kinds as 'name:' lines, each with fields")
        return
    for name, spec in group.items():
        line = group.line_of(name)
        if spec is None:
            spec = Mapping()
            spec.line, spec.lines, spec.cols = line, {}, {}
        if not isinstance(spec, Mapping):
            diags.error(path, line, f"'{name}' must be described with fields such as new:, fields: ...")
            continue
        yield name, spec, line


def _timeline(spec: Mapping, fields: dict[str, Field], path: Path, line: int,
              diags: Diagnostics) -> Timeline | None:
    """`timeline: {start: field, end: field, open_ended: bool}`: the content type's
    items happen or are open between two moments, and move to the section's
    archive after the end."""
    raw = spec.get("timeline")
    if raw is None:
        return None
    where = spec.line_of("timeline", line)
    if not isinstance(raw, Mapping) or set(raw) - {"start", "end", "open_ended", "calendar", "where"} \
            or not raw.get("end"):
        diags.error(path, where, "timeline must name the fields that give the start and the end",
                    hint="e.g. timeline: {start: start, end: end}; open_ended: true keeps an item "
                         "without an end open; calendar: end shows only the end in calendars")
        return None
    names = (raw.get("start", ""), raw.get("end", ""))
    if names[0] == names[1]:
        diags.error(path, where, f"timeline names '{names[1]}' as both its start and its end",
                    hint="give the end a field of its own: timeline: {start: start, end: end}; "
                         "an item without an end ends with its start day")
        return None
    for name in names:
        if name and (name not in fields or fields[name].type not in ("date", "datetime")):
            diags.error(path, where, f"timeline names '{name}', which is not a date or datetime field of this kind")
            return None
    calendar = raw.get("calendar", "span")
    if calendar not in ("span", "end"):
        diags.error(path, where, f"timeline's calendar must be span or end (found '{calendar}')",
                    hint="span: a calendar shows the item from start to end; end: only its end (a deadline)")
        return None
    where = raw.get("where") or []
    where = [where] if isinstance(where, str) else where
    if not isinstance(where, list) or any(not isinstance(n, str) or n not in fields for n in where):
        diags.error(path, raw.line_of("where", spec.line_of("timeline", line)),
                    "timeline's where must list fields of this kind that say where an item takes place",
                    hint="e.g. where: [place, online]")
        return None
    return Timeline(str(names[0] or ""), str(names[1]), raw.get("open_ended") is True, calendar, tuple(where))


def _cover(spec: Mapping, fields: dict[str, Field], path: Path, line: int, diags: Diagnostics) -> str:
    """`cover: photo`: the image field shown at the top of the page and when it is shared.
    Without it, the field named image, else the kind's only image field."""
    images = [f.name for f in fields.values() if f.type == "image"]
    if "cover" not in spec:
        return "image" if "image" in images else images[0] if len(images) == 1 else ""
    name = spec.get("cover")
    if name not in images:
        diags.error(path, spec.line_of("cover", line), f"cover names '{name}', which is not an image field of this kind",
                    hint="declare it first: photo: {type: image}; its alt text goes in photo_alt")
        return ""
    return str(name)


def _path_pattern(spec: Mapping, fields: dict[str, Field], path: Path, line: int, diags: Diagnostics) -> str:
    """`path: "{section}/{year}/{slug}"`: where the kind's documents live, under /<lang>/."""
    if "path" not in spec:
        return ""
    pattern = spec.get("path")
    where = spec.line_of("path", line)
    problem = pattern_problem(pattern) if isinstance(pattern, str) else "the pattern is text, e.g. {section}/{slug}"
    if not problem and pattern_uses_date(pattern) and not fields.get("date", Field("date", "date")).required:
        problem = "the pattern uses the date, so the kind must require it: fields: {date: {required: true}}"
    if problem:
        diags.error(path, where, f"path: {problem}", column=spec.col_of("path"),
                    hint="e.g. path: \"{section}/{year}/{slug}\" gives /<lang>/news/2026/open-day/")
        return ""
    return pattern


def load_schema(root: Path, diags: Diagnostics, taxonomies: tuple[str, ...] = ("tags",)) -> Schema | None:
    """The site's schema, or None if the site has no data/schema.yaml (fields are then not
    checked); every document also has a field for each of the site's `taxonomies`."""
    path = root / SCHEMA_FILE
    if not path.is_file():
        return None
    raw = read_yaml_file(path, diags)
    if not isinstance(raw, Mapping):
        if raw is not None:
            diags.error(path, 1, "the schema must have 'content:' and 'data:' sections")
        return None
    common = common_fields(taxonomies)
    builtin = {f.name: f for f in common}
    content: dict[str, ContentType] = {}
    for name, spec, line in _entries(raw, "content", path, diags):
        section = spec.get("section", name)
        fields = dict(builtin)
        own = spec.get("fields") or {}
        if not isinstance(own, dict):
            diags.error(path, spec.line_of("fields", line), f"the fields of '{name}' must be 'name: ...' lines")
            own = {}
        for made in _fields(own, path, diags, builtin):
            if made.name in taxonomies and (made.type, made.to) != ("refs", made.name):
                diags.error(path, own.line_of(made.name, line), f"'{made.name}' is a taxonomy of this site "
                            f"(data/site.yaml): every document's '{made.name}' lists ids of data/{made.name}.yaml",
                            hint="give this field another name, or leave out its type and to:")
                continue
            fields[made.name] = made
        content[str(name)] = ContentType(section=str(section or ""), new=str(spec.get("new", name)),
                                         description=str(spec.get("description", "")), fields=fields,
                                         dated="date" in own,
                                         timeline=_timeline(spec, fields, path, line, diags),
                                         cover=_cover(spec, fields, path, line, diags),
                                         path=_path_pattern(spec, fields, path, line, diags))
    data: dict[str, DataFile] = {}
    for name, spec, line in _entries(raw, "data", path, diags):
        kind = spec.get("kind", "record")
        if kind not in ("record", "list", "map"):
            diags.error(path, line, f"data file '{name}': kind must be record, list or map")
            continue
        record = Field(f"{name} record", "record", fields=_fields(spec.get("fields") or {}, path, diags))
        if kind == "record":
            root_field = record
        elif kind == "list":
            root_field = Field(name, "list", items=record)
        else:
            item = _field(f"{name} item", spec.get("items", "translated"), path, line, diags) or record
            root_field = Field(name, "map", items=item)
        title = spec.get("title", "")
        if title and (kind != "list" or not isinstance(title, str) or title not in {f.name for f in record.fields}):
            diags.error(path, spec.line_of("title", line), f"data file '{name}': title names the field that names "
                        "each record, in a list of records", hint="e.g. title: name")
            title = ""
        data[name] = DataFile(name=name, new=str(spec.get("new", "")), description=str(spec.get("description", "")),
                              root=root_field, title=str(title))
    return Schema(content=content, data=data, common=common)


# -- checking values -------------------------------------------------------------

@dataclass
class Checker:
    """Checks editor-written values against fields; reports into `diags`.

    `known(to)` gives the ids a `refs` field may name; `codes` are the site's
    languages, for per-language text; `folder` is where image paths start.
    """

    diags: Diagnostics
    path: Path
    codes: tuple[str, ...]
    known: Callable[[str], set[str] | None] = lambda to: None
    target: Callable[[str], str] = lambda to: f"data/{to}.yaml"
    folder: Path | None = None
    locales: tuple[str, ...] = ("en",)  # whose day names `weekdays` fields understand
    fill: bool = False  # records get every declared field, None when absent or wrong (for data files)
    today: dt.date | None = None  # the build's date: a date far after it is taken for a typo
    horizon_days: int = 730
    ok: bool = field(default=True)

    def _at(self, container, key) -> tuple[int, int]:
        if isinstance(container, (Mapping, Sequence)):
            return container.line_of(key), container.col_of(key)
        return 0, 0

    def error(self, container, key, message: str, hint: str = "") -> None:
        self.ok = False
        line, column = self._at(container, key)
        self.diags.error(self.path, line, message, column=column, hint=hint)

    def warning(self, container, key, message: str, hint: str = "") -> None:
        line, column = self._at(container, key)
        self.diags.warning(self.path, line, message, column=column, hint=hint)

    def root(self, spec: Field, value):
        """Check a whole data file, whose top level is a record, a list or a map; the clean value."""
        holder = Mapping({spec.name: value})
        holder.line, holder.lines, holder.cols, holder.raw = 1, {spec.name: 1}, {spec.name: 0}, {}
        return self.value(spec, value, holder, spec.name)

    def mapping(self, values: Mapping, fields: dict[str, Field], what: str = "", *,
                required: bool = True) -> Mapping:
        """Check every key of `values`; unknown keys and missing required fields are errors.
        The clean values keep their lines; a wrong one is left out."""
        clean = _like(values, Mapping())
        meant: set[str] = set()  # required fields whose name an unknown key misspells: reported there
        for key in values:
            spec = fields.get(key)
            if spec is None:
                close = difflib.get_close_matches(str(key), list(fields), n=1)
                meant.update(close)
                self.error(values, key, f"unknown field '{key}'{what}",
                           f"'{close[0]}' is written on line {values.line_of(close[0])} already: delete this line"
                           if close and close[0] in values and isinstance(values, Mapping) else
                           f"did you mean '{close[0]}'?" if close else
                           "known fields: " + ", ".join(sorted(fields)))
                continue
            checked = self.value(spec, values[key], values, key)
            if checked is not None:
                clean[key] = checked
        for spec in fields.values():
            if spec.after and clean.get(spec.name) is not None and clean.get(spec.after) is not None:
                self._in_order(spec, clean, values)
        if self.fill:  # templates may test any declared field: an optional one left out is None
            for spec in fields.values():
                clean.setdefault(spec.name, None)
        if required:
            for spec in fields.values():
                if spec.required and spec.name not in values and spec.name not in meant:
                    line = values.line if isinstance(values, Mapping) else 0
                    self.ok = False
                    self.diags.error(self.path, line, f"the field '{spec.name}' is missing{what}",
                                     hint=f"add {spec.name}: {spec.example or '...'} ({spec.describe_type(self.codes)})")
        return clean

    def value(self, spec: Field, value, container, key):
        """Check one value; returns the clean value (None when it is wrong or empty).

        Values are judged as the editor spelled them: YAML 1.1 reads `9:00` as 540,
        `010` as 8, `yes` as true and `~` as nothing; each such reading is either
        taken back to its spelling (a text field shows `9:00`) or reported with
        the spelling and the fix."""
        raw = _spelling(container, key)
        kind = spec.type
        name = spec.name
        if value is None:
            if raw is not None and raw.strip() in NULL_WORDS:
                report = self.error if spec.required else self.warning
                report(container, key, f"'{name}' is written '{raw.strip()}', which YAML reads as no value",
                       f'to leave it empty, delete the line; for the text itself write {name}: "{raw.strip()}"')
            elif spec.required:
                self.error(container, key, f"'{name}' is empty", f"write a value: {spec.describe_type(self.codes)}")
            return None
        if kind in ("text", "slug", "id", "url", "email", "phone", "country", "choice", "image"):
            text = self._as_text(spec, value, raw, container, key)
            return None if text is None else self._text_kind(spec, text, container, key)
        if kind == "translated":
            return self._translated(spec, value, container, key)
        if kind in ("date", "datetime", "year"):
            clean = (self._date(spec, value, container, key) if kind == "date" else
                     self._datetime(spec, value, container, key) if kind == "datetime" else
                     self._whole_number(spec, value, raw, container, key))
            self._ahead(spec, clean, container, key)
            return clean
        if kind == "time":
            return self._time(spec, value, raw, container, key)
        if kind == "weekdays":
            return self._weekdays(spec, value, raw, container, key)
        if kind == "timezone":
            if not isinstance(value, str) or not _known_zone(value):
                close = difflib.get_close_matches(str(value), sorted(zoneinfo.available_timezones()), n=1)
                self.error(container, key, f"'{name}' must be a time zone such as Europe/Vienna (found '{raw or value}')",
                           f"did you mean '{close[0]}'?" if close else "use a name from the tz database, "
                           "e.g. Asia/Almaty, Europe/Riga")
                return None
            return value
        if kind == "int":
            return self._whole_number(spec, value, raw, container, key)
        if kind == "bool":
            if isinstance(value, str) and value.strip().lower() in ("true", "false"):
                return value.strip().lower() == "true"  # "true" in quotes: meant the same
            if not isinstance(value, bool):
                self.error(container, key, f"'{name}' must be true or false (found '{raw or value}')",
                           f"write {name}: true or {name}: false, without quotes")
                return None
            if raw is not None and raw.strip().lower() in BOOL_SPELLINGS:
                self.warning(container, key, f"'{name}' is written '{raw.strip()}', which YAML reads as "
                             f"{str(value).lower()}; other tools read it as text",
                             f"write {name}: {str(value).lower()}")
            return value
        if kind == "refs":
            return self._refs(spec, value, container, key)
        if kind == "record":
            if not isinstance(value, Mapping):
                self.error(container, key, f"'{name}' must be a group of fields, each on its own indented line")
                return None
            named = value.get("id") if isinstance(value.get("id"), str) else ""
            return self.mapping(value, {f.name: f for f in spec.fields},
                                f" in the record '{named}'" if named else f" in '{name}'")
        if kind == "list":
            if isinstance(value, str) and value.startswith("-"):
                self.error(container, key, f"'{name}' must be a list (found '{value}', one piece of text)",
                           "put a space after '-': - item")
                return None
            if not isinstance(value, list):
                self.error(container, key, f"'{name}' must be a list",
                           "write each item on its own line after '- ', or as [a, b]")
                return None
            if spec.items is None:
                return value
            clean = _like(value, Sequence())
            for i, item in enumerate(value):
                checked = self.value(spec.items, item, value, i)
                if checked is not None:
                    clean.append(checked)
                    clean.lines.append(value.line_of(i) if isinstance(value, Sequence) else 0)
                    clean.cols.append(value.col_of(i) if isinstance(value, Sequence) else 0)
            return clean
        if kind == "map":
            if not isinstance(value, Mapping):
                self.error(container, key, f"'{name}' must be a set of 'id: value' lines")
                return None
            clean = _like(value, Mapping())
            for item_key, item in value.items():
                if not isinstance(item_key, str) or not ID.match(item_key):
                    self.error(value, item_key, f"'{item_key}' is not a valid id",
                               "use lowercase letters, digits and hyphens")
                    continue
                checked = self.value(spec.items, item, value, item_key) if spec.items is not None else item
                if checked is not None:
                    clean[item_key] = checked
            return clean
        return value

    def _in_order(self, spec: Field, clean: Mapping, values: Mapping) -> None:
        """`valid_until` not before `signed`, `end` not before `start`: an error at the later field."""
        late, early = clean[spec.name], clean[spec.after]
        as_date = (lambda v: v.date() if isinstance(v, dt.datetime) else v)
        try:
            wrong = as_date(late) < as_date(early)
        except TypeError:
            return
        if wrong:
            self.error(values, spec.name, f"'{spec.name}' ({_spelling(values, spec.name) or late}) is before "
                       f"'{spec.after}' ({_spelling(values, spec.after) or early})",
                       f"correct one of the two: {spec.name} cannot come before {spec.after}")
            clean.pop(spec.name, None)

    def _ahead(self, spec: Field, value, container, key) -> None:
        """A warning for a date further after the build's date than the horizon (2062 for
        2026), and a notice for a publication date still to come."""
        if self.today is None or spec.expires or value is None:
            return
        day = (value.date() if isinstance(value, dt.datetime) else value if isinstance(value, dt.date)
               else dt.date(value, 12, 31) if isinstance(value, int) and 1 <= value <= 9999 else None)
        if day is None:
            return
        ahead = (day - self.today).days
        spelled = _spelling(container, key) or str(value)
        if ahead > self.horizon_days:
            self.warning(container, key, f"'{spec.name}' is {spelled}, {ahead // 365} years after the build's date "
                         f"({self.today.isoformat()}): a typo?", "correct the year; dates this far ahead are "
                         "allowed with a larger date_horizon_days in data/site.yaml")
        elif ahead > 0 and spec.name == "date":
            line, column = self._at(container, key)
            self.diags.notice(self.path, line, f"'date' is {spelled}, after the build's date "
                              f"({self.today.isoformat()}): until then the item is listed as the newest",
                              column=column, hint="if it is a typo, correct it; otherwise nothing needs doing")

    def _as_text(self, spec: Field, value, raw: str | None, container, key) -> str | None:
        """A scalar as text, as the editor spelled it (`9:00`, not 540); None, reported, if it is no text."""
        name = spec.name
        if isinstance(value, bool):
            spelled = raw.strip() if raw is not None else str(value).lower()
            self.error(container, key, f"'{name}' was read as {str(value).lower()}, not as the text '{spelled}'",
                       f'YAML reads yes/no/on/off as true/false: write {name}: "{spelled}"')
            return None
        if isinstance(value, (int, float, dt.date)):
            return raw.strip() if raw is not None else str(value)
        if not isinstance(value, str):
            self.error(container, key, f"'{name}' must be {spec.describe_type(self.codes)}, not a list or a group of fields",
                       f'write it on one line, in double quotes: {name}: "..."')
            return None
        return value

    def _whole_number(self, spec: Field, value, raw: str | None, container, key):
        name, kind = spec.name, spec.type
        spelled = (raw if raw is not None else str(value)).strip()
        if isinstance(value, str) and WHOLE_NUMBER.match(value.strip()):
            value = int(value)  # "10" in quotes: meant the same
        elif isinstance(value, bool) or not isinstance(value, int):
            looks = spelled.translate(str.maketrans("OoIl", "0011"))  # letters typed for digits
            self.error(container, key, f"'{name}' must be a whole number (found '{spelled}')",
                       f"did you mean '{looks}'?" if looks != spelled and WHOLE_NUMBER.match(looks) else
                       f"write it with digits only, e.g. {name}: {2025 if kind == 'year' else 10}")
            return None
        elif raw is not None and not WHOLE_NUMBER.match(spelled):
            digits = spelled.lstrip("+").replace("_", "")
            if digits.isdigit():
                self.error(container, key, f"'{name}' is written '{spelled}', which YAML reads as {value}",
                           f"write it with digits only, without leading zeros: {name}: {int(digits)}")
            else:
                self.error(container, key, f"'{name}' is written '{spelled}', which YAML reads as {value}",
                           f"write a whole number with digits only, e.g. {name}: {2025 if kind == 'year' else 10}")
            return None
        if kind == "year" and not 1900 <= value <= 2100:
            self.error(container, key, f"'{name}' must be a year such as 2025 (found {spelled})")
            return None
        return value

    def _time(self, spec: Field, value, raw: str | None, container, key):
        """A time of day, HH:MM: `9:00` unquoted (which YAML reads as 540) is taken as written."""
        name = spec.name
        spelled = (raw if raw is not None and not isinstance(value, str) else str(value)).strip()
        if isinstance(value, dt.time):
            return value
        found = TIME.match(spelled) if not isinstance(value, bool) else None
        if found and (":" in spelled or isinstance(value, str)):
            return dt.time(int(found.group(1)), int(found.group(2)))
        example = f"{int(found.group(1)):02d}:{found.group(2)}" if found else "09:00"
        self.error(container, key, f"'{name}' must be a time of day written as HH:MM (found '{spelled}')",
                   f'e.g. {name}: "{example}"')
        return None

    def _weekdays(self, spec: Field, value, raw: str | None, container, key):
        """Days of the week, as names in any of the site's languages, ranges and lists:
        "Monday-Friday", "dushanba–juma, shanba", [mon, wed], daily. Gives the day
        numbers, Monday 0, in order."""
        name = spec.name
        if isinstance(value, list):
            text = ", ".join(str(item) for item in value)
        elif isinstance(value, str):
            text = value
        else:
            text = (raw if raw is not None else str(value)).strip()
        days = parse_weekdays(text, self.locales)
        if isinstance(days, str):
            names = weekday_names(self.locales[0])
            close = difflib.get_close_matches(days, [n for n in _day_lookup(self.locales) if len(n) > 2], n=1)
            fixed = re.sub(re.escape(days), close[0], text, count=1, flags=re.IGNORECASE) if close else ""
            self.error(container, key, f"'{name}' must name days of the week (found '{text}'): "
                       f"'{days}' is not a day of the week",
                       f"did you mean '{fixed}'?" if close else
                       f'e.g. {name}: "{names[0]}-{names[4]}", or daily; the days: {", ".join(names)}')
            return None
        return days

    def _text_kind(self, spec: Field, value: str, container, key):
        name, kind = spec.name, spec.type
        if value.lstrip().startswith(PLACEHOLDER):
            self.error(container, key, f"'{name}' still holds a placeholder: {value}",
                       "replace the TODO text with the real value")
            return None
        if spec.required and not value.strip():
            self.error(container, key, f"'{name}' is empty", f"write the {name}")
            return None
        if kind in ("slug", "id") and not ID.match(value):
            lowered = "-".join(re.findall(r"[a-z0-9]+", value.lower()))
            self.error(container, key, f"'{name}' must be lowercase letters, digits and hyphens (found '{value}')",
                       f"did you mean '{lowered}'?" if lowered else "e.g. open-day-2026")
            return None
        if kind == "url":
            parts = urlsplit(value)
            if parts.scheme not in ("http", "https") or not parts.netloc or " " in value:
                self.error(container, key, f"'{name}' must be a web address (found '{value}')",
                           "write the whole address, starting with https://")
                return None
        if kind == "email" and value and not EMAIL.match(value):
            self.error(container, key, f"'{name}' must be an e-mail address (found '{value}')",
                       "e.g. name@example.org")
            return None
        if kind == "phone" and value and not PHONE.match(value):
            self.error(container, key, f"'{name}' must be a phone number (found '{value}')",
                       'digits with +, spaces, brackets or hyphens, e.g. "(+43 1) 711 55-0"')
            return None
        if kind == "country" and value.strip().upper() in TERRITORIES and value.strip().isalpha():
            value = value.strip().upper()  # kz: the code, in the letters it is written with
        if kind == "country" and value not in TERRITORIES:
            named = _country_names(self.locales).get(value.strip().casefold())
            close = [named] if named else difflib.get_close_matches(value.upper(), sorted(TERRITORIES), n=1)
            self.error(container, key, f"'{name}' must be a two-letter ISO 3166 country code (found '{value}')",
                       f"did you mean '{close[0]}'?" if close else "e.g. AT for Austria, JP for Japan")
            return None
        if kind == "choice" and value not in spec.values:
            close = difflib.get_close_matches(value, spec.values, n=1)
            self.error(container, key, f"'{name}' must be one of: {', '.join(spec.values)} (found '{value}')",
                       f"did you mean '{close[0]}'?" if close else "")
            return None
        if kind == "image" and self.folder is not None:
            if not (self.folder / value).is_file():
                self.error(container, key, f"the image '{value}' does not exist",
                           f"put the file in {self.diags.relative(self.folder)}/")
                return None
        return value

    def _translated(self, spec: Field, value, container, key):
        if isinstance(value, str):
            return value  # the same text in every language
        if isinstance(value, (bool, int, float, dt.date)):
            return self._as_text(spec, value, _spelling(container, key), container, key)
        if not isinstance(value, Mapping):
            self.error(container, key, f"'{spec.name}' must be text per language",
                       f"write it as {spec.name}: {{{', '.join(c + ': ...' for c in self.codes)}}}")
            return None
        clean = _like(value, Mapping())
        for lang in value:
            if lang not in self.codes:
                lowered = str(lang).lower()
                close = [lowered] if lowered in self.codes else difflib.get_close_matches(lowered, self.codes, n=1)
                self.error(value, lang, f"'{lang}' is not a language of this site ({', '.join(self.codes)})",
                           f"did you mean '{close[0]}'?" if close else "")
            elif not isinstance(value[lang], str):
                text = self._as_text(Field(f"{spec.name}: {lang}", "text"), value[lang],
                                     _spelling(value, lang), value, lang)
                if text is None:
                    continue
                clean[lang] = text
            elif value[lang].lstrip().startswith(PLACEHOLDER):
                self.error(value, lang, f"the {lang} text of '{spec.name}' still holds a placeholder",
                           "replace the TODO text with the real value")
            else:
                clean[lang] = value[lang]
        return clean

    def _date(self, spec: Field, value, container, key):
        name = spec.name
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        raw = _spelling(container, key)
        text = raw.strip() if raw is not None and not isinstance(value, str) else str(value)
        iso = ISO_DATE.match(text)
        if iso:  # "2025-11-17" in quotes: meant the same as without
            try:
                return dt.date(*map(int, iso.groups()))
            except ValueError:
                pass
        loose = LOOSE_DATE.match(text)
        day_first = DAY_FIRST_DATE.match(text)
        if loose or day_first:
            y, m, d = (loose.groups() if loose else day_first.groups()[::-1])
            try:
                fixed = dt.date(int(y), int(m), int(d)).isoformat()
            except ValueError:
                self.error(container, key, f"'{name}' is not a real date: '{text}' (YYYY-MM-DD)",
                           "check the month (1-12) and the day")
                return None
            self.error(container, key, f"'{name}' must be written as YYYY-MM-DD (found '{text}')",
                       f"write {name}: {fixed}")
            return None
        self.error(container, key, f"'{name}' must be a date written as YYYY-MM-DD (found '{text}')",
                   f"e.g. {name}: 2025-06-12")
        return None

    def _datetime(self, spec: Field, value, container, key):
        name = spec.name
        if isinstance(value, (dt.datetime, dt.date)):
            return value  # YAML read it already: 2026-12-10 or 2026-12-10 14:30:00
        raw = _spelling(container, key)
        text = raw.strip() if raw is not None and not isinstance(value, str) else str(value)
        if text.lstrip().startswith(PLACEHOLDER):
            self.error(container, key, f"'{name}' still holds a placeholder: {text}",
                       f'write the date and time: {name}: "2026-12-10 14:30"')
            return None
        try:
            return parse_moment(text)
        except ValueError:
            pass
        other = OTHER_DATE_TIME.match(text)
        if other:
            day, month, year = other.group(1, 2, 3) if other.group(3) else other.group(6, 5, 4)
            try:
                fixed = f"{dt.date(int(year), int(month), int(day)).isoformat()} {int(other[7]):02d}:{other[8]}"
            except ValueError:
                fixed = ""
            if fixed:
                self.error(container, key, f"'{name}' must be written as \"YYYY-MM-DD HH:MM\" (found '{text}')",
                           f'write {name}: "{fixed}"')
                return None
        if isinstance(value, str) and DATE_THEN_TIME.match(text):
            self.error(container, key, f"'{name}' is not a real date and time: '{text}'",
                       "check the month (1-12), the day and the time (00:00-23:59)")
        else:
            self.error(container, key, f"'{name}' must be a date and time written as \"YYYY-MM-DD HH:MM\" "
                       f"(found '{text}')", f'e.g. {name}: "2026-12-10 14:30", in quotes; '
                       "or a date alone for the whole day")
        return None

    def _refs(self, spec: Field, value, container, key):
        name = spec.name
        if isinstance(value, (bool, int, float, dt.date)):
            value = (_spelling(container, key) or str(value)).strip()
        if isinstance(value, str):
            if value.startswith("-"):
                self.error(container, key, f"'{name}' must be a list (found '{value}', one piece of text)",
                           "put a space after '-': - item")
                return None
            if "," in value:
                items = ", ".join(part.strip() for part in value.split(",") if part.strip())
                self.error(container, key, f"'{name}' must be a list (found '{value}', one piece of text)",
                           f"did you mean '[{items}]'?")
                return None
            value = [value]
        if not isinstance(value, list):
            self.error(container, key, f"'{name}' must be a list of ids", f"e.g. {name}: [first-id, second-id]")
            return None
        known = self.known(spec.to)
        ids = []
        for i, item in enumerate(value):
            holder = value if isinstance(value, Sequence) else container
            where = i if isinstance(value, Sequence) else key
            if not isinstance(item, str) and not isinstance(item, (list, dict)):
                item = (_spelling(value, i) or str(item)).strip()
            if not isinstance(item, str) or not ID.match(item):
                lowered = re.sub(r"[\s_]+", "-", item.strip().lower()) if isinstance(item, str) else ""
                self.error(holder, where, f"'{item}' in '{name}' is not an id",
                           f"did you mean '{lowered}'?" if known and lowered in known else
                           "ids are lowercase letters, digits and hyphens")
                continue
            if known is not None and item not in known:
                close = difflib.get_close_matches(item, sorted(known), n=1)
                self.error(holder, where, f"'{item}' in '{name}' is not in {self.target(spec.to)}",
                           f"did you mean '{close[0]}'?" if close else
                           "known ids: " + _some(sorted(known)) if known else
                           f"add it to {self.target(spec.to)} first, or correct the id")
                continue
            ids.append(item)
        return ids


def _some(values: list[str], shown: int = 12) -> str:
    """A list of known values for a hint: all of them, or the first ones and how many more."""
    more = len(values) - shown
    return ", ".join(values[:shown]) + (f" and {more} more" if more > 0 else "")


def _spelling(container, key) -> str | None:
    """How the editor wrote a scalar value, before YAML read it (None if not known)."""
    if isinstance(container, Mapping):
        return (getattr(container, "raw", None) or {}).get(key)
    if isinstance(container, Sequence) and isinstance(key, int):
        raws = getattr(container, "raws", None) or []
        return raws[key] if 0 <= key < len(raws) else None
    return None


def _like(source, empty):
    """An empty Mapping or Sequence that knows where `source` was written."""
    empty.line = getattr(source, "line", 0)
    empty.column = getattr(source, "column", 0)
    if isinstance(empty, Mapping):
        empty.lines = dict(getattr(source, "lines", {}))
        empty.cols = dict(getattr(source, "cols", {}))
        empty.raw = dict(getattr(source, "raw", {}))
    else:
        empty.lines, empty.cols, empty.raws = [], [], []
    return empty


def weekday_names(locale: str) -> list[str]:
    """The wide names of the week's days in `locale`, Monday first."""
    days = Locale.parse(locale).days["format"]["wide"]
    return [days[i] for i in range(7)]


_DAY_SEPARATORS = re.compile(r"\s*(?:,|;|\band\b|\bva\b)\s*")
_DAY_RANGE = re.compile(r"\s*(?:[-\u2010-\u2015]|\bto\b|\bgacha\b)\s*")


@functools.lru_cache(maxsize=16)
def _day_lookup(locales: tuple[str, ...]) -> dict[str, int]:
    names: dict[str, int] = {}
    for code in dict.fromkeys((*locales, "en")):
        try:
            locale = Locale.parse(code)
        except (ValueError, TypeError):
            continue
        for context in ("format", "stand-alone"):
            for width in ("wide", "abbreviated", "short"):
                for number, day in locale.days[context][width].items():
                    names.setdefault(day.casefold().rstrip("."), number)
    return names


def parse_weekdays(text: str, locales: tuple[str, ...]) -> tuple[int, ...] | str:
    """Day numbers (Monday 0) named by `text`, or the word that names no day."""
    words = text.strip().casefold()
    if not words:
        return words
    if words in ALL_WEEK:
        return tuple(range(7))
    names = _day_lookup(locales)
    days: set[int] = set()
    for part in _DAY_SEPARATORS.split(words):
        if not part:
            continue
        ends = [end.strip().rstrip(".") for end in _DAY_RANGE.split(part)]
        if len(ends) > 2 or any(end not in names for end in ends):
            return next((end for end in ends if end not in names), part)
        first, last = names[ends[0]], names[ends[-1]]
        span = range(first, last + 1) if first <= last else [*range(first, 7), *range(0, last + 1)]
        days.update(span)
    return tuple(sorted(days))


@functools.lru_cache(maxsize=8)
def _country_names(locales: tuple[str, ...]) -> dict[str, str]:
    """Country names in the site's languages and English -> their ISO codes ("russia" -> RU)."""
    names: dict[str, str] = {}
    for code in dict.fromkeys((*locales, "en")):
        try:
            territories = Locale.parse(code).territories
        except (ValueError, TypeError):
            continue
        for territory, name in territories.items():
            if territory in TERRITORIES and territory.isalpha():
                names.setdefault(name.casefold(), territory)
    return names


def _known_zone(name: str) -> bool:
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
        return False
    return True


# -- the editor's guide ------------------------------------------------------------

def guide_markdown(schema: Schema, codes: tuple[str, ...] = ()) -> str:
    """The field tables of docs/fields.md, generated from the schema."""
    out: list[str] = []

    def table(fields, shared_note: bool) -> None:
        out.append("| field | type | required | " + ("written in | " if shared_note else "") + "meaning |")
        out.append("|---|---|---|" + ("---|" if shared_note else "") + "---|")
        for f in fields:
            where = ("each language" if f.translated else "one file") if shared_note else ""
            cells = [f"`{f.name}`", f.describe_type(codes),
                     "yes" if f.required else "recommended" if f.recommended else ""]
            if shared_note:
                cells.append(where)
            cells.append(f.description)
            out.append("| " + " | ".join(cells) + " |")
        out.append("")

    out.append("#### Every document")
    out.append("")
    out.append("Fields written in *each language* are translated; the others are written once, in either "
               "file, and the translation inherits them.")
    out.append("")
    table(schema.common, True)
    out.append("A section's `_index.<lang>.md` may also set:")
    out.append("")
    table(INDEX_FIELDS, True)
    builtin = {f.name: f for f in schema.common}
    for ctype in schema.content.values():
        folder = f"content/{ctype.section}/" if ctype.section else "content/"
        out.append(f"#### {ctype.new.capitalize()} — `{folder}<name>.<lang>.md`")
        out.append("")
        if ctype.description:
            out.append(ctype.description)
            out.append("")
        own = [f for f in ctype.fields.values() if builtin.get(f.name) != f]
        if own:
            out.append("Besides the fields of every document:" if any(f.name not in builtin for f in own)
                       else "The fields of every document, with these differences:")
            out.append("")
            table(own, True)
        else:
            out.append("The fields of every document.")
            out.append("")
    for data in schema.data.values():
        out.append(f"#### `data/{data.name}.yaml`")
        out.append("")
        if data.description:
            out.append(data.description)
            out.append("")
        root = data.root
        record = root.items if root.type in ("list", "map") else root
        if root.type == "map":
            out.append(f"Each line is `id: value`; the value is {record.describe_type(codes)}.")
            out.append("")
        elif record is not None and record.fields:
            table(record.fields, False)
            for f in record.fields:
                if f.type == "list" and f.items is not None and f.items.type == "record":
                    out.append(f"Each item of `{f.name}`:")
                    out.append("")
                    table(f.items.fields, False)
                if f.type == "record":
                    out.append(f"`{f.name}`:")
                    out.append("")
                    table(f.fields, False)
    labels = ", ".join(f"{code}: ..." for code in codes or ("uz", "en"))
    out += ["#### Writing `data/schema.yaml`", "", SCHEMA_GUIDE.replace("{LABELS}", "{" + labels + "}"), "", "| type | a value is |", "|---|---|"]
    out += [f"| `{name}` | {meaning} |" for name, meaning in TYPES.items()]
    return "\n".join(out).rstrip() + "\n"


# How a contributor declares kinds and fields (the end of docs/fields.md)
SCHEMA_GUIDE = """\
A kind of content sits under `content:`, with `new:` (the word for `build.py new`),
`description:`, `fields:`, and optionally `section:` (its folder, default: its name),
`timeline: {start, end, open_ended, calendar, where}` (when its items happen; past ones
move to an archive), `cover:` (its cover image field) and `path:` (the pattern of its
addresses, e.g. `"{section}/{year}/{slug}"`). A data file sits under `data:`, with
`kind:` (record, list or map), `title:` (the field that names each record of a list)
and `fields:`. A field is `name: {type: ..., ...}` with `required:` or `recommended:`,
`translated:` (written in each language's file), `label:` (what pages call it: text, or
`{LABELS}` for every language), `description:`, `example:`, `values:` (for
`choice`; pages show each value as the UI string `<field>_<value>` when there is one),
`to:` (for `refs`: a data file, a content folder or a taxonomy such as `tags`), `items:` or `fields:` (for
`list`, `map` and `record`), `after:` (a field it may not come before) and `expires:`
(a date after which it is no longer valid). The types:"""
