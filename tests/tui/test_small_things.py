"""Small things seen in a week of use: fast typing in quick add, one notice per problem,
screenshots without ~/Downloads, the labs list's columns."""

from textual import events

from studyterm.quiz import Mode
from studyterm.tui.app import StartSession
from studyterm.tui.screens.quick_add import QuickAddScreen
from tests.tui.editing import LOOP_NOTE, open_editor, settle


def type_fast(app, keys: list[str]) -> None:
    """Every key sent at once, as a quick typist (or a terminal after a pause) delivers them:
    none waits for the previous one to be handled."""
    for key in keys:
        character = key if len(key) == 1 else ("\r" if key == "enter" else None)
        event = events.Key(key, character)
        event.set_sender(app)
        app._driver.send_message(event)


async def test_quick_add_keeps_the_answer_typed_right_after_enter(app_factory, sample_root, tui_collection):
    app = app_factory(start=StartSession(deck="pytorch", mode=Mode.FLASH))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        card = app.screen.session.current.card
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(app.screen, QuickAddScreen)
        type_fast(app, [*"Warmup?", "enter", *"Ramp the LR up.", "enter"])
        for _ in range(5):
            await settle(pilot)
        assert not isinstance(app.screen, QuickAddScreen)
    text = (sample_root / card.note_path).read_text(encoding="utf-8")
    assert text.endswith("\n\nQ: Warmup?\nA: Ramp the LR up.\n")


async def test_saving_a_note_with_a_problem_says_so_once(app_factory):
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        editor = await open_editor(pilot, LOOP_NOTE)
        editor.editor.insert("\nQ: lonely\n", (editor.editor.document.line_count - 1, 0))
        await pilot.press("ctrl+s")
        await settle(pilot)
        await settle(pilot)
        about_the_error = [n for n in app._notifications if "error" in n.message or "without 'A:'" in n.message]
        assert [n.title for n in about_the_error] == ["Saved"]
        assert "1 error to fix" in about_the_error[0].message


async def test_screenshot_goes_into_the_collection(app_factory, tui_collection, tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path / "home-without-downloads"))
    monkeypatch.setenv("XDG_DOWNLOAD_DIR", str(tmp_path / "home-without-downloads" / "Downloads"))
    app = app_factory()
    folder = tui_collection.layout.state_dir / "screenshots"
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        app.deliver_screenshot()
        for _ in range(50):
            await pilot.pause()
            if list(folder.glob("*.svg")) and any("Saved screenshot" in n.message for n in app._notifications):
                break
        assert not any(n.severity == "error" for n in app._notifications)
    shots = list(folder.glob("*.svg"))
    assert len(shots) == 1 and shots[0].read_text(encoding="utf-8").startswith("<svg")
