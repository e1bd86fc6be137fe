"""`studyterm export` and `studyterm import`: output, --json shapes, exit codes."""

import json

import pytest
from click.testing import CliRunner

from studyterm.cli import cli
from tests.conftest import write_note
from tests.test_import_hygiene import imported_after

NOW = "2026-11-21T10:00:00+00:00"


@pytest.fixture
def run(tmp_path):
    runner = CliRunner()

    def invoke(root, *args):
        return runner.invoke(cli, ["--collection", str(root), "--now", NOW, *args])

    return invoke


@pytest.fixture
def source(tmp_path):
    root = tmp_path / "source"
    write_note(root, "concepts/pytorch/loop.md", """
        ---
        tags: [training]
        lab: spiral
        ---
        Q: What is an epoch?
        A: One pass over the data.

        - The {{c1::forward pass}} computes {{c2::predictions}}.
        """)
    return root


@pytest.fixture
def target(tmp_path):
    root = tmp_path / "target"
    (root / "concepts").mkdir(parents=True)
    return root


def test_export_syncs_first_and_writes_the_default_path(run, source):
    result = run(source, "export")
    assert result.exit_code == 0, result.output
    assert result.output.strip() == f"Exported 3 cards (2 notes) of every deck to {source / 'decks/all.apkg'}"
    assert (source / "decks/all.apkg").is_file()


def test_export_json_shape(run, source, tmp_path):
    answered = run(source, "due", "--json")
    run(source, "answer", json.loads(answered.stdout)["cards"][0]["id"], "4")
    result = run(source, "export", "pytorch", "--with-scheduling", "-o", str(tmp_path / "out.apkg"), "--json")
    assert json.loads(result.stdout) == {
        "format": "apkg", "path": str(tmp_path / "out.apkg"), "deck": "pytorch", "notes": 2, "cards": 3,
        "reviews": 1, "media": [], "warnings": [],
    }
    md = json.loads(run(source, "export", "--format", "md", "--json").stdout)
    assert md["path"].endswith("decks/all.md") and md["format"] == "md"


@pytest.mark.parametrize("args, message", [
    (("export", "nosuch"), "Error: deck 'nosuch' has no cards; decks: pytorch"),
    (("export", "--format", "csv", "--with-scheduling"), "Error: --with-scheduling only applies to apkg"),
])
def test_export_errors_are_one_line(run, source, args, message):
    result = run(source, *args)
    assert result.exit_code == 1
    assert result.stderr.strip().startswith(message)


def test_import_reports_created_and_skipped_files(run, source, target):
    package = source / "decks/all.apkg"
    run(source, "export", "--with-scheduling")
    first = run(target, "import", str(package))
    assert first.exit_code == 0, first.output
    assert first.output.splitlines() == ["Imported 3 cards from all.apkg into 1 new note file",
                                         "  created concepts/pytorch.md"]
    shape = json.loads(run(target, "import", str(package), "--json").stdout)
    assert shape["created"] == [] and shape["updated"] == [] and shape["cards"] == 3  # found again, unchanged
    assert set(shape) == {"file", "format", "created", "updated", "added_notes", "updated_notes", "media", "found",
                          "cards", "skipped_cards", "with_progress", "reviews", "skipped", "warnings"}
    assert shape["found"] == shape["cards"] + shape["skipped_cards"] == 3
    assert (shape["reviews"], shape["added_notes"], shape["updated_notes"]) == (0, 0, 0)
    assert shape["warnings"] == []
    due = json.loads(run(target, "due", "--json").stdout)
    assert due["counts"]["new"] == 3


def test_import_errors(run, target, tmp_path):
    broken = tmp_path / "broken.apkg"
    broken.write_bytes(b"not a zip")
    result = run(target, "import", str(broken))
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: {broken} is not a valid Anki package")
    assert run(target, "import", str(tmp_path / "missing.apkg")).exit_code == 2
    big = run(target, "import", str(broken), "--max-size", "0")
    assert big.exit_code == 2


def test_the_cli_loads_export_code_only_when_a_command_needs_it():
    modules = imported_after("import studyterm.cli")
    assert "studyterm.interop.apkg_write" not in modules and "studyterm.interop.importer" not in modules


def test_newcomer_exports_the_sample_edits_a_note_and_anki_updates_it(run, tmp_path):
    """The issue's "done when": export the sample, import it in Anki, edit, export, import."""
    import os

    pytest.importorskip("anki")
    from tests.interop.conftest import import_into_anki

    anki_collection = pytest.importorskip("anki.collection").Collection(str(tmp_path / "anki.anki2"))
    root = tmp_path / "sample"
    assert CliRunner().invoke(cli, ["init", str(root), "--sample"]).exit_code == 0
    exported = json.loads(run(root, "export", "--json").stdout)
    first = import_into_anki(anki_collection, exported["path"])
    note, question = _a_basic_question(root)
    note.write_text(note.read_text(encoding="utf-8").replace(question, question + " (edited)", 1), encoding="utf-8")
    os.utime(note, (note.stat().st_mtime + 60, note.stat().st_mtime + 60))
    second = import_into_anki(anki_collection, json.loads(run(root, "export", "--json").stdout)["path"])
    try:
        assert (len(first.new), len(second.new), len(second.updated)) == (exported["notes"], 0, 1)
        assert anki_collection.note_count() == exported["notes"]
        assert anki_collection.db.scalar("SELECT count(*) FROM notes WHERE flds LIKE ?", f"%{question} (edited)%") == 1
    finally:
        anki_collection.close()


def _a_basic_question(root):
    """The first one-line `Q:` question of the sample's notes (whatever the sample holds) that
    reaches Anki's HTML field as written: no math, code, Markdown emphasis or a character that
    HTML escaping changes (an apostrophe is stored as `&#x27;`)."""
    for note in sorted((root / "concepts").rglob("*.md")):
        if note.name.startswith("_") or "_templates" in note.parts or note.name == "README.md":
            continue
        for line in note.read_text(encoding="utf-8").splitlines():
            plain = not any(char in line for char in "$`*_'\"&<>")
            if line.startswith("Q: ") and plain and len(line) > 10:
                return note, line[3:].strip()
    raise AssertionError("the sample has no plain Q: line")
