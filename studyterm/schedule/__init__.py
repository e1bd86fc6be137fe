"""Scheduling: SM-2 (pure), applying grades to a card's day-level state, the daily queue."""
