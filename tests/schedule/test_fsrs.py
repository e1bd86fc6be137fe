"""FSRS through py-fsrs: golden sequences, checked against the library itself, and replaying."""

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest
from fsrs import Card, Rating, Scheduler

from studyterm.schedule import review as sm2_review
from studyterm.schedule.fsrs import (
    FsrsSettings,
    answer,
    moment,
    rating,
    replay,
    retrievability,
    review,
)
from studyterm.schedule.log import LogEvent, effective
from studyterm.schedule.review import AnswerKind, CardSchedule
from studyterm.schedule.sm2 import InvalidGradeError

DAY = date(2026, 11, 21)
NOW = datetime(2026, 11, 21, 10, 0, tzinfo=UTC)
DEFAULT = FsrsSettings()


def test_sm2_grades_map_to_fsrs_ratings():
    assert [rating(g) for g in range(6)] == [Rating.Again] * 3 + [Rating.Hard, Rating.Good, Rating.Easy]
    with pytest.raises(InvalidGradeError):
        rating(6)


def test_a_golden_sequence_with_default_parameters():
    """Pinned numbers: a new py-fsrs that schedules differently fails here first."""
    memory, day, seen = None, DAY, []
    for grade in (4, 4, 4, 2, 4, 5):
        memory, interval = review(memory, grade, day, DEFAULT)
        seen.append((interval, round(memory.stability, 4), round(memory.difficulty, 4)))
        day += timedelta(days=interval)
    assert seen == [
        (2, 2.3065, 2.1181),
        (11, 10.9643, 2.1112),
        (46, 46.2802, 2.1043),
        (3, 2.9326, 7.39),
        (8, 7.7782, 7.3778),
        (28, 28.3865, 6.4868),
    ]


def library_sequence(answers: list[tuple[date, int]], settings: FsrsSettings) -> Card:
    """The same answers given to py-fsrs directly, the way studyterm configures it."""
    scheduler = Scheduler(parameters=settings.parameters, desired_retention=settings.desired_retention,
                          learning_steps=(), relearning_steps=(), enable_fuzzing=False)
    card = Card(card_id=1, due=moment(answers[0][0]))
    for day, grade in answers:
        card, _ = scheduler.review_card(card, rating(grade), datetime.combine(day, datetime.min.time(), UTC))
    return card


@pytest.mark.parametrize("settings", [DEFAULT, FsrsSettings(desired_retention=0.8)])
def test_replay_gives_the_librarys_states_and_due_dates(settings):
    answers = [(DAY, 3), (DAY + timedelta(days=1), 0), (DAY + timedelta(days=1), 4),
               (DAY + timedelta(days=9), 5), (DAY + timedelta(days=40), 1), (DAY + timedelta(days=41), 4)]
    events = [LogEvent(i, day, grade, "review", "scheduled") for i, (day, grade) in enumerate(answers, 1)]
    replayed = replay(events, settings)
    expected = library_sequence(answers, settings)
    assert replayed.memory.stability == pytest.approx(expected.stability, abs=1e-12)
    assert replayed.memory.difficulty == pytest.approx(expected.difficulty, abs=1e-12)
    assert replayed.due == expected.due.date()
    assert retrievability(replayed.memory, DAY + timedelta(days=60), settings) == pytest.approx(
        Scheduler(parameters=settings.parameters).get_card_retrievability(
            expected, moment(DAY + timedelta(days=60))))


def test_undone_answers_and_lab_successes_change_nothing():
    events = [
        LogEvent(1, DAY, 4, "review", "scheduled"),
        LogEvent(2, DAY + timedelta(days=2), 1, "review", "scheduled"),
        LogEvent(3, DAY + timedelta(days=2), None, "review", "undo", undoes=2),
        LogEvent(4, DAY + timedelta(days=3), 5, "lab", "lab"),
    ]
    assert [e.id for e in effective(events)] == [1, 4]
    assert replay(effective(events), DEFAULT) == replay(events[:1], DEFAULT)


def test_a_failing_lab_event_makes_the_card_due_that_day_without_touching_memory():
    first = LogEvent(1, DAY, 4, "review", "scheduled")
    lab_day = DAY + timedelta(days=1)
    before = replay([first], DEFAULT)
    after = replay([first, LogEvent(2, lab_day, 1, "lab", "lab")], DEFAULT)
    assert after.memory == before.memory and after.due == lab_day
    # A new card failed by a lab is due that day, and FSRS still knows nothing of it.
    assert replay([LogEvent(1, lab_day, 2, "lab", "lab")], DEFAULT).due == lab_day


def test_an_fsrs_answer_moves_sm2s_own_state_exactly_as_sm2_would():
    card, logged = CardSchedule(), []
    for offset, grade in ((0, 4), (1, 4), (7, 2), (7, 5), (8, 3)):
        day, now = DAY + timedelta(days=offset), NOW + timedelta(days=offset)
        outcome, _ = answer(card, replay(logged, DEFAULT).memory, grade, now, day, DEFAULT)
        sm2_only = sm2_review.answer(card, grade, now, day)
        assert (outcome.kind, outcome.after.sm2, outcome.after.sm2_due, outcome.after.lapses) == (
            sm2_only.kind, sm2_only.after.sm2, sm2_only.after.sm2_due, sm2_only.after.lapses)
        card = outcome.after
        logged.append(LogEvent(len(logged) + 1, day, grade, "review", outcome.kind.value))
    assert card.due == replay(logged, DEFAULT).due != card.sm2_due


def test_under_fsrs_only_a_failure_owes_a_same_day_repeat_and_the_repeat_is_a_review():
    first, _ = answer(CardSchedule(), None, 4, NOW, DAY, DEFAULT)
    assert first.after.repeat_day is None  # SM-2 would want a repeat after 3; FSRS after 0-2 only
    hard, _ = answer(CardSchedule(), None, 3, NOW, DAY, DEFAULT)
    assert hard.after.repeat_day is None
    failed, memory = answer(first.after, None, 1, NOW, DAY + timedelta(days=2), DEFAULT)
    assert failed.after.owes_repeat(DAY + timedelta(days=2))
    repeat, memory_after = answer(failed.after, memory, 4, NOW, DAY + timedelta(days=2), DEFAULT)
    assert repeat.kind is AnswerKind.REPEAT and not repeat.after.owes_repeat(DAY + timedelta(days=2))
    assert memory_after.stability > memory.stability  # FSRS-6's short-term stability
    assert repeat.after.sm2 == failed.after.sm2  # SM-2 leaves a repeat alone


def test_fsrs_intervals_follow_desired_retention():
    memory = review(None, 4, DAY, DEFAULT)[0]
    lenient = review(memory, 4, DAY + timedelta(days=2), FsrsSettings(desired_retention=0.8))[1]
    strict = review(memory, 4, DAY + timedelta(days=2), FsrsSettings(desired_retention=0.95))[1]
    assert strict < review(memory, 4, DAY + timedelta(days=2), DEFAULT)[1] < lenient
    assert replace(DEFAULT, desired_retention=0.8).is_default


def test_studyterms_steps_agree_with_review_card_on_random_histories():
    """review() calls py-fsrs's formulas one by one; Scheduler.review_card must agree on states
    and intervals for any history (same-day repeats, failures, long gaps, any retention)."""
    import random

    rng = random.Random(11)
    for case in range(60):
        settings = FsrsSettings(desired_retention=rng.choice((0.75, 0.9, 0.95)))
        answers, day = [], DAY
        for _ in range(rng.randint(1, 15)):
            day += timedelta(days=rng.choice((0, 0, 1, 3, 10, 60, 400)))
            answers.append((day, rng.randint(0, 5)))
        library = Scheduler(parameters=settings.parameters, desired_retention=settings.desired_retention,
                            learning_steps=(), relearning_steps=(), enable_fuzzing=False)
        card, memory = Card(card_id=1, due=moment(answers[0][0])), None
        for day_, grade in answers:
            card, _ = library.review_card(card, rating(grade), moment(day_))
            memory, interval = review(memory, grade, day_, settings)
            assert (memory.stability, memory.difficulty) == (card.stability, card.difficulty), case
            assert interval == (card.due - moment(day_)).days, case
