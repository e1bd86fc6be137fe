"""The lab-feedback rule with exact E-Factors and due dates (docs/labs.md, "Feedback")."""

from datetime import UTC, date, datetime, timedelta

import pytest

from studyterm.schedule.lab_feedback import (
    LAB_KIND,
    REPEAT_KIND,
    HoleOutcome,
    apply_lab_grade,
    hole_grade,
    lab_grade,
    prediction_grade,
)
from studyterm.schedule.review import CardSchedule
from studyterm.schedule.sm2 import InvalidGradeError, Sm2State

DAY = date(2026, 11, 21)
ANSWERED = datetime(2026, 11, 15, 9, 0, tzinfo=UTC)


def reviewed(ef_centi=250, due=DAY + timedelta(days=4)) -> CardSchedule:
    """A card answered twice: 6-day interval, due in 4 days."""
    return CardSchedule(
        sm2=Sm2State(ef_centi, repetitions=2, interval_days=6), due=due, lapses=1,
        introduced=date(2026, 11, 8), last_answered=ANSWERED,
    )


P, F, N, M = "passed", "failed", "not_started", "missing"


@pytest.mark.parametrize(
    "hole, grade",
    [
        (HoleOutcome(P, 3, hints=0), 5),
        (HoleOutcome(P, 3, hints=1), 4),
        (HoleOutcome(P, 3, hints=2), 3),
        (HoleOutcome(P, 3, hints=3), 3),
        (HoleOutcome(F, 2, hints=0), 2),  # some of its checks passed: wrong, but close
        (HoleOutcome(F, 0, hints=0), 1),
        (HoleOutcome(F, 0, hints=3), 1),
        (HoleOutcome(N, 1), None),  # not started: says nothing about the learner
        (HoleOutcome(M, 0), None),  # the run ended before its checks ran
    ],
)
def test_grade_of_a_hole(hole, grade):
    assert hole_grade(hole) == grade


def holes(*outcomes):
    return [HoleOutcome(*o) if isinstance(o, tuple) else HoleOutcome(o, 1 if o == P else 0)
            for o in outcomes]


@pytest.mark.parametrize(
    "status, outcomes, met, total, grade",
    [
        ("completed", holes(P, P), 2, 2, 5),
        ("completed", holes((P, 1, 1), (P, 1, 0)), 2, 2, 4),  # the lowest of the holes' grades
        ("completed", holes((P, 1, 2), (P, 1, 1)), 2, 2, 3),
        ("completed", holes(P, P), 1, 2, 2),
        ("completed", holes(P, P), 0, 2, 2),  # the holes passed: something passed
        ("completed", holes(P, F), 0, 2, 2),
        ("completed", holes((F, 1), F), 0, 2, 2),  # a check passed
        ("completed", holes(F, F), 0, 2, 1),
        ("completed", holes(P, N), 0, 2, None),  # a hole not started: no feedback
        ("crashed", holes(P, P), 2, 2, 2),  # metrics reported before a crash do not count
        ("crashed", holes(M, M), 0, 2, 1),  # crashed before any check ran
        ("timed_out", holes(P, (F, 0)), 0, 1, 2),
        ("cancelled", holes(P, P), 2, 2, None),
        ("unavailable", holes(P, P), 0, 2, None),
        ("completed", holes(P, P), 0, 0, 5),  # no targets: the holes decide
        # A demo lab (no holes) gets a grade for display only; its runs never change a card.
        ("completed", [], 2, 2, 5),
        ("completed", [], 1, 2, 2),
        ("completed", [], 0, 2, 1),
        ("crashed", [], 2, 2, 1),
        ("completed", [], 0, 0, None),
    ],
)
def test_grade_of_a_run_for_cards_that_link_the_whole_lab(status, outcomes, met, total, grade):
    assert lab_grade(status, outcomes, met, total) == grade


def test_grade_of_a_prediction():
    assert (prediction_grade(True), prediction_grade(False)) == (4, 2)


def test_passing_run_raises_ef_and_leaves_the_schedule_alone():
    change = apply_lab_grade(reviewed(), 5, DAY, first_today=True)
    assert change.kind == LAB_KIND
    assert change.after == CardSchedule(
        sm2=Sm2State(260, repetitions=2, interval_days=6), due=DAY + timedelta(days=4), lapses=1,
        introduced=date(2026, 11, 8), last_answered=ANSWERED,
    )


def test_partial_run_lowers_ef_by_grade_two_and_makes_the_card_due_today():
    change = apply_lab_grade(reviewed(), 2, DAY, first_today=True)
    assert change.after.sm2 == Sm2State(218, repetitions=2, interval_days=6)  # 2.50 -> 2.18
    assert change.after.due == DAY
    assert (change.after.lapses, change.after.last_answered) == (1, ANSWERED)


def test_failed_run_lowers_ef_by_grade_one():
    change = apply_lab_grade(reviewed(), 1, DAY, first_today=True)
    assert change.after.sm2 == Sm2State(196, repetitions=2, interval_days=6)  # 2.50 -> 1.96
    assert change.after.due == DAY


def test_ef_never_drops_below_the_sm2_floor():
    assert apply_lab_grade(reviewed(ef_centi=140), 1, DAY, True).after.sm2.ef_centi == 130


def test_an_overdue_card_keeps_its_earlier_due_date():
    overdue = reviewed(due=DAY - timedelta(days=3))
    assert apply_lab_grade(overdue, 1, DAY, True).after.due == DAY - timedelta(days=3)


def test_new_card_passing_stays_new():
    change = apply_lab_grade(CardSchedule(), 5, DAY, True)
    assert change.after == CardSchedule(sm2=Sm2State(260, 0, 0))
    assert change.after.is_new


def test_new_card_failing_is_introduced_and_due_today():
    change = apply_lab_grade(CardSchedule(), 2, DAY, True)
    assert change.after == CardSchedule(sm2=Sm2State(218, 0, 0), due=DAY, introduced=DAY, sm2_due=DAY)


def test_later_runs_the_same_day_change_nothing():
    change = apply_lab_grade(reviewed(), 1, DAY, first_today=False)
    assert change.kind == REPEAT_KIND == "repeat"
    assert change.after == change.before == reviewed()


def test_grade_is_checked():
    with pytest.raises(InvalidGradeError):
        apply_lab_grade(reviewed(), 6, DAY, True)
