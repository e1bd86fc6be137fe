"""`studyterm fsrs ...`, `card` and `answer` under FSRS, on a collection whose review log is a
slice of a real public log (tests/fixtures/fsrs/README.md)."""

from __future__ import annotations

import csv
import json
import shutil
from datetime import datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from studyterm.cli import cli
from studyterm.clock import fixed_clock
from studyterm.collection import Collection
from studyterm.layout import Layout
from tests.conftest import write_note

SLICE = Path(__file__).resolve().parents[1] / "fixtures" / "fsrs" / "review-log-slice.csv"
CARDS = 40
AFTER = "2024-11-01T10:00:00+00:00"


@pytest.fixture(scope="module")
def reviewed(tmp_path_factory) -> Path:
    """A collection of 40 cards answered as the slice's first 40 cards were (grade = rating + 1)."""
    root = tmp_path_factory.mktemp("reviewed") / "collection"
    (root / "concepts").mkdir(parents=True)
    write_note(root, "concepts/deck.md", "\n\n".join(f"question {i} :: answer {i}" for i in range(CARDS)) + "\n")
    moment = [datetime.fromisoformat("2024-03-01T10:00:00+00:00")]
    with Collection.open(Layout(root), lambda: moment[0]) as collection:
        collection.sync()
        ids = collection.store.new_card_ids(collection.today(), None, 1000)
        mapping: dict[str, str] = {}
        with SLICE.open(newline="", encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                if row["card_id"] not in mapping:
                    if len(mapping) == CARDS:
                        continue
                    mapping[row["card_id"]] = ids[len(mapping)]
                moment[0] = datetime.fromisoformat(row["review_time"])
                collection.answer(mapping[row["card_id"]], int(row["review_rating"]) + 1, force=True)
    return root


@pytest.fixture
def copy(reviewed, tmp_path) -> Path:
    target = tmp_path / "collection"
    shutil.copytree(reviewed, target)
    return target


def invoke(root: Path, *args: str, now: str = AFTER):
    return CliRunner().invoke(cli, ["--collection", str(root), "--now", now, *args])


def use(root: Path, scheduler: str) -> None:
    (root / "studyterm.toml").write_text(f'[review]\nscheduler = "{scheduler}"\n', encoding="utf-8")


def test_status_names_the_scheduler_and_the_default_parameters(copy):
    shape = json.loads(invoke(copy, "fsrs", "status", "--json").stdout)
    assert shape["scheduler"] == "sm2" and shape["parameters"] == "default" and shape["last_fit"] is None
    use(copy, "fsrs")
    assert json.loads(invoke(copy, "fsrs", "status", "--json").stdout)["scheduler"] == "fsrs"


def test_evaluate_without_fitting_scores_sm2_and_default_fsrs_on_the_same_future(copy):
    result = invoke(copy, "fsrs", "evaluate", "--no-optimize", "--json")
    assert result.exit_code == 0, result.output
    shape = json.loads(result.stdout)
    sm2, fsrs = shape["models"]["sm2"], shape["models"]["fsrs_default"]
    assert sm2["reviews"] == fsrs["reviews"] > 50
    assert fsrs["log_loss"] < sm2["log_loss"]  # on this learner, FSRS predicts better
    assert shape["models"]["fsrs_optimized"] is None and shape["best"] == "fsrs_default"
    text = invoke(copy, "fsrs", "evaluate", "--no-optimize").output
    assert "fsrs_default" in text and "best (lowest log loss): fsrs_default" in text


def test_optimize_refuses_a_short_history_in_one_line(copy):
    result = invoke(copy, "fsrs", "optimize")
    assert result.exit_code == 1
    assert "the optimizer needs at least 512" in result.output and "Traceback" not in result.output


def test_reset_and_a_damaged_parameter_setting(copy):
    assert json.loads(invoke(copy, "fsrs", "reset", "--json").stdout) == {"reset": False}
    from studyterm.store import Store
    from studyterm.store.scheduling import FSRS_PARAMETERS, set_setting

    with Store.open(copy / ".studyterm" / "studyterm.db") as store:
        set_setting(store, FSRS_PARAMETERS, "[1, 2")
    use(copy, "fsrs")
    card_id = _some_card(copy)
    broken = invoke(copy, "answer", card_id, "4", "--force")
    assert broken.exit_code == 1 and "unreadable; run `studyterm fsrs reset`" in broken.output
    assert "Traceback" not in broken.output
    assert json.loads(invoke(copy, "fsrs", "reset", "--json").stdout) == {"reset": True}
    assert invoke(copy, "answer", card_id, "4", "--force").exit_code == 0


def test_card_shows_recall_under_both_schedulers(copy):
    first = json.loads(invoke(copy, "card", _some_card(copy), "--json").stdout)
    memory = first["memory"]
    assert memory["scheduler"] == "sm2"
    assert 0 < memory["fsrs"]["recall"] <= 1 and memory["fsrs"]["stability"] > 0
    assert 1 <= memory["fsrs"]["difficulty"] <= 10
    assert 0 < memory["sm2"]["recall"] <= 1
    assert "SM-2 recall" in invoke(copy, "card", _some_card(copy)).output


def _some_card(root: Path) -> str:
    with Collection.open(Layout(root), fixed_clock(datetime.fromisoformat(AFTER))) as collection:
        return collection.search(limit=1)[0].id


def test_answer_under_fsrs_says_when_fsrs_wants_the_card_back(copy):
    use(copy, "fsrs")
    card_id = _some_card(copy)
    shape = json.loads(invoke(copy, "card", card_id, "--json").stdout)
    result = invoke(copy, "answer", card_id, "4", "--force")
    assert result.exit_code == 0, result.output
    assert "FSRS: due" in result.output
    after = json.loads(invoke(copy, "card", card_id, "--json").stdout)
    assert after["due"] == after["memory"]["fsrs"]["due"] != shape["due"]


@pytest.mark.slow  # the optimizer: about a minute on two busy cores
def test_optimize_fits_keeps_the_parameters_and_redates_fsrs_cards(tmp_path):
    root = tmp_path / "big"
    (root / "concepts").mkdir(parents=True)
    write_note(root, "concepts/deck.md", "\n\n".join(f"q{i} :: a{i}" for i in range(90)) + "\n")
    moment = [datetime.fromisoformat("2024-03-01T10:00:00+00:00")]
    with Collection.open(Layout(root), lambda: moment[0]) as collection:
        collection.sync()
        ids = collection.store.new_card_ids(collection.today(), None, 1000)
        mapping: dict[str, str] = {}
        with SLICE.open(newline="", encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                if row["card_id"] not in mapping:
                    mapping[row["card_id"]] = ids[len(mapping)]
                card = mapping[row["card_id"]]
                moment[0] = datetime.fromisoformat(row["review_time"])
                collection.answer(card, int(row["review_rating"]) + 1, force=True)
    use(root, "fsrs")
    before = json.loads(invoke(root, "due", "--json", "--no-sync").stdout)
    result = invoke(root, "fsrs", "optimize", "--json")
    assert result.exit_code == 0, result.output
    shape = json.loads(result.stdout)
    assert len(shape["parameters"]) == 21 and shape["train_reviews"] > 0
    assert "optimizing: epoch 5/5" in result.stderr
    status = json.loads(invoke(root, "fsrs", "status", "--json").stdout)
    assert status["parameters"] == "optimized" and status["last_fit"]["log_loss_after"] == shape["log_loss_after"]
    after = json.loads(invoke(root, "due", "--json", "--no-sync").stdout)
    assert before != after


def test_use_switches_and_rewrites_due_dates(copy):
    due_sm2 = json.loads(invoke(copy, "due", "--json", "--no-sync").stdout)
    shape = json.loads(invoke(copy, "fsrs", "use", "fsrs", "--retention", "0.85", "--json").stdout)
    assert shape["scheduler"] == "fsrs" and shape["desired_retention"] == 0.85 and shape["redated"]
    assert json.loads(invoke(copy, "fsrs", "status", "--json").stdout)["scheduler"] == "fsrs"
    assert json.loads(invoke(copy, "due", "--json", "--no-sync").stdout) != due_sm2
    assert "already in use" in invoke(copy, "fsrs", "use", "fsrs").output
    invoke(copy, "fsrs", "use", "sm2")
    assert json.loads(invoke(copy, "due", "--json", "--no-sync").stdout) == due_sm2
    refused = invoke(copy, "fsrs", "use", "fsrs", "--retention", "0.5")
    assert refused.exit_code == 2 and "0.7" in refused.output
