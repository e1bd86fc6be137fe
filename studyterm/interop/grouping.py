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

from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

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
        return max(_seconds(card.edited_at) for card in self.cards)


def group_notes(cards: list[CardRecord]) -> list[ExportNote]:
    """Anki notes in the order of their first card in `cards`."""
    order: list[tuple] = []
    members: dict[tuple, list[CardRecord]] = {}
    for card in cards:
        if card.kind == CardKind.CLOZE:
            key: tuple = (CardKind.CLOZE, card.note_path, card.question)
        else:
            key = (CardKind.BASIC, card.id)
        if key not in members:
            members[key] = []
            order.append(key)
        members[key].append(card)
    return [ExportNote(key[0], _in_group_order(members[key])) for key in order]


def _in_group_order(cards: list[CardRecord]) -> tuple[CardRecord, ...]:
    if len(cards) == 1:  # 90,000 of 100,000 cards are a note on their own: nothing to sort
        return (cards[0],)
    return tuple(sorted(cards, key=lambda c: c.cloze_group or 0))


@lru_cache(maxsize=4096)
def _seconds(iso: str) -> int:
    """Cached: the cards of one note file share their edit time."""
    return int(datetime.fromisoformat(iso).timestamp())
