"""Finding and reading note files: the one filter and the one bounded read that sync, check and
the app share, so a FIFO, a device, a symlink loop or a file name that is not UTF-8 is skipped
with a one-line reason everywhere instead of hanging or failing the whole walk."""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass

from studyterm.layout import is_note_name, is_skipped_folder

MAX_NOTE_BYTES = 32 * 1024 * 1024
"""A note larger than this (32 MiB) is not read: no Markdown note is that big, /dev/zero is. A 20 MB note
still syncs in a few seconds (tests/test_sync_scale.py)."""


NOT_REGULAR = "not a regular file (a FIFO, device or socket), so not read"


class NoteReadError(OSError):
    """A note that cannot be read as a note; the message is one line, fit for a problem."""


@dataclass(frozen=True)
class NoteFound:
    path: str
    """The file's path as os.scandir gave it."""
    mtime_ns: int
    size: int


@dataclass(frozen=True)
class FileSkipped:
    path: str
    """The file's path with any byte that is not UTF-8 shown as `\\xNN` (safe to store and print)."""
    reason: str
    name_ok: bool
    """Whether `path` is the real path (False: the name is not valid UTF-8)."""


def shown_path(path: str) -> str:
    """A path fit for text: bytes that are not UTF-8 become `\\xNN`."""
    return os.fsencode(path).decode("utf-8", "backslashreplace")


def _valid_name(name: str) -> bool:
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def walk_notes(folder: str | os.PathLike) -> Iterator[NoteFound | FileSkipped]:
    """Every note under `folder` (`layout.is_note_name`), without following symlinked folders
    and skipping hidden and template folders; what looks like a note but cannot be one is a
    FileSkipped. Found files are regular files no larger than MAX_NOTE_BYTES (when scanned)."""
    stack = [os.fspath(folder)]
    while stack:
        current = stack.pop()
        try:
            with os.scandir(current) as scanned:
                entries = sorted(scanned, key=lambda entry: entry.name)
        except OSError as error:
            if current != os.fspath(folder):
                yield FileSkipped(shown_path(current), f"cannot list the folder: {error.strerror}", True)
            continue
        folders = []
        for entry in entries:
            if not _valid_name(entry.name):
                if _looks_like_note_or_folder(entry):
                    yield FileSkipped(shown_path(entry.path), "the name is not valid UTF-8; rename it", False)
            elif _is_real_folder(entry):
                if not is_skipped_folder(entry.name):
                    folders.append(entry.path)
            elif is_note_name(entry.name):
                yield _examine(entry)
        stack.extend(reversed(folders))


def _is_real_folder(entry: os.DirEntry) -> bool:
    try:
        return entry.is_dir(follow_symlinks=False)
    except OSError:
        return False


def _looks_like_note_or_folder(entry: os.DirEntry) -> bool:
    return _is_real_folder(entry) or is_note_name(entry.name)


def _examine(entry: os.DirEntry) -> NoteFound | FileSkipped:
    try:
        info = entry.stat()  # follows a symlinked note, as an editor would
    except OSError as error:
        return FileSkipped(entry.path, f"cannot read the file: {_why(error)}", True)
    if stat.S_ISDIR(info.st_mode):
        return FileSkipped(entry.path, "a folder named like a note (symlinked folders are not followed)", True)
    if not stat.S_ISREG(info.st_mode):
        return FileSkipped(entry.path, NOT_REGULAR, True)
    if info.st_size > MAX_NOTE_BYTES:
        return FileSkipped(entry.path, _too_big(), True)
    return NoteFound(entry.path, info.st_mtime_ns, info.st_size)


def read_note_file(path: str | os.PathLike) -> bytes:
    """A note's bytes, reading only a regular file and at most MAX_NOTE_BYTES of it; never
    blocks on a FIFO. Raises NoteReadError with a one-line reason."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    except OSError as error:
        raise NoteReadError(f"cannot read the file: {_why(error)}") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise NoteReadError(NOT_REGULAR)
        data = _read_capped(fd, info.st_size)
    except NoteReadError:
        raise
    except OSError as error:
        raise NoteReadError(f"cannot read the file: {_why(error)}") from None
    finally:
        os.close(fd)
    if len(data) > MAX_NOTE_BYTES:
        raise NoteReadError(_too_big())
    return data


def _read_capped(fd: int, size: int) -> bytes:
    """Up to MAX_NOTE_BYTES + 1 bytes of `fd`, asking for its `size` first (a file may grow
    while it is read). Not a buffered read(MAX_NOTE_BYTES + 1): that allocates the whole 32 MiB
    for every note, which cost more than parsing a small one."""
    limit = MAX_NOTE_BYTES + 1
    chunks: list[bytes] = []
    total = 0
    want = min(size + 1, limit)
    while total < limit:
        chunk = os.read(fd, min(want, limit - total))
        if not chunk:
            break
        chunks.append(chunk)
        total += len(chunk)
        want = max(want, 1 << 16)
    return chunks[0] if len(chunks) == 1 else b"".join(chunks)


def _too_big() -> str:
    return f"larger than {MAX_NOTE_BYTES // (1024 * 1024)} MiB, so not read as a note"


def _why(error: OSError) -> str:
    if error.errno == errno.ELOOP:
        return "a symlink loop"
    if error.errno == errno.ENOENT:
        return "it does not exist (a broken symlink?)"
    return error.strerror or str(error)
