"""Read-only questions about many cards at once: deck counts, forecasts, search, distractors."""

from __future__ import annotations

import json
from datetime import date, timedelta

from studyterm.store.filters import ACTIVE, NOT_BURIED, deck_filter
from studyterm.store.records import CardRecord, DeckCounts
from studyterm.store.rows import CARD_COLUMNS, QUESTION, card_from_row
from studyterm.store.store import Store

MASTERED_DAYS = 21
"""A card with an interval of three weeks or more counts as mastered (the deck's mastery bar)."""
LEECH_LAPSES = 6

_DUE_OR_REPEAT = (
    "((due IS NOT NULL AND due <= :day AND (repeat_day IS NULL OR repeat_day != :day)) "
    "OR repeat_day = :day)"
)
STATES = ("new", "learning", "review", "due", "suspended", "flagged", "leech")
_STATE_SQL = {
    "new": "introduced IS NULL",
    "learning": "introduced IS NOT NULL AND (repetitions < 2 OR repeat_day = :day)",
    "review": "introduced IS NOT NULL AND repetitions >= 2 AND (repeat_day IS NULL OR repeat_day != :day)",
    "due": f"{ACTIVE} AND {NOT_BURIED} AND {_DUE_OR_REPEAT}",
    "suspended": "suspended = 1",
    "flagged": "flagged = 1",
    "leech": f"lapses >= {LEECH_LAPSES}",
}


def deck_counts(store: Store, day: date) -> list[DeckCounts]:
    rows = store.query(
        "SELECT deck, count(*), "
        f"sum(CASE WHEN suspended = 0 AND {NOT_BURIED} AND {_DUE_OR_REPEAT} THEN 1 ELSE 0 END), "
        f"sum(CASE WHEN suspended = 0 AND {NOT_BURIED} AND introduced IS NULL THEN 1 ELSE 0 END), "
        f"sum(CASE WHEN introduced IS NOT NULL AND interval_days >= {MASTERED_DAYS} THEN 1 ELSE 0 END) "
        "FROM cards WHERE retired = 0 GROUP BY deck ORDER BY deck",
        {"day": day.isoformat()},
    )
    return [DeckCounts(*row) for row in rows]


def due_forecast(store: Store, day: date, days: int, deck: str | None = None) -> list[tuple[date, int]]:
    """How many cards fall due on each of the next `days` study days."""
    deck_sql, params = deck_filter(deck, day)
    last = day + timedelta(days=days)
    rows = store.query(
        f"SELECT due, count(*) FROM cards WHERE {ACTIVE} AND due > :day AND due <= :last "
        f"{deck_sql} GROUP BY due",
        {**params, "last": last.isoformat()},
    )
    counts = {date.fromisoformat(due): count for due, count in rows}
    return [(day + timedelta(days=n), counts.get(day + timedelta(days=n), 0)) for n in range(1, days + 1)]


def search_cards(
    store: Store,
    day: date,
    text: str = "",
    deck: str | None = None,
    tag: str | None = None,
    state: str | None = None,
    limit: int = 500,
) -> list[CardRecord]:
    """Active cards matching all the given filters, in note order."""
    deck_sql, params = deck_filter(deck, day)
    clauses = ["retired = 0"]
    if text.strip():
        clauses.append(f"({QUESTION} LIKE :text ESCAPE '\\' OR answer LIKE :text ESCAPE '\\')")
        params["text"] = "%" + _escape_like(text.strip()) + "%"
    if tag:
        clauses.append("tags LIKE :tag ESCAPE '\\'")
        params["tag"] = '%"' + _escape_like(tag) + '"%'
    if state:
        if state not in _STATE_SQL:
            raise ValueError(f"state must be one of {', '.join(STATES)}")
        clauses.append(_STATE_SQL[state])
    rows = store.query(
        f"SELECT {CARD_COLUMNS} FROM cards WHERE {' AND '.join(clauses)} {deck_sql} "
        "ORDER BY position LIMIT :limit",
        {**params, "limit": limit},
    )
    return [card_from_row(row) for row in rows]


def deck_answers(store: Store, deck: str, exclude_id: str, limit: int = 200) -> list[CardRecord]:
    """Other active cards of a deck (and its sub-decks): where quiz distractors come from."""
    deck_sql, params = deck_filter(deck, date.min)
    rows = store.query(
        f"SELECT {CARD_COLUMNS} FROM cards WHERE retired = 0 AND id != :exclude {deck_sql} "
        "ORDER BY position LIMIT :limit",
        {**params, "exclude": exclude_id, "limit": limit},
    )
    return [card_from_row(row) for row in rows]


def all_tags(store: Store) -> list[str]:
    tags: set[str] = set()
    for (raw,) in store.query("SELECT DISTINCT tags FROM cards WHERE retired = 0 AND tags != '[]'"):
        tags.update(str(tag) for tag in json.loads(raw))
    return sorted(tags)


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
