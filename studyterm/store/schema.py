"""The schema and its migrations.

The schema version is SQLite's `user_version`. Each migration runs inside one transaction
(sqlite-utils' `atomic`), so a crash leaves the database at the previous version and the
migration simply runs again next time. sqlite-utils is imported only when a migration is due,
and without the pandas and numpy it would import when they are installed (see _sqlite_utils).
"""

from __future__ import annotations

import sqlite3
import sys
from collections.abc import Callable

APPEND_ONLY_TRIGGERS = """
CREATE TRIGGER IF NOT EXISTS reviews_no_update BEFORE UPDATE ON reviews
BEGIN SELECT RAISE(ABORT, 'the review log is append-only'); END;
CREATE TRIGGER IF NOT EXISTS reviews_no_delete BEFORE DELETE ON reviews
BEGIN SELECT RAISE(ABORT, 'the review log is append-only'); END;
"""

PARTIAL_INDEXES = """
CREATE INDEX IF NOT EXISTS cards_due_queue ON cards (due, position)
    WHERE retired = 0 AND suspended = 0 AND due IS NOT NULL;
CREATE INDEX IF NOT EXISTS cards_new_queue ON cards (position)
    WHERE retired = 0 AND suspended = 0 AND introduced IS NULL;
CREATE INDEX IF NOT EXISTS cards_repeats ON cards (repeat_day)
    WHERE repeat_day IS NOT NULL;
CREATE INDEX IF NOT EXISTS cards_introduced ON cards (introduced)
    WHERE introduced IS NOT NULL;
CREATE INDEX IF NOT EXISTS cards_retired_key ON cards (content_key)
    WHERE retired = 1;
"""


def _v1_initial(db) -> None:
    db["notes"].create(
        {
            "path": str,
            "mtime_ns": int,
            "size": int,
            "digest": str,
            "title": str,
            "deck": str,
            "tags": str,
            "lab": str,
            "readable": int,
        },
        pk="path",
        not_null={"mtime_ns", "size", "digest", "readable"},
        if_not_exists=True,
    )
    db["problems"].create(
        {"path": str, "line": int, "severity": str, "message": str},
        not_null={"path", "line", "severity", "message"},
        if_not_exists=True,
    )
    db["problems"].create_index(["path"], if_not_exists=True)
    db["cards"].create(
        {
            "id": str,
            "note_path": str,
            "line": int,
            "position": int,
            "kind": str,
            "question": str,
            "answer": str,
            "cloze_group": int,
            "deck": str,
            "tags": str,
            "lab": str,
            "content_key": str,
            "retired": int,
            "created_at": str,
            "ef": float,
            "repetitions": int,
            "interval_days": int,
            "due": str,
            "lapses": int,
            "repeat_day": str,
            "introduced": str,
            "last_answered": str,
            "suspended": int,
            "buried_until": str,
            "flagged": int,
        },
        pk="id",
        not_null={
            "note_path", "line", "position", "kind", "question", "answer", "deck", "tags",
            "content_key", "retired", "created_at", "ef", "repetitions", "interval_days",
            "lapses", "suspended", "flagged",
        },
        defaults={
            "retired": 0, "ef": 2.5, "repetitions": 0, "interval_days": 0, "lapses": 0,
            "suspended": 0, "flagged": 0, "tags": "[]",
        },
        if_not_exists=True,
    )
    db["cards"].create_index(["note_path"], if_not_exists=True)
    db["reviews"].create(
        {
            "id": int,
            "card_id": str,
            "ts": str,
            "day": str,
            "grade": int,
            "duration_ms": int,
            "source": str,
            "kind": str,
            "ef_before": float,
            "ef_after": float,
            "interval_before": int,
            "interval_after": int,
            "due_before": str,
            "due_after": str,
            "snapshot": str,
            "undoes": int,
            "detail": str,
        },
        pk="id",
        not_null={"card_id", "ts", "day", "source", "kind", "snapshot"},
        if_not_exists=True,
    )
    db["reviews"].create_index(["card_id", "id"], if_not_exists=True)
    db.executescript(PARTIAL_INDEXES + APPEND_ONLY_TRIGGERS)


def _v2_sessions_and_edit_times(db) -> None:
    """Study sessions, the session each answer belongs to, and when a card's text last changed."""
    db["sessions"].create(
        {
            "id": int,
            "started_at": str,
            "ended_at": str,
            "mode": str,
            "deck": str,
            "summary": str,
        },
        pk="id",
        not_null={"started_at", "mode"},
        if_not_exists=True,
    )
    if "session_id" not in db["reviews"].columns_dict:
        db["reviews"].add_column("session_id", int)
    if "edited_at" not in db["cards"].columns_dict:
        db["cards"].add_column("edited_at", str)
        db.execute("UPDATE cards SET edited_at = created_at")


def _v3_covering_due_index(db) -> None:
    """Counting due cards then needs no table lookups: 35,000 due cards count in ~5 ms, not 45."""
    db.executescript(
        """
        DROP INDEX IF EXISTS cards_due_queue;
        CREATE INDEX cards_due_queue ON cards (due, position, buried_until, repeat_day, deck)
            WHERE retired = 0 AND suspended = 0 AND due IS NOT NULL;
        """
    )


def _v4_lab_runs(db) -> None:
    """Lab runs, and the indexes that find a lab's cards and a run's feedback events."""
    db["lab_runs"].create(
        {
            "id": int,
            "lab_id": str,
            "card_id": str,
            "sweep": str,
            "started_at": str,
            "day": str,
            "duration_s": float,
            "status": str,
            "exit_code": int,
            "reason": str,
            "quick": int,
            "params": str,
            "metrics": str,
            "series": str,
            "targets": str,
            "passed": int,
            "grade": int,
            "fingerprint": str,
            "traceback": str,
            "log": str,
        },
        pk="id",
        not_null={"lab_id", "started_at", "day", "duration_s", "status", "quick", "params",
                  "metrics", "series", "targets", "fingerprint", "log"},
        if_not_exists=True,
    )
    for statement in LAB_INDEXES:  # one by one: executescript would commit the migration early
        db.execute(statement)


LAB_INDEXES = (
    "CREATE INDEX IF NOT EXISTS lab_runs_lab ON lab_runs (lab_id, id)",
    "CREATE INDEX IF NOT EXISTS cards_lab ON cards (lab) WHERE lab IS NOT NULL",
    "CREATE INDEX IF NOT EXISTS reviews_lab_run ON reviews (json_extract(detail, '$.run')) "
    "WHERE source = 'lab'",
)


def _v5_exercise_labs(db) -> None:
    """Exercise labs: how each run ran (mode, the learner's code or the lab's, graded or not),
    its hole results and the predictions asked before it, and every hint a learner revealed."""
    columns = db["lab_runs"].columns_dict
    for name, kind in (("mode", str), ("learner", int), ("graded", int), ("holes", str),
                       ("predictions", str)):
        if name not in columns:
            db["lab_runs"].add_column(name, kind)
    db["lab_hints"].create(
        {"id": int, "lab_id": str, "hole": str, "level": int, "ts": str, "day": str},
        pk="id",
        not_null={"lab_id", "hole", "level", "ts", "day"},
        if_not_exists=True,
    )
    db.execute("CREATE INDEX IF NOT EXISTS lab_hints_hole ON lab_hints (lab_id, hole, ts)")


def _v6_shared_cloze_texts(db) -> None:
    """A cloze paragraph is stored once in `texts`, not once per group: each cloze card points
    at it by `text_key` (a 2,000-group paragraph made a 77 MB database). Older rows keep their
    text in `question` until their note is next synced."""
    db.execute("CREATE TABLE IF NOT EXISTS texts (key TEXT PRIMARY KEY, text TEXT NOT NULL) WITHOUT ROWID")
    if "text_key" not in db["cards"].columns_dict:
        db["cards"].add_column("text_key", str)


ANSWER_KIND_SQL = "CASE WHEN coalesce({r}.interval_before, 0) = 0 THEN 0 WHEN {r}.interval_before < 21 THEN 1 ELSE 2 END"
"""What a card was when answered: 0 new or relearning, 1 young, 2 mature (store/progress.py)."""

ANSWER_DAYS_TRIGGERS = (f"""
CREATE TRIGGER IF NOT EXISTS answer_days_add AFTER INSERT ON reviews
WHEN NEW.grade IS NOT NULL AND NEW.source IN ('review', 'quiz') AND NEW.undoes IS NULL
BEGIN
    INSERT INTO answer_days (day, grade, kind, answers, duration_ms)
    VALUES (NEW.day, NEW.grade, {ANSWER_KIND_SQL.format(r="NEW")}, 1, coalesce(NEW.duration_ms, 0))
    ON CONFLICT (day, grade, kind) DO UPDATE SET
        answers = answers + 1, duration_ms = duration_ms + excluded.duration_ms;
END""", f"""
CREATE TRIGGER IF NOT EXISTS answer_days_undo AFTER INSERT ON reviews
WHEN NEW.undoes IS NOT NULL
BEGIN
    UPDATE answer_days SET answers = answers - 1,
        duration_ms = duration_ms - (SELECT coalesce(duration_ms, 0) FROM reviews WHERE id = NEW.undoes)
    WHERE (day, grade, kind) = (
        SELECT day, grade, {ANSWER_KIND_SQL.format(r="reviews")} FROM reviews
        WHERE id = NEW.undoes AND grade IS NOT NULL AND source IN ('review', 'quiz') AND undoes IS NULL);
END""")


def _v7_answer_days(db) -> None:
    """Answers per study day, grade and kind of card, kept by triggers as the log grows, so a
    year of statistics reads a few thousand rows instead of scanning a million (undone answers
    are taken back out). Filled from the log the first time. Indexes for the last weeks' answers
    (progress's confidence) and for finding undone answers."""
    db.execute(
        "CREATE TABLE IF NOT EXISTS answer_days (day TEXT NOT NULL, grade INTEGER NOT NULL, "
        "kind INTEGER NOT NULL, answers INTEGER NOT NULL, duration_ms INTEGER NOT NULL, "
        "PRIMARY KEY (day, grade, kind)) WITHOUT ROWID"
    )
    db.execute("DELETE FROM answer_days")
    db.execute(
        f"INSERT INTO answer_days SELECT day, grade, {ANSWER_KIND_SQL.format(r='reviews')}, count(*), "
        "coalesce(sum(duration_ms), 0) FROM reviews WHERE grade IS NOT NULL AND source IN ('review', 'quiz') "
        "AND undoes IS NULL AND id NOT IN (SELECT undoes FROM reviews WHERE undoes IS NOT NULL) GROUP BY 1, 2, 3"
    )
    for statement in ANSWER_DAYS_TRIGGERS:  # one by one: executescript would commit the migration early
        db.execute(statement)
    db.execute("CREATE INDEX IF NOT EXISTS reviews_recent_answers ON reviews (day, card_id, grade) "
               "WHERE grade IS NOT NULL AND source IN ('review', 'quiz')")
    db.execute("CREATE INDEX IF NOT EXISTS reviews_undoes ON reviews (undoes) WHERE undoes IS NOT NULL")
    # Statistics read learned cards through a narrow index, not their text pages (hardest, weak,
    # E-Factor bands). It holds learned cards only: new cards cost nothing. (An index of every
    # card's placement would speed progress up, at ~80 bytes a card: the database must stay
    # within ~10x its notes, tests/test_sync_scale.py.)
    db.execute("CREATE INDEX IF NOT EXISTS cards_learned ON cards (lapses DESC, ef, suspended) "
               "WHERE retired = 0 AND introduced IS NOT NULL")


def _v8_two_schedulers(db) -> None:
    """FSRS beside SM-2: SM-2's own due date (the queue's `due` is FSRS's while FSRS schedules),
    and a table of collection settings kept in the database (FSRS parameters, which scheduler
    the stored due dates came from)."""
    if "sm2_due" not in db["cards"].columns_dict:
        db["cards"].add_column("sm2_due", str)
        db.execute("UPDATE cards SET sm2_due = due")
    db["settings"].create({"key": str, "value": str}, pk="key", not_null={"value"},
                          if_not_exists=True)


Migration = Callable[[object], None]
MIGRATIONS: list[Migration] = [
    _v1_initial,
    _v2_sessions_and_edit_times,
    _v3_covering_due_index,
    _v4_lab_runs,
    _v5_exercise_labs,
    _v6_shared_cloze_texts,
    _v7_answer_days,
    _v8_two_schedulers,
]
LATEST_VERSION = len(MIGRATIONS)


class NewerSchemaError(RuntimeError):
    pass


def schema_version(conn: sqlite3.Connection) -> int:
    return conn.execute("PRAGMA user_version").fetchone()[0]


def migrate(conn: sqlite3.Connection, migrations: list[Migration] = MIGRATIONS) -> int:
    """Bring the database up to the newest schema; return the version it was at."""
    start = schema_version(conn)
    if start > len(migrations):
        raise NewerSchemaError(
            f"this database has schema version {start}, but this studyterm only knows "
            f"up to {len(migrations)}: upgrade studyterm"
        )
    if start == len(migrations):
        return start
    db = _sqlite_utils().Database(conn, execute_plugins=False)
    for version, migration in enumerate(migrations[start:], start=start + 1):
        with db.atomic():
            migration(db)
            conn.execute(f"PRAGMA user_version = {version}")
    return start


_OPTIONAL_IMPORTS = ("pandas", "numpy")
"""sqlite-utils imports these when they are installed, only to accept their values (studyterm
never passes any): with the optimizer extra they made creating a database ~0.5 s slower."""


def _sqlite_utils():
    """sqlite_utils, imported while pandas and numpy look absent to it (a None entry in
    sys.modules makes their import fail, which it expects); they stay importable afterwards."""
    hidden = [name for name in _OPTIONAL_IMPORTS if name not in sys.modules]
    for name in hidden:
        sys.modules[name] = None  # type: ignore[assignment]
    try:
        import sqlite_utils
    finally:
        for name in hidden:
            if sys.modules.get(name, False) is None:
                del sys.modules[name]
    return sqlite_utils
