"""FSRS, the optional second scheduler, through the maintained py-fsrs library (PyPI `fsrs`).

Pure functions: a card's FSRS memory (stability, difficulty) is never stored; it is computed by
replaying the card's review log, so switching schedulers, undoing, or fitting new parameters
never loses anything. studyterm schedules in study days, so FSRS is told each review happened at
the start of its study day (UTC midnight of that date): elapsed time is a whole number of study
days, as in Anki's FSRS. Learning steps are off (studyterm's queue owns same-day repeats) and so
is fuzz (a schedule must come out the same every time it is replayed). Documented in
docs/scheduling.md.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache

from fsrs import Card, Rating, Scheduler, State
from fsrs.scheduler import DEFAULT_PARAMETERS

from studyterm.schedule import review as sm2_review
from studyterm.schedule import sm2
from studyterm.schedule.log import LogEvent, is_answer
from studyterm.schedule.review import CardSchedule, Outcome

DEFAULT_RETENTION = 0.9
MAX_INTERVAL_DAYS = sm2.MAX_INTERVAL_DAYS
RATINGS = {0: Rating.Again, 1: Rating.Again, 2: Rating.Again, 3: Rating.Hard, 4: Rating.Good,
           5: Rating.Easy}
"""SM-2's grades as FSRS ratings. 0-2 are SM-2's failures, FSRS's Again. 3 ("right, with serious
difficulty"), 4 ("right, after some hesitation") and 5 ("perfect") are word for word what py-fsrs
means by Hard, Good and Easy. So "recalled" means the same to both: grade >= 3."""
LAB_EVENT = ("lab", "lab")


@dataclass(frozen=True)
class FsrsSettings:
    parameters: tuple[float, ...] = tuple(DEFAULT_PARAMETERS)
    desired_retention: float = DEFAULT_RETENTION

    @property
    def is_default(self) -> bool:
        return self.parameters == tuple(DEFAULT_PARAMETERS)


@dataclass(frozen=True)
class Memory:
    """FSRS's model of one card: stability (days until recall falls to 90%), difficulty (1-10)
    and the study day of the review they were computed at."""

    stability: float
    difficulty: float
    last_review: date


@dataclass(frozen=True)
class Replayed:
    memory: Memory | None
    due: date | None
    reviews: int
    """How many answers were replayed (0: FSRS knows nothing of the card)."""


def rating(grade: int) -> Rating:
    return RATINGS[sm2.check_grade(grade)]


def moment(day: date) -> datetime:
    """The instant FSRS is told a study day's reviews happened at."""
    return datetime.combine(day, time(0), UTC)


@lru_cache(maxsize=8)
def scheduler(settings: FsrsSettings) -> Scheduler:
    return Scheduler(
        parameters=settings.parameters,
        desired_retention=settings.desired_retention,
        learning_steps=(),
        relearning_steps=(),
        maximum_interval=MAX_INTERVAL_DAYS,
        enable_fuzzing=False,
    )


def _card(memory: Memory) -> Card:
    last = moment(memory.last_review)
    return Card(card_id=0, state=State.Review, step=None, stability=memory.stability,
                difficulty=memory.difficulty, due=last, last_review=last)


def review(memory: Memory | None, grade: int, day: date,
           settings: FsrsSettings) -> tuple[Memory, int]:
    """The memory after answering `grade` on study day `day`, and the interval FSRS sets (days).

    py-fsrs's own formulas, called one by one: with learning steps and fuzz off, its
    `Scheduler.review_card` comes down to exactly these calls (tests/schedule/test_fsrs.py checks
    they agree), and skipping its Card copies and datetime arithmetic makes a replay about three
    times faster."""
    return _step(scheduler(settings), memory, grade, day)


def _step(model: Scheduler, memory: Memory | None, grade: int, day: date) -> tuple[Memory, int]:
    rating_ = rating(grade)
    if memory is None:
        stability = model._initial_stability(rating=rating_)
        difficulty = model._initial_difficulty(rating=rating_, clamp=True)
    else:
        elapsed = (day - memory.last_review).days
        if elapsed < 1:
            stability = model._short_term_stability(stability=memory.stability, rating=rating_)
        else:
            recall = (1 + model._FACTOR * elapsed / memory.stability) ** model._DECAY
            stability = model._next_stability(difficulty=memory.difficulty, stability=memory.stability,
                                              retrievability=recall, rating=rating_)
        difficulty = model._next_difficulty(difficulty=memory.difficulty, rating=rating_)
    return Memory(stability, difficulty, day), model._next_interval(stability=stability)


def retrievability(memory: Memory | None, day: date, settings: FsrsSettings) -> float | None:
    """The predicted probability of recalling the card on study day `day` (None: never reviewed)."""
    if memory is None:
        return None
    return float(scheduler(settings).get_card_retrievability(_card(memory), moment(day)))


def replay(events: Sequence[LogEvent], settings: FsrsSettings) -> Replayed:
    """A card's FSRS memory and due date from its log (undone entries already left out).

    Every answer, same-day repeats included, is a review (FSRS-6 models same-day reviews with its
    short-term stability). A lab event changes no memory; a failing one makes the card due that
    day, as under SM-2 (docs/scheduling.md)."""
    model = scheduler(settings)
    memory: Memory | None = None
    due: date | None = None
    reviews = 0
    for event in events:
        if is_answer(event):
            memory, interval = _step(model, memory, event.grade, event.day)
            due = event.day + timedelta(days=interval)
            reviews += 1
        elif (event.source, event.kind) == LAB_EVENT and event.grade is not None:
            if event.grade < sm2.PASSING_GRADE:
                due = event.day if due is None else min(due, event.day)
    return Replayed(memory, due, reviews)


def answer(card: CardSchedule, memory: Memory | None, grade: int, now: datetime, day: date,
           settings: FsrsSettings) -> tuple[Outcome, Memory]:
    """Grade `card` under FSRS. SM-2's own state (EF, repetitions, interval, its due date) moves
    exactly as SM-2 would move it, so switching back finds it as if SM-2 had been on all along;
    the due date the queue uses is FSRS's. A failure (0-2, FSRS's Again) owes a same-day repeat,
    which is itself a review for FSRS; any recall (3-5) settles it."""
    shadow = sm2_review.answer(card, grade, now, day)
    memory_after, interval = review(memory, grade, day, settings)
    after = replace(
        shadow.after,
        due=day + timedelta(days=interval),
        repeat_day=day if grade < sm2.PASSING_GRADE else None,
    )
    return Outcome(shadow.kind, grade, card, after), memory_after


def preview(card: CardSchedule, memory: Memory | None, now: datetime, day: date,
            settings: FsrsSettings) -> dict[int, Outcome]:
    """What each grade would do under FSRS, for labelling the grade keys."""
    return {g: answer(card, memory, g, now, day, settings)[0] for g in sm2.GRADES}
