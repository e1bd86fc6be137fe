"""Checking files and folders, inside a collection or not."""

from studyterm.authoring.check import check_paths, note_files
from tests.conftest import write_note


def test_note_files_skip_templates_and_hidden_names(collection_root):
    write_note(collection_root, "concepts/a.md", "a :: b\n")
    write_note(collection_root, "concepts/deck/b.md", "a :: b\n")
    write_note(collection_root, "concepts/_templates/t.md", "---\ntitle: {{title}}\n---\n")
    write_note(collection_root, "concepts/.a.md.x1.tmp", "junk")
    write_note(collection_root, "concepts/deck/notes.txt", "not markdown")
    write_note(collection_root, "concepts/deck/README.md", "plan :: a study plan, not a note\n")
    names = [p.relative_to(collection_root).as_posix() for p in note_files(collection_root / "concepts")]
    assert names == ["concepts/a.md", "concepts/deck/b.md"]


def test_problems_and_skips_in_a_collection(collection_root):
    write_note(collection_root, "concepts/ok.md", "a :: b\n")
    write_note(collection_root, "concepts/bad.md", "Q: lonely\n\nc :: d\nlab: missing\n")
    template = write_note(collection_root, "concepts/_templates/t.md", "---\ntitle: {{title}}\n---\n")
    readme = write_note(collection_root, "README.md", "Q: not a note\n")
    report = check_paths([collection_root / "concepts", template, readme, collection_root / "concepts" / "ok.md"])
    assert len(report.checked) == 2  # ok.md once, though given twice
    assert [(p.line, p.severity.value) for _, p in report.problems] == [(1, "error"), (3, "warning")]
    assert (report.errors, report.warnings) == (1, 1)
    assert [why for _, why in report.skipped] == [
        "a template or hidden file, not a note", "not under concepts/, so not a note",
    ]


def test_a_file_outside_any_collection_is_checked_as_given(tmp_path):
    note = tmp_path / "loose.md"
    note.write_text("Q: what?\nA:\n\nx :: y\nlab: whatever\n", encoding="utf-8")
    report = check_paths([note], display=lambda p: p.name)
    assert [(path, p.line) for path, p in report.problems] == [("loose.md", 1)]  # no lab check


def test_unreadable_files_are_errors(tmp_path):
    note = tmp_path / "latin.md"
    note.write_bytes("caf\xe9 :: coffee\n".encode("latin-1"))
    report = check_paths([note])
    assert report.errors == 1 and "UTF-8" in report.problems[0][1].message


def test_a_link_to_a_hole_is_checked_against_its_lab(collection_root):
    (collection_root / "labs" / "spiral").mkdir()
    (collection_root / "labs" / "spiral" / "lab.toml").write_text('entry = "train.py"\n')
    write_note(collection_root, "concepts/a.md",
               "a :: b\nlab: spiral#sgd_update\n\nc :: d\nlab: spirals#sgd_update\n")
    report = check_paths([collection_root / "concepts"])
    assert [(p.line, p.message) for _, p in report.problems] == [
        (4, "this card links lab 'spirals#sgd_update', which is not a folder with a lab.toml under labs/")]
