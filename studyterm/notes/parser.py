"""Concept note -> cards.

The block-level parse (fences, indented code, `$$` math, lists, tables, headings, HTML) comes
from `blocks.read_simple_blocks` or, for what it declines, markdown-it-py (`markdown_blocks`), so
card syntax is only looked for in paragraphs and list items; inside a
paragraph, code spans and `$...$` math are masked (see `mask`) before `Q:`, ` :: ` or cloze syntax
is searched. The note format is documented in docs/notes.md.
"""

from __future__ import annotations

import re

from studyterm.notes import cloze
from studyterm.notes.blocks import Block, read_simple_blocks
from studyterm.notes.frontmatter import LAB_LINK, FrontMatterError, read_front_matter
from studyterm.notes.identity import card_key, normalize
from studyterm.notes.markdown_blocks import read_markdown_blocks
from studyterm.notes.mask import first_special, mask_inline
from studyterm.notes.model import CardKind, ParsedCard, ParsedNote, Problem, Severity

_Q, _A, _LAB = r"\*\*Q:\*\*|Q:", r"\*\*A:\*\*|A:", "lab:"
"""What starts a card line, after any spaces or tabs."""
Q_LINE = re.compile(rf"[ \t]*(?:{_Q})[ \t]?")
A_LINE = re.compile(rf"[ \t]*(?:{_A})[ \t]?")
LAB_LINE = re.compile(rf"[ \t]*{_LAB}[ \t]*(.*?)[ \t]*$")
_CARD_LINE = re.compile(rf"[ \t]*(?:(?P<q>{_Q})[ \t]?|(?P<a>{_A})[ \t]?|{_LAB}[ \t]*(?P<lab>.*?)[ \t]*$)")
"""Q_LINE, A_LINE and LAB_LINE in one match, for the line-by-line scan."""
ONE_LINER_SEPARATOR = re.compile(r"(?<=\S)[ \t]+::[ \t]+(?=\S)")
def parse_note_bytes(data: bytes) -> ParsedNote:
    """Parse a note file's raw bytes, refusing binary, non-UTF-8 and empty files."""
    if b"\x00" in data[:8192]:
        return _unreadable(1, "binary file, not a Markdown note")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        return _unreadable(line, f"not valid UTF-8 (byte 0x{data[error.start]:02x}); save it as UTF-8")
    if not text.strip():  # a warning (vaults hold empty stubs); existing cards are kept
        return ParsedNote(problems=[Problem(1, "empty file", Severity.WARNING)], readable=False)
    return parse_note(text)


def _unreadable(line: int, message: str) -> ParsedNote:
    return ParsedNote(problems=[Problem(line, message)], readable=False)


def parse_note(text: str) -> ParsedNote:
    """Parse a note's text. Never raises: problems are reported with their line numbers."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    try:
        front_block = read_front_matter(lines)
    except FrontMatterError as error:
        return ParsedNote(problems=[error.problem], readable=False)
    body_lines = [""] * (front_block.end_line + 1) + lines[front_block.end_line + 1 :]
    body = "\n".join(body_lines)
    note = ParsedNote(front=front_block.front)
    blocks = read_simple_blocks(body_lines) if "\x00" not in body else None
    if blocks is None:
        blocks, stopped = read_markdown_blocks(body, body_lines, lines)
        note.problems += stopped
    scanner = _Scanner(lines, note)
    scanner.scan(blocks, indent=0)
    scanner.finish()
    note.cards, keys = _drop_duplicates(note.cards, note.problems)
    note.keyed = (tuple(note.cards), keys)
    note.problems.sort(key=lambda problem: problem.line)
    return note


IDLE, QUESTION, ANSWER = "idle", "question", "answer"
"""What the scanner is reading (plain strings: it checks on every line, and enum attribute
access is slow)."""


class _Scanner:
    """Walks blocks in reading order and turns card syntax into ParsedCards."""

    def __init__(self, source: list[str], note: ParsedNote) -> None:
        self.source = source
        self.note = note
        self.state = IDLE
        self.question_line = 0
        self.question: list[str] = []
        self.answer: list[str] = []
        self.lab: str | None = None
        self.last_emitted: list[int] = []

    # -- blocks ---------------------------------------------------------------------------

    def scan(self, blocks: list[Block], indent: int) -> None:
        for block in blocks:
            if block.kind == "heading":
                self.finish()
                self.last_emitted = []
            elif block.kind == "paragraph":
                self.paragraph(block)
            elif block.kind == "list":
                self.list(block, indent)
            elif self.state is not IDLE:
                self.append_source(block, indent)
            else:
                self.last_emitted = []

    def list(self, block: Block, indent: int) -> None:
        if self.state is not IDLE and not _list_has_cards(block):
            self.append_source(block, indent)
            return
        self.finish()
        for item in block.items:
            nested = _Scanner(self.source, self.note)
            nested.scan(item.blocks, indent + item.indent)
            nested.finish()
            self.last_emitted = nested.last_emitted

    def paragraph(self, block: Block) -> None:
        masked_text, masked = _masked(block.lines)
        first = _CARD_LINE.match(masked[0])
        if first is not None and first.lastgroup == "q" and self.whole_card(block, masked, masked_text, first):
            return
        question, answer = _question_or_answer(first)
        if self.state is not IDLE and not _starts_card(masked, masked_text, question, answer):
            self.lines(block, masked, first)
            return
        if question or answer:
            self.lines(block, masked, first)
            return
        self.finish()
        if "::" in masked_text and cloze.has_cloze(masked_text):
            self.cloze_unit(block, masked)
        else:
            self.lines(block, masked, first)

    def whole_card(self, block: Block, masked: list[str], masked_text: str, first: re.Match) -> bool:
        """A paragraph of one whole card, the shape recall points take: a `Q:` line (`first`),
        an `A:` line, then answer lines with no card syntax. Read at once, as `lines` would read
        it; False, having done nothing, for any other paragraph."""
        if len(masked) < 2 or not (second := _CARD_LINE.match(masked[1])) or second.lastgroup != "a":
            return False
        if len(masked) > 2 and _CARD_LINE_AFTER.search(masked_text, len(masked[0]) + 1 + len(masked[1])):
            return False
        lines = block.lines
        self.finish()
        self.state = ANSWER
        self.question_line = block.start + 1
        self.question = [lines[0][first.end() :]]
        self.answer = [lines[1][second.end() :], *[line.lstrip() for line in lines[2:]]]
        return True

    def append_source(self, block: Block, indent: int) -> None:
        target = self.question if self.state is QUESTION else self.answer
        lines = [_dedent(line, indent) for line in self.source[block.start : block.end]]
        while lines and not lines[-1].strip():
            lines.pop()
        target.append("")
        target.extend(lines)

    # -- lines inside a paragraph ---------------------------------------------------------

    def lines(self, block: Block, masked: list[str], first: re.Match | None) -> None:
        """The paragraph's lines in turn; `first` is _CARD_LINE's match of its first (masked) line."""
        if self.state is QUESTION:
            self.question.append("")
        elif self.state is ANSWER:
            self.answer.append("")
        number = block.start
        card_line, one_liner = _CARD_LINE.match, ONE_LINER_SEPARATOR.search
        for line, hidden in zip(block.lines, masked, strict=True):
            number += 1
            if match := (first if number == block.start + 1 else card_line(hidden)):
                self.card_line(match, line, number)
            elif self.state is QUESTION:
                self.question.append(line.lstrip())
            elif self.state is ANSWER:
                self.answer.append(line.lstrip())
            elif separator := one_liner(hidden):
                question, answer = line[: separator.start()].strip(), line[separator.end() :].strip()
                self.last_emitted = [self.emit(ParsedCard(CardKind.BASIC, question, answer, number))]
            else:
                self.last_emitted = []

    def card_line(self, match: re.Match, line: str, number: int) -> None:
        """A line that starts with `Q:`, `A:` or `lab:` (`match` is _CARD_LINE's)."""
        kind = match.lastgroup
        if kind == "q":
            self.finish()
            self.state = QUESTION
            self.question_line = number
            self.question = [line[match.end() :]]
        elif kind == "a":
            self.answer_line(line, match.end(), number)
        else:
            self.link_lab(_lab_value(line, match, "lab"), number)

    def answer_line(self, line: str, prefix_end: int, number: int) -> None:
        if self.state is QUESTION:
            self.state = ANSWER
            self.answer = [line[prefix_end:]]
        elif self.state is ANSWER:
            self.warn(number, "a second 'A:' for the same question is kept as part of the answer")
            self.answer.append(line)
        else:
            self.warn(number, "'A:' without a 'Q:' before it is ignored")

    def link_lab(self, value: str, number: int) -> None:
        if not LAB_LINK.fullmatch(value):
            self.warn(number, f"'lab:' expects one lab id (or LAB#HOLE), got {value!r}")
        elif self.state is not IDLE:
            if self.lab is not None:
                self.warn(number, f"this card already links lab {self.lab!r}; {value!r} replaces it")
            self.lab = value
        elif self.last_emitted:
            for index in self.last_emitted:
                self.note.cards[index] = self.note.cards[index]._replace(lab=value)
        else:
            self.warn(
                number,
                "'lab:' is not under a card; to link every card of the note, put lab: in the front matter",
            )

    # -- cards ----------------------------------------------------------------------------

    def cloze_unit(self, block: Block, masked: list[str]) -> None:
        lines, hidden = list(block.lines), list(masked)
        lab = None
        if len(lines) > 1 and (match := LAB_LINE.match(hidden[-1])):
            lab = _lab_value(lines[-1], match, 1)
            if not LAB_LINK.fullmatch(lab):
                self.warn(block.start + len(lines), f"'lab:' expects one lab id (or LAB#HOLE), got {lab!r}")
                lab = None
            lines.pop()
            hidden.pop()
        text, masked_text = "\n".join(lines), "\n".join(hidden)
        deletions, errors = cloze.find_deletions(text, masked_text)
        for error in errors:
            self.error(block.start + 1 + text.count("\n", 0, error.offset), error.message)
        if errors:
            self.last_emitted = []
            return
        first_offset: dict[int, int] = {}
        for deletion in deletions:
            first_offset.setdefault(deletion.group, deletion.start)
        self.last_emitted = [
            self.emit(
                ParsedCard(
                    CardKind.CLOZE,
                    text,
                    "",
                    block.start + 1 + text.count("\n", 0, first_offset[group]),
                    lab=lab,
                    cloze_group=group,
                )
            )
            for group in sorted(first_offset)
        ]

    def finish(self) -> None:
        """Close the question/answer being read, emitting its card or reporting why not."""
        if self.state is IDLE:  # nothing is being read: question, answer and lab are empty
            return
        if self.state is QUESTION:
            self.error(self.question_line, "'Q:' without 'A:' (no answer before the next card, heading or end)")
            self.last_emitted = []
        elif self.state is ANSWER:
            question, answer = _join(self.question), _join(self.answer)
            if not question:
                self.error(self.question_line, "'Q:' has no question text")
                self.last_emitted = []
            elif not answer:
                self.error(self.question_line, "'A:' is empty")
                self.last_emitted = []
            else:
                card = ParsedCard(CardKind.BASIC, question, answer, self.question_line, lab=self.lab)
                self.last_emitted = [self.emit(card)]
        self.state = IDLE
        self.question, self.answer, self.lab = [], [], None

    def emit(self, card: ParsedCard) -> int:
        self.note.cards.append(card)
        return len(self.note.cards) - 1

    def error(self, line: int, message: str) -> None:
        self.note.problems.append(Problem(line, message, Severity.ERROR))

    def warn(self, line: int, message: str) -> None:
        self.note.problems.append(Problem(line, message, Severity.WARNING))


def _masked(lines: list[str]) -> tuple[str, list[str]]:
    """A paragraph's text and lines with code, math and escapes hidden (mask_inline), or as
    they are where hiding cannot change what the scan finds: no `::` (one-liners and clozes)
    and no card line whose start a span opened on an earlier line could cover (a span starts
    at a special character and no card line prefix holds one)."""
    text = "\n".join(lines)
    first = first_special(text)
    if first == -1 or ("::" not in text and not _CARD_LINE_AFTER.search(text, first)):
        return text, lines
    masked = mask_inline(text)
    return masked, masked.split("\n")


_CARD_LINE_AFTER = re.compile(rf"\n[ \t]*(?:{_Q}|{_A}|{_LAB})")
"""A line that _CARD_LINE matches, found from an offset on: a line starting after the offset
follows a newline at or after it."""


def _question_or_answer(found: re.Match | None) -> tuple[bool, bool]:
    """Whether a line starts with Q:, and whether it starts with A:, from its _CARD_LINE match."""
    if found is None:
        return False, False
    return found.lastgroup == "q", found.lastgroup == "a"


def _starts_card(masked: list[str], masked_text: str, question: bool, answer: bool) -> bool:
    """Whether a paragraph starts a card of its own; `question`/`answer`: whether its first
    line starts with Q: / A:."""
    if answer:
        return False
    if question:
        return True
    return "::" in masked_text and bool(
        ONE_LINER_SEPARATOR.search(masked[0]) or cloze.has_cloze(masked_text)
    )


def _list_has_cards(block: Block) -> bool:
    for item in block.items:
        for inner in item.blocks:
            if inner.kind == "paragraph":
                masked_text, masked = _masked(inner.lines)
                if _starts_card(masked, masked_text, *_question_or_answer(_CARD_LINE.match(masked[0]))):
                    return True
            elif inner.kind == "list" and _list_has_cards(inner):
                return True
    return False


def _lab_value(line: str, match: re.Match, group: int | str) -> str:
    """What follows `lab:` on `line`, where `match` is the pattern's match on the masked line:
    without the spaces after it, even where a span hid them from the pattern."""
    return line[match.start(group) : match.end(group)].rstrip(" \t")


def _dedent(line: str, indent: int) -> str:
    stripped = 0
    while stripped < indent and stripped < len(line) and line[stripped] == " ":
        stripped += 1
    return line[stripped:]


def _join(parts: list[str]) -> str:
    return "\n".join(parts).strip()


def _drop_duplicates(cards: list[ParsedCard], problems: list[Problem]) -> tuple[list[ParsedCard], tuple[str, ...]]:
    """A note may not hold the same card twice (same question and answer): later copies are
    reported and skipped. A question asked again with another answer is another card. Returns
    the cards kept and their content keys: cards whose keys all differ hold no duplicate."""
    keys = tuple(card_key(card) for card in cards)
    if len(set(keys)) == len(keys):
        return cards, keys
    first_line: dict[tuple, int] = {}
    kept, kept_keys = [], []
    for card, content_key in zip(cards, keys, strict=True):
        key = (card.kind, normalize(card.question), normalize(card.answer), card.cloze_group)
        if key in first_line:
            what = "cloze" if card.kind == CardKind.CLOZE else "card"
            problems.append(
                Problem(card.line, f"duplicate {what} (first on line {first_line[key]}); skipped")
            )
            continue
        first_line[key] = card.line
        kept.append(card)
        kept_keys.append(content_key)
    return kept, tuple(kept_keys)
