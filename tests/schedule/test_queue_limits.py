"""Daily limits as Anki users expect: a collection review limit, and a deck's own new-card and
review limits that count the deck with its sub-decks."""

import pytest

from studyterm.config import Config, DeckSettings
from studyterm.schedule.queue import QueueKind
from tests.conftest import write_note


def cards_text(prefix: str, count: int) -> str:
    return "".join(f"Q: {prefix} question {n}?\nA: answer {n}\n\n" for n in range(count))


@pytest.fixture
def decks(collection, collection_root):
    """Six new cards in each of `a`, `a/sub` and `b`."""
    for deck in ("a", "a/sub", "b"):
        write_note(collection_root, f"concepts/{deck}/cards.md", cards_text(deck, 6))
    collection.sync()
    return collection


def kinds_by_deck(collection, deck=None) -> dict[tuple[str, str], int]:
    found: dict[tuple[str, str], int] = {}
    for entry in collection.queue(deck):
        key = (collection.card(entry.card_id).deck, entry.kind.value)
        found[key] = found.get(key, 0) + 1
    return found


def test_a_deck_new_limit_counts_its_sub_decks(decks):
    decks.use_config(Config(new_cards_per_day=100, decks=(("a", DeckSettings(new_cards_per_day=4)),)))
    found = kinds_by_deck(decks)
    assert found[("a", "new")] + found.get(("a/sub", "new"), 0) == 4
    assert found[("b", "new")] == 6
    assert decks.counts().new == 10
    # answering one of a's new cards uses up one of its four
    first_a = next(e.card_id for e in decks.queue() if decks.card(e.card_id).deck == "a")
    decks.answer(first_a, 5)
    found = kinds_by_deck(decks)
    assert found.get(("a", "new"), 0) + found.get(("a/sub", "new"), 0) == 3


def test_studying_a_sub_deck_ignores_the_limits_of_decks_above_it(decks):
    decks.use_config(Config(new_cards_per_day=100, decks=(("a", DeckSettings(new_cards_per_day=2)),
                                                         ("a/sub", DeckSettings(new_cards_per_day=5)))))
    assert decks.counts("a").new == 2
    assert decks.counts("a/sub").new == 5


def test_the_collection_new_limit_still_caps_every_deck(decks):
    decks.use_config(Config(new_cards_per_day=3, decks=(("b", DeckSettings(new_cards_per_day=10)),)))
    assert decks.counts().new == 3
    assert decks.counts("b").new == 3


def test_review_limits_count_due_reviews_done_today(decks, clock):
    for entry in decks.queue():
        decks.answer(entry.card_id, 5)
    clock.advance(days=1)
    assert decks.counts().review == 18
    decks.use_config(Config(reviews_per_day=10))
    assert decks.counts().review == 10
    decks.use_config(Config(decks=(("b", DeckSettings(reviews_per_day=2)),)))
    found = kinds_by_deck(decks)
    assert found[("b", "review")] == 2
    assert found[("a", "review")] == found[("a/sub", "review")] == 6
    # a review done today counts against both limits; a same-day repeat never is limited
    first_b = next(e.card_id for e in decks.queue() if decks.card(e.card_id).deck == "b")
    answered = decks.answer(first_b, 2)
    assert decks.store.reviewed_count(decks.today(), "b") == 1
    found = kinds_by_deck(decks)
    assert found[("b", "review")] == 1
    assert found[("b", "repeat")] == 1
    assert decks.counts("b").review == 1
    # undoing the answer gives the review back
    decks.undo(answered.entry.id)
    assert decks.store.reviewed_count(decks.today()) == 0
    assert decks.counts("b").review == 2


def test_next_card_follows_the_limits(decks):
    decks.use_config(Config(new_cards_per_day=100, decks=(("a", DeckSettings(new_cards_per_day=0)),)))
    entry = decks.next_card()
    assert entry.kind is QueueKind.NEW
    assert decks.card(entry.card_id).deck == "b"
    assert decks.next_card("a") is None
