"""The SQL behind exporting and importing decks (studyterm.interop).

Reads: a deck's active cards, their review logs and their notes' titles, in bulk (as records, or
as the plain values an Anki package needs: a record's dataclasses and dates were most of the
time an .apkg export of 100,000 cards spent reading). Writes: the
schedule and review log an import brings for cards the import just created. Imported reviews
are appended like any other answer: the log stays append-only.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from operator import itemgetter
from typing import NamedTuple

from studyterm.schedule.review import CardSchedule
from studyterm.store.filters import deck_filter
from studyterm.store.records import CardRecord, NewReview, ReviewEntry
from studyterm.store.rows import (
    CARD_COLUMNS,
    QUESTION,
    REVIEW_COLUMNS,
    card_from_row,
    entry_from_row,
    insert_review,
    write_schedule,
)
from studyterm.store.store import Store

_BATCH = 500


def deck_cards(store: Store, deck: str | None) -> list[CardRecord]:
    """The active cards of `deck` and its sub-decks (every deck when None), oldest first."""
    deck_sql, params = deck_filter(deck, date.min)
    rows = store.query(
        f"SELECT {CARD_COLUMNS} FROM cards WHERE retired = 0 {deck_sql} ORDER BY position", params
    )
    return [card_from_row(row) for row in rows]


class PackageCard(NamedTuple):
    """An active card as an Anki package needs it: the stored values, no dates parsed."""

    id: str
    note_path: str
    kind: str
    question: str
    answer: str
    cloze_group: int | None
    deck: str
    tags: str
    """The JSON list the store keeps (a note's cards share it, so it is converted once a note)."""
    lab: str | None
    created_at: str
    edited_at: str
    """`created_at` for a card whose text never changed."""
    position: int
    suspended: int
    """The schedule, from here on: read only when asked for, else that of a card never answered."""
    flagged: int
    ef: float
    interval_days: int
    due: str | None
    lapses: int
    introduced: str | None


class PackageReview(NamedTuple):
    """A review log entry as an Anki package's revlog needs it, times left as stored."""

    id: int
    ts: str
    grade: int | None
    duration_ms: int | None
    kind: str
    ef_after: float
    interval_before: int
    interval_after: int
    due_before: str | None
    undoes: int | None


_PACKAGE_CARD_COLUMNS = (
    f"id, note_path, kind, {QUESTION}, answer, cloze_group, deck, tags, lab, created_at, "
    "coalesce(nullif(edited_at, ''), created_at), position"
)
_SCHEDULE_COLUMNS = "suspended, flagged, ef, interval_days, due, lapses, introduced"
_NEVER_ANSWERED = (0, 0, 2.5, 0, None, 0, None)
_BY_POSITION = itemgetter(11)
_PACKAGE_REVIEW_COLUMNS = (
    "id, card_id, ts, grade, duration_ms, kind, ef_after, interval_before, interval_after, due_before, undoes"
)


def package_cards(store: Store, deck: str | None, with_schedule: bool) -> list[PackageCard]:
    """`deck_cards` as plain values: the active cards of `deck` and its sub-decks, oldest first.

    Each column read costs (the sqlite3 module lets go of the GIL for each), so the schedule's
    seven are read only `with_schedule`. The rows are sorted here, not by SQLite: its sort of
    100,000 wide rows was a seventh of the read, Python's of rows nearly in order a few ms."""
    deck_sql, params = deck_filter(deck, date.min)
    columns = f"{_PACKAGE_CARD_COLUMNS}, {_SCHEDULE_COLUMNS}" if with_schedule else _PACKAGE_CARD_COLUMNS
    rows = store.query(f"SELECT {columns} FROM cards WHERE retired = 0 {deck_sql}", params)
    rows.sort(key=_BY_POSITION)
    if with_schedule:
        return list(map(PackageCard._make, rows))
    return [PackageCard._make(row + _NEVER_ANSWERED) for row in rows]


def package_reviews(store: Store, deck: str | None) -> dict[str, list[PackageReview]]:
    """`review_logs` of `package_cards(deck)` as plain values: each card's log, oldest first."""
    deck_sql, params = deck_filter(deck, date.min)
    rows = store.query(
        f"SELECT {_PACKAGE_REVIEW_COLUMNS} FROM reviews WHERE card_id IN "
        f"(SELECT id FROM cards WHERE retired = 0 {deck_sql}) ORDER BY id",
        params,
    )
    logs: dict[str, list[PackageReview]] = defaultdict(list)
    for review_id, card_id, *rest in rows:
        logs[card_id].append(PackageReview(review_id, *rest))
    return dict(logs)


def review_logs(store: Store, card_ids: Sequence[str]) -> dict[str, list[ReviewEntry]]:
    """Each card's review log, oldest first (cards without reviews are left out)."""
    logs: dict[str, list[ReviewEntry]] = defaultdict(list)
    for chunk in _chunks(list(card_ids)):
        rows = store.query(
            f"SELECT {REVIEW_COLUMNS} FROM reviews WHERE card_id IN ({_marks(chunk)}) ORDER BY id",
            chunk,
        )
        for row in rows:
            logs[row[1]].append(entry_from_row(row))
    return dict(logs)


def deck_names(store: Store) -> list[str]:
    return [row[0] for row in store.query("SELECT DISTINCT deck FROM cards WHERE retired = 0 ORDER BY deck")]


def note_titles(store: Store) -> dict[str, str]:
    """Note path -> the title its front matter gives (notes without one are left out)."""
    return dict(store.query("SELECT path, title FROM notes WHERE title IS NOT NULL"))


class NoteCard(NamedTuple):
    """An active card of a note, as an import needs it to attach progress."""

    id: str
    key: str
    untouched: bool
    """Never answered and no review logged: safe to give it imported progress."""


def cards_of_notes(store: Store, note_paths: Iterable[str]) -> dict[str, list[NoteCard]]:
    found: dict[str, list[NoteCard]] = defaultdict(list)
    for chunk in _chunks(sorted(set(note_paths))):
        rows = store.query(
            "SELECT note_path, id, content_key, introduced IS NULL AND NOT EXISTS "
            "(SELECT 1 FROM reviews WHERE reviews.card_id = cards.id) FROM cards "
            f"WHERE retired = 0 AND note_path IN ({_marks(chunk)}) ORDER BY line, cloze_group",
            chunk,
        )
        for path, card_id, key, untouched in rows:
            found[path].append(NoteCard(card_id, key, bool(untouched)))
    return dict(found)


@dataclass(frozen=True)
class ImportedProgress:
    """What an imported card brings along: its schedule, flags and review log."""

    card_id: str
    schedule: CardSchedule
    suspended: bool = False
    flagged: bool = False
    reviews: list[NewReview] = field(default_factory=list)


def write_imported_progress(store: Store, items: Sequence[ImportedProgress]) -> list[str]:
    """Give each card its imported progress, in one transaction.

    A card that was answered or has a review logged by the time this runs keeps its own
    progress (an import never overwrites history); the ids of the cards written come back."""
    written: list[str] = []
    with store.transaction() as conn:
        for item in items:
            untouched = conn.execute(
                "SELECT introduced IS NULL AND NOT EXISTS (SELECT 1 FROM reviews WHERE card_id = :id) "
                "FROM cards WHERE id = :id AND retired = 0",
                {"id": item.card_id},
            ).fetchone()
            if not untouched or not untouched[0]:
                continue
            for review in item.reviews:
                insert_review(conn, review)
            write_schedule(conn, item.card_id, item.schedule)
            conn.execute(
                "UPDATE cards SET suspended = ?, flagged = ? WHERE id = ?",
                (int(item.suspended), int(item.flagged), item.card_id),
            )
            written.append(item.card_id)
    return written


class NewerProgress(NamedTuple):
    written: dict[str, int]
    """Card id -> answers appended, for the cards that took the imported progress."""
    own_newer: set[str]
    """Cards answered here after the last imported answer: they kept their own progress."""


def write_newer_progress(store: Store, items: Sequence[ImportedProgress]) -> NewerProgress:
    """For cards that already have a history: append the imported answers given after the
    card's last logged entry and take the imported schedule, flags and suspension, in one
    transaction. A card whose own history is as new or newer keeps it untouched."""
    written: dict[str, int] = {}
    own_newer: set[str] = set()
    with store.transaction() as conn:
        for item in items:
            stamps = conn.execute("SELECT ts FROM reviews WHERE card_id = ?", (item.card_id,)).fetchall()
            last = max((datetime.fromisoformat(ts) for (ts,) in stamps), default=None)
            newer = [review for review in item.reviews if last is None or review.ts > last]
            if not newer:
                if item.reviews and last is not None and last > item.reviews[-1].ts:
                    own_newer.add(item.card_id)
                continue
            for review in newer:
                insert_review(conn, review)
            write_schedule(conn, item.card_id, item.schedule)
            conn.execute(
                "UPDATE cards SET suspended = ?, flagged = ? WHERE id = ? AND retired = 0",
                (int(item.suspended), int(item.flagged), item.card_id),
            )
            written[item.card_id] = len(newer)
    return NewerProgress(written, own_newer)


def _chunks(values: list) -> Iterable[list]:
    for start in range(0, len(values), _BATCH):
        yield values[start : start + _BATCH]


def _marks(values: list) -> str:
    return ", ".join("?" * len(values))
