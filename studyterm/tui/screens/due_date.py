"""Ask for a due date (Browse's "Set due date"): a date, or +N days from today."""

from __future__ import annotations

from datetime import date

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.markup import escape
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from studyterm.schedule.reschedule import DueDateError, parse_due


class DueDateScreen(ModalScreen[date | None]):
    BINDINGS = [("escape", "cancel", "Cancel")]

    def __init__(self, today: date, what: str) -> None:
        super().__init__()
        self.today = today
        self.what = what

    def compose(self) -> ComposeResult:
        with Vertical(id="due-date-dialog") as dialog:
            dialog.border_title = "Set due date"
            yield Static(f"for {escape(self.what)}")
            yield Input(id="due-date", placeholder=f"{self.today} or +N days")
            yield Static(id="due-date-error")
            yield Static("[dim]Enter: set · Esc: cancel · new cards keep their place in line[/dim]")

    @on(Input.Submitted, "#due-date")
    def chosen(self, event: Input.Submitted) -> None:
        try:
            due = parse_due(event.value, self.today)
        except DueDateError as error:
            self.query_one("#due-date-error", Static).update(f"[$error]{escape(str(error))}[/]")
            return
        self.dismiss(due)

    def action_cancel(self) -> None:
        self.dismiss(None)
