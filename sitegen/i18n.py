"""Language-dependent values: per-language text and CLDR formatting (Babel).

No process locale is touched: every formatter is an object for one locale.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from babel import Locale
from babel.dates import format_date, format_time, get_timezone_location
from babel.numbers import format_decimal

from .yamlsource import Mapping, Sequence


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


@dataclass(frozen=True)
class Formatter:
    """Dates, numbers and country names for one locale, from CLDR via Babel."""

    locale: str
    date_pattern: str  # a CLDR pattern from the strings file, e.g. "d-MMMM, y"

    def date(self, value: dt.date | dt.datetime | None) -> str:
        if value is None:
            return ""
        return format_date(value, self.date_pattern, locale=self.locale)

    def time(self, value: dt.datetime) -> str:
        """The time of day of an aware date-time, in its own time zone: 14:30."""
        return format_time(value, "HH:mm", tzinfo=value.tzinfo, locale=self.locale)

    def zone_city(self, zone: dt.tzinfo) -> str:
        """The city that names a time zone, in this language: Toshkent, Tashkent."""
        return get_timezone_location(zone, locale=self.locale, return_city=True)

    def number(self, value: float | int) -> str:
        return format_decimal(value, locale=self.locale)

    def country(self, code: str) -> str:
        return Locale.parse(self.locale).territories.get(str(code).upper(), str(code))
