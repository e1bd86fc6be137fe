"""Short human forms for intervals and durations."""

from __future__ import annotations

from datetime import date

from studyterm.schedule.review import AnswerKind, Outcome

GRADE_NAMES = {0: "blackout", 1: "wrong", 2: "almost", 3: "hard", 4: "good", 5: "perfect"}
"""One word per SM-2 grade, for keys and buttons; schedule.sm2.GRADE_LABELS has the long forms."""


def interval(days: int) -> str:
    if days < 60:
        return f"{days}d"
    if days < 365:
        return f"{days / 30.4:.0f}mo"
    return f"{days / 365:.1f}y"


def duration(milliseconds: int) -> str:
    seconds = round(milliseconds / 1000)
    if seconds < 3600:
        return f"{seconds // 60}:{seconds % 60:02d}"
    return f"{seconds // 3600}h{seconds % 3600 // 60:02d}"


def outcome_hint(outcome: Outcome, today: date) -> str:
    """What a grade would do: the next interval, and whether the card comes back today."""
    if outcome.kind is AnswerKind.REPEAT:
        return "again today" if outcome.after.owes_repeat(today) else "done today"
    text = interval(outcome.after.sm2.interval_days)
    return f"{text} · again" if outcome.after.owes_repeat(today) else text
