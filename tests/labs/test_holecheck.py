"""The checks of each hole, run for real in the lab's process (the bootstrap), on a tiny
exercise lab: not started, wrong, crashing, right; the entry runs only when every hole passes."""

import sys

import pytest

from studyterm.labs import Labs, SubprocessRunner
from tests.labs.conftest import fill_hole, write_lab

pytestmark = pytest.mark.real_timers  # real lab processes (pyproject.toml says why)

FAST = SubprocessRunner(kill_grace_s=0.5, poll_s=0.02)


@pytest.fixture
def real(collection, spiral_lab, linked_notes):
    collection.sync()
    labs = Labs(collection, FAST)
    labs.start("spiral")
    return labs


@pytest.fixture
def workspace(collection_root):
    return collection_root / "workspace" / "spiral"


def by_name(run):
    return {hole["name"]: hole for hole in run.holes}


def test_an_untouched_exercise_names_each_hole_and_its_line(real):
    run = real.check("spiral").run
    assert run.status == "completed" and run.passed is False, run.log
    holes = by_name(run)
    assert holes["double"] == {
        "name": "double", "status": "not_started", "passed": 0, "total": 2, "where": "model.py:5",
        "message": "hole double is not started (model.py:5): write your code in place of its "
                   "`raise NotImplementedError`", "hints": 0}
    assert (holes["shift"]["status"], holes["shift"]["where"]) == ("not_started", "model.py:13")
    assert "Traceback" not in run.log


def test_a_full_run_of_an_untouched_exercise_never_runs_the_entry(real):
    run = real.run("spiral").run
    assert run.status == "completed" and "training" not in run.log
    assert run.reason == "not run: 2 holes not passing" and run.metrics == {}
    assert [t["met"] for t in run.targets] == [False, False]


def test_a_wrong_answer_fails_exactly_its_hole_with_the_first_message(real, workspace):
    fill_hole(workspace, "model.py", "double", "return 3 * x")
    fill_hole(workspace, "model.py", "shift", "y = x + 1")
    holes = by_name(real.check("spiral").run)
    assert holes["double"] == {"name": "double", "status": "failed", "passed": 0, "total": 2,
                               "message": "scale(3) gave 9, want 6", "where": "model.py:2",
                               "hints": 0}
    assert holes["shift"]["status"] == "passed" and holes["shift"]["passed"] == 1


def test_a_half_right_hole_counts_its_passing_checks(real, workspace):
    fill_hole(workspace, "model.py", "double", "return 6 if x == 3 else x")
    holes = by_name(real.check("spiral").run)
    assert (holes["double"]["status"], holes["double"]["passed"]) == ("failed", 1)
    assert holes["double"]["message"] == "scale(-1.5) gave -1.5, want -3.0"
    assert holes["shift"]["status"] == "not_started"


def test_an_exception_in_the_learner_s_code_is_one_line_with_its_place(real, workspace):
    fill_hole(workspace, "model.py", "double", "return x @ None")
    fill_hole(workspace, "model.py", "shift", "y = x.missing")
    holes = by_name(real.check("spiral").run)
    assert holes["double"]["message"].startswith("TypeError: unsupported operand type(s) for @")
    assert holes["double"]["where"] == "model.py:5"
    assert holes["shift"]["message"] == "AttributeError: 'int' object has no attribute 'missing'"
    assert holes["shift"]["where"] == "model.py:13"


def test_a_syntax_error_fails_every_hole_of_that_file_with_its_line(real, workspace):
    fill_hole(workspace, "model.py", "double", "return 2 *")
    holes = by_name(real.check("spiral").run)
    for hole in holes.values():
        assert hole["status"] == "failed" and hole["where"] == "model.py:5"
        assert hole["message"].startswith("SyntaxError")


def test_a_check_that_meets_another_hole_s_stub_names_that_hole(real, workspace, spiral_lab):
    checks = spiral_lab / "checks.py"
    checks.write_text(checks.read_text().replace("learner.model.shift(1)",
                                                 "learner.model.shift(learner.model.scale(0) + 1)"))
    fill_hole(workspace, "model.py", "shift", "y = x + 1")
    holes = by_name(real.check("spiral").run)
    assert holes["shift"]["status"] == "failed"
    assert holes["shift"]["message"] == "needs hole double (model.py:2), which is not written yet"


def test_every_hole_right_runs_the_entry_with_the_learner_s_code(real, workspace):
    fill_hole(workspace, "model.py", "double", "return x * 2")
    fill_hole(workspace, "model.py", "shift", "y = 1 + x")
    report = real.run("spiral")
    run = report.run
    assert [h["status"] for h in run.holes] == ["passed", "passed"]
    assert "training" in run.log and run.metrics == {"accuracy": 0.97, "final_loss": 0.1}
    assert (run.passed, run.grade, run.graded) == (True, 5, True)
    assert len(report.feedback) == 2  # the two cards linking the whole lab


def test_the_checks_only_mode_never_runs_the_entry(real, workspace):
    fill_hole(workspace, "model.py", "double", "return x * 2")
    fill_hole(workspace, "model.py", "shift", "y = 1 + x")
    run = real.check("spiral").run
    assert run.passed is True and "training" not in run.log and run.metrics == {}


def test_the_reference_passes_its_own_checks(real):
    run = real.run("spiral", reference=True).run
    assert [h["status"] for h in run.holes] == ["passed", "passed"]
    assert run.passed is True and not run.graded and not run.learner


def test_checks_for_an_undeclared_hole_crash_the_run_as_the_lab_s_error(real, spiral_lab):
    checks = spiral_lab / "checks.py"
    checks.write_text(checks.read_text() + '\n@labkit.check("triple", "x")\ndef t(l, r):\n    pass\n')
    run = real.check("spiral").run
    assert run.status == "crashed"
    assert "checks.py has checks for hole(s) triple, which lab.toml does not declare" in run.traceback


def test_a_demo_lab_runs_its_entry_straight_away(real, collection_root):
    write_lab(collection_root, "demo", script="""
        import sys
        from studyterm import labkit
        print("argv", sys.argv[0].endswith("train.py"), __name__)
        labkit.result(accuracy=0.99, final_loss=0.01)
        """)
    run = real.run("demo").run
    assert run.status == "completed" and run.holes == [] and "argv True __main__" in run.log


def test_the_learner_s_modules_and_the_reference_s_stay_apart(real, workspace, spiral_lab):
    """A check sees two different `model` modules, each importing its own siblings."""
    (spiral_lab / "helper.py").write_text("WHO = 'reference'\n")
    (workspace / "helper.py").write_text("WHO = 'learner'\n")
    for folder in (spiral_lab, workspace):
        model = folder / "model.py"
        model.write_text("import helper\n" + model.read_text())
    checks = spiral_lab / "checks.py"
    checks.write_text(checks.read_text() + '''
@labkit.check("shift", "the two copies are apart")
def apart(learner, reference):
    import sys
    labkit.expect_true(learner.model.helper.WHO == "learner", "learner sees " + learner.model.helper.WHO)
    labkit.expect_true(reference.model.helper.WHO == "reference", "reference mixed up")
    labkit.expect_true("model" not in sys.modules and "helper" not in sys.modules, "leaked")
''')
    fill_hole(workspace, "model.py", "shift", "y = x + 1")
    holes = by_name(real.check("spiral").run)
    assert holes["shift"]["status"] == "passed", holes["shift"]
    assert sys.modules.get("helper") is None


def test_a_crash_of_the_entry_shows_a_traceback_from_the_script(real, workspace):
    fill_hole(workspace, "model.py", "double", "return x * 2")
    fill_hole(workspace, "model.py", "shift", "y = 1 + x")
    (workspace / "train.py").write_text("import model\n\nmodel.scale(None)\n")
    run = real.run("spiral").run
    assert run.status == "crashed"
    lines = run.traceback.splitlines()
    assert lines[0] == "Traceback (most recent call last):"
    assert lines[1].endswith('workspace/spiral/train.py", line 3, in <module>')
    assert "bootstrap" not in run.traceback and "runpy" not in run.traceback
    assert lines[-1] == "TypeError: unsupported operand type(s) for *: 'NoneType' and 'int'"
