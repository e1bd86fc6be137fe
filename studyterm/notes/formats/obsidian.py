"""Obsidian notes written for the spaced-repetition plugin (st3v3nmw/obsidian-spaced-repetition),
with the plugin's default settings (checked against its docs and `DEFAULT_SETTINGS`).

Only a note tagged `#flashcards` (in its text or its front matter `tags`) holds cards. Decks
follow the plugin: `#flashcards/lang/verbs` puts cards in deck `lang/verbs`; a tag on a line of
its own (or in the front matter) applies to the cards after it, up to the next such tag; a tag
at the start of a card's first line applies to that card only; a card before any tag takes the
note's first tag. In a flashcards note:

* `question::answer` on one line is a card; `question:::answer` gives two (and the reverse);
* a block of lines (up to a blank line) with a line `?` between question and answer is a
  multi-line card; `??` makes it two;
* a paragraph with `==highlights==` is a cloze: each deletion is its own card; `**bold**` too
  when the folder's format is `obsidian+bold` (the plugin's "Convert bolded text to clozes");
* the plugin's scheduling comments (`<!--SR:!2024-01-05,3,250-->`) and the `#flashcards` tags
  are left out of the cards, and never touched in the file: studyterm does not write to it.

Fenced code never holds cards; `::` inside code spans or math does not count.
"""

from __future__ import annotations

import re

from studyterm.notes.formats.common import code_lines, join
from studyterm.notes.frontmatter import FrontMatterError, normalize_deck, read_front_matter
from studyterm.notes.mask import mask_inline
from studyterm.notes.model import CardKind, FrontMatter, ParsedCard, ParsedNote

_TAG = re.compile(r"(?<![\w/#])#flashcards(?:/([\w/-]+))?\b")
_SCHEDULE = re.compile(r"[ \t]*<!--SR:.*?-->")
_REVERSED = re.compile(r":::")
_BASIC = re.compile(r"::")
_HIGHLIGHT = re.compile(r"==(?=\S)(.+?)(?<=\S)==")
_HIGHLIGHT_OR_BOLD = re.compile(r"==(?=\S)(.+?)(?<=\S)==|\*\*(?=\S)(.+?)(?<=\S)\*\*")


class _Decks:
    """Which deck each line's cards go to, by the plugin's rules (module docstring)."""

    def __init__(self, lines: list[str], start: int, front_tags: tuple[str, ...]) -> None:
        self.note_level: list[tuple[int, str]] = []
        self.card_level: dict[int, str] = {}
        first: str | None = None
        front = [_sub_deck(t[len("flashcards"):].lstrip("/")) for t in front_tags
                 if t == "flashcards" or t.startswith("flashcards/")]
        self.front = front[0] if front else None
        first = self.front
        for index in range(start, len(lines)):
            masked = mask_inline(lines[index])
            match = _TAG.search(masked)
            if match is None:
                continue
            deck = _sub_deck(match.group(1) or "")
            first = deck if first is None else first
            rest = _TAG.sub("", masked).strip()
            if masked.lstrip().startswith("#flashcards") and rest:
                self.card_level[index] = deck
            else:
                self.note_level.append((index, deck))
        self.first = first

    @property
    def tagged(self) -> bool:
        return self.first is not None

    def of(self, line_index: int) -> str:
        if line_index in self.card_level:
            return self.card_level[line_index]
        deck = self.front
        for index, found in self.note_level:
            if index >= line_index:
                break
            deck = found
        return deck if deck is not None else self.first or ""


def _sub_deck(sub: str) -> str:
    return normalize_deck(sub) if sub else ""


def parse_obsidian(text: str, bold_clozes: bool = False) -> ParsedNote:
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    try:
        front_block = read_front_matter(lines)
    except FrontMatterError as error:
        return ParsedNote(problems=[error.problem], readable=False)
    start = front_block.end_line + 1
    decks = _Decks(lines, start, front_block.front.tags)
    if not decks.tagged:
        return ParsedNote(front=front_block.front)  # not a flashcards note: no cards, no problem
    front = FrontMatter(front_block.front.title, front_block.front.deck or decks.first or None, front_block.front.tags)
    note = ParsedNote(front=front)
    cloze = _HIGHLIGHT_OR_BOLD if bold_clozes else _HIGHLIGHT
    code = code_lines(lines)
    block: list[tuple[int, str]] = []
    for index in range(start, len(lines)):
        if index in code or not lines[index].strip():
            _block(block, note, cloze)
            block = []
        else:
            block.append((index, lines[index]))
    _block(block, note, cloze)
    if not front_block.front.deck:
        note.cards = [card._replace(deck=decks.of(card.line - 1) or None) for card in note.cards]
    return note


def _clean(line: str) -> str:
    """The line without scheduling comments and tags (a card's leading tag with its space)."""
    line = _SCHEDULE.sub("", line)
    if _TAG.match(line.lstrip()):
        return _TAG.sub("", line).strip()
    return _TAG.sub("", line).rstrip()


def _block(block: list[tuple[int, str]], note: ParsedNote, cloze: re.Pattern[str]) -> None:
    cleaned = [(i, line) for i, line in ((i, _clean(line)) for i, line in block) if line.strip()]
    if not cleaned:
        return
    split = next((k for k, (_, line) in enumerate(cleaned) if line.strip() in ("?", "??")), None)
    if split is not None:
        question = join([line for _, line in cleaned[:split]])
        answer = join([line for _, line in cleaned[split + 1:]])
        number = cleaned[0][0] + 1
        if question and answer:
            note.cards.append(ParsedCard(CardKind.BASIC, question, answer, number))
            if cleaned[split][1].strip() == "??":
                note.cards.append(ParsedCard(CardKind.BASIC, answer, question, number))
        return
    singles = False
    for index, line in cleaned:
        masked = mask_inline(line)
        separator = _REVERSED.search(masked) or _BASIC.search(masked)
        if separator is None:
            continue
        question, answer = line[: separator.start()].strip(), line[separator.end():].strip()
        if question and answer:
            singles = True
            note.cards.append(ParsedCard(CardKind.BASIC, question, answer, index + 1))
            if separator.re is _REVERSED:
                note.cards.append(ParsedCard(CardKind.BASIC, answer, question, index + 1))
    if not singles:
        _cloze(cleaned, note, cloze)


def _cloze(cleaned: list[tuple[int, str]], note: ParsedNote, pattern: re.Pattern[str]) -> None:
    text = join([line for _, line in cleaned])
    masked = mask_inline(text)
    pieces, position, group = [], 0, 0
    for match in pattern.finditer(masked):
        group += 1
        inner = 1 if match.group(1) is not None else 2
        pieces.append(text[position : match.start()])
        pieces.append(f"{{{{c{group}::{text[match.start(inner) : match.end(inner)]}}}}}")
        position = match.end()
    if not group:
        return
    pieces.append(text[position:])
    converted = "".join(pieces)
    for n in range(1, group + 1):
        note.cards.append(ParsedCard(CardKind.CLOZE, converted, "", cleaned[0][0] + 1, cloze_group=n))
