"""Records that cross the store's boundary."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import NamedTuple

from studyterm.notes.model import Problem
from studyterm.schedule.review import CardSchedule


@dataclass(frozen=True)
class NoteFile:
    """What the store remembers of a note file to tell whether it changed."""

    path: str
    mtime_ns: int
    size: int
    digest: str


@dataclass(frozen=True)
class NoteRow:
    path: str
    mtime_ns: int
    size: int
    digest: str
    title: str | None
    deck: str
    tags: tuple[str, ...]
    lab: str | None
    readable: bool


class CardContent(NamedTuple):
    """The part of a card that comes from its note (everything but scheduling)."""

    id: str
    note_path: str
    line: int
    kind: str
    question: str
    answer: str
    cloze_group: int | None
    deck: str
    tags: tuple[str, ...]
    lab: str | None
    key: str


@dataclass
class SyncChanges:
    """Everything one sync writes, applied in a single transaction."""

    notes: list[NoteRow] = field(default_factory=list)
    touched: list[NoteFile] = field(default_factory=list)
    """Notes whose bytes did not change although their mtime or size did."""
    deleted_notes: list[str] = field(default_factory=list)
    problems: dict[str, list[Problem]] = field(default_factory=dict)
    updated: list[CardContent] = field(default_factory=list)
    created: list[CardContent] = field(default_factory=list)
    retired: list[str] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (
            self.notes
            or self.touched
            or self.deleted_notes
            or self.updated
            or self.created
            or self.retired
        )


@dataclass(frozen=True)
class CardRecord:
    id: str
    note_path: str
    line: int
    position: int
    kind: str
    question: str
    answer: str
    cloze_group: int | None
    deck: str
    tags: tuple[str, ...]
    lab: str | None
    retired: bool
    suspended: bool
    buried_until: date | None
    flagged: bool
    created_at: str
    edited_at: str
    """When the card's text last changed (the note file's mtime at the sync that saw it)."""
    schedule: CardSchedule

    def is_buried(self, day: date) -> bool:
        return self.buried_until is not None and self.buried_until > day


@dataclass(frozen=True)
class ReviewEntry:
    """One row of the append-only review log."""

    id: int
    card_id: str
    ts: datetime
    day: date
    grade: int | None
    duration_ms: int | None
    source: str
    kind: str
    ef_before: float
    ef_after: float
    interval_before: int
    interval_after: int
    due_before: date | None
    due_after: date | None
    undoes: int | None = None
    detail: dict | None = None
    session_id: int | None = None


@dataclass(frozen=True)
class NewReview:
    """A review log entry about to be written (the store assigns the id)."""

    card_id: str
    ts: datetime
    day: date
    grade: int | None
    duration_ms: int | None
    source: str
    kind: str
    before: CardSchedule
    after: CardSchedule
    undoes: int | None = None
    detail: dict | None = None
    session_id: int | None = None


@dataclass(frozen=True)
class SessionRow:
    id: int
    started_at: datetime
    ended_at: datetime | None
    mode: str
    deck: str | None
    summary: dict


@dataclass(frozen=True)
class DeckCounts:
    """Counts for one deck name exactly as cards carry it (sub-decks not included)."""

    deck: str
    total: int
    due: int
    new: int
    mastered: int
