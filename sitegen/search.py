"""Stage 5b: the search index, built from the rendered pages with Pagefind.

Pagefind (https://pagefind.app) reads finished HTML and writes a static,
chunked index that the browser fetches piece by piece, so search needs no
server and no other host. It keeps one index per `<html lang>`, so a search
on an English page finds English pages only.

Only pages whose templates mark the content with `data-pagefind-body` are
indexed (documents and record pages; not lists, tags, 404 or the search page
itself). The rendered pages are copied into a temporary folder, Pagefind runs
on it, and its bundle joins the other outputs in memory, so the site is still
written in one atomic step. Of the bundle only what the search page's own
script needs is kept: no Pagefind UI styles or scripts.
"""

from __future__ import annotations

import json
import subprocess
import tempfile
from pathlib import Path

from .config import CONFIG_FILE, Config
from .diagnostics import Diagnostics

BUNDLE = "pagefind"
MARKER = b"data-pagefind-body"
# parts of Pagefind's bundle for its ready-made UI, which the site does not use
UNUSED = ("pagefind-ui.", "pagefind-component-ui.", "pagefind-modular-ui.", "pagefind-highlight.")
TIMEOUT = 600


def pagefind_executable() -> Path | None:
    try:
        from pagefind_bin import get_executable
    except ImportError:
        return None
    try:
        return Path(get_executable())
    except Exception:  # the package is there but holds no binary for this platform
        return None


def build_search_index(files: dict[str, bytes], config: Config, diags: Diagnostics) -> dict[str, bytes]:
    """The Pagefind bundle for the rendered `files` (output path -> bytes), as
    more output files under pagefind/. Empty when search is off."""
    if not config.search:
        return {}
    where = config.root / CONFIG_FILE
    executable = pagefind_executable()
    if executable is None:
        diags.error(where, 0, "search is on, but Pagefind is not installed",
                    hint="install the requirements (pip install -r requirements.txt), or set search: false")
        return {}
    pages = {name: data for name, data in files.items() if name.endswith(".html") and MARKER in data}
    if not pages:
        return {}
    with tempfile.TemporaryDirectory(prefix="sitegen-search-") as tmp:
        folder = Path(tmp)
        for name, data in pages.items():
            target = folder / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        try:
            done = subprocess.run([str(executable), "--site", str(folder), "--output-subdir", BUNDLE, "--silent"],
                                  capture_output=True, text=True, timeout=TIMEOUT)
        except (OSError, subprocess.TimeoutExpired) as exc:
            diags.error(where, 0, f"the search index could not be built: {exc}",
                        hint="set search: false to publish without search")
            return {}
        if done.returncode != 0:
            reason = (done.stderr or done.stdout).strip().splitlines()
            diags.error(where, 0, "the search index could not be built: " + (reason[-1] if reason else
                        f"Pagefind exited with status {done.returncode}"),
                        hint="set search: false to publish without search")
            return {}
        bundle = folder / BUNDLE
        out = {f"{BUNDLE}/{path.relative_to(bundle).as_posix()}": path.read_bytes()
               for path in sorted(bundle.rglob("*"))
               if path.is_file() and not path.name.startswith(UNUSED)}
    entry = f"{BUNDLE}/pagefind-entry.json"
    if entry in out:  # Pagefind lists the languages in no fixed order; the build must be deterministic
        try:
            out[entry] = json.dumps(json.loads(out[entry]), sort_keys=True, ensure_ascii=False,
                                    separators=(",", ":")).encode("utf-8")
        except ValueError:
            pass
    return out
