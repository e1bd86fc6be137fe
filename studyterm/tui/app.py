"""The app and its factory: every outside dependency (collection, clock, editor, lab runner) is
handed in, so tests run it with a temporary collection, a fixed clock and fakes."""

from __future__ import annotations

import io
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from textual.app import App, SystemCommand
from textual.message import Message
from textual.screen import Screen

from studyterm.collection import Collection
from studyterm.quiz import Mode
from studyterm.sync import SyncReport
from studyterm.tui import preferences, safe_output
from studyterm.tui.commands import NoteCommands, SchedulerCommands
from studyterm.tui.ending import Ending
from studyterm.tui.errors import Failure, background, keep, keep_exception, summarize
from studyterm.tui.services import EditorLauncher, ViewerLauncher, system_viewer, terminal_editor


@dataclass(frozen=True)
class StartSession:
    """Open straight into a review session (`studyterm review --deck X --mode typed`)."""

    deck: str | None = None
    mode: Mode = Mode.FLASH


class NotesSynced(Message):
    """A background sync finished; screens refresh their counts."""

    def __init__(self, report: SyncReport) -> None:
        super().__init__()
        self.report = report


class NoteFilesChanged(Message):
    """Another program changed files under concepts/ (the watcher saw it)."""

    def __init__(self, paths: set[str]) -> None:
        super().__init__()
        self.paths = paths


class StudytermApp(App[None]):
    CSS_PATH = "studyterm.tcss"
    TITLE = "studyterm"

    BINDINGS = [("question_mark", "help", "Help")]
    COMMANDS = App.COMMANDS | {NoteCommands, SchedulerCommands}

    def __init__(
        self,
        collection: Collection,
        *,
        monotonic: Callable[[], float] | None = None,
        editor: EditorLauncher = terminal_editor,
        viewer: ViewerLauncher = system_viewer,
        lab_runner: Any | None = None,
        start: StartSession | None = None,
        sync_on_start: bool = True,
        watch: bool = True,
        notices: Iterable[str] = (),
        question_shown: Callable[[str], None] | None = None,
        preferences_path: Path | None = None,
    ) -> None:
        from studyterm.tui.driver import driver_class

        super().__init__(driver_class=driver_class())
        safe_output.install()
        self.collection = collection
        self.monotonic = monotonic or (lambda: collection.now().timestamp())
        """Seconds for the card timer: from the collection's clock unless a test hands in its
        own, so that cards and sessions are timed by the same clock (--now included)."""
        self.editor = editor
        self.viewer = viewer
        """Opens a picture in the system's viewer (a fake in tests)."""
        self.lab_runner = lab_runner
        """What runs labs (a fake in tests); None: the real subprocess runner."""
        self._labs = None
        self.start = start
        self.sync_on_start = sync_on_start
        self.watch_files = watch
        """Re-sync when files under concepts/ change (off in tests that need a still world)."""
        self.watch_stop = threading.Event()
        self.reported_problems: set = set()
        """Problems already shown: a sync after every outside edit repeats only new ones."""
        self.notices = list(notices)
        self.question_shown = question_shown
        """Called with the card id once a question is on screen (after the frame is drawn):
        the hook benchmarks and scripted checks use."""
        self.preferences_path = preferences_path
        """Where the chosen theme is remembered (None in tests: nothing is written)."""
        self.last_summary = None
        """The summary of the last session finished in this run (for `review --json`)."""
        self.sync_worker = None
        self._background_started = False
        self.ending = Ending(self)
        """SIGHUP, SIGTERM and SIGINT end the app the normal way, or for sure after a few seconds."""
        self.failure: Failure | None = None
        """The unexpected error that stopped the app, if one did (the entry point reports it)."""
        self.sub_title = collection.layout.root.name

    def on_mount(self) -> None:
        from studyterm.tui.screens.home import HomeScreen

        theme = preferences.load(self.preferences_path).get("theme")
        if isinstance(theme, str) and theme in self.available_themes:
            self.theme = theme
        self.theme_changed_signal.subscribe(self, self._remember_theme)

        self.push_screen(HomeScreen())
        if self.start is not None:
            self.start_review(self.start.deck, self.start.mode)
        for notice in self.notices:
            self.notify(notice, timeout=8)
        # The sync's file walk and the watcher's set-up would slow the first paint: they start
        # once the first question or the home counts are on screen (or after 2 s at the latest).
        self.set_timer(2.0, self.content_shown)
        if not self.is_headless:
            self.ending.install()

    def content_shown(self) -> None:
        """Something worth reading is on screen: start the background work, once."""
        if self._background_started:
            return
        self._background_started = True
        if self.sync_on_start and self.sync_worker is None:
            self.sync_worker = self.sync_notes()
        if self.watch_files:
            self.follow_notes()

    def _handle_exception(self, error: Exception) -> None:
        """Textual's way out for an exception nothing caught: it sets exit status 1 and prints a
        long traceback (with local variables). The traceback goes to the error log instead; the
        entry point prints one line."""
        self.failure = self.failure or keep_exception(self.collection.layout.state_dir, self.collection.now(), error)
        super()._handle_exception(error)
        self._exit_renderables.clear()

    def panic(self, *renderables) -> None:
        """Textual's other way out (its input thread failed), which would exit with status 0."""
        details = "\n".join(_plain(renderable) for renderable in renderables)
        what = (details.strip().splitlines() or ["the terminal input failed"])[-1]
        self.failure = self.failure or keep(self.collection.layout.state_dir, self.collection.now(), what, details)
        self._return_code = self._return_code or 1
        super().panic()

    def report_failure(self, error: Exception) -> None:
        """A background task failed: keep the traceback, say so in one line, go on."""
        failure = keep_exception(self.collection.layout.state_dir, self.collection.now(), error)
        self.notify(f"{summarize(error)}; {failure.details()}.", title="Something went wrong",
                    severity="error", timeout=10)

    def keep_unsaved_work(self) -> None:
        """The app is being ended from outside: write every draft now (the normal way out writes
        them too, unless a terminal that is gone holds it up)."""
        for screen in self.screen_stack:
            autosave = getattr(screen, "autosave", None)
            if autosave is not None:
                autosave()

    def deliver_screenshot(self, filename: str | None = None, path: str | None = None,
                           time_format: str | None = None) -> str | None:
        """The palette's Screenshot saves into the collection (.studyterm/screenshots/), not
        ~/Downloads, which many machines do not have."""
        if path is None:
            folder = self.collection.layout.state_dir / "screenshots"
            try:
                folder.mkdir(parents=True, exist_ok=True)
            except OSError as error:
                self.notify(f"Cannot save a screenshot in {folder}: {error.strerror or error}",
                            title="Screenshot", severity="error")
                return None
            path = str(folder)
        return super().deliver_screenshot(filename, path, time_format)

    def on_unmount(self) -> None:
        self.watch_stop.set()  # the watcher's thread must end, or the app cannot exit

    def _remember_theme(self, theme) -> None:
        settings = preferences.load(self.preferences_path)
        settings["theme"] = theme.name
        preferences.save(self.preferences_path, settings)

    async def wait_for_first_sync(self) -> None:
        """A session on a collection that was never synced waits for its notes; otherwise it
        starts from the database at once and the background sync catches up."""
        if not self.sync_on_start or self.collection.store.ever_synced():
            return
        if self.sync_worker is None:
            self.sync_worker = self.sync_notes()
        try:
            await self.sync_worker.wait()
        except Exception:  # the worker reports its own failure; the session goes on
            pass

    @property
    def labs(self):
        """The labs API on this collection, created on first use (the runner is light, but
        nothing about labs needs loading before a lab is opened)."""
        if self._labs is None:
            from studyterm.labs import Labs

            self._labs = Labs(self.collection, runner=self.lab_runner)
        return self._labs

    def open_lab(self, lab_id: str | None = None, card_id: str | None = None) -> None:
        """The lab screen of `lab_id` (a card's link: `LAB` or `LAB#HOLE`, which selects the
        hole), or the list of labs."""
        from studyterm.labs import LabError
        from studyterm.notes.frontmatter import split_lab_link

        if lab_id is None:
            from studyterm.tui.screens.lab_list import LabListScreen

            self.push_screen(LabListScreen())
            return
        lab_id, hole = split_lab_link(lab_id)
        try:
            self.labs.spec(lab_id)
        except LabError as error:
            self.notify(str(error), title="Lab not available", severity="error", timeout=8)
            return
        from studyterm.tui.screens.lab import LabScreen

        self.push_screen(LabScreen(lab_id, card_id=card_id, hole=hole))

    def start_review(self, deck: str | None, mode: Mode) -> None:
        from studyterm.tui.screens.review import ReviewScreen

        self.push_screen(ReviewScreen(deck=deck, mode=mode))

    @background(group="sync")
    def sync_notes(self) -> None:
        """Read changed notes in the background; the queue is usable meanwhile."""
        report = self.collection.sync()
        self.post_message(NotesSynced(report))

    @background(group="watch")
    def follow_notes(self) -> None:
        """Pick up edits made in any editor (or by git) within about half a second."""
        from studyterm.authoring.watch import watch_notes

        try:
            for paths in watch_notes(self.collection.layout, self.watch_stop):
                self.post_message(NoteFilesChanged(paths))
        except (OSError, RuntimeError) as error:  # inotify limits, a vanished concepts/ folder
            self.call_from_thread(
                self.notify, f"Not watching concepts/ for changes: {error}", severity="warning"
            )

    def on_note_files_changed(self, message: NoteFilesChanged) -> None:
        self.sync_notes()
        for screen in self.screen_stack:
            hook = getattr(screen, "note_files_changed", None)
            if hook is not None:
                hook(message.paths)

    def on_notes_synced(self, message: NotesSynced) -> None:
        errors = [error for error in message.report.errors if error not in self.reported_problems]
        self.reported_problems = set(message.report.errors)
        if errors:
            path, problem = errors[0]
            more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
            self.notify(f"{problem.format(path)}{more}", title="Problems in your notes", severity="warning", timeout=10)
        changed = message.report.created + message.report.updated + message.report.retired
        for screen in self.screen_stack:
            refresh = getattr(screen, "notes_changed", None)
            if refresh is not None and (changed or message.report.revived):
                screen.call_later(refresh)

    def action_help(self) -> None:
        from studyterm.tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        yield SystemCommand("Review", "Start today's review (flash cards)", lambda: self.start_review(None, Mode.FLASH))
        yield SystemCommand("Typed quiz", "Type each answer; it is graded for you", lambda: self.start_review(None, Mode.TYPED))
        yield SystemCommand("Multiple-choice quiz", "Pick the answer among four", lambda: self.start_review(None, Mode.CHOICE))
        yield SystemCommand("Browse cards", "Search cards by text, deck, tag and state", self._browse)
        yield SystemCommand("Labs", "Every lab, its cards and its last result", self.open_lab)
        yield SystemCommand("Export", "Export every deck (Anki, CSV, Markdown, JSON)", self._export)
        yield SystemCommand("Sync notes", "Read changed notes now", self.sync_notes)
        yield SystemCommand("Settings", "Daily limits, per-deck limits, the day's start, theme", self._settings)
        yield SystemCommand("New note", "Write a concept note from a template", self.new_note)
        yield from _card_note_commands(screen)
        yield SystemCommand("Help", "Keys and what the grades mean", self.action_help)

    def _export(self) -> None:
        from studyterm.tui.screens.export import ExportScreen

        self.push_screen(ExportScreen(None))

    def new_note(self, deck: str | None = None) -> None:
        """Ask for a title, deck and template, create the note and open it in the editor."""
        from studyterm.tui.screens.new_note import NewNoteScreen
        from studyterm.tui.screens.note_editor import open_note_editor

        def opened(note) -> None:
            if note is not None:
                open_note_editor(self, note.relative, note.line, note.column)

        self.push_screen(NewNoteScreen(deck), opened)

    def _settings(self) -> None:
        from studyterm.tui.screens.settings import SettingsScreen

        self.push_screen(SettingsScreen())

    def _browse(self) -> None:
        from studyterm.tui.screens.browse import BrowseScreen

        self.push_screen(BrowseScreen())


def _card_note_commands(screen: Screen) -> Iterable[SystemCommand]:
    """On the review screen: add to or edit the note of the card on screen."""
    from studyterm.tui.screens.review import ReviewScreen

    if isinstance(screen, ReviewScreen):
        yield SystemCommand("Add a card to this note", "Append a Q/A to the current card's note (a)", screen.action_quick_add)
        yield SystemCommand("Edit this note here", "Open the current card's note in the in-app editor (E)", screen.action_edit_here)
        yield SystemCommand("Unbury cards", "Bring back this session's buried cards today", partial(screen.unhide, "buried"))
        yield SystemCommand("Unsuspend cards", "Bring back this session's suspended cards", partial(screen.unhide, "suspended"))


def _plain(renderable) -> str:
    """A Rich renderable (a traceback) as plain text, for the error log."""
    from rich.console import Console

    console = Console(file=io.StringIO(), width=100, color_system=None)
    console.print(renderable)
    return console.file.getvalue()


def make_app(collection: Collection, **options: Any) -> StudytermApp:
    """The app on an open collection; see StudytermApp for the injectable parts."""
    return StudytermApp(collection, **options)
