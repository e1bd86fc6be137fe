"""read_note_file: every byte of a note, at most MAX_NOTE_BYTES, never blocking on a FIFO."""

from __future__ import annotations

import os

import pytest

from studyterm.notes import files
from studyterm.notes.files import NoteReadError, read_note_file


@pytest.mark.parametrize("size", [0, 1, 1500, 65_535, 65_536, 65_537, 200_003])
def test_reads_every_byte(tmp_path, size):
    data = bytes(range(256)) * (size // 256 + 1)
    path = tmp_path / "note.md"
    path.write_bytes(data[:size])
    assert read_note_file(path) == data[:size]


def test_a_note_of_exactly_the_limit_is_read_and_one_byte_more_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(files, "MAX_NOTE_BYTES", 100_000)
    path = tmp_path / "note.md"
    path.write_bytes(b"x" * 100_000)
    assert len(read_note_file(path)) == 100_000
    path.write_bytes(b"x" * 100_001)
    with pytest.raises(NoteReadError, match="larger than"):
        read_note_file(path)


def test_a_note_that_grew_after_its_size_was_taken_is_read_to_its_end(tmp_path, monkeypatch):
    path = tmp_path / "note.md"
    path.write_bytes(b"Q: q?\nA: a\n" * 20_000)
    real_fstat = os.fstat

    class Stale:
        def __init__(self, info):
            self.st_mode, self.st_size = info.st_mode, 10

    monkeypatch.setattr(files.os, "fstat", lambda fd: Stale(real_fstat(fd)))
    assert read_note_file(path) == path.read_bytes()


def test_a_fifo_is_refused_without_blocking(tmp_path):
    fifo = tmp_path / "pipe.md"
    os.mkfifo(fifo)
    with pytest.raises(NoteReadError, match="not a regular file|regular"):
        read_note_file(fifo)
