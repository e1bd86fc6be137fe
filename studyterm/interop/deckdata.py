"""What every exporter starts from: a deck's cards, grouped into notes, with their history."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from studyterm.collection import Collection
from studyterm.interop.anki_sched import effective_history
from studyterm.interop.grouping import ExportNote, group_notes
from studyterm.layout import Layout
from studyterm.store import exchange
from studyterm.store.records import CardRecord, ReviewEntry


@dataclass
class DeckData:
    deck: str | None
    cards: list[CardRecord]
    """Active cards, oldest first (the order new cards are studied in)."""
    notes: list[ExportNote]
    history: dict[str, list[ReviewEntry]]
    """Each card's whole review log (empty unless asked for)."""
    titles: dict[str, str]
    layout: Layout
    now: datetime
    today: date
    rollover_hour: int

    def answers(self, card_id: str) -> list[ReviewEntry]:
        return effective_history(self.history.get(card_id, []))

    @property
    def review_count(self) -> int:
        return sum(len(self.answers(card.id)) for card in self.cards)


def gather(collection: Collection, deck: str | None, with_history: bool) -> DeckData:
    store = collection.store
    cards = exchange.deck_cards(store, deck)
    history = exchange.review_logs(store, [c.id for c in cards]) if with_history else {}
    return DeckData(
        deck=deck,
        cards=cards,
        notes=group_notes(cards),
        history=history,
        titles=exchange.note_titles(store),
        layout=collection.layout,
        now=collection.now(),
        today=collection.today(),
        rollover_hour=collection.config.day_starts_at.hour,
    )
