"""Quick add: one more Q/A card in the note of the card being reviewed, without leaving it."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.markup import escape
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from studyterm.authoring.files import NoteError
from studyterm.authoring.quick_add import Added, add_recall


class QuickAddScreen(ModalScreen[Added | None]):
    BINDINGS = [("escape", "cancel", "Cancel")]

    def __init__(self, note_path: str) -> None:
        super().__init__()
        self.note_path = note_path

    def compose(self) -> ComposeResult:
        with Vertical(id="quick-add-dialog") as dialog:
            dialog.border_title = "Add a card"
            yield Static(f"to {escape(self.note_path)}", id="quick-add-heading")
            yield Input(id="qa-question", placeholder="Question")
            yield Input(id="qa-answer", placeholder="Answer")
            yield Static(id="qa-error")
            yield Static("[dim]Enter: next field, then add · Esc: cancel[/dim]")

    def on_mount(self) -> None:
        self.query_one("#qa-question", Input).focus()

    @on(Input.Submitted, "#qa-question")
    def question_entered(self) -> None:
        self.query_one("#qa-answer", Input).focus()

    @on(Input.Submitted, "#qa-answer")
    def add(self) -> None:
        question = self.query_one("#qa-question", Input).value
        answer = self.query_one("#qa-answer", Input).value
        try:
            added = add_recall(self.app.collection.layout.root, self.note_path, question, answer)
        except NoteError as error:
            self.query_one("#qa-error", Static).update(f"[$error]{escape(str(error))}[/]")
            return
        self.dismiss(added)

    def action_cancel(self) -> None:
        self.dismiss(None)
