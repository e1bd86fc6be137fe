"""Obsidian notes written for the spaced-repetition plugin (st3v3nmw/obsidian-spaced-repetition),
with the plugin's default settings.

Only a note tagged `#flashcards` (in its text or its front matter `tags`) holds cards;
`#flashcards/lang/verbs` puts them in deck `lang/verbs`. In such a note:

* `question::answer` on one line is a card; `question:::answer` gives two (and the reverse);
* a block of lines (up to a blank line) with a line `?` between question and answer is a
  multi-line card; `??` makes it two;
* a paragraph with `==highlights==` or `**bold**` is a cloze: each deletion is its own card;
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
_CLOZE = re.compile(r"==(?=\S)(.+?)(?<=\S)==|\*\*(?=\S)(.+?)(?<=\S)\*\*")


def parse_obsidian(text: str) -> ParsedNote:
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    try:
        front_block = read_front_matter(lines)
    except FrontMatterError as error:
        return ParsedNote(problems=[error.problem], readable=False)
    start = front_block.end_line + 1
    deck = _deck(lines[start:], front_block.front.tags)
    if deck is None:
        return ParsedNote(front=front_block.front)  # not a flashcards note: no cards, no problem
    front = FrontMatter(front_block.front.title, front_block.front.deck or deck or None, front_block.front.tags)
    note = ParsedNote(front=front)
    code = code_lines(lines)
    block: list[tuple[int, str]] = []
    for index in range(start, len(lines)):
        if index in code or not lines[index].strip():
            _block(block, note)
            block = []
        else:
            block.append((index, lines[index]))
    _block(block, note)
    return note


def _deck(body: list[str], front_tags: tuple[str, ...]) -> str | None:
    """'' for a plain #flashcards tag, the sub-deck of #flashcards/a/b, None when untagged."""
    found = [m.group(1) or "" for line in body for m in _TAG.finditer(mask_inline(line))]
    found += [t[len("flashcards/"):] if "/" in t else "" for t in front_tags
              if t == "flashcards" or t.startswith("flashcards/")]
    if not found:
        return None
    sub = next((f for f in found if f), "")
    return normalize_deck(sub) if sub else ""


def _clean(line: str) -> str:
    return _TAG.sub("", _SCHEDULE.sub("", line)).rstrip()


def _block(block: list[tuple[int, str]], note: ParsedNote) -> None:
    if not block:
        return
    cleaned = [(i, _clean(line)) for i, line in block]
    split = next((k for k, (_, line) in enumerate(cleaned) if line.strip() in ("?", "??")), None)
    if split is not None:
        question = join([line for _, line in cleaned[:split]])
        answer = join([line for _, line in cleaned[split + 1:]])
        number = block[0][0] + 1
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
        _cloze(cleaned, note)


def _cloze(cleaned: list[tuple[int, str]], note: ParsedNote) -> None:
    text = join([line for _, line in cleaned])
    masked = mask_inline(text)
    pieces, position, group = [], 0, 0
    for match in _CLOZE.finditer(masked):
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
