"""Browse: search cards by text, deck, tag and state; act on one card or a marked selection
(suspend, unsuspend, unbury, flag, set due date, open the note); sort by any column."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

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
MARK = "●"


@dataclass(frozen=True)
class Column:
    label: str
    key: str
    sort_key: Callable[[CardRecord, str], object] | None
    """How the column sorts (None: not sortable); gets the card and its state text."""


COLUMNS = (
    Column(" ", "mark", None),
    Column("Question", "question", lambda card, _: question_line(card).casefold()),
    Column("Deck", "deck", lambda card, _: card.deck),
    Column("State", "state", lambda _, state: state),
    Column("Due", "due", lambda card, _: card.schedule.due.isoformat() if card.schedule.due else "~"),
    Column("EF", "ef", lambda card, _: card.schedule.sm2.ef),
    Column("Lapses", "lapses", lambda card, _: card.schedule.lapses),
    Column("Card", "id", lambda card, _: card.id),
)
SORTABLE = [column.key for column in COLUMNS if column.sort_key is not None]


class BrowseScreen(Screen):
    # The footer shows the common keys; help (?) and docs/review.md list them all.
    BINDINGS = [
        Binding("escape", "back", "Back"),
        Binding("down", "to_results", "Results", show=False),
        Binding("enter", "info", "Info", show=False),
        Binding("space", "mark", "Mark"),
        Binding("s", "suspend(True)", "Suspend"),
        Binding("u", "suspend(False)", "Unsuspend", show=False),
        Binding("b", "unbury", "Unbury", show=False),
        Binding("f", "flag", "Flag"),
        Binding("d", "due_date", "Due date"),
        Binding("e", "edit", "Edit", show=False),
        Binding("E", "edit_here", "Edit here", show=False),
        Binding("o", "sort", "Sort"),
        Binding("slash", "focus_search", "Search", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.cards: list[CardRecord] = []
        self.marked: set[str] = set()
        self.sort_by: str | None = None
        self.descending = False

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
        for column in COLUMNS:
            table.add_column(column.label, key=column.key)
        self.search()

    # -- searching -------------------------------------------------------------------------

    @on(Input.Changed, "#search")
    @on(Select.Changed)
    def filters_changed(self) -> None:
        self.search()

    @on(Input.Submitted, "#search")
    def to_results(self) -> None:
        self.query_one("#results", DataTable).focus()

    def action_to_results(self) -> None:
        """Down in the search box moves to the results (elsewhere it moves as usual)."""
        if self.focused is self.query_one("#search", Input):
            self.to_results()

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
        """Fill the table, keeping the cursor on the card it was on (or at the same row)."""
        table = self.query_one("#results", DataTable)
        was_on, was_row = self._selected(), table.cursor_row
        self.cards = cards
        shown = {card.id for card in cards}
        self.marked &= shown
        day = self.app.collection.today()
        states = {card.id: _state(card, day) for card in cards}
        if self.sort_by is not None:
            column = next(column for column in COLUMNS if column.key == self.sort_by)
            cards = sorted(cards, key=lambda card: column.sort_key(card, states[card.id]),
                           reverse=self.descending)
        table.clear()
        width = max(24, self.size.width - 64)
        for card in cards:
            question = question_line(card)
            if len(question) > width:
                question = question[: width - 1] + "…"
            schedule = card.schedule
            table.add_row(
                MARK if card.id in self.marked else " ", question, card.deck, states[card.id],
                str(schedule.due or "-"), f"{schedule.sm2.ef:.2f}", str(schedule.lapses), card.id,
                key=card.id,
            )
        if was_on in shown:
            table.move_cursor(row=table.get_row_index(was_on), animate=False)
        elif table.row_count:
            table.move_cursor(row=min(was_row, table.row_count - 1), animate=False)
        self._show_count()

    def _show_count(self) -> None:
        more = f" (first {RESULT_LIMIT})" if len(self.cards) >= RESULT_LIMIT else ""
        order = ""
        if self.sort_by is not None:
            label = next(column.label for column in COLUMNS if column.key == self.sort_by)
            order = f" · sorted by {label}{' (descending)' if self.descending else ''}"
        marked = f" · {len(self.marked)} marked" if self.marked else ""
        count = len(self.cards)
        self.query_one("#result-count", Static).update(
            f"{count} card{'s' if count != 1 else ''}{more}{marked}{order}"
        )

    # -- sorting ---------------------------------------------------------------------------

    def on_data_table_header_selected(self, event: DataTable.HeaderSelected) -> None:
        event.stop()
        if event.column_key.value in SORTABLE:
            self.sort_on(event.column_key.value)

    def action_sort(self) -> None:
        """o: sort by the next column (each column ascending, then descending)."""
        if self.sort_by is None:
            self.sort_on(SORTABLE[0])
        elif not self.descending:
            self.sort_on(self.sort_by)
        else:
            self.sort_on(SORTABLE[(SORTABLE.index(self.sort_by) + 1) % len(SORTABLE)])

    def sort_on(self, key: str) -> None:
        """Sort by `key`; the same column again flips the order."""
        self.descending = not self.descending if key == self.sort_by else False
        self.sort_by = key
        self.show_results(self.cards)

    # -- acting on cards -------------------------------------------------------------------

    def _selected(self) -> str | None:
        table = self.query_one("#results", DataTable)
        if not table.row_count:
            return None
        return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value

    def targets(self) -> list[str]:
        """The marked cards in table order, or else the card under the cursor."""
        if self.marked:
            table = self.query_one("#results", DataTable)
            return [key.value for key in table.rows if key.value in self.marked]
        card_id = self._selected()
        return [card_id] if card_id else []

    def action_mark(self) -> None:
        card_id = self._selected()
        if card_id is None:
            return
        self.marked ^= {card_id}
        table = self.query_one("#results", DataTable)
        table.update_cell(card_id, "mark", MARK if card_id in self.marked else " ")
        if table.cursor_row < table.row_count - 1:
            table.move_cursor(row=table.cursor_row + 1, animate=False)
        self._show_count()

    def _acted(self, verb: str, card_ids: list[str], extra: str = "") -> None:
        what = card_ids[0] if len(card_ids) == 1 else f"{len(card_ids)} cards"
        self.notify(f"{verb} {what}{extra}.", timeout=3)
        self.search()

    def action_suspend(self, suspended: bool) -> None:
        card_ids = self.targets()
        if card_ids:
            self.app.collection.suspend(card_ids, suspended)
            self._acted("Suspended" if suspended else "Unsuspended", card_ids)

    def action_unbury(self) -> None:
        card_ids = self.targets()
        if card_ids:
            self.app.collection.unbury(card_ids)
            self._acted("Unburied", card_ids)

    def action_flag(self) -> None:
        """Flag the cards; when all of them are flagged already, remove the flag."""
        card_ids = self.targets()
        if not card_ids:
            return
        collection = self.app.collection
        flag = not all(card.flagged for card in collection.cards(card_ids))
        collection.flag(card_ids, flag)
        self._acted("Flagged" if flag else "Unflagged", card_ids)

    def action_due_date(self) -> None:
        from studyterm.tui.screens.due_date import DueDateScreen

        card_ids = self.targets()
        if not card_ids:
            return
        what = f"card {card_ids[0]}" if len(card_ids) == 1 else f"{len(card_ids)} cards"

        def chosen(due) -> None:
            if due is None:
                return
            moved, new = self.app.collection.reschedule(card_ids, due)
            if not moved:
                self.notify("New cards have no due date: they come in order, as the daily limit "
                            "allows.", severity="warning", timeout=5)
                return
            left = f" ({len(new)} new left in line)" if new else ""
            self._acted(f"Due {due}:", moved, left)

        self.app.push_screen(DueDateScreen(self.app.collection.today(), what), chosen)

    def action_edit(self) -> None:
        """The note of the card under the cursor, in $EDITOR at the card's line."""
        card_id = self._selected()
        if card_id is None:
            return
        card = self.app.collection.card(card_id)
        error = self.app.editor(self.app, self.app.collection.layout.root / card.note_path, card.line)
        if error:
            self.notify(error, severity="error")
        else:
            self.app.sync_notes()

    def action_edit_here(self) -> None:
        from studyterm.tui.screens.note_editor import open_note_editor

        card_id = self._selected()
        if card_id is not None:
            card = self.app.collection.card(card_id)
            open_note_editor(self.app, card.note_path, card.line)

    def notes_changed(self) -> None:
        self.search()

    # -- moving around ---------------------------------------------------------------------

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_info()

    def action_info(self) -> None:
        from studyterm.tui.screens.card_info import CardInfoScreen

        card_id = self._selected()
        if card_id:
            self.app.push_screen(CardInfoScreen(card_id))

    def action_focus_search(self) -> None:
        self.query_one("#search", Input).focus()

    def action_back(self) -> None:
        """Esc clears the marks first, then leaves."""
        if self.marked:
            self.marked.clear()
            self.show_results(self.cards)
        else:
            self.app.pop_screen()


def _state(card: CardRecord, day) -> str:
    state = "suspended" if card.suspended else card_state(card, day)
    if card.is_buried(day):
        state += " · buried"
    if card.schedule.lapses >= LEECH_LAPSES:
        state += " · leech"
    if card.flagged:
        state += " · flagged"
    return state


def _value(select: Select) -> str | None:
    value = select.value
    return value if isinstance(value, str) else None


def _deck_paths(root):
    for child in root.children:
        yield child
        yield from _deck_paths(child)
