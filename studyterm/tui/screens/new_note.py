"""New note: a title, a deck and a template; the file is created from the template and opened in
the in-app editor."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.markup import escape
from textual.screen import ModalScreen
from textual.suggester import SuggestFromList
from textual.widgets import Button, Input, Label, Select, Static

from studyterm.authoring.files import NoteError
from studyterm.authoring.templates import (
    DEFAULT_TEMPLATE,
    NewNote,
    available_templates,
    create_note,
)
from studyterm.decks import DeckNode
from studyterm.tui.errors import background


class NewNoteScreen(ModalScreen[NewNote | None]):
    BINDINGS = [("escape", "cancel", "Cancel")]

    def __init__(self, deck: str | None = None) -> None:
        super().__init__()
        self.deck = deck or ""

    def compose(self) -> ComposeResult:
        templates = list(available_templates(self.app.collection.layout))
        with Vertical(id="new-note-dialog") as dialog:
            dialog.border_title = "New note"
            yield Label("Title")
            yield Input(id="new-title", placeholder="e.g. Softmax and cross-entropy")
            yield Label("Deck (its folder under concepts/; empty: the default deck)")
            yield Input(self.deck, id="new-deck", placeholder="e.g. dlfs2/ch03")
            yield Label("Template (concepts/_templates/)")
            yield Select(
                [(name, name) for name in templates],
                value=DEFAULT_TEMPLATE if DEFAULT_TEMPLATE in templates else templates[0] if templates else Select.BLANK,
                allow_blank=not templates,
                id="new-template",
            )
            yield Static(id="new-error")
            with Horizontal(id="new-buttons"):
                yield Button("Create", id="create", variant="primary")
                yield Button("Cancel", id="cancel")

    def on_mount(self) -> None:
        self.query_one("#new-title", Input).focus()
        self.load_decks()

    @background(group="decks")
    def load_decks(self) -> None:
        paths = sorted(_deck_paths(self.app.collection.deck_tree()))
        self.app.call_from_thread(self._suggest, paths)

    def _suggest(self, paths: list[str]) -> None:
        self.query_one("#new-deck", Input).suggester = SuggestFromList(paths, case_sensitive=False)

    @on(Input.Submitted, "#new-title")
    def title_entered(self) -> None:
        self.query_one("#new-deck", Input).focus()

    @on(Input.Submitted, "#new-deck")
    @on(Button.Pressed, "#create")
    def create(self) -> None:
        title = self.query_one("#new-title", Input).value
        deck = self.query_one("#new-deck", Input).value
        template = self.query_one("#new-template", Select).value
        error = self.query_one("#new-error", Static)
        if template is Select.BLANK:
            error.update("[$error]No templates: add one to concepts/_templates/.[/]")
            return
        collection = self.app.collection
        try:
            note = create_note(collection.layout, title, deck, str(template), collection.today())
        except NoteError as problem:
            error.update(f"[$error]{escape(str(problem))}[/]")
            return
        self.dismiss(note)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


def _deck_paths(node: DeckNode):
    for child in node.children:
        yield child.path
        yield from _deck_paths(child)
