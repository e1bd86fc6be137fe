"""Converting between SQLite rows and studyterm's records, and the two writes every answer does."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from datetime import date, datetime
from functools import lru_cache

from studyterm.notes.model import CardKind, Problem
from studyterm.schedule.review import CardSchedule
from studyterm.schedule.sm2 import Sm2State
from studyterm.store.records import CardContent, CardRecord, NewReview, NoteRow, ReviewEntry

QUESTION = "coalesce((SELECT text FROM texts WHERE texts.key = cards.text_key), cards.question)"
"""A card's question: a cloze card's paragraph lives once in `texts` (schema v6)."""
CARD_COLUMNS = (
    f"id, note_path, line, position, kind, {QUESTION} AS question, answer, cloze_group, deck, tags, lab, "
    "retired, suspended, buried_until, flagged, created_at, ef, repetitions, interval_days, "
    "due, lapses, repeat_day, introduced, last_answered, edited_at, sm2_due"
)
REVIEW_COLUMNS = (
    "id, card_id, ts, day, grade, duration_ms, source, kind, ef_before, ef_after, "
    "interval_before, interval_after, due_before, due_after, undoes, detail, session_id"
)


INSERT_NOTE = (
    "INSERT OR REPLACE INTO notes (path, mtime_ns, size, digest, title, deck, tags, lab, readable) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
INSERT_PROBLEM = "INSERT INTO problems (path, line, severity, message) VALUES (?, ?, ?, ?)"
INSERT_TEXT = "INSERT OR IGNORE INTO texts (key, text) VALUES (?, ?)"
INSERT_CARD = (
    "INSERT INTO cards (id, note_path, line, kind, question, answer, cloze_group, deck, tags, lab, "
    "content_key, text_key, position, created_at, edited_at) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
"""card_values, then position, created_at and edited_at."""


@lru_cache(maxsize=256)
def tags_json(tags: tuple[str, ...]) -> str:
    return json.dumps(list(tags))


@lru_cache(maxsize=256)
def tags_from_json(text: str) -> tuple[str, ...]:
    """Cached like tags_json: a note's cards share one tag list, and exports read 100,000 cards."""
    return tuple(json.loads(text))


def content_values(card: CardContent) -> tuple:
    """The card's columns, in CARD_CONTENT order (card_values)."""
    return card_values(
        card.id, card.note_path, card.line, card.kind, card.question, card.answer,
        card.cloze_group, card.deck, tags_json(card.tags), card.lab, card.key,
    )


def card_values(
    card_id: str, note_path: str, line: int, kind: str, question: str, answer: str,
    cloze_group: int | None, deck: str, tags: str, lab: str | None, key: str,
) -> tuple:
    """A card's content columns (`tags` as JSON): what content_values gives for a CardContent,
    without building one (a cold sync's workers build 100,000 of these rows). A cloze card's
    question is stored by `text_key` only (its paragraph goes to `texts`, once for all its groups)."""
    shared = cloze_text_key(kind, question)
    return (
        card_id, note_path, line, kind, "" if shared else question, answer,
        cloze_group, deck, tags, lab, key, shared,
    )


def cloze_text_key(kind: str, question: str) -> str | None:
    """Where a cloze card's paragraph is kept in `texts`: a digest of the paragraph."""
    return _digest(question) if kind == CardKind.CLOZE else None


CARD_ID, CONTENT_KEY, TEXT_KEY = 0, 10, 11
"""Where card_values puts the id, the content key and the text key."""


@lru_cache(maxsize=64)
def _digest(text: str) -> str:
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


def note_values(note: NoteRow) -> tuple:
    """A row of `notes`, as INSERT_NOTE takes it."""
    return (
        note.path, note.mtime_ns, note.size, note.digest, note.title, note.deck,
        tags_json(note.tags), note.lab, int(note.readable),
    )


def problem_values(path: str, problems: list[Problem]) -> list[tuple]:
    return [(path, p.line, p.severity.value, p.message) for p in problems]


def edit_time(mtime_ns: int, now: datetime) -> str:
    """A card's `edited_at` when its note file was written at `mtime_ns`: in now's time zone."""
    return datetime.fromtimestamp(mtime_ns / 1e9, now.tzinfo).isoformat(timespec="seconds")


def iso(value: date | datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def to_date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def to_datetime(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def ef_to_centi(value: float) -> int:
    return round(value * 100)


def card_from_row(row: tuple) -> CardRecord:
    (card_id, note_path, line, position, kind, question, answer, cloze_group, deck, tags, lab,
     retired, suspended, buried_until, flagged, created_at, ef, repetitions, interval_days,
     due, lapses, repeat_day, introduced, last_answered, edited_at, sm2_due) = row
    schedule = CardSchedule(
        sm2=Sm2State(ef_to_centi(ef), repetitions, interval_days),
        due=to_date(due),
        lapses=lapses,
        repeat_day=to_date(repeat_day),
        introduced=to_date(introduced),
        last_answered=to_datetime(last_answered),
        sm2_due=to_date(sm2_due),
    )
    return CardRecord(
        id=card_id, note_path=note_path, line=line, position=position, kind=kind,
        question=question, answer=answer, cloze_group=cloze_group, deck=deck,
        tags=tags_from_json(tags), lab=lab, retired=bool(retired), suspended=bool(suspended),
        buried_until=to_date(buried_until), flagged=bool(flagged), created_at=created_at,
        edited_at=edited_at or created_at,
        schedule=schedule,
    )


def schedule_snapshot(schedule: CardSchedule) -> dict:
    return {
        "ef": schedule.sm2.ef,
        "repetitions": schedule.sm2.repetitions,
        "interval_days": schedule.sm2.interval_days,
        "due": iso(schedule.due),
        "lapses": schedule.lapses,
        "repeat_day": iso(schedule.repeat_day),
        "introduced": iso(schedule.introduced),
        "last_answered": iso(schedule.last_answered),
        "sm2_due": iso(schedule.sm2_due),
    }


def schedule_from_snapshot(data: dict) -> CardSchedule:
    return CardSchedule(
        sm2=Sm2State(ef_to_centi(data["ef"]), data["repetitions"], data["interval_days"]),
        due=to_date(data["due"]),
        lapses=data["lapses"],
        repeat_day=to_date(data["repeat_day"]),
        introduced=to_date(data["introduced"]),
        last_answered=to_datetime(data["last_answered"]),
        # Snapshots from before FSRS: SM-2 was the only scheduler, so its due date was `due`.
        sm2_due=to_date(data.get("sm2_due", data["due"])),
    )


def write_schedule(conn: sqlite3.Connection, card_id: str, schedule: CardSchedule) -> None:
    values = schedule_snapshot(schedule)
    conn.execute(
        "UPDATE cards SET ef = :ef, repetitions = :repetitions, interval_days = :interval_days, "
        "due = :due, lapses = :lapses, repeat_day = :repeat_day, introduced = :introduced, "
        "last_answered = :last_answered, sm2_due = :sm2_due WHERE id = :id",
        {**values, "id": card_id},
    )


def insert_review(conn: sqlite3.Connection, review: NewReview) -> int:
    before, after = review.before, review.after
    cursor = conn.execute(
        "INSERT INTO reviews (card_id, ts, day, grade, duration_ms, source, kind, ef_before, "
        "ef_after, interval_before, interval_after, due_before, due_after, snapshot, undoes, "
        "detail, session_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            review.card_id, review.ts.isoformat(timespec="milliseconds"), review.day.isoformat(),
            review.grade, review.duration_ms, review.source, review.kind, before.sm2.ef,
            after.sm2.ef, before.sm2.interval_days, after.sm2.interval_days, iso(before.due),
            iso(after.due), json.dumps(schedule_snapshot(before)), review.undoes,
            json.dumps(review.detail) if review.detail is not None else None,
            review.session_id,
        ),
    )
    return cursor.lastrowid


def entry_from_new(review_id: int, review: NewReview) -> ReviewEntry:
    return ReviewEntry(
        id=review_id, card_id=review.card_id, ts=review.ts, day=review.day, grade=review.grade,
        duration_ms=review.duration_ms, source=review.source, kind=review.kind,
        ef_before=review.before.sm2.ef, ef_after=review.after.sm2.ef,
        interval_before=review.before.sm2.interval_days,
        interval_after=review.after.sm2.interval_days, due_before=review.before.due,
        due_after=review.after.due, undoes=review.undoes, detail=review.detail,
        session_id=review.session_id,
    )


def entry_from_row(row: tuple) -> ReviewEntry:
    (review_id, card_id, ts, day, grade, duration_ms, source, kind, ef_before, ef_after,
     interval_before, interval_after, due_before, due_after, undoes, detail, session_id) = row
    return ReviewEntry(
        id=review_id, card_id=card_id, ts=datetime.fromisoformat(ts), day=date.fromisoformat(day),
        grade=grade, duration_ms=duration_ms, source=source, kind=kind, ef_before=ef_before,
        ef_after=ef_after, interval_before=interval_before, interval_after=interval_after,
        due_before=to_date(due_before), due_after=to_date(due_after), undoes=undoes,
        detail=json.loads(detail) if detail else None, session_id=session_id,
    )
