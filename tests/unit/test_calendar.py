"""The .ics feeds: parsed back with icalendar, and imported into calcurse."""

from __future__ import annotations

import datetime as dt
import itertools
import os
import re
import shutil
import subprocess
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import pytest

from sitegen.lib.ical import Entry, calendar_bytes

UTC = dt.UTC
TASHKENT = ZoneInfo("Asia/Tashkent")
STAMP = dt.datetime(2026, 11, 20, 9, 0, tzinfo=TASHKENT)
TRICKY = 'Oʻzbekiston, "san’at"; qator\nikkinchi'

VISIT = Entry(
    uid="events/kaznua-visit@ir.dsmi.uz",
    summary="Qozogʻiston milliy sanʼat universiteti delegatsiyasi tashrifi",
    start=dt.datetime(2026, 12, 11, 1, 30, tzinfo=TASHKENT),
    end=dt.datetime(2026, 12, 11, 3, 0, tzinfo=TASHKENT),
    stamp=STAMP,
    description="Hamkorlik memorandumi imzolanadi.",
    location="Toshkent, 2-bino, 301-xona",
    url="https://ir.dsmi.uz/uz/events/kaznua-visit/",
    categories=("tadbir", "hamkorlik"),
)
DEADLINE = Entry(
    uid="calls/erasmus-2027@ir.dsmi.uz",
    summary="Erasmus+ arizalar muddati",
    start=dt.datetime(2026, 12, 15, 18, 0, tzinfo=TASHKENT),
    end=None,
    stamp=STAMP,
    alarm_before=dt.timedelta(days=3),
)
FESTIVAL = Entry(
    uid="events/festival@ir.dsmi.uz",
    summary="Xalqaro festival",
    start=dt.date(2026, 12, 20),
    end=dt.date(2026, 12, 22),
    stamp=STAMP,
)


def make(entries, **options) -> bytes:
    settings = {"name": "Tadbirlar", "lang": "uz", "product": "-//DSMI//Sinov//UZ"}
    settings.update(options)
    return calendar_bytes(entries, **settings)


def parse(data: bytes) -> icalendar.Calendar:
    cal = icalendar.Calendar.from_ical(data)
    for component in cal.walk():
        assert component.errors == [], (component.name, component.errors)
    return cal


def text(value) -> str:
    """A TEXT value, unescaped (RFC 5545 3.3.11).

    icalendar parses NAME and the X-WR- properties as unknown values and leaves
    their escapes in place; its known TEXT properties come back unescaped.
    """
    if isinstance(value, icalendar.vUnknown):
        return re.sub(r"\\([\\;,nN])", lambda m: "\n" if m[1] in "nN" else m[1], str(value))
    return str(value)


def events(data: bytes) -> dict[str, icalendar.Event]:
    return {str(event["UID"]): event for event in parse(data).walk("VEVENT")}


# ---------------------------------------------------------------------------
# Properties
# ---------------------------------------------------------------------------

def test_calendar_properties():
    data = make(
        [VISIT],
        name="Xalqaro aloqalar: tadbirlar",
        description="Tadbirlar va muddatlar",
        product="-//DSMI//Xalqaro aloqalar boʻlimi//UZ",
        refresh=dt.timedelta(hours=12),
    )
    cal = parse(data)
    assert str(cal["PRODID"]) == "-//DSMI//Xalqaro aloqalar boʻlimi//UZ"
    assert str(cal["VERSION"]) == "2.0"
    assert str(cal["CALSCALE"]) == "GREGORIAN"
    assert str(cal["METHOD"]) == "PUBLISH"
    assert text(cal["NAME"]) == text(cal["X-WR-CALNAME"]) == "Xalqaro aloqalar: tadbirlar"
    assert cal["NAME"].params["LANGUAGE"] == "uz"
    assert text(cal["DESCRIPTION"]) == text(cal["X-WR-CALDESC"]) == "Tadbirlar va muddatlar"
    assert cal["DESCRIPTION"].params["LANGUAGE"] == "uz"
    assert cal["REFRESH-INTERVAL"].params["VALUE"] == "DURATION"
    assert cal.refresh_interval == dt.timedelta(hours=12)
    assert icalendar.vDuration.from_ical(str(cal["X-PUBLISHED-TTL"])) == dt.timedelta(hours=12)
    # Nothing random: no calendar UID, and no time zone blocks (all times are UTC).
    assert "UID" not in cal
    assert cal.walk("VTIMEZONE") == []
    cal.validate()


def test_optional_calendar_properties_are_left_out():
    cal = parse(make([VISIT]))
    for name in ("DESCRIPTION", "X-WR-CALDESC", "REFRESH-INTERVAL", "X-PUBLISHED-TTL"):
        assert name not in cal


def test_event_properties():
    event = events(make([VISIT]))[VISIT.uid]
    assert str(event["SUMMARY"]) == VISIT.summary
    assert str(event["DESCRIPTION"]) == VISIT.description
    assert str(event["LOCATION"]) == VISIT.location
    assert str(event["URL"]) == VISIT.url
    assert [str(c) for c in event.categories] == ["tadbir", "hamkorlik"]
    for name in ("SUMMARY", "DESCRIPTION", "LOCATION"):
        assert event[name].params["LANGUAGE"] == "uz"
    assert event["DTSTAMP"].dt == event["LAST-MODIFIED"].dt == dt.datetime(2026, 11, 20, 4, 0, tzinfo=UTC)
    assert event.walk("VALARM") == []


def test_empty_text_properties_are_left_out():
    event = events(make([DEADLINE]))[DEADLINE.uid]
    for name in ("DESCRIPTION", "LOCATION", "URL", "CATEGORIES"):
        assert name not in event


# ---------------------------------------------------------------------------
# Times
# ---------------------------------------------------------------------------

def test_times_are_utc_across_midnight():
    data = make([VISIT])
    assert b"\r\nDTSTART:20261210T203000Z\r\n" in data
    assert b"\r\nDTEND:20261210T220000Z\r\n" in data
    assert b"TZID" not in data
    event = events(data)[VISIT.uid]
    assert event["DTSTART"].dt == dt.datetime(2026, 12, 10, 20, 30, tzinfo=UTC)
    assert event["DTSTART"].dt.astimezone(TASHKENT) == VISIT.start


def test_all_day_end_is_exclusive():
    one_day = Entry(uid="d1@x", summary="Bir kun", start=dt.date(2026, 12, 31), end=None, stamp=STAMP)
    data = make([FESTIVAL, one_day])
    assert b"DTSTART;VALUE=DATE:20261220\r\n" in data
    assert b"DTEND;VALUE=DATE:20261223\r\n" in data
    found = events(data)
    assert found[FESTIVAL.uid]["DTSTART"].dt == dt.date(2026, 12, 20)
    assert found[FESTIVAL.uid]["DTEND"].dt == dt.date(2026, 12, 23)
    # A single day, over the turn of the year.
    assert found["d1@x"]["DTSTART"].dt == dt.date(2026, 12, 31)
    assert found["d1@x"]["DTEND"].dt == dt.date(2027, 1, 1)


def test_instant_has_no_end():
    same = Entry(uid="same@x", summary="Bir lahza", start=DEADLINE.start, end=DEADLINE.start, stamp=STAMP)
    for event in events(make([DEADLINE, same])).values():
        assert event["DTSTART"].dt == dt.datetime(2026, 12, 15, 13, 0, tzinfo=UTC)
        assert "DTEND" not in event
        assert "DURATION" not in event


def test_alarm_when_asked():
    event = events(make([DEADLINE]))[DEADLINE.uid]
    [alarm] = event.walk("VALARM")
    assert str(alarm["ACTION"]) == "DISPLAY"
    assert str(alarm["DESCRIPTION"]) == DEADLINE.summary
    assert alarm["TRIGGER"].dt == -dt.timedelta(days=3)
    assert b"TRIGGER:-P3D\r\n" in make([DEADLINE])


# ---------------------------------------------------------------------------
# Bytes
# ---------------------------------------------------------------------------

def test_same_entries_same_bytes_in_any_order():
    twin = Entry(uid="events/a-twin@ir.dsmi.uz", summary="Egizak", start=VISIT.start, end=None, stamp=STAMP)
    entries = [VISIT, DEADLINE, FESTIVAL, twin]
    outputs = {make(list(order)) for order in itertools.permutations(entries)}
    assert len(outputs) == 1
    # Sorted by start (in UTC), then uid; the all-day entry's date counts as midnight UTC.
    uids = [str(event["UID"]) for event in parse(outputs.pop()).walk("VEVENT")]
    assert uids == [twin.uid, VISIT.uid, DEADLINE.uid, FESTIVAL.uid]


def test_text_escaping_round_trips():
    entry = Entry(
        uid="tricky@x", summary=TRICKY, description=TRICKY * 3, location=TRICKY,
        start=VISIT.start, end=None, stamp=STAMP, categories=("a, b", "c;d"),
    )
    data = make([entry], name=TRICKY, description=TRICKY)
    escaped = 'Oʻzbekiston\\, "san’at"\\; qator\\nikkinchi'.encode()
    for name in (b"NAME;LANGUAGE=uz", b"X-WR-CALNAME", b"DESCRIPTION;LANGUAGE=uz", b"X-WR-CALDESC"):
        assert b"\r\n" + name + b":" + escaped + b"\r\n" in data, name
    cal = parse(data)
    for name in ("NAME", "X-WR-CALNAME", "DESCRIPTION", "X-WR-CALDESC"):
        assert text(cal[name]) == TRICKY, name
    event = events(data)["tricky@x"]
    assert str(event["SUMMARY"]) == str(event["LOCATION"]) == TRICKY
    assert str(event["DESCRIPTION"]) == TRICKY * 3
    assert [str(c) for c in event.categories] == ["a, b", "c;d"]


def test_lines_are_crlf_and_folded_to_75_octets():
    long = Entry(
        uid="long@x", summary="Oʻzbekiston sanʼat va madaniyat instituti " * 6,
        start=VISIT.start, end=None, stamp=STAMP, description=TRICKY * 10,
    )
    data = make([VISIT, DEADLINE, FESTIVAL, long], refresh=dt.timedelta(days=1))
    assert data.endswith(b"END:VCALENDAR\r\n")
    assert b"\n" not in data.replace(b"\r\n", b"")
    lines = data.split(b"\r\n")[:-1]
    assert all(len(line) <= 75 for line in lines), max(lines, key=len)
    assert sum(line.startswith(b" ") for line in lines) >= 4  # folding did happen
    for line in lines:
        line.decode("utf-8")  # no multi-byte letter split across a fold
    assert str(events(data)["long@x"]["SUMMARY"]) == long.summary


# ---------------------------------------------------------------------------
# Programming errors
# ---------------------------------------------------------------------------

@pytest.mark.parametrize(
    "change",
    [
        {"start": dt.datetime(2026, 12, 11, 1, 30)},
        {"end": dt.datetime(2026, 12, 11, 3, 0)},
        {"stamp": dt.datetime(2026, 11, 20, 9, 0)},
        {"end": dt.date(2026, 12, 11)},
        {"end": dt.datetime(2026, 12, 11, 1, 0, tzinfo=TASHKENT)},
    ],
    ids=["naive-start", "naive-end", "naive-stamp", "date-end-for-a-time", "end-before-start"],
)
def test_programming_errors_raise(change):
    fields = {**VISIT.__dict__, **change}
    with pytest.raises(ValueError):
        make([Entry(**fields)])


def test_all_day_ending_before_it_starts_raises():
    with pytest.raises(ValueError):
        make([Entry(uid="x@x", summary="x", start=dt.date(2026, 1, 2), end=dt.date(2026, 1, 1), stamp=STAMP)])


# ---------------------------------------------------------------------------
# A real calendar client: calcurse imports the file and lists it
# ---------------------------------------------------------------------------

@pytest.mark.external("calcurse")
def test_calcurse_imports_the_feed(tmp_path: Path):
    calcurse = shutil.which("calcurse")
    ics = tmp_path / "tadbirlar.ics"
    ics.write_bytes(make([FESTIVAL, DEADLINE, VISIT], refresh=dt.timedelta(days=1)))
    data = tmp_path / "calcurse"
    data.mkdir()
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp_path),
        "LANG": "C.UTF-8",
        "TZ": "Asia/Tashkent",
    }

    def run(*args: str) -> str:
        done = subprocess.run(
            [calcurse, "-D", str(data), "-C", str(data), *args],
            env=env, stdin=subprocess.DEVNULL, capture_output=True, timeout=30, check=False,
        )
        output = done.stdout.decode("utf-8") + done.stderr.decode("utf-8")
        assert done.returncode == 0, output
        return output

    report = run("-i", str(ics))
    assert "2 apps / 1 event / 0 todos / 0 skipped" in report, report

    listing = run(
        "-Q", "--from", "12/10/2026", "--days", "14",
        "--format-apt", "apt %(start:%Y-%m-%d %H:%M) -> %(end:%Y-%m-%d %H:%M) %m\n",
        "--format-event", "event %m\n",
        "--format-recur-event", "event %m\n",
    )
    lines = [line for line in listing.splitlines() if line.startswith(("apt ", "event "))]
    # Tashkent times: 20:30Z on the 10th is 01:30 on the 11th; the deadline has no length.
    assert f"apt 2026-12-11 01:30 -> 2026-12-11 03:00 {VISIT.summary}" in lines, listing
    assert f"apt 2026-12-15 18:00 -> 2026-12-15 18:00 {DEADLINE.summary}" in lines, listing
    # The all-day entry covers the 20th to the 22nd: three days, not four.
    assert lines.count(f"event {FESTIVAL.summary}") == 3, listing
    assert "12/10/26" not in listing and "12/23/26" not in listing, listing
