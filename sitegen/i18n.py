"""Language-dependent values: per-language text and CLDR formatting (Babel).

No process locale is touched: every formatter is an object for one locale.
"""

from __future__ import annotations

import datetime as dt
import functools
import zoneinfo
from dataclasses import dataclass

from babel import Locale
from babel.dates import format_date, format_time, get_timezone_location
from babel.numbers import format_decimal

from .lib.clock import Span
from .schema import parse_weekdays
from .lib.yamlsource import Mapping, Sequence


def is_per_language(value: object, codes: tuple[str, ...]) -> bool:
    return isinstance(value, dict) and bool(value) and all(k in codes for k in value)


def localize(value, lang: str, codes: tuple[str, ...], default: str, line: int = 0):
    """A copy of `value` with every per-language mapping replaced by its `lang` text.

    A missing language falls back to the default language, then to any (the
    translation status in `check` lists such places: see `missing_texts`).
    """
    if is_per_language(value, codes):
        if lang in value:
            return value[lang]
        return value.get(default, next(iter(value.values())))
    if isinstance(value, dict):
        out = Mapping()
        out.line = getattr(value, "line", line)
        out.lines = dict(getattr(value, "lines", {}))
        for key, item in value.items():
            sub_line = value.line_of(key) if isinstance(value, Mapping) else line
            out[key] = localize(item, lang, codes, default, sub_line)
        return out
    if isinstance(value, list):
        out = Sequence()
        out.line = getattr(value, "line", line)
        out.lines = list(getattr(value, "lines", []))
        for i, item in enumerate(value):
            sub_line = value.line_of(i) if isinstance(value, Sequence) else line
            out.append(localize(item, lang, codes, default, sub_line))
        return out
    return value


def missing_texts(value, codes: tuple[str, ...], line: int = 0):
    """(line, missing languages) for every per-language text that lacks a language."""
    if is_per_language(value, codes):
        absent = tuple(c for c in codes if c not in value)
        if absent:
            yield (value.line if isinstance(value, Mapping) else line), absent
        return
    if isinstance(value, dict):
        for key, item in value.items():
            yield from missing_texts(item, codes, value.line_of(key) if isinstance(value, Mapping) else line)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from missing_texts(item, codes, value.line_of(i) if isinstance(value, Sequence) else line)


@functools.lru_cache(maxsize=None)
def _cldr(locale: str) -> Locale:
    """The CLDR data of `locale`, parsed once: Babel would parse the identifier on every call."""
    return Locale.parse(locale)


@dataclass(frozen=True)
class Formatter:
    """Dates, times, numbers and country names for one locale, from CLDR via Babel."""

    locale: str
    date_pattern: str  # a CLDR pattern from the strings file, e.g. "d-MMMM, y"
    local_time: str = "{city} time"  # from the strings file: "{city} vaqti"

    def date(self, value: dt.date | dt.datetime | None) -> str:
        if value is None:
            return ""
        return format_date(value, self.date_pattern, locale=_cldr(self.locale))

    def time(self, value: dt.datetime) -> str:
        """The time of day of an aware date-time, in its own time zone: 14:30."""
        return format_time(value, "HH:mm", tzinfo=value.tzinfo, locale=_cldr(self.locale))

    def zone_note(self, zone: dt.tzinfo) -> str:
        """' (Vienna time)', ' (Vena vaqti)': the city that names the zone, from CLDR."""
        return " (" + self.local_time.replace("{city}", get_timezone_location(
            zone, locale=_cldr(self.locale), return_city=True)) + ")"

    def moment(self, value: dt.datetime | None, zone: str) -> str:
        """A moment (a deadline) in `zone`: '29 January 2027, 17:00 (Vienna time)'."""
        if value is None:
            return ""
        tz = zoneinfo.ZoneInfo(zone)
        local = value.astimezone(tz)
        return f"{self.date(local.date())}, {self.time(local)}{self.zone_note(tz)}"

    def span(self, span: Span | None) -> str:
        """When a dated item happens, in its own time zone: '18 December 2026',
        '18 December 2026 – 20 December 2026', '18 December 2026, 10:00–12:00
        (Vienna time)'; an end at the midnight after the start is not shown."""
        if span is None or span.start is None:
            return ""
        zone = zoneinfo.ZoneInfo(span.zone)
        start = span.start.astimezone(zone)
        if span.all_day:
            last = span.last_day
            text = self.date(start.date())
            return text if last in (None, start.date()) else f"{text} – {self.date(last)}"
        text = f"{self.date(start.date())}, {self.time(start)}"
        if span.end is not None and span.end > span.start:
            end = span.end.astimezone(zone)
            if end.date() == start.date():
                text += f"–{self.time(end)}"
            elif (end.date(), end.time()) != (start.date() + dt.timedelta(days=1), dt.time()):
                text += f" – {self.date(end.date())}, {self.time(end)}"
        return text + self.zone_note(zone)

    def clock(self, value: dt.time | None) -> str:
        """A time of day (office hours): 09:00."""
        if not isinstance(value, dt.time):  # a site without a schema: shown as written
            return "" if value is None else str(value)
        return format_time(value, "HH:mm", locale=_cldr(self.locale))

    def weekdays(self, days, every_day: str = "") -> str:
        """Days of the week (Monday 0) with CLDR's names: 'Monday–Friday',
        'Dushanba, chorshanba', `every_day` for the whole week."""
        if isinstance(days, str):  # a site without a schema: read here, else shown as written
            parsed = parse_weekdays(days, (self.locale,))
            if isinstance(parsed, str):
                return days
            days = parsed
        days = sorted(set(days or ()))
        if not days:
            return ""
        if len(days) == 7 and every_day:
            return every_day
        names = _cldr(self.locale).days["format"]["wide"]
        runs: list[list[int]] = []
        for day in days:
            if runs and day == runs[-1][-1] + 1:
                runs[-1].append(day)
            else:
                runs.append([day])
        parts = []
        for run in runs:
            if len(run) >= 3:
                parts.append(f"{names[run[0]]}–{names[run[-1]]}")
            else:
                parts.extend(names[day] for day in run)
        text = ", ".join(parts)
        return text[:1].upper() + text[1:]

    def number(self, value: float | int) -> str:
        return format_decimal(value, locale=_cldr(self.locale))

    def country(self, code: str) -> str:
        return _cldr(self.locale).territories.get(str(code).upper(), str(code))
