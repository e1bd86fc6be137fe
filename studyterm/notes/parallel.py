"""Read, hash and parse many note files at once, across CPU cores when that pays off."""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import sys
import threading
from dataclasses import dataclass

from studyterm.notes.files import NoteReadError, read_note_file
from studyterm.notes.formats import parse_bytes, tagged_digest
from studyterm.notes.identity import card_key
from studyterm.notes.model import ParsedNote, Problem

PARALLEL_THRESHOLD = 400
"""Below this many files the pool's start-up costs more than it saves."""


@dataclass(frozen=True)
class LoadedNote:
    digest: str
    note: ParsedNote | None
    """None when the bytes hash to the digest the store already has: nothing to parse."""
    keys: tuple[str, ...] = ()
    """The content key of each card, computed where the parsing happens."""
    read_failed: bool = False


def digest_of(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def load_note(job: tuple) -> LoadedNote:
    """`job` is (file path, digest the store knows or None[, format of its folder])."""
    path, known_digest, *rest = job
    fmt = rest[0] if rest else None
    try:
        data = read_note_file(path)
    except NoteReadError as error:
        problem = Problem(1, str(error))
        return LoadedNote("", ParsedNote(problems=[problem], readable=False), read_failed=True)
    digest = tagged_digest(digest_of(data), fmt)
    if digest == known_digest:
        return LoadedNote(digest, None)
    note = parse_bytes(data, fmt, os.path.basename(path))
    return LoadedNote(digest, note, tuple(card_key(card) for card in note.cards))


def load_notes(jobs: dict[str, tuple]) -> dict[str, LoadedNote]:
    """`jobs` maps a note's key to (file path, digest the store knows or None)."""
    workers = _worker_count(len(jobs))
    keys = list(jobs)
    if workers < 2:
        return {key: load_note(jobs[key]) for key in keys}
    chunk = max(1, len(keys) // (workers * 8))
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        loaded = pool.map(load_note, (jobs[key] for key in keys), chunksize=chunk)
    return dict(zip(keys, loaded, strict=True))


def _worker_count(files: int) -> int:
    if files < PARALLEL_THRESHOLD or not sys.platform.startswith("linux"):
        return 1
    if threading.active_count() > 1:
        return 1  # forking a threaded process (the TUI's workers) can deadlock the child
    return max(1, min(len(os.sched_getaffinity(0)), 8))
