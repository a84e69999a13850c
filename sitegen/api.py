"""What a template can use, for one page: a `PageApi`.

Every name a template sees is a value or a method of this object (see `names`),
each described in docs/templates.md; a test holds the two in step. Every question
a method asks of the site goes through `ask`, the one place where it is recorded
for page reuse (incremental.py): a later build takes the page from its previous
output only when every question it asked gets the same answer.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from markupsafe import Markup

from .calendars import calendar_feed_path, calendar_path
from .model import Page, ancestor_keys
from .lib.worldmap import country_map

# What the theme may show of the organisation that publishes the site (data/site.yaml:
# organisation): a field its data file does not declare reads as absent (None)
ORGANISATION_FIELDS = ("name", "parent", "summary", "address", "phone", "email", "office_hours", "country",
                       "head", "goals")

# Fields a generic page shows elsewhere than in its list of fields
SHOWN_APART = frozenset({"title", "summary", "menu_title", "slug", "translation_of", "date", "draft", "weight",
                         "template", "aliases", "id", "timezone"})


@dataclass(frozen=True)
class Shown:
    """A field as a generic template lists it: its label in the page's language, its
    type from the schema, its value, and for references the pages they name."""

    name: str
    label: str
    type: str
    value: object
    pages: tuple = ()  # for refs: the pages of the ids, those that exist


def tel_href(number: str) -> str:
    """'(+43 1) 711 55-0' -> 'tel:+431711550'."""
    digits = "".join(ch for ch in str(number) if ch.isdigit())
    return f"tel:+{digits}" if str(number).lstrip("( ").startswith("+") else f"tel:{digits}"


class PageApi:
    """The template API of one page; `names()` is the template's context."""

    def __init__(self, renderer, page: Page):
        """`renderer` is the render.Renderer rendering the page: its caches and the
        page-independent answers (addresses, languages, bodies) come from there."""
        self.renderer = renderer
        self.page = page
        self.lang = page.lang
        self.site = renderer.site
        self.format = renderer.formatters[page.lang]
        self.urls = renderer.urls

    def ask(self, *token: str) -> None:
        """Record a question about the site that the page's output depends on."""
        self.renderer.need(*token)

    def names(self, **extra) -> dict:
        """Everything the page's template can use, by name (docs/templates.md)."""
        renderer, site, page, lang, fmt = self.renderer, self.site, self.page, self.lang, self.format
        config = site.config
        alternates = renderer.alternates(page)
        for key in ancestor_keys(page.key):  # the breadcrumbs
            self.ask("crumb", key, lang)
        return {
            # the page and its language
            "page": page,
            "lang": lang,
            "language": config.language(lang),
            "languages": config.languages,
            "language_names": {language.code: language.name for language in config.languages},
            "content": renderer.body_html(page),
            "description": renderer.description(page),
            "searchable": page.kind in ("document", "record") and not page.fallback and page.pager is None,
            # the site
            "site_title": config.title[lang],
            "titles": config.title,
            "t": site.strings.get(lang, {}),
            "strings": site.strings,
            "data": site.data[lang],
            "organisation": self.organisation(),
            "menu": site.menu.get(lang, ()),
            "trail": site.trail(page),
            "search_page": site.page("search", lang),
            "taxonomies": [name for name, found in site.terms.items() if found],
            "home_figures": config.figures,
            "home_lists": config.home_lists,
            "timelines": site.timelines,
            "feed": renderer.feed_path(lang) and self.urls.href(renderer.feed_path(lang)),
            "calendar_feed": calendar_feed_path(site, lang),
            # addresses and languages of this page
            "canonical": renderer.canonical(page),
            "alternates": alternates,
            "x_default": renderer.x_default(page),
            "switcher": renderer.switcher(page),
            "og_locale": renderer.og_locales[lang],
            "og_alternates": [renderer.og_locales[link.lang] for link in alternates if link.lang != lang],
            # other pages
            "pages": self.pages,
            "get": self.get,
            "get_items": self.get_items,
            "linked": self.linked,
            "referrers": self.referrers,
            "terms": lambda taxonomy: list(site.terms.get(taxonomy, ())),
            "tagged": self.tagged,
            "records": self.records,
            "matching": self.matching,
            "upcoming": self.upcoming,
            "archived": self.archived,
            "counted": self.counted,
            "fields": self.fields,
            "cover": renderer.cover,
            "crumb_title": renderer.crumb_title,
            # time
            "is_over": self.is_over,
            "has_started": self.has_started,
            "days_left": self.days_left,
            "expired": self.expired,
            "when": self.when,
            # words, numbers and dates in the page's language
            "plural": self.plural,
            "date": fmt.date,
            "number": fmt.number,
            "clock": fmt.clock,
            "weekdays": self.weekdays,
            "country": fmt.country,
            "moment": self.moment,
            "iso_date": lambda day: day.isoformat() if day else "",
            "iso_moment": lambda value: value.isoformat() if value else "",
            # links and files
            "href": lambda target: self.urls.href(renderer.site_path(target)),
            "absolute": lambda target: self.urls.absolute(renderer.site_path(target)),
            "asset": renderer.asset,
            "asset_url": self.asset_url,
            "tel": tel_href,
            "calendar_file": lambda target: self.urls.href(calendar_path(target)),
            "webcal": lambda path: "webcal://" + self.urls.absolute(path).split("://", 1)[1],
            "world_map": self.world_map,
            # parts of pages
            "cached": self.cached,
            **extra,
        }

    def cached(self, *variant, caller) -> Markup:
        """`{% call cached() %}...{% endcall %}`: the block rendered once for every page of
        the language, or once per value of `variant` (`cached(page.kind)`)."""
        return self.renderer.cached_part(self.page, variant, caller)

    # -- other pages: every question recorded ------------------------------

    def pages(self, section: str) -> tuple[Page, ...]:
        """The pages of a section in this language, in the section's order."""
        self.ask("section", section, self.lang)
        return self.site.sections.get((section, self.lang), ())

    def get(self, key: str) -> Page | None:
        """The page of a key (`about`, `news/_index`, `people/ada`) in this language, or None."""
        self.ask("page", key, self.lang)
        return self.site.page(key, self.lang)

    def get_items(self, keys) -> list[Page]:
        """The pages of these keys that exist, in this language, in the keys' order."""
        keys = list(keys)
        for key in keys:
            self.ask("page", key, self.lang)
        return self.site.pages_for(keys, self.lang)

    def linked(self, name: str, ids) -> list[Page]:
        """The pages of these ids of a collection or section (`linked('partners', ids)`)."""
        return self.get_items(f"{name}/{i}" for i in ids)

    def referrers(self, name: str, rid: str) -> list[Page]:
        """The documents whose field `name` names the id `rid`, newest first."""
        self.ask("refs", name, rid)
        return self.get_items(self.site.referrers.get((name, rid), ()))

    def tagged(self, term: str, taxonomy: str = "tags") -> list[Page]:
        """The documents a taxonomy gives a term, newest first."""
        self.ask("tagged", taxonomy, term)
        return self.get_items(self.site.terms.get(taxonomy, {}).get(term, ()))

    def records(self, collection: str) -> list[Page]:
        """The pages of a collection's records, in the data file's order."""
        return self.get_items(f"{collection}/{r['id']}" for r in self.site.data[self.lang].get(collection) or ()
                              if isinstance(r, dict) and isinstance(r.get("id"), str))

    def matching(self, collection: str) -> list:
        """The collection's records (the data, not pages), only those of this page's filter on a filter page."""
        records = [r for r in self.site.data[self.lang].get(collection) or () if isinstance(r, dict)]
        if self.page.filter is not None and self.page.collection == collection:
            name, value = self.page.filter
            records = [r for r in records if str(r.get(name)) == value]
        return records

    def _timeline(self, section: str) -> tuple[list[Page], list[Page]]:
        self.ask("section", section, self.lang)
        self.ask("clock")
        return self.site.timeline(section, self.lang)

    def upcoming(self, section: str) -> list[Page]:
        """A section's items still to come or open (a kind with a timeline), the nearest first."""
        return self._timeline(section)[0]

    def archived(self, section: str) -> list[Page]:
        """A section's items that are over or closed, the latest first."""
        return self._timeline(section)[1]

    def counted(self, figure) -> int:
        """The number a home page figure (data/site.yaml, home: figures) shows in this language."""
        site, lang = self.site, self.lang
        if any(c.name == figure.count for c in site.config.collections):
            items = [r for r in site.data[lang].get(figure.count) or () if isinstance(r, dict)]

            def value(item, name):
                return item.get(name)
        else:
            items = list(self.pages(figure.count))

            def value(item, name):
                return item.doc.params.get(name) if item.doc else None
        if figure.without:
            items = [item for item in items if value(item, figure.without) in (None, "")]
        if figure.distinct:
            return len({str(value(item, figure.distinct)) for item in items} - {"None", ""})
        return len(items)

    def fields(self, target: Page) -> list[Shown]:
        """The fields of a document's or record's kind that it gives, in the schema's order,
        for generic templates: what is shown apart (title, dates, cover, the timeline's
        moments, a record's name) left out."""
        schema, strings = self.site.schema, self.site.strings.get(target.lang, {})
        if schema is None:
            return []
        if target.record is not None:
            declared = schema.data.get(target.collection)
            root = declared.root.items if declared and declared.root.type == "list" else None
            specs = {f.name: f for f in root.fields} if root is not None else {}
            values = target.record
            apart = {"id", "summary", *([declared.title] if declared and declared.title else ["title", "name"])}
        elif target.doc is not None and not target.doc.is_index:
            kind = schema.content_type(target.doc.section)
            specs, values = (kind.fields if kind else {}), target.doc.params
            apart = set(SHOWN_APART) | set(self.site.terms)  # the terms show as links of their own
            if kind is not None and kind.timeline is not None:
                apart |= {kind.timeline.start, kind.timeline.end}
        else:
            return []
        images = [name for name, spec in specs.items() if spec.type == "image"]
        apart |= {f"{image}_{part}" for image in images for part in ("alt", "caption")}
        shown = []
        for name, spec in specs.items():
            value = values.get(name)
            if name in apart or spec.type in ("image", "map") or value in (None, "", [], {}):
                continue
            label = (spec.label_in(target.lang, self.site.config.default_language) or strings.get(name)
                     or name.replace("_", " ").capitalize())
            if spec.type == "refs":
                linked = tuple(self.linked(spec.to, value if isinstance(value, list) else [value]))
                if linked:
                    shown.append(Shown(name, label, "refs", value, linked))
                continue
            if spec.type == "choice":
                value = strings.get(f"{name}_{value}", value)
            elif spec.type == "list" and spec.items is not None and spec.items.type == "choice":
                value = [strings.get(f"{name}_{item}", item) for item in value]
            shown.append(Shown(name, label, spec.type, value))
        return shown

    def organisation(self) -> dict | None:
        """The record about who publishes the site, in this language, with every field the theme may show."""
        config = self.site.config
        record = self.site.data[self.lang].get(config.organisation) if config.organisation else None
        if not isinstance(record, dict):
            return None
        return {**dict.fromkeys(ORGANISATION_FIELDS), **record}

    # -- time: the build's moment is a question too ------------------------

    @staticmethod
    def _span(target: Page | None):
        return target.doc.span if target is not None and target.doc is not None else None

    def is_over(self, target: Page) -> bool:
        """The event has ended, the call has closed."""
        self.ask("clock")
        span = self._span(target)
        return bool(span and span.closed(self.site.now))

    def has_started(self, target: Page) -> bool:
        """The item has begun (a call whose applications are open)."""
        self.ask("clock")
        span = self._span(target)
        return bool(span is None or span.started(self.site.now))

    def days_left(self, target: Page) -> int | None:
        """Days from the build's date to the item's last day (0: today), in the site's time zone."""
        self.ask("clock")
        span = self._span(target)
        return None if span is None or span.last_day is None else (span.last_day - self.site.today).days

    def expired(self, day) -> bool:
        """The date has passed (an agreement's valid_until)."""
        self.ask("clock")
        return isinstance(day, dt.date) and day < self.site.today

    def when(self, target: Page) -> str:
        """When a dated item happens, in words of the page's language."""
        return self.format.span(self._span(target))

    # -- words and values in the page's language ---------------------------

    def plural(self, key: str, count: int) -> str:
        """The UI string `key` for `count` of something: `<key>_<form>` when the strings give
        the language's plural form (CLDR: one, few, many, other), else `key` itself."""
        table = self.site.strings.get(self.lang, {})
        form = self.renderer.plural_forms[self.lang](count)
        return table.get(f"{key}_{form}") or table[key]

    def weekdays(self, days) -> str:
        """Days of the week ("Monday-Friday", "daily") in the page's language."""
        return self.format.weekdays(days, self.site.strings.get(self.lang, {}).get("days_daily", ""))

    def moment(self, value, zone: str | None = None) -> str:
        """A date and time in words, in its time zone (default: the site's)."""
        return self.format.moment(value, zone or self.site.config.timezone)

    def asset_url(self, name: str) -> str:
        """A static file's absolute URL (for og:image), with its hashed name."""
        paths = self.renderer.assets.paths
        return self.urls.absolute(paths[name]) if name in paths else self.renderer.asset(name)

    @staticmethod
    def world_map(marked, home: str | None = None, title: str = "", description: str = "") -> Markup:
        """An SVG map with the countries in `marked` (code -> label) and `home` drawn
        in their own colours, made here from the shipped Natural Earth outlines."""
        svg, _missing = country_map({str(code): str(label) for code, label in dict(marked).items()},
                                    home=home or None, title=title, description=description)
        return Markup(svg)
