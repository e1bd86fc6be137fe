"""Undo takes back every action of a review (answers, suspend, bury, flag, quick add, lab
feedback), in every mode; a session quit in the middle keeps its record and can be resumed."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from studyterm.quiz import Mode
from studyterm.tui.app import StartSession
from studyterm.tui.screens.choice import ChoiceDialog
from studyterm.tui.screens.home import HomeScreen
from studyterm.tui.screens.lab import LabScreen
from studyterm.tui.screens.review import Phase, ReviewScreen
from tests.labs.fakes import FakeLabRunner
from tests.tui.conftest import NOW
from tests.tui.labs import linked_card, only, passing, settle, start


def notices(app) -> list[str]:
    """Every notice the app showed, expired or not (a busy machine may outlast a toast)."""
    if not hasattr(app, "shown_notices"):
        app.shown_notices = []
        show = app.notify

        def record(message, *args, **kwargs):
            app.shown_notices.append(str(message))
            return show(message, *args, **kwargs)

        app.notify = record
    return app.shown_notices


async def test_undo_after_a_bury_unburies_and_leaves_the_previous_grade(app_factory, tui_collection):
    app = app_factory(start=StartSession())
    notices(app)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await settle(pilot)
        screen = app.screen
        first = screen.session.current.card
        await pilot.press("space", "4")
        await settle(pilot)
        second = screen.session.current.card
        await pilot.press("b")
        await settle(pilot)
        assert tui_collection.card(second.id).buried_until is not None
        await pilot.press("u")
        await settle(pilot)
        assert tui_collection.card(second.id).buried_until is None
        assert screen.session.current.card.id == second.id
        assert [e.grade for e in tui_collection.history(first.id)] == [4]  # the grade stands
        assert "Undone: the bury." in notices(app)


async def test_the_palette_unburies_the_deck_from_the_review_and_undo_buries_again(app_factory, tui_collection):
    app = app_factory(start=StartSession(deck="pytorch"))
    notices(app)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await settle(pilot)
        screen = app.screen
        buried = [screen.session.current.card.id]
        await pilot.press("b")
        await settle(pilot)
        buried.append(screen.session.current.card.id)
        await pilot.press("b")
        await settle(pilot)
        await pilot.press("ctrl+p", *"unbury cards")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert not any(tui_collection.card(i).buried_until for i in buried)
        assert "2 cards no longer buried." in notices(app)
        await pilot.press("u")
        await settle(pilot)
        assert all(tui_collection.card(i).buried_until for i in buried)


async def test_undo_takes_back_suspend_and_flag_then_says_when_nothing_is_left(app_factory, tui_collection):
    app = app_factory(start=StartSession())
    notices(app)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await settle(pilot)
        screen = app.screen
        card = screen.session.current.card
        await pilot.press("f")
        await pilot.press("s")
        await settle(pilot)
        assert tui_collection.card(card.id).suspended and tui_collection.card(card.id).flagged
        await pilot.press("u")
        await settle(pilot)
        assert not tui_collection.card(card.id).suspended
        assert screen.session.current.card.id == card.id
        await pilot.press("u")
        await settle(pilot)
        assert not tui_collection.card(card.id).flagged
        await pilot.press("u")
        await settle(pilot)
        assert notices(app)[-1] == "Nothing to undo."
        assert screen.session.current.card.id == card.id


async def test_ctrl_z_undoes_in_the_typed_quiz_where_u_is_a_letter(app_factory, tui_collection):
    app = app_factory(start=StartSession(deck="pytorch", mode=Mode.TYPED))
    notices(app)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        screen = app.screen
        card = screen.session.current.card
        await pilot.press(*"one full pass over every sample of the training set", "enter")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert [e.grade for e in tui_collection.history(card.id)] == [5]
        await pilot.press("u")  # typed into the next answer's box
        assert screen.phase is Phase.TYPING and screen.query_one("#typed").value == "u"
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert [e.kind for e in tui_collection.history(card.id)] == ["scheduled", "undo"]
        assert screen.session.current.card.id == card.id and screen.phase is Phase.TYPING
        assert screen.query_one("#typed").value == ""


async def test_undo_removes_a_quick_added_card_from_its_note(app_factory, tui_collection):
    app = app_factory(start=StartSession(deck="pytorch"))
    notices(app)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await settle(pilot)
        note = tui_collection.layout.root / app.screen.session.current.card.note_path
        before = note.read_text(encoding="utf-8")
        await pilot.press("a")
        await settle(pilot)
        await pilot.press(*"What is a step?", "enter", *"One parameter update.", "enter")
        await settle(pilot)
        assert "Q: What is a step?" in note.read_text(encoding="utf-8")
        await pilot.press("u")
        await settle(pilot)
        assert note.read_text(encoding="utf-8") == before
        assert any(n.startswith("Undone: the card added to") for n in notices(app))


@pytest.mark.usefixtures("exercise_labs")
async def test_undo_takes_back_the_feedback_of_a_lab_run_started_from_the_review(app_factory, tui_collection):
    runner = FakeLabRunner(result=passing({"accuracy": 0.85, "final_loss": 0.1}))
    start(tui_collection)
    card = only(tui_collection, linked_card(tui_collection))
    app = app_factory(lab_runner=runner, start=StartSession())
    notices(app)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("l")
        await settle(pilot)
        assert isinstance(app.screen, LabScreen)
        await pilot.press("ctrl+r")
        await settle(pilot)
        moved = tui_collection.card(card.id).schedule.sm2.ef
        assert moved != 2.5
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen)
        await pilot.press("u")
        await settle(pilot)
        assert tui_collection.card(card.id).schedule.sm2.ef == 2.5
        assert any(n.startswith("Undone: the feedback of lab run") for n in notices(app))


async def test_escape_with_typed_text_asks_before_ending(app_factory, tui_collection):
    app = app_factory(start=StartSession(deck="pytorch", mode=Mode.TYPED))
    notices(app)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press(*"one pass", "escape")
        await settle(pilot)
        assert isinstance(app.screen, ChoiceDialog)
        await pilot.press("k")
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen) and app.screen.query_one("#typed").value == "one pass"
        await pilot.press("escape", "e")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)


async def test_quitting_mid_session_keeps_its_record_and_resume_continues_it(app_factory, tui_collection):
    app = app_factory(start=StartSession(deck="pytorch"))
    notices(app)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("space", "4", "space", "1")
        await settle(pilot)
        await app.action_quit()
    (session,) = tui_collection.sessions()
    assert session.ended_at is not None
    assert (session.summary["answers"], session.summary["complete"]) == (2, False)
    assert tui_collection.resumable_session().id == session.id

    log = subprocess.run(
        [sys.executable, "-m", "studyterm", "--collection", str(tui_collection.layout.root), "--now", NOW,
         "log", "--json"], capture_output=True, text=True, check=True,
    )
    (logged,) = json.loads(log.stdout)
    documented = {"id", "started_at", "ended_at", "mode", "deck", "answers", "cards", "correct",
                  "accuracy", "time_ms", "grades", "watchlist", "decks", "notes", "complete"}
    assert documented <= set(logged)
    assert (logged["answers"], logged["grades"], logged["deck"]) == (2, {"1": 1, "4": 1}, "pytorch")


def test_a_killed_session_is_logged_from_its_answers(tui_collection):
    from studyterm.session import ReviewSession

    session = ReviewSession(tui_collection, deck="pytorch")
    session.start()
    session.answer(5)
    session.answer(2)  # the process dies here: no summary written
    (logged,) = tui_collection.sessions()
    assert logged.ended_at is None
    assert (logged.summary["answers"], logged.summary["correct"], logged.summary["grades"]) == (2, 1, {"2": 1, "5": 1})
    assert tui_collection.resumable_session().id == logged.id


def test_a_session_of_an_earlier_day_is_not_resumed(sample_root):
    from studyterm.clock import fixed_clock, parse_now
    from studyterm.collection import Collection
    from studyterm.layout import Layout
    from studyterm.session import ReviewSession

    with Collection.open(Layout(sample_root), fixed_clock(parse_now("2026-11-19T10:00:00+00:00"))) as old:
        old.sync()
        session = ReviewSession(old)
        session.start()
        session.answer(4)
    with Collection.open(Layout(sample_root), fixed_clock(parse_now(NOW))) as today:
        assert len(today.sessions()) == 1 and today.resumable_session() is None


async def test_cards_and_sessions_are_timed_by_the_collection_s_clock(sample_root):
    from studyterm.collection import Collection
    from studyterm.layout import Layout
    from studyterm.tui.app import make_app
    from tests.conftest import ManualClock

    clock = ManualClock(NOW)
    collection = Collection.open(Layout(sample_root), clock)
    collection.sync()
    app = make_app(collection, sync_on_start=False, watch=False, start=StartSession(deck="pytorch"))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        card = app.screen.session.current.card
        clock.advance(seconds=30)
        await pilot.press("space", "4")
        await settle(pilot)
        clock.advance(seconds=15)
        await pilot.press("escape")
        await settle(pilot)
    assert [entry.duration_ms for entry in collection.history(card.id)] == [30000]
    (session,) = collection.sessions()
    assert (session.ended_at - session.started_at).total_seconds() == 45
    collection.close()
