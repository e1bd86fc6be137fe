"""Backups: one a study day without asking, `backup` on demand, and `restore` that checks the
backup, keeps what it replaces, and refuses while the collection is in use."""

import sqlite3

import pytest

from studyterm.collection import Collection
from studyterm.layout import Layout
from tests.conftest import ManualClock, write_note
from tests.store.test_health import wreck_page_of

DAY1, DAY2, DAY3 = "2026-11-21T10:00:00+00:00", "2026-11-22T10:00:00+00:00", "2026-11-23T10:00:00+00:00"


@pytest.fixture
def notes(collection_root):
    for index in range(30):
        write_note(collection_root, f"concepts/n{index}.md", f"Q: q{index}?\nA: a{index}\n")


def backup_names(root):
    folder = root / ".studyterm" / "backups"
    return sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []


def first_card(run, now):
    return run("due", "--json", now=now, json_out=True)["cards"][0]["id"]


def test_the_first_use_of_each_study_day_makes_one_backup_and_old_ones_go(run, notes, collection_root):
    (collection_root / "studyterm.toml").write_text("[backups]\nkeep = 2\n", encoding="utf-8")
    run("sync", now=DAY1)
    run("due", now="2026-11-21T23:00:00+00:00")
    assert backup_names(collection_root) == ["studyterm-2026-11-21_10-00-00.db"]
    run("due", now=DAY2)
    run("due", now=DAY3)
    assert backup_names(collection_root) == ["studyterm-2026-11-22_10-00-00.db", "studyterm-2026-11-23_10-00-00.db"]


def test_keep_zero_turns_automatic_backups_off(run, notes, collection_root):
    (collection_root / "studyterm.toml").write_text("[backups]\nkeep = 0\n", encoding="utf-8")
    run("sync")
    assert backup_names(collection_root) == []
    bad = collection_root / "studyterm.toml"
    bad.write_text("[backups]\nkeep = -1\n", encoding="utf-8")
    result = run("sync")
    assert result.exit_code == 1 and "backups.keep must be a whole number >= 0" in result.output


def test_backup_on_the_first_use_of_a_day_makes_just_one(run, notes, collection_root):
    shape = run("backup", "--json", json_out=True)
    assert backup_names(collection_root) == [shape["backup"]["name"]]


def test_backup_makes_one_now(run, notes, collection_root):
    run("sync")
    shape = run("backup", "--json", now="2026-11-21T11:30:00+00:00", json_out=True)
    assert shape["backup"]["name"] == "studyterm-2026-11-21_11-30-00.db"
    assert shape["backup"]["size"] > 0 and shape["removed"] == []
    listed = run("restore", "--json", json_out=True)
    assert [b["name"] for b in listed["backups"]] == ["studyterm-2026-11-21_11-30-00.db", "studyterm-2026-11-21_10-00-00.db"]
    assert listed["backups"][0]["cards"] == 30
    text = run("restore").output
    assert "studyterm-2026-11-21_11-30-00.db" in text and "30 cards" in text


def test_restore_brings_back_yesterday_after_the_database_is_damaged(run, notes, collection_root):
    run("sync", now=DAY1)
    kept = first_card(run, DAY1)
    assert run("answer", kept, "4", now=DAY1).exit_code == 0
    run("due", now=DAY2)  # day 2's backup holds day 1's answer
    lost = first_card(run, DAY2)
    assert run("answer", lost, "5", now=DAY2).exit_code == 0
    db = Layout(collection_root).db_path
    wreck_page_of(db, "idx_problems_path")

    refused = run("answer", kept, "3", "--force", now=DAY2)
    assert refused.exit_code == 1
    assert "damaged" in refused.output and "studyterm restore studyterm-2026-11-22_10-00-00.db" in refused.output

    shape = run("restore", "studyterm-2026-11-22_10-00-00.db", "--json", now=DAY2, json_out=True)
    assert shape["reviews"] == 1 and shape["cards"] == 30
    assert shape["kept_aside"].endswith("backups/replaced-2026-11-22_10-00-00.db")
    history = run("card", kept, "--json", now=DAY2, json_out=True)["history"]
    assert [(h["day"], h["grade"]) for h in history] == [("2026-11-21", 4)]
    assert run("answer", lost, "5", now=DAY2).exit_code == 0  # writable again
    listed = run("restore", "--json", now=DAY2, json_out=True)["backups"]
    assert any(b["replaced"] for b in listed)


def test_restore_refuses_a_damaged_backup_and_changes_nothing(run, notes, collection_root):
    run("sync")
    shape = run("backup", "--json", now="2026-11-21T11:00:00+00:00", json_out=True)
    backup = collection_root / ".studyterm/backups" / shape["backup"]["name"]
    wreck_page_of(backup, "idx_problems_path")
    db = Layout(collection_root).db_path
    before = db.read_bytes()
    result = run("restore", backup.name)
    assert result.exit_code == 1 and "is damaged" in result.output and "choose another" in result.output
    assert db.read_bytes() == before
    assert not [n for n in backup_names(collection_root) if n.startswith("replaced-")]


def test_restore_refuses_while_the_collection_is_open(run, notes, collection_root):
    run("sync")
    with Collection.open(Layout(collection_root), ManualClock()) as open_elsewhere:
        open_elsewhere.counts()
        result = run("restore", "studyterm-2026-11-21_10-00-00.db")
        assert result.exit_code == 1 and "in use" in result.output
    assert run("restore", "studyterm-2026-11-21_10-00-00.db").exit_code == 0


def test_a_deleted_database_is_not_silently_replaced_when_backups_exist(run, notes, collection_root):
    run("sync")
    answered = first_card(run, DAY1)
    run("answer", answered, "4")
    run("backup", now="2026-11-21T12:00:00+00:00")
    db = Layout(collection_root).db_path
    db.unlink()
    result = run("due")
    assert result.exit_code == 1
    assert "is missing" in result.output and "studyterm restore studyterm-2026-11-21_12-00-00.db" in result.output
    assert not db.exists()
    assert run("restore", "studyterm-2026-11-21_12-00-00.db").exit_code == 0
    assert len(run("card", answered, "--json", json_out=True)["history"]) == 1


def test_an_emptied_database_is_refused_and_restorable(run, notes, collection_root):
    run("sync")
    db = Layout(collection_root).db_path
    db.write_bytes(b"")
    result = run("due")
    assert result.exit_code == 1 and "empty (0 bytes)" in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert run("restore", "studyterm-2026-11-21_10-00-00.db").exit_code == 0
    assert run("due", "--json", json_out=True)["counts"]["new"] == 20


def test_backups_are_self_contained_sqlite_files(run, notes, collection_root):
    run("sync")
    (name,) = backup_names(collection_root)
    path = collection_root / ".studyterm/backups" / name
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        conn.close()
