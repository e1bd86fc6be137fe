"""The lab-feedback rule with exact E-Factors and due dates (docs/labs.md, "Feedback")."""

from datetime import UTC, date, datetime, timedelta

import pytest

from studyterm.schedule.lab_feedback import LAB_KIND, REPEAT_KIND, apply_lab_grade, lab_grade
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


@pytest.mark.parametrize(
    "status, met, total, grade",
    [
        ("completed", 2, 2, 5),
        ("completed", 1, 1, 5),
        ("completed", 1, 2, 2),
        ("completed", 2, 3, 2),
        ("completed", 0, 2, 1),
        ("crashed", 0, 2, 1),
        ("crashed", 2, 2, 1),  # metrics reported before a crash do not count
        ("timed_out", 0, 1, 1),
        ("cancelled", 2, 2, None),
        ("unavailable", 0, 2, None),
        ("completed", 0, 0, None),  # a lab without targets is a playground
    ],
)
def test_grade_of_a_run(status, met, total, grade):
    assert lab_grade(status, met, total) == grade


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
    assert change.after == CardSchedule(sm2=Sm2State(218, 0, 0), due=DAY, introduced=DAY)


def test_later_runs_the_same_day_change_nothing():
    change = apply_lab_grade(reviewed(), 1, DAY, first_today=False)
    assert change.kind == REPEAT_KIND == "repeat"
    assert change.after == change.before == reviewed()


def test_grade_is_checked():
    with pytest.raises(InvalidGradeError):
        apply_lab_grade(reviewed(), 6, DAY, True)
