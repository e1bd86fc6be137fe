"""--now: a date alone is that study day."""

from datetime import date

import pytest

from studyterm.clock import BadTimeError, DayBoundary, parse_now


def test_a_date_alone_means_that_study_day():
    moment = parse_now("2026-12-05")
    assert DayBoundary().study_day(moment) == date(2026, 12, 5)
    assert parse_now("2026-12-05T01:00").date() == date(2026, 12, 5)  # a time is taken as given
    with pytest.raises(BadTimeError):
        parse_now("2026-13-05")
