"""Read, hash and parse many note files at once, across CPU cores when that pays off."""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import sys
import threading
from dataclasses import dataclass

from studyterm.notes.identity import card_key
from studyterm.notes.model import ParsedNote, Problem
from studyterm.notes.parser import parse_note_bytes

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


def load_note(job: tuple[str, str | None]) -> LoadedNote:
    path, known_digest = job
    try:
        with open(path, "rb") as file:
            data = file.read()
    except OSError as error:
        problem = Problem(1, f"cannot read the file: {error.strerror}")
        return LoadedNote("", ParsedNote(problems=[problem], readable=False), read_failed=True)
    digest = digest_of(data)
    if digest == known_digest:
        return LoadedNote(digest, None)
    note = parse_note_bytes(data)
    return LoadedNote(digest, note, tuple(card_key(card) for card in note.cards))


def load_notes(jobs: dict[str, tuple[str, str | None]]) -> dict[str, LoadedNote]:
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
