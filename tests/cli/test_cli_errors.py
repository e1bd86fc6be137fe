"""No traceback ever reaches a user: every failure of the real `studyterm` command (a child
process, as a learner runs it) is one line on stderr and exit status 1 (2 for a bad option),
and nothing is half written."""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path

import pytest

from studyterm.collection import Collection
from studyterm.layout import Layout
from tests.conftest import ManualClock, write_note
from tests.limits import one_line_error, read_only, studyterm

NOW = "2026-11-21T10:00:00+00:00"

# The disk fills up right after the collection is opened (and today's backup made): from then
# on no file can grow by a byte (RLIMIT_FSIZE, so it works for any user on any machine).
FULL_DISK = """
import resource, sys
from studyterm.cli import context, main
opened = context.Context.collection.fget
def full_disk_once_open(self):
    collection = opened(self)
    resource.setrlimit(resource.RLIMIT_FSIZE, (0, resource.getrlimit(resource.RLIMIT_FSIZE)[1]))
    return collection
context.Context.collection = property(full_disk_once_open)
sys.argv[0] = "studyterm"
main()
"""

# A bug anywhere in a command: the safety net must still print one line.
BUG = """
import sys
from studyterm import collection
def broken(self, deck=None):
    raise ZeroDivisionError("a bug in counting")
collection.Collection.counts = broken
from studyterm.cli import main
sys.argv[0] = "studyterm"
main()
"""


def st(root: Path, *args: str, **options):
    return studyterm("--collection", str(root), "--now", NOW, *args, **options)


def driven(script: str, root: Path, *args: str, env: dict | None = None):
    import os
    import subprocess

    return subprocess.run(
        [sys.executable, "-c", script, "--collection", str(root), "--now", NOW, *args],
        capture_output=True, text=True, timeout=60, env={**os.environ, "STUDYTERM_DEBUG": "", **(env or {})},
    )


@pytest.fixture
def synced(collection_root: Path) -> Path:
    for index in range(60):
        write_note(collection_root, f"concepts/n{index}.md", f"Q: question {index}?\nA: answer {index}\n")
    with Collection.open(Layout(collection_root), ManualClock(NOW)) as collection:
        collection.sync()
    return collection_root


def card_id(root: Path) -> str:
    with Collection.open(Layout(root), ManualClock(NOW)) as collection:
        return collection.next_card().card_id


def reviews(root: Path) -> int:
    conn = sqlite3.connect(Layout(root).db_path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        return conn.execute("SELECT count(*) FROM reviews").fetchone()[0]
    finally:
        conn.close()


def test_a_full_disk_during_an_answer_is_one_line_and_loses_nothing(synced):
    card = card_id(synced)
    error = one_line_error(driven(FULL_DISK, synced, "answer", card, "4"))
    assert "cannot use the database" in error and "nothing was changed" in error
    assert reviews(synced) == 0
    assert st(synced, "answer", card, "4").returncode == 0  # space again: it works
    assert reviews(synced) == 1


def test_a_full_disk_during_sync_is_one_line_and_keeps_the_old_state(synced):
    for index in range(60, 200):
        write_note(synced, f"concepts/m{index}.md", f"Q: more {index}?\nA: yes {index}\n")
    error = one_line_error(driven(FULL_DISK, synced, "sync"))
    assert "cannot use the database" in error
    conn = sqlite3.connect(Layout(synced).db_path)
    try:
        assert conn.execute("SELECT count(*) FROM cards").fetchone()[0] == 60
    finally:
        conn.close()
    assert st(synced, "sync").returncode == 0


def test_a_full_disk_during_export_leaves_no_partial_file(synced):
    error = one_line_error(driven(FULL_DISK, synced, "export", "--no-sync"))
    assert "cannot write" in error and "all.apkg" in error
    assert sorted(p.name for p in (synced / "decks").iterdir()) == []


def test_a_read_only_database_file_is_one_line(synced):
    card = card_id(synced)
    with read_only(Layout(synced).db_path):
        error = one_line_error(st(synced, "answer", card, "4"))
    assert "studyterm.db" in error
    assert reviews(synced) == 0


@pytest.mark.parametrize("open_elsewhere", [False, True], ids=["closed", "open-elsewhere"])
def test_a_read_only_state_folder_is_one_line(synced, open_elsewhere):
    """Closed, the database cannot even be opened (its WAL cannot be created); open in another
    process (its WAL files exist), it opens, the write fails, and so does the clean-close stamp."""
    card = card_id(synced)
    other = sqlite3.connect(Layout(synced).db_path) if open_elsewhere else None
    try:
        if other is not None:
            other.execute("SELECT count(*) FROM cards").fetchone()
        with read_only(Layout(synced).state_dir):
            error = one_line_error(st(synced, "answer", card, "4"))
    finally:
        if other is not None:
            other.close()
    assert ".studyterm" in error
    assert reviews(synced) == 0


def test_a_read_only_collection_is_one_line(collection_root):
    write_note(collection_root, "concepts/a.md", "Q: q?\nA: a\n")
    with read_only(collection_root):
        error = one_line_error(st(collection_root, "sync"))
    assert "cannot create the database" in error
    assert not (collection_root / ".studyterm").exists()


def test_a_nan_duration_is_a_usage_error(synced):
    result = st(synced, "answer", card_id(synced), "4", "--duration", "nan")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "--duration" in result.stderr
    assert reviews(synced) == 0


@pytest.mark.parametrize("moment", ["0001-01-01T10:00", "9999-12-31T10:00", "0001-01-01T00:00+14:00"])
def test_now_at_the_ends_of_the_calendar_is_a_usage_error(synced, moment):
    result = studyterm("--collection", str(synced), "--now", moment, "due")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "--now" in result.stderr


def test_a_5000_character_collection_path_is_one_line(tmp_path):
    error = one_line_error(studyterm("--collection", str(tmp_path / ("x" * 5000)), "sync"))
    assert "name too long" in error.lower() or "not a studyterm collection" in error


def test_an_unexpected_error_is_one_line_with_a_pointer_to_debug(synced):
    error = one_line_error(driven(BUG, synced, "due"))
    assert "ZeroDivisionError: a bug in counting" in error and "--debug" in error
    shown = driven(BUG, synced, "--debug", "due")
    assert "Traceback" in shown.stderr and "ZeroDivisionError" in shown.stderr
    assert "Traceback" in driven(BUG, synced, "due", env={"STUDYTERM_DEBUG": "1"}).stderr


def test_reviewing_ahead_again_and_again_never_overflows_the_calendar(synced):
    from click.testing import CliRunner

    from studyterm.cli import cli

    card = card_id(synced)
    runner = CliRunner()
    for _ in range(20):  # without a cap the interval passed the end of the calendar by the 18th
        result = runner.invoke(cli, ["--collection", str(synced), "--now", NOW, "answer", card, "5", "--force"])
        assert result.exit_code == 0, result.output
    assert "interval 36500 days" in result.output


def test_a_reader_that_goes_away_ends_the_command_quietly(synced):
    """`studyterm due | head -1`: the pipe closes before studyterm writes."""
    import os
    import subprocess

    child = subprocess.Popen(
        [sys.executable, "-m", "studyterm", "--collection", str(synced), "--now", NOW, "due", "--no-sync"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env={**os.environ, "STUDYTERM_DEBUG": ""},
    )
    child.stdout.close()
    with child.stderr:
        err = child.stderr.read()
    child.wait(timeout=60)
    assert child.returncode == 141
    assert err == ""
