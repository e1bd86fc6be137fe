"""Atomic writes, no clobbering, conflict detection, slugs and deck folders."""

import os
import stat

import pytest

from studyterm.authoring import files
from studyterm.authoring.files import (
    NoteChangedError,
    NoteError,
    OpenNote,
    atomic_write,
    create_exclusive,
    deck_folders,
    new_note_path,
    read_note_text,
    slugify,
)


def leftovers(folder):
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


def test_atomic_write_replaces_the_file_and_keeps_its_mode(tmp_path):
    note = tmp_path / "a.md"
    note.write_text("old\n", encoding="utf-8")
    note.chmod(0o640)
    digest = atomic_write(note, "new ünïcode\n")
    assert note.read_text(encoding="utf-8") == "new ünïcode\n"
    assert stat.S_IMODE(note.stat().st_mode) == 0o640
    assert digest == files.digest_of("new ünïcode\n".encode())
    assert leftovers(tmp_path) == []


def test_a_failed_rename_leaves_the_old_file_whole_and_no_temporary_file(tmp_path, monkeypatch):
    note = tmp_path / "a.md"
    note.write_text("precious\n", encoding="utf-8")

    def crash(source, target):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(files.os, "replace", crash)
    with pytest.raises(OSError, match="No space"):
        atomic_write(note, "half-written")
    assert note.read_text(encoding="utf-8") == "precious\n"
    assert leftovers(tmp_path) == []


def test_a_failed_write_leaves_the_old_file_whole(tmp_path, monkeypatch):
    note = tmp_path / "a.md"
    note.write_text("precious\n", encoding="utf-8")
    monkeypatch.setattr(files.os, "fsync", lambda fd: (_ for _ in ()).throw(OSError(5, "I/O error")))
    with pytest.raises(OSError, match="I/O error"):
        atomic_write(note, "new")
    assert note.read_text(encoding="utf-8") == "precious\n"
    assert leftovers(tmp_path) == []


def test_a_symlinked_note_is_written_through_its_link(tmp_path):
    real = tmp_path / "real.md"
    real.write_text("old", encoding="utf-8")
    link = tmp_path / "link.md"
    link.symlink_to(real)
    atomic_write(link, "new")
    assert link.is_symlink()
    assert real.read_text(encoding="utf-8") == "new"


def test_create_exclusive_never_overwrites(tmp_path):
    note = tmp_path / "deck" / "a.md"
    create_exclusive(note, "first")
    with pytest.raises(FileExistsError):
        create_exclusive(note, "second")
    assert note.read_text(encoding="utf-8") == "first"
    assert leftovers(note.parent) == []
    assert stat.S_IMODE(note.stat().st_mode) == 0o666 & ~files._umask()


def test_open_note_saves_until_someone_else_writes(tmp_path):
    (tmp_path / "concepts").mkdir()
    path = tmp_path / "concepts" / "a.md"
    path.write_text("one\n", encoding="utf-8")
    opened = OpenNote.open(tmp_path, "concepts/a.md")
    opened.save("two\n")
    opened.save("three\n")
    assert path.read_text(encoding="utf-8") == "three\n"

    path.write_text("changed in vim\n", encoding="utf-8")
    assert opened.changed_on_disk()
    with pytest.raises(NoteChangedError):
        opened.save("four\n")
    assert path.read_text(encoding="utf-8") == "changed in vim\n"
    opened.save("four\n", overwrite=True)
    assert path.read_text(encoding="utf-8") == "four\n"


def test_a_note_deleted_since_opening_is_a_conflict_too(tmp_path):
    path = tmp_path / "a.md"
    path.write_text("one\n", encoding="utf-8")
    opened = OpenNote.open(tmp_path, "a.md")
    path.unlink()
    with pytest.raises(NoteChangedError):
        opened.save("two\n")
    assert not path.exists()


def test_reload_takes_the_file_as_it_is_now(tmp_path):
    path = tmp_path / "a.md"
    path.write_text("one\n", encoding="utf-8")
    opened = OpenNote.open(tmp_path, "a.md")
    path.write_text("from git\n", encoding="utf-8")
    assert opened.reload() == "from git\n"
    assert not opened.changed_on_disk()


def test_reading_refuses_what_is_not_utf8_text(tmp_path):
    (tmp_path / "latin1.md").write_bytes("caf\xe9\nQ: x\n".encode("latin-1"))
    (tmp_path / "binary.md").write_bytes(b"\x89PNG\x00\x00")
    with pytest.raises(NoteError, match=r"latin1.md:1: not valid UTF-8"):
        read_note_text(tmp_path / "latin1.md")
    with pytest.raises(NoteError, match="binary"):
        read_note_text(tmp_path / "binary.md")


def test_line_endings_survive_a_round_trip(tmp_path):
    path = tmp_path / "a.md"
    path.write_bytes(b"Q: a\r\nA: b\r\n")
    opened = OpenNote.open(tmp_path, "a.md")
    opened.save(opened.text + "c :: d\r\n")
    assert path.read_bytes() == b"Q: a\r\nA: b\r\nc :: d\r\n"


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("Softmax & Cross-Entropy", "softmax-cross-entropy"),
        ("  Why   zero_grad()? ", "why-zero-grad"),
        ("Régularisation L2", "régularisation-l2"),
        ("誤差逆伝播法", "誤差逆伝播法"),
        ("_private.notes", "private-notes"),
        ("???", "note"),
        ("x" * 100, "x" * 60),
    ],
)
def test_slugify(title, slug):
    assert slugify(title) == slug


def test_deck_folders_accept_both_spellings_and_refuse_unread_folders():
    assert deck_folders("dlfs2/ch03") == ("dlfs2", "ch03")
    assert deck_folders(" dlfs2::ch03 ") == ("dlfs2", "ch03")
    assert deck_folders("") == ()
    for bad in ("_drafts", "dlfs2/.hidden", "../outside", "a/b:c"):
        with pytest.raises(NoteError):
            deck_folders(bad)


def test_new_note_path_picks_the_first_free_name(tmp_path):
    first = new_note_path(tmp_path, "dlfs2/ch03", "Softmax")
    assert first == tmp_path / "dlfs2" / "ch03" / "softmax.md"
    first.parent.mkdir(parents=True)
    first.write_text("taken")
    assert new_note_path(tmp_path, "dlfs2/ch03", "Softmax").name == "softmax-2.md"
    with pytest.raises(NoteError, match="title"):
        new_note_path(tmp_path, "", "   ")


def test_temporary_files_are_hidden_from_sync(tmp_path, monkeypatch):
    seen = []
    real_replace = os.replace

    def spy(source, target):
        seen.append(os.path.basename(source))
        real_replace(source, target)

    monkeypatch.setattr(files.os, "replace", spy)
    atomic_write(tmp_path / "a.md", "x")
    assert seen and seen[0].startswith(".a.md.")


def test_the_editor_reads_notes_with_the_bounded_read(tmp_path):
    from studyterm.authoring.files import NoteError, read_note_text

    fifo = tmp_path / "x.md"
    os.mkfifo(fifo)
    with pytest.raises(NoteError, match="not a regular file"):
        read_note_text(fifo)  # returns at once: the read never waits for a writer
    with pytest.raises(NoteError, match="does not exist"):
        read_note_text(tmp_path / "missing.md")
