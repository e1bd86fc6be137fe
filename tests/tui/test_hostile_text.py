"""A note or an imported deck cannot drive the terminal through the review app: what Textual
writes to the terminal holds none of the note's control sequences (Textual itself passes ESC and
the C1 controls through: checked here on the real rendering path, not assumed)."""

from studyterm.quiz import Mode
from studyterm.tui.screens.home import HomeScreen
from studyterm.tui.screens.review import ReviewScreen
from tests.conftest import write_note

EVIL = (
    "\x1b]0;pwned\x07"  # window title
    "\x1b[2J"  # clear the screen
    "\x1b]52;c;cm0gLXJmIH4=\x07"  # write the clipboard
    "\x1b]8;;https://evil.example\x1b\\click\x1b]8;;\x1b\\"  # a hidden link
    "\x9b31m"  # an 8-bit CSI
)
FORBIDDEN = ("\x1b]0;", "\x1b[2J", "\x1b]52", "evil.example\x1b", "\x9b", "\x07")


def terminal_output(app) -> str:
    """Exactly what the app would write to the terminal for a full redraw of its screen."""
    update = app.screen._compositor.render_update(full=True)
    return update.render_segments(app.console)


async def settle(pilot):
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def test_a_hostile_note_and_deck_reach_the_screen_without_their_escapes(
    app_factory, tui_collection, sample_root
):
    folder = EVIL.replace("/", "")
    write_note(sample_root, f"concepts/aaa{folder}/evil.md", f"Q: What {EVIL} is this?\nA: It is {EVIL} text.\n")
    tui_collection.sync()
    assert tui_collection.search(deck=f"aaa{folder}")
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        home = terminal_output(app)
        assert "aaa" in home
        assert not [s for s in FORBIDDEN if s in home]

        app.start_review(f"aaa{folder}", Mode.FLASH)
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen)
        await pilot.press("space")
        await settle(pilot)
        shown = terminal_output(app)
        assert "What" in shown and "It is" in shown and "click" in shown
        assert not [s for s in FORBIDDEN if s in shown]


async def test_a_notification_with_a_hostile_file_name_is_harmless(app_factory):
    app = app_factory()
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        app.notify(f"concepts/{EVIL}.md:3: a problem", title="Problems in your notes")
        await settle(pilot)
        shown = terminal_output(app)
        assert "a problem" in shown
        assert not [s for s in FORBIDDEN if s in shown]
