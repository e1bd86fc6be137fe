"""Command palette: every note, to open in the in-app editor. Notes with an unsaved draft or an
error come first when the palette opens, so a crash or a broken note is one keystroke away."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

from studyterm.authoring.drafts import Drafts
from studyterm.collection import Collection
from studyterm.notes.model import Severity
from studyterm.sync import scan_notes


@dataclass(frozen=True)
class NoteEntry:
    path: str
    line: int
    why: str  # "" for a note with nothing to report

    @property
    def title(self) -> str:
        return f"Edit note {self.path}"


def note_entries(collection: Collection) -> list[NoteEntry]:
    """Every note (cards or not), with its draft or first error, those first."""
    layout = collection.layout
    drafts = set(Drafts(layout).notes())
    errors: dict[str, tuple[int, str]] = {}
    for path, problem in collection.problems():
        if problem.severity is Severity.ERROR and path not in errors:
            errors[path] = (problem.line, problem.message)
    entries = []
    for path in sorted(set(scan_notes(layout)) | drafts):
        line, message = errors.get(path, (1, ""))
        why = "an unsaved draft to recover" if path in drafts else (f"line {line}: {message}" if message else "")
        entries.append(NoteEntry(path, line, why))
    return sorted(entries, key=lambda entry: not entry.why)


class NoteCommands(Provider):
    async def startup(self) -> None:
        self.entries = await asyncio.to_thread(note_entries, self.app.collection)

    def _open(self, entry: NoteEntry):
        from studyterm.tui.screens.note_editor import open_note_editor

        return partial(open_note_editor, self.app, entry.path, entry.line)

    async def discover(self) -> Hits:
        for entry in self.entries:
            if entry.why:
                yield DiscoveryHit(entry.title, self._open(entry), help=entry.why)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for entry in self.entries:
            score = matcher.match(entry.title)
            if score > 0:
                yield Hit(score, matcher.highlight(entry.title), self._open(entry), help=entry.why or None)


SCHEDULER_NAMES = {"sm2": "SM-2", "fsrs": "FSRS"}


class SchedulerCommands(Provider):
    """Switching between SM-2 and FSRS (the setting in studyterm.toml; docs/scheduling.md)."""

    def _offer(self) -> tuple[str, str, str]:
        current = self.app.collection.scheduling.name
        other = "fsrs" if current == "sm2" else "sm2"
        title = f"Schedule with {SCHEDULER_NAMES[other]}"
        help_text = (f"now {SCHEDULER_NAMES[current]}; every due date is rewritten, nothing is lost, "
                     "and switching back restores them")
        return other, title, help_text

    def _use(self, name: str) -> None:
        from studyterm.config import ConfigError
        from studyterm.scheduling import FsrsParametersError
        from studyterm.store import StoreError

        try:
            self.app.collection.use_scheduler(name)
        except (ConfigError, StoreError, FsrsParametersError, OSError) as error:
            self.app.notify(str(error), title="Scheduler not changed", severity="error", timeout=8)
            return
        self.app.notify(f"Scheduling with {SCHEDULER_NAMES[name]}: every due date rewritten.",
                        title="Scheduler")

    async def discover(self) -> Hits:
        name, title, help_text = self._offer()
        yield DiscoveryHit(title, partial(self._use, name), help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        name, title, help_text = self._offer()
        score = matcher.match(title)
        if score > 0:
            yield Hit(score, matcher.highlight(title), partial(self._use, name), help=help_text)
