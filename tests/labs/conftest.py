"""Labs written into a test collection, and the Labs API over it with a fake runner."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from studyterm.labs import Labs
from tests.conftest import write_note
from tests.labs.fakes import FakeLabRunner

SPIRAL_TOML = """
title = "Spiral"
description = "Train a tiny network."
entry = "train.py"
time_limit = 30
targets = ["accuracy >= 0.95", "final_loss <= 0.15"]

[params.lr]
type = "float"
default = 1.0
min = 0.0

[params.epochs]
type = "int"
default = 300
min = 1

[metrics.loss]
unit = "nats"
series = true

[metrics.accuracy]
unit = "fraction"

[metrics.final_loss]
unit = "nats"

[quick]
epochs = 5
"""

SPIRAL_SCRIPT = """
from studyterm import labkit
p = labkit.params()
labkit.result(accuracy=0.97 if p["lr"] >= 0.5 else 0.5, final_loss=0.1 if p["lr"] >= 0.5 else 0.9)
"""


def write_lab(root: Path, lab_id: str, toml: str = SPIRAL_TOML, script: str = SPIRAL_SCRIPT,
              entry: str = "train.py") -> Path:
    folder = root / "labs" / lab_id
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "lab.toml").write_text(textwrap.dedent(toml).lstrip(), encoding="utf-8")
    (folder / entry).write_text(textwrap.dedent(script).lstrip(), encoding="utf-8")
    return folder


@pytest.fixture
def spiral_lab(collection_root: Path) -> Path:
    return write_lab(collection_root, "spiral")


@pytest.fixture
def linked_notes(collection_root: Path) -> None:
    """Two cards linked to `spiral` by front matter, one linked elsewhere, one not linked."""
    write_note(
        collection_root,
        "concepts/training.md",
        """
        ---
        lab: spiral
        ---
        Q: What does the learning rate scale?
        A: Every gradient step.

        epoch :: one pass over the data

        Q: What checks a backward pass?
        A: A gradient check.
        lab: gradcheck
        """,
    )
    write_note(collection_root, "concepts/other.md", "unlinked :: card\n")


@pytest.fixture
def fake_runner() -> FakeLabRunner:
    return FakeLabRunner()


@pytest.fixture
def labs(collection, spiral_lab, linked_notes, fake_runner) -> Labs:
    collection.sync()
    return Labs(collection, fake_runner)
