"""Export a deck (Anki package, CSV/TSV, Markdown or JSON) with a progress bar; Esc cancels
and leaves any earlier export in place."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Label, ProgressBar, Select, Static

from studyterm.render.text import plural
from studyterm.tui.errors import background

FORMATS = (
    ("Anki package (.apkg)", "apkg"),
    ("CSV for Anki's text import (.csv)", "csv"),
    ("TSV for Anki's text import (.tsv)", "tsv"),
    ("Markdown concept note (.md)", "md"),
    ("JSON with scheduling and history (.json)", "json"),
)


class ExportCancelled(Exception):
    """Raised from the progress callback: the exporter then writes nothing."""


class ExportProgress(Message):
    def __init__(self, done: int, total: int) -> None:
        super().__init__()
        self.done = done
        self.total = total


class ExportDone(Message):
    def __init__(self, result=None, error: str | None = None) -> None:
        super().__init__()
        self.result = result
        self.error = error


class ExportScreen(ModalScreen):
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, deck: str | None) -> None:
        super().__init__()
        self.deck = deck
        self.cancelled = False
        self.running = False
        self.progress: tuple[int, int] = (0, 0)

    def compose(self) -> ComposeResult:
        with Vertical(id="export-dialog"):
            yield Static(f"[b]Export {self.deck or 'all decks'}[/b]", id="export-title")
            yield Select(FORMATS, value="apkg", allow_blank=False, id="export-format")
            yield Checkbox("With scheduling: intervals, ease, due dates, reviews", id="export-scheduling")
            yield Label(id="export-target")
            yield ProgressBar(id="export-progress", show_eta=False)
            yield Button("Export", variant="primary", id="export-start")

    def on_mount(self) -> None:
        self.query_one("#export-progress", ProgressBar).display = False
        self._show_target()

    @on(Select.Changed, "#export-format")
    def _format_changed(self) -> None:
        fmt = self._format()
        self.query_one("#export-scheduling", Checkbox).disabled = fmt != "apkg"
        self._show_target()

    def _format(self) -> str:
        return str(self.query_one("#export-format", Select).value)

    def _show_target(self) -> None:
        from studyterm.interop import default_export_path

        path = default_export_path(self.app.collection.layout, self.deck, self._format())
        root = self.app.collection.layout.root
        shown = path.relative_to(root) if path.is_relative_to(root) else path
        self.query_one("#export-target", Label).update(f"to {shown} (replaced if it exists)")

    @on(Button.Pressed, "#export-start")
    def start(self) -> None:
        if self.running:
            return
        self.running = True
        self.query_one("#export-start", Button).disabled = True
        self.query_one("#export-progress", ProgressBar).display = True
        scheduling = self._format() == "apkg" and self.query_one("#export-scheduling", Checkbox).value
        self.export(self._format(), scheduling)

    @background(group="export")
    def export(self, fmt: str, with_scheduling: bool) -> None:
        from studyterm.interop import InteropError, export_deck

        def progress(done: int, total: int) -> None:
            if self.cancelled:
                raise ExportCancelled
            self.post_message(ExportProgress(done, total))

        collection = self.app.collection
        try:
            collection.sync()
            result = export_deck(collection, fmt, deck=self.deck, with_scheduling=with_scheduling, progress=progress)
        except ExportCancelled:
            self.post_message(ExportDone(error="Export cancelled: nothing was written."))
        except InteropError as error:
            self.post_message(ExportDone(error=str(error)))
        else:
            self.post_message(ExportDone(result))

    def on_export_progress(self, message: ExportProgress) -> None:
        self.progress = (message.done, message.total)
        self.query_one("#export-progress", ProgressBar).update(total=message.total, progress=message.done)

    def on_export_done(self, message: ExportDone) -> None:
        self.running = False
        if message.error:
            self.app.notify(message.error, severity="warning", timeout=6)
        else:
            result = message.result
            self.app.notify(f"Exported {plural(result.cards, 'card')} ({plural(result.notes, 'note')}) to {result.path}", timeout=8)
        self.dismiss(message.result)

    def action_cancel(self) -> None:
        if self.running:
            self.cancelled = True
        else:
            self.dismiss(None)
