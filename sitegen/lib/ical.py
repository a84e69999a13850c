"""iCalendar (.ics) feeds for events and call deadlines (RFC 5545, RFC 7986).

The text is produced by the `icalendar` library: it escapes text values
(commas, semicolons, backslashes, newlines), folds lines at 75 octets without
splitting a UTF-8 character, and ends lines with CRLF.  This module only
decides what goes in:

* Timed entries are written in UTC (``DTSTART:20261210T203000Z``).  The site's
  time zone may have daylight saving time, which UTC does not, and UTC needs no
  VTIMEZONE block: every client reads it the same way and shows it in the
  reader's own zone.
* All-day entries are written as ``VALUE=DATE``; ``Entry.end`` is the last day
  of the entry, and DTEND is the day after it, because DTEND is exclusive.
* An entry with a time and no end (a deadline) is an instant: DTSTART only,
  which RFC 5545 (3.6.1) defines as ending when it starts.
* The output is deterministic: entries are sorted by (start in UTC, uid), and
  DTSTAMP / LAST-MODIFIED come from ``Entry.stamp``, never from the clock, so
  an unchanged site rebuilds to the same bytes.  The calendar-level UID that
  ``icalendar.Calendar.new`` would invent at random is left out for the same
  reason.
* The calendar is named with both RFC 7986 NAME/DESCRIPTION and the
  X-WR-CALNAME/X-WR-CALDESC that older clients read.  All four are added here
  as TEXT values: the library's ``calendar_name``/``description`` setters write
  NAME and the X-WR- properties unescaped, so a comma, semicolon or newline in
  the name would break the file.
* For subscribed feeds ``refresh`` sets REFRESH-INTERVAL (RFC 7986, with its
  required ``VALUE=DURATION``, which the library leaves out) and the
  X-PUBLISHED-TTL that Apple and Microsoft clients read.
* SUMMARY, DESCRIPTION, LOCATION and NAME carry a LANGUAGE parameter with the
  feed's language.

A naive datetime, or an end before the start, is a programming error and
raises ValueError.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

import icalendar

UTC = dt.UTC


@dataclass(frozen=True)
class Entry:
    """One event or deadline in a calendar feed.

    `start` is an aware datetime, or a date for an all-day entry.  `end` is of
    the same kind: for an all-day entry the last day (inclusive); None means an
    instant (with a datetime start) or a single day (with a date start).
    """

    uid: str  # stable, e.g. "events/open-day@example.org"
    summary: str
    start: dt.datetime | dt.date
    end: dt.datetime | dt.date | None
    stamp: dt.datetime  # aware; when the entry was last published
    description: str = ""
    location: str = ""
    url: str = ""
    categories: tuple[str, ...] = ()
    alarm_before: dt.timedelta | None = None  # e.g. a reminder 3 days before a deadline


def _utc(value: dt.datetime, what: str) -> dt.datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{what} must be an aware datetime, got naive {value.isoformat()}")
    return value.astimezone(UTC)


def _is_all_day(entry: Entry) -> bool:
    """True for a date start; a mix of date and datetime is a ValueError."""
    all_day = not isinstance(entry.start, dt.datetime)
    if entry.end is not None and all_day != (not isinstance(entry.end, dt.datetime)):
        raise ValueError(f"{entry.uid}: start and end must both be dates or both datetimes")
    return all_day


def _sort_key(entry: Entry) -> tuple[dt.datetime, str]:
    start = entry.start
    if not isinstance(start, dt.datetime):
        start = dt.datetime.combine(start, dt.time(), tzinfo=UTC)
    return _utc(start, f"{entry.uid}: start"), entry.uid


def _add_text(component: icalendar.Component, name: str, value: str, lang: str) -> None:
    """Add a TEXT property, escaped, with a LANGUAGE parameter when `lang` is given."""
    if value:
        component.add(name, icalendar.vText(value), parameters={"LANGUAGE": lang} if lang else None)


def _event(entry: Entry, lang: str) -> icalendar.Event:
    event = icalendar.Event()
    event.add("UID", entry.uid)
    stamp = _utc(entry.stamp, f"{entry.uid}: stamp")
    event.add("DTSTAMP", stamp)
    event.add("LAST-MODIFIED", stamp)

    if _is_all_day(entry):
        last = entry.end if entry.end is not None else entry.start
        if last < entry.start:
            raise ValueError(f"{entry.uid}: ends before it starts")
        event.add("DTSTART", entry.start)
        event.add("DTEND", last + dt.timedelta(days=1))
    else:
        assert isinstance(entry.start, dt.datetime)
        start = _utc(entry.start, f"{entry.uid}: start")
        event.add("DTSTART", start)
        if entry.end is not None:
            assert isinstance(entry.end, dt.datetime)
            end = _utc(entry.end, f"{entry.uid}: end")
            if end < start:
                raise ValueError(f"{entry.uid}: ends before it starts")
            if end > start:
                event.add("DTEND", end)

    _add_text(event, "SUMMARY", entry.summary, lang)
    _add_text(event, "DESCRIPTION", entry.description, lang)
    _add_text(event, "LOCATION", entry.location, lang)
    if entry.url:
        event.add("URL", entry.url)
    if entry.categories:
        event.add("CATEGORIES", list(entry.categories))

    if entry.alarm_before is not None:
        event.add_component(
            icalendar.Alarm.new_display(description=entry.summary, trigger=-abs(entry.alarm_before))
        )
    return event


def calendar_bytes(
    entries: Iterable[Entry],
    *,
    name: str,
    description: str = "",
    lang: str,
    product: str,
    refresh: dt.timedelta | None = None,
) -> bytes:
    """The .ics file for `entries`: same entries (in any order) give the same bytes.

    `product` is the PRODID, e.g. "-//Example//Department site//EN"; `name` and
    `description` name the calendar in the reader's client; `lang` is the
    language of its text; `refresh` is how often a subscribed client should
    fetch the feed again.
    """
    cal = icalendar.Calendar()
    cal.add("PRODID", product)
    cal.add("VERSION", "2.0")
    cal.add("CALSCALE", "GREGORIAN")
    cal.add("METHOD", "PUBLISH")
    _add_text(cal, "NAME", name, lang)
    _add_text(cal, "X-WR-CALNAME", name, "")
    _add_text(cal, "DESCRIPTION", description, lang)
    _add_text(cal, "X-WR-CALDESC", description, "")
    if refresh is not None:
        if refresh <= dt.timedelta(0):
            raise ValueError(f"refresh must be positive, got {refresh}")
        cal.add("REFRESH-INTERVAL", refresh, parameters={"VALUE": "DURATION"})
        cal.add("X-PUBLISHED-TTL", icalendar.vDuration(refresh))

    for entry in sorted(entries, key=_sort_key):
        cal.add_component(_event(entry, lang))
    return cal.to_ical()
