"""The store's side of export and import: bulk reads, and progress written only to fresh cards."""

from datetime import UTC, date, datetime

import pytest

from studyterm.schedule.review import CardSchedule
from studyterm.schedule.sm2 import Sm2State
from studyterm.store import Store, SyncChanges
from studyterm.store.exchange import (
    ImportedProgress,
    cards_of_notes,
    deck_cards,
    deck_names,
    review_logs,
    write_imported_progress,
)
from studyterm.store.records import CardContent, NewReview

NOW = datetime(2026, 11, 21, 10, tzinfo=UTC)
DAY = date(2026, 11, 21)


def content(card_id, deck, note="concepts/a.md"):
    return CardContent(card_id, note, 1, "basic", f"{card_id}?", "a", None, deck, (), None, "key-" + card_id)


@pytest.fixture
def store(tmp_path):
    with Store.open(tmp_path / "studyterm.db") as opened:
        opened.apply_sync(SyncChanges(created=[
            content("c1", "dl"), content("c2", "dl/ch01"), content("c3", "dl_x"), content("c4", "other", "concepts/b.md"),
            content("c5", "dlax/y", "concepts/c.md"),
        ]), NOW)
        yield opened


def answer(store, card_id, grade=4):
    after = CardSchedule(Sm2State(250, 1, 1), due=date(2026, 11, 22), introduced=DAY, last_answered=NOW)
    store.record(card_id, lambda card: NewReview(card.id, NOW, DAY, grade, None, "review", "scheduled", card.schedule, after))


def imported(card_id, suspended=False):
    schedule = CardSchedule(Sm2State(210, 3, 17), due=date(2026, 12, 1), lapses=2, introduced=date(2026, 1, 5))
    review = NewReview(card_id, NOW, DAY, 5, 3000, "review", "scheduled", CardSchedule(), schedule,
                       detail={"anki_revlog": {"ease": 4}})
    return ImportedProgress(card_id, schedule, suspended=suspended, flagged=True, reviews=[review])


def test_a_deck_means_itself_and_its_sub_decks_and_underscores_are_not_wildcards(store):
    assert [c.id for c in deck_cards(store, "dl")] == ["c1", "c2"]
    assert [c.id for c in deck_cards(store, "dl_x")] == ["c3"]
    assert [c.id for c in deck_cards(store, None)] == ["c1", "c2", "c3", "c4", "c5"]
    assert deck_names(store) == ["dl", "dl/ch01", "dl_x", "dlax/y", "other"]


def test_review_logs_come_per_card_in_order(store):
    answer(store, "c1", 3)
    answer(store, "c1", 5)
    answer(store, "c2")
    logs = review_logs(store, ["c1", "c2", "c3"])
    assert [e.grade for e in logs["c1"]] == [3, 5] and len(logs["c2"]) == 1 and "c3" not in logs


def test_progress_goes_only_to_cards_never_answered(store):
    answer(store, "c2")
    before = store.card("c2")
    written = write_imported_progress(store, [imported("c1", suspended=True), imported("c2")])

    assert written == ["c1"]
    card = store.card("c1")
    assert card.schedule.sm2 == Sm2State(210, 3, 17) and card.schedule.due == date(2026, 12, 1)
    assert (card.suspended, card.flagged, card.schedule.lapses) == (True, True, 2)
    (entry,) = store.history("c1")
    assert entry.detail == {"anki_revlog": {"ease": 4}} and entry.grade == 5
    assert store.card("c2") == before and len(store.history("c2")) == 1


def test_cards_of_notes_say_which_cards_are_untouched(store):
    answer(store, "c1")
    found = cards_of_notes(store, ["concepts/a.md"])
    assert {(c.id, c.untouched) for c in found["concepts/a.md"]} == {("c1", False), ("c2", True), ("c3", True)}
