"""Reading a review log in the open-spaced-repetition CSV shape (`card_id, review_rating,
review_time, review_duration`, ratings 1-4), as studyterm would have logged it.

Ratings become SM-2 grades as srs-benchmark's SM-2 reads them (q = rating + 1: Again 2, Hard 3,
Good 4, Easy 5), which studyterm's own mapping (docs/scheduling.md) turns back into the same
rating. A card's first answer of a study day is a scheduled review, later ones that day are
same-day repeats, as studyterm logs them.
"""

from __future__ import annotations

import csv
from datetime import datetime
from pathlib import Path

from studyterm.clock import DayBoundary
from studyterm.schedule.log import LogEvent

STUDY_DAY = DayBoundary()
"""Study days roll over at 04:00 (studyterm's default), here in UTC: the log's times are UTC."""


def read_review_csv(path: Path, boundary: DayBoundary = STUDY_DAY,
                    limit_cards: int | None = None) -> list[tuple[str, list[LogEvent]]]:
    """Each card's answers in time order, cards in order of their first answer."""
    with path.open(newline="", encoding="utf-8") as handle:
        rows = sorted(csv.DictReader(handle), key=lambda row: row["review_time"])
    cards: dict[str, list[LogEvent]] = {}
    for number, row in enumerate(rows, start=1):
        card_id = row["card_id"]
        if card_id not in cards and limit_cards is not None and len(cards) >= limit_cards:
            continue
        day = boundary.study_day(datetime.fromisoformat(row["review_time"]))
        events = cards.setdefault(card_id, [])
        kind = "repeat" if events and events[-1].day == day else "scheduled"
        events.append(LogEvent(number, day, int(row["review_rating"]) + 1, "review", kind))
    return list(cards.items())
