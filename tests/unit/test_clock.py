"""The build's moment and the spans of dated items (sitegen/lib/clock.py)."""

from __future__ import annotations

import datetime as dt

import pytest

from sitegen.lib.clock import Span, build_moment, make_span, parse_moment

UTC = dt.timezone.utc


def test_now_is_read_in_the_sites_time_zone_unless_it_gives_an_offset():
    assert build_moment("2026-12-10", "Asia/Tashkent", {}) == dt.datetime(2026, 12, 9, 19, 0, tzinfo=UTC)
    assert build_moment("2026-12-10 14:30", "Asia/Tashkent", {}) == dt.datetime(2026, 12, 10, 9, 30, tzinfo=UTC)
    assert build_moment("2026-12-10T14:30+09:00", "Asia/Tashkent", {}) == dt.datetime(2026, 12, 10, 5, 30,
                                                                                    tzinfo=UTC)
    assert build_moment("2026-12-10T14:30Z", "Asia/Tashkent", {}) == dt.datetime(2026, 12, 10, 14, 30, tzinfo=UTC)


def test_now_comes_before_source_date_epoch_which_comes_before_the_clock():
    epoch = {"SOURCE_DATE_EPOCH": "1796860800"}
    assert build_moment("2026-01-01", "UTC", epoch) == dt.datetime(2026, 1, 1, tzinfo=UTC)
    assert build_moment(None, "UTC", epoch) == dt.datetime(2026, 12, 10, tzinfo=UTC)
    before = dt.datetime.now(UTC).replace(microsecond=0)
    assert before <= build_moment(None, "UTC", {}) <= dt.datetime.now(UTC)
    with pytest.raises(ValueError, match="whole number of seconds"):
        build_moment(None, "UTC", {"SOURCE_DATE_EPOCH": "-5"})


@pytest.mark.parametrize("text", ["10.12.2026", "2026-13-01", "2026-02-30 10:00", "2026-12-10 25:00", "tomorrow"])
def test_malformed_moments_are_refused(text):
    with pytest.raises(ValueError):
        parse_moment(text)


def test_an_event_without_an_end_lasts_to_the_end_of_its_day_in_its_own_zone():
    span = make_span(dt.datetime(2026, 12, 7, 10, 0), None, "Asia/Seoul")
    assert span.end == dt.datetime(2026, 12, 7, 15, 0, tzinfo=UTC)  # midnight in Seoul
    assert span.last_day == dt.date(2026, 12, 7)
    assert not span.closed(dt.datetime(2026, 12, 7, 14, 59, tzinfo=UTC))
    assert span.closed(dt.datetime(2026, 12, 7, 15, 0, tzinfo=UTC))


def test_all_day_items_end_at_the_midnight_after_their_last_day():
    span = make_span(dt.date(2027, 1, 14), dt.date(2027, 1, 15), "Asia/Tashkent")
    assert span.all_day and span.last_day == dt.date(2027, 1, 15)
    assert span.end == dt.datetime(2027, 1, 15, 19, 0, tzinfo=UTC)


def test_an_open_ended_item_without_an_end_never_closes():
    span = make_span(dt.datetime(2026, 11, 10, 9, 0), None, "Asia/Tashkent", open_ended=True)
    assert span.end is None and span.last_day is None
    assert not span.closed(dt.datetime(2100, 1, 1, tzinfo=UTC))
    assert span.started(dt.datetime(2026, 11, 10, 4, 0, tzinfo=UTC))
    assert not span.started(dt.datetime(2026, 11, 10, 3, 59, tzinfo=UTC))
    assert Span(None, None, "UTC").started(dt.datetime(2000, 1, 1, tzinfo=UTC))


def test_a_deadline_written_as_a_date_closes_at_the_end_of_that_day():
    span = make_span(None, dt.date(2027, 1, 29), "Asia/Tashkent", open_ended=True)
    assert span.end == dt.datetime(2027, 1, 29, 19, 0, tzinfo=UTC)
    assert span.last_day == dt.date(2027, 1, 29)
