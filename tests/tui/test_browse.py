"""Browse that acts: focus, marks, actions on one card or many, the cursor kept, sorting."""

from datetime import timedelta

from textual.widgets import DataTable, Input

from studyterm.tui.screens.browse import MARK, BrowseScreen
from studyterm.tui.screens.due_date import DueDateScreen


async def settle(pilot):
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def open_browse(pilot) -> BrowseScreen:
    await settle(pilot)
    await pilot.press("b")
    await settle(pilot)
    assert isinstance(pilot.app.screen, BrowseScreen)
    return pilot.app.screen


def row_ids(table: DataTable) -> list[str]:
    return [key.value for key in table.rows]


async def test_down_and_enter_move_from_the_search_box_to_the_results(app_factory):
    app = app_factory()
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await open_browse(pilot)
        search = screen.query_one("#search", Input)
        table = screen.query_one("#results", DataTable)
        search.focus()
        await pilot.press("down")
        assert app.focused is table
        await pilot.press("slash")
        assert app.focused is search
        await pilot.press(*"epoch", "enter")
        await settle(pilot)
        assert app.focused is table
        assert table.row_count >= 1


async def test_marked_cards_are_suspended_together_and_the_cursor_stays(app_factory, tui_collection):
    app = app_factory()
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await open_browse(pilot)
        table = screen.query_one("#results", DataTable)
        table.focus()
        table.move_cursor(row=2)
        await pilot.press("space", "space")
        marked = row_ids(table)[2:4]
        assert [table.get_row(key)[0] for key in marked] == [MARK, MARK]
        cursor_on = row_ids(table)[table.cursor_row]
        await pilot.press("s")
        await settle(pilot)
        assert all(card.suspended for card in tui_collection.cards(marked))
        assert not any(card.suspended for card in tui_collection.cards(row_ids(table)[:2]))
        assert row_ids(table)[table.cursor_row] == cursor_on
        assert "suspended" in str(table.get_row(marked[0])[3])
        await pilot.press("escape")  # first Esc clears the marks
        assert isinstance(app.screen, BrowseScreen) and not screen.marked
        await pilot.press("u")  # now only the card under the cursor
        await settle(pilot)
        assert not tui_collection.card(cursor_on).suspended
        assert sum(card.suspended for card in tui_collection.cards(marked)) == len(set(marked) - {cursor_on})


async def test_unbury_and_flag_from_browse(app_factory, tui_collection):
    card = tui_collection.search("epoch")[0]
    tui_collection.bury([card.id])
    assert tui_collection.card(card.id).is_buried(tui_collection.today())
    app = app_factory()
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await open_browse(pilot)
        screen.query_one("#search", Input).value = "epoch"
        await settle(pilot)
        table = screen.query_one("#results", DataTable)
        table.focus()
        table.move_cursor(row=table.get_row_index(card.id))
        assert "buried" in str(table.get_row(card.id)[3])
        await pilot.press("b")
        await settle(pilot)
        assert not tui_collection.card(card.id).is_buried(tui_collection.today())
        await pilot.press("f")
        await settle(pilot)
        assert tui_collection.card(card.id).flagged
        await pilot.press("f")
        await settle(pilot)
        assert not tui_collection.card(card.id).flagged


async def test_set_due_date_moves_reviewed_cards_and_leaves_new_ones(app_factory, tui_collection):
    answered = tui_collection.search("epoch")[0]
    tui_collection.answer(answered.id, 4)
    fresh = next(card for card in tui_collection.search() if card.schedule.is_new)
    today = tui_collection.today()
    app = app_factory()
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await open_browse(pilot)
        table = screen.query_one("#results", DataTable)
        table.focus()
        for card_id in (answered.id, fresh.id):
            table.move_cursor(row=table.get_row_index(card_id))
            await pilot.press("space")
        await pilot.press("d")
        await settle(pilot)
        assert isinstance(app.screen, DueDateScreen)
        await pilot.press("1", "9", "9", "9", "-", "0", "1", "-", "0", "1", "enter")
        assert isinstance(app.screen, DueDateScreen)  # in the past: refused, said why
        app.screen.query_one("#due-date", Input).value = ""
        await pilot.press("+", "9", "enter")
        await settle(pilot)
        assert isinstance(app.screen, BrowseScreen)
        assert tui_collection.card(answered.id).schedule.due == today + timedelta(days=9)
        assert tui_collection.card(fresh.id).schedule.is_new
        assert tui_collection.card(fresh.id).schedule.due is None
        assert tui_collection.history(answered.id)[-1].kind == "reschedule"


async def test_sort_by_column_and_code_keeps_underscores(app_factory, tui_collection):
    lapsed = tui_collection.search("epoch")[0]
    tui_collection.answer(lapsed.id, 4)
    tui_collection.answer(lapsed.id, 1, force=True)
    app = app_factory()
    async with app.run_test(size=(160, 40)) as pilot:
        screen = await open_browse(pilot)
        table = screen.query_one("#results", DataTable)
        table.focus()
        await pilot.press("o")  # by question, ascending
        questions = [str(table.get_row(key)[1]).casefold() for key in table.rows]
        assert questions == sorted(questions)
        await pilot.click("#results", offset=(5, 0))  # a click on its header flips the order
        await pilot.pause()
        assert [str(table.get_row(key)[1]).casefold() for key in table.rows] == questions[::-1]
        screen.sort_on("lapses")
        await pilot.pause()
        lapses = [int(str(table.get_row(key)[6])) for key in table.rows]
        assert lapses == sorted(lapses)
        screen.sort_on("lapses")
        await pilot.pause()
        lapses = [int(str(table.get_row(key)[6])) for key in table.rows]
        assert lapses == sorted(lapses, reverse=True) and lapses[0] >= 1
        assert "sorted by Lapses (descending)" in str(screen.query_one("#result-count").render())
        screen.query_one("#search", Input).value = "zero_grad"
        await settle(pilot)
        assert any("optimizer.zero_grad()" in str(table.get_row(key)[1]) for key in table.rows)


async def test_enter_on_a_result_opens_its_card_info_and_e_its_note(app_factory, tui_collection, editor):
    card = tui_collection.search("epoch")[0]
    app = app_factory()
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await open_browse(pilot)
        screen.query_one("#search", Input).value = "epoch"
        await settle(pilot)
        table = screen.query_one("#results", DataTable)
        table.focus()
        table.move_cursor(row=table.get_row_index(card.id))
        await pilot.press("e")
        assert editor.calls == [(tui_collection.layout.root / card.note_path, card.line)]
