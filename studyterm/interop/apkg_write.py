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
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from pathlib import Path

from studyterm.interop import anki_schema as schema
from studyterm.interop.anki_sched import DayNumbers, card_columns, revlog_rows, stored_date
from studyterm.interop.deckdata import PackageData
from studyterm.interop.grouping import GUID_PREFIX, ExportNote, epoch_seconds
from studyterm.interop.html import MediaIndex, MediaName, plain_text, render_field
from studyterm.interop.model import Progress, Ticker
from studyterm.notes.model import CardKind
from studyterm.notes.typed_answer import shown_answer
from studyterm.store.rows import tags_from_json


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
    return fields_of(note.kind == CardKind.CLOZE, card.question, card.answer, card.note_path, card.lab,
                     media.resolver(card.note_path))


def fields_of(cloze: bool, question: str, answer: str, note_path: str, lab: str | None,
              resolve: MediaName) -> list[str]:
    """A note's fields from its first card's values; a cloze note shows no answer."""
    if cloze:
        return [render_field(question, cloze=True, media=resolve), "", note_path, lab or ""]
    if "typed:" in answer:
        answer = shown_answer(answer)
    return [render_field(question, media=resolve), render_field(answer, media=resolve), note_path, lab or ""]


def write_apkg(data: PackageData, target: Path, *, with_scheduling: bool,
               progress: Progress | None = None) -> PackageStats:
    """The package of `data`; `progress` counts the cards whose note is written (the cards go
    in first, the notes as their fields render)."""
    media = MediaIndex(data.layout.root)
    rows = _Rows(data, _day_numbers(data) if with_scheduling else None)
    with tempfile.TemporaryDirectory(dir=target.parent) as scratch:
        database = Path(scratch) / schema.COLLECTION_MEMBER
        rows.write(database, rows.notes(media, Ticker(len(data.cards), progress)))
        _zip(target, database, media.files())
    return PackageStats(len(data.notes), len(rows.cards), len(rows.revlog),
                        tuple(name for name, _ in media.files()), tuple(media.missing))


def _day_numbers(data: PackageData) -> DayNumbers:
    days = [data.today] + [stored_date(due) for due in {card.due for card in data.cards} if due]
    return DayNumbers.covering(days, data.rollover_hour, data.now.tzinfo)


_INSERT_CARD = "INSERT INTO cards VALUES (?, ?, ?, ?, ?, -1, ?, ?, ?, ?, ?, ?, ?, 0, 0, 0, ?, '')"
"""(id, nid, did, ord, mod, type, queue, due, ivl, factor, reps, lapses, flags); usn -1 (not yet
synced), no learning steps left, not in a filtered deck, no data."""
_INSERT_NOTE = "INSERT INTO notes VALUES (?, ?, ?, ?, -1, ?, ?, ?, ?, 0, '')"
"""(id, guid, mid, mod, tags, flds, sfld, csum); usn -1, no flags, no data."""


class _Rows:
    """The cards and revlog rows of the package, then its notes' rows, with ids unique within it."""

    def __init__(self, data: PackageData, days: DayNumbers | None) -> None:
        self.data = data
        self.days = days
        self.cards: list[tuple] = []
        self.revlog: list[tuple] = []
        self._note_ids: list[int] = []
        self._mods: list[int] = []
        self._decks: dict[str, int] = {}
        """studyterm deck -> its Anki deck's id."""
        self._tags: dict[str, str] = {}
        """The stored JSON tag list -> Anki's tag column."""
        self._last_note_id = self._last_card_id = 0
        """Anki ids are creation times in ms; cards come oldest first, so ids follow creation
        time and stay unique by never going back."""
        self._revlog_ids: set[int] = set()
        for group in data.notes:
            self._add_cards(group)

    def _add_cards(self, group: list[int]) -> None:
        cards = self.data.cards
        first = cards[group[0]]
        note_id = self._last_note_id = max(_millis(first.created_at), self._last_note_id + 1)
        if len(group) == 1:
            mod = epoch_seconds(first.edited_at)
        else:
            mod = max(epoch_seconds(cards[index].edited_at) for index in group)
        self._note_ids.append(note_id)
        self._mods.append(mod)
        deck_id = self._deck_id(first.deck)
        for index in group:
            card = cards[index]
            card_id = self._last_card_id = max(_millis(card.created_at), self._last_card_id + 1)
            answers = self.data.answers(card.id) if self.days else []
            kind, queue, due, ivl, factor, reps, lapses, flags = card_columns(
                card, len(answers), self.days, index + 1
            )
            self.cards.append((
                card_id, note_id, deck_id, (card.cloze_group or 1) - 1, mod, kind, queue, due, ivl, factor,
                reps, lapses, flags,
            ))
            if answers:
                self.revlog += revlog_rows(card_id, answers, self._revlog_ids)

    def notes(self, media: MediaIndex, ticker: Ticker) -> Iterator[tuple]:
        """Each note's row, its fields rendered when SQLite asks for it."""
        cards = self.data.cards
        for group, note_id, mod in zip(self.data.notes, self._note_ids, self._mods, strict=True):
            first = cards[group[0]]
            cloze = first.kind == CardKind.CLOZE
            values = fields_of(cloze, first.question, first.answer, first.note_path, first.lab,
                               media.resolver(first.note_path))
            sort_field = plain_text(values[0])
            yield (
                note_id, GUID_PREFIX + first.id, schema.CLOZE_MODEL_ID if cloze else schema.BASIC_MODEL_ID,
                mod, self._anki_tags(first.tags), "\x1f".join(values), sort_field, _checksum(sort_field),
            )
            ticker.advance(len(group))

    def _deck_id(self, deck: str) -> int:
        if (known := self._decks.get(deck)) is None:
            known = self._decks[deck] = schema.deck_id(anki_deck_name(deck))
        return known

    def _anki_tags(self, stored: str) -> str:
        if (known := self._tags.get(stored)) is None:
            known = self._tags[stored] = anki_tags(tags_from_json(stored))
        return known

    def deck_names(self) -> list[str]:
        """Every Anki deck the cards are in, and the decks above them."""
        names: set[str] = set()
        for deck in self._decks:
            parts = anki_deck_name(deck).split("::")
            names.update("::".join(parts[:depth]) for depth in range(1, len(parts) + 1))
        return sorted(names)

    def write(self, database: Path, notes: Iterable[tuple]) -> None:
        """The collection, into a new file that is zipped and deleted: no journal, no syncs.
        The cards go in first, then each note as `notes` renders it, the indexes last."""
        data, days = self.data, self.days
        now_ms = int(data.now.timestamp() * 1000)
        crt = days.crt if days else int(data.now.timestamp()) // 86_400 * 86_400
        minutes_west = days.minutes_west if days else 0
        conn = sqlite3.connect(database)
        try:
            conn.execute("PRAGMA journal_mode = OFF")
            conn.execute("PRAGMA synchronous = OFF")
            conn.executescript(schema.TABLES)
            conn.execute(
                "INSERT INTO col VALUES (1, ?, ?, ?, ?, 0, 0, 0, ?, ?, ?, ?, '{}')",
                (crt, now_ms, now_ms, schema.SCHEMA_VERSION,
                 schema.conf_json(data.rollover_hour, minutes_west, len(self.cards) + 1),
                 schema.models_json(), schema.decks_json(self.deck_names(), now_ms // 1000),
                 schema.dconf_json()),
            )
            conn.executemany(_INSERT_CARD, self.cards)
            conn.executemany("INSERT INTO revlog VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", self.revlog)
            conn.executemany(_INSERT_NOTE, notes)
            conn.executescript(schema.INDEXES)
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


def _checksum(text: str) -> int:
    """Anki's duplicate check: the first 8 hex digits of the sort field's SHA-1."""
    return int.from_bytes(hashlib.sha1(text.encode()).digest()[:4], "big")
