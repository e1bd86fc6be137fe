"""Every lab shipped in labs/ runs through the real runner, so a broken lab fails CI.

Quick mode for all of them (a smoke test: it must finish with every metric and target
evaluated), plus the default settings of the two chapter labs, which must pass, and a setting
that must fail, so their targets are known to tell good from bad.
"""

import importlib.util
import shutil
from pathlib import Path

import pytest

from studyterm.collection import Collection
from studyterm.labs import Labs
from studyterm.labs.spec import discover
from studyterm.layout import Layout

pytestmark = pytest.mark.real_timers  # real lab processes / file watching (pyproject.toml says why)

REPO = Path(__file__).resolve().parents[2]
SHIPPED = discover(REPO / "labs", REPO)
HAS_TORCH = importlib.util.find_spec("torch") is not None


@pytest.fixture
def labs(tmp_path, clock):
    root = tmp_path / "collection"
    (root / "concepts").mkdir(parents=True)
    shutil.copytree(REPO / "labs", root / "labs", ignore=shutil.ignore_patterns("__pycache__"))
    with Collection.open(Layout(root), clock) as collection:
        yield Labs(collection)


def test_every_shipped_lab_loads():
    assert SHIPPED.problems == []
    assert {"ch01_spiral", "gradcheck"} <= set(SHIPPED.labs)


@pytest.mark.parametrize("lab_id", sorted(SHIPPED.labs))
def test_every_lab_finishes_in_quick_mode_with_its_metrics(labs, lab_id):
    spec = SHIPPED.labs[lab_id]
    run = labs.run(lab_id, quick=True).run
    if run.status == "unavailable" and not HAS_TORCH:
        pytest.skip(f"{lab_id}: {run.reason}")
    assert run.status == "completed", run.traceback or run.log
    assert run.quick and run.params == spec.resolve(quick=True)
    finals = {name for name, metric in spec.metrics.items() if not metric.series}
    series = {name for name, metric in spec.metrics.items() if metric.series}
    assert finals <= set(run.metrics), run.log
    assert series <= {name for name, points in labs.get_run(run.id).series.items() if points}
    assert [check["value"] is not None for check in run.targets] == [True] * len(spec.targets)
    assert run.grade is not None


def test_spiral_defaults_pass_and_a_tiny_learning_rate_fails(labs):
    good = labs.run("ch01_spiral").run
    assert good.passed and good.grade == 5, good.metrics
    assert good.metrics["updates_per_epoch"] == 10
    assert len(labs.get_run(good.id).series["loss"]) == 3000
    slow = labs.run("ch01_spiral", {"lr": "0.01"}).run
    assert slow.passed is False and slow.grade == 1, slow.metrics


@pytest.mark.skipif(not HAS_TORCH, reason="gradcheck needs torch (the labs extra)")
def test_gradcheck_passes_and_catches_a_planted_bug(labs):
    good = labs.run("gradcheck").run
    assert good.passed and good.metrics["grad_rel_error"] < 1e-10, good.log
    buggy = labs.run("gradcheck", {"bug": "bias"}).run
    assert buggy.grade == 2 and buggy.metrics["grad_rel_error"] > 0.1
    assert [check["met"] for check in buggy.targets] == [False, True]
