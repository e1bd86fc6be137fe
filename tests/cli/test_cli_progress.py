"""`progress` and `stats` on the command line: text, Markdown, the report file, JSON."""

from studyterm.progress.plan import PLAN_FILE
from tests.conftest import write_note

NOTE = "---\ndeck: nn\n---\none :: 1\n\ntwo :: 2\n"


def test_progress_prints_a_summary_markdown_and_json(run, collection_root):
    write_note(collection_root, "concepts/nn.md", NOTE)
    shown = run("progress")
    assert shown.exit_code == 0, shown.output
    assert "0/1 topics mastered" in shown.output and "learn its 2 new cards" in shown.output
    markdown = run("progress", "--markdown")
    assert markdown.output.startswith("# Study progress, 2026-11-21\n") and "- [ ] nn: 0%" in markdown.output
    shape = run("progress", "--json", json_out=True)
    assert set(shape) == {"overall", "mastered_topics", "topics_total", "cards", "plan", "domains", "topics",
                          "gaps_total", "gaps", "next"}
    assert shape["cards"] == {"total": 2, "new": 2, "young": 0, "mature": 0}


def test_the_report_file_is_written_and_never_through_a_link(run, collection_root, tmp_path):
    write_note(collection_root, "concepts/nn.md", NOTE)
    target = tmp_path / "PROGRESS.md"
    assert run("progress", "-o", str(target)).exit_code == 0
    assert target.read_text(encoding="utf-8").startswith("# Study progress")
    link = tmp_path / "link.md"
    link.symlink_to(tmp_path / "elsewhere.md")
    refused = run("progress", "-o", str(link))
    assert refused.exit_code == 1 and "not a regular file" in refused.output
    assert not (tmp_path / "elsewhere.md").exists()


def test_a_broken_plan_is_a_one_line_error(run, collection_root):
    (collection_root / PLAN_FILE).write_text("[[domain]]\nweight = 1\n", encoding="utf-8")
    result = run("progress")
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert result.output.strip() == f"Error: {collection_root / PLAN_FILE}: every [[domain]] needs an id (text)"


def test_stats_json_counts_answers(run, collection_root):
    write_note(collection_root, "concepts/nn.md", NOTE)
    due = run("due", "--json", json_out=True)
    card = due["cards"][0]["id"]
    assert run("answer", card, "5").exit_code == 0
    shape = run("stats", "--json", json_out=True)
    assert shape["answers"] == 1 and shape["calendar"] == [["2026-11-21", 1]]
    assert shape["buttons"]["5"] == 1 and shape["retention"]["young"]["rate"] is None
    assert run("stats").output.startswith("Answers       1 in the last year, 1 in the last 7 days")
