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
_PUNCTUATION = set("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")


def mask_inline(text: str) -> str:
    if not _SPECIAL.search(text):
        return text
    chars = list(text)
    pos = 0
    while True:
        found = _SPECIAL.search(text, pos)
        if found is None:
            break
        start = found.start()
        char = text[start]
        if char == "\\":
            pos = _mask_escape(text, chars, start)
        elif char == "`":
            pos = _mask_code_span(text, chars, start)
        else:
            pos = _mask_math(text, chars, start)
    return "".join(chars)


def _fill(chars: list[str], start: int, end: int) -> None:
    for index in range(start, end):
        if chars[index] != "\n":
            chars[index] = FILL


def _mask_escape(text: str, chars: list[str], start: int) -> int:
    if start + 1 < len(text) and text[start + 1] in _PUNCTUATION:
        _fill(chars, start, start + 2)
        return start + 2
    return start + 1


def _mask_code_span(text: str, chars: list[str], start: int) -> int:
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
        _fill(chars, start, close_end)
        return close_end


def _mask_math(text: str, chars: list[str], start: int) -> int:
    if text.startswith("$$", start):
        close = _find_unescaped(text, "$$", start + 2)
        if close == -1:
            return start + 2
        _fill(chars, start, close + 2)
        return close + 2
    opening_ok = start + 1 < len(text) and not text[start + 1].isspace()
    if not opening_ok:
        return start + 1
    search_from = start + 1
    while True:
        close = _find_unescaped(text, "$", search_from)
        if close == -1:
            return start + 1
        before_ok = not text[close - 1].isspace()
        after_ok = close + 1 >= len(text) or not text[close + 1].isdigit()
        if before_ok and after_ok and close > start + 1:
            _fill(chars, start, close + 1)
            return close + 1
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
