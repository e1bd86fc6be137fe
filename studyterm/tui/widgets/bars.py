"""Small text bars for tables (a widget per cell would cost too much in a long deck list)."""

from __future__ import annotations

from rich.text import Text

FULL, EMPTY = "█", "░"


def mastery_bar(fraction: float, width: int = 10) -> Text:
    filled = round(max(0.0, min(1.0, fraction)) * width)
    bar = Text()
    bar.append(FULL * filled, style="green")
    bar.append(EMPTY * (width - filled), style="dim")
    bar.append(f" {fraction:4.0%}")
    return bar
