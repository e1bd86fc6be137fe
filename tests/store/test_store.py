"""The store: schema versions, WAL, the append-only review log, all-or-nothing writes."""

import sqlite3
from datetime import UTC, date, datetime

import pytest

from studyterm.schedule.review import CardSchedule
from studyterm.store import Store, StoreError, SyncChanges
from studyterm.store.records import CardContent, NewReview
from studyterm.store.schema import LATEST_VERSION, migrate, schema_version

NOW = datetime(2026, 11, 21, 10, tzinfo=UTC)


def content(card_id, question="q?", note="concepts/a.md"):
    return CardContent(card_id, note, 1, "basic", question, "a", None, "default", (), None, "key-" + card_id)


@pytest.fixture
def store(tmp_path):
    with Store.open(tmp_path / ".studyterm" / "studyterm.db") as opened:
        yield opened


def test_new_database_is_at_the_latest_version_in_wal_mode(store):
    assert schema_version(store.conn) == LATEST_VERSION
    assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_migrations_run_once_and_in_order(tmp_path):
    conn = sqlite3.connect(tmp_path / "m.db", isolation_level=None)
    calls = []
    steps = [lambda db: calls.append(1), lambda db: calls.append(2)]
    assert migrate(conn, steps) == 0
    assert migrate(conn, steps) == 2
    assert calls == [1, 2] and schema_version(conn) == 2


def test_a_failing_migration_leaves_the_previous_version(tmp_path):
    conn = sqlite3.connect(tmp_path / "m.db", isolation_level=None)

    def broken(db):
        db.execute("CREATE TABLE half_done (x)")
        raise RuntimeError("crash in the middle")

    with pytest.raises(RuntimeError):
        migrate(conn, [lambda db: None, broken])
    assert schema_version(conn) == 1
    assert conn.execute("SELECT name FROM sqlite_master WHERE name = 'half_done'").fetchall() == []


def test_a_database_from_a_newer_studyterm_is_refused(tmp_path):
    path = tmp_path / "new.db"
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {LATEST_VERSION + 1}")
    conn.close()
    with pytest.raises(StoreError, match="upgrade studyterm"):
        Store.open(path)


def test_garbage_file_is_a_clear_error(tmp_path):
    path = tmp_path / "junk.db"
    path.write_bytes(b"this is not a database" * 100)
    with pytest.raises(StoreError, match=r"junk.db is damaged \(file is not a database\)"):
        Store.open(path)


def review_of(card, grade=5):
    return NewReview(
        card_id=card.id, ts=NOW, day=date(2026, 11, 21), grade=grade, duration_ms=1000,
        source="review", kind="scheduled", before=card.schedule,
        after=CardSchedule(due=date(2026, 11, 22), introduced=date(2026, 11, 21)),
    )


def test_review_log_is_append_only(store):
    store.apply_sync(SyncChanges(created=[content("c1")]), NOW)
    store.record("c1", review_of)
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        store.conn.execute("UPDATE reviews SET grade = 0")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        store.conn.execute("DELETE FROM reviews")
    assert [h.grade for h in store.history("c1")] == [5]


def test_answer_is_all_or_nothing(store):
    store.apply_sync(SyncChanges(created=[content("c1")]), NOW)

    def crash(card):
        raise RuntimeError("scheduler blew up")

    with pytest.raises(RuntimeError):
        store.record("c1", crash)
    assert store.history("c1") == [] and store.card("c1").schedule.is_new
    assert not store.conn.in_transaction


def test_sync_write_is_all_or_nothing(store):
    store.apply_sync(SyncChanges(created=[content("c1")]), NOW)
    with pytest.raises(sqlite3.IntegrityError):
        store.apply_sync(SyncChanges(created=[content("c2"), content("c1")]), NOW)
    assert store.card_ids() == {"c1"}


def test_card_id_prefixes_resolve_like_git(store):
    from studyterm.store import AmbiguousCardError, CardNotFoundError

    store.apply_sync(SyncChanges(created=[content("abc123"), content("abd456")]), NOW)
    assert store.resolve_card_id("abc") == "abc123"
    with pytest.raises(AmbiguousCardError):
        store.resolve_card_id("ab")
    with pytest.raises(CardNotFoundError):
        store.resolve_card_id("zz")


def test_positions_grow_across_syncs(store):
    store.apply_sync(SyncChanges(created=[content("c1"), content("c2")]), NOW)
    store.apply_sync(SyncChanges(created=[content("c3")]), NOW)
    assert [store.card(i).position for i in ("c1", "c2", "c3")] == [1, 2, 3]


def test_version_one_database_migrates_and_keeps_its_cards(tmp_path):
    from studyterm.store.schema import MIGRATIONS

    path = tmp_path / "old.db"
    conn = sqlite3.connect(path, isolation_level=None)
    migrate(conn, MIGRATIONS[:1])
    conn.execute(
        "INSERT INTO cards (id, note_path, line, position, kind, question, answer, deck, tags, "
        "content_key, created_at) VALUES ('c1', 'concepts/a.md', 1, 1, 'basic', 'q', 'a', "
        "'default', '[]', 'k', '2026-01-01T00:00:00+00:00')"
    )
    conn.close()
    with Store.open(path) as store:
        assert schema_version(store.conn) == LATEST_VERSION
        card = store.card("c1")
        assert card.edited_at == "2026-01-01T00:00:00+00:00"
        assert "session_id" in {row[1] for row in store.conn.execute("PRAGMA table_info(reviews)")}
