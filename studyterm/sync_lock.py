"""One sync at a time per collection, across processes: the review app, its file watcher and a
`studyterm sync` in another terminal all read the note index, plan, then write; two plans made
from the same index would both create the cards of a new note (`UNIQUE constraint failed`)."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from studyterm.store import StoreError

try:
    import fcntl
except ImportError:  # Windows: no advisory locks; the database's own locking still applies
    fcntl = None

LOCK_NAME = "sync.lock"
WAIT_SECONDS = 120.0
"""How long a sync waits for another one before giving up with a one-line error."""


@contextmanager
def sync_lock(state_dir: Path, wait_seconds: float = WAIT_SECONDS) -> Iterator[None]:
    """Hold .studyterm/sync.lock (an advisory `flock`) while the block runs. Where the file
    cannot be made (a read-only collection) nothing can write, so no lock is needed."""
    fd = _open(state_dir / LOCK_NAME) if fcntl is not None else None
    if fd is None:
        yield
        return
    try:
        _acquire(fd, wait_seconds, state_dir / LOCK_NAME)
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the lock


def _open(path: Path) -> int | None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        return os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o644)
    except OSError:
        return None


def _acquire(fd: int, wait_seconds: float, path: Path) -> None:
    deadline = time.monotonic() + wait_seconds
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            if time.monotonic() >= deadline:
                raise StoreError(
                    f"another sync of this collection has been running for {wait_seconds:.0f} s "
                    f"(it holds {path}); try again when it ends"
                ) from None
            time.sleep(0.02)
        except OSError:
            return  # a file system without locks: go on, as before
