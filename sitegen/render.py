"""Stage 4: every output as bytes in memory: the Markdown bodies, then the pages
through Jinja2 (those unchanged since the previous build taken from it), the root
landing page and 404; then the other outputs (outputs.py, calendars.py, hosting.py).

Templates get an explicit, read-only context per page. A template mistake is
reported as a diagnostic naming the template line and the page's source file.
"""

from __future__ import annotations

import re
import sys
import traceback
import zoneinfo
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import babel
import babel.core
import jinja2
import markdown
from markupsafe import Markup

from . import outputs
from .api import PageApi
from .assets import Assets, collect_assets
from .lib.cache import Memory, Store
from .calendars import site_calendars
from .lib.diagnostics import Diagnostics
from .lib.files import Files, Kept, sha256
from .hosting import host_files
from .i18n import Formatter
from .incremental import Answers
from .markup import Anchor, Cover, MarkdownRenderer, Target, plain_text
from .model import Page, Site
from .lib.parallel import fork_map, shares, workers
from .lib.sanitize import NH3_VERSION
from .lib.textfile import outside
from .lib.urls import Urls, feed_path, home_path
from .lib.writer import Manifest

PARALLEL_FROM = 300  # pages; below this a second process costs more than it saves
ID_ATTRIBUTE = re.compile(r"""\sid=["']([^"']+)["']""")
# Jinja's message when a template reads a field that an editor's mapping lacks
MISSING_FIELD = re.compile(r"yamlsource\.Mapping object' has no attribute '([^']+)'")


@dataclass(frozen=True)
class Link:
    lang: str
    name: str
    href: str
    current: bool = False


def group_in_order(items, attribute: str) -> list[tuple[object, list]]:
    """Like Jinja's groupby, but groups keep the order in which they first appear."""
    groups: dict[object, list] = {}
    for item in items:
        groups.setdefault(item[attribute] if isinstance(item, dict) else getattr(item, attribute), []).append(item)
    return list(groups.items())


class _ProjectLoader(jinja2.FileSystemLoader):
    """Templates from the site's templates/ and its theme's, never through a link to a
    file outside the folder that holds them."""

    def get_source(self, environment, template):
        source, filename, uptodate = super().get_source(environment, template)
        folder = next((Path(p) for p in self.searchpath if not outside(Path(filename), Path(p))),
                      Path(self.searchpath[0]))
        if outside(Path(filename), folder.parent):
            raise jinja2.TemplateError(f"templates/{template} is a link to a file outside the project; "
                                       "copy the file into templates/ instead")
        return source, filename, uptodate


def make_environment(templates: tuple[Path, ...], cache: Path | None = None,
                     reload: bool = True) -> jinja2.Environment:
    """Templates compile to Python once: kept in `cache` between builds (and in the
    environment while a preview runs), each checked against its source. `templates`
    are the folders searched, first match first. With `reload` (the preview's
    environment, which lives across edits) a template is checked against its file
    whenever it is used; a build's environment reads each file once."""
    bytecode = None
    if cache is not None:
        try:
            cache.mkdir(parents=True, exist_ok=True)
            bytecode = jinja2.FileSystemBytecodeCache(str(cache))
        except OSError:
            bytecode = None
    env = jinja2.Environment(
        loader=_ProjectLoader([str(folder) for folder in templates]),
        bytecode_cache=bytecode,
        autoescape=jinja2.select_autoescape(("html", "xml")),
        undefined=jinja2.StrictUndefined,
        finalize=_shown,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=reload,
    )
    env.filters["group_in_order"] = group_in_order
    return env


def _shown(value):
    """What `{{ value }}` prints: an optional field left out (None) prints nothing, never "None"."""
    return "" if value is None else value


Previous = Manifest | Files | dict[str, bytes] | None  # the last build's output: its folder, or in memory


class Renderer:
    def __init__(self, site: Site, diags: Diagnostics, previous: Previous = None, memory: Memory | None = None):
        self.site = site
        self.previous = previous  # the last build's output, whose unchanged pages are reused
        # a build holds the unchanged pages of the output folder unread (lib/files.py); the
        # preview, which writes that folder in place, reads them
        self._unread = memory is None
        self.diags = diags
        # A mistake in data/ is reported there; what templates then fail on follows from it
        data_folder = diags.relative(site.config.data_dir) + "/"
        self.data_failed = any(d.severity == "error" and d.path.startswith(data_folder) for d in diags.items)
        self.config = site.config
        self.urls: Urls = site.urls
        # the preview's memory holds the caches open and the templates compiled
        self.env = memory.templates if memory else make_environment(
            self.config.template_dirs, self.config.cache_dir / "jinja", reload=False)
        pages_store, bodies_store = (memory.pages, memory.bodies) if memory else (
            Store(self.config.cache_dir / "pages.sqlite"), Store(self.config.cache_dir / "markdown.sqlite"))
        self.markdown = MarkdownRenderer(site, diags, store=bodies_store)
        self.assets: Assets = collect_assets(self.config, diags)
        # the Markdown bodies converted before any template runs (convert_bodies):
        # (document, language of its text, language of the page) -> HTML
        self._html: dict[tuple[str, str, str], str] = {}
        self._troubled: set[tuple[str, str, str]] = set()  # bodies whose conversion reported a problem
        self.formatters = {
            lang: Formatter(self.config.language(lang).locale, site.strings.get(lang, {}).get("date_format", "long"),
                            site.strings.get(lang, {}).get("local_time", "{city} time"))
            for lang in self.config.codes
        }
        self.zone = zoneinfo.ZoneInfo(self.config.timezone)  # checked by load_config
        self.og_locales = {lang: self.og_locale(lang) for lang in self.config.codes}
        self.plural_forms = {lang: babel.Locale.parse(self.config.language(lang).locale).plural_form
                             for lang in self.config.codes}
        self._feed_sections = outputs.feed_sections(site)
        self.store = pages_store
        # entries are kept per configuration, so the preview (its own base URL) and
        # `build` do not take each other's place
        self._entry_key = sha256(repr(self.config).encode("utf-8"))[:16] + ":"
        self.answers = Answers(site, self.env, self.site_facts,
                               lambda key, lang: self._cover_of(site.documents.get((key, lang))), self.store)
        self._deps: set[tuple[str, ...]] | None = None  # what the page being rendered asked
        self.reused: list[str] = []  # pages taken from the previous output
        self._reused_sha: dict[str, tuple[str, int]] = {}  # pages taken from the folder: SHA-256, size
        self.rendered: list[str] = []
        # the parts of pages that templates mark {% call cached(...) %}: (where the block is,
        # the language, its values) -> the part as first rendered, what it asked, on which page,
        # how often it was used; a part found to differ between pages is rendered every time
        self._parts: dict[tuple, _Part] = {}

    def need(self, *token: str) -> None:
        """Record that the page being rendered depends on `token` (see incremental.py)."""
        if self._deps is not None:
            self._deps.add(token)

    def cached_part(self, page: Page, variant: tuple, caller) -> Markup:
        """A `{% call cached(...) %}` block of the template rendering `page`: rendered
        once per place in the templates, language and `variant` (the values it depends on
        besides the site), then the same markup for every page. What the block asked of the
        site counts as asked by each page that shows it. At its 2nd, 4th, 8th... use the
        block is rendered again and compared: a block that depends on the page after all is
        reported at its line and rendered for every page from then on."""
        code = getattr(getattr(caller, "_func", None), "__code__", None)
        key = (code, page.lang, variant)
        try:
            part = self._parts.get(key)
        except TypeError:  # a list or a mapping among the values
            raise jinja2.TemplateRuntimeError(
                "cached() takes values such as strings and numbers (page.kind, page.key), "
                f"not {', '.join(type(v).__name__ for v in variant)}") from None
        if part is not None and not part.varies:
            part.uses += 1
            if part.uses & (part.uses - 1):  # not a power of two: no check
                if self._deps is not None:
                    self._deps.update(part.asked)
                return part.html
        outer, self._deps = self._deps, set()
        try:
            html = Markup(caller())
        finally:
            asked, self._deps = self._deps, outer
        if self._deps is not None:
            self._deps.update(asked)
        if part is None:
            self._parts[key] = _Part(html, frozenset(asked), page.path)
        elif not part.varies and (html != part.html or asked != part.asked):
            part.varies = True
            template, line = _template_line()
            self.diags.warning(template or self.config.template_dirs[-1], line,
                               "this cached() part is not the same on every page, so pages may show "
                               "another page's version of it",
                               hint=f"it differs between {part.first} and {page.path}; give cached() what it "
                                    "depends on (cached(page.kind)) or leave the part out of cached()")
        return html

    def site_facts(self) -> list:
        """Everything besides pages that any page may show: the ("site",) dependency."""
        site = self.site
        return [sys.version, jinja2.__version__, markdown.__version__, babel.__version__, NH3_VERSION,
                repr(self.config), repr(site.schema), site.strings, site.data, repr(site.menu), {name: list(found) for name, found in site.terms.items()},
                self.assets.paths, self._feed_sections, self.og_locales,
                [[p.lang, p.path, p.title] for p in site.pages if p.kind in ("search", "not_found")]]

    # -- helpers given to templates ----------------------------------------

    @staticmethod
    def body_key(page: Page) -> tuple[str, str, str] | None:
        return (page.doc.key, page.doc.lang, page.lang) if page.doc is not None else None

    def convert_bodies(self, pages) -> None:
        """The Markdown stage: the body of every page in `pages` as HTML, before any
        template runs, in page order. A template shows them; it never converts one."""
        for page in pages:
            key = self.body_key(page)
            if key is None or key in self._html:
                continue
            before = len(self.diags.items)
            self._html[key] = self.markdown.convert(page.doc, page.lang)
            if len(self.diags.items) != before:
                self._troubled.add(key)

    def body_html(self, page: Page) -> Markup:
        key = self.body_key(page)
        if key is None:
            return Markup("")
        if key not in self._html:  # a page outside the stage's plan: converted now, never shown wrong
            self.convert_bodies([page])
        return Markup(self._html[key])

    @staticmethod
    def site_path(target: Page | str | None) -> str:
        if isinstance(target, Page):
            return target.path
        if not isinstance(target, str) or not target.startswith("/"):
            raise jinja2.TemplateRuntimeError(
                f"href() needs a page or a site path such as /uz/, not {target!r} "
                "(get() gives nothing for a page that does not exist: test it with {% if %})")
        return target

    def asset(self, name: str) -> str:
        path = self.assets.paths.get(name)
        if path is None:
            raise jinja2.TemplateRuntimeError(f"asset '{name}' is not in static/")
        return self.urls.href(path)

    def alternates(self, page: Page) -> list[Link]:
        self.need("group", page.key)
        group = self.site.translations.get(page.key, {})
        real = [group[c] for c in self.config.codes if c in group and group[c].in_sitemap]
        return [Link(p.lang, self.config.language(p.lang).name, self.urls.absolute(p.path)) for p in real]

    def x_default(self, page: Page) -> str | None:
        group = self.site.translations.get(page.key, {})
        real = [group[c] for c in self.config.codes if c in group and group[c].in_sitemap]
        chosen = group.get(self.config.default_language)
        if chosen is None or not chosen.in_sitemap:
            chosen = real[0] if real else None
        return self.urls.absolute(chosen.path) if chosen else None

    def canonical(self, page: Page) -> str:
        if page.fallback:
            original = self.site.page(page.key, page.doc.lang)
            if original is not None:
                return self.urls.absolute(original.path)
        return self.urls.absolute(page.path)

    def switcher(self, page: Page) -> list[Link]:
        links = []
        self.need("group", page.key)
        for lang in self.config.codes:
            target = self.site.page(page.key, lang)
            if target is None:
                self.need("group", "_index")
                target = self.site.page("_index", lang)
            path = target.path if target else home_path(lang)
            links.append(Link(lang, self.config.language(lang).name, self.urls.href(path), lang == page.lang))
        return links

    @staticmethod
    def crumb_title(page: Page) -> str:
        if page.doc is not None and page.doc.is_index:
            return page.doc.menu_title
        return page.title

    def og_locale(self, lang: str) -> str:
        """OpenGraph wants language_TERRITORY: 'uz_Latn' -> 'uz_UZ', 'en' -> 'en_US'."""
        locale = babel.Locale.parse(self.formatters[lang].locale)
        territory = locale.territory
        if not territory:
            likely = babel.core.get_global("likely_subtags").get(locale.language, "")
            territory = likely.split("_")[-1] if likely.count("_") >= 1 else ""
        return f"{locale.language}_{territory}" if territory else locale.language

    def cover(self, page: Page) -> Cover | None:
        """The page's cover image (front matter `image:`), or None."""
        if page.doc is not None:
            self.need("cover", page.doc.key, page.doc.lang)
        return self._cover_of(page.doc)

    def _cover_of(self, doc) -> Cover | None:
        field = self.site.cover_field(doc)
        return self.markdown.cover(doc, field) if field else None

    def description(self, page: Page) -> str:
        if page.summary:
            return page.summary
        body = plain_text(str(self.body_html(page))) if page.doc else ""
        if body:
            return body
        self.need("page", "_index", page.lang)
        home = self.site.page("_index", page.lang)
        return home.summary if home and home.summary else self.config.title[page.lang]

    def context(self, page: Page, **extra) -> dict:
        """What the page's template can use (api.py)."""
        return PageApi(self, page).names(**extra)

    # -- rendering ---------------------------------------------------------

    def template(self, name: str, context: dict, page: Page, origin: Path | None = None) -> str | None:
        self.need("template", name)
        source = origin or (page.doc.source.path if page.doc else None)
        try:
            return self.env.get_template(name).render(context)
        except jinja2.TemplateNotFound as exc:
            line = 0
            if page.doc is not None and "template" in page.doc.params:
                # the file that writes it: a translation shares the original's template
                giver = next((doc.source for doc in (self.site.documents.get((page.doc.key, lang))
                                                     for lang in (page.doc.lang, *self.config.codes))
                              if doc is not None and "template" in doc.source.meta), page.doc.source)
                source, line = giver.path, giver.meta.line_of("template", 0)
            self.diags.error(source or self.config.template_dirs[-1], line,
                             f"the template '{exc.name}' does not exist in templates/")
        except jinja2.TemplateSyntaxError as exc:
            self.diags.error(exc.filename or self.config.template_dirs[-1] / name, exc.lineno or 0,
                             f"template syntax error: {exc.message}")
        except Exception as exc:  # any template or filter failure becomes a diagnostic
            path, line = self._template_frame(exc, name)
            missing = MISSING_FIELD.search(str(exc)) if isinstance(exc, jinja2.UndefinedError) else None
            field_name = missing.group(1) if missing else ""
            if missing and page.record is not None and field_name not in page.record:
                # a field the template needs is absent from the editor's record: blame the record
                data_file = self.config.data_dir / f"{page.collection}.yaml"
                self.diags.error(data_file, page.record.line,
                                 f"the record '{page.record.get('id')}' has no '{field_name}', which "
                                 f"{self.diags.relative(path)}:{line} shows; add {field_name}: ...")
            elif missing and page.doc is not None and field_name not in page.doc.params and (
                    self.site.schema_fields(page.doc) is None or field_name in self.site.schema_fields(page.doc)):
                # a field of the document's kind that this document does not give
                self.diags.error(page.doc.source.path, 2,
                                 f"the front matter has no '{field_name}', which "
                                 f"{self.diags.relative(path)}:{line} shows; add {field_name}: ...")
            elif self.data_failed:
                pass  # follows from the mistakes in data/ reported there: one mistake, one message
            else:
                # a mistake in the template itself: reported once, however many pages meet it
                self.diags.error(path, line, f"template error: {exc}", hint="met first while rendering "
                                 + (self.diags.relative(source) if source else page.path))
        return None

    def _template_frame(self, exc: BaseException, name: str) -> tuple[Path, int]:
        folders = tuple(str(folder.resolve()) for folder in self.config.template_dirs)
        for frame in reversed(traceback.extract_tb(exc.__traceback__)):
            if frame.filename and str(Path(frame.filename).resolve()).startswith(folders):
                return Path(frame.filename), frame.lineno or 0
        return self.config.template_dirs[-1] / name, 0

    @staticmethod
    def _ids(html: bytes | None) -> set[str] | None:
        if html is None:
            return None
        return set(ID_ATTRIBUTE.findall(html.decode("utf-8", errors="replace")))

    def feed_path(self, lang: str) -> str | None:
        return feed_path(lang) if self._feed_sections else None

    def render_pages(self, workers: int = 1) -> Files:
        """The static files and the pages of the model: what the search index is made from."""
        out = Files(self.assets.files, fallback=self._render_again)
        pages = list(self.site.pages)
        if self.previous is not None:
            self.store.prefetch(self._entry_key)  # what each page was made from, in one query
        if workers > 1 and len(pages) >= PARALLEL_FROM:
            out.update(self._render_in_processes(pages, workers))
        else:
            out.update(self._render_pages(pages))
        self.markdown.store.flush()  # the converted bodies kept on disk now, not held till the end
        return out

    def render_rest(self, out: Files) -> None:
        """The other outputs added to `out` (the pages): the landing and 404 pages, feeds,
        calendars, redirects, the files bodies link to, sitemap and host files; then the
        links between all of them checked."""
        # the bodies the landing page and the feeds show again, of pages taken unchanged too
        home = self.site.page("_index", self.config.default_language)
        self.convert_bodies([*([home] if home is not None else []),
                             *(page for lang in (self.config.codes if self._feed_sections else ())
                               for page in outputs.feed_entries(self.site, self._feed_sections, lang))])
        default_404 = self.site.page("404", self.config.default_language)
        if default_404 is not None:
            html = self.template("404.html", self.context(default_404, root=True), default_404)
            if html is not None:
                out["404.html"] = html.encode("utf-8")
        if home is not None:
            landing = [Link(lang, self.config.language(lang).name, self.urls.href(home_path(lang)))
                       for lang in self.config.codes]
            default_href = self.urls.href(home_path(self.config.default_language))
            html = self.template("landing.html", self.context(home, landing=landing, default_href=default_href), home)
            if html is not None:
                out["index.html"] = html.encode("utf-8")
        if self._feed_sections:
            for lang in self.config.codes:
                out[Urls.output_file(feed_path(lang))] = outputs.feed(self, self._feed_sections, lang)
        out.update(site_calendars(self.site))
        out.update(outputs.alias_pages(self.site))
        out.update(self.markdown.files)
        self.markdown.check_anchors(lambda path: self._ids(out.get(Urls.output_file(path))))
        self.markdown.check_targets(lambda path: Urls.output_file(path) in out or (
            not path.endswith("/") and Urls.output_file(path + "/") in out))
        self.markdown.check_unused()
        self.markdown.store.close()  # converted bodies kept for the next build
        self.store.close()
        out["sitemap.xml"] = outputs.sitemap(self)
        out["robots.txt"] = outputs.robots(self.urls)
        out.update(host_files(self.config, self.assets.paths.values(),
                              [(alias.path, alias.target) for alias in self.site.aliases]))

    def _render_pages(self, pages: list[Page]) -> Files:
        """Pages unchanged since the previous build taken from it; then the bodies of the
        others converted; then those rendered. The output keeps the pages' order."""
        out: dict[str, bytes | Kept | None] = {}
        todo = []
        for page in pages:
            name = Urls.output_file(page.path)
            out[name] = self.reuse(page, name)
            if out[name] is None:
                todo.append((page, name))
        self.convert_bodies(page for page, _ in todo)
        for page, name in todo:
            out[name] = self.render_page(page, name)
        shown_again = set(self._feed_bodies())  # the bodies kept: the feeds and the landing page show them
        for page, _ in todo:
            if self.body_key(page) not in shown_again:
                self._html.pop(self.body_key(page), None)
        files = Files(fallback=self._render_again)
        for name, data in out.items():
            if isinstance(data, Kept):
                files.keep(name, data)
            elif data is not None:
                files[name] = data
        return files

    def _render_in_processes(self, pages: list[Page], count: int) -> Files:
        """The pages in `count` contiguous shares (see parallel.py). A share rendered in
        another process comes back with its problems, links to check and cache entries,
        taken in page order, so the result (and the order of the problems) is that of one
        process."""
        out = Files(fallback=self._render_again)
        for part in fork_map(self._render_share, shares(pages, count)):
            if not isinstance(part, dict):  # rendered here: everything is in place already
                out.update(part[0])
                continue
            out.update(part["out"])
            for name, (sha, size) in part["from_folder"].items():  # read when needed (lib/files.py)
                out.keep(name, Kept(self.previous.folder / name, sha, size))
            self._html.update(part["bodies_html"])  # the feeds show them; converted once
            self.diags.items.extend(part["diagnostics"])
            self.markdown.anchors.extend(Anchor(self.site.documents[(key, lang)], href, target, fragment)
                                         for key, lang, href, target, fragment in part["anchors"])
            self.markdown.files.update(part["files"])
            self.markdown.targets.extend(Target(self.site.documents[(key, lang)], line, column, href, path)
                                         for key, lang, line, column, href, path in part["targets"])
            self.markdown.attachments.update(part["attachments"])
            self.markdown.used.update(part["used"])
            self.store.adopt(part["pages"])
            self.markdown.store.adopt(part["bodies"])
            self.rendered.extend(part["rendered"])
            self.reused.extend(part["reused"])
        return out

    def _render_share(self, share: list[Page], forked: bool):
        if not forked:
            return (self._render_pages(share),)
        for store in (self.store, self.markdown.store):
            store.after_fork()
        self.diags.items, self.markdown.anchors, self.rendered, self.reused = [], [], [], []
        self.markdown.targets = []
        self._reused_sha = {}
        known = set(self.markdown.files)
        out = self._render_pages(share)
        feeds = set(self._feed_bodies())
        if isinstance(self.previous, Manifest):  # pages taken from the folder: not sent, read there when needed
            sent = {name: out[name] for name in out if name not in self._reused_sha}
        else:
            sent, self._reused_sha = dict(out), {}
        return {"out": sent, "from_folder": self._reused_sha,
                "bodies_html": {k: v for k, v in self._html.items() if k in feeds},
                "diagnostics": self.diags.items, "rendered": self.rendered, "reused": self.reused,
                "anchors": [(a.doc.key, a.doc.lang, a.href, a.target, a.fragment) for a in self.markdown.anchors],
                "files": {k: v for k, v in self.markdown.files.items() if k not in known},
                "targets": [(t.doc.key, t.doc.lang, t.line, t.column, t.href, t.path) for t in self.markdown.targets],
                "attachments": self.markdown.attachments, "used": self.markdown.used,
                "pages": self.store.pending(), "bodies": self.markdown.store.pending()}

    def render_page(self, page: Page, name: str, keep: bool = True) -> bytes | None:
        """Render one page, and keep what it was made from if it rendered without a
        problem (and `keep`: the preview's edited pages first are not kept, since
        the rebuild that follows renders them against the complete model)."""
        self.convert_bodies([page])  # done already for a whole share: see _render_pages
        self._deps = {("site",), ("page", page.key, page.lang)}
        before = len(self.diags.items)
        try:
            html = self.template(page.template, self.context(page), page)
        finally:
            tokens, self._deps = sorted(self._deps), None
        if html is None:
            return None
        data = html.encode("utf-8")
        self.rendered.append(name)
        if keep and len(self.diags.items) == before and self.body_key(page) not in self._troubled:
            calls, anchors = [], []
            if page.doc is not None:
                which = (page.doc.key, page.doc.lang, page.lang)
                calls = list(self.markdown.calls_of.get(which, ()))  # links too: they publish files
                anchors = [[a.href, a.target, a.fragment] for a in self.markdown.anchors_of.get(which, ())]
                # what the body's links point at: their addresses are in the group's answer
                tokens = sorted({*tokens, *(("group", key) for key in self.markdown.asked_of.get(which, ()))})
            self.store.put(self._entry_key + name, {"tokens": tokens, "digest": self.answers.combined(tokens),
                                  "sha": sha256(data), "calls": calls, "anchors": anchors})
        return data

    def reuse(self, page: Page, name: str) -> bytes | Kept | None:
        """The page's bytes from the previous output, if nothing it was made from changed
        (its file there, unread, when the output folder's manifest says it holds them)."""
        if self.previous is None:
            return None
        entry = self.store.get(self._entry_key + name)
        try:
            tokens = [tuple(token) for token in entry["tokens"]]
            if self.answers.combined(tokens) != entry["digest"]:
                return None
            data = self._previous_file(name, entry["sha"])
            if data is None:
                return None
            if page.doc is not None:
                anchors = [Anchor(page.doc, href, target, fragment) for href, target, fragment in entry["anchors"]]
                if not self.markdown.replay(page.doc, page.lang, entry["calls"]):
                    return None  # an image changed (or went away)
                self.markdown.anchors.extend(anchors)  # checked again once every page is rendered
        except (OSError, TypeError, KeyError, ValueError):  # no entry, another shape, no file
            return None
        self.reused.append(name)
        self._reused_sha[name] = (entry["sha"], data.size if isinstance(data, Kept) else len(data))
        return data

    def _previous_file(self, name: str, sha: str) -> bytes | Kept | None:
        """The previous output's file `name`, if it holds the bytes whose SHA-256 is
        `sha`: unread when the folder's manifest tells, else read and compared."""
        if isinstance(self.previous, Manifest):
            size = self.previous.holds(name, sha) if self._unread else None
            if size is not None:
                return Kept(self.previous.folder / name, sha, size)
            try:
                data = (self.previous.folder / name).read_bytes()
            except OSError:
                return None
        else:
            try:
                data = self.previous[name]
            except (OSError, KeyError):
                return None
        return data if sha256(data) == sha else None

    def _render_again(self, name: str) -> bytes | None:
        """A page taken unread from the previous output whose file changed before it was
        read: rendered now."""
        page = self._page_of_output(name)
        return None if page is None else self.render_page(page, name, keep=False)

    def _page_of_output(self, name: str) -> Page | None:
        return next((p for p in self.site.pages if Urls.output_file(p.path) == name), None)

    def _feed_bodies(self):
        """The bodies shown again after the pages, by the feeds and the landing page:
        (key, language of the text, language of the page)."""
        home = self.site.page("_index", self.config.default_language)
        if home is not None and home.doc is not None:
            yield home.doc.key, home.doc.lang, home.lang
        for lang in self.config.codes if self._feed_sections else ():
            for page in outputs.feed_entries(self.site, self._feed_sections, lang):
                yield page.doc.key, page.doc.lang, page.lang


@dataclass
class _Part:
    """A part of pages rendered once (Renderer.cached_part)."""

    html: Markup
    asked: frozenset
    first: str  # the page it was rendered for
    uses: int = 1
    varies: bool = False


def _template_line() -> tuple[str | None, int]:
    """The template file and line of the innermost template code running."""
    frame = sys._getframe(1)
    while frame is not None:
        template = frame.f_globals.get("__jinja_template__")
        if template is not None and template.filename:
            return template.filename, template.get_corresponding_lineno(frame.f_lineno)
        frame = frame.f_back
    return None, 0


def render_pages_first(site: Site, diags: Diagnostics, previous: Previous = None, memory: Memory | None = None,
                       reused: set[str] | None = None) -> tuple[Files, Callable[[], None]]:
    """Every output of the site, in two steps: the static files and pages, returned,
    and a function that adds the other outputs to them (the search index is made from
    the pages meanwhile). Pages unchanged since the build that wrote `previous` are
    taken from there instead of being rendered again (their names are added to
    `reused`, if given). A build renders in as many processes as there are CPUs; the
    preview (with its `memory`), whose rebuilds render a few pages, and which runs a
    thread, renders in its own."""
    renderer = Renderer(site, diags, previous, memory)
    files = renderer.render_pages(workers=1 if memory else workers())
    if reused is not None:
        reused.update(renderer.reused)
    return files, lambda: renderer.render_rest(files)
