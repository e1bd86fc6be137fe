"""A note's block structure: paragraphs, headings, lists and the blocks card syntax skips.

Two readers give the same blocks. `group_blocks` turns markdown-it's block tokens into them and
handles all of CommonMark. `read_simple_blocks` reads them straight from the lines for the
shapes most notes are made of (paragraphs, ATX headings, closed code fences, one-line bullet
items) and declines (returns None) at the first line that could mean anything else, so the
caller falls back to markdown-it. It is ~20x cheaper, which is most of a cold sync's parse;
tests/notes/test_blocks.py proves both readers agree on the corpus and on random block soups.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

LIST_MARKER = re.compile(r"[ \t]*(?:[-+*]|\d{1,9}[.)])([ \t]+|$)")
_SELF_CONTAINED = {"fence", "code_block", "math_block", "math_block_label", "html_block", "hr"}


@dataclass(slots=True)
class Block:
    kind: str  # paragraph, heading, list or other
    start: int  # 0-based first line
    end: int  # 0-based line after the block
    lines: list[str] = field(default_factory=list)  # paragraph text, indentation removed
    items: list[Item] = field(default_factory=list)


@dataclass(slots=True)
class Item:
    blocks: list[Block]
    indent: int


# -- from markdown-it's tokens -------------------------------------------------------------


def group_blocks(tokens: list, begin: int, end: int, source: list[str]) -> list[Block]:
    """Turn a flat token range into the blocks at its top level."""
    blocks: list[Block] = []
    index = begin
    while index < end:
        token = tokens[index]
        if token.nesting == 1:
            close = _matching_close(tokens, index)
            blocks.append(_make_block(tokens, index, close, source))
            index = close + 1
        else:
            if token.map and token.type in _SELF_CONTAINED:
                kind = "heading" if token.type == "hr" else "other"
                blocks.append(Block(kind, token.map[0], token.map[1]))
            index += 1
    return blocks


def _matching_close(tokens: list, open_index: int) -> int:
    depth = 0
    for index in range(open_index, len(tokens)):
        depth += tokens[index].nesting
        if depth == 0:
            return index
    return len(tokens) - 1


def _make_block(tokens: list, open_index: int, close: int, source: list[str]) -> Block:
    token = tokens[open_index]
    start, end = token.map or (0, 0)
    if token.type == "paragraph_open":
        return Block("paragraph", start, end, lines=tokens[open_index + 1].content.split("\n"))
    if token.type == "heading_open":
        return Block("heading", start, end)
    if token.type in ("bullet_list_open", "ordered_list_open"):
        return Block("list", start, end, items=_list_items(tokens, open_index + 1, close, source))
    return Block("other", start, end)


def _list_items(tokens: list, begin: int, end: int, source: list[str]) -> list[Item]:
    items = []
    index = begin
    while index < end:
        if tokens[index].type == "list_item_open":
            close = _matching_close(tokens, index)
            first_line = source[tokens[index].map[0]] if tokens[index].map else ""
            marker = LIST_MARKER.match(first_line)
            indent = marker.end() if marker else 0
            items.append(Item(group_blocks(tokens, index + 1, close, source), indent))
            index = close + 1
        else:
            index += 1
    return items


# -- straight from the lines, for simple notes ---------------------------------------------

_BLANK, _TEXT, _HEADING, _FENCE, _MATH, _ITEM, _DECLINE = range(7)

_HEADING_LINE = re.compile(r"#{1,6}(?:[ \t]|$)")
_ITEM_LINE = re.compile(r"[-*+] [^ \t]")
_FENCE_OPEN = re.compile(r"(`{3,}|~{3,})(.*)")
_RULE_LINE = re.compile(r"[-=_*|:\s]*")
"""Lines made only of these characters may be a thematic break, a setext underline or a table's
delimiter row: a simple note has none."""
_NEEDS_FULL_PARSER = (" ", "\t", ">", "<", "|", "[")
_ORDERED_MARKER = re.compile(r"\d{1,9}[.)](?:[ \t]|$)")
TRIM = "\t\n\x0b\x0c\r \xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
"""markdown-it's MD_TRIM_CHARS, what it strips from the ends of a paragraph (a test checks they
are the same)."""


_MARKS = frozenset("#-*+`~$ \t><|[=_:0123456789")
"""The first characters of lines that may start or end a block: any other line is text."""


def _classify(line: str) -> int:
    if not line:
        return _BLANK
    if line[0] not in _MARKS:
        return _TEXT
    if not line.strip(" \t"):
        return _BLANK
    first = line[0]
    if first == "#":
        return _HEADING if _HEADING_LINE.match(line) else _TEXT
    if first in "-*+":
        if _ITEM_LINE.match(line):
            content = line[2:]
            return _ITEM if _classify(content) == _TEXT and not _RULE_LINE.fullmatch(line) else _DECLINE
        if len(line) == 1 or line[1] in " \t" or _RULE_LINE.fullmatch(line):
            return _DECLINE
        return _TEXT
    if first in "`~" and line.startswith(("```", "~~~")):
        return _FENCE
    if line.startswith("$$"):
        return _MATH
    if line.startswith(_NEEDS_FULL_PARSER) or _RULE_LINE.fullmatch(line):
        return _DECLINE
    if first.isdigit() and _ORDERED_MARKER.match(line):
        return _DECLINE
    return _TEXT


@cache
def _closing_fence(mark: str, length: int) -> re.Pattern:
    return re.compile(rf" {{0,3}}{re.escape(mark)}{{{length},}}[ \t]*")


def read_simple_blocks(lines: list[str]) -> list[Block] | None:
    """The blocks of `lines`, or None where a line may need the full parser."""
    try:
        return _SimpleReader(lines).read()
    except _Declined:
        return None


class _Declined(Exception):
    pass


_ITEM_INDENT = 2
"""Where a bullet item's text starts (`- `, `* ` or `+ ` and one space)."""


class _SimpleReader:
    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        self.kinds = [
            (_TEXT if line[0] not in _MARKS else _classify(line)) if line else _BLANK for line in lines
        ]
        self.count = len(lines) - 1 if lines and not lines[-1].strip(" \t") else len(lines)
        """markdown-it's line count: it leaves out a last line of nothing but spaces or tabs."""

    def kind(self, index: int) -> int:
        kind = self.kinds[index]
        if kind == _DECLINE:
            raise _Declined
        return kind

    def read(self) -> list[Block]:
        blocks = []
        index = 0
        kinds = self.kinds
        while index < self.count:
            kind = kinds[index]
            if kind == _BLANK:
                index += 1
                continue
            if kind == _DECLINE:
                raise _Declined
            if kind == _HEADING:
                block = Block("heading", index, index + 1)
            elif kind == _FENCE:
                block = Block("other", index, self.fence_end(index))
            elif kind == _MATH:
                block = Block("other", index, self.math_end(index))
            elif kind == _ITEM:
                block = self.bullet_list(index)
            else:
                block = self.paragraph(index, self.lines[index])
            blocks.append(block)
            index = block.end
        return blocks

    def fence_end(self, start: int) -> int:
        """The line after a fence's closing line; a fence left open needs the full parser."""
        marks, info = _FENCE_OPEN.match(self.lines[start]).groups()
        if marks[0] == "`" and "`" in info:
            raise _Declined
        closing = _closing_fence(marks[0], len(marks))
        for index in range(start + 1, self.count):
            if closing.fullmatch(self.lines[index]):
                return index + 1
        raise _Declined

    def math_end(self, start: int) -> int:
        """The line after a `$$` block (dollarmath's rule without its labels or blank lines)."""
        opening = self.lines[start].strip()
        if len(opening) > 3 and opening.endswith("$$"):
            return start + 1
        if "$$" in self.lines[start][2:] or opening.endswith(")"):
            raise _Declined  # a closing `$$` or a `(label)` on the opening line
        for index in range(start + 1, self.count):
            text = self.lines[index].strip()
            if text.endswith("$$"):
                return index + 1
            if not text or "$$" in text:
                raise _Declined
        raise _Declined

    def paragraph(self, start: int, first_text: str) -> Block:
        """A top-level paragraph: it runs until a blank line or a line that starts a block."""
        end = start + 1
        kinds = self.kinds
        while end < self.count and kinds[end] in (_TEXT, _MATH):
            end += 1
        if end < self.count and kinds[end] == _DECLINE:
            raise _Declined
        content = "\n".join([first_text, *self.lines[start + 1 : end]]).strip(TRIM)
        return Block("paragraph", start, end, lines=content.split("\n"))

    def bullet_list(self, start: int) -> Block:
        """Bullet items whose paragraphs are indented by the item's two columns (or lazy);
        another marker, a nested block or any other indentation needs the full parser."""
        marker = self.lines[start][0]
        items = []
        index = start
        while True:
            blocks = [self.item_paragraph(index, self.lines[index][_ITEM_INDENT:])]
            after = self.skip_blank(blocks[-1].end)
            while after < self.count and self.item_text(after) is not None:
                blocks.append(self.item_paragraph(after, self.lines[after][_ITEM_INDENT:]))
                after = self.skip_blank(blocks[-1].end)
            items.append(Item(blocks, _ITEM_INDENT))
            if after < self.count and self.kind(after) == _ITEM:
                if self.lines[after][0] != marker:
                    raise _Declined
                index = after
                continue
            return Block("list", start, after, items=items)

    def item_paragraph(self, start: int, first_text: str) -> Block:
        if _classify(first_text) != _TEXT:
            raise _Declined
        texts = [first_text]
        end = start + 1
        while end < self.count:
            inside = self.item_text(end)
            if inside is not None:
                if _classify(inside) not in (_TEXT, _MATH):
                    raise _Declined
                texts.append(inside)
            elif self.kind(end) in (_TEXT, _MATH):
                texts.append(self.lines[end])  # a lazy continuation line
            else:
                break
            end += 1
        content = "\n".join(texts).strip(TRIM)
        return Block("paragraph", start, end, lines=content.split("\n"))

    def item_text(self, index: int) -> str | None:
        """A line indented by exactly the item's two columns, without them; None for a line
        that is not indented (any other indentation needs the full parser)."""
        line = self.lines[index]
        if not line.startswith(" "):
            return None
        if line[:_ITEM_INDENT] != "  " or line[_ITEM_INDENT : _ITEM_INDENT + 1] in (" ", "\t", ""):
            if not line.strip(" \t"):
                return None
            raise _Declined
        return line[_ITEM_INDENT:]

    def skip_blank(self, index: int) -> int:
        while index < self.count and self.kinds[index] == _BLANK:
            index += 1
        return index
