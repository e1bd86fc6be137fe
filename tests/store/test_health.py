"""A damaged, emptied or vanished database is noticed, never silently taken as a new collection,
and never written to; the message says how to recover."""

import os
import sqlite3
from pathlib import Path

import pytest

from studyterm.collection import Collection
from studyterm.layout import Layout
from studyterm.store import Store, StoreError
from tests.conftest import ManualClock, write_note


@pytest.fixture
def lived_in(collection_root: Path) -> Layout:
    """A collection with cards, one answer, and its database closed cleanly."""
    for index in range(40):
        write_note(collection_root, f"concepts/n{index}.md", f"Q: q{index}?\nA: a{index}\n")
    layout = Layout(collection_root)
    with Collection.open(layout, ManualClock()) as collection:
        collection.sync()
        collection.answer(collection.next_card().card_id, 4)
    return layout


def raw_count(db: Path, table: str) -> int:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    finally:
        conn.close()


def wreck_page_of(db: Path, index_name: str) -> None:
    """Overwrite the root page of one index with garbage, as a bad disk or a careless sync tool
    would; answering a card never reads that index."""
    conn = sqlite3.connect(db)
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    (root_page,) = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (index_name,)).fetchone()
    conn.close()
    with db.open("r+b") as file:
        file.seek((root_page - 1) * page_size)
        file.write(b"\xa5" * page_size)


def test_an_empty_database_file_is_refused_not_taken_as_new(lived_in):
    lived_in.db_path.write_bytes(b"")
    with pytest.raises(StoreError) as refused:
        Collection.open(lived_in, ManualClock())
    message = str(refused.value)
    assert "empty (0 bytes)" in message and str(lived_in.db_path) in message
    assert "\n" not in message
    assert lived_in.db_path.stat().st_size == 0  # nothing was written into it


def test_a_database_damaged_on_disk_refuses_answers(lived_in):
    wreck_page_of(lived_in.db_path, "idx_problems_path")
    reviews = raw_count(lived_in.db_path, "reviews")
    with pytest.raises(StoreError) as refused:
        with Collection.open(lived_in, ManualClock()) as collection:
            collection.answer(collection.next_card().card_id, 4)
    message = str(refused.value)
    assert "damaged" in message and str(lived_in.db_path) in message
    assert "studyterm restore" in message or "no backup" in message
    assert raw_count(lived_in.db_path, "reviews") == reviews


def test_damage_found_in_use_stops_every_later_write(lived_in):
    """Damage that the cheap open check cannot see (same size and time as at the last clean
    close) is caught at the first failing statement, and from then on nothing is written."""
    stat = lived_in.db_path.stat()
    wreck_page_of(lived_in.db_path, "idx_problems_path")
    os.utime(lived_in.db_path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    reviews = raw_count(lived_in.db_path, "reviews")
    collection = Collection.open(lived_in, ManualClock())
    try:
        write_note(lived_in.root, "concepts/n0.md", "---\ntags: [x]\n---\nQ: broken\n")
        with pytest.raises(StoreError, match="damaged"):
            collection.sync()  # rewrites the note's problems: reads the wrecked index
        card_id = collection.next_card().card_id
        with pytest.raises(StoreError, match="damaged"):
            collection.answer(card_id, 4)
    finally:
        collection.close()
    assert raw_count(lived_in.db_path, "reviews") == reviews
    with pytest.raises(StoreError, match="damaged"):
        Collection.open(lived_in, ManualClock())  # and the next open checks it in full


def test_only_a_database_changed_since_its_last_clean_close_gets_the_full_check(lived_in):
    """quick_check reads the whole file (about 65 ms for 100,000 cards): it runs only when the
    file is not as studyterm left it at its last clean close."""
    with Store.open(lived_in.db_path) as store:
        assert not store.checked_on_open
    stat = lived_in.db_path.stat()
    os.utime(lived_in.db_path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    with Store.open(lived_in.db_path) as store:
        assert store.checked_on_open
    with Store.open(lived_in.db_path) as store:
        assert not store.checked_on_open


def test_a_file_that_is_not_a_database_says_how_to_recover(lived_in):
    lived_in.db_path.write_bytes(b"this is not SQLite at all" * 200)
    with pytest.raises(StoreError) as refused:
        Collection.open(lived_in, ManualClock())
    assert "damaged" in str(refused.value)
    assert lived_in.db_path.read_bytes().startswith(b"this is not SQLite")


def test_a_new_database_is_never_left_empty(tmp_path):
    """A database is created under a temporary name and moved into place complete, so a
    crash while creating it cannot leave the 0-byte file that would then be refused."""
    db = tmp_path / ".studyterm" / "studyterm.db"
    with Store.open(db):
        pass
    assert db.read_bytes()[:16] == b"SQLite format 3\x00"
    assert sorted(p.name for p in db.parent.iterdir()) == ["studyterm.db", "studyterm.db.checked"]


def test_an_in_memory_store_is_migrated_and_needs_no_file():
    with Store.open(":memory:") as store:
        assert store.card_count() == 0 and store.path is None
