"""Packages built to crash or hang the import: deep JSON, impossible due dates and intervals, a
`notes` table that is a never-ending view. Each gives one clear error or a named warning and a
sane schedule, never a traceback, never a hang."""

from __future__ import annotations

import json
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
import zipfile
from datetime import timedelta
from pathlib import Path

import pytest

from studyterm.interop import InteropError, export_deck, import_file
from studyterm.interop.apkg_read import read_package
from studyterm.interop.foreign_db import ForeignQueryTimeout, open_read_only
from studyterm.schedule.sm2 import MAX_INTERVAL_DAYS
from tests.interop.test_bad_input import refused, rewrite

DEEP = "[" * 100_000 + "]" * 100_000
RECURSIVE_NOTES = """
DROP TABLE notes;
CREATE VIEW notes AS WITH RECURSIVE n(id, guid, mid, tags, flds) AS (
    SELECT 1, 'g', 1731000000101, '', 'q' || char(31) || 'a'
    UNION ALL SELECT id + 1, 'g' || id, mid, tags, flds FROM n
) SELECT * FROM n;
"""


@pytest.fixture
def package(sample, tmp_path) -> Path:
    """The sample collection with some progress, as an Anki package with scheduling."""
    for _ in range(3):
        sample.answer(sample.next_card().card_id, 4)
    return Path(export_deck(sample, "apkg", tmp_path / "good.apkg", with_scheduling=True).path)


def test_deeply_nested_json_in_the_collection_is_refused(other, package, tmp_path):
    for column in ("models", "decks", "conf"):
        deep = rewrite(package, tmp_path / f"deep-{column}.apkg", sql=f"UPDATE col SET {column} = '{DEEP}'")
        assert "nested too deeply" in refused(other, deep)


def test_deeply_nested_json_in_the_media_list_is_refused(other, package, tmp_path):
    deep = tmp_path / "deep-media.apkg"
    with zipfile.ZipFile(package) as good, zipfile.ZipFile(deep, "w") as out:
        for info in good.infolist():
            out.writestr(info, DEEP if info.filename == "media" else good.read(info))
    assert "nested too deeply" in refused(other, deep)


@pytest.mark.parametrize(
    ("change", "warned"),
    [
        # a learning card's due as Anki writes it after 2038: Unix seconds wrapped past 2^31
        ("type = 1, queue = 1, due = -2147000000", "impossible due value -2147000000"),
        ("type = 2, queue = 2, due = 2147483647", "impossible due value 2147483647"),
        ("type = 2, queue = 2, due = 99999999999999", "impossible due value 99999999999999"),
        ("type = 2, queue = 2, ivl = 2147483647", f"interval of 2147483647 days, kept as {MAX_INTERVAL_DAYS}"),
    ],
)
def test_out_of_range_schedules_become_a_warning_and_a_sane_schedule(other, package, tmp_path, change, warned):
    odd = rewrite(package, tmp_path / "odd.apkg", sql=f"UPDATE cards SET {change} WHERE reps > 0")
    result = import_file(other, odd)
    assert result.warnings and all(warned in w for w in result.warnings), result.warnings
    assert result.with_progress == 3
    today = other.today()
    for card in other.search():
        schedule = card.schedule
        if schedule.due is not None:
            assert today - timedelta(days=MAX_INTERVAL_DAYS) <= schedule.due <= today + timedelta(days=MAX_INTERVAL_DAYS)
        assert schedule.sm2.interval_days <= MAX_INTERVAL_DAYS
    card = next(c for c in other.search() if c.schedule.due is not None)
    other.answer(card.id, 5, force=True)  # and the card can be answered


def test_impossible_review_times_and_creation_time_are_warnings_too(other, package, tmp_path):
    odd = rewrite(package, tmp_path / "odd.apkg",
                  sql="UPDATE revlog SET id = 9223372036854775000 WHERE id = (SELECT min(id) FROM revlog);"
                      "UPDATE col SET crt = 9223372036854775000")
    result = import_file(other, odd)
    assert any("impossible time" in w for w in result.warnings), result.warnings
    assert any("creation time" in w for w in result.warnings), result.warnings


def test_the_cli_prints_the_warnings(package, tmp_path, other):
    from click.testing import CliRunner

    from studyterm.cli import cli

    odd = rewrite(package, tmp_path / "odd.apkg", sql="UPDATE cards SET due = -2147000000, type = 1 WHERE reps > 0")
    result = CliRunner().invoke(cli, ["--collection", str(other.layout.root), "import", str(odd), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["warnings"]


def test_a_notes_table_that_is_a_recursive_view_is_refused_at_once(other, package, tmp_path):
    evil = rewrite(package, tmp_path / "recursive.apkg", sql=RECURSIVE_NOTES)
    with zipfile.ZipFile(evil) as archive:  # a working view (the basic note type's id): endless
        (tmp_path / "c.sqlite").write_bytes(archive.read("collection.anki21"))
    conn = sqlite3.connect(tmp_path / "c.sqlite")
    assert conn.execute("SELECT count(*) FROM (SELECT * FROM notes LIMIT 5000)").fetchone() == (5000,)
    conn.close()
    started = time.monotonic()
    message = refused(other, evil)
    assert "notes" in message and "is a view" in message
    assert time.monotonic() - started < 10


def test_every_query_on_a_foreign_database_has_a_deadline(package, tmp_path):
    """The bound itself, on a real query that never ends."""
    database = tmp_path / "foreign.sqlite"
    sqlite3.connect(database).close()
    started = time.monotonic()
    with pytest.raises(ForeignQueryTimeout), open_read_only(database, seconds=0.5) as conn:
        conn.execute("WITH RECURSIVE r(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM r) SELECT x FROM r ORDER BY x").fetchall()
    assert time.monotonic() - started < 5
    many = rewrite(package, tmp_path / "many.apkg", sql=(
        "WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM r WHERE i < 20000) "
        "INSERT INTO revlog (id, cid, usn, ease, ivl, lastIvl, factor, time, type) "
        "SELECT 1700000000000 + i, 1, -1, 3, 1, 0, 2500, 1000, 1 FROM r"))
    assert read_package(many).notes
    with pytest.raises(InteropError, match="took longer than 0 s"):
        read_package(many, deadline_s=0)


def test_ctrl_c_stops_a_query_on_a_foreign_database_at_once(tmp_path):
    database = tmp_path / "foreign.sqlite"
    sqlite3.connect(database).close()
    child = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(f"""
            from studyterm.interop.foreign_db import open_read_only
            with open_read_only({str(database)!r}, seconds=600) as conn:
                print("querying", flush=True)
                conn.execute("WITH RECURSIVE r(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM r) "
                             "SELECT x FROM r ORDER BY x").fetchall()
        """)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    assert child.stdout.readline().strip() == "querying"
    time.sleep(0.5)
    child.send_signal(signal.SIGINT)
    try:
        _out, err = child.communicate(timeout=30)  # at once; a loaded machine may be slow to schedule it
    except subprocess.TimeoutExpired:
        child.kill()
        pytest.fail("Ctrl-C did not stop the query")
    assert child.returncode != 0 and "KeyboardInterrupt" in err
