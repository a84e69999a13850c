"""Events, calls and agreements: what is upcoming, open, past or expired at a
fixed moment (`--now`, SOURCE_DATE_EPOCH), in which order, in which time zone,
and the calendars, structured data, map and filters that come with them."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import icalendar
import pytest

from conftest import BASE_FILES, ROOT, SiteDir, address, soup
from sitegen.cli import main
from sitegen.pipeline import run

pytestmark = pytest.mark.slow  # left out of the fast tier (see tests/conftest.py)

REAL_SCHEMA = (ROOT / "data/schema.yaml").read_text(encoding="utf-8")

HOME = address.file(address.home("en"))
EVENTS, EVENTS_ARCHIVE = address.section("en", "events"), address.archive("en", "events")
CALLS, CALLS_ARCHIVE = address.section("en", "calls"), address.archive("en", "calls")
PARTNERS_PAGE = address.section("en", "partners")
INFO_DAY = address.document("en", "events", "info-day")

SITE_YAML = BASE_FILES["data/site.yaml"].replace(
    "  - news/_index.md\n", "  - news/_index.md\n  - calls/_index.md\n  - events/_index.md\n").replace(
    "    template: partner.html\n",
    "    template: partner.html\n    filters:\n      country: partners.html\n      agreement: partners.html\n").replace(
    "  lists:\n",
    "  lists:\n    - {section: calls, show: upcoming, title: open_calls, empty: empty_calls, more: all_calls}\n"
    "    - {section: events, show: upcoming, title: upcoming_events, empty: empty_events, more: all_events}\n")

PARTNERS = """\
- id: kaznua
  name: {uz: "Qozogʻiston milliy sanʼat universiteti", en: "Kazakh National University of Arts"}
  country: KZ
  city: {uz: "Astana", en: "Astana"}
  agreement: memorandum
  signed: 2025-11-17
- id: rezekne
  name: {uz: "Rezekne texnologiyalar akademiyasi", en: "Rēzekne Academy of Technologies"}
  country: LV
  city: {uz: "Rezekne", en: "Rēzekne"}
  agreement: erasmus-iia
  signed: 2021-03-01
  valid_until: 2026-06-30
- id: induk
  name: {uz: "Induk universiteti", en: "Induk University"}
  country: KR
  city: {uz: "Seul", en: "Seoul"}
  agreement: cooperation-agreement
"""


def index(section: str, title_uz: str, title_en: str, template: str, page_template: str) -> dict[str, str]:
    return {
        f"content/{section}/_index.uz.md": f'---\ntitle: "{title_uz}"\nfeed: true\ntemplate: {template}\n'
                                           f"page_template: {page_template}\n---\n",
        f"content/{section}/_index.en.md": f'---\ntitle: "{title_en}"\n---\n',
    }


def event(slug: str, start: str, end: str | None = None, zone: str | None = None, date: str = "2026-11-01",
          place: str = "Zal") -> dict[str, str]:
    extra = (f'end: "{end}"\n' if end else "") + (f"timezone: {zone}\n" if zone else "")
    return {
        f"content/events/{slug}.uz.md": f'---\ntitle: "Tadbir {slug}"\nsummary: "Qisqa {slug}"\ndate: {date}\n'
                                        f'kind: seminar\nstart: "{start}"\n{extra}place: "{place}"\n---\nMatn.\n',
        f"content/events/{slug}.en.md": f'---\ntitle: "Event {slug}"\nsummary: "About {slug}"\n'
                                        f'place: "Hall"\n---\nText.\n',
    }


def call(slug: str, deadline: str | None, zone: str | None = None, date: str = "2026-11-01",
         opens: str | None = None) -> dict[str, str]:
    extra = (f'deadline: "{deadline}"\n' if deadline else "") + (f"timezone: {zone}\n" if zone else "") + (
        f'opens: "{opens}"\n' if opens else "")
    return {
        f"content/calls/{slug}.uz.md": f'---\ntitle: "Tanlov {slug}"\nsummary: "Qisqa {slug}"\ndate: {date}\n'
                                       f"programme: erasmus-icm\naudience: [staff]\n{extra}---\nMatn.\n",
        f"content/calls/{slug}.en.md": f'---\ntitle: "Call {slug}"\nsummary: "About {slug}"\n---\nText.\n',
    }


@pytest.fixture
def dated(site: SiteDir) -> SiteDir:
    """The tiny site with the real schema, two sections with timelines, three
    partners (one agreement expired in June 2026), three events and three calls."""
    site.write("data/schema.yaml", REAL_SCHEMA)
    site.write("data/site.yaml", SITE_YAML)
    site.write("data/partners.yaml", PARTNERS)
    site.write("content/partners/_index.uz.md", '---\ntitle: "Hamkorlar"\ntemplate: partners\n---\n')
    site.write("content/partners/_index.en.md", '---\ntitle: "Partners"\n---\n')
    files = {
        **index("events", "Tadbirlar", "Events", "events", "event"),
        **index("calls", "Tanlovlar", "Calls", "events", "call"),
        **event("visit", "2025-11-17 11:00", "2025-11-17 13:00", date="2025-11-10"),
        **event("info-day", "2026-12-16 14:00", "2026-12-16 16:00"),
        **event("master-class", "2027-01-14", "2027-01-15"),
        **call("erasmus", "2027-01-29 17:00"),
        **call("uzdoc", "2027-02-26 17:00", opens="2026-12-20 09:00"),
        **call("festival", "2026-11-16 17:00"),
    }
    for rel, text in files.items():
        site.write(rel, text)
    return site


def titles(page, selector: str = ".card-title a") -> list[str]:
    return [a.get_text(strip=True) for a in page.select(selector)]


def section_titles(page, section_class: str) -> list[str]:
    return titles(page.select_one(f"section.{section_class}"))


# -- ordering and archiving around a fixed moment ------------------------------------

def test_home_lists_open_calls_by_nearest_deadline_and_upcoming_events(dated):
    result = dated.build(now="2026-12-05")
    assert result.ok(), [d.format() for d in result.diagnostics.items]
    home = dated.soup(HOME)
    assert section_titles(home, "home-calls") == ["Call erasmus", "Call uzdoc"]
    assert section_titles(home, "home-events") == ["Event info-day", "Event master-class"]
    notes = [p.get_text(" ", strip=True) for p in home.select("section.home-calls .deadline")]
    assert "closes in 55 days" in notes[0] and "29 January 2027, 17:00 (Tashkent time)" in notes[0]
    assert "applications open on 20 December 2026" in home.select("section.home-calls .call-card")[1].get_text()


def test_past_items_move_to_the_archive_latest_first(dated):
    assert dated.build(now="2026-12-05").ok()
    assert titles(dated.soup(address.file(EVENTS))) == ["Event info-day", "Event master-class"]
    assert titles(dated.soup(address.file(EVENTS_ARCHIVE))) == ["Event visit"]
    assert titles(dated.soup(address.file(CALLS))) == ["Call erasmus", "Call uzdoc"]
    assert titles(dated.soup(address.file(CALLS_ARCHIVE))) == ["Call festival"]
    uz = dated.soup(address.file(address.archive("uz", "calls")))
    assert titles(uz) == ["Tanlov festival"] and uz.h1.get_text() == "Yopilgan tanlovlar"
    closed = dated.soup(address.file(address.document("en", "calls", "festival")))
    assert "This call closed on 16 November 2026" in closed.select_one(".notice").get_text()
    assert closed.select_one(".calendar-links") is None  # no reminder for a closed call

    # a month later the info day and the Erasmus+ call are over too
    assert dated.build(now="2027-01-30").ok()
    assert titles(dated.soup(address.file(EVENTS_ARCHIVE))) == [
        "Event master-class", "Event info-day", "Event visit"]
    assert titles(dated.soup(address.file(CALLS_ARCHIVE))) == ["Call erasmus", "Call festival"]
    assert titles(dated.soup(address.file(CALLS))) == ["Call uzdoc"]
    assert "This event is over" in dated.soup(address.file(INFO_DAY)).select_one(".notice").get_text()


def test_nothing_open_says_so_and_points_at_the_archive(dated):
    assert dated.build(now="2028-01-01").ok()
    home = dated.soup(HOME)
    assert "No call is open at the moment" in home.select_one("section.home-calls").get_text()
    assert "No event is planned at the moment" in home.select_one("section.home-events").get_text()
    events = dated.soup(address.file(EVENTS))
    assert events.select_one("a.button")["href"] == EVENTS_ARCHIVE


# -- time zones ----------------------------------------------------------------------

def test_a_deadline_closes_at_its_local_time_across_midnight(dated):
    """23:30 in Tashkent is 18:30 UTC: open a minute before, closed a minute after."""
    dated.write("content/calls/late.uz.md", call("late", "2026-12-10 23:30")["content/calls/late.uz.md"])
    dated.write("content/calls/late.en.md", call("late", None)["content/calls/late.en.md"])
    assert dated.build(now="2026-12-10T18:29Z").ok()
    card = next(c for c in dated.soup(address.file(CALLS)).select(".call-card") if "Call late" in c.get_text())
    assert "closes today" in card.get_text()
    assert dated.build(now="2026-12-10T18:31Z").ok()
    assert "Call late" not in dated.soup(address.file(CALLS)).get_text()
    assert "Call late" in dated.soup(address.file(CALLS_ARCHIVE)).get_text()


def test_days_left_count_in_the_sites_time_zone(dated):
    """At 19:30 UTC on 9 December it is already 10 December in Tashkent: a deadline on
    the 11th closes tomorrow, though in UTC it is two days away."""
    dated.write("content/calls/soon.uz.md", call("soon", "2026-12-11 12:00")["content/calls/soon.uz.md"])
    dated.write("content/calls/soon.en.md", call("soon", None)["content/calls/soon.en.md"])
    assert dated.build(now="2026-12-09T19:30Z").ok()
    card = next(c for c in dated.soup(address.file(CALLS)).select(".call-card") if "Call soon" in c.get_text())
    assert "closes tomorrow" in card.get_text()
    uz_calls = address.file(address.section("uz", "calls"))
    uz = next(c for c in dated.soup(uz_calls).select(".call-card") if "Tanlov soon" in c.get_text())
    assert "ertaga yopiladi" in uz.get_text()


def test_an_event_in_another_time_zone_shows_its_own_time_and_the_right_instant(dated):
    for rel, text in event("seoul", "2026-12-11 01:00", "2026-12-11 03:00", zone="Asia/Seoul").items():
        dated.write(rel, text)
    assert dated.build(now="2026-12-05").ok()
    seoul = {lang: address.document(lang, "events", "seoul") for lang in ("uz", "en")}
    page = dated.soup(address.file(seoul["en"]))
    when = page.select_one(".facts time")
    assert when.get_text() == "11 December 2026, 01:00–03:00 (Seoul time)"
    assert when["datetime"] == "2026-12-11T01:00:00+09:00"
    assert "11-dekabr" in dated.soup(address.file(seoul["uz"])).select_one(".facts time").get_text() or \
        "11 dekabr" in dated.soup(address.file(seoul["uz"])).select_one(".facts time").get_text()
    ics = address.file(address.item_calendar(seoul["en"], "seoul"))
    cal = icalendar.Calendar.from_ical((dated.root / "site" / ics).read_bytes())
    (vevent,) = cal.walk("VEVENT")
    assert vevent.decoded("DTSTART").isoformat() == "2026-12-10T16:00:00+00:00"
    assert vevent.decoded("DTEND").isoformat() == "2026-12-10T18:00:00+00:00"


def test_an_event_without_an_end_stays_upcoming_to_the_end_of_its_day(dated):
    for rel, text in event("one-day", "2026-12-07 10:00").items():
        dated.write(rel, text)
    assert dated.build(now="2026-12-07 18:00").ok()
    assert "Event one-day" in dated.soup(address.file(EVENTS)).get_text()
    assert dated.build(now="2026-12-08 00:01").ok()
    assert "Event one-day" in dated.soup(address.file(EVENTS_ARCHIVE)).get_text()


# -- calendars -----------------------------------------------------------------------

def read_calendar(path) -> icalendar.Calendar:
    data = path.read_bytes()
    assert all(len(line) <= 75 for line in data.split(b"\r\n")), "lines are folded at 75 octets"
    return icalendar.Calendar.from_ical(data)


def test_every_event_and_deadline_has_a_valid_ics_and_each_language_a_feed(dated):
    assert dated.build(now="2026-12-05").ok()
    out = dated.root / "site"
    info = read_calendar(out / address.file(address.item_calendar(INFO_DAY, "info-day")))
    (vevent,) = info.walk("VEVENT")
    assert str(vevent["SUMMARY"]) == "Event info-day"
    assert vevent.decoded("DTSTART").isoformat() == "2026-12-16T09:00:00+00:00"
    assert str(vevent["UID"]) == "events/info-day@example.org"
    assert str(vevent["URL"]) == address.absolute(INFO_DAY)
    erasmus = address.document("en", "calls", "erasmus")
    deadline = read_calendar(out / address.file(address.item_calendar(erasmus, "erasmus")))
    (vevent,) = deadline.walk("VEVENT")
    assert str(vevent["SUMMARY"]) == "Deadline: Call erasmus"
    assert vevent.decoded("DTSTART").isoformat() == "2027-01-29T12:00:00+00:00"
    assert "DTEND" not in vevent and "DURATION" not in vevent  # an instant
    master_class = address.document("en", "events", "master-class")
    all_day = read_calendar(out / address.file(address.item_calendar(master_class, "master-class"))).walk("VEVENT")[0]
    assert all_day.decoded("DTSTART").isoformat() == "2027-01-14"
    assert all_day.decoded("DTEND").isoformat() == "2027-01-16"  # exclusive: the day after the last
    for lang, name in (("en", "Test site: events and deadlines"), ("uz", "Sinov sayti: tadbirlar va muddatlar")):
        feed = read_calendar(out / address.file(address.calendar(lang)))
        assert str(feed["X-WR-CALNAME"]) == name
        uids = sorted(str(v["UID"]) for v in feed.walk("VEVENT"))
        assert uids == sorted(f"{s}@example.org" for s in (
            "events/visit", "events/info-day", "events/master-class", "calls/erasmus", "calls/uzdoc",
            "calls/festival"))
    events = dated.soup(address.file(EVENTS))
    subscribe = events.select_one(".calendar-links a")
    assert subscribe["href"] == "webcal://example.org" + address.calendar("en")
    assert events.find("link", type="text/calendar")["href"] == address.calendar("en")
    assert dated.soup(address.file(INFO_DAY)).select_one(
        ".calendar-links a")["href"] == address.item_calendar(INFO_DAY, "info-day")


@pytest.mark.external("calcurse")
def test_calcurse_imports_the_sites_calendar(dated, tmp_path):
    """A real calendar client reads the language feed and shows the events at
    their Tashkent times."""
    assert dated.build(now="2026-12-05").ok()
    home = tmp_path / "calcurse"
    home.mkdir()
    env = {"TZ": "Asia/Tashkent", "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    feed = dated.root / "site" / address.file(address.calendar("en"))
    imported = subprocess.run(["calcurse", "-D", str(home), "-C", str(home), "-i", str(feed)], env=env,
                              capture_output=True, text=True, timeout=30, stdin=subprocess.DEVNULL)
    assert imported.returncode == 0, imported.stderr
    shown = subprocess.run(["calcurse", "-D", str(home), "-C", str(home), "-Q", "--from", "12/16/2026",
                            "--days", "1"], env=env, capture_output=True, text=True, timeout=30,
                           stdin=subprocess.DEVNULL)
    assert "Event info-day" in shown.stdout, shown.stdout
    assert "14:00" in shown.stdout and "16:00" in shown.stdout, shown.stdout


# -- structured data, sitemap, feed --------------------------------------------------

def json_ld(page, kind: str) -> dict:
    found = [json.loads(s.string) for s in page.find_all("script", type="application/ld+json")]
    return next(item for item in found if item.get("@type") == kind)


def test_event_and_call_pages_carry_schema_org_event(dated):
    assert dated.build(now="2026-12-05").ok()
    item = json_ld(dated.soup(address.file(INFO_DAY)), "Event")
    assert item["name"] == "Event info-day"
    assert item["startDate"] == "2026-12-16T14:00:00+05:00"
    assert item["endDate"] == "2026-12-16T16:00:00+05:00"
    assert item["location"] == {"@type": "Place", "name": "Hall", "address": "Hall"}
    assert item["eventAttendanceMode"] == "https://schema.org/OfflineEventAttendanceMode"
    assert item["url"] == address.absolute(INFO_DAY)
    all_day = json_ld(dated.soup(address.file(address.document("en", "events", "master-class"))), "Event")
    assert (all_day["startDate"], all_day["endDate"]) == ("2027-01-14", "2027-01-15")
    deadline = json_ld(dated.soup(address.file(address.document("en", "calls", "uzdoc"))), "Event")
    assert deadline["startDate"] == "2026-12-20T09:00:00+05:00"
    assert deadline["endDate"] == "2027-02-26T17:00:00+05:00"


def test_events_and_calls_are_in_the_sitemap_and_the_feed(dated):
    assert dated.build(now="2026-12-05").ok()
    sitemap = (dated.root / "site/sitemap.xml").read_text(encoding="utf-8")
    for path in (INFO_DAY, address.document("uz", "calls", "erasmus"), EVENTS_ARCHIVE, address.archive("uz", "calls")):
        assert f"<loc>{address.absolute(path)}</loc>" in sitemap
    feedparser = pytest.importorskip("feedparser")
    feed = feedparser.parse((dated.root / "site" / address.file(address.feed("en"))).read_bytes())
    links = [entry.link for entry in feed.entries]
    assert address.absolute(INFO_DAY) in links
    assert address.absolute(address.document("en", "calls", "erasmus")) in links


# -- the build's moment --------------------------------------------------------------

def test_source_date_epoch_gives_the_same_bytes_as_the_same_now(dated, monkeypatch):
    assert dated.build(now="2026-12-10T00:00:00Z", out=dated.root / "a").ok()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1796860800")  # 2026-12-10T00:00:00Z
    assert dated.build(out=dated.root / "b").ok()
    a, b = dated.root / "a", dated.root / "b"
    names = sorted(p.relative_to(a).as_posix() for p in a.rglob("*") if p.is_file())
    assert names == sorted(p.relative_to(b).as_posix() for p in b.rglob("*") if p.is_file())
    assert all((a / n).read_bytes() == (b / n).read_bytes() for n in names)


def test_a_malformed_now_is_a_usage_error_and_a_bad_epoch_a_clear_error(dated, monkeypatch, capsys):
    with pytest.raises(SystemExit) as exc:
        main(["build", "--root", str(dated.root), "--now", "10.12.2026"])
    assert exc.value.code == 2
    assert "is not a date (YYYY-MM-DD)" in capsys.readouterr().err
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    assert main(["build", "--root", str(dated.root), "--quiet"]) == 1
    err = capsys.readouterr().err
    assert "SOURCE_DATE_EPOCH: error: SOURCE_DATE_EPOCH must be a whole number" in err
    assert not (dated.root / "site").exists()


# -- check's warnings ----------------------------------------------------------------

def test_check_warns_about_an_expired_agreement_and_a_call_without_deadline(dated, capsys):
    dated.write("content/calls/rolling.uz.md", call("rolling", None)["content/calls/rolling.uz.md"])
    dated.write("content/calls/rolling.en.md", call("rolling", None)["content/calls/rolling.en.md"])
    assert main(["check", "--root", str(dated.root), "--now", "2026-12-05"]) == 0
    err = capsys.readouterr().err
    assert ("data/partners.yaml:13:3: notice: 'valid_until' of 'rezekne' is 2026-06-30, which has passed "
            "(the build's date is 2026-12-05); the site shows it as expired") in err
    assert "content/calls/rolling.uz.md:2: warning: the field 'deadline' is missing" in err
    assert "rolling.en.md" not in err  # reported once, at the file that holds the shared fields
    assert main(["check", "--root", str(dated.root), "--now", "2026-12-05", "--strict"]) == 1  # the deadline
    capsys.readouterr()
    # an agreement is noted six weeks ahead (expiry_notice_days), and not before
    main(["check", "--root", str(dated.root), "--now", "2026-05-20"])
    assert "'valid_until' of 'rezekne' is 2026-06-30, in 41 days" in capsys.readouterr().err
    main(["check", "--root", str(dated.root), "--now", "2026-05-10"])
    assert "valid_until" not in capsys.readouterr().err


def test_time_alone_never_fails_a_strict_build(dated, capsys):
    """An agreement that expired, calls that closed, events that ended: a scheduled
    --strict build still publishes (SPEC: what only time changes is a notice)."""
    assert main(["build", "--root", str(dated.root), "--now", "2030-01-01", "--strict", "-q"]) == 0
    err = capsys.readouterr().err
    assert "notice: 'valid_until' of 'rezekne'" in err and "warning" not in err


@pytest.mark.parametrize("start, end", [("2026-12-10 10:00", "2026-12-10 09:00"), ("2026-12-10", "2026-12-09")])
def test_an_event_that_ends_before_it_starts_is_an_error_at_its_end(dated, start, end, capsys):
    for rel, text in event("backwards", start, end).items():
        dated.write(rel, text)
    assert main(["check", "--root", str(dated.root), "--now", "2026-12-05"]) == 1
    err = capsys.readouterr().err
    assert (f"content/events/backwards.uz.md:7:1: error: 'end' ({end}) is not after 'start' ({start})"
            in err), err
    assert "internal" not in err and err.count("error:") == 1, err
    assert main(["build", "--root", str(dated.root), "--now", "2026-12-05", "-q"]) == 1  # no traceback either
    assert "Traceback" not in capsys.readouterr().err


def test_an_expired_agreement_is_shown_as_such(dated):
    assert dated.build(now="2026-12-05").ok()
    rezekne = address.file(address.record("en", "partners", "rezekne"))
    partner = dated.soup(rezekne)
    assert "Expired on 30 June 2026" in partner.select_one(".facts").get_text()
    kaznua = dated.soup(address.file(address.record("en", "partners", "kaznua")))
    assert "Expired" not in kaznua.select_one(".facts").get_text()
    card = next(c for c in dated.soup(address.file(PARTNERS_PAGE)).select(".partner-list .card")
                if "Rēzekne" in c.get_text())
    assert "Expired on 30 June 2026" in card.get_text()
    assert dated.build(now="2026-06-01").ok()
    assert "Expired" not in dated.soup(rezekne).get_text()


def test_a_wrong_date_time_names_the_line_and_the_form(dated, capsys):
    dated.write("content/events/visit.uz.md", event("visit", "17.11.2025 11:00")["content/events/visit.uz.md"])
    dated.write("content/events/bad-zone.uz.md", event("bad-zone", "2026-12-01 10:00", zone="Asia/Tashkend")[
        "content/events/bad-zone.uz.md"])
    assert main(["check", "--root", str(dated.root), "--now", "2026-12-05"]) == 1
    err = capsys.readouterr().err
    assert ("content/events/visit.uz.md:6:1: error: 'start' must be written as \"YYYY-MM-DD HH:MM\" "
            "(found '17.11.2025 11:00')\n    hint: write start: \"2025-11-17 11:00\"") in err
    assert "content/events/bad-zone.uz.md:7:1: error: 'timezone' must be a time zone such as Europe/Vienna" in err
    assert "did you mean 'Asia/Tashkent'?" in err
    assert "visit.en.md" not in err  # the value is wrong in one file, not missing in the other


# -- map and filters -----------------------------------------------------------------

def test_the_map_marks_exactly_the_partner_countries(dated):
    dated.write("data/department.yaml", BASE_FILES["data/department.yaml"] + "country: UZ\n")
    assert dated.build(now="2026-12-05").ok()
    page = dated.soup(address.file(PARTNERS_PAGE))
    svg = page.select_one("figure.partner-map svg")
    assert svg["role"] == "img"
    marked = {p["data-country"] for p in svg.select(".marked[data-country]")}
    assert marked == {"KZ", "LV", "KR"}
    assert {p["data-country"] for p in svg.select(".home[data-country]")} == {"UZ"}
    assert "Kazakhstan" in svg.find("desc").get_text() and "Uzbekistan" in svg.find("desc").get_text()
    # a new partner's country appears on the map at the next build
    dated.write("data/partners.yaml", PARTNERS + '- id: paris\n  name: {uz: "Parij", en: "Paris"}\n  country: FR\n'
                '  city: {uz: "Parij", en: "Paris"}\n  agreement: memorandum\n')
    assert dated.build(now="2026-12-05").ok()
    svg = dated.soup(address.file(PARTNERS_PAGE)).select_one("figure.partner-map svg")
    assert {p["data-country"] for p in svg.select(".marked[data-country]")} == {"KZ", "LV", "KR", "FR"}


def test_filters_by_country_and_agreement_are_plain_pages(dated):
    assert dated.build(now="2026-12-05").ok()
    index_page = dated.soup(address.file(PARTNERS_PAGE))
    links = {a.get_text(" ", strip=True): a["href"] for a in index_page.select("nav.filters a")}
    assert links["All partners 3"] == PARTNERS_PAGE
    assert links["Kazakhstan 1"] == address.filter("en", "partners", "country", "kz")
    assert links["Erasmus+ inter-institutional agreement 1"] == address.filter("en", "partners", "agreement",
                                                                                "erasmus-iia")
    assert index_page.select_one('nav.filters a[aria-current="page"]')["href"] == PARTNERS_PAGE
    latvia_path = address.filter("en", "partners", "country", "lv")
    latvia = dated.soup(address.file(latvia_path))
    assert latvia.h1.get_text() == "Partners: Latvia"
    assert titles(latvia, ".partner-list .card-title a") == ["Rēzekne Academy of Technologies"]
    assert latvia.select_one('nav.filters a[aria-current="page"]')["href"] == latvia_path
    memoranda = dated.soup(address.file(address.filter("uz", "partners", "agreement", "memorandum")))
    assert titles(memoranda, ".partner-list .card-title a") == ["Qozogʻiston milliy sanʼat universiteti"]
    assert memoranda.h1.get_text() == "Hamkorlar: Hamkorlik memorandumi"
    # works without JavaScript: a link per filter, a page per value
    assert not [s for s in latvia.find_all("script") if s.get("type") != "application/ld+json"]


# -- editors' tools and the shipped content ------------------------------------------

@pytest.mark.parametrize("kind", ["event", "call"])
def test_new_writes_stubs_that_check_holds_back(dated, kind, capsys):
    assert main(["new", kind, "Yangi tadbir", "--root", str(dated.root), "--date", "2026-12-05"]) == 0
    section = "events" if kind == "event" else "calls"
    assert (dated.root / f"content/{section}/yangi-tadbir.uz.md").is_file()
    capsys.readouterr()
    assert main(["check", "--root", str(dated.root), "--now", "2026-12-05"]) == 1
    assert "placeholder" in capsys.readouterr().err


def test_the_shipped_site_shows_open_and_archived_items(tmp_path):
    """The department's own content, on 5 December 2026: at least three events and
    three calls, with open and upcoming ones on the home page and past ones archived."""
    out = tmp_path / "site"
    done = subprocess.run([sys.executable, str(ROOT / "build.py"), "build", "--now", "2026-12-05", "--out", str(out),
                           "--quiet", "--strict"], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert len(list((ROOT / "content/events").glob("*.en.md"))) - 1 >= 3
    assert len(list((ROOT / "content/calls").glob("*.en.md"))) - 1 >= 3
    for lang in ("uz", "en"):
        home = soup((out / address.file(address.home(lang))).read_text(encoding="utf-8"))
        assert home.select("section.home-calls .call-card") and home.select("section.home-events .event-card")
        for section in ("events", "calls"):
            archive = soup((out / address.file(address.archive(lang, section))).read_text(encoding="utf-8"))
            assert archive.select(".card"), f"{address.archive(lang, section)} is empty"
    partners = soup((out / address.file(PARTNERS_PAGE)).read_text(encoding="utf-8"))
    marked = {p["data-country"] for p in partners.select("svg .marked[data-country]")}
    assert marked == {"RU", "KZ", "AZ", "KR", "LV", "BY", "TJ"}


def test_a_later_moment_rebuilds_to_the_bytes_of_a_clean_build(dated, tmp_path, counted):
    """Pages kept from the last build (incremental.py) never show yesterday's
    state: what a page shows of the moment is one of its dependencies."""
    assert dated.build(now="2026-12-05").ok()
    assert dated.build(now="2026-12-05").ok()
    assert counted[-1][0] == 0  # the same moment: nothing rendered again
    assert dated.build(now="2026-12-06").ok()  # a new day: "closes in N days" changes
    rendered_next_day = counted[-1][0]
    assert dated.build(now="2027-01-30").ok()
    clean = tmp_path / "clean"
    shutil.copytree(dated.root, clean, ignore=shutil.ignore_patterns(".cache", "site"))
    assert run(clean, now="2027-01-30").ok()
    kept, fresh = dated.root / "site", clean / "site"
    names = sorted(p.relative_to(fresh).as_posix() for p in fresh.rglob("*") if p.is_file())
    assert names == sorted(p.relative_to(kept).as_posix() for p in kept.rglob("*") if p.is_file())
    assert [n for n in names if (kept / n).read_bytes() != (fresh / n).read_bytes()] == []
    # a news item shows nothing of the moment: a new day renders only what does
    total = len([n for n in names if n.endswith(".html")])
    assert 0 < rendered_next_day < total


def test_a_wrong_value_in_one_file_is_the_only_error_reported(dated, capsys):
    """The document is left out in both languages: its translation alone would lack
    the shared fields, and every page that shows it would report them missing."""
    text = (dated.root / "content/events/info-day.uz.md").read_text(encoding="utf-8")
    dated.write("content/events/info-day.uz.md", text.replace("kind: seminar", "kind: semnar"))
    dated.write("content/news/linking.uz.md", '---\ntitle: "Havola"\nsummary: "Havola"\ndate: 2026-11-02\n---\n'
                                             "[Axborot kuni](../events/info-day.md)\n")
    assert main(["check", "--root", str(dated.root), "--now", "2026-06-01", "--quiet"]) == 1
    problems = [line for line in capsys.readouterr().err.splitlines() if ": error: " in line or ": warning: " in line]
    assert problems == ["content/events/info-day.uz.md:5:1: error: 'kind' must be one of: delegation, "
                        "master-class, info-day, festival, competition, conference, seminar (found 'semnar')"]
