"""The review app while another terminal (or the CLI) answers, undoes or suspends the card on
screen: a notice, the queue refreshed, the session goes on, and the log is what really happened."""

import pytest

from studyterm.clock import fixed_clock, parse_now
from studyterm.collection import Collection
from studyterm.layout import Layout
from studyterm.quiz import Mode
from studyterm.tui.app import StartSession
from studyterm.tui.screens.review import Phase
from tests.tui.conftest import NOW


async def settle(pilot):
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


@pytest.fixture
def elsewhere(sample_root):
    """The same collection opened by another process: its own SQLite connection."""
    other = Collection.open(Layout(sample_root), fixed_clock(parse_now(NOW)))
    yield other
    other.close()


def notices(app) -> list[str]:
    return [n.message for n in app._notifications]


def answers(collection, card_id) -> list[tuple]:
    return [(e.kind, e.grade, e.source) for e in collection.history(card_id)]


async def test_grading_a_card_answered_elsewhere_says_so_and_goes_on(app_factory, tui_collection, elsewhere):
    app = app_factory(start=StartSession())
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await settle(pilot)
        screen = app.screen
        card = screen.session.current.card
        await pilot.press("space")
        elsewhere.answer(card.id, 5)  # `studyterm answer` in another terminal
        await pilot.press("4")
        await settle(pilot)
        assert answers(tui_collection, card.id) == [("scheduled", 5, "review")]
        assert any(f"card {card.id} was answered elsewhere" in n and n.startswith("Not recorded") for n in notices(app))
        assert screen.session.current.card.id != card.id and screen.phase is Phase.QUESTION
        assert screen.session.answered == []
        await pilot.press("space", "3")  # the session goes on
        await settle(pilot)
        assert len(screen.session.answered) == 1


async def test_a_card_suspended_elsewhere_then_picked_in_a_quiz(app_factory, tui_collection, elsewhere):
    app = app_factory(start=StartSession(deck="pytorch", mode=Mode.CHOICE))
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await settle(pilot)
        screen = app.screen
        card = screen.session.current.card
        elsewhere.suspend([card.id])
        await pilot.press(str(screen.choice.correct + 1))
        await settle(pilot)
        assert answers(tui_collection, card.id) == []
        assert any(f"card {card.id} was suspended elsewhere" in n for n in notices(app))
        assert screen.session.current.card.id != card.id and screen.phase is Phase.CHOOSING


async def test_undoing_an_answer_answered_again_elsewhere_is_refused_and_the_answer_stands(
        app_factory, tui_collection, elsewhere):
    app = app_factory(start=StartSession())
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await settle(pilot)
        screen = app.screen
        card = screen.session.current.card
        await pilot.press("space", "1")  # a lapse: owed a repeat today
        await settle(pilot)
        elsewhere.answer(card.id, 5)  # the repeat, answered in another terminal
        await pilot.press("u")
        await settle(pilot)
        assert [a[1] for a in answers(tui_collection, card.id)] == [1, 5]  # nothing undone
        assert any("Nothing undone" in n and "answered again elsewhere" in n for n in notices(app))
        assert len(screen.session.answered) == 1  # it was answered, in this session
        await pilot.press("space", "5")  # and the session goes on
        await settle(pilot)
        assert len(screen.session.answered) == 2


async def test_undoing_an_answer_already_undone_elsewhere_moves_on_to_the_one_before(
        app_factory, tui_collection, elsewhere):
    app = app_factory(start=StartSession())
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await settle(pilot)
        screen = app.screen
        first = screen.session.current.card
        await pilot.press("space", "4")
        await settle(pilot)
        second = screen.session.current.card
        await pilot.press("space", "4")
        await settle(pilot)
        elsewhere.undo(elsewhere.store.latest_effective_review(second.id))  # `studyterm undo`
        await pilot.press("u")
        await settle(pilot)
        assert [a[0] for a in answers(tui_collection, second.id)] == ["scheduled", "undo"]
        assert any("already undone elsewhere" in n for n in notices(app))
        assert [a.card.id for a in screen.session.answered] == [first.id]
        await pilot.press("u")  # the answer before it is undone as usual
        await settle(pilot)
        assert [a[0] for a in answers(tui_collection, first.id)] == ["scheduled", "undo"]
        assert screen.session.current.card.id == first.id
