"""Read, hash and parse many note files at once, across CPU cores when that pays off."""

from __future__ import annotations

import gc
import hashlib
import os
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import TypeVar

from studyterm.notes.files import NoteReadError, read_note_file
from studyterm.notes.formats import parse_bytes, tagged_digest
from studyterm.notes.identity import card_keys
from studyterm.notes.model import ParsedNote, Problem

PARALLEL_THRESHOLD = 400
"""Below this many files the pool's start-up costs more than it saves."""

Job = TypeVar("Job")
Result = TypeVar("Result")


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
    return LoadedNote(digest, note, card_keys(note))


def load_notes(jobs: dict[str, tuple]) -> dict[str, LoadedNote]:
    """`jobs` maps a note's key to (file path, digest the store knows or None)."""
    keys = list(jobs)
    loaded = map_in_order(load_note, [jobs[key] for key in keys], worker_count(len(keys)))
    return dict(zip(keys, loaded, strict=True))


def map_in_order(function: Callable[[Job], Result], jobs: Sequence[Job], workers: int) -> Iterator[Result]:
    """`function` of each job, in job order, each result as soon as it and those before it are
    done, so the caller can use them while the workers go on. With fewer than 2 `workers` (see
    worker_count), in this process as the results are asked for. `function` must be a
    module-level function (the workers find it by name)."""
    if workers < 2:
        return map(function, jobs)
    return _pooled(function, jobs, workers)


def _pooled(function: Callable[[Job], Result], jobs: Sequence[Job], workers: int) -> Iterator[Result]:
    import multiprocessing  # only a sync of many files pays for importing these
    from concurrent.futures import ProcessPoolExecutor

    chunk = max(1, min(_MAX_CHUNK, len(jobs) // (workers * 8)))
    # A worker lives only as long as this pool, inside the sync's gc_pause, and keeps the
    # collector as it found it: paused (parsing leaves no cycles, tests/notes/test_parallel.py;
    # collector passes cost a fifth of a worker's time). gc.freeze keeps what it inherited out
    # of any collection that does run, so those pages are never touched and copied.
    pool = ProcessPoolExecutor(workers, multiprocessing.get_context("fork"), gc.freeze)
    try:
        yield from pool.map(function, jobs, chunksize=chunk)
    except BaseException:  # a failed job, or the caller stopped early: drop what has not started
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown()


_MAX_CHUNK = 64
"""Files a worker parses before handing back their results: small enough that the caller starts
early and waits little for the last ones, large enough that handing over costs little."""


def worker_count(files: int) -> int:
    """How many processes should read this many files: 1 (this one) when a pool does not pay."""
    if files < PARALLEL_THRESHOLD or not sys.platform.startswith("linux"):
        return 1
    if threading.active_count() > 1:
        return 1  # forking a threaded process (the TUI's workers) can deadlock the child
    return max(1, min(len(os.sched_getaffinity(0)), 8))
