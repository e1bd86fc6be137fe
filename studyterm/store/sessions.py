"""Study sessions: when each started and ended, in what mode, and what it covered."""

from __future__ import annotations

import json
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
    return [_session(row) for row in rows]


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
