"""Browse, card info, help, the command palette and the home screen's keys."""

from textual.widgets import DataTable, Input, Select

from studyterm.tui.screens.browse import BrowseScreen
from studyterm.tui.screens.card_info import CardInfoScreen
from studyterm.tui.screens.help import HelpScreen
from studyterm.tui.screens.home import HomeScreen
from studyterm.tui.screens.review import ReviewScreen


async def settle(pilot):
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def test_home_lists_every_deck_with_counts(app_factory, tui_collection):
    app = app_factory()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        table = app.screen.query_one("#decks", DataTable)
        rows = {key.value: table.get_row(key) for key in table.rows}
        assert set(rows) == {"*", "dlfs2", "dlfs2/ch01", "pytorch"}
        total = tui_collection.store.card_count()
        assert rows["*"][3] == str(total)
        assert str(rows["pytorch"][2]) == str(len(tui_collection.search(deck="pytorch", state="new")))


async def test_home_review_starts_on_the_selected_deck(app_factory):
    app = app_factory()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        table = app.screen.query_one("#decks", DataTable)
        table.move_cursor(row=table.get_row_index("pytorch"))
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen)
        assert app.screen.session.deck == "pytorch"
        assert app.screen.session.current.card.deck == "pytorch"


async def test_browse_search_filters_and_unsuspends(app_factory, tui_collection):
    card = tui_collection.search("epoch")[0]
    tui_collection.suspend([card.id])
    app = app_factory()
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        await pilot.press("b")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, BrowseScreen)
        screen.query_one("#state", Select).value = "suspended"
        await settle(pilot)
        table = screen.query_one("#results", DataTable)
        assert [key.value for key in table.rows] == [card.id]
        table.focus()
        await pilot.press("u")
        await settle(pilot)
        assert not tui_collection.card(card.id).suspended
        assert table.row_count == 0

        screen.query_one("#state", Select).clear()
        screen.query_one("#search", Input).value = "softmax"
        await settle(pilot)
        found = [key.value for key in table.rows]
        assert found and all("softmax" in tui_collection.card(i).question + tui_collection.card(i).answer for i in found)


async def test_card_info_shows_history(app_factory, tui_collection):
    card = tui_collection.search("epoch")[0]
    tui_collection.answer(card.id, 4, duration_ms=3000)
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.push_screen(CardInfoScreen(card.id))
        await settle(pilot)
        history = app.screen.query_one("#history", DataTable)
        assert history.row_count == 1
        row = history.get_row_at(0)
        assert (row[1], row[2], row[3]) == ("review", "4", "2.50→2.50")
        await pilot.press("escape")
        assert isinstance(app.screen, HomeScreen)


async def test_help_opens_and_closes(app_factory):
    app = app_factory()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        assert isinstance(app.screen, HomeScreen)


async def test_command_palette_offers_the_main_actions(app_factory):
    app = app_factory()
    async with app.run_test(size=(100, 30)):
        titles = {command.title for command in app.get_system_commands(app.screen)}
        assert {"Review", "Typed quiz", "Multiple-choice quiz", "Browse cards", "Sync notes", "Theme"} <= titles


async def test_background_sync_picks_up_a_new_note(app_factory, sample_root, tui_collection):
    (sample_root / "concepts" / "new.md").write_text("fresh :: card\n", encoding="utf-8")
    app = app_factory(sync_on_start=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await settle(pilot)
        assert [c.question for c in tui_collection.search("fresh")] == ["fresh"]


async def test_the_chosen_theme_is_remembered(app_factory, tmp_path):
    path = tmp_path / "config" / "app.json"
    app = app_factory(preferences_path=path)
    async with app.run_test(size=(100, 30)) as pilot:
        app.theme = "nord"
        await pilot.pause()
    assert '"theme": "nord"' in path.read_text()
    again = app_factory(preferences_path=path)
    async with again.run_test(size=(100, 30)):
        assert again.theme == "nord"
    path.write_text("{not json")
    broken = app_factory(preferences_path=path)
    async with broken.run_test(size=(100, 30)):
        assert broken.theme == "textual-dark"


async def test_export_a_deck_with_a_progress_bar(app_factory, sample_root):
    from studyterm.tui.screens.export import ExportScreen

    app = app_factory()
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await settle(pilot)
        table = app.screen.query_one("#decks", DataTable)
        table.move_cursor(row=table.get_row_index("pytorch"))
        await pilot.press("x")
        await settle(pilot)
        assert isinstance(app.screen, ExportScreen)
        dialog = app.screen
        await pilot.click("#export-start")
        await settle(pilot)
        done, total = dialog.progress
        assert done == total == len(app.collection.search(deck="pytorch"))
        assert isinstance(app.screen, HomeScreen)
    package = sample_root / "decks" / "pytorch.apkg"
    assert package.is_file() and package.stat().st_size > 1000
    assert any("Exported" in n.message for n in app._notifications)


async def test_cancelling_an_export_writes_nothing(app_factory, sample_root):
    from studyterm.tui.screens.export import ExportScreen

    app = app_factory()
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await settle(pilot)
        screen = ExportScreen(None)
        screen.cancelled = True  # as if Esc came before the first progress report
        app.push_screen(screen)
        await pilot.pause()
        await pilot.click("#export-start")
        await settle(pilot)
    assert not (sample_root / "decks" / "all.apkg").exists()
    assert any("cancelled" in n.message for n in app._notifications)
