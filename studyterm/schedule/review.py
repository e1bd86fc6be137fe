"""Applying a grade to a card's day-level schedule: due dates, lapses, same-day repeats."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from enum import StrEnum

from studyterm.schedule import sm2


class AnswerKind(StrEnum):
    SCHEDULED = "scheduled"
    """An answer SM-2 acts on: EF, repetitions, interval and due date change."""
    REPEAT = "repeat"
    """A same-day repeat of an item graded below 4: logged, but EF and interval stay."""


@dataclass(frozen=True)
class CardSchedule:
    """Everything the scheduler knows about a card; the store persists it field by field."""

    sm2: sm2.Sm2State = sm2.Sm2State()
    due: date | None = None
    lapses: int = 0
    repeat_day: date | None = None
    """The study day on which this card still owes a same-day repeat."""
    introduced: date | None = None
    """The study day of the card's first graded answer; None while the card is new."""
    last_answered: datetime | None = None
    sm2_due: date | None = None
    """SM-2's own due date. It equals `due` while SM-2 schedules; under FSRS, `due` is FSRS's and
    this one keeps moving as SM-2 would, so switching back to SM-2 finds it intact."""

    @property
    def is_new(self) -> bool:
        return self.introduced is None

    def is_due(self, day: date) -> bool:
        return self.due is not None and self.due <= day

    def owes_repeat(self, day: date) -> bool:
        return self.repeat_day == day


@dataclass(frozen=True)
class Outcome:
    kind: AnswerKind
    grade: int
    before: CardSchedule
    after: CardSchedule


def answer(card: CardSchedule, grade: int, now: datetime, day: date) -> Outcome:
    """Grade `card` on study day `day`. A card that owes a same-day repeat is repeated; any
    other card is reviewed by SM-2 and, when graded below 4, owes a repeat later that day."""
    sm2.check_grade(grade)
    if card.owes_repeat(day):
        repeat_day = None if grade >= sm2.SAME_DAY_OK_GRADE else day
        after = replace(card, repeat_day=repeat_day, last_answered=now)
        return Outcome(AnswerKind.REPEAT, grade, card, after)
    state = sm2.review(card.sm2, grade)
    lapsed = grade < sm2.PASSING_GRADE and not card.is_new
    due = day + timedelta(days=state.interval_days)
    after = CardSchedule(
        sm2=state,
        due=due,
        lapses=card.lapses + int(lapsed),
        repeat_day=day if grade < sm2.SAME_DAY_OK_GRADE else None,
        introduced=card.introduced or day,
        last_answered=now,
        sm2_due=due,
    )
    return Outcome(AnswerKind.SCHEDULED, grade, card, after)


def preview(card: CardSchedule, now: datetime, day: date) -> dict[int, Outcome]:
    """What each grade would do, for labelling the grade keys."""
    return {grade: answer(card, grade, now, day) for grade in sm2.GRADES}
