"""The few inline HTML forms a card may hold, made readable where HTML is not rendered.

Imported decks keep Japanese ruby as `<ruby>将<rt>しょう</rt></ruby>` (so it goes back to Anki
as ruby) and notes may hold `<!-- comments -->`; a terminal shows `将(しょう)` and nothing.
"""

from __future__ import annotations

import re

_COMMENT = re.compile(r"<!--.*?(?:-->|\Z)", re.DOTALL)
_RUBY = re.compile(r"<ruby>(.*?)</ruby>", re.DOTALL | re.IGNORECASE)
_PAIR = re.compile(r"(.*?)<rt>(.*?)(?:</rt>|(?=<rt>)|\Z)", re.DOTALL | re.IGNORECASE)
_RP = re.compile(r"<rp>.*?</rp>", re.DOTALL | re.IGNORECASE)


def ruby_text(inner: str) -> str:
    """`将<rt>しょう</rt>棋<rt>ぎ</rt>` -> `将(しょう)棋(ぎ)`."""
    inner = _RP.sub("", inner)
    out, position = [], 0
    for match in _PAIR.finditer(inner):
        if not match.group(0):
            break
        base, reading = match.group(1).strip(), match.group(2).strip()
        out.append(f"{base}({reading})" if reading else base)
        position = match.end()
    out.append(inner[position:])
    return "".join(out)


def readable(markdown: str) -> str:
    """Comments removed and ruby written as base(reading)."""
    if "<" not in markdown:
        return markdown
    text = _COMMENT.sub("", markdown)
    return _RUBY.sub(lambda m: ruby_text(m.group(1)), text)
