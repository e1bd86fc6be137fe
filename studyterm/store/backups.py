"""Backups of the database in `.studyterm/backups/`, made with SQLite's online backup API (a
consistent copy even while the database is in use), and restoring one.

A backup is `studyterm-YYYY-MM-DD_HH-MM-SS.db`, a self-contained SQLite file (rollback journal,
no WAL). Restoring verifies the backup with `PRAGMA integrity_check` first, refuses while
another studyterm has the database open, and keeps the database it replaces as
`replaced-YYYY-MM-DD_HH-MM-SS.db` beside the backups, so a restore can itself be undone.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from studyterm.store.schema import LATEST_VERSION

FOLDER = "backups"
BACKUP_PREFIX = "studyterm-"
REPLACED_PREFIX = "replaced-"
_STAMP = "%Y-%m-%d_%H-%M-%S"
_NAME = re.compile(rf"({BACKUP_PREFIX}|{REPLACED_PREFIX})(\d{{4}}-\d\d-\d\d_\d\d-\d\d-\d\d)(?:-(\d+))?\.db")
_SIDE_FILES = ("-wal", "-shm", "-journal")


class BackupError(RuntimeError):
    """A backup that cannot be made, found or restored, said in one line."""


@dataclass(frozen=True)
class Backup:
    path: Path
    taken: datetime
    """When it was made (by the collection's clock), naive local time as in its name."""
    replaced: bool
    """A database that a restore put aside, rather than a backup."""

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def size(self) -> int:
        return self.path.stat().st_size


def folder(db: Path) -> Path:
    return db.parent / FOLDER


def list_backups(db: Path, *, replaced: bool = True) -> list[Backup]:
    """Backups (and, with `replaced`, databases a restore put aside), newest first."""
    try:
        entries = list(folder(db).iterdir())
    except (FileNotFoundError, NotADirectoryError):
        return []
    found = []
    for path in entries:
        match = _NAME.fullmatch(path.name)
        if match and path.is_file() and (replaced or match.group(1) == BACKUP_PREFIX):
            taken = datetime.strptime(match.group(2), _STAMP)
            found.append((taken, int(match.group(3) or 1), Backup(path, taken, match.group(1) == REPLACED_PREFIX)))
    return [backup for *_order, backup in sorted(found, key=lambda item: item[:2], reverse=True)]


def latest(db: Path) -> Backup | None:
    backups = list_backups(db, replaced=False)
    return backups[0] if backups else None


def find(db: Path, name: str) -> Backup:
    """A backup by its file name (as `studyterm restore` lists it) or by a path to one."""
    for backup in list_backups(db):
        if name in (backup.name, str(backup.path)):
            return backup
    given = Path(name).expanduser()
    if given.is_file():
        return Backup(given.resolve(), datetime.fromtimestamp(given.stat().st_mtime), replaced=False)
    raise BackupError(f"no backup named {name!r} in {folder(db)}; `studyterm restore` lists them")


def _free_name(directory: Path, prefix: str, taken: datetime) -> Path:
    stem = prefix + taken.strftime(_STAMP)
    candidate, number = directory / f"{stem}.db", 2
    while candidate.exists():
        candidate, number = directory / f"{stem}-{number}.db", number + 1
    return candidate


def make(source: sqlite3.Connection, db: Path, taken: datetime) -> Backup:
    """Copy the open database `source` into a new backup, complete or not at all."""
    directory = folder(db)
    directory.mkdir(parents=True, exist_ok=True)
    partial = directory / f".partial-{os.getpid()}-{taken.strftime(_STAMP)}.db"
    try:
        target = sqlite3.connect(partial, isolation_level=None)
        try:
            source.backup(target)
            target.execute("PRAGMA journal_mode = DELETE")  # one self-contained file
        finally:
            target.close()
        final = _free_name(directory, BACKUP_PREFIX, taken.replace(tzinfo=None))
        os.replace(partial, final)
    finally:
        partial.unlink(missing_ok=True)
    return Backup(final, taken.replace(tzinfo=None), replaced=False)


def prune(db: Path, keep: int) -> list[Path]:
    """Delete all but the newest `keep` backups (never a database a restore put aside)."""
    removed = []
    for backup in list_backups(db, replaced=False)[keep:]:
        backup.path.unlink(missing_ok=True)
        removed.append(backup.path)
    return removed


@dataclass(frozen=True)
class Contents:
    cards: int
    reviews: int
    schema: int


def describe(path: Path) -> Contents | None:
    """What a backup holds, without checking it in full (None when it cannot be read)."""
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            return _contents(conn)
        finally:
            conn.close()
    except sqlite3.DatabaseError:
        return None


def _contents(conn: sqlite3.Connection) -> Contents:
    schema = conn.execute("PRAGMA user_version").fetchone()[0]
    cards = conn.execute("SELECT count(*) FROM cards").fetchone()[0]
    reviews = conn.execute("SELECT count(*) FROM reviews").fetchone()[0]
    return Contents(cards, reviews, schema)


def verify(path: Path) -> Contents:
    """Check a backup in full (`PRAGMA integrity_check`) and say what it holds."""
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            problems = [row[0] for row in conn.execute("PRAGMA integrity_check(1)")]
            if problems != ["ok"]:
                raise BackupError(f"the backup {path} is damaged ({problems[0] if problems else 'no answer'}); choose another")
            contents = _contents(conn)
        finally:
            conn.close()
    except sqlite3.DatabaseError as error:
        raise BackupError(f"{path} is not a usable studyterm backup ({error})") from None
    if contents.schema > LATEST_VERSION:
        raise BackupError(
            f"the backup {path} was made by a newer studyterm (schema {contents.schema}); upgrade studyterm"
        )
    return contents


@dataclass(frozen=True)
class Restored:
    backup: Backup
    contents: Contents
    kept_aside: Path | None
    """Where the replaced database now is (None when there was none)."""


def restore(db: Path, backup: Backup, now: datetime) -> Restored:
    """Put `backup` in place of the database `db`, keeping the current one aside."""
    contents = verify(backup.path)
    directory = folder(db)
    directory.mkdir(parents=True, exist_ok=True)
    partial = db.with_name(f".restore-{os.getpid()}.db")
    try:
        shutil.copyfile(backup.path, partial)
        with partial.open("rb") as copy:
            os.fsync(copy.fileno())
        with _exclusive(db):
            kept = _put_aside(db, directory, now) if db.exists() else None
            os.replace(partial, db)
    finally:
        partial.unlink(missing_ok=True)
    return Restored(backup, contents, kept)


def _put_aside(db: Path, directory: Path, now: datetime) -> Path:
    kept = _free_name(directory, REPLACED_PREFIX, now.replace(tzinfo=None))
    os.replace(db, kept)
    for suffix in _SIDE_FILES:
        side = db.with_name(db.name + suffix)
        if side.exists():
            os.replace(side, kept.with_name(kept.name + suffix))
    return kept


class _exclusive:
    """Hold the database so no other studyterm uses it while it is replaced; refuse when one
    has it open. Leaving WAL mode needs every other connection gone, and writes the WAL into
    the file (a database too damaged for that is replaced without the check)."""

    def __init__(self, db: Path) -> None:
        self.db = db
        self.conn: sqlite3.Connection | None = None

    def __enter__(self) -> None:
        if not self.db.exists() or self.db.stat().st_size == 0:
            return
        conn = sqlite3.connect(self.db, isolation_level=None, timeout=0.5)
        try:
            conn.execute("PRAGMA journal_mode = DELETE").fetchone()
            conn.execute("BEGIN EXCLUSIVE")
        except sqlite3.OperationalError as error:
            conn.close()
            if "locked" in str(error) or "busy" in str(error):
                raise BackupError(
                    f"the database {self.db} is in use (is the review app or another studyterm "
                    "open?); close it and run restore again"
                ) from None
            return
        except sqlite3.DatabaseError:
            conn.close()
            return
        self.conn = conn

    def __exit__(self, *exc_info: object) -> None:
        if self.conn is not None:
            self.conn.close()
