"""studyterm cards -> Anki notes, and the rule that gives each note a stable GUID.

A basic card is one Anki note. The cards of one cloze paragraph (one per `{{cN::}}` group) are
one Anki note with a card per group, as Anki does it. Anki recognises a note it has seen by its
GUID, so the GUID comes from studyterm's card ids, which survive edits, moves and renames:

* basic card: `st:<card id>`;
* cloze paragraph: `st:<id of the card of its smallest group>` (usually c1).

Adding or removing other groups keeps the GUID (Anki adds the new cards and keeps the rest);
deleting the smallest group's deletion changes it, and the paragraph then arrives in Anki as a
new note (docs/export.md says how to tidy up).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Protocol

from studyterm.notes.model import CardKind
from studyterm.store.records import CardRecord

GUID_PREFIX = "st:"


@dataclass(frozen=True)
class ExportNote:
    kind: str
    cards: tuple[CardRecord, ...]
    """One card for a basic note; a cloze paragraph's cards in group order."""

    @property
    def first(self) -> CardRecord:
        return self.cards[0]

    @property
    def guid(self) -> str:
        return GUID_PREFIX + self.first.id

    @property
    def mod(self) -> int:
        """Seconds since the epoch of the last edit of any of its cards' text."""
        return max(epoch_seconds(card.edited_at) for card in self.cards)


class _Card(Protocol):
    """What grouping reads of a card: a CardRecord (text exports) or a PackageCard (.apkg)."""

    @property
    def id(self) -> str: ...
    @property
    def note_path(self) -> str: ...
    @property
    def kind(self) -> str: ...
    @property
    def question(self) -> str: ...
    @property
    def cloze_group(self) -> int | None: ...


def note_groups(cards: Sequence[_Card]) -> list[list[int]]:
    """Each Anki note as the indices of its cards in `cards`: notes in the order of their first
    card, a cloze paragraph's cards in group order."""
    groups: list[list[int]] = []
    paragraphs: dict[tuple[str, str], list[int]] = {}
    for index, card in enumerate(cards):
        if card.kind != CardKind.CLOZE:
            groups.append([index])
        elif (group := paragraphs.get(key := (card.note_path, card.question))) is None:
            groups.append(paragraphs.setdefault(key, [index]))
        else:
            group.append(index)
    return [_in_group_order(group, cards) for group in groups]


def group_notes(cards: list[CardRecord]) -> list[ExportNote]:
    """Anki notes in the order of their first card in `cards`."""
    return [
        ExportNote(CardKind.CLOZE if cards[group[0]].kind == CardKind.CLOZE else CardKind.BASIC,
                   tuple(cards[index] for index in group))
        for group in note_groups(cards)
    ]


def _in_group_order(group: list[int], cards: Sequence[_Card]) -> list[int]:
    if len(group) == 1:  # 90,000 of 100,000 cards are a note on their own: nothing to sort
        return group
    return sorted(group, key=lambda index: cards[index].cloze_group or 0)


@lru_cache(maxsize=4096)
def epoch_seconds(iso: str) -> int:
    """Cached: the cards of one note file share their edit time."""
    return int(datetime.fromisoformat(iso).timestamp())
