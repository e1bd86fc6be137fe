"""What every exporter starts from: a deck's cards, grouped into notes, with their history.

An Anki package needs only a few plain values of each card, and is the export that meets 100,000
cards most, so it reads them as such (PackageData); the text exports read whole card records."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from studyterm.collection import Collection
from studyterm.interop.anki_sched import effective_history
from studyterm.interop.grouping import ExportNote, group_notes, note_groups
from studyterm.layout import Layout
from studyterm.store import exchange
from studyterm.store.exchange import PackageCard, PackageReview
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


@dataclass
class PackageData:
    deck: str | None
    cards: list[PackageCard]
    """Active cards, oldest first (the order new cards are studied in)."""
    notes: list[list[int]]
    """Each Anki note's cards, as indices into `cards` (grouping.note_groups)."""
    reviews: dict[str, list[PackageReview]]
    """Each card's whole review log (empty unless asked for)."""
    layout: Layout
    now: datetime
    today: date
    rollover_hour: int

    def answers(self, card_id: str) -> list[PackageReview]:
        history = self.reviews.get(card_id)
        return effective_history(history) if history else []


def gather_package(collection: Collection, deck: str | None, with_scheduling: bool) -> PackageData:
    store = collection.store
    cards = exchange.package_cards(store, deck, with_schedule=with_scheduling)
    return PackageData(
        deck=deck,
        cards=cards,
        notes=note_groups(cards),
        reviews=exchange.package_reviews(store, deck) if with_scheduling else {},
        layout=collection.layout,
        now=collection.now(),
        today=collection.today(),
        rollover_hour=collection.config.day_starts_at.hour,
    )
