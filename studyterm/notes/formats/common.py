"""Pieces the foreign formats share: fenced code is never a card, lines are counted from 1."""

from __future__ import annotations

import re

_FENCE = re.compile(r"^[ \t]{0,3}(`{3,}|~{3,})")


def code_lines(lines: list[str]) -> set[int]:
    """0-based indexes of lines inside fenced code blocks (fences included)."""
    inside: set[int] = set()
    fence: str | None = None
    for index, line in enumerate(lines):
        match = _FENCE.match(line)
        if fence is None and match:
            fence = match.group(1)[0] * len(match.group(1))
            inside.add(index)
        elif fence is not None:
            inside.add(index)
            if match and match.group(1).startswith(fence):
                fence = None
    return inside


def join(lines: list[str]) -> str:
    return "\n".join(lines).strip()
