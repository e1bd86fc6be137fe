"""The lab screens with a fake runner (storage and feedback stay real), and one real run that
proves the app process never imports torch."""

import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from textual.widgets import DataTable, Input, Static

from studyterm.labs import HoleChecked, Labs, RunStatus
from studyterm.tui.app import StartSession
from studyterm.tui.screens.lab import LabScreen
from studyterm.tui.screens.lab_list import LabListScreen
from studyterm.tui.screens.review import ReviewScreen
from tests.labs.fakes import FakeLabRunner, completed, training_events

SPIRAL_HOLES = ("sigmoid_forward", "sigmoid_backward", "affine_backward",
                "softmax_with_loss_backward", "sgd_update")


REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def exercise_labs(sample_root):
    """The shipped exercise labs in place of the fixture collection's demo labs."""
    for lab_id in ("ch01_spiral", "gradcheck"):
        shutil.rmtree(sample_root / "labs" / lab_id)
        shutil.copytree(REPO / "labs" / lab_id, sample_root / "labs" / lab_id,
                        ignore=shutil.ignore_patterns("__pycache__"))


def passing(metrics):
    """A completed run of ch01_spiral whose holes all passed."""
    return completed(metrics, holes=[HoleChecked(name, "passed", 1, 1) for name in SPIRAL_HOLES])


async def settle(pilot):
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def linked_card(collection, lab_id="ch01_spiral"):
    return next(card for card in collection.search() if card.lab == lab_id)


def only(collection, card):
    """Bury every other card, so the review opens on this one."""
    collection.bury([c.id for c in collection.search() if c.id != card.id])
    return card


def start(collection, lab_id="ch01_spiral"):
    Labs(collection).start(lab_id)


async def open_from_card(app, pilot, collection, lab_id="ch01_spiral"):
    card = linked_card(collection, lab_id)
    await settle(pilot)
    assert isinstance(app.screen, ReviewScreen) and app.screen.session.current.card.id == card.id
    await pilot.press("l")
    await settle(pilot)
    assert isinstance(app.screen, LabScreen)
    return card


async def test_a_passing_run_from_a_card_eases_it(app_factory, tui_collection):
    runner = FakeLabRunner(
        result=passing({"accuracy": 0.97, "final_loss": 0.1}), events=training_events(5)
    )
    start(tui_collection)
    card = only(tui_collection, linked_card(tui_collection))
    app = app_factory(lab_runner=runner, start=StartSession(deck=card.deck))
    async with app.run_test(size=(120, 40)) as pilot:
        await open_from_card(app, pilot, tui_collection)
        screen = app.screen
        await pilot.press("ctrl+r")
        await settle(pilot)
        (request,) = runner.requests
        assert request.params["lr"] == 1.0 and request.lab_id == "ch01_spiral"
        assert [point[1] for point in screen.series["loss"]] == [1.0, 0.5, 1 / 3, 0.25, 0.2]
        status = str(screen.query_one("#lab-status", Static).render())
        assert "Passed" in status and "met all 2 targets" in status
        assert screen.query_one("#lab-runs", DataTable).row_count == 1
    history = tui_collection.history(card.id)
    assert [(e.source, e.grade, e.ef_after) for e in history] == [("lab", 5, 2.6)]
    assert tui_collection.card(card.id).schedule.is_new


async def test_a_failing_run_makes_the_card_due_today(app_factory, tui_collection):
    runner = FakeLabRunner(result=passing({"accuracy": 0.85, "final_loss": 0.1}))
    start(tui_collection)
    card = only(tui_collection, linked_card(tui_collection))
    app = app_factory(lab_runner=runner, start=StartSession(deck=card.deck))
    async with app.run_test(size=(120, 40)) as pilot:
        await open_from_card(app, pilot, tui_collection)
        await pilot.press("ctrl+r")
        await settle(pilot)
        result = str(app.screen.query_one("#lab-result", Static).render())
        assert "missed accuracy ≥ 0.9 (0.85)" in result and "due today" in result
        await pilot.press("escape")
        await pilot.press("i")
        await settle(pilot)
        history = app.screen.query_one("#history", DataTable)
        note = str(history.get_row_at(0)[-1])
        assert note == "lab ch01_spiral missed accuracy ≥ 0.9 (0.85): EF 2.50 → 2.18, due today"
    after = tui_collection.card(card.id).schedule
    assert (after.sm2.ef, after.due) == (2.18, tui_collection.today())


async def test_parameters_are_edited_and_checked_before_a_run(app_factory, tui_collection):
    runner = FakeLabRunner(result=completed({"accuracy": 0.5, "final_loss": 1.0}))
    start(tui_collection)
    app = app_factory(lab_runner=runner)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        app.open_lab("ch01_spiral")
        await settle(pilot)
        screen = app.screen
        screen.query_one("#param-lr", Input).value = "fast"
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert runner.requests == []
        assert any("lr" in n.message for n in app._notifications)
        screen.query_one("#param-lr", Input).value = "0.01"
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert runner.requests[0].params["lr"] == 0.01


async def test_escape_cancels_a_running_lab(app_factory, tui_collection):
    runner = FakeLabRunner(wait_for_cancel=True, events=training_events(2))
    start(tui_collection)
    card = linked_card(tui_collection)
    app = app_factory(lab_runner=runner)
    async with app.run_test(size=(120, 40)) as pilot:
        app.open_lab("ch01_spiral", card_id=card.id)
        await settle(pilot)
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert runner.running.wait(5)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, LabScreen)  # the first Esc stops the run, not the screen
        (run,) = app.labs.runs("ch01_spiral")
        assert run.status == RunStatus.CANCELLED
    assert tui_collection.history(card.id) == []


async def test_lab_list_from_home(app_factory):
    app = app_factory(lab_runner=FakeLabRunner())
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("l")
        await settle(pilot)
        assert isinstance(app.screen, LabListScreen)
        table = app.screen.query_one("#lab-list", DataTable)
        assert [key.value for key in table.rows] == ["ch01_spiral", "gradcheck"]
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, LabScreen) and app.screen.lab_id == "ch01_spiral"


async def test_a_card_linking_a_missing_lab_says_so(app_factory, tui_collection, sample_root):
    note = sample_root / "concepts" / "ghost.md"
    note.write_text("ghost :: lab\nlab: no_such_lab\n", encoding="utf-8")
    tui_collection.sync()
    app = app_factory(lab_runner=FakeLabRunner())
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        app.open_lab("no_such_lab")
        await settle(pilot)
        assert not isinstance(app.screen, LabScreen)
        assert any("no lab 'no_such_lab'" in n.message for n in app._notifications)


TUI_RUNS_A_REAL_LAB = textwrap.dedent(
    """
    import asyncio, sys
    from studyterm.clock import fixed_clock, parse_now
    from studyterm.collection import Collection
    from studyterm.labs import Labs
    from studyterm.tui.app import make_app

    async def main():
        collection = Collection.open(sys.argv[1], fixed_clock(parse_now("2026-11-21T10:00:00+00:00")))
        collection.sync()
        Labs(collection).start("gradcheck")
        app = make_app(collection, sync_on_start=False, watch=False)
        async with app.run_test(size=(120, 40)) as pilot:
            app.open_lab("gradcheck")
            await pilot.pause()
            await pilot.press("ctrl+r")
            await pilot.pause()
            await app.workers.wait_for_complete()
            await pilot.pause()
            run = app.labs.runs("gradcheck")[0]
            print(run.status, run.passed, [h["status"] for h in run.holes] == ["not_started"] * 4)
        print("torch" in sys.modules)

    asyncio.run(main())
    """
)


def test_the_app_runs_a_torch_lab_without_importing_torch(sample_root):
    output = subprocess.run(
        [sys.executable, "-c", TUI_RUNS_A_REAL_LAB, str(sample_root)],
        capture_output=True, text=True, timeout=120, check=True,
    ).stdout.split()
    assert output == ["completed", "False", "True", "False"]
