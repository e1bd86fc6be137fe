"""The lab-feedback rule: how a finished lab run changes the cards linked to its lab.

Pure functions, documented in docs/labs.md ("Feedback"). A run becomes an SM-2 grade; the card's
E-Factor moves by SM-2's formula for that grade; a failing grade (below 3, SM-2's own line
between right and wrong) also makes the card due today. Repetitions and interval never change:
a lab is evidence about how well the learner knows the topic, not a review of the card.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from studyterm.schedule import sm2
from studyterm.schedule.review import AnswerKind, CardSchedule

LAB_KIND = "lab"
"""The review-log kind of a lab event that changed the card."""
REPEAT_KIND = AnswerKind.REPEAT.value
"""The kind of a later lab event on the same study day: logged, changes nothing."""

ALL_MET = 5
SOME_MET = 2
NONE_MET = 1
GRADED_STATUSES = ("completed", "crashed", "timed_out")
"""Run statuses that give feedback; `cancelled` and `unavailable` say nothing about the learner."""


@dataclass(frozen=True)
class LabChange:
    kind: str
    grade: int
    before: CardSchedule
    after: CardSchedule


def lab_grade(status: str, targets_met: int, targets_total: int) -> int | None:
    """The SM-2 grade of a run, or None when it gives no feedback.

    All targets met: 5. Some met: 2 (wrong, but close). None met, a crash or a timeout: 1.
    A lab without targets, a cancelled run and an unavailable lab give no grade."""
    if status not in GRADED_STATUSES or targets_total == 0:
        return None
    if status != "completed" or targets_met == 0:
        return NONE_MET
    return ALL_MET if targets_met == targets_total else SOME_MET


def is_passing(grade: int) -> bool:
    return grade >= sm2.PASSING_GRADE


def apply_lab_grade(card: CardSchedule, grade: int, day: date, first_today: bool) -> LabChange:
    """The card after a lab run graded `grade` on study day `day`.

    Only the first lab event of a study day on a card counts (as SM-2 only lets the first answer
    of a day move the E-Factor): later ones are logged as repeats and change nothing, so trying
    settings in the lab screen cannot drive a card's EF to the floor in a few clicks."""
    sm2.check_grade(grade)
    if not first_today:
        return LabChange(REPEAT_KIND, grade, card, card)
    after = replace(card, sm2=replace(card.sm2, ef_centi=sm2.next_ef_centi(card.sm2.ef_centi, grade)))
    if not is_passing(grade):
        due = day if card.due is None else min(card.due, day)
        # A new card has no due date; making it due introduces it today (as a review).
        after = replace(after, due=due, introduced=card.introduced or day)
    return LabChange(LAB_KIND, grade, card, after)
