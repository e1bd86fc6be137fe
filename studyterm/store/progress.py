"""The SQL behind progress and statistics (studyterm.progress): a few grouped scans, so the
figures for a year of history (a million review rows) come back in well under a second.

An answer is a graded review log entry from a review or a quiz that was not undone; lab
feedback and the undo entries themselves are not answers.
"""

from __future__ import annotations

import json
from datetime import date
from typing import NamedTuple

from studyterm.store.rows import tags_from_json
from studyterm.store.store import Store

_ANSWERS = (
    "grade IS NOT NULL AND source IN ('review', 'quiz') "
    "AND id NOT IN (SELECT undoes FROM reviews WHERE undoes IS NOT NULL)"
)


class CardFact(NamedTuple):
    """What mastery needs of one active card."""

    id: str
    question: str
    deck: str
    tags: tuple[str, ...]
    note_path: str
    introduced: bool
    interval_days: int
    ef: float
    lapses: int
    suspended: bool
    due: date | None


class RecentAnswers(NamedTuple):
    card_id: str
    answers: int
    passed: int
    """Answers graded 3 or more."""


NEW, YOUNG, MATURE = 0, 1, 2
"""What a card was when answered: new or relearning (interval 0), young (1-20 days), mature."""


class DayAnswers(NamedTuple):
    """Answers of one study day with one grade from cards of one kind (NEW, YOUNG, MATURE)."""

    day: date
    grade: int
    kind: int
    count: int
    duration_ms: int


class LearnerRun(NamedTuple):
    """A lab run of the learner's own code: the evidence milestones are met by."""

    id: int
    lab_id: str
    day: date
    mode: str
    graded: bool
    passed: bool | None
    holes: list[dict]


def card_facts(store: Store) -> list[CardFact]:
    rows = store.query(
        "SELECT id, question, deck, tags, note_path, introduced IS NOT NULL, interval_days, ef, lapses, "
        "suspended, due FROM cards WHERE retired = 0"
    )
    return [
        CardFact(card_id, question, deck, tags_from_json(tags), note_path, bool(introduced), interval or 0,
                 ef, lapses or 0, bool(suspended), date.fromisoformat(due) if due else None)
        for card_id, question, deck, tags, note_path, introduced, interval, ef, lapses, suspended, due in rows
    ]


def recent_answers(store: Store, since: date) -> list[RecentAnswers]:
    rows = store.query(
        f"SELECT card_id, count(*), sum(grade >= 3) FROM reviews WHERE day >= ? AND {_ANSWERS} GROUP BY card_id",
        (since.isoformat(),),
    )
    return [RecentAnswers(*row) for row in rows]


def answers_by_day(store: Store, since: date) -> list[DayAnswers]:
    """Answers per day, grade and kind from `since` (the `answer_days` table the log's triggers
    keep): what the calendar, retention, answer buttons and time per day are computed from."""
    rows = store.query(
        "SELECT day, grade, kind, answers, duration_ms FROM answer_days WHERE day >= ? AND answers > 0",
        (since.isoformat(),),
    )
    return [DayAnswers(date.fromisoformat(day), grade, kind, count, duration)
            for day, grade, kind, count, duration in rows]


def learner_runs(store: Store) -> list[LearnerRun]:
    rows = store.query(
        "SELECT id, lab_id, day, coalesce(mode, 'full'), coalesce(graded, 0), passed, coalesce(holes, '[]') "
        "FROM lab_runs WHERE learner = 1 ORDER BY id"
    )
    return [
        LearnerRun(run_id, lab_id, date.fromisoformat(day), mode, bool(graded),
                   None if passed is None else bool(passed), _json_list(holes))
        for run_id, lab_id, day, mode, graded, passed, holes in rows
    ]


def _json_list(text: str) -> list[dict]:
    try:
        value = json.loads(text)
    except ValueError:
        return []
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []
