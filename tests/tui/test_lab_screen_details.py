"""Lab screen details from a week of use: the labs list's columns on first open, a hint when a
pane scrolls, no "working" bar while idle, choices as a Select, cards named by their question,
whole-number steps on the plot."""

import pytest
from textual.widgets import DataTable, ProgressBar, Select

from studyterm.render.card import question_line
from studyterm.tui.app import StartSession
from studyterm.tui.screens.lab import LabScreen
from studyterm.tui.screens.lab_list import LabListScreen
from studyterm.tui.widgets.lab_run_panel import step_ticks
from studyterm.tui.widgets.more_below import MoreBelow
from tests.labs.fakes import FakeLabRunner, training_events
from tests.tui.labs import linked_card, only, passing, settle, start, text_of

pytestmark = pytest.mark.usefixtures("exercise_labs")


async def test_the_labs_list_shows_whole_columns_on_first_open(app_factory):
    app = app_factory(lab_runner=FakeLabRunner())
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("l")
        await settle(pilot)
        assert isinstance(app.screen, LabListScreen)
        table = app.screen.query_one("#lab-list", DataTable)
        widths = {str(column.label): column.width for column in table.columns.values()}
        assert widths["Lab"] >= len("ch01_spiral") and widths["Holes"] >= len("5 to write")
        assert sum(widths.values()) + 2 * len(widths) <= 100  # the last result fits too
        painted = app.export_screenshot().replace("&#160;", " ")
        assert "ch01_spiral" in painted and "5 to write" in painted and "never run" in painted


async def test_idle_lab_screen_hints_at_what_is_below_and_has_no_working_bar(app_factory):
    runner = FakeLabRunner(result=passing({"accuracy": 0.97, "final_loss": 0.1}), events=training_events(5))
    app = app_factory(lab_runner=runner)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        app.open_lab("ch01_spiral")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, LabScreen)
        assert not screen.query_one("#lab-progress", ProgressBar).display
        hint = screen.query_one("#lab-setup-more", MoreBelow)
        assert hint.display and "parameters" in str(hint.render())
        setup = screen.query_one("#lab-setup")
        setup.scroll_end(animate=False)
        await pilot.pause()
        assert not hint.display


async def test_a_choices_parameter_is_a_select_and_runs_with_the_choice(app_factory, tui_collection):
    runner = FakeLabRunner()
    start(tui_collection, "gradcheck")
    app = app_factory(lab_runner=runner)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.open_lab("gradcheck")
        await settle(pilot)
        device = app.screen.query_one("#param-device", Select)
        assert device.value == "auto"
        device.value = "cpu"
        await pilot.press("ctrl+r")
        await settle(pilot)
        (request,) = runner.requests
        assert request.params["device"] == "cpu"


async def test_feedback_names_cards_by_their_question(app_factory, tui_collection):
    runner = FakeLabRunner(result=passing({"accuracy": 0.85, "final_loss": 0.1}), events=training_events(5))
    start(tui_collection)
    card = only(tui_collection, linked_card(tui_collection))
    app = app_factory(lab_runner=runner, start=StartSession(deck=card.deck))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("l")
        await settle(pilot)
        await pilot.press("ctrl+r")
        await settle(pilot)
        result = text_of(app.screen, "#lab-result")
        assert f"“{question_line(card)[:30]}" in result
        assert f"card {card.id}:" not in result
        assert app.screen.query_one("#lab-progress", ProgressBar).display  # the run counted steps


def test_step_ticks_are_whole_numbers_at_a_round_stride():
    assert step_ticks(5) == [0, 1, 2, 3, 4, 5]
    assert step_ticks(12) == [0, 5, 10]
    assert step_ticks(100) == [0, 20, 40, 60, 80, 100]
    assert step_ticks(2999) == [0, 500, 1000, 1500, 2000, 2500]
    assert step_ticks(0) == [0]
