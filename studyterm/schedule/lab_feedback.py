"""The lab-feedback rule: how a graded lab run changes the cards that link its lab, its holes
and its predictions.

Pure functions, documented in docs/labs.md ("Feedback"). A run becomes an SM-2 grade per card;
the card's E-Factor moves by SM-2's formula for that grade; a failing grade (below 3, SM-2's own
line between right and wrong) also makes the card due today. Repetitions and interval never
change: a lab is evidence about how well the learner knows the topic, not a review of the card.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date

from studyterm.schedule import sm2
from studyterm.schedule.review import AnswerKind, CardSchedule

LAB_KIND = "lab"
"""The review-log kind of a lab event that changed the card."""
REPEAT_KIND = AnswerKind.REPEAT.value
"""The kind of a later lab event on the same study day: logged, changes nothing."""

PASSED_BY_HINTS = (5, 4, 3)
"""A passed hole: 5 with no hint revealed, 4 after one, 3 after two or more."""
SOME_PASSED = 2
NOTHING_PASSED = 1
PREDICTION_RIGHT = 4
PREDICTION_WRONG = 2
GRADED_STATUSES = ("completed", "crashed", "timed_out")
"""Run statuses that give feedback; `cancelled` and `unavailable` say nothing about the learner."""


@dataclass(frozen=True)
class HoleOutcome:
    """What one hole's checks showed in a run, and how many hints the learner had seen."""

    status: str
    """`passed`, `failed`, `not_started`, or `missing` (the run ended before its checks ran)."""
    checks_passed: int = 0
    hints: int = 0


@dataclass(frozen=True)
class LabChange:
    kind: str
    grade: int
    before: CardSchedule
    after: CardSchedule


def hole_grade(hole: HoleOutcome) -> int | None:
    """The grade of a card that links one hole (`lab: LAB#HOLE`), or None (no feedback).

    Passed: 5, 4 or 3 by hints revealed (0, 1, 2+). Failed: 2 when some of its checks passed,
    else 1. Not started (or never checked): no feedback."""
    if hole.status == "passed":
        return PASSED_BY_HINTS[min(hole.hints, len(PASSED_BY_HINTS) - 1)]
    if hole.status == "failed":
        return SOME_PASSED if hole.checks_passed else NOTHING_PASSED
    return None


def lab_grade(status: str, holes: Sequence[HoleOutcome], targets_met: int,
              targets_total: int) -> int | None:
    """The grade of a card that links the whole lab (`lab: LAB`), or None (no feedback).

    None when the run was cancelled or unavailable, when a hole is not started, or when a lab
    without holes has no targets. Every hole passed and every target met: the lowest of the
    holes' grades (5 with no hints). Otherwise 2 when anything passed (a hole, a hole's check,
    a target), else 1. A crash or a timeout meets no target."""
    if status not in GRADED_STATUSES:
        return None
    if any(hole.status == "not_started" for hole in holes):
        return None
    if not holes and targets_total == 0:
        return None
    completed = status == "completed"
    met = targets_met if completed else 0
    if completed and all(h.status == "passed" for h in holes) and met == targets_total:
        return min((hole_grade(h) for h in holes), default=PASSED_BY_HINTS[0])
    anything = met > 0 or any(h.status == "passed" or h.checks_passed for h in holes)
    return SOME_PASSED if anything else NOTHING_PASSED


def prediction_grade(correct: bool) -> int:
    """A prediction answered by the run: right 4, wrong 2 (skipping it logs nothing)."""
    return PREDICTION_RIGHT if correct else PREDICTION_WRONG


def is_passing(grade: int) -> bool:
    return grade >= sm2.PASSING_GRADE


def apply_lab_grade(card: CardSchedule, grade: int, day: date, first_today: bool) -> LabChange:
    """The card after a lab event graded `grade` on study day `day`.

    Only the first lab event of a study day on a card counts (as SM-2 only lets the first answer
    of a day move the E-Factor): later ones are logged as repeats and change nothing, so trying
    things in the lab screen cannot drive a card's EF to the floor in a few clicks."""
    sm2.check_grade(grade)
    if not first_today:
        return LabChange(REPEAT_KIND, grade, card, card)
    after = replace(card, sm2=replace(card.sm2, ef_centi=sm2.next_ef_centi(card.sm2.ef_centi, grade)))
    if not is_passing(grade):
        due = day if card.due is None else min(card.due, day)
        sm2_due = day if card.sm2_due is None else min(card.sm2_due, day)
        # A new card has no due date; making it due introduces it today (as a review).
        after = replace(after, due=due, sm2_due=sm2_due, introduced=card.introduced or day)
    return LabChange(LAB_KIND, grade, card, after)
