"""The one place for addresses: where each kind of page lives (its *site path*,
which the model stores: `/uz/news/x/`, `/uz/404.html`), and how a site path becomes
a link, an absolute URL and an output file. The base URL's path (e.g. `/ir/` for
https://example.org/ir/) is added here only.
"""

from __future__ import annotations

import posixpath
import re
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


# -- where each kind of page lives: every rule of the site's addresses -----------------
#
# A site path always starts with the page's language: /<lang>/... The rules below are
# the only places that put one together; a content kind may set its own pattern for
# its documents (data/schema.yaml: path: "{section}/{year}/{slug}").

PATTERN_TOKEN = re.compile(r"\{([a-z_]+)\}")
PATTERN_TOKENS = ("section", "slug", "year", "month", "day")
DEFAULT_PATTERN = "{section}/{slug}"


def home_path(lang: str) -> str:
    return page_path(lang)


def section_path(lang: str, section: str) -> str:
    """A section's list page (content/<section>/_index.<lang>.md): /uz/news/."""
    return page_path(lang, section)


def document_path(lang: str, section: str, slug: str, pattern: str = "", date=None) -> str:
    """A document's page: /<lang>/<section>/<slug>/, or its kind's pattern filled in
    (`{year}`, `{month}`, `{day}` from its date, which the schema makes sure it has)."""
    values = {"section": section, "slug": slug,
              "year": f"{date:%Y}" if date else "", "month": f"{date:%m}" if date else "",
              "day": f"{date:%d}" if date else ""}
    filled = PATTERN_TOKEN.sub(lambda m: values[m.group(1)], pattern or DEFAULT_PATTERN)
    return page_path(lang, *filled.split("/"))


def pattern_problem(pattern: str) -> str:
    """What is wrong with a kind's address pattern, or "" when nothing is."""
    names = PATTERN_TOKEN.findall(pattern)
    unknown = [name for name in names if name not in PATTERN_TOKENS]
    if unknown:
        return f"'{{{unknown[0]}}}' is not a part of an address; use " + ", ".join(f"{{{t}}}" for t in PATTERN_TOKENS)
    if "{slug}" not in pattern:
        return "the pattern needs {slug}, so that every document gets an address of its own"
    if pattern.startswith("/") or pattern.endswith("/") or "//" in pattern:
        return "write the pattern without a slash at either end, e.g. {section}/{year}/{slug}"
    if not re.fullmatch(r"[a-z0-9{}_/-]+", pattern):
        return "an address pattern holds lowercase letters, digits, hyphens and {parts}"
    return ""


def pattern_uses_date(pattern: str) -> bool:
    return any(token in pattern for token in ("{year}", "{month}", "{day}"))


def later_page_path(first: str, number: int) -> str:
    """The n-th page of a long list: /uz/news/page/2/."""
    return f"{first}page/{number}/"


def record_path(lang: str, collection: str, rid: str) -> str:
    """A record's page (data/<collection>.yaml): /uz/people/ada/."""
    return page_path(lang, collection, rid)


def filter_path(lang: str, collection: str, field: str, value: str) -> str:
    """The records with one value of a field: /uz/partners/country/kz/."""
    return page_path(lang, collection, field, value.lower())


def archive_path(lang: str, section: str) -> str:
    """The past items of a section with a timeline: /uz/events/archive/."""
    return page_path(lang, section, "archive")


def taxonomy_path(lang: str, taxonomy: str, term: str = "") -> str:
    """A taxonomy's list of terms, or one term's page: /uz/tags/, /uz/tags/exchange/."""
    return page_path(lang, taxonomy, term) if term else page_path(lang, taxonomy)


def search_path(lang: str) -> str:
    return page_path(lang, "search")


def not_found_path(lang: str) -> str:
    return f"/{lang}/404.html"


def feed_path(lang: str) -> str:
    return f"/{lang}/feed.xml"


def calendar_feed_path(lang: str) -> str:
    return f"/{lang}/calendar.ics"


def item_calendar_path(page_path_: str, slug: str) -> str:
    """A dated item's own .ics file, in its page's folder."""
    return f"{page_path_}{slug}.ics"


def attachment_path(page_path_: str, name: str) -> str:
    """A file beside a document, published beside its page: /uz/news/x/form.pdf."""
    if page_path_.endswith("/"):
        return page_path_.rstrip("/") + "/" + name
    return posixpath.dirname(page_path_) + "/" + name


def output_path(lang: str, name: str) -> str:
    """A file every language gets from a template (data/site.yaml: outputs): /uz/events.json."""
    return f"{home_path(lang)}{name}"
