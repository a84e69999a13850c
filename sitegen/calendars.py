"""The site's calendars: an .ics file per dated item (an event, or a call's
deadline) in its page's folder, and per language a calendar of them all that a
phone can subscribe to, /<lang>/calendar.ics. ical.py writes the files; this
module decides what goes in them, from the site model.

A content type's timeline (data/schema.yaml) says what a calendar shows of its
items: the whole span (an event), or only the end (`calendar: end`, a deadline).
The entries' time stamps come from the items' dates, never from the clock, so
an unchanged site writes the same bytes.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from urllib.parse import urlsplit

import jinja2

from .lib.ical import Entry, calendar_bytes
from .model import Page, Site
from .lib import urls
from .lib.urls import Urls

REFRESH = dt.timedelta(hours=12)  # how often a subscribed calendar is fetched again


def calendar_path(page: Page | None) -> str:
    """The site path of a dated item's own .ics file, in its page's folder."""
    if page is None or page.doc is None or page.doc.span is None:
        raise jinja2.TemplateRuntimeError("calendar_file() needs the page of an event or a call")
    return urls.item_calendar_path(page.path, page.doc.slug)


def calendar_feed_path(site: Site, lang: str) -> str | None:
    return urls.calendar_feed_path(lang) if site.timelines else None


def site_calendars(site: Site) -> dict[str, bytes]:
    """Output file -> bytes, for every dated item and every language."""
    if not site.timelines:
        return {}
    out: dict[str, bytes] = {}
    host = urlsplit(site.config.base_url).hostname
    product = f"-//{host}//sitegen//EN"
    for lang in site.config.codes:
        strings = site.strings.get(lang, {})
        entries = []
        for section in site.timelines:
            for page in site.sections.get((section, lang), ()):
                entry = _entry(site, page, host) if page.doc.span else None
                if entry is None:
                    continue
                entries.append(entry)
                out[Urls.output_file(calendar_path(page))] = calendar_bytes(
                    [entry], name=entry.summary, lang=page.content_lang, product=product)
        name = strings.get("calendar_name", "{site}").replace("{site}", site.config.title[lang])
        out[Urls.output_file(calendar_feed_path(site, lang))] = calendar_bytes(
            entries, name=name, lang=lang, product=product, refresh=REFRESH)
    return out


def _entry(site: Site, page: Page, host: str | None) -> Entry | None:
    doc, span = page.doc, page.doc.span
    strings = site.strings.get(page.lang, {})
    summary = strings.get(f"calendar_summary_{doc.section}", "{title}").replace("{title}", page.title)
    if site.timelines[doc.section].calendar == "end":
        if span.end is None:
            return None  # a call without a deadline: nothing to put in a calendar
        start, end = (span.last_day, None) if span.all_day else (span.end, None)
    elif span.start is None:
        return None
    elif span.all_day:
        start, end = span.start.date(), span.last_day
    else:
        start, end = span.start, span.end
    url = site.urls.absolute(page.path)
    zone = zoneinfo.ZoneInfo(site.config.timezone)
    stamp = dt.datetime.combine(doc.date, dt.time(), zone) if doc.date else span.start or span.end
    where = [str(doc.params.get(name) or "") for name in site.timelines[doc.section].where]
    return Entry(uid=f"{doc.key}@{host}", summary=summary, start=start, end=end, stamp=stamp,
                 description="\n\n".join(part for part in (page.summary, url) if part),
                 location=", ".join(part for part in where if part), url=url)
