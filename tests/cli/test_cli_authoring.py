"""`studyterm new` and `studyterm check`: files, $EDITOR, output format, exit codes."""

import json
import os
import sys

import pytest
from click.testing import CliRunner

from studyterm.cli import cli
from studyterm.layout import init_collection
from tests.conftest import write_note

NOW = "2026-11-21T10:00:00+00:00"


@pytest.fixture
def root(tmp_path):
    layout, _ = init_collection(tmp_path / "collection")
    return layout.root


@pytest.fixture
def run(root, monkeypatch):
    def invoke(*args, editor="true", cwd=None):
        monkeypatch.setenv("EDITOR", editor)
        monkeypatch.delenv("VISUAL", raising=False)
        if cwd is not None:
            monkeypatch.chdir(cwd)
        return CliRunner().invoke(cli, ["--collection", str(root), "--now", NOW, *args])

    return invoke


def test_new_creates_the_note_from_a_template_and_runs_the_editor(run, root, tmp_path):
    log = tmp_path / "editor.log"
    editor = f"{sys.executable} -c \"import sys; open({str(log)!r}, 'w').write(' '.join(sys.argv[1:]))\""
    result = run("new", "Softmax: the stable way", "--deck", "dlfs2/ch03", "--template", "concept", editor=editor)
    assert result.exit_code == 0, result.output
    note = root / "concepts" / "dlfs2" / "ch03" / "softmax-the-stable-way.md"
    text = note.read_text(encoding="utf-8")
    assert text.startswith('---\ntitle: "Softmax: the stable way"\ndate: "2026-11-21"\n')
    assert "## Mathematical foundation" in text
    line = text.split("\n").index("## Mathematical foundation") + 3
    assert log.read_text() == f"+{line} {note}"
    assert result.output == "concepts/dlfs2/ch03/softmax-the-stable-way.md (deck dlfs2/ch03, template concept): 0 cards\n"


def test_new_reports_the_cards_written_in_the_editor(run, root):
    script = "import sys; open(sys.argv[-1], 'a').write('\\nQ: What is an epoch?\\nA: One pass.\\n\\nQ: broken\\n')"
    result = run("new", "Epochs", "--json", editor=f"{sys.executable} -c \"{script}\"")
    assert result.exit_code == 0, result.output
    shape = json.loads(result.output)
    assert shape["path"] == "concepts/epochs.md" and shape["deck"] == "default" and shape["template"] == "session"
    assert shape["cards"] == 1 and shape["edited"] is True
    assert [(p["severity"], p["message"][:20]) for p in shape["problems"]] == [("error", "'Q:' without 'A:' (n")]


def test_new_never_overwrites(run, root):
    assert run("new", "Epochs", "--no-edit").exit_code == 0
    (root / "concepts" / "epochs.md").write_text("mine\n", encoding="utf-8")
    result = run("new", "Epochs", "--no-edit", "--json")
    assert json.loads(result.output)["path"] == "concepts/epochs-2.md"
    assert (root / "concepts" / "epochs.md").read_text(encoding="utf-8") == "mine\n"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["new", "T", "--deck", "_secret", "--no-edit"], "cannot start with '.' or '_'"),
        (["new", "T", "--template", "nope", "--no-edit"], "no template 'nope'"),
        (["new", "   ", "--no-edit"], "a note needs a title"),
    ],
)
def test_new_refuses_bad_input_with_one_line(run, root, args, message):
    result = run(*args)
    assert result.exit_code == 1
    assert message in result.output and result.output.startswith("Error: ")
    assert not [p for p in (root / "concepts").rglob("*.md") if "_templates" not in p.parts]


def test_new_says_when_the_editor_fails_and_keeps_the_file(run, root):
    result = run("new", "Epochs", editor="false")
    assert result.exit_code == 1
    assert "created concepts/epochs.md, but false exited with status 1" in result.output
    assert (root / "concepts" / "epochs.md").exists()


def test_check_prints_path_line_message_and_fails_on_errors(run, root):
    write_note(root, "concepts/ok.md", "a :: b\n")
    write_note(root, "concepts/deck/bad.md", "Q: lonely\n\nc :: d\nlab: nowhere\n")
    result = run("check", cwd=root)
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "concepts/deck/bad.md:1: 'Q:' without 'A:' (no answer before the next card, heading or end)",
        "concepts/deck/bad.md:3: warning: this card links lab 'nowhere', which is not a folder with a lab.toml under labs/",
    ]
    assert result.stderr == "2 notes checked: 1 error, 1 warning\n"


def test_check_passes_with_warnings_only(run, root):
    write_note(root, "concepts/warn.md", "A: no question\n\na :: b\n")
    result = run("check", str(root / "concepts" / "warn.md"), cwd=root)
    assert result.exit_code == 0
    assert result.stdout == "concepts/warn.md:1: warning: 'A:' without a 'Q:' before it is ignored\n"


def test_check_json_lists_problems_and_skips(run, root):
    write_note(root, "concepts/bad.md", "Q: lonely\n")
    result = run("check", "concepts/bad.md", "concepts/_templates/session.md", "--json", cwd=root)
    assert result.exit_code == 1
    shape = json.loads(result.stdout)
    assert shape["checked"] == 1 and shape["errors"] == 1 and shape["warnings"] == 0
    assert shape["problems"][0] == {
        "path": "concepts/bad.md", "line": 1, "severity": "error",
        "message": "'Q:' without 'A:' (no answer before the next card, heading or end)",
    }
    assert shape["skipped"] == [{"path": "concepts/_templates/session.md", "reason": "a template or hidden file, not a note"}]


def test_check_works_outside_any_collection(tmp_path, monkeypatch):
    loose = tmp_path / "loose"
    loose.mkdir()
    (loose / "note.md").write_text("ok :: fine\n\nQ: half\n", encoding="utf-8")
    monkeypatch.chdir(loose)
    monkeypatch.delenv("STUDYTERM_COLLECTION", raising=False)
    result = CliRunner().invoke(cli, ["check", "note.md"])
    assert result.exit_code == 1
    assert result.stdout == "note.md:3: 'Q:' without 'A:' (no answer before the next card, heading or end)\n"
    assert CliRunner().invoke(cli, ["check", "missing.md"]).exit_code == 2


def test_check_with_no_path_needs_a_collection(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("STUDYTERM_COLLECTION", raising=False)
    result = CliRunner().invoke(cli, ["check"])
    assert result.exit_code == 1 and "no studyterm collection" in result.output


def test_the_sample_collection_checks_clean():
    result = CliRunner().invoke(cli, ["check", "--json", os.fspath(_sample_concepts())])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["errors"] == 0


def _sample_concepts():
    from studyterm.layout import sample_source

    return sample_source() / "concepts"
