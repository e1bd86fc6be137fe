"""Quick add: put one more `Q:`/`A:` card into a note without opening it.

The card goes at the end of the note's recall section (a heading with "recall" in it), else at the
end of the note. The new text is parsed before it is written: the card must come out exactly as
typed and every card already there must stay as it was, or nothing is written.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from studyterm.authoring.files import NoteError, OpenNote, refuse_foreign
from studyterm.notes.frontmatter import read_front_matter
from studyterm.notes.identity import card_key, normalize
from studyterm.notes.model import CardKind, ParsedCard, ParsedNote
from studyterm.notes.parser import parse_note

_RECALL = re.compile(r"recall", re.IGNORECASE)


@dataclass(frozen=True)
class Added:
    path: Path
    relative: str
    line: int  # of the new `Q:`
    previous: str = ""
    """The note's text before the card was added, and after: what undo puts back, if the file
    still holds exactly what was written."""
    written: str = ""


def add_recall(root: Path, relative: str, question: str, answer: str) -> Added:
    """Append a basic card to the note at `relative`; NoteError (nothing written) when the note
    cannot take it, NoteChangedError when the file changed while it was being written."""
    question, answer = _one_line(question, "question"), _one_line(answer, "answer")
    refuse_foreign(root, relative)
    opened = OpenNote.open(root, relative)
    before = parse_note(opened.text)
    if not before.readable:
        problem = before.problems[0]
        raise NoteError(f"{relative}:{problem.line}: {problem.message}; fix the note first")
    for card in before.cards:
        if card.kind == CardKind.BASIC and normalize(card.question) == normalize(question):
            raise NoteError(f"{relative} already asks that question (line {card.line})")
    for text in _placements(opened.text, question, answer):
        card = _the_new_card(before, parse_note(text), question, answer)
        if card is not None:
            previous = opened.text
            opened.save(text)
            return Added(opened.path, relative, card.line, previous, text)
    raise NoteError(
        f"the card would not read back as typed at the end of {relative} "
        "(is a code block or a comment left open at its end?); add it in the editor"
    )


def remove_added(root: Path, added: Added) -> None:
    """Undo a quick add: the note goes back to its text before it. NoteError (nothing written)
    when the note was changed since, so no later edit is lost."""
    opened = OpenNote.open(root, added.relative)
    if opened.text != added.written:
        raise NoteError(f"{added.relative} changed since the card was added; remove it in the editor")
    opened.save(added.previous)


def _one_line(text: str, what: str) -> str:
    text = " ".join(text.split())
    if not text:
        raise NoteError(f"the {what} is empty")
    return text


def _placements(text: str, question: str, answer: str) -> list[str]:
    newline = "\r\n" if "\r\n" in text else "\n"
    lines = text.replace("\r\n", "\n").split("\n")
    card = ["", f"Q: {question}", f"A: {answer}"]
    ends = [end for end in (_recall_section_end(lines), len(lines)) if end is not None]
    placements = []
    for end in dict.fromkeys(ends):
        at = end
        while at > 0 and not lines[at - 1].strip():
            at -= 1
        following = lines[at:] if at < len(lines) else []
        if not following or (len(following) == 1 and following[0] == ""):
            following = [""]  # end the file with a newline
        elif following[0].strip():
            following = ["", *following]
        placements.append(newline.join(lines[:at] + card + following))
    return placements


def _recall_section_end(lines: list[str]) -> int | None:
    """The 0-based line where the recall section ends (the next heading of its level or higher,
    or the end of the note); None when the note has no recall heading."""
    front = read_front_matter(lines)
    body = [""] * (front.end_line + 1) + lines[front.end_line + 1 :]
    tokens = _markdown().parse("\n".join(body))
    headings = [
        (int(token.tag[1:]), token.map[0], tokens[index + 1].content)
        for index, token in enumerate(tokens)
        if token.type == "heading_open" and token.map
    ]
    for index, (level, _start, title) in enumerate(headings):
        if _RECALL.search(title):
            later = (start for lower, start, _ in headings[index + 1 :] if lower <= level)
            return next(later, len(lines))
    return None


@cache
def _markdown():
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark").disable("inline")


def _the_new_card(before: ParsedNote, after: ParsedNote, question: str, answer: str) -> ParsedCard | None:
    """The added card, if the new text gives it as typed and keeps every other card."""
    if not after.readable or len(after.cards) != len(before.cards) + 1:
        return None
    extra = Counter(card_key(card) for card in after.cards) - Counter(card_key(c) for c in before.cards)
    if extra.total() != 1:
        return None
    for card in after.cards:
        if (
            card.kind == CardKind.BASIC
            and card.question == question
            and card.answer == answer
            and extra.get(card_key(card))
        ):
            return card
    return None
