"""How a typed answer compares with the expected one, as Textual markup."""

from __future__ import annotations

from textual.markup import escape

from studyterm.quiz import TypedVerdict
from studyterm.render.text import GRADE_NAMES

_STYLES = {"same": "$success", "missing": "b $error underline", "extra": "strike dim"}


def verdict_markup(verdict: TypedVerdict) -> str:
    typed = f"You typed: {escape(verdict.given) or '[dim](nothing)[/dim]'}\n"
    if not verdict.graded:
        return typed + "[b]Compare it with the answer below and grade it yourself: 0-5.[/b]"
    diff = " ".join(f"[{_STYLES[piece.kind]}]{escape(piece.text)}[/]" for piece in verdict.diff)
    name = f"{verdict.grade} ({GRADE_NAMES[verdict.grade]})"
    keys = (
        "a lapse: press Enter twice or its number to record it, 0-5 for another."
        if verdict.failing
        else "Enter accepts it, 0-5 changes it."
    )
    return (
        typed
        + f"Compared:  {diff or '[dim](nothing to compare)[/dim]'}\n"
        + f"Similarity [b]{verdict.similarity:.0f}%[/b] → suggested grade [b]{name}[/b]: {keys}"
    )
