"""The session worksheet: written after a session, kept with it, shown by the log and on home."""

from studyterm.cli.review import log_markdown
from studyterm.tui.app import StartSession
from studyterm.tui.screens.home import HomeScreen
from studyterm.tui.screens.summary import SummaryScreen
from studyterm.tui.screens.worksheet import WorksheetScreen
from tests.tui.test_snapshots import keys


async def test_a_worksheet_written_after_a_session_reaches_the_log_and_home(app_factory, tui_collection):
    app = app_factory(start=StartSession())
    async with app.run_test(size=(100, 30)) as pilot:
        await keys("space", "4", "escape")(pilot)
        assert isinstance(app.screen, SummaryScreen)
        await keys("w")(pilot)
        assert isinstance(app.screen, WorksheetScreen)
        await keys(*"guessed ceil", "enter", *"the floor", "enter", "enter", "enter", *"redo the lab", "enter")(pilot)
        assert isinstance(app.screen, SummaryScreen)
        (session,) = tui_collection.sessions()
        assert session.summary["worksheet"] == {"thought": "guessed ceil", "failed": "the floor", "next": "redo the lab"}
        assert "- What failed, and why? the floor" in log_markdown([session])
        assert "- Next action: redo the lab" in log_markdown([session])
        await keys("enter")(pilot)
        assert isinstance(app.screen, HomeScreen)
        resume = str(app.screen.query_one("#resume").render())
        assert "Next action (your worksheet): redo the lab" in resume


async def test_escape_leaves_the_worksheet_unsaved(app_factory, tui_collection):
    app = app_factory(start=StartSession())
    async with app.run_test(size=(80, 24)) as pilot:
        await keys("space", "4", "escape", "w", *"nothing", "escape")(pilot)
        assert isinstance(app.screen, SummaryScreen)
        assert "worksheet" not in tui_collection.sessions()[0].summary
