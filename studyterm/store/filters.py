"""SQL fragments every card query shares, so "active" and "in this deck" mean one thing."""

from __future__ import annotations

from datetime import date

ACTIVE = "retired = 0 AND suspended = 0"
NOT_BURIED = "(buried_until IS NULL OR buried_until <= :day)"


def deck_filter(deck: str | None, day: date) -> tuple[str, dict]:
    """`AND` clause for a deck and its sub-decks (`dlfs2` matches `dlfs2/ch01`, not `dlfs2x`)."""
    params: dict = {"day": day.isoformat()}
    if not deck:
        return "", params
    escaped = deck.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    params.update(deck=deck, deck_prefix=escaped + "/%")
    return "AND (deck = :deck OR deck LIKE :deck_prefix ESCAPE '\\')", params
