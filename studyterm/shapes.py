"""The public JSON shapes (documented in docs/cli.md): cards, review log entries, sync reports.

The CLI's --json output and the JSON export both build their objects here, so the shapes stay
one and the same.
"""

from __future__ import annotations

from datetime import date

from studyterm.collection import card_state, front_and_back
from studyterm.notes.model import CardKind, Problem
from studyterm.schedule.queue import QueueCounts
from studyterm.store import CardRecord, ReviewEntry
from studyterm.store.reports import LEECH_LAPSES
from studyterm.sync import SyncReport

SHAPE_VERSION = 1


def card_dict(card: CardRecord, day: date, history: list[ReviewEntry] | None = None) -> dict:
    question, answer = front_and_back(card)
    schedule = card.schedule
    shape = {
        "id": card.id,
        "deck": card.deck,
        "note": {"path": card.note_path, "line": card.line},
        "kind": card.kind,
        "question": question,
        "answer": answer,
        "cloze": (
            {"text": card.question, "group": card.cloze_group}
            if card.kind == CardKind.CLOZE
            else None
        ),
        "tags": list(card.tags),
        "lab": card.lab,
        "state": card_state(card, day),
        "ef": schedule.sm2.ef,
        "interval_days": schedule.sm2.interval_days,
        "repetitions": schedule.sm2.repetitions,
        "lapses": schedule.lapses,
        "leech": schedule.lapses >= LEECH_LAPSES,
        "due": _iso(schedule.due),
        "repeat_today": schedule.owes_repeat(day),
        "introduced": _iso(schedule.introduced),
        "suspended": card.suspended,
        "buried_until": _iso(card.buried_until) if card.is_buried(day) else None,
        "flagged": card.flagged,
        "retired": card.retired,
        "edited_at": card.edited_at,
    }
    if history is not None:
        shape["history"] = history_list(history)
    return shape


def history_list(history: list[ReviewEntry]) -> list[dict]:
    undone = {entry.undoes for entry in history if entry.undoes is not None}
    return [review_dict(entry, undone=entry.id in undone) for entry in history]


def review_dict(entry: ReviewEntry, undone: bool = False) -> dict:
    return {
        "id": entry.id,
        "ts": entry.ts.isoformat(timespec="milliseconds"),
        "day": entry.day.isoformat(),
        "source": entry.source,
        "kind": entry.kind,
        "grade": entry.grade,
        "duration_ms": entry.duration_ms,
        "ef_before": entry.ef_before,
        "ef_after": entry.ef_after,
        "interval_before": entry.interval_before,
        "interval_after": entry.interval_after,
        "due_before": _iso(entry.due_before),
        "due_after": _iso(entry.due_after),
        "undoes": entry.undoes,
        "undone": undone,
        "detail": entry.detail,
        "session": entry.session_id,
    }


def problem_dict(path: str, problem: Problem) -> dict:
    return {
        "path": path,
        "line": problem.line,
        "severity": problem.severity.value,
        "message": problem.message,
    }


def sync_dict(report: SyncReport) -> dict:
    return {
        "notes": {"scanned": report.scanned, "parsed": report.parsed, "deleted": report.deleted},
        "cards": {
            "created": report.created,
            "updated": report.updated,
            "revived": report.revived,
            "retired": report.retired,
            "kept": report.kept,
        },
        "problems": [problem_dict(path, p) for path, p in report.problems],
    }


def counts_dict(counts: QueueCounts) -> dict:
    return {"review": counts.review, "new": counts.new, "repeat": counts.repeat}


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None
