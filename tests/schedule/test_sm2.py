"""SM-2 golden sequences, checked by hand against the published formula."""

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from studyterm.schedule.sm2 import (
    MAX_INTERVAL_DAYS,
    InvalidGradeError,
    Sm2State,
    check_grade,
    ef_delta_centi,
    next_ef_centi,
    review,
)


def run(grades):
    state = Sm2State()
    trail = []
    for grade in grades:
        state = review(state, grade)
        trail.append((state.ef, state.repetitions, state.interval_days))
    return trail


def test_ef_change_per_grade_matches_the_formula():
    # EF' = EF + (0.1 - (5-q)*(0.08 + (5-q)*0.02))
    assert {q: ef_delta_centi(q) for q in range(6)} == {5: 10, 4: 0, 3: -14, 2: -32, 1: -54, 0: -80}
    for q in range(6):
        formula = 0.1 - (5 - q) * (0.08 + (5 - q) * 0.02)
        assert ef_delta_centi(q) == round(formula * 100)


def test_golden_sequence_with_a_lapse():
    assert run([5, 5, 5, 4, 3, 2, 4, 4, 4]) == [
        (2.6, 1, 1),     # I(1) = 1
        (2.7, 2, 6),     # I(2) = 6
        (2.8, 3, 17),    # ceil(6 * 2.7) = ceil(16.2), EF before this answer
        (2.8, 4, 48),    # ceil(17 * 2.8) = ceil(47.6)
        (2.66, 5, 135),  # ceil(48 * 2.8) = ceil(134.4); q=3 lowers EF by 0.14
        (2.34, 0, 1),    # q < 3: n restarts, next interval 1 day, EF still updated (-0.32)
        (2.34, 1, 1),
        (2.34, 2, 6),
        (2.34, 3, 15),   # ceil(6 * 2.34) = ceil(14.04)
    ]


def test_ef_floor_and_exact_ceiling_without_float_error():
    trail = run([0, 0, 0, 4, 4, 4, 4, 4, 4, 4])
    assert [ef for ef, _, _ in trail[:3]] == [1.7, 1.3, 1.3]  # 2.5-0.8, then floored at 1.3
    # With EF 1.3: 1, 6, ceil(7.8)=8, ceil(10.4)=11, ceil(14.3)=15, ceil(19.5)=20, 20*1.3=26 exactly
    assert [i for _, _, i in trail[3:]] == [1, 6, 8, 11, 15, 20, 26]


def test_interval_is_exact_where_float_ef_would_round_up_wrongly():
    # EF 1.3 + 0.1 + 0.1 is 1.5000000000000002 in floats, and ceil(6 * that) would be 10.
    assert run([0, 0, 5, 5, 3])[-1] == (1.36, 3, 9)
    assert math.ceil(6 * (1.3 + 0.1 + 0.1)) == 10


def test_grade_three_passes_but_lowers_ef():
    state = review(Sm2State(250, 2, 6), 3)
    assert (state.ef, state.repetitions, state.interval_days) == (2.36, 3, 15)


def test_invalid_grades_are_refused():
    for bad in (-1, 6, 2.5, "4", True, None):
        with pytest.raises(InvalidGradeError):
            check_grade(bad)


grades = st.lists(st.integers(0, 5), min_size=1, max_size=60)


@given(grades)
def test_ef_never_drops_below_1_3(sequence):
    state = Sm2State()
    for grade in sequence:
        state = review(state, grade)
        assert state.ef_centi >= 130
        assert next_ef_centi(state.ef_centi, grade) >= 130


@given(grades, st.lists(st.integers(3, 5), min_size=2, max_size=40))
def test_intervals_never_shrink_along_an_unbroken_run_of_passing_grades(prefix, run_of_passes):
    state = Sm2State()
    for grade in prefix:
        state = review(state, grade)
    previous = None
    for grade in run_of_passes:
        state = review(state, grade)
        if previous is not None:
            assert state.interval_days >= previous
        previous = state.interval_days


@given(grades)
def test_a_failing_grade_always_restarts(sequence):
    state = Sm2State()
    for grade in sequence:
        state = review(state, grade)
        if grade < 3:
            assert (state.repetitions, state.interval_days) == (0, 1)


def test_intervals_stop_at_100_years_however_often_a_card_is_passed():
    """Reviewing ahead (`answer --force`) 40 times in a row multiplied the interval past the end
    of the calendar, and the next due date overflowed."""
    state = Sm2State()
    for _ in range(40):
        state = review(state, 5)
    assert state.interval_days == MAX_INTERVAL_DAYS == 36_500
