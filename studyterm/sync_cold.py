"""A cold sync: the store holds no notes and no cards (a first launch, a fresh clone, a deleted
.studyterm/), so there is nothing to match and every card is new.

Each worker reads and parses a note and turns it into the rows the store writes (the card's
content key and first-choice id included), so the parent unpickles plain tuples, not parsed
cards. The parent takes the notes in path order, which is the order matching would create their
cards in, claims the ids and inserts the rows while the workers parse the notes after them; all
of it in one transaction. The database and the report come out as the matching path makes them
(tests/test_sync_cold.py compares whole tables).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import TYPE_CHECKING, NamedTuple

from studyterm.layout import Layout
from studyterm.notes.formats import format_of
from studyterm.notes.identity import claim_card_id, proposed_card_id
from studyterm.notes.model import Problem
from studyterm.notes.parallel import load_note, map_in_order, worker_count
from studyterm.store import Store
from studyterm.store.rows import CARD_ID, CONTENT_KEY, TEXT_KEY, card_values, note_values, tags_json
from studyterm.sync import FileStat, note_row

if TYPE_CHECKING:
    from studyterm.sync import Scan, SyncReport


class ColdNote(NamedTuple):
    """What a worker hands back for one note file, as a plain tuple (`tuple(cold)`): pickling
    named tuples and dataclasses goes through Python code for every note."""

    note: tuple | None
    """rows.note_values of the note; None when the file could not be read."""
    problems: list[Problem]
    cards: list[tuple]
    """rows.card_values of each card, its id as proposed_card_id gives it."""
    texts: dict[str, str]
    """Each cloze paragraph by its text key."""


def load_cold(job: tuple) -> tuple:
    """`job` is (file path, note path, mtime_ns, size, format or None); runs in a worker and
    returns a ColdNote as a plain tuple."""
    file_path, note_path, mtime_ns, size, fmt = job
    loaded = load_note((file_path, None, fmt))
    note = loaded.note
    if loaded.read_failed:
        return (None, note.problems, [], {})
    row = note_row(note_path, FileStat(note_path, mtime_ns, size), loaded.digest, note)
    if not note.readable:
        return (note_values(row), note.problems, [], {})
    tags, lab = tags_json(row.tags), row.lab
    cards = [
        card_values(
            proposed_card_id(key, note_path), note_path, card.line, card.kind, card.question,
            card.answer, card.cloze_group, card.deck or row.deck, tags, card.lab or lab, key,
        )
        for card, key in zip(note.cards, loaded.keys, strict=True)
    ]
    texts = {
        values[TEXT_KEY]: card.question
        for values, card in zip(cards, note.cards, strict=True)
        if values[TEXT_KEY]
    }
    return (note_values(row), note.problems, cards, texts)


def sync_cold(
    layout: Layout,
    store: Store,
    now: datetime,
    scanned: Scan,
    formats: Mapping[str, str] | None,
    report: SyncReport,
) -> None:
    """Sync every note of `scanned` into the empty store (Store.is_empty)."""
    root = str(layout.root)
    jobs = [
        (os.path.join(root, path), path, stat.mtime_ns, stat.size, format_of(path, formats) if formats else None)
        for path, stat in sorted(scanned.found.items())
    ]
    workers = worker_count(len(jobs))
    results: Iterable[tuple] = map_in_order(load_cold, jobs, workers)
    if workers < 2:
        results = list(results)  # nothing to overlap: the store is held only while writing
    notes: dict[str, tuple] = {}
    problems: dict[str, list[Problem]] = {}
    taken: set[str] = set()
    with store.cold_sync(now) as writer:
        for (_, path, mtime_ns, *_), values in zip(jobs, results, strict=True):
            cold = ColdNote._make(values)
            problems[path] = cold.problems
            if cold.note is not None:
                notes[path] = cold.note
            if cold.cards:
                writer.add_cards(mtime_ns, _claim_ids(cold.cards, path, taken), cold.texts)
        # in the order the matching path writes them, so even their rowids are the same
        writer.add_notes(notes[path] for path in scanned.found if path in notes)
        writer.set_problems({path: problems[path] for path in scanned.found})
    report.parsed = len(notes)
    report.created = len(taken)


def _claim_ids(rows: list[tuple], note_path: str, taken: set[str]) -> list[tuple]:
    """The rows with the ids new_card_id gives, in this order (another id only on a clash)."""
    proposed = {row[CARD_ID] for row in rows}
    if len(proposed) == len(rows) and taken.isdisjoint(proposed):
        taken |= proposed
        return rows
    for index, row in enumerate(rows):
        card_id = claim_card_id(row[CARD_ID], row[CONTENT_KEY], note_path, taken)
        if card_id != row[CARD_ID]:
            rows[index] = (card_id, *row[1:])
    return rows
