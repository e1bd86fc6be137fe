"""The Store: every read and write of the collection's SQLite database.

One connection per Store, in WAL mode; every write is one transaction (`BEGIN IMMEDIATE`, so a
concurrent writer waits instead of failing half way). An answer reads the card, lets the
scheduler decide and writes the card and the review log inside the same transaction.

Opening refuses an emptied or damaged file (store/health.py), and a database error becomes a
one-line StoreError naming the file; once damage is seen, nothing more is written.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path

from studyterm.notes.identity import KnownCard
from studyterm.notes.model import Problem, Severity
from studyterm.schedule.review import CardSchedule
from studyterm.store import backups, health, opening
from studyterm.store.cold import ColdWriter
from studyterm.store.errors import AmbiguousCardError, CardNotFoundError, StoreError
from studyterm.store.filters import ACTIVE, NOT_BURIED, deck_filter
from studyterm.store.records import CardRecord, NewReview, NoteFile, ReviewEntry, SyncChanges
from studyterm.store.rows import (
    CARD_COLUMNS,
    INSERT_CARD,
    INSERT_NOTE,
    INSERT_PROBLEM,
    INSERT_TEXT,
    REVIEW_COLUMNS,
    TEXT_KEY,
    card_from_row,
    content_values,
    edit_time,
    entry_from_new,
    entry_from_row,
    insert_review,
    note_values,
    problem_values,
    schedule_from_snapshot,
    write_schedule,
)

_BATCH = 500
_KNOWN_COLUMNS = "id, note_path, kind, question, answer, cloze_group, content_key, text_key"


__all__ = ["AmbiguousCardError", "CardNotFoundError", "Store", "StoreError"]


def _is_storage(error: sqlite3.DatabaseError) -> bool:
    """What a damaged, full, read-only or locked database raises: OperationalError and plain
    DatabaseError. IntegrityError (a constraint or the append-only trigger) and ProgrammingError
    are bugs, left to surface as themselves."""
    return isinstance(error, sqlite3.OperationalError) or type(error) is sqlite3.DatabaseError


class Store:
    def __init__(self, conn: sqlite3.Connection, path: Path | None = None) -> None:
        self.conn = conn
        self.path = path
        self._lock = threading.RLock()
        self.damage: str | None = None
        """Set when a statement met a damaged file: every later write is refused with it."""
        self.checked_on_open = False
        """Whether opening ran the full quick_check (the file was not as last left)."""

    @classmethod
    def open(cls, path: Path | str) -> Store:
        """Open (creating and migrating if needed) the database at `path`; ':memory:' works."""
        if str(path) == ":memory:":
            return cls(opening.open_in_memory(), None)
        conn, checked = opening.open_database(Path(path))
        store = cls(conn, Path(path))
        store.checked_on_open = checked
        return store

    def close(self) -> None:
        with self._lock:
            self.conn.close()
            if self.path is not None and self.damage is None:
                health.mark_clean(self.path)

    def backup(self, taken: datetime) -> backups.Backup:
        """A consistent copy of the database in .studyterm/backups/ (store/backups.py)."""
        if self.path is None:
            raise StoreError("an in-memory database has no backups")
        self._refuse_if_damaged()
        with self._lock:
            try:
                return backups.make(self.conn, self.path, taken)
            except sqlite3.DatabaseError as error:
                raise self._translate(error) from None
            except OSError as error:
                raise StoreError(
                    f"cannot write a backup in {backups.folder(self.path)}: {error.strerror or error}"
                ) from None

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One write, all or nothing; a database error leaves as a one-line StoreError."""
        self._refuse_if_damaged()
        with self._lock:
            try:
                self.conn.execute("BEGIN IMMEDIATE")
                try:
                    yield self.conn
                    self.conn.execute("COMMIT")
                except BaseException:
                    if self.conn.in_transaction:
                        self.conn.execute("ROLLBACK")
                    raise
            except sqlite3.DatabaseError as error:
                if not _is_storage(error):
                    raise
                raise self._translate(error) from None

    def query(self, sql: str, params: Sequence | dict = ()) -> list[tuple]:
        """Run a read query under the store's lock and return all rows."""
        with self._lock:
            try:
                return self.conn.execute(sql, params).fetchall()
            except sqlite3.DatabaseError as error:
                if not _is_storage(error):
                    raise
                raise self._translate(error) from None

    def _refuse_if_damaged(self) -> None:
        if self.damage is not None:
            raise StoreError(self.damage)

    def _translate(self, error: sqlite3.Error) -> StoreError:
        """The StoreError for a failed statement; damage is remembered, so nothing more is
        written and the next open checks the file in full."""
        message = health.failure_message(self.path or Path(":memory:"), error)
        if health.is_damage(error):
            self.damage = message
        return StoreError(message)

    # -- notes and sync ----------------------------------------------------------------------

    def note_index(self) -> dict[str, NoteFile]:
        rows = self.query("SELECT path, mtime_ns, size, digest FROM notes")
        return {row[0]: NoteFile(*row) for row in rows}

    def known_cards(self, note_paths: Iterable[str]) -> dict[str, list[KnownCard]]:
        """The active cards of these notes, in note order."""
        found: dict[str, list[KnownCard]] = defaultdict(list)
        sql = (
            f"SELECT {_KNOWN_COLUMNS} FROM cards "
            "WHERE retired = 0 AND note_path IN ({}) ORDER BY note_path, line, cloze_group"
        )
        for card in self._known(sql, list(note_paths)):
            found[card.note_path].append(card)
        return dict(found)

    def retired_by_key(self, keys: Iterable[str]) -> dict[str, list[KnownCard]]:
        """Retired cards with these content keys; one indexed probe when none are retired at all
        (a cold sync asks about 100,000 keys)."""
        found: dict[str, list[KnownCard]] = defaultdict(list)
        if not self.query("SELECT 1 FROM cards WHERE retired = 1 LIMIT 1"):
            return {}
        sql = f"SELECT {_KNOWN_COLUMNS} FROM cards WHERE retired = 1 AND content_key IN ({{}}) ORDER BY position"
        for card in self._known(sql, sorted(set(keys))):
            found[card.key].append(card)
        return dict(found)

    def _known(self, sql: str, values: list) -> list[KnownCard]:
        """KnownCards; the groups of one cloze paragraph share one question string, so a
        2,000-group paragraph is read (and later compared) once, not once per group."""
        rows = list(self._in_batches(sql, values))
        wanted = sorted({row[-1] for row in rows if row[-1] is not None})
        texts = dict(self._in_batches("SELECT key, text FROM texts WHERE key IN ({})", wanted))
        return [
            KnownCard(*row[:3], texts.get(row[-1], row[3]) if row[-1] else row[3], *row[4:-1])
            for row in rows
        ]

    def _in_batches(self, sql: str, values: list) -> Iterator[tuple]:
        for start in range(0, len(values), _BATCH):
            chunk = values[start : start + _BATCH]
            yield from self.query(sql.format(", ".join("?" * len(chunk))), chunk)

    def is_empty(self) -> bool:
        """No notes and no cards, retired ones included: a sync has nothing to match against."""
        return not self.query("SELECT 1 FROM notes UNION ALL SELECT 1 FROM cards LIMIT 1")

    @contextmanager
    def cold_sync(self, now: datetime) -> Iterator[ColdWriter]:
        """One transaction for a sync into an empty store (is_empty), written as it is planned
        (store/cold.py); what is still held is written when the block ends."""
        with self.transaction() as conn:
            writer = ColdWriter(conn, now)
            yield writer
            writer.flush()

    def card_ids(self) -> set[str]:
        return {row[0] for row in self.query("SELECT id FROM cards")}

    def apply_sync(self, changes: SyncChanges, now: datetime) -> None:
        """Write one sync's changes in a single transaction."""
        created_at = now.isoformat(timespec="seconds")
        edited = {n.path: edit_time(n.mtime_ns, now) for n in changes.notes}
        updated = [content_values(c) for c in changes.updated]
        created = [content_values(c) for c in changes.created]
        texts = {
            row[TEXT_KEY]: card.question
            for rows, cards in ((updated, changes.updated), (created, changes.created))
            for row, card in zip(rows, cards, strict=True)
            if row[TEXT_KEY]
        }
        with self.transaction() as conn:
            conn.executemany(INSERT_TEXT, texts.items())
            conn.executemany(INSERT_NOTE, [note_values(n) for n in changes.notes])
            conn.executemany(
                "UPDATE notes SET mtime_ns = ?, size = ? WHERE path = ?",
                [(n.mtime_ns, n.size, n.path) for n in changes.touched],
            )
            conn.executemany("DELETE FROM notes WHERE path = ?", [(p,) for p in changes.deleted_notes])
            replaced = [*changes.problems, *changes.deleted_notes]
            conn.executemany("DELETE FROM problems WHERE path = ?", [(p,) for p in replaced])
            conn.executemany(
                INSERT_PROBLEM,
                [row for path, problems in changes.problems.items() for row in problem_values(path, problems)],
            )
            conn.executemany(
                "UPDATE cards SET edited_at = CASE WHEN content_key = ? THEN edited_at ELSE ? END, "
                "note_path = ?, line = ?, kind = ?, question = ?, answer = ?, cloze_group = ?, "
                "deck = ?, tags = ?, lab = ?, content_key = ?, text_key = ?, retired = 0 WHERE id = ?",
                [
                    (c.key, edited.get(c.note_path, created_at), *row[1:], c.id)
                    for c, row in zip(changes.updated, updated, strict=True)
                ],
            )
            first = conn.execute("SELECT coalesce(max(position), 0) FROM cards").fetchone()[0] + 1
            conn.executemany(
                INSERT_CARD,
                [
                    (*row, first + offset, created_at, edited.get(c.note_path, created_at))
                    for offset, (c, row) in enumerate(zip(changes.created, created, strict=True))
                ],
            )
            conn.executemany(
                "UPDATE cards SET retired = 1 WHERE id = ?", [(i,) for i in changes.retired]
            )
            if any(row[TEXT_KEY] for row in updated):  # a paragraph no card points at now
                conn.execute(
                    "DELETE FROM texts WHERE key NOT IN "
                    "(SELECT text_key FROM cards WHERE text_key IS NOT NULL)"
                )

    def problems(self) -> list[tuple[str, Problem]]:
        rows = self.query("SELECT path, line, severity, message FROM problems ORDER BY path, line")
        return [(path, Problem(line, message, Severity(sev))) for path, line, sev, message in rows]

    # -- cards -------------------------------------------------------------------------------

    def resolve_card_id(self, prefix: str) -> str:
        """The full id of the card whose id starts with `prefix` (as git does for commits)."""
        prefix = prefix.strip().lower()
        if not prefix:
            raise CardNotFoundError("no card id given")
        rows = self.query(
            "SELECT id FROM cards WHERE id >= ? AND id < ? ORDER BY id LIMIT 2",
            (prefix, prefix + "\U0010ffff"),
        )
        if not rows:
            raise CardNotFoundError(f"no card with id {prefix!r}")
        if len(rows) > 1:
            raise AmbiguousCardError(f"card id {prefix!r} is ambiguous; give more characters")
        return rows[0][0]

    def card(self, card_id: str) -> CardRecord:
        rows = self.query(f"SELECT {CARD_COLUMNS} FROM cards WHERE id = ?", (card_id,))
        if not rows:
            raise CardNotFoundError(f"no card with id {card_id!r}")
        return card_from_row(rows[0])

    def cards(self, card_ids: Sequence[str]) -> list[CardRecord]:
        """The cards with these ids, in the order given."""
        sql = f"SELECT {CARD_COLUMNS} FROM cards WHERE id IN ({{}})"
        by_id = {row[0]: card_from_row(row) for row in self._in_batches(sql, list(card_ids))}
        return [by_id[i] for i in card_ids if i in by_id]

    def card_count(self) -> int:
        return self.query("SELECT count(*) FROM cards WHERE retired = 0")[0][0]

    def has_pictures(self) -> bool:
        """Whether any active card links a picture (`![...](...)`): only then does the app ask
        the terminal what it can draw, which costs start-up time."""
        return bool(self.query(
            "SELECT 1 FROM cards WHERE retired = 0 AND (instr(question, '![') > 0 "
            "OR instr(answer, '![') > 0) LIMIT 1"
        ))

    def ever_synced(self) -> bool:
        return bool(self.query("SELECT 1 FROM notes LIMIT 1"))

    def set_suspended(self, card_ids: Sequence[str], suspended: bool) -> None:
        with self.transaction() as conn:
            conn.executemany(
                "UPDATE cards SET suspended = ? WHERE id = ?", [(int(suspended), i) for i in card_ids]
            )

    def set_buried_until(self, card_ids: Sequence[str], until: date | None) -> None:
        value = until.isoformat() if until else None
        with self.transaction() as conn:
            conn.executemany(
                "UPDATE cards SET buried_until = ? WHERE id = ?", [(value, i) for i in card_ids]
            )

    def set_flagged(self, card_ids: Sequence[str], flagged: bool) -> None:
        with self.transaction() as conn:
            conn.executemany(
                "UPDATE cards SET flagged = ? WHERE id = ?", [(int(flagged), i) for i in card_ids]
            )

    # -- the queue (schedule.queue.CardSource) -----------------------------------------------

    def due_review_ids(self, day: date, deck: str | None, limit: int | None) -> list[str]:
        deck_sql, params = deck_filter(deck, day)
        rows = self.query(
            f"SELECT id FROM cards WHERE {ACTIVE} AND due IS NOT NULL AND due <= :day "
            f"AND {NOT_BURIED} AND (repeat_day IS NULL OR repeat_day != :day) {deck_sql} "
            f"ORDER BY due, position LIMIT :limit",
            {**params, "limit": -1 if limit is None else limit},
        )
        return [row[0] for row in rows]

    def due_review_count(self, day: date, deck: str | None) -> int:
        deck_sql, params = deck_filter(deck, day)
        return self.query(
            f"SELECT count(*) FROM cards WHERE {ACTIVE} AND due IS NOT NULL AND due <= :day "
            f"AND {NOT_BURIED} AND (repeat_day IS NULL OR repeat_day != :day) {deck_sql}",
            params,
        )[0][0]

    def new_card_ids(self, day: date, deck: str | None, limit: int | None) -> list[str]:
        deck_sql, params = deck_filter(deck, day)
        rows = self.query(
            f"SELECT id FROM cards WHERE {ACTIVE} AND introduced IS NULL AND {NOT_BURIED} "
            f"{deck_sql} ORDER BY position LIMIT :limit",
            {**params, "limit": -1 if limit is None else limit},
        )
        return [row[0] for row in rows]

    def new_card_count(self, day: date, deck: str | None, limit: int) -> int:
        deck_sql, params = deck_filter(deck, day)
        return self.query(
            f"SELECT count(*) FROM (SELECT 1 FROM cards WHERE {ACTIVE} AND introduced IS NULL "
            f"AND {NOT_BURIED} {deck_sql} LIMIT :limit)",
            {**params, "limit": limit},
        )[0][0]

    def repeat_ids(self, day: date, deck: str | None, limit: int | None) -> list[str]:
        deck_sql, params = deck_filter(deck, day)
        rows = self.query(
            f"SELECT id FROM cards WHERE repeat_day = :day AND {ACTIVE} AND {NOT_BURIED} "
            f"{deck_sql} ORDER BY last_answered, position LIMIT :limit",
            {**params, "limit": -1 if limit is None else limit},
        )
        return [row[0] for row in rows]

    def repeat_count(self, day: date, deck: str | None) -> int:
        deck_sql, params = deck_filter(deck, day)
        return self.query(
            f"SELECT count(*) FROM cards WHERE repeat_day = :day AND {ACTIVE} AND {NOT_BURIED} "
            f"{deck_sql}",
            params,
        )[0][0]

    def introduced_count(self, day: date, deck: str | None = None) -> int:
        deck_sql, params = deck_filter(deck, day)
        return self.query(
            f"SELECT count(*) FROM cards WHERE introduced = :day {deck_sql}", params
        )[0][0]

    def reviewed_count(self, day: date, deck: str | None = None) -> int:
        """Cards answered on `day` as due reviews (SM-2 answers to cards that were not new),
        answers since undone left out: what a daily review limit counts."""
        deck_sql, params = deck_filter(deck, day)
        return self.query(
            "SELECT count(DISTINCT card_id) FROM reviews WHERE day = :day AND kind = 'scheduled' "
            "AND due_before IS NOT NULL AND grade IS NOT NULL "
            "AND id NOT IN (SELECT undoes FROM reviews WHERE undoes IS NOT NULL AND day = :day) "
            f"AND card_id IN (SELECT id FROM cards WHERE 1 {deck_sql})",
            params,
        )[0][0]

    def card_decks(self, card_ids: list[str]) -> dict[str, str]:
        """Each card's deck (the queue's per-deck limits need them)."""
        return dict(self._in_batches("SELECT id, deck FROM cards WHERE id IN ({})", list(card_ids)))

    # -- answers and the review log ----------------------------------------------------------

    def record(self, card_id: str, decide: Callable[[CardRecord], NewReview]) -> ReviewEntry:
        """Read the card, let `decide` (the scheduler) build the log entry, and write the new
        schedule and the entry, all in one transaction."""
        with self.transaction() as conn:
            rows = conn.execute(f"SELECT {CARD_COLUMNS} FROM cards WHERE id = ?", (card_id,))
            row = rows.fetchone()
            if row is None:
                raise CardNotFoundError(f"no card with id {card_id!r}")
            review = decide(card_from_row(row))
            write_schedule(conn, card_id, review.after)
            review_id = insert_review(conn, review)
        return entry_from_new(review_id, review)

    def history(self, card_id: str) -> list[ReviewEntry]:
        rows = self.query(
            f"SELECT {REVIEW_COLUMNS} FROM reviews WHERE card_id = ? ORDER BY id",
            (card_id,),
        )
        return [entry_from_row(row) for row in rows]

    def latest_effective_review(self, card_id: str) -> int | None:
        """The id of the card's newest review that has not been undone, if any."""
        rows = self.query(
            "SELECT id FROM reviews WHERE card_id = :card AND kind != 'undo' AND id NOT IN "
            "(SELECT undoes FROM reviews WHERE card_id = :card AND undoes IS NOT NULL) "
            "ORDER BY id DESC LIMIT 1",
            {"card": card_id},
        )
        return rows[0][0] if rows else None

    def undo(self, review_id: int, make_entry: Callable[[CardRecord, CardSchedule], NewReview]) -> ReviewEntry:
        """Restore the schedule saved with review `review_id` and log an undo entry; the card
        takes the entry's `after` (the restored schedule, its due date from the scheduler now on).

        Only the card's latest effective review can be undone, so the restored state is exactly
        the one that review started from."""
        with self.transaction() as conn:
            found = conn.execute(
                "SELECT card_id, snapshot, kind FROM reviews WHERE id = ?", (review_id,)
            ).fetchone()
            if found is None or found[2] == "undo":
                raise StoreError(f"no review {review_id} to undo")
            card_id, snapshot, _kind = found
            if self.latest_effective_review(card_id) != review_id:
                raise StoreError(f"review {review_id} is not the card's latest; undo newer ones first")
            row = conn.execute(f"SELECT {CARD_COLUMNS} FROM cards WHERE id = ?", (card_id,)).fetchone()
            restored = schedule_from_snapshot(json.loads(snapshot))
            review = make_entry(card_from_row(row), restored)
            write_schedule(conn, card_id, review.after)
            new_id = insert_review(conn, review)
        return entry_from_new(new_id, review)

