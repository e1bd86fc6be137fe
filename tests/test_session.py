"""A study session without any UI: timer, answers, undo, summary and the session log."""

import pytest

from studyterm.schedule.queue import QueueKind
from studyterm.session import MAX_ANSWER_SECONDS, CardChangedError, ReviewSession
from tests.conftest import write_note


class Ticker:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


def make(collection, collection_root, cards=3, **kwargs):
    lines = "\n".join(f"q{i} :: a{i}" for i in range(cards))
    write_note(collection_root, "concepts/deck/a.md", lines + "\n")
    collection.sync()
    ticker = Ticker()
    session = ReviewSession(collection, monotonic=ticker, **kwargs)
    return session, ticker


def test_answers_carry_the_time_spent_and_the_session(collection, collection_root):
    session, ticker = make(collection, collection_root)
    first = session.start()
    assert first.card.question == "q0" and first.queue_kind is QueueKind.NEW
    ticker.now += 7.25
    result = session.answer(4)
    assert result.entry.duration_ms == 7250
    assert result.entry.session_id == session.session_id
    assert session.current.card.question == "q1"


def test_duration_is_capped_when_the_learner_walks_away(collection, collection_root):
    session, ticker = make(collection, collection_root)
    session.start()
    ticker.now += 3600
    assert session.answer(5).entry.duration_ms == MAX_ANSWER_SECONDS * 1000


def test_failed_cards_come_back_at_the_end_and_undo_restores(collection, collection_root):
    session, ticker = make(collection, collection_root, cards=2)
    session.start()
    q0 = session.current.card
    before = collection.card(q0.id).schedule
    session.answer(1)
    assert session.current.card.question == "q1"
    assert session.undo() == "your grade 1 on that card"
    assert session.current.card.id == q0.id and collection.card(q0.id).schedule == before
    session.answer(2)
    session.answer(5)
    assert (session.current.card.id, session.current.queue_kind) == (q0.id, QueueKind.REPEAT)
    session.answer(4)
    assert session.current is None


def test_summary_and_session_log(collection, collection_root, clock):
    session, ticker = make(collection, collection_root, cards=3)
    session.start()
    ticker.now += 2
    session.answer(5)
    ticker.now += 4
    session.answer(1)
    ticker.now += 3
    session.answer(3)
    clock.advance(minutes=12)
    summary = session.finish()
    assert (summary.answers, summary.cards, summary.correct) == (3, 3, 2)
    assert summary.time_ms == 9000 and round(summary.accuracy, 2) == 0.67
    assert [w.question for w in summary.watchlist] == ["q1"]
    assert summary.decks == ["deck"] and summary.notes == ["concepts/deck/a.md"]
    assert summary.duration_s == 720
    assert sum(count for _, count in summary.forecast) == 3  # all three due within the week
    (logged,) = collection.sessions()
    assert logged.summary["answers"] == 3 and logged.ended_at is not None


def test_suspend_bury_and_flag_from_a_session(collection, collection_root):
    session, _ = make(collection, collection_root, cards=3)
    session.start()
    q0 = session.current.card.id
    assert session.toggle_flag() is True and collection.card(q0).flagged
    session.suspend_current()
    q1 = session.current.card.id
    session.bury_current()
    assert session.current.card.question == "q2"
    assert collection.card(q0).suspended and collection.card(q1).buried_until is not None


def test_sessions_without_answers_are_not_logged(collection, collection_root):
    session, _ = make(collection, collection_root)
    session.start()
    session.finish()
    assert collection.sessions() == []


def test_streak_and_deck_tree(collection, collection_root, clock):
    session, _ = make(collection, collection_root)
    session.start()
    session.answer(5)
    clock.advance(days=1)
    session.answer(5)
    assert collection.streak() == 2
    tree = collection.deck_tree()
    assert (tree.children[0].path, tree.total) == ("deck", 3)


def test_search_by_text_tag_and_state(collection, collection_root):
    write_note(collection_root, "concepts/x.md", "---\ntags: [alpha]\n---\nQ: Gradient?\nA: slope\n\nplain :: card\n")
    collection.sync()
    assert [c.question for c in collection.search("gradient")] == ["Gradient?"]
    assert [c.question for c in collection.search(tag="alpha")] == ["Gradient?", "plain"]
    assert len(collection.search(state="new")) == 2
    collection.suspend([collection.search("plain")[0].id])
    assert [c.question for c in collection.search(state="suspended")] == ["plain"]


def test_a_card_retired_by_an_edit_before_it_is_graded_is_not_answered(collection, collection_root):
    session, _ticker = make(collection, collection_root, cards=2)
    session.start()
    shown = session.current.card
    write_note(collection_root, "concepts/deck/a.md", "q1 :: a1\n")  # q0's line is deleted
    collection.sync()
    with pytest.raises(CardChangedError) as changed:
        session.answer(4)
    assert str(changed.value) == f"Not recorded: card {shown.id} is gone from its note (retired)."
    assert collection.history(shown.id) == [] and session.answered == []
    assert session.current.card.question == "q1"
