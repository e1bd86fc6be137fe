"""hashcards decks (github.com/eudoxia0/hashcards): `Q:`/`A:` cards and `C:` clozes in `[...]`.

A card starts at a line beginning `Q:` or `C:` and runs to the next such line, a `---` line or
the end of the file; `A:` splits a Q card into question and answer (each may span lines, lists
and code). In a `C:` card every `[...]` is a deletion and its own card, except Markdown links
and images (`[text](url)`, `![alt](src)`) and brackets in code or math. Optional TOML front
matter between `---` lines may set the deck: `name = "Medicine"`. A cloze becomes studyterm's
`{{cN::...}}` in the stored card (N counts the deletions), so review, quiz and export treat it
as any cloze; the file itself is never changed.
"""

from __future__ import annotations

import re
import tomllib

from studyterm.notes.formats.common import code_lines, join
from studyterm.notes.mask import mask_inline
from studyterm.notes.model import CardKind, FrontMatter, ParsedCard, ParsedNote, Problem, Severity

_START = re.compile(r"^(Q|C):[ \t]?")
_ANSWER = re.compile(r"^A:[ \t]?")
_RULE = re.compile(r"^---[ \t]*$")
_DELETION = re.compile(r"(?<![!\\])\[([^\[\]]+)\](?!\(|\[)")
_DEFINITION = re.compile(r"^[ \t]{0,3}\[[^\[\]]+\]:[ \t]", re.MULTILINE)
"""A link reference definition (`[1]: https://...`) is not a deletion."""


def parse_hashcards(text: str) -> ParsedNote:
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    note = ParsedNote()
    start = _front_matter(lines, note)
    if not note.readable:
        return note
    code = code_lines(lines)
    card: list[tuple[int, str]] = []
    for index in range(start, len(lines)):
        line = lines[index]
        if index not in code and (_START.match(line) or _RULE.match(line)):
            _emit(card, code, note)
            card = [] if _RULE.match(line) else [(index, line)]
        elif card:
            card.append((index, line))
    _emit(card, code, note)
    return note


def _front_matter(lines: list[str], note: ParsedNote) -> int:
    """The first body line; sets the deck from `name`. Broken TOML makes the note unreadable."""
    if not lines or lines[0].rstrip() != "---":
        return 0
    end = next((i for i in range(1, len(lines)) if lines[i].rstrip() == "---"), None)
    if end is None:
        note.problems.append(Problem(1, "front matter opened with '---' is never closed"))
        note.readable = False
        return len(lines)
    try:
        data = tomllib.loads("\n".join(lines[1:end]))
    except tomllib.TOMLDecodeError as error:
        note.problems.append(Problem(1, f"front matter is not valid TOML: {error}"))
        note.readable = False
        return len(lines)
    name = data.get("name")
    if isinstance(name, str) and name.strip():
        from studyterm.notes.frontmatter import deck_problem, normalize_deck

        deck = normalize_deck(name)
        if deck_problem(deck) is None:
            note.front = FrontMatter(title=name.strip(), deck=deck)
    return end + 1


def _emit(card: list[tuple[int, str]], code: set[int], note: ParsedNote) -> None:
    if not card:
        return
    first_index, first = card[0]
    kind = _START.match(first)
    body = [(first_index, first[kind.end():]), *card[1:]]
    number = first_index + 1
    if kind.group(1) == "C":
        _cloze(join([text for _, text in body]), number, note)
        return
    split = next((k for k, (i, text) in enumerate(body) if i not in code and _ANSWER.match(text)), None)
    if split is None:
        note.problems.append(Problem(number, "'Q:' without 'A:' (no answer before the next card)"))
        return
    question = join([text for _, text in body[:split]])
    answer_line = body[split][1]
    answer = join([answer_line[_ANSWER.match(answer_line).end():]] + [text for _, text in body[split + 1:]])
    if not question or not answer:
        note.problems.append(Problem(number, "'Q:' has no question text" if not question else "'A:' is empty"))
        return
    note.cards.append(ParsedCard(CardKind.BASIC, question, answer, number))


def _cloze(text: str, number: int, note: ParsedNote) -> None:
    masked = _DEFINITION.sub(lambda m: "\x00" * len(m.group(0)), mask_inline(text))
    pieces, position, group = [], 0, 0
    for match in _DELETION.finditer(masked):
        group += 1
        pieces.append(text[position : match.start()])
        pieces.append(f"{{{{c{group}::{text[match.start(1) : match.end(1)]}}}}}")
        position = match.end()
    pieces.append(text[position:])
    if not group:
        note.problems.append(Problem(number, "'C:' card without a [deletion]", Severity.ERROR))
        return
    converted = "".join(pieces)
    for n in range(1, group + 1):
        note.cards.append(ParsedCard(CardKind.CLOZE, converted, "", number, cloze_group=n))
