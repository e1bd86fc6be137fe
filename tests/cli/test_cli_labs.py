"""`studyterm lab ...` end to end, with the real runner on tiny labs."""

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from studyterm.cli import cli
from tests.cli.conftest import NOW
from tests.conftest import write_note
from tests.labs.conftest import fill_hole, write_exercise_lab, write_lab

pytestmark = pytest.mark.real_timers  # real lab processes / file watching (pyproject.toml says why)

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def spiral(collection_root, run):
    """The tiny exercise lab, started, with both holes written right."""
    write_exercise_lab(collection_root)
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
        """,
    )
    assert run("lab", "start", "spiral").exit_code == 0
    workspace = collection_root / "workspace" / "spiral"
    fill_hole(workspace, "model.py", "double", "return x * 2")
    fill_hole(workspace, "model.py", "shift", "y = x + 1")
    return workspace


def card_ids(run):
    return [card["id"] for card in run("due", "--json", json_out=True)["cards"]]


def test_lab_list_json(run, spiral, collection_root):
    write_lab(collection_root, "broken", 'title = "no entry"\n')
    write_note(collection_root, "concepts/more.md", "Q: lost?\nA: yes\nlab: missing_lab\n")
    shape = run("lab", "list", "--json", json_out=True)
    (lab,) = shape["labs"]
    assert lab["id"] == "spiral" and lab["title"] == "Spiral"
    assert lab["params"]["lr"] == {"type": "float", "default": 1.0, "help": "", "min": 0.0,
                                   "max": None, "choices": None}
    assert lab["metrics"]["loss"] == {"unit": "nats", "help": "", "series": True}
    assert lab["targets"] == ["accuracy >= 0.95", "final_loss <= 0.15"]
    assert (lab["cards"], lab["runs"], lab["last_run"], lab["quick"]) == (2, 0, None, {"epochs": 5})
    assert shape["problems"] == [
        {"path": "labs/broken/lab.toml", "message": "entry must be given as a non-empty string"},
        {"path": "labs/missing_lab", "message": "1 card links this lab, but it has no lab.toml"},
    ]


def test_lab_run_json_stores_the_run_and_feeds_back(run, spiral):
    shape = run("lab", "run", "spiral", "--json", json_out=True)
    assert set(shape) == {
        "id", "lab", "card", "sweep", "started_at", "day", "duration_s", "status", "exit_code",
        "reason", "quick", "mode", "learner", "graded", "params", "metrics", "targets", "passed",
        "grade", "holes", "predictions", "fingerprint", "traceback", "feedback", "series"}
    assert (shape["id"], shape["status"], shape["passed"], shape["grade"]) == (1, "completed", True, 5)
    assert (shape["mode"], shape["learner"], shape["graded"], shape["predictions"]) == (
        "full", True, True, [])
    assert shape["holes"][0] == {"name": "double", "status": "passed", "passed": 2, "total": 2,
                                 "message": "", "where": "", "hints": 0}
    assert shape["params"] == {"lr": 1.0, "epochs": 300}
    assert shape["metrics"] == {"accuracy": 0.97, "final_loss": 0.1}
    assert shape["targets"][0] == {"target": "accuracy >= 0.95", "metric": "accuracy", "op": ">=",
                                   "threshold": 0.95, "value": 0.97, "met": True}
    assert [f["card"] for f in shape["feedback"]] == card_ids(run)
    assert (shape["feedback"][0]["ef_before"], shape["feedback"][0]["ef_after"]) == (2.5, 2.6)


def test_lab_run_text_and_card_history(run, spiral):
    (spiral / "train.py").write_text(  # the learner's own training code misses the targets
        "from studyterm import labkit\nlabkit.result(accuracy=0.5, final_loss=0.9)\n")
    result = run("lab", "run", "spiral")
    assert result.exit_code == 0, result.output
    first, second = card_ids(run)
    lines = result.output.splitlines()
    assert lines[0].startswith("lab spiral, run 1: completed in ") and lines[0].endswith("(your code, graded)")
    assert lines[1:5] == ["  lr=1.0 epochs=300", "holes: 2/2 passed", "  ✓ double  2/2 checks",
                          "  ✓ shift   1/1 checks"]
    assert "failed: missed accuracy ≥ 0.95 (0.5), final_loss ≤ 0.15 (0.9) (grade 2)" in lines
    event = "lab spiral missed accuracy ≥ 0.95 (0.5), final_loss ≤ 0.15 (0.9): EF 2.50 → 2.18, due today"
    assert f"  card {first}: {event}" in lines and f"  card {second}: {event}" in lines
    shape = run("card", first, "--json", json_out=True)
    assert shape["lab"] == "spiral" and (shape["ef"], shape["due"]) == (2.18, "2026-11-21")
    (entry,) = shape["history"]
    assert (entry["source"], entry["kind"], entry["grade"]) == ("lab", "lab", 2)
    assert entry["detail"]["run"] == 1 and entry["detail"]["lab"] == "spiral"
    assert event in run("card", first).output


def test_exploration_prints_why_it_changed_no_card(run, spiral):
    lines = run("lab", "run", "spiral", "--param", "lr=0.1").stdout.splitlines()
    assert lines[0].endswith("(your code)")
    assert ("failed: missed accuracy ≥ 0.95 (0.5), final_loss ≤ 0.15 (0.9) (grade 2); exploration: "
            "only a run of your code at the lab's defaults is graded") in lines
    reference = run("lab", "run", "spiral", "--reference").output.splitlines()
    assert reference[0].endswith("(reference)")
    assert ("passed: met all 2 targets (grade 5); a run of the reference solution never changes "
            "a card") in reference
    assert {c["ef"] for c in (run("card", i, "--json", json_out=True) for i in card_ids(run))} == {2.5}


def test_launching_card_and_errors(run, spiral, collection_root):
    first = card_ids(run)[0]
    assert run("lab", "run", "spiral", "--card", first[:5], "--json", json_out=True)["card"] == first
    write_note(collection_root, "concepts/x.md", "other :: card\n")
    cards = run("due", "--json", json_out=True)["cards"]
    unlinked = next(card["id"] for card in cards if card["question"] == "other")
    bad_card = run("lab", "run", "spiral", "--card", unlinked)
    assert bad_card.exit_code == 1
    assert bad_card.stderr == f"Error: card {unlinked} links no lab, not 'spiral'\n"
    for args, message in [
        (("lab", "run", "nope"), "Error: no lab 'nope' in"),
        (("lab", "run", "spiral", "-p", "lr=fast"), "Error: parameter lr: expected a number, got 'fast'"),
        (("lab", "show", "99"), "Error: no lab run 99"),
    ]:
        result = run(*args)
        assert result.exit_code == 1 and result.stderr.startswith(message), result.output
        assert len(result.stderr.strip().splitlines()) == 1
    assert run("lab", "run", "spiral", "-p", "lr").exit_code == 2


def test_lab_show_json_has_series_and_log(run, spiral, collection_root):
    (spiral / "train.py").write_text(textwrap.dedent("""
        from studyterm import labkit
        print("hello from the lab")
        labkit.metric("loss", 1, 0.5)
        labkit.result(accuracy=0.99, final_loss=0.05)
        """))
    run("lab", "run", "spiral")
    shape = run("lab", "show", "1", "--json", json_out=True)
    assert shape["log"] == "hello from the lab" and shape["series"] == {"loss": [[1, 0.5]]}
    assert len(shape["feedback"]) == 2
    text = run("lab", "show", "1").output
    assert "passed: met all 2 targets (grade 5)" in text and "hello from the lab" in text


def test_quick_runs_give_no_feedback(run, spiral):
    shape = run("lab", "run", "spiral", "--quick", "--json", json_out=True)
    assert shape["quick"] and shape["params"]["epochs"] == 5 and shape["feedback"] == []
    assert "a quick run gives no feedback" in run("lab", "show", "1").output


def test_a_crash_is_reported_with_its_traceback(run, spiral, collection_root):
    (spiral / "train.py").write_text("raise ValueError('exploded')\n")
    result = run("lab", "run", "spiral")
    assert result.exit_code == 0
    assert "failed: crashed (exited with status 1) (grade 2)" in result.output
    assert result.output.rstrip().endswith("ValueError: exploded")


def test_lab_sweep_prints_a_comparison_and_gives_no_feedback(run, spiral):
    shape = run("lab", "sweep", "spiral", "--param", "lr=0.1,1", "-p", "epochs=3", "--json", json_out=True)
    assert shape["lab"] == "spiral" and shape["complete"] and shape["sweep"]
    assert shape["grid"] == {"lr": ["0.1", "1"], "epochs": ["3"]}
    assert [(r["params"]["lr"], r["passed"]) for r in shape["runs"]] == [(0.1, False), (1.0, True)]
    assert all(r["sweep"] == shape["sweep"] for r in shape["runs"])
    assert {c["ef"] for c in (run("card", i, "--json", json_out=True) for i in card_ids(run))} == {2.5}
    text = run("lab", "sweep", "spiral", "--param", "lr=0.1,1").output.splitlines()
    assert text[0].split() == ["run", "lr", "accuracy", "final_loss", "result"]
    assert text[1].split() == ["3", "0.1", "0.5", "0.9", "missed", "accuracy,", "final_loss"]
    assert text[2].split() == ["4", "1.0", "0.97", "0.1", "passed"]
    assert text[3] == "1 of 2 runs passed; sweeps give no feedback to cards"
    runs = run("lab", "runs", "spiral", "--json", json_out=True)["runs"]
    assert [r["id"] for r in runs] == [4, 3, 2, 1]


def test_ctrl_c_stops_the_lab_and_keeps_the_run_as_cancelled(collection_root, spiral, tmp_path):
    pidfile = tmp_path / "lab.pid"
    write_lab(collection_root, "slow", f"""
        entry = "slow.py"
        [params.pidfile]
        type = "str"
        default = "{pidfile}"
        """, """
        import os, time
        from pathlib import Path
        from studyterm import labkit
        Path(labkit.params()["pidfile"]).write_text(str(os.getpid()))
        time.sleep(60)
        """, entry="slow.py")
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    command = [sys.executable, "-m", "studyterm", "--collection", str(collection_root),
               "--now", NOW, "lab", "run", "slow"]
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 20
    while not pidfile.exists() or not pidfile.read_text():
        assert time.monotonic() < deadline and process.poll() is None, process.communicate()
        time.sleep(0.05)
    lab_pid = int(pidfile.read_text())
    process.send_signal(signal.SIGINT)
    stdout, stderr = process.communicate(timeout=15)
    assert process.returncode == 130, stderr
    assert "cancelled; no feedback" in stdout
    assert not Path(f"/proc/{lab_pid}").exists() or "Z" in Path(f"/proc/{lab_pid}/stat").read_text().split(")")[1][:3]
    runs = CliRunner().invoke(cli, ["--collection", str(collection_root), "lab", "runs", "--json"])
    assert json.loads(runs.stdout)["runs"][0]["status"] == "cancelled"


def test_a_lab_printing_deeply_nested_json_is_run_and_stored(run, spiral, collection_root):
    (spiral / "train.py").write_text(textwrap.dedent("""
        from studyterm import labkit
        print('{"studyterm": 1, "type": "result", "metrics": ' + "[" * 30000 + "]" * 30000 + "}")
        labkit.result(accuracy=0.97, final_loss=0.1)
        """))
    shape = run("lab", "run", "spiral", "--json", json_out=True)
    assert (shape["status"], shape["passed"]) == ("completed", True)
    shown = run("lab", "show", str(shape["id"]))
    assert shown.exit_code == 0 and "protocol error: a message may nest at most 8 levels" in shown.output
