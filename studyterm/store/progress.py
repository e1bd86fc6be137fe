"""The SQL behind progress and statistics (studyterm.progress): grouped reads, so the figures
for 100,000 cards and a year of history (a million review rows) come back in a fraction of a
second.

An answer is a graded review log entry from a review or a quiz that was not undone; lab
feedback and the undo entries themselves are not answers. Cards are read grouped by what a
study plan can select them by (deck, tags, note): a few thousand groups, not 100,000 rows.
"""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import date
from typing import NamedTuple

from studyterm.store.rows import QUESTION, tags_from_json
from studyterm.store.store import Store

NEW, YOUNG, MATURE = 0, 1, 2
"""What a card was when answered: new or relearning (interval 0), young (1-20 days), mature."""
MATURE_DAYS = 21
LEARNED_CREDIT = 0.2
"""A card's credit (progress/mastery.py): 0 new, 0.2 once answered, then up to 1 at 21 days."""
_ANSWERED = "grade IS NOT NULL AND source IN ('review', 'quiz')"
_CREDIT = (f"CASE WHEN introduced IS NULL THEN 0 ELSE {LEARNED_CREDIT} + {1 - LEARNED_CREDIT} "
           f"* min(interval_days, {MATURE_DAYS}) / {MATURE_DAYS}.0 END")


class CardGroup(NamedTuple):
    """The active (not suspended, not retired) cards that share a deck, tags and note."""

    deck: str
    tags: tuple[str, ...]
    note_path: str
    total: int
    new: int
    young: int
    mature: int
    credit: float
    """The sum of the cards' credit."""
    due: int
    ef_sum: float
    """The sum of the learned cards' E-Factors."""
    recent_answers: int = 0
    recent_passed: int = 0


class WeakCard(NamedTuple):
    id: str
    question: str
    lapses: int
    ef: float


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


def card_groups(store: Store, today: date, recent_since: date) -> list[CardGroup]:
    """Active cards grouped by deck, tags and note, with the answers since `recent_since`."""
    rows = store.query(
        "SELECT deck, tags, note_path, count(*), sum(introduced IS NULL), "
        f"sum(introduced IS NOT NULL AND interval_days < {MATURE_DAYS}), "
        f"sum(introduced IS NOT NULL AND interval_days >= {MATURE_DAYS}), sum({_CREDIT}), "
        "sum(due IS NOT NULL AND due <= ?), coalesce(sum(CASE WHEN introduced IS NOT NULL THEN ef END), 0) "
        "FROM cards WHERE retired = 0 AND suspended = 0 GROUP BY deck, tags, note_path",
        (today.isoformat(),),
    )
    recent = _recent_by_group(store, recent_since)
    return [
        CardGroup(deck, tags_from_json(tags), note_path, total, new, young, mature, credit, due, ef_sum,
                  *recent.get((deck, tags, note_path), (0, 0)))
        for deck, tags, note_path, total, new, young, mature, credit, due, ef_sum in rows
    ]


def _recent_by_group(store: Store, since: date) -> dict[tuple[str, str, str], tuple[int, int]]:
    """(answers, answers graded 3+) since `since` per group: answers counted per card from the
    covering index first, then joined with the cards; undone answers taken back out."""
    found: dict[tuple[str, str, str], list[int]] = defaultdict(lambda: [0, 0])
    day = since.isoformat()
    for deck, tags, note_path, answers, passed in store.query(
        "SELECT c.deck, c.tags, c.note_path, sum(a.answers), sum(a.passed) FROM "
        f"(SELECT card_id, count(*) AS answers, sum(grade >= 3) AS passed FROM reviews WHERE day >= ? AND {_ANSWERED} "
        # `+card_id`: grouping must not tempt SQLite into walking the whole log in card order
        # instead of the recent days through reviews_recent_answers.
        "GROUP BY +card_id) a JOIN cards c ON c.id = a.card_id WHERE c.retired = 0 AND c.suspended = 0 "
        "GROUP BY 1, 2, 3",
        (day,),
    ):
        found[(deck, tags, note_path)] = [answers, passed]
    for deck, tags, note_path, grade in store.query(
        "SELECT c.deck, c.tags, c.note_path, r.grade FROM reviews u JOIN reviews r ON r.id = u.undoes "
        "JOIN cards c ON c.id = r.card_id WHERE u.undoes IS NOT NULL AND u.day >= ? AND r.day >= ? "
        "AND r.grade IS NOT NULL AND r.source IN ('review', 'quiz') AND c.retired = 0 AND c.suspended = 0",
        (day, day),
    ):
        counts = found[(deck, tags, note_path)]
        counts[0] -= 1
        counts[1] -= grade >= 3
    return {key: (answers, passed) for key, (answers, passed) in found.items()}


def weak_cards(store: Store, leech_lapses: int, low_ef: float, limit: int) -> tuple[list[WeakCard], int]:
    """Learned active cards with `leech_lapses` lapses or more, or an E-Factor at `low_ef` or
    below: the worst `limit` (most lapses, then lowest E-Factor) and how many there are."""
    where = "retired = 0 AND suspended = 0 AND introduced IS NOT NULL AND (lapses >= ? OR ef <= ?)"
    params = (leech_lapses, low_ef + 1e-9)
    rows = store.query(f"SELECT id, {QUESTION}, lapses, ef FROM cards WHERE {where} ORDER BY lapses DESC, ef "
                       "LIMIT ?", (*params, limit))
    total = store.query(f"SELECT count(*) FROM cards WHERE {where}", params)[0][0]
    return [WeakCard(*row) for row in rows], total


def hardest_cards(store: Store, limit: int) -> list[WeakCard]:
    return [WeakCard(*row) for row in store.query(
        f"SELECT id, {QUESTION}, lapses, ef FROM cards WHERE retired = 0 AND introduced IS NOT NULL AND lapses > 0 "
        "ORDER BY lapses DESC, ef LIMIT ?", (limit,))]


def ef_counts(store: Store, bucket_lows: tuple[float, ...]) -> list[int]:
    """Learned active cards per E-Factor band (each band from its low to the next one's)."""
    cases = " ".join(f"WHEN ef >= {low - 1e-9} THEN {index}" for index, low in reversed(list(enumerate(bucket_lows))))
    counts = dict(store.query(
        f"SELECT CASE {cases} ELSE 0 END, count(*) FROM cards "
        "WHERE retired = 0 AND suspended = 0 AND introduced IS NOT NULL GROUP BY 1"
    ))
    return [counts.get(index, 0) for index in range(len(bucket_lows))]


def top_decks(store: Store) -> list[str]:
    return [row[0] for row in store.query(
        "SELECT DISTINCT CASE WHEN instr(deck, '/') THEN substr(deck, 1, instr(deck, '/') - 1) ELSE deck END "
        "FROM cards WHERE retired = 0 ORDER BY 1")]


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
