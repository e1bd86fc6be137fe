"""What switching schedulers reads and writes: settings kept in the database (the FSRS
parameters, which scheduler the stored due dates came from), the review log as replay events,
and rewriting every card's due date in one transaction."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable
from datetime import date

from studyterm.schedule.log import LogEvent
from studyterm.store.rows import iso
from studyterm.store.store import Store

DUES_BY = "dues_by"
"""Which scheduler (and, for FSRS, which settings) the cards' `due` column was computed by."""
FSRS_PARAMETERS = "fsrs_parameters"
"""The learner's fitted FSRS parameters as JSON (absent: py-fsrs's defaults)."""
FSRS_FIT = "fsrs_fit"
"""What the last fit reported (JSON): when, on how many reviews, the held-out losses."""
SM2_KEY = "sm2"

_EVENT_SQL = "SELECT card_id, id, day, grade, source, kind, undoes FROM reviews"


def get_setting(store: Store, key: str) -> str | None:
    rows = store.query("SELECT value FROM settings WHERE key = ?", (key,))
    return rows[0][0] if rows else None


def set_setting(store: Store, key: str, value: str | None) -> None:
    """Store a setting (None removes it)."""
    with store.transaction() as conn:
        _write_setting(conn, key, value)


def _write_setting(conn: sqlite3.Connection, key: str, value: str | None) -> None:
    if value is None:
        conn.execute("DELETE FROM settings WHERE key = ?", (key,))
    else:
        conn.execute("INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)", (key, value))


def _event(row: tuple) -> LogEvent:
    _card, review_id, day, grade, source, kind, undoes = row
    return LogEvent(review_id, date.fromisoformat(day), grade, source, kind, undoes)


def card_events(store: Store, card_id: str) -> list[LogEvent]:
    """One card's log in order, undo entries included (schedule.fsrs.effective drops them)."""
    rows = store.query(f"{_EVENT_SQL} WHERE card_id = ? ORDER BY id", (card_id,))
    return [_event(row) for row in rows]


def events_by_card(rows: Iterable[tuple]) -> Iterable[tuple[str, list[LogEvent]]]:
    """Rows ordered by card then id, grouped into each card's events."""
    card_id, events = None, []
    for row in rows:
        if row[0] != card_id:
            if events:
                yield card_id, events
            card_id, events = row[0], []
        events.append(_event(row))
    if events:
        yield card_id, events


def all_events(store: Store) -> Iterable[tuple[str, list[LogEvent]]]:
    """Every card's log (cards with entries only), card by card."""
    return events_by_card(store.query(f"{_EVENT_SQL} ORDER BY card_id, id"))


DueRule = Callable[[list[LogEvent]], date | None]
"""A card's due date from its log, or None to keep SM-2's."""


def realign_dues(store: Store, key: str, rule: DueRule | None) -> int:
    """Rewrite every card's due date for the scheduler named `key`, in one transaction: SM-2's
    own (`rule` None) or, card by card, the rule's (SM-2's where it gives None). Returns how many
    cards the rule dated."""
    dated = 0
    with store.transaction() as conn:
        conn.execute("UPDATE cards SET due = sm2_due WHERE due IS NOT sm2_due")
        if rule is not None:
            rows = conn.execute(f"{_EVENT_SQL} ORDER BY card_id, id")
            updates = []
            for card_id, events in events_by_card(rows):
                due = rule(events)
                if due is not None:
                    updates.append((iso(due), card_id))
            conn.executemany("UPDATE cards SET due = ? WHERE id = ?", updates)
            dated = len(updates)
        _write_setting(conn, DUES_BY, key)
    return dated


def set_dues(store: Store, dues: dict[str, date]) -> None:
    """Give these cards these due dates, in one transaction."""
    with store.transaction() as conn:
        conn.executemany("UPDATE cards SET due = ? WHERE id = ?",
                         [(iso(due), card_id) for card_id, due in dues.items()])


def store_parameters(store: Store, parameters: str | None, fit: str | None) -> None:
    """Keep (or, with None, forget) the fitted parameters and the report of their fit."""
    with store.transaction() as conn:
        _write_setting(conn, FSRS_PARAMETERS, parameters)
        _write_setting(conn, FSRS_FIT, fit)
