"""SM-2 as SuperMemo published it (Wozniak, 1990), in pure functions.

E-Factors move in steps of 0.02, so they are kept as whole hundredths (`ef_centi`, 2.5 -> 250):
intervals are then exact integers, with no float rounding in `ceil(I * EF)`.
"""

from __future__ import annotations

from dataclasses import dataclass

GRADES = range(0, 6)
START_EF_CENTI = 250
MIN_EF_CENTI = 130
PASSING_GRADE = 3
"""q >= 3 is a correct response: the repetition count grows."""
SAME_DAY_OK_GRADE = 4
"""Items graded below 4 are shown again the same day until they score >= 4."""
MAX_INTERVAL_DAYS = 36_500
"""No interval grows past 100 years (Anki's own maximum). SM-2 sets none, but reviewing ahead
again and again (`answer --force`) multiplies the interval by EF each time, and within about 30
answers the due date would pass the end of the calendar."""

GRADE_LABELS = {
    0: "no memory of it at all",
    1: "wrong, but recognised once shown",
    2: "wrong, but it felt easy once shown",
    3: "right, with serious difficulty",
    4: "right, after a hesitation",
    5: "right, at once",
}


class InvalidGradeError(ValueError):
    pass


@dataclass(frozen=True)
class Sm2State:
    ef_centi: int = START_EF_CENTI
    repetitions: int = 0
    interval_days: int = 0

    @property
    def ef(self) -> float:
        return self.ef_centi / 100


def check_grade(grade: int) -> int:
    if isinstance(grade, bool) or not isinstance(grade, int) or grade not in GRADES:
        raise InvalidGradeError(f"grade must be a whole number from 0 to 5, got {grade!r}")
    return grade


def ef_delta_centi(grade: int) -> int:
    """100 * (0.1 - (5-q)*(0.08 + (5-q)*0.02)): +10, 0, -14, -32, -54, -80 for q = 5..0."""
    miss = 5 - check_grade(grade)
    return 10 - miss * (8 + miss * 2)


def next_ef_centi(ef_centi: int, grade: int) -> int:
    return max(MIN_EF_CENTI, ef_centi + ef_delta_centi(grade))


def review(state: Sm2State, grade: int) -> Sm2State:
    """The state after one graded answer.

    q >= 3: n grows; I(1) = 1, I(2) = 6, I(n) = ceil(I(n-1) * EF) with the EF held before this
    answer, at most MAX_INTERVAL_DAYS. q < 3: n restarts at 0 and the next interval is 1 day.
    EF is updated either way.
    """
    ef_after = next_ef_centi(state.ef_centi, grade)
    if grade < PASSING_GRADE:
        return Sm2State(ef_after, repetitions=0, interval_days=1)
    repetitions = state.repetitions + 1
    if repetitions == 1:
        interval = 1
    elif repetitions == 2:
        interval = 6
    else:
        interval = min(MAX_INTERVAL_DAYS, max(1, -(-state.interval_days * state.ef_centi // 100)))
    return Sm2State(ef_after, repetitions, interval)
