"""Converting between SQLite rows and studyterm's records, and the two writes every answer does."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from datetime import date, datetime
from functools import lru_cache

from studyterm.notes.model import CardKind
from studyterm.schedule.review import CardSchedule
from studyterm.schedule.sm2 import Sm2State
from studyterm.store.records import CardContent, CardRecord, NewReview, ReviewEntry

QUESTION = "coalesce((SELECT text FROM texts WHERE texts.key = cards.text_key), cards.question)"
"""A card's question: a cloze card's paragraph lives once in `texts` (schema v6)."""
CARD_COLUMNS = (
    f"id, note_path, line, position, kind, {QUESTION} AS question, answer, cloze_group, deck, tags, lab, "
    "retired, suspended, buried_until, flagged, created_at, ef, repetitions, interval_days, "
    "due, lapses, repeat_day, introduced, last_answered, edited_at"
)
REVIEW_COLUMNS = (
    "id, card_id, ts, day, grade, duration_ms, source, kind, ef_before, ef_after, "
    "interval_before, interval_after, due_before, due_after, undoes, detail, session_id"
)


@lru_cache(maxsize=256)
def tags_json(tags: tuple[str, ...]) -> str:
    return json.dumps(list(tags))


@lru_cache(maxsize=256)
def tags_from_json(text: str) -> tuple[str, ...]:
    """Cached like tags_json: a note's cards share one tag list, and exports read 100,000 cards."""
    return tuple(json.loads(text))


def content_values(card: CardContent) -> tuple:
    """The card's columns, in CARD_CONTENT order; a cloze card's question is stored by
    `text_key` only (its paragraph goes to `texts`, once for all its groups)."""
    key = text_key(card)
    return (
        card.id, card.note_path, card.line, card.kind, "" if key else card.question, card.answer,
        card.cloze_group, card.deck, tags_json(card.tags), card.lab, card.key, key,
    )


def text_key(card: CardContent) -> str | None:
    """Where a cloze card's paragraph is kept in `texts`: a digest of the paragraph."""
    if card.kind != CardKind.CLOZE:
        return None
    return _digest(card.question)


@lru_cache(maxsize=64)
def _digest(text: str) -> str:
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


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
     due, lapses, repeat_day, introduced, last_answered, edited_at) = row
    schedule = CardSchedule(
        sm2=Sm2State(ef_to_centi(ef), repetitions, interval_days),
        due=to_date(due),
        lapses=lapses,
        repeat_day=to_date(repeat_day),
        introduced=to_date(introduced),
        last_answered=to_datetime(last_answered),
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
    }


def schedule_from_snapshot(data: dict) -> CardSchedule:
    return CardSchedule(
        sm2=Sm2State(ef_to_centi(data["ef"]), data["repetitions"], data["interval_days"]),
        due=to_date(data["due"]),
        lapses=data["lapses"],
        repeat_day=to_date(data["repeat_day"]),
        introduced=to_date(data["introduced"]),
        last_answered=to_datetime(data["last_answered"]),
    )


def write_schedule(conn: sqlite3.Connection, card_id: str, schedule: CardSchedule) -> None:
    values = schedule_snapshot(schedule)
    conn.execute(
        "UPDATE cards SET ef = :ef, repetitions = :repetitions, interval_days = :interval_days, "
        "due = :due, lapses = :lapses, repeat_day = :repeat_day, introduced = :introduced, "
        "last_answered = :last_answered WHERE id = :id",
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
