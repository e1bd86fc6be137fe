"""Every lab shipped in labs/ runs through the real runner, so a broken lab fails CI.

Quick mode for all of them (a smoke test: it must finish with every metric and target
evaluated). For the exercise labs: the reference meets every target on seeds 0-9; the
untouched exercise fails every hole as not started and gives no feedback; a planted wrong answer
fails exactly its hole; each hole passes on its own (its checks need no other hole); the
learner's copy with every hole right trains to the targets and is graded.
"""

import importlib.util
import math
import shutil
import textwrap
import tomllib
from pathlib import Path

import pytest

from studyterm.collection import Collection
from studyterm.labs import Labs
from studyterm.labs.spec import discover
from studyterm.layout import Layout
from tests.labs.exercises import check_variants, solve

pytestmark = pytest.mark.real_timers  # real lab processes / file watching (pyproject.toml says why)

REPO = Path(__file__).resolve().parents[2]
SHIPPED = discover(REPO / "labs", REPO)
HAS_TORCH = importlib.util.find_spec("torch") is not None
EXERCISES = sorted(lab_id for lab_id, spec in SHIPPED.labs.items() if spec.is_exercise)
MISTAKES = {path.stem: tomllib.loads(path.read_text())
            for path in (Path(__file__).parent / "mistakes").glob("*.toml")}
"""tests/labs/mistakes/LAB.toml: a classic mistake for every hole of each exercise lab (TOML's
multi-line strings drop their first newline), and whether the lab needs torch."""
WRONG = {lab_id: mistakes["holes"] for lab_id, mistakes in MISTAKES.items()}
NEEDS_TORCH = {lab_id for lab_id, mistakes in MISTAKES.items() if mistakes.get("needs_torch")}

CARDS = """
---
deck: labs
---
whole :: lab
lab: {lab}

{cards}
"""


@pytest.fixture
def collection(tmp_path, clock):
    root = tmp_path / "collection"
    (root / "concepts").mkdir(parents=True)
    shutil.copytree(REPO / "labs", root / "labs", ignore=shutil.ignore_patterns("__pycache__"))
    with Collection.open(Layout(root), clock) as opened:
        yield opened


@pytest.fixture
def labs(collection):
    return Labs(collection)


def skip_without_torch(lab_id):
    if lab_id in NEEDS_TORCH and not HAS_TORCH:
        pytest.skip(f"{lab_id} needs torch (the labs extra)")


def started(labs, lab_id):
    """The lab started, with a card linking the whole lab and one per hole."""
    spec = labs.spec(lab_id)
    cards = "\n\n".join(f"{name} :: hole\nlab: {lab_id}#{name}" for name in spec.holes)
    note = labs.collection.layout.concepts / f"{lab_id}.md"
    note.write_text(textwrap.dedent(CARDS.format(lab=lab_id, cards=cards)).lstrip())
    labs.collection.sync()
    workspace, _files = labs.start(lab_id)
    return workspace.path


def test_every_shipped_lab_loads():
    assert SHIPPED.problems == []
    assert {"ch01_spiral", "gradcheck"} <= set(EXERCISES)
    assert set(MISTAKES) == set(EXERCISES)
    for lab_id in EXERCISES:
        assert set(WRONG[lab_id]) == set(SHIPPED.labs[lab_id].holes), lab_id


@pytest.mark.parametrize("lab_id", sorted(SHIPPED.labs))
def test_every_lab_finishes_in_quick_mode_with_its_metrics(labs, lab_id):
    spec = SHIPPED.labs[lab_id]
    run = labs.run(lab_id, quick=True, reference=True).run
    if run.status == "unavailable" and not HAS_TORCH:
        pytest.skip(f"{lab_id}: {run.reason}")
    assert run.status == "completed", run.traceback or run.log
    assert run.quick and run.params == spec.resolve(quick=True)
    assert [h["status"] for h in run.holes] == ["passed"] * len(spec.holes), run.holes
    finals = {name for name, metric in spec.metrics.items() if not metric.series}
    series = {name for name, metric in spec.metrics.items() if metric.series}
    assert finals <= set(run.metrics), run.log
    assert series <= {name for name, points in labs.get_run(run.id).series.items() if points}
    assert [check["value"] is not None for check in run.targets] == [True] * len(spec.targets)
    assert run.grade is not None


@pytest.mark.slow
@pytest.mark.parametrize("lab_id", EXERCISES)
@pytest.mark.parametrize("seed", range(10))
def test_the_reference_meets_every_target_on_seeds_0_to_9(labs, lab_id, seed):
    skip_without_torch(lab_id)
    run = labs.run(lab_id, {"seed": seed}, reference=True).run
    assert run.status == "completed", run.traceback or run.log
    assert run.passed and run.grade == 5, (run.metrics, run.targets)


def test_spiral_defaults_pass_and_a_tiny_learning_rate_fails(labs):
    good = labs.run("ch01_spiral", reference=True).run
    assert good.passed and good.grade == 5, good.metrics
    assert good.metrics["updates_per_epoch"] == 10 and good.metrics["diverged"] == 0
    assert len(labs.get_run(good.id).series["loss"]) == 3000
    slow = labs.run("ch01_spiral", {"lr": "0.01"}, reference=True).run
    assert slow.passed is False and slow.grade == 2, slow.metrics  # holes pass, no target met


def test_spiral_counts_a_fixed_budget_of_updates_and_flips_only_training_labels(labs):
    """`updates` stops after exactly that many updates whatever the batch size (B = 7: an epoch
    is ceil(300 / 7) = 43 updates, so 50 updates run 1 epoch and 7 of the next); label_noise
    flips that share of the 300 training labels."""
    run = labs.run("ch01_spiral", {"updates": "50", "batch_size": "7", "label_noise": "0.5"},
                   reference=True).run
    assert run.status == "completed", run.traceback or run.log
    assert run.metrics["updates_per_epoch"] == 43 and run.metrics["updates"] == 50
    assert run.metrics["epochs_run"] == pytest.approx(50 / 43)
    assert len(labs.get_run(run.id).series["loss"]) == 50
    assert "300 training points (150 labels flipped), 300 held out" in run.log


@pytest.mark.parametrize("lab_id", EXERCISES)
def test_the_untouched_exercise_fails_every_hole_clearly_and_gives_no_feedback(labs, lab_id):
    skip_without_torch(lab_id)
    started(labs, lab_id)
    report = labs.run(lab_id)
    run = report.run
    assert run.graded and report.feedback == [] and run.grade is None, run.log
    assert [h["status"] for h in run.holes] == ["not_started"] * len(SHIPPED.labs[lab_id].holes)
    for hole in run.holes:
        spec = SHIPPED.labs[lab_id].holes[hole["name"]]
        assert hole["where"].startswith(spec.file + ":") and "Traceback" not in hole["message"]
        assert hole["message"] == (f"hole {hole['name']} is not started ({hole['where']}): write "
                                   "your code in place of its `raise NotImplementedError`")
    assert {card.schedule.sm2.ef for card in labs.collection.search()} == {2.5}


@pytest.mark.slow
@pytest.mark.parametrize("lab_id", EXERCISES)
def test_each_hole_passes_alone_and_a_planted_mistake_fails_only_its_hole(labs, lab_id, tmp_path):
    """For every hole: a copy with only that hole written (from the reference) passes it, so its
    checks need no other hole; a copy with every hole right but a classic mistake in that one
    fails exactly it. All the copies are checked in one process."""
    skip_without_torch(lab_id)
    spec = SHIPPED.labs[lab_id]
    labs.start(lab_id)
    exercise = labs.collection.layout.workspace / lab_id
    variants = {}
    for hole, mistake in WRONG[lab_id].items():
        for kind, fill in (("alone", {"only": {hole}}), ("wrong", {"wrong": {hole: mistake}})):
            folder = tmp_path / f"{kind}-{hole}"
            shutil.copytree(exercise, folder)
            solve(folder, spec.dir, **fill)
            variants[f"{kind}:{hole}"] = folder
    results = check_variants(spec.dir, list(spec.holes), variants)
    for hole in spec.holes:
        assert results[f"alone:{hole}"] == {
            name: "passed" if name == hole else "not_started" for name in spec.holes}, hole
        assert results[f"wrong:{hole}"] == {
            name: "failed" if name == hole else "passed" for name in spec.holes}, hole


@pytest.mark.parametrize("lab_id", EXERCISES)
def test_the_learner_s_copy_with_every_hole_right_trains_and_is_graded(labs, lab_id):
    skip_without_torch(lab_id)
    workspace = started(labs, lab_id)
    solve(workspace, SHIPPED.labs[lab_id].dir)
    report = labs.run(lab_id)
    run = report.run
    assert run.status == "completed" and run.learner and run.graded, run.traceback or run.log
    assert run.passed and run.grade == 5, (run.metrics, run.holes)
    links = labs.card_links(lab_id)
    assert set(links) == {None, *SHIPPED.labs[lab_id].holes}  # the whole lab and each hole
    assert len(report.feedback) == len(links) and {e.grade for e in report.feedback} == {5}


def test_one_hole_wrong_one_right_moves_only_those_two_holes_cards(labs):
    """The newcomer's first run: sigmoid_forward right, sgd_update wrong, the rest untouched."""
    workspace = started(labs, "ch01_spiral")
    solve(workspace, SHIPPED.labs["ch01_spiral"].dir, only={"sigmoid_forward"},
          wrong={"sgd_update": WRONG["ch01_spiral"]["sgd_update"]})
    report = labs.run("ch01_spiral")
    statuses = {h["name"]: h["status"] for h in report.run.holes}
    assert statuses == {"sigmoid_forward": "passed", "sigmoid_backward": "not_started",
                        "affine_backward": "not_started", "softmax_with_loss_backward": "not_started",
                        "sgd_update": "failed"}
    sgd = next(h for h in report.run.holes if h["name"] == "sgd_update")
    assert (sgd["passed"], sgd["total"]) == (1, 2) and "in place" in sgd["message"]
    links = labs.card_links("ch01_spiral")
    moved = {e.card_id: e.grade for e in report.feedback}
    assert moved == {links["sigmoid_forward"][0]: 5, links["sgd_update"][0]: 2}


def test_count_vectors_ppmi_and_svd_find_the_classes_raw_counts_miss(labs):
    """The chapter's claim, on seed 0: reweighting by PPMI beats raw counts, and PPMI zeroes
    more entries than the counts leave empty (pairs that meet less often than chance)."""
    run = labs.run("ch02_count_vectors", reference=True).run
    assert run.passed, run.log
    metrics = run.metrics
    assert metrics["nn_agreement"] > metrics["nn_agreement_counts"] + 0.05, metrics
    assert metrics["ppmi_sparsity"] > metrics["count_sparsity"], metrics


def test_simple_cbow_stops_at_its_floor_of_ln2_over_3(labs):
    """CBOW averages its two context words, so "and _ say" and "say _ and" (two different
    targets) look the same: 5 of 6 pairs at best, and a loss no lower than ln 2 / 3."""
    run = labs.run("ch03_simple_cbow", reference=True).run
    assert run.passed, run.log
    assert run.metrics["accuracy"] == pytest.approx(5 / 6)
    assert math.log(2) / 3 - 1e-6 <= run.metrics["final_loss"] <= 0.25  # 1e-6: the +1e-7 in the log
    assert run.metrics["updates_per_epoch"] == 2  # floor(6 / 3), as the book's Trainer counts
