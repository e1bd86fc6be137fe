"""Injectable time: every "now" in studyterm comes from a Clock, so scheduling can be scripted."""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

NOW_ENV = "STUDYTERM_NOW"

Clock = Callable[[], datetime]
"""A zero-argument callable returning an aware datetime."""


EARLIEST, LATEST = date(1900, 1, 1), date(9000, 12, 31)
"""The times studyterm accepts: it counts days from now both ways (a streak looks back ten
years, intervals reach decades ahead), and Python's calendar ends at years 1 and 9999."""


_DATE_ONLY = re.compile(r"\d{4}-\d{2}-\d{2}")
DATE_ONLY_TIME = time(12, 0)
"""`--now 2026-12-05` is 12:00 that day: midnight would fall before the 04:00 rollover, in the
study day before."""


class BadTimeError(ValueError):
    """A --now / STUDYTERM_NOW value that is not an ISO-8601 time, or outside EARLIEST..LATEST."""


def parse_now(text: str) -> datetime:
    """Parse an ISO-8601 time; a time without an offset is taken as local time, and a date
    alone means that study day (its noon: a day's rollover is in its small hours)."""
    text = text.strip()
    if _DATE_ONLY.fullmatch(text):
        text = f"{text}T{DATE_ONLY_TIME.isoformat()}"
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise BadTimeError(
            f"not an ISO-8601 time: {text!r} (e.g. 2026-11-21T09:30 or 2026-11-21T09:30+01:00)"
        ) from None
    if not EARLIEST <= moment.date() <= LATEST:
        raise BadTimeError(f"{text!r} is outside the years {EARLIEST.year} to {LATEST.year}")
    return moment if moment.tzinfo else moment.astimezone()


def system_clock() -> datetime:
    return datetime.now().astimezone()


def fixed_clock(moment: datetime) -> Clock:
    """A clock that always answers `moment` (for --now, tests and scripts)."""
    frozen = moment if moment.tzinfo else moment.astimezone()
    return lambda: frozen


def clock_from(now: str | None = None, environ: dict[str, str] | None = None) -> Clock:
    """The clock for this run: an explicit --now, else STUDYTERM_NOW, else the system clock."""
    env = os.environ if environ is None else environ
    text = now or env.get(NOW_ENV)
    return fixed_clock(parse_now(text)) if text else system_clock


@dataclass(frozen=True)
class DayBoundary:
    """When a study day rolls over; reviews done at 01:00 still count for the evening before."""

    rollover: time = time(4, 0)

    def study_day(self, moment: datetime) -> date:
        offset = timedelta(hours=self.rollover.hour, minutes=self.rollover.minute)
        return (moment - offset).date()

    def next_rollover(self, moment: datetime) -> datetime:
        """The first instant of the study day after the one `moment` falls in."""
        start = datetime.combine(self.study_day(moment), self.rollover, tzinfo=moment.tzinfo)
        return start + timedelta(days=1)
