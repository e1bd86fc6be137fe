"""Study sessions: when each started and ended, in what mode, and what it covered."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date, datetime

from studyterm.store.records import SessionRow
from studyterm.store.store import Store

_COLUMNS = "id, started_at, ended_at, mode, deck, summary"


def start_session(store: Store, started_at: datetime, mode: str, deck: str | None) -> int:
    with store.transaction() as conn:
        cursor = conn.execute(
            "INSERT INTO sessions (started_at, mode, deck) VALUES (?, ?, ?)",
            (started_at.isoformat(timespec="seconds"), mode, deck),
        )
        return cursor.lastrowid


def finish_session(store: Store, session_id: int, ended_at: datetime, summary: dict) -> None:
    with store.transaction() as conn:
        conn.execute(
            "UPDATE sessions SET ended_at = ?, summary = ? WHERE id = ?",
            (ended_at.isoformat(timespec="seconds"), json.dumps(summary), session_id),
        )


def sessions(store: Store, limit: int | None = None) -> list[SessionRow]:
    """Sessions in which at least one card was answered, newest first."""
    rows = store.query(
        f"SELECT {_COLUMNS} FROM sessions WHERE id IN (SELECT DISTINCT session_id FROM reviews "
        "WHERE session_id IS NOT NULL) ORDER BY started_at DESC, id DESC LIMIT ?",
        (-1 if limit is None else limit,),
    )
    found = [_session(row) for row in rows]
    return [
        replace(row, summary={**summary_from_reviews(store, row.id), **row.summary})
        if "answers" not in row.summary else row
        for row in found
    ]


def save_worksheet(store: Store, session_id: int, worksheet: dict[str, str]) -> None:
    """Keep the session's worksheet in its summary (replacing an earlier one)."""
    with store.transaction() as conn:
        row = conn.execute("SELECT summary FROM sessions WHERE id = ?", (session_id,)).fetchone()
        if row is None:
            raise ValueError(f"no session {session_id}")
        summary = json.loads(row[0]) if row[0] else {}
        summary["worksheet"] = worksheet
        conn.execute("UPDATE sessions SET summary = ? WHERE id = ?", (json.dumps(summary), session_id))


def summary_from_reviews(store: Store, session_id: int) -> dict:
    """The counts of a session that never wrote its summary (the app was killed mid-session),
    from the answers it logged: an answer undone later does not count."""
    rows = store.query(
        "SELECT r.card_id, r.grade, r.duration_ms, c.deck, c.note_path FROM reviews r "
        "JOIN cards c ON c.id = r.card_id WHERE r.session_id = ? AND r.kind != 'undo' "
        "AND r.id NOT IN (SELECT undoes FROM reviews WHERE undoes IS NOT NULL) ORDER BY r.id",
        (session_id,),
    )
    grades: dict[str, int] = {}
    for _, grade, *_rest in rows:
        grades[str(grade)] = grades.get(str(grade), 0) + 1
    correct = sum(1 for row in rows if row[1] >= 3)
    return {
        "answers": len(rows),
        "cards": len({row[0] for row in rows}),
        "correct": correct,
        "accuracy": round(correct / len(rows), 3) if rows else 0.0,
        "time_ms": sum(row[2] or 0 for row in rows),
        "grades": dict(sorted(grades.items())),
        "watchlist": [],
        "decks": sorted({row[3] for row in rows}),
        "notes": sorted({row[4] for row in rows}),
    }


def study_days(store: Store, since: date) -> set[date]:
    """Study days since `since` on which at least one card was answered in a review or quiz."""
    rows = store.query(
        "SELECT DISTINCT day FROM reviews WHERE day >= ? AND source IN ('review', 'quiz') "
        "AND kind != 'undo'",
        (since.isoformat(),),
    )
    return {date.fromisoformat(row[0]) for row in rows}


def _session(row: tuple) -> SessionRow:
    session_id, started_at, ended_at, mode, deck, summary = row
    return SessionRow(
        id=session_id,
        started_at=datetime.fromisoformat(started_at),
        ended_at=datetime.fromisoformat(ended_at) if ended_at else None,
        mode=mode,
        deck=deck,
        summary=json.loads(summary) if summary else {},
    )
