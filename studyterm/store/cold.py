"""Writing a cold sync: every card is new and the store holds nothing to match, so rows go in as
they are planned, inside the one transaction Store.cold_sync opens, while the notes after them
are still being parsed. The rows are those Store.apply_sync writes for the same sync."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from datetime import datetime

from studyterm.notes.model import Problem
from studyterm.store.rows import (
    INSERT_CARD,
    INSERT_NOTE,
    INSERT_PROBLEM,
    INSERT_TEXT,
    edit_time,
    problem_values,
)

BATCH = 1_000
"""Cards held before they are inserted: a few notes' worth, so writing keeps pace with parsing."""


class ColdWriter:
    def __init__(self, conn: sqlite3.Connection, now: datetime) -> None:
        self._conn = conn
        self._now = now
        self._created_at = now.isoformat(timespec="seconds")
        self._position = conn.execute("SELECT coalesce(max(position), 0) FROM cards").fetchone()[0] + 1
        self._cards: list[tuple] = []
        self._texts: dict[str, str] = {}

    def add_cards(self, mtime_ns: int, rows: list[tuple], texts: dict[str, str]) -> None:
        """One note's cards as rows.card_values gives them, in note order; `texts` maps each
        cloze paragraph's text key to the paragraph. Notes come in the order of their paths."""
        created, edited = self._created_at, edit_time(mtime_ns, self._now)
        self._cards += [(*row, place, created, edited) for place, row in enumerate(rows, self._position)]
        self._position += len(rows)
        self._texts.update(texts)
        if len(self._cards) >= BATCH:
            self.flush()

    def flush(self) -> None:
        self._conn.executemany(INSERT_TEXT, self._texts.items())
        self._conn.executemany(INSERT_CARD, self._cards)
        self._cards, self._texts = [], {}

    def add_notes(self, rows: Iterable[tuple]) -> None:
        """Notes as rows.note_values gives them."""
        self._conn.executemany(INSERT_NOTE, rows)

    def set_problems(self, problems: dict[str, list[Problem]]) -> None:
        """Each note's problems, replacing any stored for it (a note that could not be read
        leaves problems and no note row)."""
        if self._conn.execute("SELECT 1 FROM problems LIMIT 1").fetchone():
            self._conn.executemany("DELETE FROM problems WHERE path = ?", [(path,) for path in problems])
        rows = [row for path, found in problems.items() for row in problem_values(path, found)]
        self._conn.executemany(INSERT_PROBLEM, rows)
