"""Browse: search cards by text, deck, tag and state; open one; suspend or unsuspend."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Input, Select, Static

from studyterm.collection import card_state
from studyterm.render.card import question_line
from studyterm.store import CardRecord
from studyterm.store.reports import LEECH_LAPSES, STATES
from studyterm.tui.errors import background

RESULT_LIMIT = 500


class BrowseScreen(Screen):
    BINDINGS = [
        Binding("escape", "back", "Back"),
        Binding("enter", "info", "Info", show=False),
        Binding("s", "suspend(True)", "Suspend"),
        Binding("u", "suspend(False)", "Unsuspend"),
        Binding("slash", "focus_search", "Search"),
    ]

    def compose(self) -> ComposeResult:
        collection = self.app.collection
        decks = [(node.path, node.path) for node in _deck_paths(collection.deck_tree())]
        yield Header()
        with Horizontal(id="filters"):
            yield Input(placeholder="Search text", id="search")
            yield Select(decks, prompt="deck", id="deck", compact=True)
            yield Select([(tag, tag) for tag in collection.tags()], prompt="tag", id="tag", compact=True)
            yield Select([(state, state) for state in STATES], prompt="state", id="state", compact=True)
        yield Static(id="result-count")
        yield DataTable(id="results", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#results", DataTable)
        for label, key in (("Question", "question"), ("Deck", "deck"), ("State", "state"),
                           ("Due", "due"), ("EF", "ef"), ("Lapses", "lapses"), ("Card", "id")):
            table.add_column(label, key=key)
        self.search()

    @on(Input.Changed, "#search")
    @on(Select.Changed)
    def filters_changed(self) -> None:
        self.search()

    @on(Input.Submitted, "#search")
    def to_results(self) -> None:
        self.query_one("#results", DataTable).focus()

    def search(self) -> None:
        self.run_search(
            self.query_one("#search", Input).value,
            _value(self.query_one("#deck", Select)),
            _value(self.query_one("#tag", Select)),
            _value(self.query_one("#state", Select)),
        )

    @background(group="browse")
    def run_search(self, text: str, deck: str | None, tag: str | None, state: str | None) -> None:
        cards = self.app.collection.search(text, deck=deck, tag=tag, state=state, limit=RESULT_LIMIT)
        self.app.call_from_thread(self.show_results, cards)

    def show_results(self, cards: list[CardRecord]) -> None:
        table = self.query_one("#results", DataTable)
        table.clear()
        day = self.app.collection.today()
        width = max(24, self.size.width - 62)
        for card in cards:
            schedule = card.schedule
            state = "suspended" if card.suspended else card_state(card, day)
            if schedule.lapses >= LEECH_LAPSES:
                state += " · leech"
            if card.flagged:
                state += " · flagged"
            question = question_line(card)
            if len(question) > width:
                question = question[: width - 1] + "…"
            table.add_row(
                question, card.deck, state, str(schedule.due or "-"), f"{schedule.sm2.ef:.2f}",
                str(schedule.lapses), card.id, key=card.id,
            )
        more = " (first 500)" if len(cards) >= RESULT_LIMIT else ""
        self.query_one("#result-count", Static).update(f"{len(cards)} cards{more}")

    def _selected(self) -> str | None:
        table = self.query_one("#results", DataTable)
        if not table.row_count:
            return None
        return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_info()

    def action_info(self) -> None:
        from studyterm.tui.screens.card_info import CardInfoScreen

        card_id = self._selected()
        if card_id:
            self.app.push_screen(CardInfoScreen(card_id))

    def action_suspend(self, suspended: bool) -> None:
        card_id = self._selected()
        if card_id:
            self.app.collection.suspend([card_id], suspended)
            self.notify(("Suspended " if suspended else "Unsuspended ") + card_id, timeout=2)
            self.search()

    def action_focus_search(self) -> None:
        self.query_one("#search", Input).focus()

    def action_back(self) -> None:
        self.app.pop_screen()


def _value(select: Select) -> str | None:
    value = select.value
    return value if isinstance(value, str) else None


def _deck_paths(root):
    for child in root.children:
        yield child
        yield from _deck_paths(child)
