"""A cold sync (studyterm/sync_cold.py) writes exactly what the matching path writes: the same
rows in cards, notes, problems and texts (rowids included) and the same report, on the sample
corpus, a synthetic one, notes with problems and random notes; in one process and across
workers. A failure half way leaves the database as it was."""

from __future__ import annotations

import gc
import hashlib
import os
import shutil
import sqlite3
import sys
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import studyterm.sync_cold
from studyterm import sync as sync_module
from studyterm.collection import Collection
from studyterm.gc_pause import paused_gc
from studyterm.layout import Layout
from studyterm.notes import identity, parallel
from studyterm.notes.files import NoteReadError, read_note_file
from studyterm.store import cold as cold_store
from tests.conftest import FIXTURE_COLLECTION, ManualClock, write_note
from tests.notes.test_parser_properties import markdownish

ROOT = Path(__file__).resolve().parent.parent
SYNC_COLD = studyterm.sync_cold.sync_cold
TABLES = {
    "cards": "SELECT rowid, * FROM cards ORDER BY rowid",
    "notes": "SELECT rowid, * FROM notes ORDER BY rowid",
    "problems": "SELECT rowid, * FROM problems ORDER BY rowid",
    "texts": "SELECT * FROM texts ORDER BY key",
}


def snapshot(root: Path, cold: bool, monkeypatch: pytest.MonkeyPatch) -> tuple[dict, object]:
    """Sync `root` into a fresh .studyterm/ one way; every table and the report."""
    shutil.rmtree(root / ".studyterm", ignore_errors=True)
    monkeypatch.setattr(sync_module, "COLD_SYNC", cold)
    went_cold: list[int] = []
    monkeypatch.setattr(studyterm.sync_cold, "sync_cold", _spy(SYNC_COLD, went_cold))
    with Collection.open(Layout(root), ManualClock("2026-11-21T10:00:00+02:00")) as collection:
        report = collection.sync()
        tables = {name: collection.store.conn.execute(sql).fetchall() for name, sql in TABLES.items()}
    assert bool(went_cold) == cold  # the way asked for is the way taken
    return tables, report


def _spy(function, calls: list):
    def spied(*args):
        calls.append(1)
        return function(*args)

    return spied


def assert_same_both_ways(root: Path, monkeypatch: pytest.MonkeyPatch) -> dict:
    cold_tables, cold_report = snapshot(root, True, monkeypatch)
    matched_tables, matched_report = snapshot(root, False, monkeypatch)
    for name in TABLES:
        assert cold_tables[name] == matched_tables[name], name
    assert cold_report == matched_report
    return cold_tables


@pytest.fixture(params=["one process", "workers"])
def ways(request, monkeypatch):
    if request.param == "workers":
        monkeypatch.setattr(parallel, "PARALLEL_THRESHOLD", 2)
        monkeypatch.setattr(parallel.os, "sched_getaffinity", lambda pid: {0, 1})
    assert (parallel.worker_count(3) == 2) == (request.param == "workers")
    return request.param


def test_the_sample_corpus_syncs_the_same_both_ways(tmp_path, monkeypatch, ways):
    shutil.copytree(ROOT / "concepts", tmp_path / "concepts")
    tables = assert_same_both_ways(tmp_path, monkeypatch)
    assert len(tables["cards"]) > 100 and tables["texts"]


def test_the_fixture_collection_syncs_the_same_both_ways(tmp_path, monkeypatch, ways):
    shutil.copytree(FIXTURE_COLLECTION, tmp_path, dirs_exist_ok=True)
    tables = assert_same_both_ways(tmp_path, monkeypatch)
    assert tables["cards"] and tables["texts"]


def test_a_synthetic_collection_syncs_the_same_both_ways(tmp_path, monkeypatch, ways):
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from synthetic import generate

    generate(tmp_path, notes=60)
    tables = assert_same_both_ways(tmp_path, monkeypatch)
    assert len(tables["cards"]) == 600


PROBLEMS = {
    "concepts/a/dup.md": "Q: same?\nA: same\n\nQ: same?\nA: same\n\nQ: other?\nA: x\n",
    "concepts/a/broken.md": "---\ntitle: [unclosed\n---\nQ: lost?\nA: yes\n",
    "concepts/a/empty.md": "",
    "concepts/a/no answer.md": "Q: where is the answer?\n\nQ: fine?\nA: yes\n",
    "concepts/b/cloze.md": "- The {{c1::affine}} layer keeps {{c2::its shape}}.\n- {{c1::again}} {{c1::twice}}\n",
    "concepts/b/deck.md": "---\ndeck: other/deck\ntags: [t1, t2]\nlab: spiral\n---\nQ: one?\nA: 1\nlab: own\n\nx :: y\n",
    "concepts/b-c.md": "Q: sorts between b and b/?\nA: yes\n",
    "concepts/moved/same text.md": "Q: same?\nA: same\n",
    "concepts/vault/Cells.md": "What is a cell? :: The unit of life\n\n**bold** text\n",
    "concepts/cards/Medicine.md": "Q: What is ECG?\nA: A heart trace\n\nC: The [heart] beats.\n",
}


def write_problem_collection(root: Path) -> None:
    for relative, text in PROBLEMS.items():
        write_note(root, relative, text)
    (root / "concepts/a/binary.md").write_bytes(b"\x00\x01\x02 not text")
    (root / "concepts/a/latin1.md").write_bytes("Q: caf\xe9?\nA: oui\n".encode("latin-1"))
    (root / "concepts/a/folder.md").mkdir()
    os.symlink(root / "concepts/nowhere.md", root / "concepts/a/dangling.md")
    (root / "studyterm.toml").write_text('[formats]\n"cards" = "hashcards"\n"vault" = "obsidian"\n', encoding="utf-8")


def test_notes_with_problems_sync_the_same_both_ways(tmp_path, monkeypatch, ways):
    write_problem_collection(tmp_path)
    tables = assert_same_both_ways(tmp_path, monkeypatch)
    assert len(tables["problems"]) >= 5 and tables["texts"]


def test_a_store_with_only_problems_is_still_cold_and_its_problems_are_replaced(tmp_path, monkeypatch):
    write_note(tmp_path, "concepts/a.md", "Q: one?\nA: 1\n")
    write_note(tmp_path, "concepts/b.md", "Q: two?\nA: 2\n")
    monkeypatch.setattr(parallel, "read_note_file", _unreadable_b)
    results = []
    for cold in (True, False):
        shutil.rmtree(tmp_path / ".studyterm", ignore_errors=True)
        monkeypatch.setattr(sync_module, "COLD_SYNC", cold)
        (tmp_path / "concepts/a.md").rename(tmp_path / "a.md")
        with Collection.open(Layout(tmp_path), ManualClock()) as collection:
            collection.sync()  # b.md alone: a problem row, no note row, no card
            assert collection.store.is_empty()
            (tmp_path / "a.md").rename(tmp_path / "concepts/a.md")
            report = collection.sync()
            results.append((report, {name: collection.store.conn.execute(sql).fetchall() for name, sql in TABLES.items()}))
    assert results[0] == results[1]
    tables = results[0][1]
    assert len(tables["problems"]) == 1 and len(tables["cards"]) == len(tables["notes"]) == 1


def _unreadable_b(path):
    if str(path).endswith("b.md"):
        raise NoteReadError("cannot read the file: it does not exist (a broken symlink?)")
    return read_note_file(path)


def _small_id_space(key: str, note_path: str, salt: int = 0) -> str:
    """Ids from a space of 600 where the cards of a note propose at most 3 ids: 550 cards clash
    within their note and across notes, and each clash takes the next salt."""
    def number(text: str) -> int:
        return int.from_bytes(hashlib.blake2b(text.encode(), digest_size=4).digest(), "big")

    return f"{(number(note_path) + number(key) % 3 + salt) % 600:012x}"


def test_clashing_ids_are_settled_the_same_both_ways(tmp_path, monkeypatch, ways):
    monkeypatch.setattr(identity, "proposed_card_id", _small_id_space)
    monkeypatch.setattr(studyterm.sync_cold, "proposed_card_id", _small_id_space)
    for index in range(50):
        cards = "\n\n".join(f"Q: note {index} card {card}?\nA: {card}" for card in range(10))
        write_note(tmp_path, f"concepts/n{index:02d}.md", cards + "\n")
        write_note(tmp_path, f"concepts/s{index:02d}.md", f"Q: single {index}?\nA: one\n")
    tables = assert_same_both_ways(tmp_path, monkeypatch)
    ids = [row[1] for row in tables["cards"]]
    assert len(ids) == len(set(ids)) == 550
    clashed = [row[2] for row in tables["cards"] if row[1] != _small_id_space(row[12], row[2])]
    assert len(clashed) > 350 and sum(path.startswith("concepts/s") for path in clashed) > 20


FOLDERS = ["concepts", "concepts/a", "concepts/a/b", "concepts/a-b"]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.sampled_from(FOLDERS), markdownish), min_size=1, max_size=8), st.randoms())
def test_random_notes_sync_the_same_both_ways(monkeypatch, notes, rng):
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        for index, (where, text) in enumerate(notes):
            path = root / where / f"n{rng.randrange(4)}{index}.md"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(text.encode("utf-8", "surrogatepass"))
            os.utime(path, ns=(rng.randrange(10**18, 2 * 10**18),) * 2)
        assert_same_both_ways(root, monkeypatch)


def test_workers_results_are_written_as_they_come_and_one_process_writes_after_parsing(tmp_path, monkeypatch, ways):
    for index in range(12):
        write_note(tmp_path, f"concepts/n{index:02d}.md", f"Q: q{index}?\nA: a\n")
    monkeypatch.setattr(cold_store, "BATCH", 1)
    pulled: list[int] = []
    pulled_at_flush: list[int] = []
    map_in_order = studyterm.sync_cold.map_in_order

    def counted(*args):
        for result in map_in_order(*args):
            pulled.append(1)
            yield result

    flush = cold_store.ColdWriter.flush

    def recorded(writer):
        pulled_at_flush.append(len(pulled))
        flush(writer)

    monkeypatch.setattr(studyterm.sync_cold, "map_in_order", counted)
    monkeypatch.setattr(cold_store.ColdWriter, "flush", recorded)
    with Collection.open(Layout(tmp_path), ManualClock()) as collection:
        assert collection.sync().created == 12
    assert pulled_at_flush[0] == (1 if ways == "workers" else 12)


def test_a_failure_while_parsing_leaves_the_database_as_it_was(tmp_path, monkeypatch, ways):
    for index in range(12):
        write_note(tmp_path, f"concepts/n{index:02d}.md", f"Q: q{index}?\nA: a\n")
    monkeypatch.setattr(cold_store, "BATCH", 1)  # cards are written as each note comes
    with Collection.open(Layout(tmp_path), ManualClock()) as collection:
        monkeypatch.setattr(studyterm.sync_cold, "load_cold", _failing_on_n09)
        with pytest.raises(RuntimeError, match="n09"):
            collection.sync()
        for table in TABLES:
            assert collection.store.conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == 0
        assert not collection.store.conn.in_transaction
        monkeypatch.setattr(studyterm.sync_cold, "load_cold", LOAD_COLD)
        assert collection.sync().created == 12  # the lock and the store were let go


LOAD_COLD = studyterm.sync_cold.load_cold


def _failing_on_n09(job):
    """Module-level, so worker processes can be handed it."""
    if job[0].endswith("n09.md"):
        raise RuntimeError("cannot parse n09.md")
    return LOAD_COLD(job)


def test_a_database_error_while_writing_rolls_back_the_whole_cold_sync(tmp_path, monkeypatch):
    for index in range(3):
        write_note(tmp_path, f"concepts/n{index}.md", f"Q: q{index}?\nA: a\n")
    monkeypatch.setattr(cold_store, "BATCH", 1)
    with Collection.open(Layout(tmp_path), ManualClock()) as collection:
        conn = collection.store.conn
        conn.execute("CREATE TRIGGER full AFTER INSERT ON notes BEGIN SELECT RAISE(FAIL, 'disk is full'); END")
        with pytest.raises(sqlite3.IntegrityError, match="disk is full"):
            collection.sync()
        assert conn.execute("SELECT count(*) FROM cards").fetchone()[0] == 0


def test_a_warm_store_never_takes_the_cold_path(collection, collection_root, monkeypatch):
    write_note(collection_root, "concepts/a.md", "Q: one?\nA: 1\n")
    collection.sync()
    write_note(collection_root, "concepts/b.md", "Q: two?\nA: 2\n")
    monkeypatch.setattr(studyterm.sync_cold, "sync_cold", _never)
    assert collection.sync().created == 1


def _never(*args, **kwargs):
    raise AssertionError("the cold path ran on a store with cards")


def test_sync_leaves_the_collector_as_it_found_it(collection, collection_root):
    write_note(collection_root, "concepts/a.md", "Q: one?\nA: 1\n")
    assert gc.isenabled()
    collection.sync()
    assert gc.isenabled()
    gc.disable()
    try:
        collection.sync()
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_overlapping_pauses_restore_the_collector_once_the_last_ends():
    assert gc.isenabled()
    outer = paused_gc()
    outer.__enter__()
    with paused_gc():
        assert not gc.isenabled()
    assert not gc.isenabled()
    outer.__exit__(None, None, None)
    assert gc.isenabled()


def test_notes_are_taken_in_path_order_although_the_walk_is_not(tmp_path, monkeypatch):
    """The walk lists a folder's files before its subfolders; cards get positions in path order."""
    write_note(tmp_path, "concepts/a/z.md", "Q: z?\nA: 1\n")
    write_note(tmp_path, "concepts/a/b/c.md", "Q: c?\nA: 1\n")
    write_note(tmp_path, "concepts/a-b.md", "Q: dash?\nA: 1\n")
    tables = assert_same_both_ways(tmp_path, monkeypatch)
    assert [row[2] for row in tables["cards"]] == ["concepts/a-b.md", "concepts/a/b/c.md", "concepts/a/z.md"]
    assert [row[1] for row in tables["notes"]] != sorted(row[1] for row in tables["notes"])

