"""Every lab in the collection, with its cards and its last result; Enter opens one."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from studyterm.labs.feedback import verdict_of

COLUMNS = ("Lab", "Title", "Holes", "Cards", "Runs", "Last result")
TITLE_WIDTH = 36
"""A long title is cut (the lab screen shows it whole): the last result stays in 100 columns."""


class LabListScreen(Screen):
    BINDINGS = [
        Binding("enter", "open", "Open", priority=True),
        Binding("escape", "back", "Back"),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="lab-list-problems")
        yield DataTable(id="lab-list", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = "labs"
        self.refresh_list()

    def on_screen_resume(self) -> None:
        self.refresh_list()

    def refresh_list(self) -> None:
        labs = self.app.labs
        catalog = labs.catalog()
        summaries = labs.summaries()
        rows = []
        for lab_id, spec in sorted(catalog.labs.items()):
            summary = summaries.get(lab_id)
            last = summary.last_run if summary else None
            rows.append((lab_id, (
                lab_id,
                spec.title if len(spec.title) <= TITLE_WIDTH else spec.title[: TITLE_WIDTH - 1] + "…",
                _holes(labs, spec),
                str(summary.cards if summary else 0),
                str(summary.runs if summary else 0),
                verdict_of(last) if last else "never run",
            )))
        # Explicit widths: the automatic ones, measured before the first paint, cut every
        # column to a few characters.
        widths = [max(len(label), *(len(cells[index]) for _, cells in rows))
                  for index, label in enumerate(COLUMNS)] if rows else [len(label) for label in COLUMNS]
        widths[1] = min(widths[1], TITLE_WIDTH)
        table = self.query_one("#lab-list", DataTable)
        table.clear(columns=True)
        for label, width in zip(COLUMNS, widths, strict=True):
            table.add_column(label, width=width)
        for lab_id, cells in rows:
            table.add_row(*cells, key=lab_id)
        problems = "\n".join(f"[b $warning]{p.format()}[/]" for p in catalog.problems)
        empty = "" if catalog.labs else "No labs yet: add folders with a lab.toml under labs/ (docs/labs.md)."
        self.query_one("#lab-list-problems", Static).update(problems or empty)

    def action_open(self) -> None:
        from studyterm.tui.screens.lab import LabScreen

        table = self.query_one("#lab-list", DataTable)
        if table.row_count:
            lab_id = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
            self.app.push_screen(LabScreen(lab_id))

    def action_back(self) -> None:
        self.app.pop_screen()


def _holes(labs, spec) -> str:
    if not spec.is_exercise:
        return "demo"
    state = labs.exercise_state(spec.id)
    if not state.started:
        return f"{len(spec.holes)} to write"
    return f"{state.passing}/{len(spec.holes)} passing"
