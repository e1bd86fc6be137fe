"""One note file, read and written safely: atomic saves, no clobbering, conflict detection."""

from __future__ import annotations

import os
import re
import stat
import tempfile
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from studyterm.notes.files import NoteReadError, read_note_file
from studyterm.notes.frontmatter import normalize_deck
from studyterm.notes.parallel import digest_of

MAX_SLUG = 60
_NOT_WORD = re.compile(r"[^\w]+")
_BAD_FOLDER_CHARS = re.compile(r'[\\:*?"<>|\x00-\x1f]')


class NoteError(ValueError):
    """A note cannot be created, read or written as asked; the message says why."""


class NoteChangedError(NoteError):
    """The file changed on disk since it was read: saving now would lose those changes."""

    def __init__(self, path: Path) -> None:
        super().__init__(f"{path} changed on disk since it was opened")
        self.path = path


def atomic_write(path: Path, text: str) -> str:
    """Replace `path` with `text` (UTF-8) so that a crash leaves the old file or the new one,
    never a mix; a symlinked note is written through its link. Returns the new digest."""
    target = Path(os.path.realpath(path))
    data = text.encode("utf-8")
    mode = stat.S_IMODE(target.stat().st_mode) if target.exists() else _new_file_mode()
    temp = _write_temp(target, data, mode)
    try:
        os.replace(temp, target)
    except BaseException:
        _remove(temp)
        raise
    _sync_folder(target.parent)
    return digest_of(data)


def create_exclusive(path: Path, text: str) -> str:
    """Create `path` with `text`, atomically, failing with FileExistsError if it exists."""
    path.parent.mkdir(parents=True, exist_ok=True)
    data = text.encode("utf-8")
    temp = _write_temp(path, data, _new_file_mode())
    try:
        os.link(temp, path)  # unlike rename, link never replaces an existing file
    except FileExistsError:
        raise
    except OSError:  # file systems without hard links
        with open(path, "xb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
    finally:
        _remove(temp)
    _sync_folder(path.parent)
    return digest_of(data)


def _write_temp(target: Path, data: bytes, mode: int) -> str:
    # A leading dot: neither sync nor the watcher ever takes the temporary file for a note.
    handle, temp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.chmod(temp, mode)
    except BaseException:
        _remove(temp)
        raise
    return temp


def _remove(path: str) -> None:
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable (POSIX); a no-op where folders cannot be opened."""
    try:
        handle = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(handle)
    except OSError:
        pass
    finally:
        os.close(handle)


def _new_file_mode() -> int:
    return 0o666 & ~_umask()


def _umask() -> int:
    """The process umask, read without changing it (os.umask would race with other threads)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    return 0o022


def read_note_text(path: Path) -> tuple[str, str]:
    """A note's text and the digest of its bytes; NoteError when it is not UTF-8 text."""
    if not path.exists() and not path.is_symlink():
        raise NoteError(f"{path} does not exist")
    try:
        data = read_note_file(path)  # the bounded read sync uses: never a FIFO or /dev/zero
    except NoteReadError as error:
        raise NoteError(f"{path}: {error}") from None
    if b"\x00" in data[:8192]:
        raise NoteError(f"{path} is a binary file, not a Markdown note")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise NoteError(f"{path}:{line}: not valid UTF-8; convert the file to UTF-8 first") from None
    return text, digest_of(data)


def disk_digest(path: Path) -> str | None:
    """The digest of the file's bytes now, or None when there is no file."""
    try:
        return digest_of(path.read_bytes())
    except FileNotFoundError:
        return None


@dataclass
class OpenNote:
    """A note as it was read (or last saved): saving checks that nobody changed it since."""

    root: Path
    relative: str
    """Relative to the collection root, with forward slashes (the store's note path)."""
    text: str
    digest: str | None
    """Of the bytes on disk when read or saved; None when there was no file."""

    @classmethod
    def open(cls, root: Path, relative: str) -> OpenNote:
        text, digest = read_note_text(root / relative)
        return cls(root, relative, text, digest)

    @property
    def path(self) -> Path:
        return self.root / self.relative

    def changed_on_disk(self) -> bool:
        return disk_digest(self.path) != self.digest

    def save(self, text: str, overwrite: bool = False) -> None:
        """Write `text`; NoteChangedError when the file changed since it was read, unless
        `overwrite`. (Another program could still write in the instant between the check and
        the rename: the window is microseconds, not the minutes an editor stays open.)"""
        if not overwrite and self.changed_on_disk():
            raise NoteChangedError(self.path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.digest = atomic_write(self.path, text)
        self.text = text

    def reload(self) -> str:
        """Take the file as it is on disk now (dropping what `save` would have written)."""
        self.text, self.digest = read_note_text(self.path)
        return self.text


def refuse_foreign(root: Path, relative: str) -> None:
    """NoteError for a note read in place in another format (`[formats]` in studyterm.toml):
    studyterm never writes into those files, so its editor and quick add stay out of them."""
    from studyterm.config import CONFIG_FILE, ConfigError, load_config
    from studyterm.notes.formats import format_of

    try:
        formats = dict(load_config(root / CONFIG_FILE).formats)
    except ConfigError:
        return
    fmt = format_of(relative, formats)
    if fmt:
        raise NoteError(f"{relative} is a {fmt} note read in place (studyterm.toml [formats]); studyterm "
                        f"never writes into it: edit it with its own tool, or with your $EDITOR")


def slugify(title: str) -> str:
    """A file name stem for a title: lower case words joined by '-', letters of any script kept."""
    text = unicodedata.normalize("NFKC", title).casefold()
    slug = _NOT_WORD.sub("-", text).replace("_", "-")
    slug = re.sub("-{2,}", "-", slug).strip("-")[:MAX_SLUG].rstrip("-")
    return slug or "note"


def deck_folders(deck: str) -> tuple[str, ...]:
    """The folders under concepts/ for a deck (`dlfs2/ch03` or `dlfs2::ch03`); NoteError when a
    part could not be a folder that sync reads."""
    parts = tuple(normalize_deck(deck).split("/")) if deck.strip() else ()
    for part in parts:
        if part in (".", "..") or part.startswith((".", "_")):
            raise NoteError(f"deck part {part!r} cannot start with '.' or '_' (such folders are not read)")
        if _BAD_FOLDER_CHARS.search(part):
            raise NoteError(f"deck part {part!r} has a character that cannot be in a folder name")
    return tuple(part for part in parts if part)


def new_note_path(concepts: Path, deck: str, title: str) -> Path:
    """The first free `<slug>.md`, `<slug>-2.md`, ... in the deck's folder."""
    if not title.strip():
        raise NoteError("a note needs a title")
    folder = concepts.joinpath(*deck_folders(deck))
    stem = slugify(title)
    for number in range(1, 10_000):
        candidate = folder / (f"{stem}.md" if number == 1 else f"{stem}-{number}.md")
        if not candidate.exists():
            return candidate
    raise NoteError(f"too many notes called {stem} in {folder}")
