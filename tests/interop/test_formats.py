"""CSV/TSV, Markdown and JSON exports, progress reporting, and where exports go."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest

from studyterm.interop import InteropError, default_export_path, export_deck
from studyterm.interop.text_export import CSV_COLUMNS
from tests.conftest import write_note
from tests.interop.conftest import cards_by_text


def test_default_paths_follow_the_deck(sample):
    result = export_deck(sample, "apkg", deck="dlfs2/ch01")
    assert Path(result.path) == sample.layout.root / "decks/dlfs2/ch01.apkg"
    assert Path(result.path).is_file()
    assert default_export_path(sample.layout, None, "csv") == sample.layout.root / "decks/all.csv"
    assert export_deck(sample, "md", deck="dlfs2::ch01").path.endswith("decks/dlfs2/ch01.md")


def test_a_deck_selects_itself_and_its_sub_decks(sample):
    assert export_deck(sample, "json", deck="dlfs2").cards == 9
    assert export_deck(sample, "json", deck="pytorch").cards == 10
    with pytest.raises(InteropError, match="deck 'dlfs' has no cards; decks: dlfs2/ch01, pytorch"):
        export_deck(sample, "apkg", deck="dlfs")


def test_with_scheduling_belongs_to_apkg_and_formats_are_checked(sample):
    with pytest.raises(InteropError, match="only applies to apkg"):
        export_deck(sample, "csv", with_scheduling=True)
    with pytest.raises(InteropError, match="unknown export format 'xlsx'"):
        export_deck(sample, "xlsx")
    with pytest.raises(InteropError, match="is a folder"):
        export_deck(sample, "apkg", sample.layout.decks)


def test_csv_has_anki_headers_and_one_row_per_note(sample):
    path = Path(export_deck(sample, "csv", deck="pytorch").path)
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[:7] == [
        "#separator:Comma", "#html:true", "#guid column:1", "#notetype column:2", "#deck column:3",
        "#tags column:6", "#columns:" + ",".join(CSV_COLUMNS),
    ]
    rows = list(csv.reader(path.read_text(encoding="utf-8").split("\n", 7)[7].splitlines(keepends=True)))
    assert len(rows) == 8
    kinds = {row[1] for row in rows}
    assert kinds == {"Basic", "Cloze"}
    epoch = next(row for row in rows if row[3].startswith("What is an epoch?"))
    assert epoch[2:] == [
        "pytorch", 'What is an epoch? <img src="loop.png" alt="the loop" />',
        "One full pass over every sample of the training set.", "training basics",
        "concepts/pytorch/training-loop.md", "ch01_spiral",
    ]
    assert export_deck(sample, "tsv", deck="pytorch").warnings == (
        "1 media file(s) referenced: a tsv file cannot carry them; export apkg to include images and sounds",
    )


def test_markdown_export_reads_back_as_the_same_cards(sample, other, tmp_path):
    result = export_deck(sample, "md", deck="pytorch")
    shutil.copy(result.path, other.layout.concepts / "pytorch.md")
    shutil.copytree(sample.layout.concepts / "pytorch/img", other.layout.concepts / "img")
    report = other.sync()
    assert report.problems == []
    ours = {key: c for key, c in cards_by_text(sample).items() if key[4] == "pytorch"}
    assert set(cards_by_text(other)) == set(ours)


def test_markdown_export_of_several_decks_keeps_every_card_text_and_lab(sample, sample_root, other):
    write_note(sample_root, "concepts/labs/spiral.md", """
        ---
        lab: spiral
        tags: [labs]
        ---
        Q: Which lab fits a spiral?
        A: The one with a hidden layer.

        - A {{c1::ReLU}} net separates the {{c2::spiral}}.
        """)
    sample.sync()
    result = export_deck(sample, "md")
    shutil.copy(result.path, other.layout.concepts / "everything.md")
    other.sync()
    assert other.problems() == []

    def texts(collection):
        return {(k[0], k[1], k[2], k[3], k[6]) for k in cards_by_text(collection)}

    assert texts(other) == texts(sample)
    assert ("basic", "Which lab fits a spiral?", "The one with a hidden layer.", None, "spiral") in texts(other)


def test_json_has_every_card_with_state_and_history(sample):
    first = sample.next_card().card_id
    sample.answer(first, 3)
    path = Path(export_deck(sample, "json").path)
    document = json.loads(path.read_text(encoding="utf-8"))
    assert (document["format"], document["deck"], document["day"]) == ("studyterm-deck", None, "2026-11-21")
    assert len(document["cards"]) == 19
    card = next(c for c in document["cards"] if c["id"] == first)
    assert card["state"] == "learning" and card["ef"] == 2.36
    (entry,) = card["history"]
    assert (entry["grade"], entry["source"], entry["kind"]) == (3, "review", "scheduled")
    assert set(card) >= {"question", "answer", "deck", "tags", "lab", "due", "interval_days", "edited_at"}


@pytest.mark.parametrize("fmt", ["apkg", "csv", "tsv", "md", "json"])
def test_progress_counts_up_to_every_card(sample, fmt):
    calls: list[tuple[int, int]] = []
    export_deck(sample, fmt, progress=lambda done, total: calls.append((done, total)))
    assert calls[-1] == (19, 19)
    assert all(total == 19 for _, total in calls)
    assert [done for done, _ in calls] == sorted(done for done, _ in calls)


def test_a_cancelled_export_leaves_the_previous_file_and_no_partial_one(sample):
    previous = Path(export_deck(sample, "apkg").path)
    before = previous.read_bytes()

    def cancel(done: int, total: int) -> None:
        if done > 5:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        export_deck(sample, "apkg", progress=cancel)
    assert previous.read_bytes() == before
    assert [p.name for p in previous.parent.iterdir()] == ["all.apkg"]


def test_exporting_twice_gives_the_same_notes(sample, tmp_path):
    import sqlite3
    import zipfile

    def notes(path):
        with zipfile.ZipFile(path) as archive:
            (tmp_path / "c.sqlite").write_bytes(archive.read("collection.anki21"))
        with sqlite3.connect(tmp_path / "c.sqlite") as conn:
            return conn.execute("SELECT id, guid, mod, flds, tags FROM notes ORDER BY id").fetchall()

    first = notes(export_deck(sample, "apkg", tmp_path / "a.apkg").path)
    assert first == notes(export_deck(sample, "apkg", tmp_path / "b.apkg").path)


def test_export_runs_in_a_worker_thread_and_reports_progress_from_it(sample):
    import threading

    seen: list[tuple[str, int, int]] = []
    results = []

    def work():
        results.append(export_deck(
            sample, "apkg", progress=lambda done, total: seen.append((threading.current_thread().name, done, total))
        ))

    worker = threading.Thread(target=work, name="export-worker")
    worker.start()
    worker.join()
    assert Path(results[0].path).is_file()
    assert seen and {name for name, _, _ in seen} == {"export-worker"} and seen[-1][1:] == (19, 19)
