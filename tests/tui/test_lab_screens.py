"""The lab screens with a fake runner (storage and feedback stay real): runs from a card, the
exercise flow (start, edit, run, pass, hints, diff, undo), predictions; and one real run that
proves the app process never imports torch. The learner's real flow with real processes is in
test_lab_exercise_real.py."""

import subprocess
import sys
import textwrap

import pytest
from textual.widgets import DataTable, Input

from studyterm.labs import Labs, RunStatus
from studyterm.tui.app import StartSession
from studyterm.tui.screens.card_info import CardInfoScreen
from studyterm.tui.screens.code_editor import CodeEditorScreen
from studyterm.tui.screens.lab import LabScreen
from studyterm.tui.screens.lab_dialogs import HoleDiffScreen, PredictionDialog
from studyterm.tui.screens.lab_list import LabListScreen
from studyterm.tui.screens.review import ReviewScreen
from studyterm.tui.widgets.lab_holes import HolesPanel
from tests.labs.exercises import replace_hole
from tests.labs.fakes import FakeLabRunner, completed, holes, training_events
from tests.tui.labs import (
    SPIRAL_HOLES,
    add_hole_cards,
    linked_card,
    only,
    passing,
    settle,
    start,
    text_of,
)

pytestmark = pytest.mark.usefixtures("exercise_labs")


async def open_from_card(app, pilot, collection, lab_id="ch01_spiral"):
    card = linked_card(collection, lab_id)
    await settle(pilot)
    assert isinstance(app.screen, ReviewScreen) and app.screen.session.current.card.id == card.id
    await pilot.press("l")
    await settle(pilot)
    assert isinstance(app.screen, LabScreen)
    return card


async def test_a_passing_run_from_a_card_eases_it(app_factory, tui_collection):
    runner = FakeLabRunner(result=passing({"accuracy": 0.97, "final_loss": 0.1}), events=training_events(5))
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
        assert request.code_dir.name == "ch01_spiral" and request.code_dir.parent.name == "workspace"
        assert [point[1] for point in screen.series["loss"]] == [1.0, 0.5, 1 / 3, 0.25, 0.2]
        status = text_of(screen, "#lab-status")
        assert "Passed" in status and "met all 2 targets" in status
        assert screen.query_one("#lab-runs", DataTable).row_count == 1
        assert screen.query_one(HolesPanel).states == dict.fromkeys(SPIRAL_HOLES, "passing")
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
        result = text_of(app.screen, "#lab-result")
        assert "missed accuracy ≥ 0.9 (0.85)" in result and "due today" in result
        await pilot.press("escape")
        await pilot.press("i")
        await settle(pilot)
        history = app.screen.query_one("#history", DataTable)
        note = str(history.get_row_at(0)[-1])
        assert note == "lab ch01_spiral missed accuracy ≥ 0.9 (0.85): EF 2.50 → 2.18, due today"
    after = tui_collection.card(card.id).schedule
    assert (after.sm2.ef, after.due) == (2.18, tui_collection.today())


async def test_start_edit_run_pass_then_compare_with_the_reference(app_factory, tui_collection, editor):
    """The exercise in the app: s starts it, e edits the selected hole at its line, ctrl+r runs,
    the hole passes, d shows the learner's code beside the reference."""
    runner = FakeLabRunner(result=completed({}, holes=holes(
        sigmoid_forward="passed", sigmoid_backward="not_started", affine_backward="not_started",
        softmax_with_loss_backward="not_started", sgd_update="not_started")))
    add_hole_cards(tui_collection)
    written = []
    editor.edit = lambda path: (replace_hole(path, "sigmoid_forward", "        out = 1 / (1 + np.exp(-x))\n"),
                                written.append(path.name))
    app = app_factory(lab_runner=runner)
    async with app.run_test(size=(130, 45), notifications=True) as pilot:
        app.open_lab("ch01_spiral")
        await settle(pilot)
        screen = app.screen
        assert "Not started" in text_of(screen, "#lab-exercise")
        await pilot.press("e")
        await settle(pilot)
        assert editor.calls == [] and any("press s" in n.message for n in app._notifications)
        await pilot.press("s")
        await settle(pilot)
        assert "0/5" in text_of(screen, "#lab-exercise")
        assert screen.query_one(HolesPanel).selected == "sigmoid_forward"
        await pilot.press("e")
        await settle(pilot)
        (path, line), = editor.calls
        workspace = tui_collection.layout.workspace / "ch01_spiral"
        assert (path, line) == (workspace / "layers.py", 19) and written == ["layers.py"]
        await pilot.press("d")
        await settle(pilot)
        assert not isinstance(app.screen, HoleDiffScreen)  # hidden until the hole passes
        await pilot.press("ctrl+r")
        await settle(pilot)
        panel = screen.query_one(HolesPanel)
        assert panel.states["sigmoid_forward"] == "passing"
        assert panel.selected == "sigmoid_backward"  # the first hole still to do
        assert "1/5" in text_of(screen, "#lab-exercise")
        result = text_of(screen, "#lab-result")
        assert "lab ch01_spiral#sigmoid_forward passed (2/2 checks): EF 2.50 → 2.60, still new" in result
        assert "Cards that link the whole lab wait: a hole not started gives no feedback." in result
        panel.select("sigmoid_forward")
        await pilot.press("d")
        await settle(pilot)
        assert isinstance(app.screen, HoleDiffScreen)
        assert "out = 1 / (1 + np.exp(-x))" in text_of(app.screen, "#diff-learner")
        assert "out = 1 / (1 + np.exp(-x))" in text_of(app.screen, "#diff-reference")
        await pilot.press("escape")
    cards = Labs(tui_collection).card_links("ch01_spiral")
    (event,) = tui_collection.history(cards["sigmoid_forward"][0])
    assert (event.grade, event.ef_after) == (5, 2.6)
    assert tui_collection.history(cards["sgd_update"][0]) == []


async def test_a_failing_hole_is_selected_with_its_message_and_opens_at_its_line(
        app_factory, tui_collection, editor):
    runner = FakeLabRunner(result=completed({}, holes=holes(
        sigmoid_forward="passed", sigmoid_backward="passed", affine_backward=("failed", 1, 2),
        softmax_with_loss_backward="passed", sgd_update="passed")))
    start(tui_collection)
    app = app_factory(lab_runner=runner)
    async with app.run_test(size=(130, 45)) as pilot:
        app.open_lab("ch01_spiral")
        await settle(pilot)
        await pilot.press("ctrl+r")
        await settle(pilot)
        screen = app.screen
        assert screen.query_one(HolesPanel).selected == "affine_backward"
        detail = text_of(screen, "#lab-hole-detail")
        assert "✗ 1/2 checks model.py:2: affine_backward is wrong" in detail
        await pilot.press("h")
        await settle(pilot)
        assert "Hint 1 Each gradient has the shape" in text_of(screen, "#lab-hole-detail")
        await pilot.press("e")
        await settle(pilot)
    workspace = tui_collection.layout.workspace / "ch01_spiral"
    assert editor.calls == [(workspace / "layers.py", 52)]  # the hole's first line (model.py is not there)
    assert Labs(tui_collection).hints_revealed("ch01_spiral") == {"affine_backward": 1}


async def test_the_in_app_editor_opens_the_hole_and_saves(app_factory, tui_collection):
    start(tui_collection)
    app = app_factory(lab_runner=FakeLabRunner())
    async with app.run_test(size=(130, 45)) as pilot:
        app.open_lab("ch01_spiral")
        await settle(pilot)
        app.screen.query_one(HolesPanel).select("sgd_update")
        await pilot.press("E")
        await settle(pilot)
        editor = app.screen
        assert isinstance(editor, CodeEditorScreen)
        assert editor.query_one("#code-text").cursor_location == (10, 0)
        editor.query_one("#code-text").insert("# mine\n")
        await pilot.press("ctrl+s")
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, LabScreen)
    optim = tui_collection.layout.workspace / "ch01_spiral" / "optim.py"
    assert optim.read_text().splitlines()[10] == "# mine"


async def test_an_exploration_asks_a_prediction_and_changes_nothing_else(app_factory, tui_collection):
    runner = FakeLabRunner(result=passing({"accuracy": 0.96, "final_loss": 0.05, "diverged": 0.0}))
    add_hole_cards(tui_collection)
    start(tui_collection)
    app = app_factory(lab_runner=runner)
    async with app.run_test(size=(130, 45)) as pilot:
        app.open_lab("ch01_spiral")
        await settle(pilot)
        app.screen.query_one("#param-lr", Input).value = "10"
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert isinstance(app.screen, PredictionDialog) and runner.requests == []
        await pilot.press("1")  # diverge
        await settle(pilot)
        assert runner.requests[0].params["lr"] == 10.0
        result = text_of(app.screen, "#lab-result")
        assert "Prediction wrong: you said “diverge (NaN, or end above where it started)”" in result
    cards = Labs(tui_collection).card_links("ch01_spiral")
    (event,) = tui_collection.history(cards["lr_too_high"][0])
    assert (event.grade, event.detail["prediction"]["actual_answer"]) == (2, "still converge (end at 0.5 or below)")
    moved = [card for card in tui_collection.search() if tui_collection.history(card.id)]
    assert [card.id for card in moved] == cards["lr_too_high"]


async def test_a_prediction_can_be_skipped(app_factory, tui_collection):
    runner = FakeLabRunner(result=passing({"accuracy": 0.5, "final_loss": 1.0}))
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
        assert isinstance(app.screen, PredictionDialog)
        await pilot.press("s")
        await settle(pilot)
        assert runner.requests[0].params["lr"] == 0.01
    assert Labs(tui_collection).runs("ch01_spiral")[0].predictions == []


async def test_u_undoes_the_selected_run(app_factory, tui_collection):
    runner = FakeLabRunner(result=passing({"accuracy": 0.85, "final_loss": 0.1}))
    start(tui_collection)
    card = linked_card(tui_collection)
    app = app_factory(lab_runner=runner)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        app.open_lab("ch01_spiral")
        await settle(pilot)
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert tui_collection.card(card.id).schedule.sm2.ef == 2.18
        await pilot.press("u")
        await settle(pilot)
        assert any("Undid run #1 on 3 cards" in n.message for n in app._notifications)
    assert tui_collection.card(card.id).schedule.sm2.ef == 2.5


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


async def test_a_card_opens_its_hole_and_its_info_shows_the_hole_s_state(app_factory, tui_collection):
    add_hole_cards(tui_collection)
    start(tui_collection)
    labs = Labs(tui_collection, FakeLabRunner(result=completed({}, holes=holes(
        affine_backward=("failed", 1, 2)))))
    labs.check("ch01_spiral")
    card_id = labs.card_links("ch01_spiral")["affine_backward"][0]
    app = app_factory(lab_runner=FakeLabRunner())
    async with app.run_test(size=(130, 45)) as pilot:
        app.push_screen(CardInfoScreen(card_id))
        await settle(pilot)
        assert text_of(app.screen, "#info-lab") == (
            "Tested by hole affine_backward of lab ch01_spiral: failing, 1/2 checks")
        await pilot.press("escape")
        whole = linked_card(tui_collection)
        app.push_screen(CardInfoScreen(whole.id))
        await settle(pilot)
        info = text_of(app.screen, "#info-lab")
        assert info.startswith("Tested by lab ch01_spiral: 0/5 holes passing, and its targets")
        assert "  affine_backward: failing, 1/2 checks" in info and "  sgd_update: not started" in info
        await pilot.press("escape")
        app.open_lab("ch01_spiral#affine_backward", card_id=card_id)
        await settle(pilot)
        assert app.screen.query_one(HolesPanel).selected == "affine_backward"


async def test_lab_list_from_home(app_factory):
    app = app_factory(lab_runner=FakeLabRunner())
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("l")
        await settle(pilot)
        assert isinstance(app.screen, LabListScreen)
        table = app.screen.query_one("#lab-list", DataTable)
        assert [key.value for key in table.rows] == ["ch01_spiral", "gradcheck"]
        assert str(table.get_row_at(0)[2]) == "5 to write"
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


@pytest.mark.real_timers
@pytest.mark.real_timers
def test_the_app_runs_a_torch_lab_without_importing_torch(sample_root):
    output = subprocess.run(
        [sys.executable, "-c", TUI_RUNS_A_REAL_LAB, str(sample_root)],
        capture_output=True, text=True, timeout=120, check=True,
    ).stdout.split()
    assert output == ["completed", "False", "True", "False"]
