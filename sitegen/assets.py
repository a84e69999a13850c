"""Static assets copied with content-hashed names: css/site.css -> assets/css/site.1a2b3c4d.css.

Hashed names let a host cache assets for a year. `url(...)` references
inside CSS files are rewritten to the hashed names of what they point at.
"""

from __future__ import annotations

import hashlib
import posixpath
import re
from dataclasses import dataclass
from pathlib import Path

from .config import Config
from .lib.diagnostics import Diagnostics
from .lib.textfile import refuse_outside

CSS_URL = re.compile(r"""url\(\s*(['"]?)([^'")]+)\1\s*\)""")
PREFIX = "assets"


@dataclass(frozen=True)
class Assets:
    files: dict[str, bytes]  # output file -> bytes
    paths: dict[str, str]  # source name ("css/site.css") -> site path ("/assets/css/site.1a2b3c4d.css")


def _hashed(name: str, data: bytes) -> str:
    digest = hashlib.sha256(data).hexdigest()[:10]
    stem, dot, ext = name.rpartition(".")
    return f"{PREFIX}/{stem}.{digest}.{ext}" if dot else f"{PREFIX}/{name}.{digest}"


def collect_assets(config: Config, diags: Diagnostics) -> Assets:
    files: dict[str, bytes] = {}
    paths: dict[str, str] = {}
    sources: dict[str, Path] = {}
    for folder in config.static_dirs:  # the site's own file takes the place of its theme's
        if folder.is_dir():
            sources.update({p.relative_to(folder).as_posix(): p for p in sorted(folder.rglob("*"))
                            if p.is_file() and not p.name.startswith(".")})
    sources = dict(sorted(sources.items()))
    raw: dict[str, bytes] = {}
    for name, path in sources.items():
        if refuse_outside(path, diags):
            continue
        try:
            raw[name] = path.read_bytes()
        except OSError as exc:
            diags.error(path, 0, f"cannot be read: {exc.strerror or exc}")
    # assets other than CSS first, so CSS can refer to their hashed names
    for name in sorted(raw, key=lambda n: (n.endswith(".css"), n)):
        data = raw[name]
        if name.endswith(".css"):
            data = _rewrite_css(name, data, paths, sources[name], diags)
        out = _hashed(name, data)
        files[out] = data
        paths[name] = "/" + out
    return Assets(files, paths)


def _rewrite_css(name: str, data: bytes, paths: dict[str, str], source: Path, diags: Diagnostics) -> bytes:
    text = data.decode("utf-8", errors="replace")
    folder = posixpath.dirname(name)

    def replace(match: re.Match) -> str:
        ref = match.group(2).strip()
        if re.match(r"^[a-z]+:|^/|^#", ref):
            return match.group(0)
        target = posixpath.normpath(posixpath.join(folder, ref.split("#")[0].split("?")[0]))
        if target not in paths:
            line = text[: match.start()].count("\n") + 1
            diags.error(source, line, f"url({ref}) points at no file in static/")
            return match.group(0)
        own = "/" + _hashed(name, b"")  # only the folder matters for a relative link
        return f"url({posixpath.relpath(paths[target], posixpath.dirname(own))})"

    return CSS_URL.sub(replace, text).encode("utf-8")
