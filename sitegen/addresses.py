"""The addresses the site has published, kept in the repository like a lock file.

`build` adds the address of every document's and record's page, and every alias,
to `data/published.txt` (and never removes one by itself); the file is committed
with the content. `check` and `build`, on an editor's machine and in CI's clean
clone alike, then say which published address no page and no alias (`aliases:`)
answers any more, and suggest the alias, so that a renamed or removed page never
leaves readers and search engines with a dead link unnoticed. A line removed from
the file by hand says that the page is gone on purpose.
"""

from __future__ import annotations

import difflib
from pathlib import Path

from .lib.diagnostics import Diagnostics
from .model import Site

FILE = "data/published.txt"
HEADER = ("# Every address this site has published, one per line. build.py adds new ones; commit this\n"
          "# file with the content. When a page is renamed, give it aliases: [the old address] instead\n"
          "# of deleting the line; delete a line only when the page is gone on purpose.\n")


def current(site: Site) -> set[str]:
    """The addresses the site publishes now: the pages of its documents (those shown in
    another language until translated included) and of its records, and its aliases. Lists
    the site makes by itself (tags, filters, the later pages of a list) come and go with
    the content and are not kept."""
    pages = {page.path for page in site.pages
             if page.kind in ("document", "record") and (page.pager is None or page.pager.number == 1)}
    return pages | {alias.path for alias in site.aliases}


def read(root: Path) -> list[tuple[int, str]] | None:
    """(line, address) of each address in the file; None when there is no file yet."""
    path = root / FILE
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    return [(number, line.strip()) for number, line in enumerate(text.split("\n"), start=1)
            if line.strip() and not line.lstrip().startswith("#")]


def check_gone(site: Site, diags: Diagnostics) -> None:
    """A warning for each published address that nothing answers any more (the pipeline
    asks only when nothing was left out for a mistake)."""
    listed = read(site.config.root)
    if not listed:
        return
    now = current(site)
    candidates = sorted(p for p in now if not p.endswith(".html"))
    path = site.config.root / FILE
    for line, address in listed:
        if address in now:
            continue
        folder = address.rstrip("/").rpartition("/")[0] + "/"
        # a page beside it whose name is like its name (a section's own page never replaces an item)
        beside = [p for p in candidates if p.rstrip("/").rpartition("/")[0] + "/" == folder]
        close = difflib.get_close_matches(address, beside, n=1, cutoff=0.6)
        page = next((p for p in site.pages if close and p.path == close[0] and p.doc is not None), None)
        if page is not None:
            hint = (f"if {close[0]} replaced it, add aliases: [{address}] to "
                    f"{diags.relative(page.doc.source.path)}; if it is gone on purpose, delete this line")
        else:
            hint = ("give the page that replaced it aliases: [" + address + "]; if it is gone on purpose, "
                    "delete this line")
        diags.warning(path, line, f"the published address {address} is gone: readers and search engines "
                      "following it get 404", hint=hint)


def write(site: Site) -> bool:
    """Add the site's new addresses to the file (creating it); whether it changed."""
    listed = read(site.config.root) or []
    addresses = sorted({address for _, address in listed} | current(site))
    text = HEADER + "".join(f"{address}\n" for address in addresses)
    path = site.config.root / FILE
    try:
        if path.read_text(encoding="utf-8") == text:
            return False
    except (OSError, UnicodeDecodeError):
        pass
    try:
        path.write_text(text, encoding="utf-8")
    except OSError:
        return False
    return True
