"""A SQLite database someone else wrote (the collection inside an Anki package): opened
read-only, with every query bounded.

A file can be built to hang whoever reads it: a `notes` table that is a recursive view never
finishes, at 100% CPU. A progress handler stops any statement past a deadline. It also makes
Ctrl-C work: SQLite swallows the KeyboardInterrupt raised inside the handler and reports the
statement as "interrupted", so that is turned back into KeyboardInterrupt here.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

_CHECK_EVERY = 10_000
"""SQLite virtual machine steps between deadline checks (well under a millisecond)."""


class ForeignQueryTimeout(Exception):
    """A query on a foreign database ran past its deadline."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"took longer than {seconds:g} s")
        self.seconds = seconds


class _Deadline:
    def __init__(self, seconds: float) -> None:
        self.end = time.monotonic() + seconds
        self.expired = False

    def __call__(self) -> int:
        if time.monotonic() > self.end:
            self.expired = True
            return 1  # non-zero: SQLite stops the statement
        return 0


@contextmanager
def open_read_only(path: Path | str, seconds: float) -> Iterator[sqlite3.Connection]:
    """The database at `path`, read-only; every statement run within the block (all of them
    together) must finish within `seconds`, or ForeignQueryTimeout is raised."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    deadline = _Deadline(seconds)
    conn.set_progress_handler(deadline, _CHECK_EVERY)
    try:
        yield conn
    except sqlite3.OperationalError as error:
        if str(error) != "interrupted":
            raise
        if deadline.expired:
            raise ForeignQueryTimeout(seconds) from None
        raise KeyboardInterrupt from None
    finally:
        conn.close()


def not_a_table(conn: sqlite3.Connection, names: tuple[str, ...]) -> tuple[str, str] | None:
    """The first of `names` that is not a plain table (a view, a virtual table), and what it is."""
    for name in names:
        row = conn.execute("SELECT type, sql FROM sqlite_master WHERE name = ?", (name,)).fetchone()
        if row is None:
            continue
        kind, sql = row
        if kind != "table":
            return name, kind
        if sql and sql.lstrip().upper().startswith("CREATE VIRTUAL"):
            return name, "virtual table"
    return None
