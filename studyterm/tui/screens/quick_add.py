"""Quick add: one more Q/A card in the note of the card being reviewed, without leaving it."""

from __future__ import annotations

from textual import events, on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.markup import escape
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from studyterm.authoring.files import NoteError
from studyterm.authoring.quick_add import Added, add_recall


class QuestionInput(Input):
    """The question field. Keys typed right after Enter may already be on their way here before
    the answer field has the focus: they are handed on to the answer field, in order."""

    handed_to: Input | None = None

    async def _on_key(self, event: events.Key) -> None:
        if self.handed_to is None:
            if event.key == "enter":  # its binding submits later, after the keys queued here
                self.handed_to = self.screen.query_one("#qa-answer", Input)
            await super()._on_key(event)
            return
        event.stop()
        event.prevent_default()
        self.handed_to.post_message(events.Key(event.key, event.character))

    def _on_focus(self, event: events.Focus) -> None:
        self.handed_to = None  # the learner came back to edit the question
        super()._on_focus(event)


class QuickAddScreen(ModalScreen[Added | None]):
    BINDINGS = [("escape", "cancel", "Cancel")]

    def __init__(self, note_path: str) -> None:
        super().__init__()
        self.note_path = note_path

    def compose(self) -> ComposeResult:
        with Vertical(id="quick-add-dialog") as dialog:
            dialog.border_title = "Add a card"
            yield Static(f"to {escape(self.note_path)}", id="quick-add-heading")
            yield QuestionInput(id="qa-question", placeholder="Question")
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
