"""The app follows edits made by other programs, with real files and the real watcher."""

import asyncio

import pytest
from textual.widgets import DataTable

from studyterm.tui.screens.home import HomeScreen

pytestmark = pytest.mark.real_timers  # the real file watcher (pyproject.toml says why)


async def until(pilot, condition, timeout):
    """Let the app run until `condition()` holds; False after `timeout` seconds. (Not
    workers.wait_for_complete(): the watcher is a worker that runs until the app ends.)"""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        if loop.time() > deadline:
            return False
        await pilot.pause(0.02)
    return True


async def test_an_edit_in_another_editor_shows_up_and_a_broken_note_keeps_its_cards(app_factory, tui_collection, sample_root):
    note = sample_root / "concepts" / "pytorch" / "from-vim.md"
    app = app_factory(watch=True)
    async with app.run_test(size=(100, 30)) as pilot:
        assert await until(pilot, lambda: isinstance(app.screen, HomeScreen) and app.screen.query_one("#decks", DataTable).row_count, 5)
        table = app.screen.query_one("#decks", DataTable)
        before = int(table.get_row("pytorch")[3])

        def card():
            return tui_collection.search("written in vim")

        # The watcher gives no "ready" signal: write again until the app has seen the note.
        for attempt in range(40):
            note.write_text(f"written in vim :: answer {attempt}\n", encoding="utf-8")
            if await until(pilot, card, 0.25):
                break
        assert card(), "the app never picked up the new note"
        assert await until(pilot, lambda: int(table.get_row("pytorch")[3]) == before + 1, 5)

        note.write_text("Q: half-rewritten, the one-liner gone\n", encoding="utf-8")
        assert await until(pilot, lambda: any(path == "concepts/pytorch/from-vim.md" for path, _ in tui_collection.problems()), 5)
        kept = card()  # its text vanished from a note with an error: kept until the note is fixed
        assert len(kept) == 1 and not kept[0].retired
        assert int(table.get_row("pytorch")[3]) == before + 1


async def test_without_watch_no_watcher_runs(app_factory):
    app = app_factory()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert not [worker for worker in app.workers if worker.group == "watch"]
