"""The session worksheet: five short answers after a session, kept with it (`studyterm log`)."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from studyterm.session import WORKSHEET


class WorksheetScreen(ModalScreen[dict[str, str] | None]):
    """Answers are optional; ctrl+s (or Save) keeps them, Esc leaves without saving."""

    BINDINGS = [
        Binding("ctrl+s", "save", "Save", priority=True),
        Binding("escape", "cancel", "Cancel"),
    ]

    def __init__(self, session_id: int, answers: dict[str, str] | None = None) -> None:
        super().__init__()
        self.session_id = session_id
        self.answers = answers or {}

    def compose(self) -> ComposeResult:
        with Vertical(id="worksheet"):
            yield Static("[b]Session worksheet[/b]  [dim](every answer is optional)[/dim]")
            for key, question in WORKSHEET:
                yield Label(question)
                yield Input(self.answers.get(key, ""), id=f"ws-{key}", compact=True)
            yield Static("[dim]Enter: next · ctrl+s: save · Esc: leave without saving[/dim]")
            yield Button("Save", id="ws-save", variant="primary", compact=True)

    def on_mount(self) -> None:
        self.query_one(f"#ws-{WORKSHEET[0][0]}", Input).focus()

    @on(Input.Submitted)
    def next_field(self, event: Input.Submitted) -> None:
        keys = [key for key, _ in WORKSHEET]
        index = keys.index(event.input.id.removeprefix("ws-"))
        if index + 1 < len(keys):
            self.query_one(f"#ws-{keys[index + 1]}", Input).focus()
        else:
            self.action_save()

    @on(Button.Pressed, "#ws-save")
    def action_save(self) -> None:
        answers = {key: self.query_one(f"#ws-{key}", Input).value for key, _ in WORKSHEET}
        kept = self.app.collection.save_worksheet(self.session_id, answers)
        self.dismiss(kept)

    def action_cancel(self) -> None:
        self.dismiss(None)
