"""The whole build, top to bottom: configuration, sources and data, model,
rendering, the search index, writing. `check` is the same run without the
search index and the writing."""

from __future__ import annotations

import time
import zoneinfo
from dataclasses import dataclass, field
from pathlib import Path

from . import addresses
from .cache import Store
from .clock import build_moment
from .config import load_config
from .data import load_data
from .diagnostics import Diagnostics
from .model import Site, build_model
from .render import Kept, make_environment, render_site
from .schema import load_schema
from .search import BUNDLE, build_search_index
from .sources import SourceMemo, load_sources
from .writer import update_in_place, write_site


@dataclass
class Memory:
    """What a long-running process (the preview) keeps from one build to the next:
    the parsed content files, the output it last wrote and its caches, open."""

    sources: SourceMemo = field(default_factory=dict)
    files: dict[str, bytes] | None = None  # the output last written, None before the first
    site: Site | None = None  # the model of the last build that was written
    kept: Kept | None = None


@dataclass
class Result:
    diagnostics: Diagnostics
    site: Site | None = None
    files: dict[str, bytes] = field(default_factory=dict)
    written: bool = False
    seconds: float = 0.0

    def ok(self, strict: bool = False) -> bool:
        return not self.diagnostics.failed(strict)


def run(root: Path, out: Path | None = None, base_url: str | None = None,
        drafts: bool = False, strict: bool = False, write: bool = True,
        memory: Memory | None = None, index: bool = True, now: str | None = None) -> Result:
    """One build. With `memory` (the preview's) the output folder is updated in
    place from the last build kept there; `index=False` leaves the search index
    out (the preview adds it afterwards with `search_index`). `now` is the
    moment that decides what is upcoming or past (see clock.py)."""
    started = time.perf_counter()
    root = root.resolve()
    diags = Diagnostics(root)
    result = Result(diags)
    config = load_config(root, diags, base_url=base_url, drafts=drafts)
    moment = None
    if config is not None:
        try:
            moment = build_moment(now, config.timezone)
        except ValueError as exc:
            diags.error("--now" if now is not None else "SOURCE_DATE_EPOCH", 0, str(exc))
            config = None
    if config is not None:
        schema = load_schema(root, diags)
        sources = load_sources(config, diags, memory.sources if memory else None)
        data = load_data(config, diags, schema, today=moment.astimezone(zoneinfo.ZoneInfo(config.timezone)).date())
        result.site = build_model(config, sources, data, diags, schema, moment)
        if not diags.errors:  # with a mistake, pages are left out: they are not gone, only not built
            addresses.check_gone(result.site, diags)
        target = out or root / "site"
        if memory is not None and (memory.kept is None or memory.kept.env.loader.searchpath
                                   != [str(folder) for folder in config.template_dirs]):
            memory.kept = Kept(Store(config.cache_dir / "pages.sqlite", remember=True),
                               Store(config.cache_dir / "markdown.sqlite", remember=True),
                               make_environment(config.template_dirs, config.cache_dir / "jinja"))
        previous = memory.files if memory and memory.files is not None else target if target.is_dir() else None
        same: set[str] = set()  # outputs taken unchanged from the output folder
        result.files = render_site(result.site, diags, previous, memory.kept if memory else None,
                                   same if previous == target else None)
        if write and index and not diags.failed(strict):
            result.files.update(build_search_index(result.files, config, diags))
        elif memory is not None and memory.files is not None:  # the last index stays until a new one is made
            result.files.update({name: data for name, data in memory.files.items() if name.startswith(BUNDLE + "/")})
        if write and not diags.failed(strict):
            if memory is not None and memory.files is not None:
                result.written = update_in_place(result.files, memory.files, target, diags)
            else:
                result.written = write_site(result.files, target, root, diags, same)
            if memory is not None and result.written:
                memory.files, memory.site = result.files, result.site
            if memory is None and result.written and target.resolve() == (root / "site").resolve():
                addresses.write(result.site)  # the published site's addresses, for the next check
    result.seconds = time.perf_counter() - started
    return result
