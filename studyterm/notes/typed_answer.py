"""The `typed:` line: a card's short expected answer for the typed quiz (docs/notes.md).

It is written as the last line of a Q/A card's answer (`typed: 16 | sixteen`) and stays in the
stored answer text, so it travels with the card (identity, history, Markdown export); what the
learner reads (review, Anki fields, CSV) is the answer without it.
"""

from __future__ import annotations

import re

from studyterm.notes.mask import mask_inline

TYPED_LINE = re.compile(r"^[ \t]*typed:[ \t]*(.*?)[ \t]*$")


def split_typed(answer: str) -> tuple[str, list[str]]:
    """(the answer as shown, the expected answers its `typed:` line lists; [] without one).
    Alternatives are separated by `|` outside code spans and math."""
    lines = answer.rstrip().split("\n")
    if len(lines) < 2 or not (match := TYPED_LINE.match(lines[-1])):
        return answer, []
    shown = "\n".join(lines[:-1]).rstrip()
    return shown, alternatives(match.group(1))


def alternatives(value: str) -> list[str]:
    """`a | b | $|x|$` -> ["a", "b", "$|x|$"]: a `|` inside code or math is not a separator."""
    masked = mask_inline(value)
    parts, start = [], 0
    for index, char in enumerate(masked):
        if char == "|":
            parts.append(value[start:index])
            start = index + 1
    parts.append(value[start:])
    return [part.strip() for part in parts if part.strip()]


def shown_answer(answer: str) -> str:
    """The answer without its `typed:` line: what review, card info and Anki show."""
    return split_typed(answer)[0]
