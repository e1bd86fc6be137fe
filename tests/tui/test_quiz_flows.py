"""The typed quiz on the shipped sample cards: right answers typed the way a learner types them
are graded right, and a failing suggestion needs a second Enter."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from studyterm.clock import fixed_clock, parse_now
from studyterm.collection import Collection
from studyterm.layout import Layout
from studyterm.quiz import Mode
from studyterm.render.card import question_line
from studyterm.tui.app import StartSession, make_app
from studyterm.tui.screens.review import Phase
from tests.tui.conftest import NOW

REPO = Path(__file__).resolve().parents[2]

TYPED = {
    "What is an epoch?": "one pass over the training set",
    "With N training samples and batch size B, how many parameter updates happen per epoch?": "ceil(N/B)",
    "What does the code print?": "16",
    "What is the derivative of the sigmoid, written with the sigmoid itself?": "σ(x)(1-σ(x))",
    "What is the gradient of softmax followed by cross-entropy with respect to the scores?": "y - t",
    "Halving the batch size doubles": "the number of updates per epoch",
}


async def settle(pilot):
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


@pytest.fixture
def shipped(tmp_path: Path, timer):
    root = tmp_path / "shipped"
    shutil.copytree(REPO / "concepts", root / "concepts")
    collection = Collection.open(Layout(root), fixed_clock(parse_now(NOW)))
    collection.sync()
    yield collection
    collection.close()


def _plain_question(card) -> str:
    return question_line(card)


@pytest.mark.parametrize("deck", ["pytorch", "dlfs2/ch01"])
async def test_right_answers_on_the_sample_cards_are_graded_right(shipped, timer, deck):
    app = make_app(shipped, monotonic=timer, sync_on_start=False, watch=False,
                   start=StartSession(deck=deck, mode=Mode.TYPED))
    graded = {}
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        screen = app.screen
        while screen.session.current is not None and screen.phase is not Phase.DONE:
            card = screen.session.current.card
            question = _plain_question(card)
            if question.startswith("What does the code print?"):
                question = "What does the code print?"
            if question in TYPED:
                await pilot.press(*TYPED[question], "enter")
                await settle(pilot)
                graded[question] = screen.verdict.grade
                await pilot.press("enter")
            else:
                await pilot.press("enter")
                await settle(pilot)
                await pilot.press("5")
            await settle(pilot)
    expected = {q for q in TYPED if any(question_line(c).startswith(q) for c in shipped.search(deck=deck))}
    assert graded == {question: 5 for question in expected} and len(expected) >= 2
    for card in shipped.search(deck=deck):
        history = shipped.history(card.id)
        assert history and all(entry.grade >= 3 for entry in history), card.question


async def test_a_failing_suggestion_needs_a_second_enter(shipped, timer):
    app = make_app(shipped, monotonic=timer, sync_on_start=False, watch=False,
                   start=StartSession(deck="pytorch", mode=Mode.TYPED))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        screen = app.screen
        while _plain_question(screen.session.current.card) != "What is an epoch?":
            await pilot.press("enter")
            await settle(pilot)
            await pilot.press("5")
            await settle(pilot)
        card = screen.session.current.card
        await pilot.press(*"a batch", "enter")
        await settle(pilot)
        assert screen.verdict.failing
        suggested = screen.verdict.grade
        await pilot.press("enter")
        await settle(pilot)
        assert shipped.history(card.id) == [] and screen.session.current.card.id == card.id
        await pilot.press("enter")
        await settle(pilot)
        assert [entry.grade for entry in shipped.history(card.id)] == [suggested]
        assert suggested < 3


async def test_every_choice_question_of_the_sample_fits_80x24_and_the_footer_shows_its_keys(shipped, timer):
    from textual.widgets import Footer

    app = make_app(shipped, monotonic=timer, sync_on_start=False, watch=False,
                   start=StartSession(mode=Mode.CHOICE))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        footer_top = screen.query_one(Footer).region.y
        seen = 0
        while screen.phase is Phase.CHOOSING:
            options = list(screen.query(".option"))
            assert len(options) == 4
            assert all(option.region.height and option.region.bottom <= footer_top for option in options)
            assert "```" not in " ".join(str(option.render()) for option in options)
            keys = {key for key, active in screen.active_bindings.items() if active.binding.show and active.enabled}
            assert {"1", "escape"} <= keys and "space" not in keys and "0" not in keys
            await pilot.press(str(screen.choice.correct + 1))
            await settle(pilot)
            await pilot.press("space")
            await settle(pilot)
            seen += 1
    assert seen >= 15


def test_a_small_deck_borrows_distractors_from_its_sibling_decks(shipped):
    card = next(c for c in shipped.search(deck="pytorch") if c.question.startswith("What does the code print?"))
    pool = shipped.distractor_pool(card)
    assert len(pool) >= 3 and {c.deck for c in pool} - {"pytorch"}  # the 10-card deck borrows
    assert card.answer not in {c.answer for c in pool}
