"""Opening the database file: refuse an emptied or damaged one, create a new one whole, check
one that is not as the last clean close left it (store/health.py), and migrate."""

from __future__ import annotations

import os
import sqlite3
import uuid
from pathlib import Path

from studyterm.store import health
from studyterm.store.errors import StoreError
from studyterm.store.schema import NewerSchemaError, migrate


def connect(path: Path | str) -> sqlite3.Connection:
    conn = sqlite3.connect(str(path), isolation_level=None, timeout=10.0, check_same_thread=False)
    conn.execute("PRAGMA synchronous = FULL")  # every confirmed answer survives a power cut
    return conn


def open_database(path: Path) -> tuple[sqlite3.Connection, bool]:
    """The open, migrated connection, and whether the full quick_check ran; StoreError with the
    way to recover when the file must not be used."""
    refusal = health.refusal(path)
    if refusal:
        raise StoreError(refusal)
    trusted = health.as_left(path)
    try:
        if not path.exists():
            _create(path)
        conn = connect(path)
    except OSError as error:
        raise StoreError(f"cannot create the database {path}: {error.strerror or error}") from None
    except sqlite3.DatabaseError as error:
        raise StoreError(health.failure_message(path, error)) from None
    try:
        problem = None if trusted else health.quick_check(conn)
        if problem is None:
            conn.execute("PRAGMA journal_mode = WAL")
            migrate(conn)
    except NewerSchemaError as error:
        conn.close()
        raise StoreError(str(error)) from None
    except sqlite3.DatabaseError as error:
        conn.close()
        raise StoreError(health.failure_message(path, error)) from None
    if problem is not None:
        conn.close()
        health.forget_clean(path)
        raise StoreError(health.damaged_message(path, f"damaged ({problem})"))
    return conn, not trusted


def open_in_memory() -> sqlite3.Connection:
    conn = connect(":memory:")
    migrate(conn)
    return conn


def _create(path: Path) -> None:
    """Create the database complete under a temporary name, then move it into place, so a
    crash never leaves the 0-byte file that health.refusal would (rightly) refuse."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.{uuid.uuid4().hex[:12]}.new")
    try:
        conn = connect(partial)
        try:
            conn.execute("PRAGMA journal_mode = WAL")
            migrate(conn)
        finally:
            conn.close()
        try:
            os.link(partial, path)  # never over a database another process just created
        except FileExistsError:
            pass
        except OSError:  # a file system without hard links
            if not path.exists():
                os.replace(partial, path)
    finally:
        for suffix in ("", "-wal", "-shm"):
            partial.with_name(partial.name + suffix).unlink(missing_ok=True)
