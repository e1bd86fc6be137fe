"""Shared fixtures: a collection in tmp_path, a clock the test moves by hand."""

from __future__ import annotations

import textwrap
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from studyterm.clock import parse_now
from studyterm.collection import Collection
from studyterm.layout import Layout

FIXTURE_COLLECTION = Path(__file__).resolve().parent / "fixtures" / "sample"
"""A frozen copy of the sample collection (tests/fixtures/README.md says why)."""


class ManualClock:
    """A clock that only moves when the test says so."""

    def __init__(self, start: str = "2026-11-21T10:00:00+00:00") -> None:
        self.moment = parse_now(start)

    def __call__(self) -> datetime:
        return self.moment

    def set(self, iso: str) -> None:
        self.moment = parse_now(iso)

    def advance(self, **delta: float) -> None:
        self.moment += timedelta(**delta)


def write_note(root: Path, relative: str, text: str) -> Path:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
def collection_root(tmp_path: Path) -> Path:
    root = tmp_path / "collection"
    for sub in ("concepts", "labs", "decks"):
        (root / sub).mkdir(parents=True)
    return root


@pytest.fixture
def collection(collection_root: Path, clock: ManualClock) -> Iterator[Collection]:
    opened = Collection.open(Layout(collection_root), clock)
    yield opened
    opened.close()
