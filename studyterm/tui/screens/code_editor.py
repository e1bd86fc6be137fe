"""A small in-app editor for one file of the learner's lab workspace, opened at a line.

Saves are atomic and refuse to overwrite a file changed elsewhere (the note editor's rules,
authoring/files.py); closing with unsaved text asks first."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Header, Static, TextArea

from studyterm.authoring.files import NoteChangedError, NoteError, OpenNote
from studyterm.tui.screens.choice import Choice, ChoiceDialog


@cache
def python_highlighting() -> str | None:
    """"python" when tree-sitter has a Python grammar here, else plain text."""
    try:
        from textual._tree_sitter import get_language

        return "python" if get_language("python") is not None else None
    except ImportError:
        return None


class CodeEditorScreen(Screen[bool]):
    """Dismissed with True when the file was saved."""

    BINDINGS = [
        Binding("ctrl+s", "save", "Save", priority=True),
        Binding("escape", "close", "Close", priority=True),
    ]

    def __init__(self, root: Path, relative: str, line: int = 1) -> None:
        super().__init__()
        self.file = OpenNote.open(root, relative)
        self.line = max(line, 1)
        self.saved = False

    def compose(self) -> ComposeResult:
        yield Header()
        yield TextArea(self.file.text, language=python_highlighting(), id="code-text",
                       show_line_numbers=True, tab_behavior="indent", soft_wrap=False)
        yield Static(id="code-status")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = self.file.relative
        area = self.query_one("#code-text", TextArea)
        area.cursor_location = (min(self.line, area.document.line_count) - 1, 0)
        area.scroll_cursor_visible(center=True, animate=False)
        area.focus()
        self._status("ctrl+s saves · Esc closes")

    @property
    def dirty(self) -> bool:
        return self.query_one("#code-text", TextArea).text != self.file.text

    def action_save(self, overwrite: bool = False) -> bool:
        try:
            self.file.save(self.query_one("#code-text", TextArea).text, overwrite=overwrite)
        except NoteChangedError:
            self.app.push_screen(ChoiceDialog(
                "Changed on disk", f"{self.file.relative} changed since it was opened here.",
                [Choice("overwrite", "Overwrite it", "o", "error"), Choice("keep", "Keep editing", "k")],
                cancel="keep"), self._conflict)
            return False
        except (NoteError, OSError) as error:
            self.notify(str(error), title="Not saved", severity="error")
            return False
        self.saved = True
        self._status(f"saved {self.file.relative}")
        return True

    def _conflict(self, choice: str | None) -> None:
        if choice == "overwrite":
            self.action_save(overwrite=True)

    def action_close(self) -> None:
        if not self.dirty:
            self.dismiss(self.saved)
            return
        self.app.push_screen(ChoiceDialog(
            "Unsaved changes", f"Save {self.file.relative} before closing?",
            [Choice("save", "Save", "s", "primary"), Choice("discard", "Discard", "d", "error"),
             Choice("keep", "Keep editing", "k")], cancel="keep"), self._closing)

    def _closing(self, choice: str | None) -> None:
        if choice == "save" and self.action_save():
            self.dismiss(True)
        elif choice == "discard":
            self.dismiss(self.saved)

    def _status(self, text: str) -> None:
        self.query_one("#code-status", Static).update(f"[dim]{text}[/dim]")
