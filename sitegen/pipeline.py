"""The whole build, top to bottom: configuration, sources and data, model,
rendering, the search index, writing. `check` is the same run without the
search index and the writing."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from .config import load_config
from .data import load_data
from .diagnostics import Diagnostics
from .model import Site, build_model
from .render import render_site
from .schema import load_schema
from .search import build_search_index
from .sources import load_sources
from .writer import write_site


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
        drafts: bool = False, strict: bool = False, write: bool = True) -> Result:
    started = time.perf_counter()
    root = root.resolve()
    diags = Diagnostics(root)
    result = Result(diags)
    config = load_config(root, diags, base_url=base_url, drafts=drafts)
    if config is not None:
        schema = load_schema(root, diags)
        sources = load_sources(config, diags)
        data = load_data(config, diags, schema)
        result.site = build_model(config, sources, data, diags, schema)
        target = out or root / "site"
        result.files = render_site(result.site, diags, target if target.is_dir() else None)
        if write and not diags.failed(strict):
            result.files.update(build_search_index(result.files, config, diags))
        if write and not diags.failed(strict):
            result.written = write_site(result.files, target, root, diags)
    result.seconds = time.perf_counter() - started
    return result
