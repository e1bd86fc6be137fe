"""The Labs API with a fake runner: stored runs, graded runs and their feedback on the cards
that link the whole lab, exploration, sweeps, errors. (Per-hole and prediction feedback:
test_hole_feedback.py.)"""

import json
import threading

import pytest

from studyterm.labs import (
    LabError,
    LabNotFoundError,
    LabParamError,
    LogLine,
    RunResult,
    RunStatus,
    lab_event_line,
)
from studyterm.labs.shapes import run_dict
from studyterm.shapes import review_dict
from studyterm.store import CardNotFoundError
from tests.labs.fakes import FakeLabRunner, completed, crashed, holes, training_events

PASS = {"accuracy": 0.97, "final_loss": 0.1}
PARTIAL = {"accuracy": 0.91, "final_loss": 0.1}
FAIL = {"accuracy": 0.5, "final_loss": 0.9}
HOLES_PASS = holes(double="passed", shift="passed")


def done(metrics, **hole_statuses):
    """A completed run with these metrics, every hole passing unless told otherwise."""
    statuses = {"double": "passed", "shift": "passed", **hole_statuses}
    return completed(metrics, holes=holes(**statuses))


def spiral_cards(labs):
    return [card.id for card in labs.linked_cards("spiral")]


def test_a_run_is_stored_with_its_parameters_metrics_and_targets(labs, fake_runner, clock):
    fake_runner.result = completed(PASS, series={"loss": [(1, 1.1), (2, 0.4)]}, log="hello", holes=HOLES_PASS)
    report = labs.run("spiral", {"lr": "0.5"})
    run = report.run
    assert fake_runner.requests[0].params == {"lr": 0.5, "epochs": 300}
    assert fake_runner.requests[0].time_limit_s == 30.0
    assert fake_runner.requests[0].script.name == "train.py"
    assert (run.id, run.lab_id, run.status, run.exit_code, run.quick) == (1, "spiral", "completed", 0, False)
    assert run.params == {"lr": 0.5, "epochs": 300}
    assert run.metrics == PASS and run.duration_s == 1.5
    assert [(t["target"], t["value"], t["met"]) for t in run.targets] == [
        ("accuracy >= 0.95", 0.97, True), ("final_loss <= 0.15", 0.1, True)]
    assert (run.passed, run.grade) == (True, 5)
    assert run.started_at == clock() and run.day.isoformat() == "2026-11-21"
    assert len(run.fingerprint) == 16
    stored = labs.get_run(run.id)
    assert stored == run
    assert stored.series == {"loss": [(1, 1.1), (2, 0.4)]} and stored.log == "hello"
    listed = labs.runs("spiral")[0]
    assert listed.series == {} and listed.log == "" and listed.metrics == PASS


def test_passing_run_raises_ef_of_every_linked_active_card(labs, fake_runner):
    fake_runner.result = done(PASS)
    report = labs.run("spiral")
    cards = labs.collection.cards(spiral_cards(labs))
    assert len(cards) == 2 == len(report.feedback)
    for card, entry in zip(cards, report.feedback, strict=True):
        assert card.schedule.sm2.ef == 2.6 and card.schedule.due is None and card.schedule.is_new
        assert (entry.source, entry.kind, entry.grade) == ("lab", "lab", 5)
        assert entry.detail["lab"] == "spiral" and entry.detail["run"] == report.run.id
    untouched = labs.collection.store.query("SELECT ef FROM cards WHERE lab IS NOT 'spiral'")
    assert untouched == [(2.5,), (2.5,)]
    assert labs.feedback(report.run.id) == report.feedback


def test_the_feedback_rule_over_several_days_with_exact_values(labs, fake_runner, clock):
    card_id = spiral_cards(labs)[0]
    collection = labs.collection
    collection.answer(card_id, 4)  # 2026-11-21: EF 2.50, due 11-22
    clock.set("2026-11-22T10:00:00+00:00")
    collection.answer(card_id, 5)  # EF 2.60, 2 repetitions, interval 6, due 11-28
    clock.set("2026-11-24T10:00:00+00:00")

    fake_runner.result = done(PARTIAL)
    missed = labs.run("spiral").feedback[0]
    card = collection.card(card_id).schedule
    assert (card.sm2.ef, card.sm2.repetitions, card.sm2.interval_days) == (2.28, 2, 6)
    assert card.due.isoformat() == "2026-11-24"
    assert lab_event_line(review_dict(missed)) == (
        "lab spiral missed accuracy ≥ 0.95 (0.91): EF 2.60 → 2.28, due today")

    fake_runner.result = done(PASS)
    again = labs.run("spiral").feedback[0]
    assert (again.kind, again.ef_before, again.ef_after) == ("repeat", 2.28, 2.28)
    assert lab_event_line(review_dict(again)) == (
        "lab spiral met all 2 targets: no change (a lab run already counted for this card today)")

    clock.set("2026-11-25T10:00:00+00:00")
    passed = labs.run("spiral").feedback[0]
    card = collection.card(card_id).schedule
    assert (card.sm2.ef, card.due.isoformat()) == (2.38, "2026-11-24")
    assert lab_event_line(review_dict(passed)) == (
        "lab spiral met all 2 targets: EF 2.28 → 2.38, due date 2026-11-24 unchanged")
    assert [e.source for e in collection.history(card_id)] == ["review", "review", "lab", "lab", "lab"]


def test_a_run_where_nothing_passed_puts_a_new_card_in_today_s_reviews(labs, fake_runner):
    fake_runner.result = done(FAIL, double="failed", shift="failed")
    entry = labs.run("spiral").feedback[0]
    assert entry.grade == 1
    assert lab_event_line(review_dict(entry)) == (
        "lab spiral not run: 2 holes not passing: EF 2.50 → 1.96, due today")
    queue = labs.collection.queue()
    assert [(e.card_id, e.kind.value) for e in queue][:2] == [(spiral_cards(labs)[0], "review"),
                                                           (spiral_cards(labs)[1], "review")]
    assert len({e.card_id for e in queue}) == len(queue)  # not also queued as new


def test_a_crash_after_passing_holes_is_graded_two_and_keeps_its_traceback(labs, fake_runner):
    fake_runner.result = crashed(holes=HOLES_PASS)
    report = labs.run("spiral")
    assert (report.run.status, report.run.passed, report.run.grade) == ("crashed", False, 2)
    assert report.run.traceback.endswith("ValueError: boom")
    assert [t["met"] for t in report.run.targets] == [False, False]
    assert lab_event_line(review_dict(report.feedback[0])) == (
        "lab spiral crashed (exited with status 1): EF 2.50 → 2.18, due today")


def test_a_crash_before_any_hole_was_checked_is_graded_one(labs, fake_runner):
    fake_runner.result = crashed()
    report = labs.run("spiral")
    assert report.run.grade == 1 and report.run.holes == []
    assert report.feedback[0].ef_after == 1.96


def test_metrics_of_a_crashed_run_never_meet_targets(labs, fake_runner):
    fake_runner.result = RunResult(RunStatus.CRASHED, 1, 0.2, metrics=PASS, reason="exited with status 1")
    assert labs.run("spiral").run.grade == 1


@pytest.mark.parametrize("status", [RunStatus.CANCELLED, RunStatus.UNAVAILABLE])
def test_cancelled_and_unavailable_runs_give_no_feedback(labs, fake_runner, status):
    fake_runner.result = RunResult(status, None, 0.1, reason="why")
    report = labs.run("spiral")
    assert report.feedback == [] and (report.run.passed, report.run.grade) == (None, None)
    assert labs.get_run(report.run.id).status == status.value
    assert {card.schedule.sm2.ef for card in labs.linked_cards("spiral")} == {2.5}


def test_quick_runs_use_quick_parameters_and_give_no_feedback(labs, fake_runner):
    fake_runner.result = done(FAIL)
    report = labs.run("spiral", quick=True)
    assert fake_runner.requests[0].params == {"lr": 1.0, "epochs": 5}
    assert fake_runner.requests[0].quick is True
    assert report.run.quick and report.run.grade == 2 and report.feedback == []
    assert report.run.mode == "quick" and not report.run.graded


def test_suspended_and_retired_cards_get_no_feedback(labs, fake_runner, collection_root):
    first, second = spiral_cards(labs)
    labs.collection.suspend([first])
    (collection_root / "concepts/training.md").write_text("---\nlab: spiral\n---\nepoch :: one pass over the data\n")
    labs.collection.sync()
    assert spiral_cards(labs) == [second]
    fake_runner.result = done(PASS)
    assert [e.card_id for e in labs.run("spiral").feedback] == [second]


def test_undoing_a_lab_event_lets_the_next_run_count(labs, fake_runner):
    card_id = spiral_cards(labs)[0]
    fake_runner.result = done(FAIL)
    event = labs.run("spiral").feedback[0]
    labs.collection.undo(event.id)
    assert labs.collection.card(card_id).schedule.sm2.ef == 2.5
    fake_runner.result = done(PASS)
    assert labs.run("spiral").feedback[0].kind == "lab"
    assert labs.collection.card(card_id).schedule.sm2.ef == 2.6


def test_the_launching_card_is_recorded_and_must_link_the_lab(labs, fake_runner):
    card_id = spiral_cards(labs)[0]
    assert labs.run("spiral", card_id=card_id[:6]).run.card_id == card_id
    gradcheck_card = labs.collection.store.query("SELECT id FROM cards WHERE lab = 'gradcheck'")[0][0]
    with pytest.raises(LabError, match=f"card {gradcheck_card} links lab 'gradcheck', not 'spiral'"):
        labs.run("spiral", card_id=gradcheck_card)
    with pytest.raises(CardNotFoundError):
        labs.run("spiral", card_id="zzzz")
    assert len(fake_runner.requests) == 1


@pytest.mark.parametrize(
    "params, message",
    [
        ({"lr": "fast"}, "parameter lr: expected a number, got 'fast'"),
        ({"lr": "-1"}, "parameter lr: -1.0 is below its minimum 0.0"),
        ({"epochs": "2.5"}, "parameter epochs: expected a whole number, got '2.5'"),
        ({"momentum": "0.9"}, "lab spiral has no parameter momentum (its parameters: lr, epochs)"),
    ],
)
def test_bad_parameters_are_refused_before_anything_runs(labs, fake_runner, params, message):
    with pytest.raises(LabParamError) as error:
        labs.run("spiral", params)
    assert str(error.value) == message
    assert fake_runner.requests == []


def test_unknown_lab_names_the_labs_there_are(labs):
    with pytest.raises(LabNotFoundError, match=r"no lab 'nope' in .* \(labs: spiral\)"):
        labs.run("nope")
    with pytest.raises(LabNotFoundError):
        labs.spec("../spiral")


def test_sweep_runs_every_combination_in_order_without_feedback(labs, fake_runner):
    fake_runner.result = done(FAIL)
    starts = []
    reports = labs.sweep("spiral", {"lr": ["0.1", "1"], "epochs": [10, 20]},
                         on_run=lambda i, n, p: starts.append((i, n, p["lr"], p["epochs"])))
    assert starts == [(0, 4, 0.1, 10), (1, 4, 0.1, 20), (2, 4, 1.0, 10), (3, 4, 1.0, 20)]
    assert [r.run.params for r in reports] == [
        {"lr": 0.1, "epochs": 10}, {"lr": 0.1, "epochs": 20},
        {"lr": 1.0, "epochs": 10}, {"lr": 1.0, "epochs": 20}]
    assert len({r.run.sweep for r in reports}) == 1 and reports[0].run.sweep
    assert all(r.feedback == [] for r in reports)
    assert {card.schedule.sm2.ef for card in labs.linked_cards("spiral")} == {2.5}


def test_sweep_checks_every_value_first_and_caps_its_size(labs, fake_runner):
    with pytest.raises(LabParamError, match="parameter lr: expected a number, got 'x'"):
        labs.sweep("spiral", {"lr": ["0.1", "x"]})
    with pytest.raises(LabParamError, match="that sweep has 101 runs"):
        labs.sweep("spiral", {"epochs": list(range(1, 102))})
    assert fake_runner.requests == []


def test_cancel_from_the_ui_thread_while_a_worker_runs_the_lab(labs):
    runner = FakeLabRunner(events=training_events(), wait_for_cancel=True)
    labs.runner = runner
    cancel, events, reports = threading.Event(), [], []
    worker = threading.Thread(
        target=lambda: reports.append(labs.run("spiral", on_event=events.append, cancel=cancel)))
    worker.start()
    assert runner.running.wait(5)
    cancel.set()
    worker.join(5)
    assert reports[0].run.status == "cancelled" and reports[0].feedback == []
    assert LogLine("training", "stdout") in events


def test_a_diverged_run_is_valid_json(labs, fake_runner):
    nan = float("nan")
    fake_runner.result = completed({"accuracy": 0.3, "final_loss": nan},
                                   series={"loss": [(1, float("inf"))]}, holes=HOLES_PASS)
    report = labs.run("spiral")
    shape = run_dict(labs.get_run(report.run.id), labs.feedback(report.run.id), series=True, log=True)
    text = json.dumps(shape, allow_nan=False)
    assert json.loads(text)["metrics"]["final_loss"] is None
    assert shape["series"] == {"loss": [[1, None]]}
    assert shape["feedback"][0]["detail"]["targets"][1]["value"] is None
    assert "final_loss ≤ 0.15 (no value)" in lab_event_line(shape["feedback"][0])


def test_summaries_count_cards_and_runs(labs, fake_runner):
    fake_runner.result = done(PASS)
    labs.run("spiral")
    last = labs.run("spiral").run
    summaries = labs.summaries()
    assert (summaries["spiral"].cards, summaries["spiral"].runs, summaries["spiral"].last_run.id) == (2, 2, last.id)
    assert (summaries["gradcheck"].cards, summaries["gradcheck"].runs) == (1, 0)
