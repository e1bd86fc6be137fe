"""Is the database file fit to open and write? Damage is found on open or at the first failing
statement, and every message says in one line how to recover.

A full `PRAGMA quick_check` reads the whole file (about 65 ms for 100,000 cards), so it runs only
when the file is not as studyterm left it: each clean close writes a stamp next to the database
(`studyterm.db.checked`: inode, size and modification time of the database and its WAL), and an
open that finds the file exactly as stamped trusts it. Anything else (a crash, another program,
a copy, a restore, another studyterm still running) gets the full check. Damage the stamp cannot
see (a bad sector with no write) surfaces as SQLITE_CORRUPT on the first statement that touches
it; from then on the store refuses to write.
"""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path

from studyterm.store import backups

STAMP_SUFFIX = ".checked"
DAMAGED_CODES = {11: "SQLITE_CORRUPT", 26: "SQLITE_NOTADB"}
_WRITE_HINTS = {
    13: "the disk is full",  # SQLITE_FULL
    8: "the file or its folder is read-only",  # SQLITE_READONLY
    3: "permission denied",  # SQLITE_PERM
    14: "the file or its folder cannot be opened (permissions?)",  # SQLITE_CANTOPEN
    10: "the disk refused the write (full, failing, or over a file size limit)",  # SQLITE_IOERR
    5: "another program holds the database locked; try again",  # SQLITE_BUSY
}


def stamp_path(db: Path) -> Path:
    return db.with_name(db.name + STAMP_SUFFIX)


def refusal(db: Path) -> str | None:
    """Why the database must not be opened at all, before SQLite touches it: an empty file
    (SQLite would silently start a new collection in it), or a missing one that has backups."""
    try:
        size = db.stat().st_size
    except FileNotFoundError:
        latest = backups.latest(db)
        if latest is None:
            return None
        return (
            f"the database {db} is missing, but {latest.path.parent} holds backups of it: "
            f"`studyterm restore {latest.name}` brings back the latest; to start a new collection "
            f"instead, move {latest.path.parent} away"
        )
    if size == 0:
        return damaged_message(db, "empty (0 bytes): its review history is gone")
    return None


def is_damage(error: sqlite3.Error) -> bool:
    return ((getattr(error, "sqlite_errorcode", 0) or 0) & 0xFF) in DAMAGED_CODES


def damaged_message(db: Path, detail: str) -> str:
    """One line: what is wrong with `db`, and the command that recovers from it."""
    latest = backups.latest(db)
    if latest is not None:
        recover = (
            f"`studyterm restore {latest.name}` puts back the latest backup and keeps the "
            "damaged file aside"
        )
    else:
        recover = (
            "There is no backup yet: move the file aside and run `studyterm sync` to start again "
            "from your notes (`sqlite3 FILE .recover` may save the review history)"
        )
    return f"the database {db} is {detail}; studyterm will not write to it. {recover}"


def failure_message(db: Path, error: sqlite3.Error) -> str:
    """One line for a failed statement or open. Damage also makes the next open check the
    file in full."""
    if is_damage(error):
        forget_clean(db)
        return damaged_message(db, f"damaged ({error})")
    code = (getattr(error, "sqlite_errorcode", 0) or 0) & 0xFF
    hint = _WRITE_HINTS.get(code)
    return f"cannot use the database {db}: {error}" + (f" ({hint}); nothing was changed" if hint else "")


def quick_check(conn: sqlite3.Connection) -> str | None:
    """The first problem `PRAGMA quick_check` finds, or None when the file is sound."""
    rows = conn.execute("PRAGMA quick_check(1)").fetchall()
    first = rows[0][0] if rows else "no answer"
    if first == "ok":
        return None
    lines = [line for line in first.splitlines() if line.strip() and not line.startswith("***")]
    return lines[0] if lines else first.strip()


def _signature(db: Path) -> dict:
    def one(path: Path) -> list[int] | None:
        try:
            stat = path.stat()
        except FileNotFoundError:
            return None
        return [stat.st_ino, stat.st_size, stat.st_mtime_ns] if stat.st_size else None  # an empty WAL holds nothing

    return {"db": one(db), "wal": one(db.with_name(db.name + "-wal"))}


def as_left(db: Path) -> bool:
    """Whether the file is exactly as the last clean close left it."""
    try:
        stamp = json.loads(stamp_path(db).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return stamp == _signature(db)


def mark_clean(db: Path) -> None:
    """Record the file as this clean close leaves it (best effort: it only saves a check)."""
    target = stamp_path(db)
    partial = target.with_name(f".{target.name}.{os.getpid()}")
    try:
        partial.write_text(json.dumps(_signature(db)), encoding="utf-8")
        os.replace(partial, target)
    except OSError:
        _remove(partial)


def forget_clean(db: Path) -> None:
    """The next open must check the file in full."""
    _remove(stamp_path(db))


def _remove(path: Path) -> None:
    try:
        path.unlink(missing_ok=True)
    except OSError:  # a read-only folder: nothing was written there either
        pass
