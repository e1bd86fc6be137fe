"""The core API: the daily queue, answers, undo, suspend/bury/flag, day rollover."""

from datetime import date

import pytest

from studyterm.collection import CardStateError, Collection, card_state
from studyterm.config import Config
from studyterm.layout import Layout
from studyterm.schedule.queue import QueueKind
from tests.conftest import write_note


def make_cards(root, count, name="a"):
    lines = [f"q{name}{i} :: a{i}" for i in range(count)]
    write_note(root, f"concepts/{name}.md", "\n".join(lines) + "\n")


def ids(collection):
    return [e.card_id for e in collection.queue()]


def question(collection, card_id):
    return collection.card(card_id).question


def test_new_cards_follow_note_order_up_to_the_daily_limit(collection_root, clock):
    make_cards(collection_root, 25)
    with Collection.open(Layout(collection_root), clock) as collection:
        collection.sync()
        queue = collection.queue()
        assert len(queue) == 20 and {e.kind for e in queue} == {QueueKind.NEW}
        assert [question(collection, e.card_id) for e in queue[:3]] == ["qa0", "qa1", "qa2"]
        for entry in queue[:5]:
            collection.answer(entry.card_id, 5)
        assert collection.counts().new == 15  # the limit counts cards introduced today


def test_limit_is_configurable(collection_root, clock):
    make_cards(collection_root, 10)
    layout = Layout(collection_root)
    from studyterm.store import Store

    collection = Collection(layout, Store.open(layout.db_path), clock, Config(new_cards_per_day=3))
    collection.sync()
    assert len(collection.queue()) == 3
    collection.close()


def test_queue_order_overdue_reviews_then_new_then_repeats(collection, collection_root, clock):
    make_cards(collection_root, 24)
    collection.sync()
    first = ids(collection)[:3]
    collection.answer(first[0], 5)  # due in 1 day
    clock.advance(days=1)
    collection.answer(first[1], 5)  # introduced a day later: due one day later
    clock.advance(days=2)
    collection.answer(first[2], 3)  # new today, graded 3: a same-day repeat
    queue = collection.queue()
    kinds = [e.kind for e in queue]
    assert [e.card_id for e in queue[:2]] == [first[0], first[1]]  # most overdue first
    assert kinds[:2] == [QueueKind.REVIEW, QueueKind.REVIEW]
    assert kinds[2:-1] == [QueueKind.NEW] * (len(queue) - 3)
    assert queue[-1].card_id == first[2] and kinds[-1] is QueueKind.REPEAT


def test_same_day_repeat_until_graded_four(collection, collection_root):
    make_cards(collection_root, 1)
    collection.sync()
    (card_id,) = ids(collection)
    result = collection.answer(card_id, 2)
    assert result.entry.kind == "scheduled"
    ef, due = result.card.schedule.sm2.ef, result.card.schedule.due
    assert collection.queue()[0].kind is QueueKind.REPEAT
    repeat = collection.answer(card_id, 3)
    assert repeat.entry.kind == "repeat"
    assert (repeat.card.schedule.sm2.ef, repeat.card.schedule.due) == (ef, due)
    assert collection.answer(card_id, 4).entry.kind == "repeat"
    assert collection.queue() == []
    assert [h.kind for h in collection.history(card_id)] == ["scheduled", "repeat", "repeat"]


def test_the_study_day_rolls_over_at_four(collection, collection_root, clock):
    make_cards(collection_root, 1)
    collection.sync()
    clock.set("2026-11-21T23:30:00+00:00")
    (card_id,) = ids(collection)
    collection.answer(card_id, 5)  # due the next study day
    clock.set("2026-11-22T03:59:00+00:00")
    assert collection.today() == date(2026, 11, 21) and collection.queue() == []
    clock.set("2026-11-22T04:00:00+00:00")
    assert collection.today() == date(2026, 11, 22) and ids(collection) == [card_id]


def test_answering_a_card_that_is_not_due_needs_force(collection, collection_root):
    make_cards(collection_root, 1)
    collection.sync()
    (card_id,) = ids(collection)
    collection.answer(card_id, 5)
    with pytest.raises(CardStateError, match="not due until 2026-11-22"):
        collection.answer(card_id, 5)
    assert collection.answer(card_id, 5, force=True).card.schedule.sm2.repetitions == 2


def test_undo_restores_the_exact_previous_state(collection, collection_root, clock):
    make_cards(collection_root, 1)
    collection.sync()
    (card_id,) = ids(collection)
    collection.answer(card_id, 5)
    clock.advance(days=1)
    before = collection.card(card_id)
    second = collection.answer(card_id, 1, duration_ms=4200)
    assert second.card.schedule != before.schedule
    restored = collection.undo(second.entry.id)
    assert restored.card.schedule == before.schedule
    history = collection.history(card_id)
    assert [h.kind for h in history] == ["scheduled", "scheduled", "undo"]
    assert history[-1].undoes == second.entry.id
    # an undone review can be undone no further, and the next one back is now the latest
    assert collection.store.latest_effective_review(card_id) == history[0].id
    collection.undo(history[0].id)
    assert collection.card(card_id).schedule.is_new


def test_only_the_latest_review_can_be_undone(collection, collection_root, clock):
    from studyterm.store import StoreError

    make_cards(collection_root, 1)
    collection.sync()
    (card_id,) = ids(collection)
    first = collection.answer(card_id, 5)
    clock.advance(days=1)
    collection.answer(card_id, 5)
    with pytest.raises(StoreError, match="not the card's latest"):
        collection.undo(first.entry.id)


def test_suspend_bury_and_flag(collection, collection_root, clock):
    make_cards(collection_root, 3)
    collection.sync()
    a, b, c = ids(collection)
    collection.suspend([a])
    collection.bury([b[:6]])
    collection.flag([c])
    assert ids(collection) == [c]
    assert collection.card(c).flagged
    with pytest.raises(CardStateError, match="suspended"):
        collection.answer(a, 5)
    clock.advance(days=1)
    assert ids(collection) == [b, c]
    collection.suspend([a], suspended=False)
    assert ids(collection) == [a, b, c]


def test_card_state_names(collection, collection_root, clock):
    make_cards(collection_root, 1)
    collection.sync()
    (card_id,) = ids(collection)
    day = collection.today()
    assert card_state(collection.card(card_id), day) == "new"
    collection.answer(card_id, 5)
    assert card_state(collection.card(card_id), day) == "learning"
    clock.advance(days=1)
    collection.answer(card_id, 5)
    assert card_state(collection.card(card_id), collection.today()) == "review"


def test_deck_filter_includes_sub_decks(collection, collection_root):
    write_note(collection_root, "concepts/dlfs2/ch01/a.md", "a1 :: x\n")
    write_note(collection_root, "concepts/dlfs2/ch02/b.md", "b1 :: x\n")
    write_note(collection_root, "concepts/dlfs2_extra/c.md", "c1 :: x\n")
    collection.sync()
    questions = lambda deck: sorted(question(collection, e.card_id) for e in collection.queue(deck))  # noqa: E731
    assert questions("dlfs2") == ["a1", "b1"]
    assert questions("dlfs2/ch02") == ["b1"]
    assert questions("dlfs2_extra") == ["c1"]
