"""TUI fixtures: the sample notes in a temporary collection, a fixed clock, a frozen timer."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from studyterm.clock import fixed_clock, parse_now
from studyterm.collection import Collection
from studyterm.layout import Layout
from studyterm.tui.app import make_app
from tests.conftest import FIXTURE_COLLECTION

NOW = "2026-11-21T10:00:00+00:00"


class FrozenTimer:
    """A monotonic clock for the per-card timer that the test moves by hand."""

    def __init__(self) -> None:
        self.seconds = 100.0

    def __call__(self) -> float:
        return self.seconds


class FakeEditor:
    """Stands in for $EDITOR: applies an edit to the note instead of opening a terminal."""

    def __init__(self, edit=None) -> None:
        self.calls: list[tuple[Path, int]] = []
        self.edit = edit

    def __call__(self, app, path: Path, line: int) -> str | None:
        self.calls.append((path, line))
        if self.edit is not None:
            self.edit(path)
        return None


@pytest.fixture
def sample_root(tmp_path: Path) -> Path:
    root = tmp_path / "sample"
    for name in ("concepts", "labs", "decks"):
        shutil.copytree(FIXTURE_COLLECTION / name, root / name)
    return root


@pytest.fixture
def exercise_labs(sample_root: Path) -> None:
    """The shipped exercise labs in place of the fixture collection's demo labs (lab tests)."""
    repo_labs = Path(__file__).resolve().parents[2] / "labs"
    for lab_id in ("ch01_spiral", "gradcheck"):
        shutil.rmtree(sample_root / "labs" / lab_id)
        shutil.copytree(repo_labs / lab_id, sample_root / "labs" / lab_id,
                        ignore=shutil.ignore_patterns("__pycache__"))


@pytest.fixture
def tui_collection(sample_root: Path):
    collection = Collection.open(Layout(sample_root), fixed_clock(parse_now(NOW)))
    collection.sync()
    yield collection
    collection.close()


@pytest.fixture
def timer() -> FrozenTimer:
    return FrozenTimer()


@pytest.fixture
def editor() -> FakeEditor:
    return FakeEditor()


@pytest.fixture
def app_factory(tui_collection, timer, editor):
    def build(**options):
        options.setdefault("sync_on_start", False)
        options.setdefault("watch", False)
        return make_app(tui_collection, monotonic=timer, editor=editor, **options)

    return build
