"""Exercise labs through the Labs API with a fake runner: the workspace, what runs where, which
runs are graded (only the learner's code at the defaults in full mode), hints."""

import json

import pytest

from studyterm.labs import LabError, Labs, RunMode
from studyterm.labs.workspace import WorkspaceError
from tests.labs.conftest import write_lab
from tests.labs.fakes import completed, holes

PASS = {"accuracy": 0.97, "final_loss": 0.1}


def passing():
    return completed(PASS, holes=holes(double="passed", shift="passed"))


def spiral_efs(labs):
    return {card.schedule.sm2.ef for card in labs.linked_cards("spiral")}


def test_start_writes_the_exercise_and_a_base_file(labs, collection_root):
    folder = collection_root / "workspace" / "spiral"
    assert sorted(p.name for p in folder.iterdir()) == [".lab-base.json", "model.py", "train.py"]
    model = (folder / "model.py").read_text()
    assert 'raise NotImplementedError("hole double")' in model and "2 * x" not in model
    assert "# >>> hole double" in model and "# <<< hole shift" in model
    assert "    # TODO: Return twice x." in model
    base = json.loads((folder / ".lab-base.json").read_text())
    spec = labs.spec("spiral")
    assert base == {"lab": "spiral", "started_at": "2026-11-21T10:00:00+00:00",
                    "holes": {name: hole.fingerprint for name, hole in spec.holes.items()}}


def test_start_never_overwrites_a_workspace(labs, collection_root):
    model = collection_root / "workspace" / "spiral" / "model.py"
    model.write_text("my work\n")
    with pytest.raises(WorkspaceError, match="already exists: it is your copy of spiral"):
        labs.start("spiral")
    assert model.read_text() == "my work\n"


def test_a_demo_lab_has_nothing_to_start_or_check(labs, collection_root):
    write_lab(collection_root, "demo")
    with pytest.raises(LabError, match="lab demo has no holes to write: it is a demo lab"):
        labs.start("demo")
    with pytest.raises(LabError, match="lab demo is a demo lab"):
        labs.check("demo")
    assert not (collection_root / "workspace" / "demo").exists()


def test_a_run_before_start_says_how_to_start(collection, spiral_lab, fake_runner):
    labs = Labs(collection, fake_runner)
    with pytest.raises(LabError, match=r"you have not started lab spiral: `studyterm lab start spiral` "
                                       r"writes your copy to .*workspace/spiral \(`--reference`"):
        labs.run("spiral")
    assert fake_runner.requests == []
    labs.run("spiral", reference=True)
    assert fake_runner.requests[0].code_dir == spiral_lab


def test_the_learner_s_copy_runs_with_the_lab_s_checks(labs, fake_runner, collection_root):
    fake_runner.result = passing()
    run = labs.run("spiral").run
    (request,) = fake_runner.requests
    workspace = collection_root / "workspace" / "spiral"
    assert request.code_dir == workspace and request.script == workspace / "train.py"
    assert request.lab_dir == collection_root / "labs" / "spiral"
    assert request.checks == request.lab_dir / "checks.py"
    assert request.holes == ("double", "shift") and request.mode is RunMode.FULL
    assert run.learner and run.graded and run.mode == "full"
    assert [h["status"] for h in run.holes] == ["passed", "passed"]


@pytest.mark.parametrize("how", [
    {"params": {"lr": "0.9"}},
    {"reference": True},
    {"quick": True},
])
def test_exploration_never_changes_a_card(labs, fake_runner, how):
    fake_runner.result = completed({"accuracy": 0.1, "final_loss": 9.0},
                                   holes=holes(double="failed", shift="failed"))
    report = labs.run("spiral", how.get("params"), reference=how.get("reference", False),
                      quick=how.get("quick", False))
    assert report.feedback == [] and not report.run.graded
    assert report.run.grade == 1  # what it would have been: stored, shown, never applied
    assert spiral_efs(labs) == {2.5}
    assert labs.collection.history(labs.linked_cards("spiral")[0].id) == []


def test_a_sweep_and_a_check_never_change_a_card(labs, fake_runner):
    fake_runner.result = completed({"accuracy": 0.1, "final_loss": 9.0},
                                   holes=holes(double="failed", shift="failed"))
    labs.sweep("spiral", {"lr": ["1.0"]})
    check = labs.check("spiral").run
    assert fake_runner.requests[-1].mode is RunMode.CHECK
    assert (check.mode, check.graded, check.grade, check.targets) == ("check", False, None, [])
    assert check.passed is False
    assert spiral_efs(labs) == {2.5}


def test_the_defaults_given_explicitly_are_still_graded(labs, fake_runner):
    fake_runner.result = passing()
    assert labs.run("spiral", {"lr": "1.0", "epochs": "300"}).run.graded


def test_a_demo_lab_never_changes_a_card(labs, fake_runner, collection_root):
    write_lab(collection_root, "demo")
    (collection_root / "concepts" / "demo.md").write_text("demo :: card\nlab: demo\n")
    labs.collection.sync()
    fake_runner.result = completed({"accuracy": 0.1, "final_loss": 9.0})
    report = labs.run("demo")
    assert fake_runner.requests[-1].code_dir == collection_root / "labs" / "demo"
    assert fake_runner.requests[-1].checks is None and fake_runner.requests[-1].holes == ()
    assert (report.run.grade, report.run.passed, report.run.graded, report.feedback) == (1, False, False, [])


def test_an_untouched_exercise_gives_no_feedback(labs, fake_runner):
    fake_runner.result = completed({}, holes=holes(double="not_started", shift="not_started"))
    report = labs.run("spiral")
    run = report.run
    assert run.graded and report.feedback == []
    assert (run.grade, run.passed, run.reason) == (None, False, "not run: 2 holes not passing")
    assert [t["met"] for t in run.targets] == [False, False]
    assert spiral_efs(labs) == {2.5}


def test_targets_count_as_not_met_when_a_hole_fails(labs, fake_runner):
    fake_runner.result = completed(PASS, holes=holes(double="passed", shift="failed"))
    run = labs.run("spiral").run
    assert [(t["value"], t["met"]) for t in run.targets] == [(None, False), (None, False)]
    assert (run.passed, run.grade) == (False, 2)


def test_hints_are_revealed_one_at_a_time_and_remembered(labs, clock):
    assert labs.hint("spiral", "double") == (1, ("Multiply.", "By two.", "return 2 * x"))
    assert labs.hint("spiral", "double")[0] == 2
    assert labs.hint("spiral", "double")[0] == 3
    assert labs.hint("spiral", "double")[0] == 3  # no more to reveal
    assert labs.hint("spiral", "shift")[0] == 1
    assert labs.hints_revealed("spiral") == {"double": 3, "shift": 1}
    with pytest.raises(LabError, match=r"lab spiral has no hole 'triple' \(its holes: double, shift\)"):
        labs.hint("spiral", "triple")


def test_hole_states_follow_the_newest_result_of_the_learner_s_code(labs, fake_runner):
    assert labs.exercise_state("spiral").holes == {"double": "not_started", "shift": "not_started"}
    fake_runner.result = completed({}, holes=holes(double="failed", shift="not_started"))
    labs.check("spiral")
    fake_runner.result = completed({}, holes=holes(double="passed", shift="passed"))
    labs.run("spiral", reference=True)  # the reference's results are not the learner's
    state = labs.exercise_state("spiral")
    assert state.started and state.holes == {"double": "failing", "shift": "not_started"}
    fake_runner.result = completed({}, holes=holes(double="passed", shift="failed"))
    labs.check("spiral")
    assert labs.exercise_state("spiral").holes == {"double": "passing", "shift": "failing"}
    assert labs.exercise_state("spiral").passing == 1


def test_a_hole_the_lab_changed_since_start_is_reported(labs, spiral_lab):
    assert labs.exercise_state("spiral").changed == []
    model = spiral_lab / "model.py"
    model.write_text(model.read_text().replace("return 2 * x", "return x + x"))
    toml = spiral_lab / "lab.toml"
    toml.write_text(toml.read_text().replace('task = "Return x plus one."', 'task = "Add 1 to x."'))
    changes = labs.exercise_state("spiral").changed
    assert [(c.name, c.change) for c in changes] == [("double", "changed"), ("shift", "changed")]
    assert changes[0].text("spiral") == (
        "hole double changed in the lab since you started: `studyterm lab diff spiral double`")
