"""The settings screen: edits studyterm.toml in place and the queue follows at once."""

from textual.widgets import Input, Select

from studyterm.config import DEFAULT_CONFIG_TEXT, DeckSettings
from studyterm.tui.screens.home import HomeScreen
from studyterm.tui.screens.settings import SettingsScreen


async def settle(pilot):
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def test_settings_save_limits_and_keep_the_files_comments(app_factory, tui_collection):
    path = tui_collection.layout.config_path
    path.write_text(DEFAULT_CONFIG_TEXT)
    app = app_factory()
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        await pilot.press("o")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, SettingsScreen)
        assert screen.query_one("#new-per-day", Input).value == "20"
        screen.query_one("#new-per-day", Input).value = "2"
        screen.query_one("#reviews-per-day", Input).value = "50"
        screen.query_one("#day-start", Select).value = "05:00"
        screen.query_one("#limit-deck", Select).value = "pytorch"
        await pilot.pause()
        deck_new = screen.query_one("#deck-new", Input)
        assert not deck_new.disabled
        deck_new.value = "1"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
    text = path.read_text()
    assert "# How many new cards the daily queue introduces." in text
    config = tui_collection.config
    assert (config.new_cards_per_day, config.reviews_per_day, config.day_starts_at.hour) == (2, 50, 5)
    assert config.decks == (("pytorch", DeckSettings(new_cards_per_day=1)),)
    assert tui_collection.counts("pytorch").new == 1
    assert tui_collection.counts().new == 2


async def test_settings_refuse_an_empty_limit_and_say_why(app_factory, tui_collection):
    app = app_factory()
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        await pilot.press("o")
        await settle(pilot)
        app.screen.query_one("#new-per-day", Input).value = ""
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, SettingsScreen)
        assert "needs a number" in str(app.screen.query_one("#settings-error").render())
        await pilot.press("escape")
        assert isinstance(app.screen, HomeScreen)
    assert not tui_collection.layout.config_path.exists()
