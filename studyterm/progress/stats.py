"""Statistics, as Anki users look for them, computed from grouped rows of the log (pure).

True retention is the share of answers graded 3 or more among answers to cards that were in
review (interval of a day or more), split young (< 21 days) and mature; first answers and
relearning answers are not retention. Time is the answers' logged durations.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from studyterm.store.progress import MATURE, YOUNG, DayAnswers, LearnerRun, WeakCard

CALENDAR_DAYS = 365
TIME_DAYS = 30
HARDEST = 10
EF_BUCKETS = (1.3, 1.5, 1.7, 1.9, 2.1, 2.3, 2.5, 2.7)
"""Lower bounds of the E-Factor histogram's bars (the last bar is 2.7 and above)."""


@dataclass(frozen=True)
class Retention:
    passed: int
    total: int

    @property
    def rate(self) -> float | None:
        return self.passed / self.total if self.total else None


@dataclass(frozen=True)
class Statistics:
    today: date
    calendar: tuple[tuple[date, int], ...]
    """Answers per study day over the last year, oldest first, every day present."""
    forecast: tuple[tuple[date, int], ...]
    """Cards falling due on each of the next 30 days."""
    young: Retention
    mature: Retention
    ef_histogram: tuple[tuple[float, int], ...]
    minutes: tuple[tuple[date, float], ...]
    """Minutes answering per day over the last 30 days."""
    buttons: tuple[tuple[int, int], ...]
    """(grade 0-5, answers) over the last year."""
    hardest: tuple[WeakCard, ...]
    lab_checks: tuple[tuple[date, int, int], ...]
    """(day, your lab runs, runs whose checks all passed)."""

    @property
    def answers(self) -> int:
        return sum(count for _, count in self.calendar)


def compute_statistics(rows: list[DayAnswers], ef_counts: list[int], hardest: list[WeakCard],
                       forecast: list[tuple[date, int]], runs: list[LearnerRun], today: date) -> Statistics:
    """`ef_counts`: learned active cards per band of EF_BUCKETS (store.progress.ef_counts)."""
    per_day: Counter[date] = Counter()
    duration: Counter[date] = Counter()
    buttons: Counter[int] = Counter()
    retention = {YOUNG: [0, 0], MATURE: [0, 0]}
    for row in rows:
        per_day[row.day] += row.count
        duration[row.day] += row.duration_ms
        buttons[row.grade] += row.count
        if row.kind in retention:
            retention[row.kind][1] += row.count
            retention[row.kind][0] += row.count if row.grade >= 3 else 0
    return Statistics(
        today=today,
        calendar=tuple((day, per_day[day]) for day in _days(today, CALENDAR_DAYS)),
        forecast=tuple(forecast),
        young=Retention(*retention[YOUNG]),
        mature=Retention(*retention[MATURE]),
        ef_histogram=tuple(zip(EF_BUCKETS, ef_counts, strict=True)),
        minutes=tuple((day, round(duration[day] / 60_000, 1)) for day in _days(today, TIME_DAYS)),
        buttons=tuple((grade, buttons[grade]) for grade in range(6)),
        hardest=tuple(hardest),
        lab_checks=_lab_checks(runs),
    )


def _lab_checks(runs: list[LearnerRun]) -> tuple[tuple[date, int, int], ...]:
    by_day: dict[date, list[int]] = defaultdict(lambda: [0, 0])
    for run in runs:
        by_day[run.day][0] += 1
        statuses = [hole.get("status") for hole in run.holes]
        by_day[run.day][1] += bool(statuses) and all(status == "passed" for status in statuses)
    return tuple((day, total, passed) for day, (total, passed) in sorted(by_day.items()))


def _days(today: date, count: int) -> list[date]:
    return [today - timedelta(days=offset) for offset in range(count - 1, -1, -1)]
