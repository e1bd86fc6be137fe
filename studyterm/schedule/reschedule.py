"""Setting a card's due date by hand (Anki's "Set due date"): pure functions, no storage."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, timedelta

from studyterm.schedule.review import CardSchedule

_RELATIVE = re.compile(r"^\+?(\d{1,4})\s*d?$")


class DueDateError(ValueError):
    """The text is not a due date this app understands; the message says what would be."""


def parse_due(text: str, today: date) -> date:
    """`2026-12-24`, `+3` / `3` / `3d` (days from today) or `today`/`tomorrow`; never in the past."""
    text = text.strip().lower()
    if text in ("today", "0"):
        return today
    if text == "tomorrow":
        return today + timedelta(days=1)
    relative = _RELATIVE.match(text)
    if relative:
        return today + timedelta(days=int(relative.group(1)))
    try:
        due = date.fromisoformat(text)
    except ValueError:
        raise DueDateError("a date like 2026-12-24, or +N for N days from today") from None
    if due < today:
        raise DueDateError(f"{due} is in the past; the earliest is today ({today})")
    return due


def reschedule(card: CardSchedule, due: date) -> CardSchedule:
    """The card's schedule with a new due date. EF, interval and lapses stay (as in Anki, the
    interval is not rewritten); a same-day repeat still owed is dropped, since the learner
    chose when to see the card next. New cards have no due date: callers leave them out."""
    if card.is_new:
        raise ValueError("a new card has no due date; it is introduced in order")
    return replace(card, due=due, repeat_day=None)
