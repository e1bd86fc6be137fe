"""Feedback per hole and per prediction, with a fake runner and exact grades: a graded run
changes exactly the cards of its holes; predictions are graded whether the run is or not;
`undo_run` takes a run's feedback back."""

import pytest

from studyterm.labs import LabError, lab_event_line
from studyterm.shapes import review_dict
from tests.conftest import write_note
from tests.labs.fakes import completed, crashed, holes

PASS = {"accuracy": 0.97, "final_loss": 0.1}
SLOW = {"accuracy": 0.5, "final_loss": 0.9}


@pytest.fixture
def cards(labs, collection_root):
    """One card per link of the spiral lab, plus the two whole-lab cards of `linked_notes`."""
    write_note(collection_root, "concepts/holes.md", """
        doubling :: 2x
        lab: spiral#double

        shifting :: x + 1
        lab: spiral#shift

        slow learning :: misses the target
        lab: spiral#slow

        unknown :: link
        lab: spiral#nothing_like_it
        """)
    labs.collection.sync()
    by_question = {card.question: card.id for card in labs.collection.search()}
    return {"double": by_question["doubling"], "shift": by_question["shifting"],
            "slow": by_question["slow learning"], "unknown": by_question["unknown"],
            "whole": by_question["What does the learning rate scale?"],
            "whole2": by_question["epoch"],
            "other": by_question["What checks a backward pass?"]}


def grades(labs, report, cards):
    """{card name: (grade, EF after)} for the events of a run."""
    names = {card_id: name for name, card_id in cards.items()}
    return {names[e.card_id]: (e.grade, e.ef_after) for e in report.feedback}


def test_a_graded_run_grades_each_hole_s_cards_by_that_hole(labs, fake_runner, cards):
    fake_runner.result = completed(PASS, holes=holes(double="passed", shift=("failed", 1, 2)))
    report = labs.run("spiral")
    assert grades(labs, report, cards) == {
        "double": (5, 2.6),   # passed, no hint
        "shift": (2, 2.18),   # failed with 1 of 2 checks passing
        "whole": (2, 2.18),   # a hole failing: something passed
        "whole2": (2, 2.18),
    }
    assert labs.collection.card(cards["shift"]).schedule.due == labs.collection.today()
    assert labs.collection.card(cards["double"]).schedule.is_new
    untouched = {name: labs.collection.card(cards[name]).schedule.sm2.ef
                 for name in ("slow", "unknown", "other")}
    assert untouched == {"slow": 2.5, "unknown": 2.5, "other": 2.5}


def test_hints_lower_a_passing_hole_s_grade(labs, fake_runner, cards):
    for _ in range(2):
        labs.hint("spiral", "double")
    labs.hint("spiral", "shift")
    fake_runner.result = completed(PASS, holes=holes(double="passed", shift="passed"))
    report = labs.run("spiral")
    assert grades(labs, report, cards) == {"double": (3, 2.36), "shift": (4, 2.5),
                                          "whole": (3, 2.36), "whole2": (3, 2.36)}
    assert [h["hints"] for h in report.run.holes] == [2, 1]
    event = next(e for e in report.feedback if e.card_id == cards["double"])
    assert lab_event_line(review_dict(event)) == (
        "lab spiral#double passed after 2 hints: EF 2.50 → 2.36, still new")


def test_a_hole_failing_every_check_gets_one_and_a_hole_not_started_nothing(labs, fake_runner, cards):
    fake_runner.result = completed({}, holes=holes(double=("failed", 0, 2), shift="not_started"))
    report = labs.run("spiral")
    assert grades(labs, report, cards) == {"double": (1, 1.96)}  # the whole lab: a hole not started
    event = report.feedback[0]
    assert lab_event_line(review_dict(event)) == (
        "lab spiral#double failed 0/2 checks: model.py:2: double is wrong: EF 2.50 → 1.96, due today")


def test_a_hole_the_run_never_checked_gets_nothing(labs, fake_runner, cards):
    fake_runner.result = crashed(holes=holes(double="passed"))
    assert grades(labs, labs.run("spiral"), cards) == {"double": (5, 2.6), "whole": (2, 2.18),
                                                          "whole2": (2, 2.18)}


def test_exploration_changes_no_hole_card(labs, fake_runner, cards):
    fake_runner.result = completed(PASS, holes=holes(double=("failed", 0, 2), shift="passed"))
    assert labs.run("spiral", {"lr": "0.9"}).feedback == []
    assert labs.run("spiral", reference=True).feedback == []
    assert labs.check("spiral").feedback == []
    assert {labs.collection.card(i).schedule.sm2.ef for i in cards.values()} == {2.5}


def test_only_the_first_graded_run_of_a_day_counts_per_card(labs, fake_runner, cards, clock):
    fake_runner.result = completed(PASS, holes=holes(double=("failed", 0, 2), shift="passed"))
    labs.run("spiral")
    fake_runner.result = completed(PASS, holes=holes(double="passed", shift="passed"))
    again = labs.run("spiral")
    assert {e.kind for e in again.feedback} == {"repeat"}
    assert labs.collection.card(cards["double"]).schedule.sm2.ef == 1.96
    clock.set("2026-11-22T10:00:00+00:00")
    assert grades(labs, labs.run("spiral"), cards)["double"] == (5, 2.06)


def test_a_right_prediction_is_graded_four_on_its_cards_only(labs, fake_runner, cards):
    assert [p.id for p in labs.predictions_for("spiral", {"lr": "0.1"})] == ["slow"]
    assert labs.predictions_for("spiral", {"lr": "0.9"}) == []
    fake_runner.result = completed(SLOW, holes=holes(double="passed", shift="passed"))
    report = labs.run("spiral", {"lr": "0.1"}, predicted={"slow": 1})
    assert not report.run.graded
    assert grades(labs, report, cards) == {"slow": (4, 2.5)}
    (prediction,) = report.run.predictions
    assert prediction == {"id": "slow", "question": "With a learning rate below 0.5, the accuracy will...",
                          "chosen": 1, "chosen_answer": "miss it", "actual": 1,
                          "actual_answer": "miss it", "correct": True}
    assert lab_event_line(review_dict(report.feedback[0])) == (
        "lab spiral#slow predicted right: miss it: EF 2.50 → 2.50, still new")


def test_a_wrong_prediction_is_graded_two(labs, fake_runner, cards):
    fake_runner.result = completed(SLOW, holes=holes(double="passed", shift="passed"))
    report = labs.run("spiral", {"lr": "0.1"}, predicted={"slow": 0})
    assert grades(labs, report, cards) == {"slow": (2, 2.18)}
    assert lab_event_line(review_dict(report.feedback[0])) == (
        "lab spiral#slow predicted reach the target; the run showed miss it: EF 2.50 → 2.18, due today")


def test_a_skipped_or_unanswerable_prediction_logs_nothing(labs, fake_runner, cards):
    fake_runner.result = completed(SLOW, holes=holes(double="passed", shift="passed"))
    assert labs.run("spiral", {"lr": "0.1"}).feedback == []
    fake_runner.result = completed({}, holes=holes(double=("failed", 0, 2), shift="passed"))
    report = labs.run("spiral", {"lr": "0.1"}, predicted={"slow": 0})
    assert report.feedback == [] and report.run.predictions[0]["correct"] is None


def test_a_prediction_must_be_asked_by_the_parameters(labs, fake_runner):
    with pytest.raises(LabError, match=r"prediction 'slow' is not asked by these parameters \(asked: none\)"):
        labs.run("spiral", predicted={"slow": 0})
    with pytest.raises(LabError, match="prediction 'fast' is not a prediction of the lab"):
        labs.run("spiral", {"lr": "0.1"}, predicted={"fast": 0})
    with pytest.raises(LabError, match="prediction slow: answer 2 is not one of 1-2"):
        labs.run("spiral", {"lr": "0.1"}, predicted={"slow": 2})
    assert fake_runner.requests == []


def test_undo_run_takes_back_every_event_of_the_run(labs, fake_runner, cards):
    fake_runner.result = completed(PASS, holes=holes(double=("failed", 0, 2), shift="passed"))
    run = labs.run("spiral").run
    labs.collection.answer(cards["shift"], 4)  # answered since: its lab event stays
    report = labs.undo_run(run.id)
    assert sorted(e.card_id for e in report.undone) == sorted([cards["double"], cards["whole"], cards["whole2"]])
    assert [(entry.card_id, why) for entry, why in report.kept] == [
        (cards["shift"], f"review {report.kept[0][0].id} is not the card's latest; undo newer ones first")]
    assert labs.collection.card(cards["double"]).schedule.sm2.ef == 2.5
    assert labs.collection.card(cards["double"]).schedule.is_new
    assert labs.undo_run(run.id).undone == []  # nothing left to undo
    fake_runner.result = completed(PASS, holes=holes(double="passed", shift="passed"))
    assert grades(labs, labs.run("spiral"), cards)["double"] == (5, 2.6)  # the next run counts


def test_every_card_of_a_hole_is_counted_in_the_lab_s_cards(labs, cards):
    links = labs.card_links("spiral")
    assert links[None] == [cards["whole"], cards["whole2"]]
    assert (links["double"], links["slow"], links["nothing_like_it"]) == (
        [cards["double"]], [cards["slow"]], [cards["unknown"]])
    assert labs.summaries()["spiral"].cards == 6
