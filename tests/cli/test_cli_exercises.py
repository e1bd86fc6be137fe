"""`studyterm lab start | check | hint` and `lab run` on an exercise, with the real runner."""

import pytest

from tests.conftest import write_note
from tests.labs.conftest import fill_hole, write_exercise_lab
from tests.labs.exercises import replace_hole

pytestmark = pytest.mark.real_timers  # real lab processes (pyproject.toml says why)


@pytest.fixture
def spiral(collection_root):
    folder = write_exercise_lab(collection_root)
    write_note(collection_root, "concepts/training.md", "---\nlab: spiral\n---\nepoch :: one pass\n")
    return folder


@pytest.fixture
def workspace(collection_root):
    return collection_root / "workspace" / "spiral"


def test_start_lists_the_holes_with_their_place(run, spiral, workspace):
    result = run("lab", "start", "spiral")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "wrote workspace/spiral/ (model.py, train.py): 2 holes to write",
        "  double  workspace/spiral/model.py:3  scale",
        "  shift   workspace/spiral/model.py:11  shift",
        "next: fill a hole, then `studyterm lab check spiral`; `studyterm lab hint spiral HOLE` "
        "when stuck",
    ]
    again = run("lab", "start", "spiral")
    assert again.exit_code == 1 and again.stderr.startswith("Error: ")
    assert "already exists: it is your copy of spiral, and studyterm never overwrites it" in again.stderr
    shape = run("lab", "start", "spiral", "--json")
    assert shape.exit_code == 1


def test_start_json(run, spiral, workspace):
    shape = run("lab", "start", "spiral", "--json", json_out=True)
    assert shape == {"lab": "spiral", "workspace": str(workspace), "files": ["model.py", "train.py"],
                     "holes": [{"name": "double", "title": "scale", "file": "model.py", "line": 3},
                               {"name": "shift", "title": "shift", "file": "model.py", "line": 11}]}


def test_check_an_untouched_exercise_names_every_hole_without_a_traceback(run, spiral):
    run("lab", "start", "spiral")
    result = run("lab", "check", "spiral")
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        "holes: 0/2 passed",
        "  - double  not started  model.py:5: write your code in place of its `raise NotImplementedError`",
        "  - shift   not started  model.py:13: write your code in place of its `raise NotImplementedError`",
    ]


def test_check_one_wrong_one_right(run, spiral, workspace):
    run("lab", "start", "spiral")
    fill_hole(workspace, "model.py", "double", "return x + 2")
    fill_hole(workspace, "model.py", "shift", "y = x + 1")
    result = run("lab", "check", "spiral")
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        "holes: 1/2 passed",
        "  ✗ double  0/2 checks  model.py:2: scale(3) gave 5, want 6",
        "  ✓ shift   1/1 checks",
    ]
    (workspace / "model.py").write_text((workspace / "model.py").read_text().replace("x + 2", "2 * x"))
    assert run("lab", "check", "spiral").exit_code == 0
    shape = run("lab", "check", "spiral", "--json")
    assert shape.exit_code == 0
    assert run("lab", "check", "spiral", "--reference").exit_code == 0


def test_a_run_of_an_untouched_exercise_explains_itself(run, spiral):
    run("lab", "start", "spiral")
    lines = run("lab", "run", "spiral").output.splitlines()
    assert "  - double  not started  model.py:5: write your code in place of its `raise NotImplementedError`" in lines
    assert lines[-1] == "not run: 2 holes not passing; a hole not started gives no feedback"


def test_run_before_start_says_what_to_do(run, spiral):
    result = run("lab", "run", "spiral")
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: you have not started lab spiral: `studyterm lab start spiral`")
    assert len(result.stderr.strip().splitlines()) == 1


def test_hints_one_at_a_time(run, spiral):
    run("lab", "start", "spiral")
    assert run("lab", "hint", "spiral", "double").output.splitlines() == [
        "double (scale): hint 1 of 3", "  1. Multiply."]
    assert run("lab", "hint", "spiral", "double", "--json", json_out=True) == {
        "lab": "spiral", "hole": "double", "revealed": 2, "total": 3,
        "hints": ["Multiply.", "By two."]}
    assert run("lab", "hint", "spiral", "double").output.splitlines()[-1] == "that was the last hint"
    bad = run("lab", "hint", "spiral", "triple")
    assert bad.exit_code == 1 and bad.stderr == (
        "Error: lab spiral has no hole 'triple' (its holes: double, shift)\n")


def test_list_shows_holes_and_a_hole_the_lab_changed(run, spiral, workspace):
    assert "2 holes (not started), 1 card, no runs" in run("lab", "list").output
    run("lab", "start", "spiral")
    fill_hole(workspace, "model.py", "shift", "y = x + 1")
    run("lab", "check", "spiral")
    model = spiral / "model.py"
    model.write_text(model.read_text().replace("return 2 * x", "return x + x"))
    lines = run("lab", "list").output.splitlines()
    assert "1/2 holes passing, 1 card, 1 run (last: failed, 2026-11-21)" in lines[0]
    assert lines[1] == ("  note: hole double changed in the lab since you started: "
                        "`studyterm lab diff spiral double`")
    (lab,) = run("lab", "list", "--json", json_out=True)["labs"]
    assert lab["exercise"] == {"started": True, "workspace": str(workspace),
                               "holes": {"double": "not_started", "shift": "passing"},
                               "changed": [{"hole": "double", "change": "changed"}]}
    assert lab["holes"]["double"] == {"title": "scale", "task": "Return twice x.", "hints": 3,
                                      "file": "model.py", "line": 2}
    assert run("lab", "run", "spiral").stderr.startswith("note: hole double changed in the lab")


HOLE_NOTE = """
doubling :: 2x
lab: spiral#double

slow learning :: misses the target
lab: spiral#slow

typo :: link
lab: spiral#dubble
"""


def card_id(run, question):
    return next(c["id"] for c in run("due", "--json", json_out=True)["cards"] if c["question"] == question)


def test_a_graded_run_moves_the_hole_s_card_and_undo_takes_it_back(run, spiral, workspace, collection_root):
    write_note(collection_root, "concepts/holes.md", HOLE_NOTE)
    run("lab", "start", "spiral")
    fill_hole(workspace, "model.py", "double", "return x + 2")
    result = run("lab", "run", "spiral")
    doubling = card_id(run, "doubling")
    assert [line for line in result.output.splitlines() if line.startswith("  card ")] == [
        f"  card {doubling}: lab spiral#double failed 0/2 checks: model.py:2: "
        "scale(3) gave 5, want 6: EF 2.50 → 1.96, due today"]
    assert run("card", doubling, "--json", json_out=True)["ef"] == 1.96
    undo = run("lab", "undo", "1")
    assert undo.exit_code == 0 and undo.output == f"card {doubling}: back to EF 2.50, new\n"
    assert run("card", doubling, "--json", json_out=True)["ef"] == 2.5
    assert run("lab", "undo", "1").output == "run 1 changed no card (or its changes are undone already)\n"
    assert run("lab", "undo", "9").stderr == "Error: no lab run 9\n"


def test_a_prediction_is_asked_answered_and_logged(run, spiral, workspace, collection_root):
    write_note(collection_root, "concepts/holes.md", HOLE_NOTE)
    run("lab", "start", "spiral")
    fill_hole(workspace, "model.py", "double", "return x * 2")
    fill_hole(workspace, "model.py", "shift", "y = x + 1")
    skipped = run("lab", "run", "spiral", "-p", "lr=0.1")
    assert skipped.stderr.splitlines() == [
        "this run asks prediction slow: With a learning rate below 0.5, the accuracy will...",
        "  1. reach the target", "  2. miss it",
        "  (answer with --predict slow=N before the run; skipped now)"]
    answered = run("lab", "run", "spiral", "-p", "lr=0.1", "--predict", "slow=1")
    assert answered.stderr == ""
    assert 'prediction slow: you said "reach the target": wrong; the run showed "miss it"' in answered.output
    slow = card_id(run, "slow learning")
    assert (f"  card {slow}: lab spiral#slow predicted reach the target; the run showed miss it: "
            "EF 2.50 → 2.18, due today") in answered.output.splitlines()
    shape = run("lab", "show", "2", "--json", json_out=True)
    assert shape["predictions"][0]["correct"] is False and not shape["graded"]
    assert run("card", card_id(run, "doubling"), "--json", json_out=True)["ef"] == 2.5
    bad = run("lab", "run", "spiral", "--predict", "slow=1")
    assert bad.exit_code == 1 and "prediction 'slow' is not asked by these parameters" in bad.stderr
    assert run("lab", "run", "spiral", "-p", "lr=0.1", "--predict", "slow=0").exit_code == 2


def test_diff_shows_the_learner_s_code_beside_the_reference(run, spiral, workspace):
    run("lab", "start", "spiral")
    replace_hole(workspace / "model.py", "double", "    return x + x\n")
    lines = run("lab", "diff", "spiral", "double").output.splitlines()
    assert lines == [
        "double (scale): Return twice x.",
        "--- your code (workspace/spiral/model.py:2)",
        "+++ reference (labs/spiral/model.py:2)",
        "@@ -1 +1 @@",
        "-return x + x",
        "+return 2 * x",
    ]
    shape = run("lab", "diff", "spiral", "double", "--json", json_out=True)
    assert (shape["learner"], shape["reference"], shape["changed"]) == ("return x + x\n", "return 2 * x\n", False)


def test_list_reports_a_link_to_no_hole(run, spiral, collection_root):
    write_note(collection_root, "concepts/holes.md", HOLE_NOTE)
    lines = run("lab", "list").output.splitlines()
    assert "labs/spiral: 1 card links spiral#dubble, which is no hole or prediction of the lab" in lines
    assert "2 holes (not started), 4 cards, no runs" in lines[0]


def test_runs_says_what_ran_and_how(run, spiral, workspace):
    run("lab", "start", "spiral")
    run("lab", "check", "spiral")
    run("lab", "run", "spiral")
    run("lab", "run", "spiral", "--reference", "-p", "lr=0.9")
    lines = run("lab", "runs", "spiral").output.splitlines()
    assert [line.split("  ")[0] for line in lines] == ["run", "3", "2", "1"]
    assert lines[0].split() == ["run", "day", "status", "code", "params", "result"]
    assert lines[1].split() == ["3", "2026-11-21", "completed", "reference", "lr=0.9", "epochs=300", "passed"]
    assert lines[2].split()[2:6] == ["completed", "yours,", "graded", "lr=1.0"]
    assert lines[2].endswith("not run: 2 holes not passing")
    assert lines[3].split()[2:5] == ["completed", "(check)", "yours"]
    assert lines[3].endswith("0/2 holes passed")
