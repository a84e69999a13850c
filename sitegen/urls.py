"""The one place where site paths become links, absolute URLs and output files.

A *site path* is what the model stores: `/uz/news/x/`, `/404.html`. The base
URL's path (e.g. `/ir/` for https://example.org/ir/) is added here only.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit


@dataclass(frozen=True)
class Urls:
    base_url: str  # normalised: scheme://host/path/

    @property
    def base_path(self) -> str:
        return urlsplit(self.base_url).path

    @property
    def origin(self) -> str:
        parts = urlsplit(self.base_url)
        return f"{parts.scheme}://{parts.netloc}"

    def href(self, site_path: str) -> str:
        """A root-relative link that works under any sub-path: /ir/uz/news/."""
        return self.base_path + site_path.lstrip("/")

    def absolute(self, site_path: str) -> str:
        return self.origin + self.href(site_path)

    @staticmethod
    def output_file(site_path: str) -> str:
        """The file (relative to the output folder) that serves a site path."""
        rel = site_path.lstrip("/")
        if rel == "" or rel.endswith("/"):
            return rel + "index.html"
        return rel


def page_path(lang: str, *segments: str) -> str:
    """/<lang>/<segments>/ with pretty URLs; no segments gives the language home."""
    inner = "/".join(s.strip("/") for s in segments if s.strip("/"))
    return f"/{lang}/{inner}/" if inner else f"/{lang}/"
