"""The review log as a scheduler replays it: events in order, with undone ones left out.

Kept apart from schedule/fsrs.py so that reading the log does not load the FSRS library."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class LogEvent:
    """One review-log entry, as much of it as replaying needs."""

    id: int
    day: date
    grade: int | None
    source: str
    kind: str
    undoes: int | None = None


def effective(events: Iterable[LogEvent]) -> list[LogEvent]:
    """The events that still count: undo entries and the entries they undid are left out."""
    events = list(events)
    undone = {event.undoes for event in events if event.undoes is not None}
    return [e for e in events if e.kind != "undo" and e.id not in undone]


ANSWER_SOURCES = ("review", "quiz")
"""Sources whose answers are recalls of the card; a lab event is evidence about the topic."""
ANSWER_KINDS = ("scheduled", "repeat")


def is_answer(event: LogEvent) -> bool:
    """A graded recall of the card: a review or quiz answer, same-day repeats included."""
    return event.source in ANSWER_SOURCES and event.grade is not None and event.kind in ANSWER_KINDS
