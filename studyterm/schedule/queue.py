"""The daily queue: due reviews (most overdue first), then new cards up to the daily limit,
then the same-day repeats of items graded below 4."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Protocol


class QueueKind(StrEnum):
    REVIEW = "review"
    NEW = "new"
    REPEAT = "repeat"


@dataclass(frozen=True)
class QueuePolicy:
    new_per_day: int = 20


@dataclass(frozen=True)
class QueueEntry:
    card_id: str
    kind: QueueKind


@dataclass(frozen=True)
class QueueCounts:
    review: int
    new: int
    repeat: int

    @property
    def total(self) -> int:
        return self.review + self.new + self.repeat


class CardSource(Protocol):
    """What the queue needs from storage; each list comes back in its segment's order."""

    def due_review_ids(self, day: date, deck: str | None, limit: int | None) -> list[str]: ...

    def new_card_ids(self, day: date, deck: str | None, limit: int) -> list[str]: ...

    def repeat_ids(self, day: date, deck: str | None, limit: int | None) -> list[str]: ...

    def introduced_count(self, day: date) -> int: ...

    def due_review_count(self, day: date, deck: str | None) -> int: ...

    def new_card_count(self, day: date, deck: str | None, limit: int) -> int: ...

    def repeat_count(self, day: date, deck: str | None) -> int: ...


def new_allowance(policy: QueuePolicy, introduced_today: int) -> int:
    """How many more new cards today; the limit counts cards first answered today."""
    return max(0, policy.new_per_day - introduced_today)


def daily_queue(
    source: CardSource,
    day: date,
    policy: QueuePolicy,
    deck: str | None = None,
    limit: int | None = None,
) -> list[QueueEntry]:
    """The queue in order; with `limit` only its first entries (cheap for "next card")."""
    entries: list[QueueEntry] = []

    def room() -> int | None:
        return None if limit is None else limit - len(entries)

    def full() -> bool:
        return limit is not None and len(entries) >= limit

    entries += [QueueEntry(i, QueueKind.REVIEW) for i in source.due_review_ids(day, deck, room())]
    if not full():
        allowance = new_allowance(policy, source.introduced_count(day))
        space = room()
        take = allowance if space is None else min(allowance, space)
        if take > 0:
            entries += [QueueEntry(i, QueueKind.NEW) for i in source.new_card_ids(day, deck, take)]
    if not full():
        entries += [QueueEntry(i, QueueKind.REPEAT) for i in source.repeat_ids(day, deck, room())]
    return entries


def queue_counts(
    source: CardSource, day: date, policy: QueuePolicy, deck: str | None = None
) -> QueueCounts:
    allowance = new_allowance(policy, source.introduced_count(day))
    return QueueCounts(
        review=source.due_review_count(day, deck),
        new=source.new_card_count(day, deck, allowance) if allowance else 0,
        repeat=source.repeat_count(day, deck),
    )
