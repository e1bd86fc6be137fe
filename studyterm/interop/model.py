"""Records shared by the exporters and importers."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import NamedTuple

EXPORT_FORMATS = ("apkg", "csv", "tsv", "md", "json")
MAX_PACKAGE_BYTES = 100_000_000
"""Files larger than this (100 MB) are refused unless the caller raises the limit (--max-size)."""

Progress = Callable[[int, int], None]
"""`progress(done, total)`; raising from it cancels an export before anything is written."""


class InteropError(Exception):
    """A file that cannot be exported or imported, with a message that says what and where."""


def too_big(path: object, size: int, max_bytes: int) -> InteropError:
    return InteropError(
        f"{path} is {size / 1e6:.1f} MB, over the {max_bytes / 1e6:g} MB import limit; "
        f"pass --max-size {math.ceil(size / 1e6)} to import it anyway"
    )


class Skip(NamedTuple):
    """Something an import left out, and why."""

    what: str
    reason: str
    cards: int = 0
    """How many of the source's cards this leaves out (0: a note about progress or media)."""


@dataclass(frozen=True)
class ExportResult:
    format: str
    path: str
    deck: str | None
    notes: int
    cards: int
    reviews: int = 0
    media: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()


@dataclass
class ImportResult:
    path: str
    format: str
    created: list[str] = field(default_factory=list)
    """Note files written (relative to the collection root)."""
    updated: list[str] = field(default_factory=list)
    """Note files an earlier import wrote, changed by this one (reimport.py)."""
    added_notes: int = 0
    """Notes added to those files."""
    updated_notes: int = 0
    """Notes in those files rewritten because the package changed them."""
    skipped: list[Skip] = field(default_factory=list)
    found: int = 0
    """Cards in the file; `cards` plus the cards of every skip add up to it."""
    cards: int = 0
    with_progress: int = 0
    """Cards that received the package's schedule and review log."""
    reviews: int = 0
    media: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    """Values the package held that no schedule can take, and what was done instead."""

    @property
    def skipped_cards(self) -> int:
        return sum(skip.cards for skip in self.skipped)


class Face(NamedTuple):
    """One question/answer card of a standard (non-cloze) Anki note, as HTML."""

    ord: int
    question: str
    answer: str


class AnkiCard(NamedTuple):
    """An Anki card's scheduling columns (see docs/export.md for what each means)."""

    id: int
    ord: int
    deck: str
    type: int
    queue: int
    due: int
    ivl: int
    factor: int
    reps: int
    lapses: int
    flags: int


class RevlogRow(NamedTuple):
    id: int
    """Milliseconds since the epoch: when the answer was given."""
    card_id: int
    ease: int
    ivl: int
    last_ivl: int
    factor: int
    time: int
    type: int


@dataclass
class ForeignNote:
    """A note coming from another program (an Anki package or a text file), as HTML or text.

    A standard note has one `Face` per card; a cloze note has `cloze` (the text with its
    `{{cN::...}}` deletions) and `cloze_ords`, the card ordinals it has (N - 1)."""

    ref: str
    """How messages name it: "note 1712345 (Basic)" or "line 12"."""
    deck: str
    """Anki-style deck name, components separated by '::'."""
    tags: tuple[str, ...] = ()
    faces: list[Face] = field(default_factory=list)
    cloze: str | None = None
    cloze_ords: tuple[int, ...] = ()
    extra: str = ""
    lab: str | None = None
    is_html: bool = True
    cards: dict[int, AnkiCard] = field(default_factory=dict)
    """Ordinal -> the Anki card, when the source has scheduling."""
    guid: str | None = None
    """The Anki note's GUID (a text row's GUID column): how a later import finds it again."""

    @property
    def card_count(self) -> int:
        """How many cards the source has for this note."""
        if self.cards:
            return len(self.cards)
        return max(1, len(self.cloze_ords) if self.cloze is not None else len(self.faces))


class Ticker:
    """Calls `progress` about a hundred times over a run, not once per card."""

    def __init__(self, total: int, progress: Progress | None) -> None:
        self.total, self.done, self.progress = total, 0, progress
        self.step = max(1, total // 100)
        if progress and not total:
            progress(0, 0)

    def advance(self, count: int) -> None:
        before = self.done
        self.done += count
        if self.progress and (self.done // self.step != before // self.step or self.done == self.total):
            self.progress(self.done, self.total)
