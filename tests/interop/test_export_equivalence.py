"""Today's .apkg export writes what the export before it wrote (tests/interop/apkg_reference.py),
row for row: every table of the collection inside, the schema, the media map and files.

Checked on the sample collection, on the repository's own notes, and on a synthetic collection
with cloze paragraphs (groups out of order, math with `}}`), display math, code, tables, typed
answers, pictures (found, missing, remote, two files of one name) and sounds, with a review
history that has repeats, undos, reschedules, suspended and flagged cards."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import zipfile
from datetime import date
from pathlib import Path

import pytest

from benchmarks.synthetic import generate
from studyterm.collection import Collection
from studyterm.interop import export_deck
from studyterm.layout import Layout
from studyterm.store.exchange import deck_cards
from tests.conftest import ManualClock, write_note
from tests.interop.apkg_reference import reference_export

ROOT = Path(__file__).resolve().parents[2]
_TABLES = ("col", "notes", "cards", "revlog", "graves")


def unpacked(package: Path, into: Path) -> dict:
    """Everything a package holds, the collection as its rows and schema."""
    into.mkdir()
    with zipfile.ZipFile(package) as archive:
        names = archive.namelist()
        members = {name: archive.read(name) for name in names if name != "collection.anki21"}
        (into / "collection").write_bytes(archive.read("collection.anki21"))
    conn = sqlite3.connect(into / "collection")
    try:
        tables = {table: conn.execute(f"SELECT * FROM {table} ORDER BY rowid").fetchall() for table in _TABLES}
        schema = conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY name").fetchall()
        (check,) = conn.execute("PRAGMA integrity_check").fetchone()
    finally:
        conn.close()
    return {"names": names, "members": members, "tables": tables, "schema": schema, "integrity": check}


def assert_same_package(collection: Collection, tmp_path: Path, deck: str | None = None,
                        with_scheduling: bool = False) -> dict:
    tmp_path.mkdir(exist_ok=True)
    old, new = tmp_path / "old.apkg", tmp_path / "new.apkg"
    reference_export(collection, old, deck=deck, with_scheduling=with_scheduling)
    export_deck(collection, "apkg", new, deck=deck, with_scheduling=with_scheduling, force=True)
    before, after = unpacked(old, tmp_path / "old"), unpacked(new, tmp_path / "new")
    assert after["integrity"] == "ok"
    assert after["names"] == before["names"]
    assert after["members"] == before["members"]
    assert after["schema"] == before["schema"]
    for table in _TABLES:
        assert len(after["tables"][table]) == len(before["tables"][table]), table
        for new_row, old_row in zip(after["tables"][table], before["tables"][table], strict=True):
            assert new_row == old_row, table
    return after


SYNTHETIC_NOTES = {
    "concepts/algebra/linear.md": r"""
        ---
        title: Linear maps
        tags: [algebra, "two words", linear]
        ---

        # Linear maps

        Q: What is $f(x + y)$ for a linear $f$?
        A: $f(x) + f(y)$, and $f(ax) = a f(x)$ for a scalar $a$.

        Q: Write the matrix product.
        A: $$C_{ij} = \sum_k A_{ik} B_{kj}$$
        summed over $k$.

        Q: What does this code print?
        A: It prints `6`:

        ```python
        print(sum(range(4)))
        ```

        Q: How many dimensions does $\mathbb{R}^3$ have?
        A: Three.
        typed: 3 | three

        Q: Which norms are there?
        A: Two of them:

        | norm | formula |
        |---|---|
        | L1 | $\sum |x_i|$ |
        | L2 | $\sqrt{\sum x_i^2}$ |

        - The {{c2::kernel}} of $f$ is {{c1::$\{x : f(x) = 0\}$}}, a {{c3::subspace}}.

        - A map with $\frac{a}{b^{2}}$ keeps {{c1::$\frac{1}{x^{2}}$}} and {{c2::*emphasis*}}.

        rank :: the dimension of the image
        """,
    "concepts/algebra/pictures.md": """
        ---
        title: Pictures
        deck: algebra/pictures
        ---

        Q: What does the plot show? ![plot](img/plot.png)
        A: A line through ![origin](img/origin.png) and ![gone](img/missing.png).

        Q: And the remote one? ![remote](https://example.org/a.png)
        A: Listen: [sound:tone.mp3](../../media/tone.mp3) & compare <b>bold</b>.
        lab: ch01_lines

        - The {{c1::plot}} is ![plot](img/plot.png) again.
        """,
    "concepts/geometry/shapes.md": """
        ---
        tags: [geometry]
        ---

        Q: What is the other plot? ![plot](img/plot.png)
        A: The same file name in another folder: $\\pi r^2$.

        Q: Is `a < b` & "c" > 'd'?
        A: Escaped: 1 < 2 & 3 > 2, "quoted" and \\$5.

        1. An ordered list
        2. is not a card
        """,
}


def synthetic_root(tmp_path: Path) -> Path:
    root = tmp_path / "synthetic"
    for sub in ("concepts", "labs", "decks", "media"):
        (root / sub).mkdir(parents=True)
    for relative, text in SYNTHETIC_NOTES.items():
        write_note(root, relative, text)
    for relative in ("concepts/algebra/img/plot.png", "concepts/algebra/img/origin.png",
                     "concepts/geometry/img/plot.png", "media/tone.mp3"):
        (root / relative).parent.mkdir(parents=True, exist_ok=True)
        (root / relative).write_bytes(relative.encode())
    generate(root, notes=20)
    return root


def give_history(collection: Collection, clock: ManualClock) -> None:
    """Answers over two study days: repeats, an undo, a reschedule, suspended and flagged cards."""
    ids = [card.id for card in deck_cards(collection.store, None)]
    answered = ids[: len(ids) * 3 // 5]
    for grade, card_id in zip([5, 4, 3, 2, 1, 0] * len(ids), answered, strict=False):
        collection.answer(card_id, grade, duration_ms=1200 + grade)
    clock.advance(hours=2)
    collection.answer(answered[3], 4)  # the same-day repeat a grade of 2 owes
    collection.undo(collection.answer(ids[-1], 5).entry.id)
    clock.advance(days=9, minutes=7)
    for card_id in answered[:4]:
        collection.answer(card_id, 4, force=True)
    collection.reschedule(answered[4:7], date(2027, 1, 5))
    collection.suspend(ids[5:8] + ids[-3:-1])
    collection.flag(ids[7:10] + ids[-2:])


@pytest.fixture
def synthetic(tmp_path: Path, clock: ManualClock):
    root = synthetic_root(tmp_path)
    opened = Collection.open(Layout(root), clock)
    opened.sync()
    yield opened
    opened.close()


def test_the_sample_collection_exports_the_same_package(sample, tmp_path):
    after = assert_same_package(sample, tmp_path)
    assert len(after["tables"]["cards"]) == 19 and json.loads(after["members"]["media"]) == {"0": "loop.png"}


@pytest.mark.parametrize("deck", [None, "pytorch", "dlfs2"])
def test_the_sample_collection_with_its_history_exports_the_same_package(sample, clock, tmp_path, deck):
    give_history(sample, clock)
    after = assert_same_package(sample, tmp_path, deck=deck, with_scheduling=True)
    assert after["tables"]["revlog"]


def test_the_synthetic_collection_exports_the_same_package(synthetic, tmp_path):
    after = assert_same_package(synthetic, tmp_path)
    media = sorted(json.loads(after["members"]["media"]).values())
    assert media[0] == "origin.png" and media[1].startswith("plot-") and media[2:] == ["plot.png", "tone.mp3"]
    flds = [row[6] for row in after["tables"]["notes"]]
    assert any("{{c1::" in fields and "\\(" in fields for fields in flds)
    assert any("<pre><code" in fields for fields in flds) and any("<table>" in fields for fields in flds)


def test_the_synthetic_collection_with_its_history_exports_the_same_package(synthetic, clock, tmp_path):
    clock.advance(days=1)
    give_history(synthetic, clock)
    edited = synthetic.layout.root / "concepts/algebra/linear.md"
    edited.write_text(edited.read_text(encoding="utf-8").replace("Three.", "Three, as listed."), encoding="utf-8")
    later = edited.stat().st_mtime + 3600
    os.utime(edited, (later, later))
    clock.advance(days=1)
    synthetic.sync()
    after = assert_same_package(synthetic, tmp_path, with_scheduling=True)
    assert {row[7] for row in after["tables"]["cards"]} >= {-1, 0, 2}  # suspended, new, review queues
    assert len({row[3] for row in after["tables"]["notes"]}) > 1  # an edit moved a note's mod


def test_a_sub_deck_of_the_synthetic_collection_exports_the_same_package(synthetic, clock, tmp_path):
    give_history(synthetic, clock)
    assert_same_package(synthetic, tmp_path, deck="algebra", with_scheduling=True)


def test_the_repository_notes_export_the_same_package(tmp_path, clock):
    root = tmp_path / "repo"
    shutil.copytree(ROOT / "concepts", root / "concepts")
    (root / "decks").mkdir()
    with Collection.open(Layout(root), clock) as collection:
        collection.sync()
        give_history(collection, clock)
        after = assert_same_package(collection, tmp_path / "plain")
        assert len(after["tables"]["cards"]) > 100
        assert_same_package(collection, tmp_path / "scheduled", with_scheduling=True)
