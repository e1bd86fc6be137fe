"""The in-app note editor: the note's Markdown beside the cards it will make and its problems,
updated as you type. Saves are atomic and ask before overwriting a file changed elsewhere; what
is typed but not saved is kept as a draft (every few idle seconds, and when the app closes)."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

from textual import on
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Footer, Header, Static, TextArea
from textual.worker import get_current_worker

from studyterm.authoring.drafts import Draft, Drafts
from studyterm.authoring.files import NoteChangedError, NoteError, OpenNote, refuse_foreign
from studyterm.authoring.preview import NotePreview, lab_ids, preview_note
from studyterm.notes.identity import KnownCard
from studyterm.sync import SyncReport
from studyterm.tui.app import NotesSynced
from studyterm.tui.errors import background
from studyterm.tui.screens import note_dialogs
from studyterm.tui.widgets.note_preview import NotePreviewList, saved_message, summary_markup

PREVIEW_DELAY_S = 0.15
"""Typing pauses this long before the preview is rebuilt."""
DRAFT_DELAY_S = 2.0
"""Typing pauses this long before the draft is written."""
DRAFT_EVERY_S = 10.0
"""And while typing goes on without a pause, the draft is written this often."""


@cache
def markdown_highlighting() -> str | None:
    """"markdown" when tree-sitter and its Markdown grammar are installed, else plain text."""
    try:
        from textual._tree_sitter import get_language

        return "markdown" if get_language("markdown") is not None else None
    except ImportError:
        return None


def open_note_editor(
    app: App, relative: str, line: int = 1, column: int = 0,
    on_close: Callable[[bool | None], None] | None = None,
) -> bool:
    """Open a note in the in-app editor; False (and a message) when it cannot be read as text.
    A note deleted since a draft of it was kept opens empty, with the draft offered back.
    `on_close` gets True when the note was saved."""
    root = app.collection.layout.root
    try:
        refuse_foreign(root, relative)
        note = OpenNote.open(root, relative)
    except NoteError as error:
        if (root / relative).exists() or Drafts(app.collection.layout).load(relative) is None:
            app.notify(str(error), title="Cannot open the note", severity="error", timeout=8)
            return False
        note = OpenNote(root, relative, "", None)  # deleted since its draft was typed: recoverable
    app.push_screen(NoteEditorScreen(note, line, column), on_close)
    return True


class NoteEditorScreen(Screen[bool]):
    BINDINGS = [
        Binding("ctrl+s", "save", "Save", priority=True),
        Binding("f8", "next_problem", "Next problem"),
        Binding("escape", "close", "Close"),
    ]

    def __init__(self, note: OpenNote, line: int = 1, column: int = 0) -> None:
        super().__init__()
        self.note = note
        self.start = (max(line, 1) - 1, max(column, 0))
        self.saved = False
        """True once this editor saved the note (the review then re-reads its card)."""
        self.keep_no_draft = False
        self.disk_changed = False
        self.preview: NotePreview | None = None
        self.known: list[KnownCard] = []
        self.labs: frozenset[str] = frozenset()
        self.generation = 0
        self.drafted_text = note.text
        """The text last written as a draft, or the file's: nothing to write while it is this."""
        self.preview_timer: Timer | None = None
        self.draft_timer: Timer | None = None
        self.editor = TextArea(
            note.text,
            language=markdown_highlighting(),
            soft_wrap=True,
            show_line_numbers=True,
            id="note-text",
        )

    @property
    def drafts(self) -> Drafts:
        return Drafts(self.app.collection.layout)

    @property
    def dirty(self) -> bool:
        return self.editor.text != self.note.text

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="editor-body"):
            yield self.editor
            with Vertical(id="preview-pane"):
                yield Static(id="preview-summary")
                yield NotePreviewList(id="preview")
        yield Static(id="editor-status")
        yield Footer()

    def on_mount(self) -> None:
        collection = self.app.collection
        self.sub_title = self.note.relative
        self.known = collection.note_cards(self.note.relative)
        self.labs = lab_ids(collection.layout.labs)
        self.editor.move_cursor(self.start, center=True)
        self.editor.focus()
        self.update_status()
        self.start_preview()
        self.set_interval(DRAFT_EVERY_S, self.autosave)
        draft = self.drafts.recoverable(self.note)
        if draft is not None:
            self.offer_draft(draft)

    # -- preview ---------------------------------------------------------------------------

    @on(TextArea.Changed, "#note-text")
    def text_changed(self) -> None:
        self.update_status()
        self.preview_timer = _restart(self.preview_timer, self.set_timer(PREVIEW_DELAY_S, self.start_preview))
        self.draft_timer = _restart(self.draft_timer, self.set_timer(DRAFT_DELAY_S, self.autosave))

    def start_preview(self) -> None:
        self.generation += 1
        self.build_preview(self.editor.text, self.generation)

    @background(group="preview")
    def build_preview(self, text: str, generation: int) -> None:
        preview = preview_note(text, self.note.relative, self.known, self.labs)
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self.show_preview, preview, generation)

    def show_preview(self, preview: NotePreview, generation: int) -> None:
        if generation != self.generation:
            return  # the text changed again since: a newer preview is on its way
        self.preview = preview
        self.query_one("#preview-summary", Static).update(summary_markup(preview))
        self.query_one("#preview", NotePreviewList).show(preview)

    @on(NotePreviewList.Jump)
    def jump(self, message: NotePreviewList.Jump) -> None:
        self.go_to_line(message.line)

    def go_to_line(self, line: int) -> None:
        self.editor.move_cursor((line - 1, 0), center=True)
        self.editor.focus()

    def action_next_problem(self) -> None:
        if self.preview is None or not self.preview.problems:
            self.notify("No problems in this note.", timeout=2)
            return
        here = self.editor.cursor_location[0] + 1
        lines = [problem.line for problem in self.preview.problems]
        self.go_to_line(next((line for line in lines if line > here), lines[0]))

    # -- saving ----------------------------------------------------------------------------

    def action_save(self, overwrite: bool = False) -> None:
        text = self.editor.text
        try:
            self.note.save(text, overwrite=overwrite)
        except NoteChangedError:
            self.ask_about_conflict()
            return
        except OSError as error:
            self.notify(f"Not saved: {error.strerror or error}. Your text is kept as a draft.", severity="error")
            self.store_draft()
            return
        self.drafts.discard(self.note.relative)
        self.drafted_text = text
        self.saved = True
        self.disk_changed = False
        self.update_status()
        self.sync_after_save(text, list(self.known))

    @background(group="sync")
    def sync_after_save(self, text: str, known_before: list[KnownCard]) -> None:
        collection = self.app.collection
        saved = preview_note(text, self.note.relative, known_before, self.labs)
        report = collection.sync()
        known = collection.note_cards(self.note.relative)
        self.app.call_from_thread(self.after_sync, report, known, saved)

    def after_sync(self, report: SyncReport, known: list[KnownCard], saved: NotePreview) -> None:
        # The saved notice names this note's errors: the app's "Problems in your notes" notice
        # would say it a second time.
        self.app.reported_problems |= {error for error in report.errors if error[0] == self.note.relative}
        self.app.post_message(NotesSynced(report))
        self.notify(saved_message(saved), title="Saved", timeout=4)
        if self.is_attached:
            self.known = known
            self.start_preview()

    def ask_about_conflict(self) -> None:
        self.app.push_screen(note_dialogs.conflict(self.note.relative), self.resolve_conflict)

    def resolve_conflict(self, choice: str | None) -> None:
        if choice == "overwrite":
            self.action_save(overwrite=True)
        elif choice == "reload":
            self.reload_from_disk()

    def reload_from_disk(self) -> None:
        try:
            text = self.note.reload()
        except NoteError as error:
            self.notify(str(error), severity="error")
            return
        where = self.editor.cursor_location
        self.editor.load_text(text)
        last = self.editor.document.line_count - 1
        self.editor.move_cursor((min(where[0], last), where[1]))
        self.drafts.discard(self.note.relative)
        self.drafted_text = text
        self.disk_changed = False
        self.update_status()
        self.start_preview()

    # -- drafts ----------------------------------------------------------------------------

    def autosave(self) -> None:
        """Written on the UI thread, after an idle pause: a few kilobytes, and no race with a
        save that discards the draft meanwhile."""
        if self.is_attached and not self.keep_no_draft:
            self.store_draft()

    def store_draft(self) -> None:
        text = self.editor.text
        if text == self.drafted_text:
            return
        try:
            if text == self.note.text:
                self.drafts.discard(self.note.relative)
            else:
                self.drafts.save(self.note.relative, text, self.note.digest, self.app.collection.now())
            self.drafted_text = text
        except OSError as error:
            self.notify(f"Could not keep a draft: {error.strerror or error}", severity="error")

    def on_unmount(self) -> None:
        """Closing the app (or a crash) with unsaved text keeps it as a draft."""
        if self.dirty and not self.keep_no_draft:
            self.store_draft()

    def offer_draft(self, draft: Draft) -> None:
        def answer(choice: str | None) -> None:
            if choice == "recover":
                self.note.digest = draft.base_digest  # a file changed since still asks at save
                self.editor.load_text(draft.text)
                self.drafted_text = draft.text
                self.update_status()
                self.start_preview()
            elif choice == "discard":
                self.drafts.discard(self.note.relative)
            else:  # not now: close the note, so that nothing typed here can replace the draft
                self.keep_no_draft = True
                self.dismiss(False)

        dialog = note_dialogs.draft(self.note.relative, draft.saved_at, draft.file_changed_since(self.note))
        self.app.push_screen(dialog, answer)

    # -- leaving and outside changes ---------------------------------------------------------

    def action_close(self) -> None:
        if not self.dirty:
            self.dismiss(self.saved)
            return
        self.app.push_screen(note_dialogs.unsaved(self.note.relative), self.leave)

    def leave(self, choice: str | None) -> None:
        if choice == "save":
            self.action_save()
            if not self.dirty:
                self.dismiss(True)
        elif choice == "draft":
            self.store_draft()
            self.keep_no_draft = True  # written now: unmounting need not write it again
            self.dismiss(self.saved)
        elif choice == "discard":
            self.keep_no_draft = True
            self.drafts.discard(self.note.relative)
            self.dismiss(self.saved)

    def note_files_changed(self, paths: set[str]) -> None:
        """Another program changed files under concepts/ (the app's watcher)."""
        if self.note.relative not in paths or not self.note.changed_on_disk():
            return
        if not self.dirty:
            self.reload_from_disk()
            self.notify(f"Reloaded {self.note.relative}: it changed on disk.", timeout=4)
            return
        self.disk_changed = True
        self.update_status()
        self.notify(
            f"{self.note.relative} changed on disk; saving will ask before overwriting.",
            severity="warning", timeout=6,
        )

    def notes_changed(self) -> None:
        """A sync changed cards: this note's stored cards may be others now."""
        self.reload_known()

    @background(group="known")
    def reload_known(self) -> None:
        known = self.app.collection.note_cards(self.note.relative)
        self.app.call_from_thread(self._set_known, known)

    def _set_known(self, known: list[KnownCard]) -> None:
        self.known = known
        self.start_preview()

    def update_status(self) -> None:
        if self.dirty:
            state = "[b $warning]● modified[/] [dim](a draft is kept)[/dim]"
        else:
            state = "[$success]✓ saved[/]"
        disk = " · [b $error]changed on disk: saving will ask[/]" if self.disk_changed else ""
        self.query_one("#editor-status", Static).update(
            f"{state}{disk} · [dim]tab: the preview; enter on a card or problem goes to its line[/dim]"
        )


def _restart(old: Timer | None, new: Timer) -> Timer:
    if old is not None:
        old.stop()
    return new
