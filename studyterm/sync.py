"""Sync: concept note files -> parsed cards -> the store, keeping every card's identity.

Only files whose size or mtime changed are read, and only files whose bytes changed are parsed,
so a sync with nothing to do costs one directory walk and one query. A sync into an empty store
has nothing to match and takes a shorter way (sync_cold.py) to the same database.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from studyterm.gc_pause import paused_gc
from studyterm.layout import CONCEPTS, Layout
from studyterm.notes.files import FileSkipped, NoteFound, walk_notes
from studyterm.notes.formats import digest_format, format_of
from studyterm.notes.identity import Candidate, Matching, match_cards, new_card_id
from studyterm.notes.model import ParsedNote, Problem, Severity
from studyterm.notes.parallel import load_notes
from studyterm.store import CardContent, NoteFile, Store, SyncChanges
from studyterm.store.records import NoteRow
from studyterm.sync_lock import sync_lock

DEFAULT_DECK = "default"
COLD_SYNC = True
"""Sync into an empty store by sync_cold (no matching, rows written while notes are parsed);
False sends it through matching like any other sync (tests compare the two)."""


@dataclass(frozen=True)
class FileStat:
    path: str  # relative to the collection root, with forward slashes
    mtime_ns: int
    size: int


@dataclass
class SyncReport:
    scanned: int = 0
    parsed: int = 0
    deleted: int = 0
    created: int = 0
    updated: int = 0
    revived: int = 0
    retired: int = 0
    kept: int = 0
    """Cards whose text vanished from a note with errors: kept until the note is fixed."""
    problems: list[tuple[str, Problem]] = field(default_factory=list)

    @property
    def errors(self) -> list[tuple[str, Problem]]:
        return [(path, p) for path, p in self.problems if p.severity is Severity.ERROR]


@dataclass
class Scan:
    found: dict[str, FileStat] = field(default_factory=dict)
    skipped: dict[str, FileSkipped] = field(default_factory=dict)
    """Files that look like notes but cannot be read as one, by relative path (as shown)."""


def scan(layout: Layout) -> Scan:
    """Every note under concepts/ (studyterm.notes.files.walk_notes: the filter check shares)."""
    result = Scan()
    prefix = len(str(layout.root)) + 1
    for item in walk_notes(layout.concepts):
        relative = item.path[prefix:].replace(os.sep, "/")
        if isinstance(item, NoteFound):
            result.found[relative] = FileStat(relative, item.mtime_ns, item.size)
        else:
            result.skipped[relative] = item
    return result


def scan_notes(layout: Layout) -> dict[str, FileStat]:
    return scan(layout).found


def default_deck(note_path: str) -> str:
    """A note's deck when its front matter names none: its folder under concepts/."""
    folders = note_path.split("/")[:-1]
    if folders and folders[0] == CONCEPTS:
        folders = folders[1:]
    return "/".join(folders) or DEFAULT_DECK


def sync(layout: Layout, store: Store, now: datetime, formats: Mapping[str, str] | None = None) -> SyncReport:
    """`formats` maps folders under concepts/ to the format their notes are in (studyterm.toml).
    Holds the collection's sync lock throughout: the plan is made from the index it writes."""
    with sync_lock(layout.state_dir), paused_gc():
        return _sync(layout, store, now, formats)


def _sync(layout: Layout, store: Store, now: datetime, formats: Mapping[str, str] | None) -> SyncReport:
    report = SyncReport()
    scanned = scan(layout)
    report.scanned = len(scanned.found)
    index = store.note_index()
    if COLD_SYNC and scanned.found and not index and store.is_empty():
        from studyterm.sync_cold import sync_cold  # a module only a first sync needs

        sync_cold(layout, store, now, scanned, formats, report)
        passing = [(path, Problem(1, skipped.reason)) for path, skipped in scanned.skipped.items()]
    else:
        passing = _sync_changes(layout, store, now, formats, scanned, index, report)
    report.problems = sorted([*store.problems(), *passing], key=lambda item: (item[0], item[1].line))
    return report


def _sync_changes(
    layout: Layout,
    store: Store,
    now: datetime,
    formats: Mapping[str, str] | None,
    scanned: Scan,
    index: dict[str, NoteFile],
    report: SyncReport,
) -> list[tuple[str, Problem]]:
    """Read what changed, match its cards with the stored ones and write the difference; the
    problems of files that are not stored and cannot be read as notes are returned, not stored."""
    on_disk = scanned.found
    root = str(layout.root)
    fmt = {path: format_of(path, formats) for path in on_disk} if formats else {}
    jobs = {
        path: (os.path.join(root, path), index[path].digest if path in index else None, fmt.get(path))
        for path, stat in on_disk.items()
        if path not in index or (index[path].mtime_ns, index[path].size) != (stat.mtime_ns, stat.size)
        or digest_format(index[path].digest) != fmt.get(path)
    }
    changes = SyncChanges(deleted_notes=sorted(set(index) - set(on_disk) - set(scanned.skipped)))
    passing: list[tuple[str, Problem]] = []
    for path, skipped in scanned.skipped.items():
        problem = Problem(1, skipped.reason)
        if path in index:  # a note that turned into a FIFO or a broken link: keep its cards
            changes.problems[path] = [problem]
        else:
            passing.append((path, problem))
    parsed: dict[str, ParsedNote] = {}
    keys: dict[str, tuple[str, ...]] = {}
    for path, loaded in load_notes(jobs).items():
        stat = on_disk[path]
        if loaded.read_failed:
            changes.problems[path] = loaded.note.problems
        elif loaded.note is None:
            changes.touched.append(NoteFile(path, stat.mtime_ns, stat.size, loaded.digest))
        else:
            parsed[path] = loaded.note
            keys[path] = loaded.keys
            changes.notes.append(note_row(path, stat, loaded.digest, loaded.note))
            changes.problems[path] = loaded.note.problems
    report.parsed = len(parsed)
    report.deleted = len(changes.deleted_notes)
    readable = {path: note for path, note in parsed.items() if note.readable}
    _plan_cards(store, readable, keys, changes, report)
    if not changes.empty or changes.problems:
        store.apply_sync(changes, now)
    return passing


def note_row(path: str, stat: FileStat, digest: str, note: ParsedNote) -> NoteRow:
    return NoteRow(
        path=path,
        mtime_ns=stat.mtime_ns,
        size=stat.size,
        digest=digest,
        title=note.front.title,
        deck=note.front.deck or default_deck(path),
        tags=note.front.tags,
        lab=note.front.lab,
        readable=note.readable,
    )


def _plan_cards(
    store: Store,
    notes: dict[str, ParsedNote],
    keys: dict[str, tuple[str, ...]],
    changes: SyncChanges,
    report: SyncReport,
) -> None:
    new_cards = {
        path: [
            Candidate(path, index, card, key)
            for index, (card, key) in enumerate(zip(note.cards, keys[path], strict=True))
        ]
        for path, note in notes.items()
    }
    old_cards = store.known_cards([*notes, *changes.deleted_notes])
    all_keys = {key for note_keys in keys.values() for key in note_keys}
    retired = store.retired_by_key(all_keys) if all_keys else {}
    matching = match_cards(new_cards, old_cards, retired)

    placed = {path: _Placement.of(path, note) for path, note in notes.items()}
    for (path, index), card_id in matching.matched.items():
        changes.updated.append(placed[path].content(card_id, new_cards[path][index]))
    taken = store.card_ids() if matching.created else set()
    for candidate in matching.created:
        card_id = new_card_id(candidate.key, candidate.note_path, taken)
        changes.created.append(placed[candidate.note_path].content(card_id, candidate))
    _retire_vanished(matching, notes, changes, report)
    report.created = len(changes.created)
    report.updated = len(changes.updated) - len(matching.revived)
    report.revived = len(matching.revived)


def _retire_vanished(
    matching: Matching, notes: dict[str, ParsedNote], changes: SyncChanges, report: SyncReport
) -> None:
    """Vanished cards retire, except in a note with errors: its cards wait for the fix."""
    for known in matching.vanished:
        note = notes.get(known.note_path)
        if note is not None and note.has_errors:
            report.kept += 1
        else:
            changes.retired.append(known.id)
    report.retired = len(changes.retired)


@dataclass(frozen=True)
class _Placement:
    """What a note gives all its cards: deck, tags and the default lab."""

    note_path: str
    deck: str
    tags: tuple[str, ...]
    lab: str | None

    @classmethod
    def of(cls, path: str, note: ParsedNote) -> _Placement:
        return cls(path, note.front.deck or default_deck(path), note.front.tags, note.front.lab)

    def content(self, card_id: str, candidate: Candidate) -> CardContent:
        card = candidate.card
        return CardContent(
            id=card_id,
            note_path=self.note_path,
            line=card.line,
            kind=card.kind,
            question=card.question,
            answer=card.answer,
            cloze_group=card.cloze_group,
            deck=card.deck or self.deck,
            tags=self.tags,
            lab=card.lab or self.lab,
            key=candidate.key,
        )
