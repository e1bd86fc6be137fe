"""The CLI is a public interface: options, --json shapes, exit codes."""

import json

import click
import pytest
from click.testing import CliRunner

from studyterm.cli import cli
from tests.cli.conftest import NOW
from tests.conftest import write_note


@pytest.fixture
def notes(collection_root):
    write_note(
        collection_root,
        "concepts/pytorch/loop.md",
        """
        ---
        lab: spiral
        ---
        Q: What is an epoch?
        A: One pass over the data.

        step :: one update
        """,
    )


def all_commands():
    """Every command, the subcommands of groups (`lab run`) included."""
    context = click.Context(cli)
    for name in cli.list_commands(context):
        command = cli.get_command(context, name)
        yield name, command
        if isinstance(command, click.Group):
            context = click.Context(command)
            for sub_name in command.list_commands(context):
                yield f"{name} {sub_name}", command.get_command(context, sub_name)


def test_the_lazy_command_table_matches_each_module():
    from importlib import import_module

    from studyterm.cli.main import COMMAND_MODULES

    for module, names in COMMAND_MODULES.items():
        assert sorted(c.name for c in import_module(module).COMMANDS) == sorted(names), module


def test_every_command_has_help_text():
    runner = CliRunner()
    for name, command in all_commands():
        assert command.help and len(command.help) > 10, name
        result = runner.invoke(cli, [*name.split(), "--help"])
        assert result.exit_code == 0 and "Usage:" in result.output, name


def test_every_command_but_help_takes_json():
    for name, command in all_commands():
        if isinstance(command, click.Group):
            continue
        assert any(isinstance(p, click.Option) and "--json" in p.opts for p in command.params), name


def test_sync_json(run, notes):
    shape = run("sync", "--json", json_out=True)
    assert shape["notes"] == {"scanned": 1, "parsed": 1, "deleted": 0}
    assert shape["cards"]["created"] == 2
    assert shape["problems"] == []


def test_due_lists_cards_in_queue_order(run, notes):
    shape = run("due", "--json", json_out=True)
    assert shape["day"] == "2026-11-21"
    assert shape["counts"] == {"review": 0, "new": 2, "repeat": 0}
    assert [c["question"] for c in shape["cards"]] == ["What is an epoch?", "step"]
    assert set(shape["cards"][0]) == {"id", "queue", "deck", "question", "due", "overdue_days"}
    assert shape["cards"][0]["queue"] == "new"


def test_answer_then_card_json_with_history(run, notes):
    card_id = run("due", "--json", json_out=True)["cards"][0]["id"]
    answered = run("answer", card_id[:6], "3", "--duration", "7.5", "--json", json_out=True)
    assert answered["review"]["kind"] == "scheduled"
    assert answered["review"]["duration_ms"] == 7500
    shape = run("card", card_id, "--json", json_out=True)
    for key in ("id", "deck", "note", "question", "answer", "state", "ef", "interval_days",
                "repetitions", "due", "history", "lab"):
        assert key in shape, key
    assert shape["note"] == {"path": "concepts/pytorch/loop.md", "line": 4}
    assert (shape["ef"], shape["interval_days"], shape["repetitions"], shape["due"]) == (2.36, 1, 1, "2026-11-22")
    assert shape["state"] == "learning" and shape["repeat_today"] is True
    assert shape["lab"] == "spiral"
    (entry,) = shape["history"]
    assert (entry["grade"], entry["source"], entry["ef_before"], entry["ef_after"]) == (3, "review", 2.5, 2.36)


def test_next_day_the_card_is_a_review(run, notes):
    card_id = run("due", "--json", json_out=True)["cards"][0]["id"]
    run("answer", card_id, "5")
    shape = run("due", "--json", now="2026-11-22T09:00:00+00:00", json_out=True)
    assert shape["cards"][0] == {
        "id": card_id, "queue": "review", "deck": "pytorch", "question": "What is an epoch?",
        "due": "2026-11-22", "overdue_days": 0,
    }


def test_text_output_is_readable(run, notes):
    card_id = run("due", "--json", json_out=True)["cards"][0]["id"]
    result = run("answer", card_id, "5")
    assert result.output.strip() == f"{card_id} graded 5 (perfect): EF 2.50 -> 2.60, interval 1 day, due 2026-11-22"
    assert "What is an epoch?" in run("card", card_id).output


def test_suspend_and_unsuspend(run, notes):
    card_id = run("due", "--json", json_out=True)["cards"][0]["id"]
    assert run("suspend", card_id, "--json", json_out=True) == {"suspend": [card_id]}
    assert card_id not in [c["id"] for c in run("due", "--json", json_out=True)["cards"]]
    run("unsuspend", card_id)
    assert card_id in [c["id"] for c in run("due", "--json", json_out=True)["cards"]]


def test_undo_command(run, notes):
    card_id = run("due", "--json", json_out=True)["cards"][0]["id"]
    run("answer", card_id, "1")
    shape = run("undo", card_id, "--json", json_out=True)
    assert shape["card"]["state"] == "new" and shape["review"]["kind"] == "undo"
    assert run("undo", card_id).exit_code == 1


@pytest.mark.parametrize(
    "args, message",
    [
        (("answer", "nope", "4"), "no card with id 'nope'"),
        (("card", "zzzz"), "no card with id 'zzzz'"),
    ],
)
def test_errors_are_one_line_with_exit_status_one(run, notes, args, message):
    run("sync")
    result = run(*args)
    assert result.exit_code == 1
    assert result.stderr.strip() == f"Error: {message}"


def test_bad_grade_and_bad_time_are_usage_errors(run, notes):
    assert run("answer", "abc", "7").exit_code == 2
    result = run("due", now="yesterday-ish")
    assert result.exit_code == 2 and "not an ISO-8601 time" in result.stderr


def test_not_due_is_refused_without_force(run, notes):
    card_id = run("due", "--json", json_out=True)["cards"][0]["id"]
    run("answer", card_id, "5")
    refused = run("answer", card_id, "5")
    assert refused.exit_code == 1 and "--force" in refused.stderr
    assert run("answer", card_id, "5", "--force").exit_code == 0


def test_missing_collection_is_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("STUDYTERM_COLLECTION", raising=False)
    result = CliRunner().invoke(cli, ["due"])
    assert result.exit_code == 1 and "studyterm init" in result.stderr


def test_environment_variables_set_collection_and_time(collection_root, notes, monkeypatch):
    monkeypatch.setenv("STUDYTERM_COLLECTION", str(collection_root))
    monkeypatch.setenv("STUDYTERM_NOW", "2030-01-01T12:00:00+00:00")
    result = CliRunner().invoke(cli, ["due", "--json"])
    assert json.loads(result.stdout)["day"] == "2030-01-01"


def test_collection_found_by_walking_up(collection_root, notes, monkeypatch):
    monkeypatch.delenv("STUDYTERM_COLLECTION", raising=False)
    monkeypatch.chdir(collection_root / "concepts" / "pytorch")
    result = CliRunner().invoke(cli, ["--now", NOW, "due", "--json"])
    assert json.loads(result.stdout)["counts"]["new"] == 2


@pytest.mark.parametrize(
    "args",
    [
        ["due", "--json", "--collection", "{root}", "--now", "2030-01-01T12:00:00+00:00"],
        ["due", "--collection={root}", "--json", "--now=2030-01-01T12:00:00+00:00"],
        ["--now", "2030-01-01T12:00:00+00:00", "due", "--collection", "{root}", "--json"],
    ],
)
def test_global_options_may_follow_the_command(collection_root, notes, monkeypatch, tmp_path, args):
    monkeypatch.chdir(tmp_path)  # outside the collection: only --collection can find it
    monkeypatch.delenv("STUDYTERM_COLLECTION", raising=False)
    monkeypatch.delenv("STUDYTERM_NOW", raising=False)
    result = CliRunner().invoke(cli, [arg.format(root=collection_root) for arg in args])
    assert result.exit_code == 0, result.output
    shape = json.loads(result.stdout)
    assert shape["day"] == "2030-01-01" and shape["counts"]["new"] == 2


def test_a_global_option_without_its_value_is_a_usage_error(collection_root, notes):
    result = CliRunner().invoke(cli, ["sync", "--collection"])
    assert result.exit_code == 2
    assert "'--collection' requires an argument" in result.stderr


def test_nothing_after_a_double_dash_is_read_as_a_global_option():
    from studyterm.cli.main import global_options_first

    assert global_options_first(["check", "--", "--collection", "x"]) == ["check", "--", "--collection", "x"]
    assert global_options_first(["check", "--debug", "a.md", "--now", "T"]) == ["--debug", "--now", "T", "check", "a.md"]


def test_init_and_init_sample(tmp_path):
    runner = CliRunner()
    empty = runner.invoke(cli, ["init", str(tmp_path / "empty"), "--json"])
    assert empty.exit_code == 0
    assert (tmp_path / "empty/concepts").is_dir() and (tmp_path / "empty/decks").is_dir()
    assert ".studyterm/" in (tmp_path / "empty/.gitignore").read_text()
    again = runner.invoke(cli, ["init", str(tmp_path / "empty")])
    assert again.exit_code == 1 and "already" in again.stderr
    sample = runner.invoke(cli, ["init", str(tmp_path / "sample"), "--sample"])
    assert sample.exit_code == 0
    synced = runner.invoke(cli, ["--collection", str(tmp_path / "sample"), "sync", "--json"])
    assert json.loads(synced.stdout)["cards"]["created"] >= 6


def test_problems_are_printed_as_path_line_message(run, collection_root):
    write_note(collection_root, "concepts/bad.md", "ok :: fine\n\nQ: lonely\n")
    result = run("sync")
    assert "concepts/bad.md:3: 'Q:' without 'A:'" in result.output
    due = run("due")
    assert "1 problem in your notes" in due.stderr


def test_every_command_is_documented_in_cli_md():
    from pathlib import Path

    text = (Path(__file__).resolve().parents[2] / "docs" / "cli.md").read_text(encoding="utf-8")
    for name, command in all_commands():
        if not isinstance(command, click.Group):
            assert f"| `{name}" in text, f"{name} has no row in docs/cli.md's command table"


def test_review_of_an_unknown_deck_names_it_and_the_decks_there_are(run, notes):
    result = run("review", "--deck", "pytroch")
    assert result.exit_code == 1
    assert "no deck named 'pytroch'" in result.output and "decks: pytorch" in result.output
