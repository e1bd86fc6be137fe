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
