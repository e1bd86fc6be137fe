"""The daily queue: due reviews (most overdue first) up to the daily review limit, then new
cards up to the daily new-card limit, then the same-day repeats of items graded below 4.

Limits work as in Anki: the collection's limits always apply; a deck's own limits count the
cards of that deck and its sub-decks, and apply when studying that deck or anything above it
(studying a sub-deck, the limits of the decks above it do not apply)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Protocol


class QueueKind(StrEnum):
    REVIEW = "review"
    NEW = "new"
    REPEAT = "repeat"


@dataclass(frozen=True)
class DeckLimits:
    """A deck's own daily limits (None: only the limits around it apply)."""

    new_per_day: int | None = None
    reviews_per_day: int | None = None


@dataclass(frozen=True)
class QueuePolicy:
    new_per_day: int = 20
    reviews_per_day: int | None = None
    """Due reviews a day (None: no limit). Same-day repeats are never limited."""
    deck_limits: tuple[tuple[str, DeckLimits], ...] = ()
    """(deck, its limits) for decks with their own limits."""

    @property
    def simple(self) -> bool:
        """Only the collection's new-card limit applies: the queue can be read straight from
        storage in order, without looking at decks."""
        return self.reviews_per_day is None and not self.deck_limits


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

    def new_card_ids(self, day: date, deck: str | None, limit: int | None) -> list[str]: ...

    def repeat_ids(self, day: date, deck: str | None, limit: int | None) -> list[str]: ...

    def introduced_count(self, day: date, deck: str | None = None) -> int: ...

    def reviewed_count(self, day: date, deck: str | None = None) -> int:
        """Cards answered today as due reviews (not new, not repeats), answers undone left out."""
        ...

    def card_decks(self, card_ids: list[str]) -> dict[str, str]: ...

    def due_review_count(self, day: date, deck: str | None) -> int: ...

    def new_card_count(self, day: date, deck: str | None, limit: int) -> int: ...

    def repeat_count(self, day: date, deck: str | None) -> int: ...


def new_allowance(policy: QueuePolicy, introduced_today: int) -> int:
    """How many more new cards today; the limit counts cards first answered today."""
    return max(0, policy.new_per_day - introduced_today)


class _Budget:
    """What is left of each limit that applies to one kind of card (new or review) today."""

    def __init__(self, left: dict[str, int]) -> None:
        self.left = left  # scope ("" for the collection) -> cards still allowed
        self._scopes: dict[str, list[str]] = {}

    @classmethod
    def of(cls, source: CardSource, day: date, policy: QueuePolicy, studied: str | None,
           kind: QueueKind) -> _Budget:
        new = kind is QueueKind.NEW
        done = source.introduced_count if new else source.reviewed_count
        left = {}
        overall = policy.new_per_day if new else policy.reviews_per_day
        if overall is not None:
            left[""] = overall - done(day)
        for deck, limits in policy.deck_limits:
            limit = limits.new_per_day if new else limits.reviews_per_day
            if limit is not None and (studied is None or _within(deck, studied)):
                left[deck] = limit - done(day, deck)
        return cls(left)

    def take(self, deck: str) -> bool:
        """Count one card of `deck` against its limits, if none of them is used up."""
        scopes = self._scopes.get(deck)
        if scopes is None:
            scopes = self._scopes[deck] = [s for s in self.left if not s or _within(deck, s)]
        if any(self.left[scope] <= 0 for scope in scopes):
            return False
        for scope in scopes:
            self.left[scope] -= 1
        return True

    def settled(self, taken: list[str], wanted: int | None) -> bool:
        """No further card can be taken (the collection's limit is used up), or none is needed."""
        return self.left.get("", 1) <= 0 or (wanted is not None and len(taken) >= wanted)

    def allowed(self, source: CardSource, card_ids: list[str], wanted: int | None = None) -> list[str]:
        """The cards the limits let through, in order; reads decks a chunk at a time and stops
        once `wanted` are found or the collection's limit is used up."""
        taken: list[str] = []
        for start in range(0, len(card_ids), _PAGE):
            if self.settled(taken, wanted):
                break
            chunk = card_ids[start:start + _PAGE]
            decks = source.card_decks(chunk)
            taken += [card_id for card_id in chunk if self.take(decks[card_id])]
        return taken if wanted is None else taken[:wanted]

    def through(self, source: CardSource, fetch: Callable[[int | None], list[str]],
                wanted: int | None) -> list[str]:
        """The allowed cards among `fetch(limit)`'s, in order: a first page, and the rest only
        when that page did not settle it (thousands of new cards are rarely all needed)."""
        first = fetch(_PAGE)
        taken = self.allowed(source, first, wanted)
        if len(first) < _PAGE or self.settled(taken, wanted):
            return taken
        rest = fetch(None)[len(first):]
        return taken + self.allowed(source, rest, None if wanted is None else wanted - len(taken))


_PAGE = 500


def _within(deck: str, scope: str) -> bool:
    return deck == scope or deck.startswith(scope + "/")


def daily_queue(
    source: CardSource,
    day: date,
    policy: QueuePolicy,
    deck: str | None = None,
    limit: int | None = None,
) -> list[QueueEntry]:
    """The queue in order; with `limit` only its first entries (cheap for "next card")."""
    if not policy.simple:
        return _limited_queue(source, day, policy, deck, limit)
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


def _limited_queue(source: CardSource, day: date, policy: QueuePolicy, deck: str | None,
                   limit: int | None) -> list[QueueEntry]:
    """The queue when review or per-deck limits apply: every candidate is read with its deck
    and counted against the limits over it."""
    reviews = _Budget.of(source, day, policy, deck, QueueKind.REVIEW)
    new = _Budget.of(source, day, policy, deck, QueueKind.NEW)
    due = reviews.through(source, lambda n: source.due_review_ids(day, deck, n), limit)
    entries = [QueueEntry(i, QueueKind.REVIEW) for i in due]
    if limit is not None and len(entries) >= limit:
        return entries[:limit]
    room = None if limit is None else limit - len(entries)
    fresh = new.through(source, lambda n: source.new_card_ids(day, deck, n), room)
    entries += [QueueEntry(i, QueueKind.NEW) for i in fresh]
    entries += [QueueEntry(i, QueueKind.REPEAT) for i in source.repeat_ids(day, deck, None)]
    return entries if limit is None else entries[:limit]


def queue_counts(
    source: CardSource, day: date, policy: QueuePolicy, deck: str | None = None
) -> QueueCounts:
    if not policy.simple:
        entries = _limited_queue(source, day, policy, deck, None)
        return QueueCounts(*(sum(1 for e in entries if e.kind is kind)
                             for kind in (QueueKind.REVIEW, QueueKind.NEW, QueueKind.REPEAT)))
    allowance = new_allowance(policy, source.introduced_count(day))
    return QueueCounts(
        review=source.due_review_count(day, deck),
        new=source.new_card_count(day, deck, allowance) if allowance else 0,
        repeat=source.repeat_count(day, deck),
    )
