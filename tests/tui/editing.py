"""Helpers for the note-writing Pilot tests."""

import asyncio

from studyterm.tui.screens.note_editor import NoteEditorScreen, open_note_editor

LOOP_NOTE = "concepts/pytorch/training-loop.md"


async def settle(pilot):
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def wait_for(pilot, condition, timeout=5.0):
    """Let the app run until `condition()` holds (debounce timers, workers), failing after
    `timeout` seconds; returns as soon as it holds."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        assert loop.time() < deadline, "timed out"
        await pilot.pause(0.02)
        await pilot.app.workers.wait_for_complete()


async def type_text(pilot, text):
    for line_number, line in enumerate(text.split("\n")):
        if line_number:
            await pilot.press("enter")
        if line:
            await pilot.press(*line)


async def open_editor(pilot, relative, line=1):
    assert open_note_editor(pilot.app, relative, line)
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, NoteEditorScreen)
    await wait_for(pilot, lambda: screen.preview is not None)
    return screen
