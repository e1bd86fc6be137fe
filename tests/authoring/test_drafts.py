"""Drafts: kept under .studyterm/drafts/, offered back only when they differ from the file."""

from datetime import UTC, datetime

from studyterm.authoring.drafts import Drafts
from studyterm.authoring.files import OpenNote
from studyterm.layout import Layout

NOW = datetime(2026, 11, 21, 10, 0, tzinfo=UTC)


def opened(root, text="Q: a\nA: b\n"):
    path = root / "concepts" / "deck" / "a.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return OpenNote.open(root, "concepts/deck/a.md")


def test_a_draft_round_trips_and_is_offered_when_it_differs(tmp_path):
    drafts = Drafts(Layout(tmp_path))
    note = opened(tmp_path)
    drafts.save(note.relative, "Q: a\nA: b, typed but not saved\n", note.digest, NOW)
    assert drafts.path_of(note.relative) == tmp_path / ".studyterm" / "drafts" / "concepts" / "deck" / "a.md.json"
    draft = drafts.recoverable(note)
    assert draft.text == "Q: a\nA: b, typed but not saved\n"
    assert draft.saved_at == NOW
    assert not draft.file_changed_since(note)
    assert drafts.notes() == ["concepts/deck/a.md"]


def test_a_draft_equal_to_the_file_is_not_offered(tmp_path):
    drafts = Drafts(Layout(tmp_path))
    note = opened(tmp_path)
    drafts.save(note.relative, note.text, note.digest, NOW)
    assert drafts.recoverable(note) is None


def test_a_draft_knows_when_the_file_changed_under_it(tmp_path):
    drafts = Drafts(Layout(tmp_path))
    note = opened(tmp_path)
    drafts.save(note.relative, "mine\n", note.digest, NOW)
    reopened = opened(tmp_path, "Q: a\nA: changed by git pull\n")
    assert drafts.recoverable(reopened).file_changed_since(reopened)


def test_discard_removes_the_draft_and_its_empty_folders(tmp_path):
    drafts = Drafts(Layout(tmp_path))
    note = opened(tmp_path)
    drafts.save(note.relative, "mine\n", note.digest, NOW)
    drafts.discard(note.relative)
    drafts.discard(note.relative)  # twice is fine
    assert drafts.load(note.relative) is None
    assert list(drafts.folder.iterdir()) == []


def test_a_broken_draft_is_left_alone(tmp_path):
    drafts = Drafts(Layout(tmp_path))
    note = opened(tmp_path)
    path = drafts.path_of(note.relative)
    path.parent.mkdir(parents=True)
    path.write_text("{not json", encoding="utf-8")
    assert drafts.recoverable(note) is None
    assert path.read_text(encoding="utf-8") == "{not json"
