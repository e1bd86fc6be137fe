import json

from click.testing import CliRunner

from studyterm.cli import cli
from studyterm.cli.review import _sample_layout
from studyterm.collection import Collection
from studyterm.layout import Layout
from studyterm.session import ReviewSession
from tests.conftest import ManualClock, write_note


def test_log_prints_sessions_as_markdown(collection_root):
    write_note(collection_root, "concepts/deck/a.md", "q0 :: a0\nq1 :: a1\n")
    clock = ManualClock("2026-11-21T09:30:00+00:00")
    with Collection.open(Layout(collection_root), clock) as collection:
        collection.sync()
        session = ReviewSession(collection, deck="deck", monotonic=lambda: 0.0)
        session.start()
        session.answer(5)
        session.answer(1)
        clock.advance(minutes=22)
        session.finish()
    runner = CliRunner()
    base = ["--collection", str(collection_root)]
    text = runner.invoke(cli, [*base, "log"]).output
    assert "## 2026-11-21 Sat 09:30–09:52 (22:00) · flash · deck" in text
    assert "- 2 answers on 2 cards, 50% graded 3 or more" in text
    assert "- watchlist: q1 (failed 1×)" in text
    (entry,) = json.loads(runner.invoke(cli, [*base, "log", "--json"]).stdout)
    assert (entry["deck"], entry["answers"], entry["mode"]) == ("deck", 2, "flash")


def test_log_without_sessions(collection_root):
    result = CliRunner().invoke(cli, ["--collection", str(collection_root), "log"])
    assert result.exit_code == 0 and "No sessions yet" in result.output


def test_outside_a_collection_the_sample_is_copied_once(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    layout = _sample_layout()
    assert layout.root == tmp_path / "data" / "studyterm" / "sample"
    assert any(layout.concepts.rglob("*.md"))
    marker = layout.concepts / "mine.md"
    marker.write_text("kept :: yes\n")
    assert _sample_layout().root == layout.root and marker.exists()
