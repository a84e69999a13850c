"""The build's notion of "now": what is upcoming, open, past or expired.

Hugo decides `publishDate` and `expiryDate` against the wall clock, so the same
commit builds differently every day and a test cannot pin it down. Here the
moment comes, in this order, from `--now`, from `SOURCE_DATE_EPOCH` (the
reproducible-builds convention: seconds since 1970, UTC) or from the clock, and
it is passed down explicitly; nothing below reads the clock itself.

Also here: the span of a dated item (an event's start and end, a call's opening
and deadline) as aware date-times, and what the moment makes of it.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import zoneinfo
from dataclasses import dataclass

DATE_TIME = re.compile(
    r"^\s*(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?\s*(Z|[+-]\d{2}:?\d{2})?)?\s*$")


def parse_moment(text: str) -> dt.date | dt.datetime:
    """'2026-12-10' -> a date; '2026-12-10 14:30' -> a naive date-time (local to a
    time zone given elsewhere); '2026-12-10T14:30+05:00' or '...Z' -> an aware one.
    ValueError when the text is none of these or not a real date and time."""
    match = DATE_TIME.match(str(text))
    if not match:
        raise ValueError(f"'{text}' is not a date (YYYY-MM-DD) or a date and time (YYYY-MM-DD HH:MM)")
    year, month, day, hour, minute, second, offset = match.groups()
    if hour is None:
        return dt.date(int(year), int(month), int(day))
    moment = dt.datetime(int(year), int(month), int(day), int(hour), int(minute), int(second or 0))
    if offset:
        if offset == "Z":
            zone = dt.timezone.utc
        else:
            sign = -1 if offset[0] == "-" else 1
            digits = offset[1:].replace(":", "")
            zone = dt.timezone(sign * dt.timedelta(hours=int(digits[:2]), minutes=int(digits[2:])))
        moment = moment.replace(tzinfo=zone)
    return moment


def aware(value: dt.date | dt.datetime, zone: dt.tzinfo) -> dt.datetime:
    """A date (its midnight) or a naive date-time read as local time in `zone`."""
    if not isinstance(value, dt.datetime):
        value = dt.datetime.combine(value, dt.time())
    return value if value.tzinfo is not None else value.replace(tzinfo=zone)


def build_moment(given: str | None, zone: str, environ=os.environ) -> dt.datetime:
    """The build's "now", aware and in UTC: `--now` (local to the site's time zone
    unless it gives an offset), else SOURCE_DATE_EPOCH, else the clock.
    ValueError, with a message for the command line, when either is malformed."""
    if given is not None:
        return aware(parse_moment(given), zoneinfo.ZoneInfo(zone)).astimezone(dt.timezone.utc)
    epoch = environ.get("SOURCE_DATE_EPOCH")
    if epoch is not None and epoch.strip():
        if not epoch.strip().isdigit():
            raise ValueError(f"SOURCE_DATE_EPOCH must be a whole number of seconds since 1970 (found '{epoch}')")
        return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc)
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0)


@dataclass(frozen=True)
class Span:
    """When a dated item happens or is open: from `start` to `end` (both aware;
    `end` None when the item names no end: a call open until further notice).
    `all_day` when the editor gave dates without times: `end` is then the
    midnight after the last day (so is the end of an event that gave no end)."""

    start: dt.datetime | None
    end: dt.datetime | None
    zone: str
    all_day: bool = False

    def closed(self, now: dt.datetime) -> bool:
        return self.end is not None and self.end <= now

    def started(self, now: dt.datetime) -> bool:
        return self.start is None or self.start <= now

    @property
    def last_day(self) -> dt.date | None:
        """The last day the item runs or stays open, in its own time zone."""
        if self.end is None:
            return None
        local = self.end.astimezone(zoneinfo.ZoneInfo(self.zone))
        return (local - dt.timedelta(days=1)).date() if local.time() == dt.time() else local.date()


def make_span(start, end, zone: str, open_ended: bool = False) -> Span:
    """The span of an item from its editor-written start and end (dates or
    date-times, either may be None). An event with no end lasts until the end of
    its start day; an end or a deadline written as a date lasts to the end of that
    day."""
    tz = zoneinfo.ZoneInfo(zone)
    dates = [v for v in (start, end) if v is not None]
    all_day = bool(dates) and not any(isinstance(v, dt.datetime) for v in dates)
    begin = aware(start, tz) if start is not None else None
    if end is not None:
        finish = aware(end, tz)
        if not isinstance(end, dt.datetime):
            finish += dt.timedelta(days=1)  # the whole last day
    elif start is not None and not open_ended:  # until the end of its day
        finish = aware(begin.astimezone(tz).date() + dt.timedelta(days=1), tz)
    else:
        finish = None
    return Span(begin, finish, zone, all_day)

