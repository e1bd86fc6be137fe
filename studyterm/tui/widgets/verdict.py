"""How a typed answer compares with the expected one, as Textual markup."""

from __future__ import annotations

from textual.markup import escape

from studyterm.quiz import TypedVerdict
from studyterm.render.text import GRADE_NAMES

_STYLES = {"same": "$success", "missing": "b $error underline", "extra": "strike dim"}


def verdict_markup(verdict: TypedVerdict) -> str:
    diff = " ".join(f"[{_STYLES[piece.kind]}]{escape(piece.text)}[/]" for piece in verdict.diff)
    return (
        f"You typed: {escape(verdict.given) or '[dim](nothing)[/dim]'}\n"
        f"Compared:  {diff or '[dim](nothing to compare)[/dim]'}\n"
        f"Similarity [b]{verdict.similarity:.0f}%[/b] → suggested grade "
        f"[b]{verdict.grade} ({GRADE_NAMES[verdict.grade]})[/b]: Enter accepts it, 0-5 changes it."
    )
