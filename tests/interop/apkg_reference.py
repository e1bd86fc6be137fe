"""The .apkg export as it was before it read plain values (commit d2e9e13), kept as the oracle
tests/interop/test_export_equivalence.py compares today's export with.

Card records, notes grouped as ExportNote, rows built card by card and the database written
with its indexes first: the code of apkg_write.py, grouping.py and anki_sched.py of that commit,
trimmed to the package. Markdown rendering and the record reads are shared with today's code
(they have their own proofs: test_html_fast_path.py)."""

from __future__ import annotations

import hashlib
import json
import sqlite3
import tempfile
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path

from studyterm.collection import Collection
from studyterm.interop import anki_schema as schema
from studyterm.interop.anki_sched import (
    ANKI_BUTTON,
    CARD_NEW,
    CARD_REVIEW,
    QUEUE_NEW,
    QUEUE_REVIEW,
    QUEUE_SUSPENDED,
    REVLOG_LEARN,
    REVLOG_RELEARN,
    REVLOG_REVIEW,
    DayNumbers,
    effective_history,
)
from studyterm.interop.html import MediaIndex, plain_text, render_field
from studyterm.notes.model import CardKind
from studyterm.notes.typed_answer import shown_answer
from studyterm.store import exchange
from studyterm.store.records import CardRecord, ReviewEntry

_TABLES_THEN_INDEXES = schema.SCHEMA


@dataclass(frozen=True)
class ExportNote:
    kind: str
    cards: tuple[CardRecord, ...]

    @property
    def first(self) -> CardRecord:
        return self.cards[0]

    @property
    def guid(self) -> str:
        return "st:" + self.first.id

    @property
    def mod(self) -> int:
        return max(int(datetime.fromisoformat(card.edited_at).timestamp()) for card in self.cards)


def group_notes(cards: list[CardRecord]) -> list[ExportNote]:
    order: list[tuple] = []
    members: dict[tuple, list[CardRecord]] = {}
    for card in cards:
        if card.kind == CardKind.CLOZE:
            key: tuple = (CardKind.CLOZE, card.note_path, card.question)
        else:
            key = (CardKind.BASIC, card.id)
        if key not in members:
            members[key] = []
            order.append(key)
        members[key].append(card)
    return [ExportNote(key[0], tuple(sorted(members[key], key=lambda c: c.cloze_group or 0))) for key in order]


@dataclass
class DeckData:
    cards: list[CardRecord]
    notes: list[ExportNote]
    history: dict[str, list[ReviewEntry]]
    root: Path
    now: datetime
    today: date
    rollover_hour: int

    def answers(self, card_id: str) -> list[ReviewEntry]:
        return effective_history(self.history.get(card_id, []))


def gather(collection: Collection, deck: str | None, with_history: bool) -> DeckData:
    cards = exchange.deck_cards(collection.store, deck)
    history = exchange.review_logs(collection.store, [c.id for c in cards]) if with_history else {}
    return DeckData(cards, group_notes(cards), history, collection.layout.root, collection.now(),
                    collection.today(), collection.config.day_starts_at.hour)


def reference_export(collection: Collection, target: Path, deck: str | None = None,
                     with_scheduling: bool = False) -> None:
    """What `export_deck(collection, "apkg", target, deck=deck, ...)` wrote at d2e9e13."""
    data = gather(collection, deck, with_history=with_scheduling)
    write_apkg(data, target, with_scheduling=with_scheduling)


def anki_deck_name(deck: str) -> str:
    return deck.replace("/", "::")


def anki_tags(tags: tuple[str, ...]) -> str:
    cleaned = [tag.replace(" ", "_") for tag in tags if tag.strip()]
    return f" {' '.join(cleaned)} " if cleaned else ""


def note_fields(note: ExportNote, media: MediaIndex) -> list[str]:
    card = note.first
    resolve = media.resolver(card.note_path)
    if note.kind == CardKind.CLOZE:
        first, second = render_field(card.question, cloze=True, media=resolve), ""
    else:
        first = render_field(card.question, media=resolve)
        second = render_field(shown_answer(card.answer), media=resolve)
    return [first, second, card.note_path, card.lab or ""]


def card_columns(card: CardRecord, answers: list[ReviewEntry], days: DayNumbers | None,
                 new_position: int) -> tuple[int, int, int, int, int, int, int, int]:
    schedule = card.schedule
    if days is None:
        return CARD_NEW, QUEUE_NEW, new_position, 0, 0, 0, 0, 0
    flags = 1 if card.flagged else 0
    if schedule.is_new or schedule.due is None:
        queue = QUEUE_SUSPENDED if card.suspended else QUEUE_NEW
        return CARD_NEW, queue, new_position, 0, 0, 0, 0, flags
    queue = QUEUE_SUSPENDED if card.suspended else QUEUE_REVIEW
    return (
        CARD_REVIEW, queue, days.number(schedule.due), max(1, schedule.sm2.interval_days),
        schedule.sm2.ef_centi * 10, len(answers), schedule.lapses, flags,
    )


def revlog_rows(anki_card_id: int, answers: list[ReviewEntry], taken: set[int]) -> list[tuple]:
    rows = []
    for entry in answers:
        row_id = int(entry.ts.timestamp() * 1000)
        while row_id in taken:
            row_id += 1
        taken.add(row_id)
        if entry.kind == "repeat":
            kind = REVLOG_RELEARN
        elif entry.due_before is None and entry.interval_before == 0:
            kind = REVLOG_LEARN
        else:
            kind = REVLOG_REVIEW
        rows.append((
            row_id, anki_card_id, -1, ANKI_BUTTON[entry.grade], entry.interval_after,
            entry.interval_before, round(entry.ef_after * 1000), entry.duration_ms or 0, kind,
        ))
    return rows


def write_apkg(data: DeckData, target: Path, *, with_scheduling: bool) -> None:
    media = MediaIndex(data.root)
    days = _day_numbers(data) if with_scheduling else None
    rows = _Rows(data, days)
    for note in data.notes:
        rows.add(note, note_fields(note, media))
    with tempfile.TemporaryDirectory(dir=target.parent) as scratch:
        database = Path(scratch) / schema.COLLECTION_MEMBER
        rows.write(database)
        _zip(target, database, media.files())


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
            conn.executescript(_TABLES_THEN_INDEXES)
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
