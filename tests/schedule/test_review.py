from datetime import UTC, date, datetime, timedelta

import pytest

from studyterm.schedule.review import AnswerKind, CardSchedule, answer, preview

NOW = datetime(2026, 11, 21, 10, 0, tzinfo=UTC)
DAY = date(2026, 11, 21)


def test_first_answer_introduces_the_card_and_schedules_it():
    outcome = answer(CardSchedule(), 5, NOW, DAY)
    assert outcome.kind is AnswerKind.SCHEDULED
    assert outcome.after.introduced == DAY
    assert outcome.after.due == DAY + timedelta(days=1)
    assert outcome.after.repeat_day is None
    assert outcome.after.lapses == 0


def test_grade_below_four_owes_a_same_day_repeat_that_changes_nothing():
    first = answer(CardSchedule(), 3, NOW, DAY).after
    assert first.owes_repeat(DAY) and first.sm2.ef_centi == 236
    again = answer(first, 2, NOW + timedelta(minutes=5), DAY)
    assert again.kind is AnswerKind.REPEAT
    assert again.after.sm2 == first.sm2 and again.after.due == first.due
    assert again.after.owes_repeat(DAY)
    done = answer(again.after, 4, NOW + timedelta(minutes=9), DAY)
    assert done.kind is AnswerKind.REPEAT
    assert not done.after.owes_repeat(DAY)
    assert done.after.sm2 == first.sm2 and done.after.due == first.due


def test_a_repeat_owed_yesterday_does_not_block_today_s_review():
    first = answer(CardSchedule(), 2, NOW, DAY).after
    tomorrow = DAY + timedelta(days=1)
    outcome = answer(first, 5, NOW + timedelta(days=1), tomorrow)
    assert outcome.kind is AnswerKind.SCHEDULED


def test_lapses_count_failures_of_cards_already_learnt():
    learnt = answer(CardSchedule(), 5, NOW, DAY).after
    assert answer(CardSchedule(), 1, NOW, DAY).after.lapses == 0  # failing a new card is no lapse
    lapsed = answer(learnt, 1, NOW, DAY + timedelta(days=1)).after
    assert lapsed.lapses == 1 and lapsed.sm2.repetitions == 0


def test_preview_covers_every_grade():
    outcomes = preview(CardSchedule(), NOW, DAY)
    assert sorted(outcomes) == [0, 1, 2, 3, 4, 5]
    assert outcomes[5].after.sm2.interval_days == 1


# -- setting a due date by hand ------------------------------------------------------------

def test_parse_due_reads_dates_and_days_from_today():
    from studyterm.schedule.reschedule import DueDateError, parse_due

    today = date(2026, 11, 21)
    assert parse_due("2026-12-24", today) == date(2026, 12, 24)
    assert parse_due("+3", today) == date(2026, 11, 24)
    assert parse_due("3d", today) == date(2026, 11, 24)
    assert parse_due("tomorrow", today) == date(2026, 11, 22)
    assert parse_due("today", today) == today
    for bad in ("2026-11-20", "soon", "-2"):
        with pytest.raises(DueDateError):
            parse_due(bad, today)


def test_reschedule_moves_the_due_date_and_keeps_the_rest():
    from studyterm.schedule.reschedule import reschedule

    day = date(2026, 11, 21)
    answered = answer(CardSchedule(), 2, datetime(2026, 11, 21, 10), day).after
    assert answered.owes_repeat(day)
    moved = reschedule(answered, date(2026, 12, 1))
    assert moved.due == date(2026, 12, 1)
    assert not moved.owes_repeat(day)
    assert (moved.sm2, moved.lapses, moved.introduced) == (answered.sm2, answered.lapses, answered.introduced)
    with pytest.raises(ValueError):
        reschedule(CardSchedule(), date(2026, 12, 1))
