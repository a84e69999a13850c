"""The whole build, top to bottom, as its stages: load (configuration, schema,
content and data files), model, render (the Markdown bodies, then the pages), the
search index (the other outputs rendered while Pagefind runs), publish. `check` is
the same run without the search index and the writing; the preview runs the same
stages with its `Memory`, and `rerender` for the pages of a saved text first."""

from __future__ import annotations

import datetime as dt
import time
import zoneinfo
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from . import addresses
from .lib.cache import Memory, Store
from .lib.clock import build_moment
from .config import Config, load_config
from .data import Data, load_data
from .lib.diagnostics import Diagnostics
from .lib.files import Files, as_files
from .model import Site, build_model, with_new_bodies
from .render import Renderer, make_environment, render_pages_first
from .schema import SCHEMA_FILE, Schema, check_labels, load_schema
from .search import BUNDLE, MARKER, build_search_index
from .sources import Source, load_sources
from .lib.urls import Urls
from .lib.writer import Manifest, Staging, make_spare, stage, update_in_place, write_site


@dataclass
class Result:
    diagnostics: Diagnostics
    site: Site | None = None
    files: Files = field(default_factory=Files)
    written: bool = False
    seconds: float = 0.0

    def __post_init__(self):
        self.files = as_files(self.files)

    def ok(self, strict: bool = False) -> bool:
        return not self.diagnostics.failed(strict)


@dataclass(frozen=True)
class Inputs:
    """What the site is made from, read and checked."""

    config: Config
    schema: Schema | None
    sources: list[Source]
    data: Data
    moment: dt.datetime  # the build's moment: what is upcoming or past (see clock.py)


def run(root: Path, out: Path | None = None, base_url: str | None = None,
        drafts: bool = False, strict: bool = False, write: bool = True,
        memory: Memory | None = None, index: bool = True, now: str | None = None) -> Result:
    """One build, stage by stage. With `memory` (the preview's) the output folder is
    updated in place from the last build kept there; `index=False` leaves the search
    index out (the preview adds it afterwards). `now` is the moment that decides
    what is upcoming or past (see clock.py)."""
    started = time.perf_counter()
    root = root.resolve()
    diags = Diagnostics(root)
    result = Result(diags)
    inputs = load(root, diags, base_url, drafts, now, memory)
    target = out or root / "site"
    # the output folder's spare, made meanwhile if there is none (lib/writer.py); waited for before staging
    spare_ready = make_spare(target, spares(inputs.config)) if inputs is not None and write and memory is None \
        else None
    try:
        if inputs is not None:
            _stages(inputs, result, target, memory, write, index, strict, spare_ready or (lambda: None))
    finally:
        if spare_ready is not None:
            spare_ready()
    result.seconds = time.perf_counter() - started
    return result


def _stages(inputs: Inputs, result: Result, target: Path, memory: Memory | None, write: bool, index: bool,
            strict: bool, spare_ready: Callable[[], None]) -> None:
    """The stages after loading: model, render, search index, publish."""
    diags = result.diagnostics
    result.site = model(inputs, diags)
    # the output folder, with what its manifest says each file holds (lib/writer.py)
    live = Manifest.load(target, spares(inputs.config)) if target.is_dir() else None
    previous = memory.files if memory and memory.files is not None else live
    same: set[str] = set()  # outputs taken unchanged from the output folder
    result.files, rest = render(result.site, diags, previous, memory, same if previous is live else None)
    staging: Staging | None = None
    if write and index and not diags.failed(strict):
        staging = search_index(result, target, same, memory, rest, strict, live, spare_ready)
    else:
        rest()
        if memory is not None and memory.files is not None:  # the last index stays until a new one is made
            result.files.update({name: data for name, data in memory.files.items()
                                 if name.startswith(BUNDLE + "/")})
    if write and not diags.failed(strict):
        spare_ready()
        result.written = publish(result, target, memory, same, staging, live)
    elif staging is not None:
        staging.discard()


def search_index(result: Result, target: Path, same: set[str], memory: Memory | None,
                 rest: Callable[[], None], strict: bool = False, live: Manifest | None = None,
                 spare_ready: Callable[[], None] = lambda: None) -> Staging | None:
    """The search index, made from the pages and added to the outputs. While Pagefind
    runs, the other outputs are rendered (`rest`) and, by a build, the output staged in
    its new folder (returned, for publish to complete); the preview, which writes in
    place, does not stage. Should the other outputs hold pages to index too (a theme's
    404 page marked for search), the index is made again with them, every part that did
    not change taken from the search cache."""
    config, diags = result.site.config, result.diagnostics
    pages = set(result.files)  # those of the pages (the other outputs join them meanwhile)
    staged: list[Staging | None] = []
    done: list[bool] = []

    def meanwhile() -> None:
        rest()
        done.append(True)
        if memory is None and not diags.failed(strict):
            spare_ready()
            staged.append(stage(result.files, target, diags.root, same, spares(config), live))

    bundle = build_search_index(result.files, config, diags, meanwhile)
    if not done:  # Pagefind did not run (every bundle came from the cache): publish stages, if need be
        rest()
    if any(name not in pages and name.endswith(".html") and MARKER in result.files[name] for name in result.files):
        bundle = build_search_index(result.files, config, diags)
    result.files.update(bundle)
    return staged[0] if staged else None


def load(root: Path, diags: Diagnostics, base_url: str | None = None, drafts: bool = False,
         now: str | None = None, memory: Memory | None = None) -> Inputs | None:
    """The configuration, the schema, the content files (those unchanged since the
    preview read them taken from its memory) and the data files; None when the
    configuration, the schema or the build's moment cannot be used."""
    config = load_config(root, diags, base_url=base_url, drafts=drafts)
    if config is None:
        return None
    try:
        moment = build_moment(now, config.timezone)
    except ValueError as exc:
        diags.error("--now" if now is not None else "SOURCE_DATE_EPOCH", 0, str(exc))
        return None
    errors = len(diags.errors)
    schema = load_schema(root, diags, config.taxonomy_names)
    if (root / SCHEMA_FILE).is_file() and (schema is None or len(diags.errors) > errors):
        return None  # a schema with mistakes (reported): every file would be checked against the wrong fields
    if schema is not None:
        check_labels(schema, config.codes, root / SCHEMA_FILE, diags)
    sources = load_sources(config, diags, memory.sources if memory else None)
    data = load_data(config, diags, schema, today=moment.astimezone(zoneinfo.ZoneInfo(config.timezone)).date())
    return Inputs(config, schema, sources, data, moment)


def model(inputs: Inputs, diags: Diagnostics) -> Site:
    """The site model: every page, its translations, sections, tags and menu; and the
    addresses published before that no page answers any more."""
    site = build_model(inputs.config, inputs.sources, inputs.data, diags, inputs.schema, inputs.moment)
    if not diags.errors:  # with a mistake, pages are left out: they are not gone, only not built
        addresses.check_gone(site, diags)
    return site


def render(site: Site, diags: Diagnostics, previous=None, memory: Memory | None = None,
           reused: set[str] | None = None) -> tuple[dict[str, bytes], Callable[[], None]]:
    """Every output as bytes (render.py): the Markdown bodies, then the pages through
    their templates (those unchanged since `previous` taken from it); and a function
    that adds the feeds, sitemap, calendars, redirects and host files."""
    if memory is not None:
        remember_renderer(memory, site.config)
    return render_pages_first(site, diags, previous, memory, reused)


def remember_renderer(memory: Memory, config: Config) -> None:
    """Open the caches and compile the templates once for the preview's whole session
    (again only if the theme's folders change)."""
    folders = [str(folder) for folder in config.template_dirs]
    if memory.templates is None or memory.templates.loader.searchpath != folders:
        memory.pages = Store(config.cache_dir / "pages.sqlite", memory=True)
        memory.bodies = Store(config.cache_dir / "markdown.sqlite", memory=True)
        memory.templates = make_environment(config.template_dirs, config.cache_dir / "jinja")


def publish(result: Result, target: Path, memory: Memory | None, same: set[str],
            staging: Staging | None = None, live: Manifest | None = None) -> bool:
    """Write the output: swapped in whole (write_site, completing `staging` if the
    pages were staged while the search index was made), or for the preview, only the
    files whose bytes changed. A build into the project's own site/ also records the
    addresses it published, for the next check (addresses.py)."""
    diags, root = result.diagnostics, result.diagnostics.root
    if memory is not None and memory.files is not None:
        written = update_in_place(result.files, memory.files, target, diags)
    else:
        written = write_site(result.files, target, root, diags, same, staging, spares(result.site.config), live)
    if memory is not None and written:
        memory.files, memory.site = result.files, result.site
    if memory is None and written and target.resolve() == (root / "site").resolve():
        addresses.write(result.site)
    return written


def spares(config) -> Path:
    """Where a build keeps the output its swap retired, to make the next one from
    (lib/writer.py)."""
    return config.cache_dir / "output"


def rerender(memory: Memory, sources: list[Source], diags: Diagnostics) -> dict[str, bytes] | None:
    """The preview's first answer to a saved text: the pages that show the edited
    documents, rendered against the last model with the new bodies put in, and the
    last output with them in place; None when that cannot stand for a rebuild (the
    model would change, or any problem shows), and the complete rebuild is needed."""
    patched = with_new_bodies(memory.site, sources)
    if patched is None or memory.files is None or memory.templates is None:
        return None
    site, pages = patched
    renderer = Renderer(site, diags, memory.files, memory)
    files = dict(memory.files)
    for page in pages:
        name = Urls.output_file(page.path)
        data = renderer.render_page(page, name, keep=False)
        if data is None or diags.items:
            return None
        files[name] = data
    return files
