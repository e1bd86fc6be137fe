"""A card's question and answer as Markdown ready for a terminal: math as Unicode, cloze holes
marked. The TUI shows these with its Markdown widget."""

from __future__ import annotations

import re
from typing import Protocol

from studyterm.notes import cloze
from studyterm.notes.model import CardKind
from studyterm.notes.typed_answer import shown_answer
from studyterm.render.inline_html import readable
from studyterm.render.math import render_math
from studyterm.store import CardRecord


class CardText(Protocol):
    """What rendering needs of a card: a stored CardRecord and a freshly parsed card both fit."""

    @property
    def kind(self) -> str: ...
    @property
    def question(self) -> str: ...
    @property
    def answer(self) -> str: ...
    @property
    def cloze_group(self) -> int | None: ...


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~])")


def escape_markdown(text: str) -> str:
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


def _inline(text: str) -> str:
    return escape_markdown(text)


def _display(text: str) -> str:
    return f"\n\n```text\n{text}\n```\n\n"


def terminal_markdown(markdown: str) -> str:
    """Markdown with every `$...$` / `$$...$$` replaced by its Unicode rendering, ruby as
    base(reading) and HTML comments left out."""
    return render_math(readable(markdown), wrap_inline=_inline, wrap_display=_display).strip()


def question_markdown(card: CardText) -> str:
    if card.kind == CardKind.CLOZE and card.cloze_group is not None:
        hidden = cloze.render(
            card.question,
            card.cloze_group,
            reveal=False,
            hole=lambda d: f"**[{d.hint}]**" if d.hint else "**[...]**",
        )
        return terminal_markdown(hidden)
    return terminal_markdown(card.question)


def answer_markdown(card: CardText) -> str:
    if card.kind == CardKind.CLOZE and card.cloze_group is not None:
        filled = cloze.render(card.question, card.cloze_group, reveal=True, filled=lambda s: f"**{s}**")
        return terminal_markdown(filled)
    return terminal_markdown(shown_answer(card.answer))


def question_line(card: CardRecord) -> str:
    """The question as one line of plain text, for tables and lists."""
    from studyterm.quiz import plain_text
    from studyterm.render.pictures import mark_pictures

    return plain_text(mark_pictures(question_markdown(card)))
