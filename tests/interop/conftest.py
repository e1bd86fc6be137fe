"""Fixtures for export/import: a sample collection in tmp_path and a fresh Anki collection."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from studyterm.collection import Collection
from studyterm.layout import Layout
from tests.conftest import FIXTURE_COLLECTION, ManualClock

SAMPLE_IMAGE = b"\x89PNG\r\n\x1a\n sample image bytes"


@pytest.fixture
def sample_root(tmp_path: Path) -> Path:
    """A copy of the bundled sample collection, with an image and a lab link on one card."""
    root = tmp_path / "sample"
    source = FIXTURE_COLLECTION
    shutil.copytree(source / "concepts", root / "concepts")
    (root / "decks").mkdir()
    (root / "concepts/pytorch/img").mkdir()
    (root / "concepts/pytorch/img/loop.png").write_bytes(SAMPLE_IMAGE)
    note = root / "concepts/pytorch/training-loop.md"
    text = note.read_text(encoding="utf-8")
    text = text.replace("Q: What is an epoch?", "Q: What is an epoch? ![the loop](img/loop.png)")
    text = text.replace("sample of the training set.\n", "sample of the training set.\nlab: ch01_spiral\n")
    note.write_text(text, encoding="utf-8")
    return root


@pytest.fixture
def sample(sample_root: Path, clock: ManualClock) -> Iterator[Collection]:
    opened = Collection.open(Layout(sample_root), clock)
    opened.sync()
    yield opened
    opened.close()


@pytest.fixture
def other(tmp_path: Path, clock: ManualClock) -> Iterator[Collection]:
    """An empty collection to import into."""
    root = tmp_path / "other"
    (root / "concepts").mkdir(parents=True)
    opened = Collection.open(Layout(root), clock)
    yield opened
    opened.close()


@pytest.fixture
def anki(tmp_path: Path):
    """A new, empty collection of the real Anki (the `anki` package from the test extra)."""
    collection_module = pytest.importorskip("anki.collection")
    folder = tmp_path / "anki"
    folder.mkdir()
    col = collection_module.Collection(str(folder / "collection.anki2"))
    yield col
    col.close()


def anki_day_start(anki) -> datetime:
    """The start of the study day Anki's own collection is in.

    Anki reads the machine's clock (it cannot be handed one), so a test that moves studyterm's
    clock must place it relative to this moment, never at a fixed date: a fixed date is in
    Anki's past on one day and in its future on another."""
    return datetime.fromtimestamp(anki.crt).astimezone() + timedelta(days=anki.sched.today)


def import_into_anki(col, package: Path, with_scheduling: bool = True):
    from anki.collection import ImportAnkiPackageOptions, ImportAnkiPackageRequest

    request = ImportAnkiPackageRequest(
        package_path=str(package), options=ImportAnkiPackageOptions(with_scheduling=with_scheduling)
    )
    return col.import_anki_package(request).log


def cards_by_text(collection: Collection) -> dict[tuple, object]:
    """Active cards keyed by everything a round trip must keep."""
    from studyterm.store.exchange import deck_cards

    return {
        (c.kind, c.question, c.answer, c.cloze_group, c.deck, c.tags, c.lab): c
        for c in deck_cards(collection.store, None)
    }


def tree(root: Path) -> dict[str, bytes]:
    """Every file under `root` with its bytes, to prove nothing changed."""
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def database_dump(collection: Collection) -> list[str]:
    return list(collection.store.conn.iterdump())
