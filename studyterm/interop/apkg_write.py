"""Write a deck as an Anki package (.apkg) in the legacy format every Anki since 2.1 imports.

No Anki code is involved: the package is a zip of a schema-11 SQLite collection
(`collection.anki21`), a `media` JSON map and the media files named 0, 1, 2... (anki_schema.py
has the format). Notes carry stable GUIDs and their real edit time, so importing a newer export
updates notes in Anki instead of adding copies, and Anki keeps the progress made there.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import tempfile
import zipfile
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from pathlib import Path

from studyterm.interop import anki_schema as schema
from studyterm.interop.anki_sched import DayNumbers, card_columns, revlog_rows
from studyterm.interop.deckdata import DeckData
from studyterm.interop.grouping import ExportNote
from studyterm.interop.html import MediaIndex, plain_text, render_field
from studyterm.interop.model import Progress, Ticker
from studyterm.notes.model import CardKind
from studyterm.notes.typed_answer import shown_answer


@dataclass(frozen=True)
class PackageStats:
    notes: int
    cards: int
    reviews: int
    media: tuple[str, ...]
    warnings: tuple[str, ...]


def anki_deck_name(deck: str) -> str:
    return deck.replace("/", "::")


def anki_tags(tags: tuple[str, ...]) -> str:
    """Anki's tag column: space-separated with a space at each end; a tag cannot hold a space."""
    cleaned = [tag.replace(" ", "_") for tag in tags if tag.strip()]
    return f" {' '.join(cleaned)} " if cleaned else ""


def note_fields(note: ExportNote, media: MediaIndex) -> list[str]:
    """The four fields of a studyterm note type: Front/Text, Back/Back Extra, Source, Lab."""
    card = note.first
    resolve = media.resolver(card.note_path)
    if note.kind == CardKind.CLOZE:
        first, second = render_field(card.question, cloze=True, media=resolve), ""
    else:
        first = render_field(card.question, media=resolve)
        second = render_field(shown_answer(card.answer), media=resolve)
    return [first, second, card.note_path, card.lab or ""]


def write_apkg(data: DeckData, target: Path, *, with_scheduling: bool,
               progress: Progress | None = None) -> PackageStats:
    media = MediaIndex(data.layout.root)
    days = _day_numbers(data) if with_scheduling else None
    rows = _Rows(data, days)
    ticker = Ticker(len(data.cards), progress)
    for note in data.notes:
        rows.add(note, note_fields(note, media))
        ticker.advance(len(note.cards))
    with tempfile.TemporaryDirectory(dir=target.parent) as scratch:
        database = Path(scratch) / schema.COLLECTION_MEMBER
        rows.write(database)
        _zip(target, database, media.files())
    return PackageStats(len(data.notes), len(rows.cards), len(rows.revlog),
                        tuple(name for name, _ in media.files()), tuple(media.missing))


def _day_numbers(data: DeckData) -> DayNumbers:
    days = [data.today]
    days += [card.schedule.due for card in data.cards if card.schedule.due is not None]
    return DayNumbers.covering(days, data.rollover_hour, data.now.tzinfo)


class _Rows:
    """The notes, cards and revlog rows of the package, with ids unique within it."""

    def __init__(self, data: DeckData, days: DayNumbers | None) -> None:
        self.data = data
        self.days = days
        self.notes: list[tuple] = []
        self.cards: list[tuple] = []
        self.revlog: list[tuple] = []
        self.decks: set[str] = set()
        self._note_ids = _Ascending()
        self._card_ids = _Ascending()
        self._revlog_ids: set[int] = set()
        self._new_rank = {card.id: rank for rank, card in enumerate(data.cards, start=1)}

    def add(self, note: ExportNote, fields: list[str]) -> None:
        first = note.first
        note_id = self._note_ids.next(_millis(first.created_at))
        mod = note.mod
        sort_field = plain_text(fields[0])
        model = schema.CLOZE_MODEL_ID if note.kind == CardKind.CLOZE else schema.BASIC_MODEL_ID
        self.notes.append((
            note_id, note.guid, model, mod, -1, anki_tags(first.tags), "\x1f".join(fields),
            sort_field, _checksum(sort_field), 0, "",
        ))
        deck = anki_deck_name(first.deck)
        self._add_deck(deck)
        for card in note.cards:
            card_id = self._card_ids.next(_millis(card.created_at))
            ordinal = (card.cloze_group or 1) - 1
            answers = self.data.answers(card.id) if self.days else []
            columns = card_columns(card, answers, self.days, self._new_rank[card.id])
            kind, queue, due, ivl, factor, reps, lapses, flags = columns
            self.cards.append((
                card_id, note_id, schema.deck_id(deck), ordinal, mod, -1, kind, queue, due, ivl,
                factor, reps, lapses, 0, 0, 0, flags, "",
            ))
            self.revlog += revlog_rows(card_id, answers, self._revlog_ids)

    def _add_deck(self, deck: str) -> None:
        parts = deck.split("::")
        for depth in range(1, len(parts) + 1):
            self.decks.add("::".join(parts[:depth]))

    def write(self, database: Path) -> None:
        data, days = self.data, self.days
        now_ms = int(data.now.timestamp() * 1000)
        crt = days.crt if days else int(data.now.timestamp()) // 86_400 * 86_400
        minutes_west = days.minutes_west if days else 0
        conn = sqlite3.connect(database)
        try:
            conn.execute("PRAGMA journal_mode = OFF")
            conn.execute("PRAGMA synchronous = OFF")
            conn.executescript(schema.SCHEMA)
            conn.execute(
                "INSERT INTO col VALUES (1, ?, ?, ?, ?, 0, 0, 0, ?, ?, ?, ?, '{}')",
                (crt, now_ms, now_ms, schema.SCHEMA_VERSION,
                 schema.conf_json(data.rollover_hour, minutes_west, len(self.cards) + 1),
                 schema.models_json(), schema.decks_json(sorted(self.decks), now_ms // 1000),
                 schema.dconf_json()),
            )
            conn.executemany("INSERT INTO notes VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", self.notes)
            conn.executemany(
                "INSERT INTO cards VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", self.cards
            )
            conn.executemany("INSERT INTO revlog VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", self.revlog)
            conn.commit()
        finally:
            conn.close()


def _zip(target: Path, database: Path, media: list[tuple[str, Path]]) -> None:
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("meta", schema.PACKAGE_META)
        archive.write(database, schema.COLLECTION_MEMBER)
        archive.writestr("media", json.dumps({str(index): name for index, (name, _) in enumerate(media)}))
        for index, (_, path) in enumerate(media):
            archive.write(path, str(index), compress_type=zipfile.ZIP_STORED)


@lru_cache(maxsize=4096)
def _millis(iso: str) -> int:
    """Cached: the cards one sync created share their creation time."""
    return int(datetime.fromisoformat(iso).timestamp() * 1000)


class _Ascending:
    """Anki ids are creation times in ms; cards come oldest first, so ids follow creation time
    and stay unique by never going back."""

    def __init__(self) -> None:
        self.last = 0

    def next(self, candidate: int) -> int:
        self.last = max(candidate, self.last + 1)
        return self.last


def _checksum(text: str) -> int:
    """Anki's duplicate check: the first 8 hex digits of the sort field's SHA-1."""
    return int(hashlib.sha1(text.encode()).hexdigest()[:8], 16)
