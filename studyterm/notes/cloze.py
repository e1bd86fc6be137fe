"""Anki-compatible cloze deletions: `{{c1::text}}` and `{{c1::text::hint}}`.

Deletions are found in masked text (see `mask`), so `}}` inside `$...$` math or a code span never
closes a deletion, while the deletion's own text may hold math and code.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from studyterm.notes.mask import mask_inline

_OPEN = re.compile(r"\{\{c(\d+)::")
_CLOSE = "}}"
HOLE = "[...]"


@dataclass(frozen=True)
class Deletion:
    group: int
    start: int  # offset of "{{"
    end: int  # offset just past "}}"
    text: str
    hint: str | None


@dataclass(frozen=True)
class ClozeError:
    offset: int
    message: str


def has_cloze(masked: str) -> bool:
    return _OPEN.search(masked) is not None


def find_deletions(text: str, masked: str | None = None) -> tuple[list[Deletion], list[ClozeError]]:
    """Every deletion in `text`, plus errors for unclosed, nested, empty or c0 deletions."""
    masked = mask_inline(text) if masked is None else masked
    deletions: list[Deletion] = []
    errors: list[ClozeError] = []
    pos = 0
    while (opening := _OPEN.search(masked, pos)) is not None:
        body_start = opening.end()
        close = masked.find(_CLOSE, body_start)
        nested = _OPEN.search(masked, body_start)
        if close == -1:
            errors.append(ClozeError(opening.start(), f"unclosed cloze: '{{{{c{opening.group(1)}::' has no '}}}}'"))
            break
        if nested is not None and nested.start() < close:
            errors.append(ClozeError(nested.start(), "nested cloze deletions are not supported"))
            pos = close + len(_CLOSE)
            continue
        group = int(opening.group(1))
        body, hint = _split_hint(text, masked, body_start, close)
        if group == 0:
            errors.append(ClozeError(opening.start(), "cloze numbers start at c1, not c0"))
        elif not body.strip():
            errors.append(ClozeError(opening.start(), f"cloze c{group} is empty"))
        else:
            deletions.append(Deletion(group, opening.start(), close + len(_CLOSE), body, hint))
        pos = close + len(_CLOSE)
    return deletions, errors


def _split_hint(text: str, masked: str, start: int, end: int) -> tuple[str, str | None]:
    separator = masked.rfind("::", start, end)
    if separator == -1:
        return text[start:end], None
    return text[start:separator], text[separator + 2 : end].strip() or None


@lru_cache(maxsize=32)
def _deletions_of(text: str) -> tuple[Deletion, ...]:
    """Cached: every card of a cloze paragraph renders the same text, and finding its
    deletions once per card made exporting a 2,000-group paragraph quadratic."""
    return tuple(find_deletions(text)[0])


def groups(text: str) -> list[int]:
    return sorted({d.group for d in _deletions_of(text)})


def render(
    text: str,
    group: int,
    *,
    reveal: bool,
    hole: Callable[[Deletion], str] | None = None,
    filled: Callable[[str], str] | None = None,
) -> str:
    """The text with group `group` hidden (reveal=False) or filled in (reveal=True); every
    other group is shown as plain text, as Anki does."""
    deletions = _deletions_of(text)
    show_hole = hole or (lambda d: f"[{d.hint}]" if d.hint else HOLE)
    show_filled = filled or (lambda body: body)
    pieces: list[str] = []
    pos = 0
    for deletion in deletions:
        pieces.append(text[pos : deletion.start])
        if deletion.group != group:
            pieces.append(deletion.text)
        elif reveal:
            pieces.append(show_filled(deletion.text))
        else:
            pieces.append(show_hole(deletion))
        pos = deletion.end
    pieces.append(text[pos:])
    return "".join(pieces)
