"""Labs written into a test collection, and the Labs API over it with a fake runner.

`spiral` is a small exercise lab: two holes (`double` in model.py, with two checks, and
`shift`, with one), a train.py whose metrics pass only when the holes are right and lr >= 0.5.
`write_lab` writes a demo lab (no holes) from any lab.toml and script."""

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


EXERCISE_HOLES = """
[holes.double]
title = "scale"
task = "Return twice x."
hints = ["Multiply.", "By two.", "return 2 * x"]

[holes.shift]
title = "shift"
task = "Return x plus one."
hints = ["Add one."]

[[predictions]]
id = "slow"
param = "lr"
when = "< 0.5"
question = "With a learning rate below 0.5, the accuracy will..."
[[predictions.outcomes]]
answer = "reach the target"
when = ["accuracy >= 0.95"]
[[predictions.outcomes]]
answer = "miss it"
"""

EXERCISE_SCRIPT = """
from studyterm import labkit
from model import scale, shift
p = labkit.params()
good = scale(3) == 6 and shift(1) == 2 and p["lr"] >= 0.5
print("training")
labkit.result(accuracy=0.97 if good else 0.5, final_loss=0.1 if good else 0.9)
"""

MODEL = """
def scale(x):
    # >>> hole double
    return 2 * x
    # <<< hole double


def shift(x):
    # >>> hole shift: add one
    y = x + 1
    # <<< hole shift
    return y
"""

CHECKS = """
from studyterm import labkit


@labkit.check("double", "scale(3) is 6")
def three(learner, reference):
    got = learner.model.scale(3)
    labkit.expect_true(got == 6, f"scale(3) gave {got!r}, want 6")


@labkit.check("double", "scale(-1.5) is -3.0")
def negative(learner, reference):
    got = learner.model.scale(-1.5)
    labkit.expect_true(got == reference.model.scale(-1.5), f"scale(-1.5) gave {got!r}, want -3.0")


@labkit.check("shift", "shift(1) is 2")
def one(learner, reference):
    got = learner.model.shift(1)
    labkit.expect_true(got == 2, f"shift(1) gave {got!r}, want 2")
"""


def write_exercise_lab(root: Path, lab_id: str = "spiral") -> Path:
    folder = write_lab(root, lab_id, SPIRAL_TOML + EXERCISE_HOLES, EXERCISE_SCRIPT)
    (folder / "model.py").write_text(textwrap.dedent(MODEL).lstrip(), encoding="utf-8")
    (folder / "checks.py").write_text(textwrap.dedent(CHECKS).lstrip(), encoding="utf-8")
    return folder


def fill_hole(workspace: Path, file: str, hole: str, code: str) -> None:
    """Write `code` (indented like the hole) in place of a hole's NotImplementedError."""
    path = workspace / file
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    stub = next(i for i, line in enumerate(lines) if f'NotImplementedError("hole {hole}")' in line)
    indent = lines[stub][: len(lines[stub]) - len(lines[stub].lstrip())]
    lines[stub] = "".join(indent + line + "\n" for line in textwrap.dedent(code).strip().splitlines())
    path.write_text("".join(lines), encoding="utf-8")


def write_lab(root: Path, lab_id: str, toml: str = SPIRAL_TOML, script: str = SPIRAL_SCRIPT,
              entry: str = "train.py") -> Path:
    folder = root / "labs" / lab_id
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "lab.toml").write_text(textwrap.dedent(toml).lstrip(), encoding="utf-8")
    (folder / entry).write_text(textwrap.dedent(script).lstrip(), encoding="utf-8")
    return folder


@pytest.fixture
def spiral_lab(collection_root: Path) -> Path:
    return write_exercise_lab(collection_root, "spiral")


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
    """The API with the fake runner, on a collection whose `spiral` workspace is started."""
    collection.sync()
    labs = Labs(collection, fake_runner)
    labs.start("spiral")
    return labs
