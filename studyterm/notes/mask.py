"""Hide code spans, math and escaped characters so card syntax is only found in plain text.

`mask_inline` returns a string of the same length in which every character inside a code span,
inside `$...$` / `$$...$$` math, or escaped with a backslash is replaced by FILL (newlines are
kept so lines still line up). Searching the masked text for `Q:`, ` :: `, `{{c1::` or `}}` and
slicing the original at the same offsets gives card syntax that ignores `}}` in math and `::` in
code. The rules follow CommonMark code spans and markdown-it's dollarmath plugin.
"""

from __future__ import annotations

import re

FILL = "\x00"
_SPECIAL = re.compile(r"[`$\\]")
_NOT_NEWLINE = re.compile(r"[^\n]")
_PUNCTUATION = set("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")


def first_special(text: str) -> int:
    """Where the first character that may open a span (`, $ or \\) is, or -1: no span starts
    before it."""
    found = _SPECIAL.search(text)
    return -1 if found is None else found.start()


def mask_inline(text: str) -> str:
    if not _SPECIAL.search(text):
        return text
    pieces = []
    position = 0
    for start, end, _kind in inline_spans(text):
        pieces.append(text[position:start])
        span = text[start:end]
        pieces.append(_NOT_NEWLINE.sub(FILL, span) if "\n" in span else FILL * len(span))
        position = end
    pieces.append(text[position:])
    return "".join(pieces)


def inline_spans(text: str) -> list[tuple[int, int, str]]:
    """(start, end, kind) of every code span ("code"), math span ("inline" or "display") and
    backslash escape ("escape") in `text`, left to right."""
    spans: list[tuple[int, int, str]] = []
    position = 0
    while (found := _SPECIAL.search(text, position)) is not None:
        start = found.start()
        char = text[start]
        if char == "\\":
            span = _escape(text, start)
        elif char == "`":
            span = _code_span(text, start)
        else:
            span = _math(text, start)
        if isinstance(span, tuple):
            spans.append(span)
            position = span[1]
        else:
            position = span
    return spans


def _escape(text: str, start: int) -> tuple[int, int, str] | int:
    if start + 1 < len(text) and text[start + 1] in _PUNCTUATION:
        return (start, start + 2, "escape")
    return start + 1


def _code_span(text: str, start: int) -> tuple[int, int, str] | int:
    run_end = start
    while run_end < len(text) and text[run_end] == "`":
        run_end += 1
    fence = text[start:run_end]
    search_from = run_end
    while True:
        close = text.find(fence, search_from)
        if close == -1:
            return run_end  # an unmatched backtick run is literal text
        close_end = close + len(fence)
        if close_end < len(text) and text[close_end] == "`":
            search_from = close_end
            while search_from < len(text) and text[search_from] == "`":
                search_from += 1
            continue
        return (start, close_end, "code")


def _math(text: str, start: int) -> tuple[int, int, str] | int:
    if text.startswith("$$", start):
        close = _find_unescaped(text, "$$", start + 2)
        return start + 2 if close == -1 else (start, close + 2, "display")
    if start + 1 >= len(text) or text[start + 1].isspace():
        return start + 1
    search_from = start + 1
    while True:
        close = _find_unescaped(text, "$", search_from)
        if close == -1:
            return start + 1
        before_ok = not text[close - 1].isspace()
        after_ok = close + 1 >= len(text) or not text[close + 1].isdigit()
        if before_ok and after_ok and close > start + 1:
            return (start, close + 1, "inline")
        search_from = close + 1


def _find_unescaped(text: str, needle: str, start: int) -> int:
    position = text.find(needle, start)
    while position != -1:
        backslashes = 0
        index = position - 1
        while index >= start and text[index] == "\\":
            backslashes += 1
            index -= 1
        if backslashes % 2 == 0:
            return position
        position = text.find(needle, position + 1)
    return -1
