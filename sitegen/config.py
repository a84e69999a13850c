"""Stage 1: the site configuration, `data/site.yaml`.

Everything that differs between sites lives there (languages, base URL, menu,
policies, data collections); the engine itself knows no site.
"""

from __future__ import annotations

import difflib
import re
import zoneinfo
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from babel import Locale, UnknownLocaleError

from .lib.diagnostics import Diagnostics
from .lib.yamlsource import Mapping, Sequence, read_yaml_file

CONFIG_FILE = "data/site.yaml"
MISSING_POLICIES = ("fallback", "omit")
HOST = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?)+$")
LANG_CODE = re.compile(r"^[a-z]{2,3}(-[a-z0-9]{2,8})*$")


@dataclass(frozen=True)
class Language:
    code: str
    name: str
    locale: str  # a CLDR locale identifier for Babel, e.g. "uz_Latn"


@dataclass(frozen=True)
class Collection:
    """A data file of records with ids, each of which gets a page."""

    name: str  # data/<name>.yaml and the section /<lang>/<name>/<id>/
    template: str = "record.html"  # the theme's generic record page unless the site names its own
    # (field, template): a page per value of the field at /<lang>/<name>/<field>/<value>/
    filters: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Figure:
    """A number the home page shows: how many records of a collection or pages of a section."""

    label: str  # the UI string that says what is counted
    count: str  # a collection (data/<name>.yaml) or a section (content/<name>/)
    distinct: str = ""  # count the different values of this field instead (countries)
    without: str = ""  # count only the items without this field (projects that have not ended)
    link: str = ""  # the content file the figure links to, e.g. partners/_index.md
    line: int = 0


@dataclass(frozen=True)
class HomeList:
    """A list of a section's items on the home page."""

    section: str
    show: str  # "upcoming": open or still to come (a section with a timeline); "latest": newest first
    limit: int = 3
    title: str = ""  # UI strings: the heading, the line shown when there is none, the link to all
    empty: str = ""
    more: str = ""
    line: int = 0


@dataclass(frozen=True)
class Output:
    """A file every language gets from a template: `/<lang>/<path>` (a JSON list, say)."""

    template: str
    path: str  # under the language's folder, e.g. concerts.json
    line: int = 0


@dataclass(frozen=True)
class Taxonomy:
    """A front-matter field of ids that groups documents of any kind (tags): a page lists
    its terms at /<lang>/<name>/, and each term gets a page at /<lang>/<name>/<term>/.
    data/<name>.yaml, when there is one, names each term per language and is the list
    of terms editors may use."""

    name: str
    template: str = "taxonomy.html"  # the list of terms
    term_template: str = "term.html"  # one term's page: what carries it
    line: int = 0


@dataclass(frozen=True)
class Config:
    root: Path
    title: dict[str, str]
    base_url: str
    languages: tuple[Language, ...]
    default_language: str
    missing_translation: str
    menu: tuple[tuple[str, int], ...]  # (content path such as "about.md", line)
    collections: tuple[Collection, ...]
    timezone: str
    search: bool = False  # build a Pagefind index and a search page per language
    embed_hosts: tuple[str, ...] = ()  # hosts whose iframes (videos, maps) editors may paste
    expiry_notice_days: int = 42  # an expiring date (an agreement's) is noted this many days ahead
    date_horizon_days: int = 730  # a date further ahead than this is taken for a typo (2062 for 2026)
    figures: tuple[Figure, ...] = ()  # what the home page counts
    home_lists: tuple[HomeList, ...] = ()  # what the home page lists
    outputs: tuple[Output, ...] = ()  # files made from templates besides the pages
    taxonomies: tuple[Taxonomy, ...] = (Taxonomy("tags"),)
    organisation: str = ""  # the record data file about who publishes the site (its name, contacts)
    theme: Path | None = None  # a folder with templates/ and static/ shared with other sites
    drafts: bool = False

    @property
    def taxonomy_names(self) -> tuple[str, ...]:
        return tuple(t.name for t in self.taxonomies)

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(lang.code for lang in self.languages)

    def language(self, code: str) -> Language:
        return next(lang for lang in self.languages if lang.code == code)

    @property
    def content_dir(self) -> Path:
        return self.root / "content"

    @property
    def data_dir(self) -> Path:
        return self.root / "data"

    @property
    def templates_dir(self) -> Path:
        """The site's own templates; with a theme, they take the place of its templates of the same name."""
        return self.root / "templates"

    @property
    def static_dir(self) -> Path:
        return self.root / "static"

    @property
    def template_dirs(self) -> tuple[Path, ...]:
        """Where templates are looked for, first match first: the site's own, then the theme's."""
        if self.theme is None or self.theme == self.root:
            return (self.templates_dir,)
        own = (self.templates_dir,) if self.templates_dir.is_dir() else ()
        return own + (self.theme / "templates",)

    @property
    def static_dirs(self) -> tuple[Path, ...]:
        """Where static files come from, the later taking the place of the earlier: the theme's, the site's."""
        if self.theme is None or self.theme == self.root:
            return (self.static_dir,)
        return (self.theme / "static", self.static_dir)

    @property
    def cache_dir(self) -> Path:
        """Work kept between builds (git-ignored); deleting it only costs time."""
        return self.root / ".cache" / "sitegen"


def normalise_base_url(url: str) -> str | None:
    """'https://example.org/ir' -> 'https://example.org/ir/'; None if not http(s)."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        return None
    path = parts.path if parts.path.endswith("/") else parts.path + "/"
    return f"{parts.scheme}://{parts.netloc}{path}"


def load_config(root: Path, diags: Diagnostics, base_url: str | None = None,
                drafts: bool = False) -> Config | None:
    path = root / CONFIG_FILE
    if not path.is_file():
        diags.error(path, 0, "the site configuration is missing; create data/site.yaml (see docs/publishing.md)")
        return None
    raw = read_yaml_file(path, diags)
    if not isinstance(raw, Mapping):
        if raw is not None:
            diags.error(path, 1, "must be a mapping of settings (key: value)")
        return None

    ok = True

    def fail(key: str, message: str, hint: str = "") -> None:
        nonlocal ok
        ok = False
        diags.error(path, raw.line_of(key, 1), message, column=raw.col_of(key), hint=hint)

    languages: list[Language] = []
    raw_langs = raw.get("languages")
    if not isinstance(raw_langs, Sequence) or not raw_langs:
        fail("languages", "'languages' must list the site's languages, each with code, name and locale")
    else:
        for i, item in enumerate(raw_langs):
            line = raw_langs.line_of(i)
            if not isinstance(item, Mapping) or not all(isinstance(item.get(k), str) for k in ("code", "name")):
                diags.error(path, line, "each language needs 'code' (such as uz) and 'name' (such as Oʻzbekcha)")
                ok = False
                continue
            code = item["code"]
            locale = item.get("locale", code)
            if not LANG_CODE.match(code):
                diags.error(path, line, f"language code '{code}' must be lowercase letters such as 'uz' or 'en'")
                ok = False
                continue
            try:
                Locale.parse(str(locale))
            except (UnknownLocaleError, ValueError, TypeError):
                diags.error(path, item.line_of("locale", line),
                            f"unknown locale '{locale}'; use a CLDR locale such as uz_Latn, en or ru")
                ok = False
                continue
            if any(lang.code == code for lang in languages):
                diags.error(path, line, f"language '{code}' is listed twice")
                ok = False
                continue
            languages.append(Language(code, item["name"], str(locale)))
    codes = [lang.code for lang in languages]

    default = raw.get("default_language", codes[0] if codes else None)
    if codes and default not in codes:
        fail("default_language", f"default_language '{default}' is not one of the languages ({', '.join(codes)})")

    title = raw.get("title")
    if isinstance(title, str):
        title = {code: title for code in codes}
    if not isinstance(title, Mapping) or not all(isinstance(title.get(c), str) for c in codes):
        fail("title", "'title' must give the site's title in every language, e.g. title: {"
             + ", ".join(f"{code}: ..." for code in (codes or ["uz", "en"])) + "}")
        title = {}

    url = base_url if base_url is not None else raw.get("base_url")
    normalised = normalise_base_url(url) if isinstance(url, str) else None
    if normalised is None:
        if base_url is not None:
            diags.error("--base-url", 0, f"'{base_url}' is not an http(s) URL such as https://example.org/ir/")
            ok = False
        else:
            fail("base_url", "'base_url' must be the site's public address, such as https://example.org/ir/")

    policy = raw.get("missing_translation", "fallback")
    if policy not in MISSING_POLICIES:
        fail("missing_translation", f"missing_translation must be one of: {', '.join(MISSING_POLICIES)}")

    menu: list[tuple[str, int]] = []
    raw_menu = raw.get("menu", Sequence())
    if not isinstance(raw_menu, list):
        fail("menu", "'menu' must be a list of content files, such as about.md")
    else:
        for i, item in enumerate(raw_menu):
            if not isinstance(item, str) or not item.endswith(".md"):
                written = str(item)
                fixed = re.sub(r"\.(?:md|markdown)?$", "", re.sub(r"\.[a-z]{2,3}\.md$", "", written)) + ".md"
                diags.error(path, raw_menu.line_of(i), "a menu entry is a content file without its language, "
                            f"such as about.md (found '{written}')", hint=f"did you mean '{fixed}'?" if isinstance(item, str) else
                            "write the file's path under content/, e.g. about.md")
                ok = False
            else:
                menu.append((item, raw_menu.line_of(i)))

    collections: list[Collection] = []
    raw_coll = raw.get("collections", Mapping())
    if not isinstance(raw_coll, dict):
        fail("collections", "'collections' must map a data file name to its page template")
    else:
        for name, spec in raw_coll.items():
            spec = spec if spec is not None else Mapping()
            template = spec.get("template", "record.html") if isinstance(spec, dict) else None
            if not isinstance(name, str) or not isinstance(template, str):
                diags.error(path, raw_coll.line_of(name), "a collection is a data file's name with its settings, "
                            "e.g. people: {template: person.html}, or people: {} for the theme's record page")
                ok = False
                continue
            filters = spec.get("filters", Mapping())
            if not isinstance(filters, dict) or not all(isinstance(k, str) and isinstance(v, str)
                                                        for k, v in filters.items()):
                diags.error(path, spec.line_of("filters", raw_coll.line_of(name)),
                            "a collection's filters map a field to the template of its pages",
                            hint="e.g. filters: {country: people.html}")
                ok = False
                continue
            collections.append(Collection(name, template, tuple(filters.items())))

    timezone = raw.get("timezone", "UTC")
    try:
        zoneinfo.ZoneInfo(str(timezone))
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
        fail("timezone", f"unknown time zone '{timezone}'", "use a name such as Europe/Vienna or Asia/Tokyo")

    search = raw.get("search", False)
    if not isinstance(search, bool):
        fail("search", "'search' must be true or false")

    embeds = raw.get("embed_hosts", Sequence())
    if not isinstance(embeds, list) or not all(isinstance(h, str) and HOST.match(h) for h in embeds):
        fail("embed_hosts", "'embed_hosts' must list host names, such as www.youtube-nocookie.com",
             "write the host alone, without https:// or a path")
        embeds = []

    notice_days = raw.get("expiry_notice_days", 42)
    if isinstance(notice_days, bool) or not isinstance(notice_days, int) or not 0 <= notice_days <= 3650:
        fail("expiry_notice_days", "'expiry_notice_days' must be a number of days, from 0 to 3650",
             "e.g. expiry_notice_days: 42 (six weeks)")
        notice_days = 42

    horizon = raw.get("date_horizon_days", 730)
    if isinstance(horizon, bool) or not isinstance(horizon, int) or not 1 <= horizon <= 36500:
        fail("date_horizon_days", "'date_horizon_days' must be a number of days, from 1 to 36500",
             "e.g. date_horizon_days: 730 (two years)")
        horizon = 730

    figures, home_lists = _home(raw, path, diags)
    if figures is None:
        ok = False

    theme = None
    if "theme" in raw:
        written = raw.get("theme")
        folder = (root / str(written)).resolve() if isinstance(written, str) and written.strip() else None
        if folder is None or not (folder / "templates").is_dir():
            fail("theme", f"the theme '{written}' is not a folder with templates/ in it",
                 "the path starts at this site's folder, the one that holds data/; the theme's folder holds "
                 "templates/ and static/")
        else:
            theme = folder
            diags.beside.append(folder)  # its files are named as the site sees them: ../../templates/x.html

    outputs = _outputs(raw, path, diags)
    if outputs is None:
        ok = False

    taxonomies = _taxonomies(raw, path, diags, {c.name for c in collections})
    if taxonomies is None:
        ok = False

    organisation = raw.get("organisation", "")
    if not isinstance(organisation, str) or organisation and not (root / "data" / f"{organisation}.yaml").is_file():
        names = sorted(p.stem for p in (root / "data").glob("*.yaml") if p.stem not in ("site", "schema"))
        close = difflib.get_close_matches(str(organisation), names, n=1)
        fail("organisation", f"'organisation' must name a data file about who publishes the site "
             f"(found '{organisation}')", f"did you mean '{close[0]}'?" if close else
             "e.g. organisation: department, for data/department.yaml")
        organisation = ""

    known = {"title", "base_url", "languages", "default_language", "missing_translation",
             "menu", "collections", "timezone", "search", "embed_hosts", "expiry_notice_days",
             "date_horizon_days", "home", "theme", "organisation", "outputs", "taxonomies"}
    for key in raw:
        if key not in known:
            close = difflib.get_close_matches(str(key), sorted(known), n=1)
            diags.warning(path, raw.line_of(key), f"unknown setting '{key}' is ignored", column=raw.col_of(key),
                          hint=(f"'{close[0]}' is set on line {raw.line_of(close[0])} already: delete this line"
                                if close and close[0] in raw else f"did you mean '{close[0]}'?" if close else
                                "settings: " + ", ".join(sorted(known))))

    if not ok:
        return None
    return Config(
        root=root,
        title=dict(title),
        base_url=normalised,
        languages=tuple(languages),
        default_language=default,
        missing_translation=policy,
        menu=tuple(menu),
        collections=tuple(collections),
        timezone=timezone,
        search=search is True,
        embed_hosts=tuple(h.lower() for h in embeds),
        expiry_notice_days=notice_days,
        date_horizon_days=horizon,
        figures=figures or (),
        home_lists=home_lists or (),
        organisation=organisation,
        outputs=outputs or (),
        taxonomies=taxonomies or (),
        theme=theme,
        drafts=drafts,
    )


OUTPUT_PATH = re.compile(r"^[a-z0-9][a-z0-9_-]*(?:/[a-z0-9][a-z0-9_-]*)*\.[a-z0-9]+$")


def _outputs(raw: Mapping, path: Path, diags: Diagnostics) -> tuple[Output, ...] | None:
    """`outputs: [{template: concerts.json, path: concerts.json}]`: a file per language
    made from a template; None after reporting a mistake."""
    items = raw.get("outputs")
    if items is None:
        return ()
    if not isinstance(items, Sequence):
        diags.error(path, raw.line_of("outputs"), "'outputs' is a list, each item {template: ..., path: ...}",
                    hint="e.g. outputs: [{template: concerts.json, path: concerts.json}]")
        return None
    made, seen = [], set()
    for i, item in enumerate(items):
        line = items.line_of(i)
        if not isinstance(item, Mapping) or set(item) != {"template", "path"} \
                or not all(isinstance(item[k], str) for k in ("template", "path")):
            diags.error(path, line, "an output is written as {template: ..., path: ...}",
                        hint="e.g. {template: concerts.json, path: concerts.json}: /<lang>/concerts.json")
            return None
        if not OUTPUT_PATH.match(item["path"]) or item["path"].endswith((".html", ".md")) or item["path"] in seen:
            diags.error(path, item.line_of("path", line), f"'{item['path']}' cannot be an output's file",
                        hint="a file name with its extension, under the language's folder, each named once; "
                             "pages come from content/, not from outputs")
            return None
        seen.add(item["path"])
        made.append(Output(item["template"], item["path"], line))
    return tuple(made)


TERM_NAME = re.compile(r"^[a-z][a-z0-9-]*$")
# A top-level folder of each language the site makes by itself
RESERVED = frozenset({"search"})


def _taxonomies(raw: Mapping, path: Path, diags: Diagnostics, collections: set[str]) -> tuple[Taxonomy, ...] | None:
    """`taxonomies: [tags, {name: genres, template: genres.html, term_template: genre.html}]`;
    without the setting, tags. None after reporting a mistake."""
    if "taxonomies" not in raw:
        return (Taxonomy("tags"),)
    items = raw.get("taxonomies")
    example = "e.g. taxonomies: [tags, genres], or [] for none"
    if items is None:
        return ()
    if not isinstance(items, Sequence):
        diags.error(path, raw.line_of("taxonomies"), "'taxonomies' is a list of names", hint=example)
        return None
    made: list[Taxonomy] = []
    for i, item in enumerate(items):
        line = items.line_of(i)
        spec = Mapping({"name": item}) if isinstance(item, str) else item
        unknown = sorted(set(spec) - {"name", "template", "term_template"}) if isinstance(spec, Mapping) else []
        if not isinstance(spec, Mapping) or unknown or not all(isinstance(v, str) for v in spec.values()):
            diags.error(path, line, "a taxonomy is a name, or {name: ..., template: ..., term_template: ...}"
                        + (f" ('{unknown[0]}' is none of these)" if unknown else ""),
                        hint="e.g. - genres, or - {name: genres, template: genres.html, term_template: genre.html}")
            return None
        name = spec.get("name", "")
        if not TERM_NAME.match(name) or name in RESERVED or name in collections \
                or name in {t.name for t in made}:
            why = ("a collection has that name" if name in collections else
                   "it is named twice" if name in {t.name for t in made} else
                   "the site makes that address itself" if name in RESERVED else
                   "write it in small Latin letters, digits and hyphens")
            diags.error(path, line, f"'{name}' cannot be a taxonomy's name: {why}",
                        hint="its name is the front-matter field and the address /<lang>/<name>/")
            return None
        made.append(Taxonomy(name, spec.get("template", "taxonomy.html"), spec.get("term_template", "term.html"),
                             line))
    return tuple(made)


def _home(raw: Mapping, path: Path, diags: Diagnostics):
    """`home: {figures: [...], lists: [...]}`: what the home page counts and lists.
    (figures, lists), or (None, None) after reporting a mistake."""
    home = raw.get("home")
    if home is None:
        return (), ()
    if not isinstance(home, Mapping) or set(home) - {"figures", "lists"}:
        diags.error(path, raw.line_of("home"), "'home' has two parts: figures and lists",
                    column=raw.col_of("home"), hint="see docs/publishing.md, The home page")
        return None, None
    figure_keys = {"label", "count", "distinct", "without", "link"}
    list_keys = {"section", "show", "limit", "title", "empty", "more"}
    figures, lists, ok = [], [], True
    for part, keys, needed in (("figures", figure_keys, ("label", "count")), ("lists", list_keys, ("section",))):
        items = home.get(part) or Sequence()
        if not isinstance(items, list):
            diags.error(path, home.line_of(part), f"home's {part} must be a list, each item on a line after '- '")
            ok = False
            continue
        for i, item in enumerate(items):
            line = items.line_of(i) if isinstance(items, Sequence) else home.line_of(part)
            written = set(item) if isinstance(item, Mapping) else set()
            wrong = sorted(str(k) for k in written - keys)
            values = item if isinstance(item, Mapping) else {}
            if (not isinstance(item, Mapping) or wrong or any(not isinstance(values.get(k), str) for k in needed)
                    or any(not isinstance(values[k], str) for k in written & keys - {"limit"})):
                close = difflib.get_close_matches(wrong[0], sorted(keys), n=1) if wrong else []
                diags.error(path, line, f"a home {part[:-1]} is written as {{{', '.join(sorted(keys))}}}"
                            + (f" (found '{wrong[0]}')" if wrong else ""),
                            hint=f"did you mean '{close[0]}'?" if close else
                            f"it needs {' and '.join(needed)}; each value is a name" if not wrong else
                            f"remove '{wrong[0]}'")
                ok = False
                continue
            if part == "figures":
                figures.append(Figure(values["label"], values["count"], values.get("distinct", ""),
                                      values.get("without", ""), values.get("link", ""), line))
                continue
            show, limit = values.get("show", "latest"), values.get("limit", 3)
            if show not in ("upcoming", "latest") or isinstance(limit, bool) or not isinstance(limit, int) \
                    or not 1 <= limit <= 50:
                diags.error(path, line, "a home list shows 'upcoming' or 'latest' items, 1 to 50 of them",
                            hint="e.g. {section: events, show: upcoming, limit: 3}")
                ok = False
                continue
            lists.append(HomeList(values["section"], show, limit, values.get("title", ""),
                                  values.get("empty", ""), values.get("more", ""), line))
    return (tuple(figures), tuple(lists)) if ok else (None, None)
