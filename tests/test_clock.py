"""--now: a date alone is that study day; the review app's clock runs on from it."""

from datetime import date, timedelta

import pytest

from studyterm.clock import BadTimeError, DayBoundary, parse_now, ticking_clock


def test_a_date_alone_means_that_study_day():
    moment = parse_now("2026-12-05")
    assert DayBoundary().study_day(moment) == date(2026, 12, 5)
    assert parse_now("2026-12-05T01:00").date() == date(2026, 12, 5)  # a time is taken as given
    with pytest.raises(BadTimeError):
        parse_now("2026-13-05")


def test_a_ticking_clock_starts_at_the_moment_and_runs_at_the_given_pace():
    seconds = [100.0]
    start = parse_now("2026-12-05T09:00:00+00:00")
    clock = ticking_clock(start, monotonic=lambda: seconds[0])
    assert clock() == start
    seconds[0] += 95
    assert clock() - start == timedelta(seconds=95)
