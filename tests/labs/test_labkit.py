"""The lab-side helper and the runner-side parser speak the same protocol."""

import json
import subprocess
import sys

import pytest

from studyterm import labkit
from studyterm.labs.events import MetricPoint, Progress
from studyterm.labs.protocol import FinalMetrics, ProtocolError, Unavailable, parse_line, split_line
from tests.labs.conftest import write_lab


@pytest.fixture
def context(monkeypatch):
    monkeypatch.setattr(labkit, "_context", {"protocol": 1, "params": {"lr": 0.1}, "quick": True})
    monkeypatch.setattr(labkit, "_last_progress", 0.0)


def sent(capsys) -> list:
    return [parse_line(line) for line in capsys.readouterr().out.splitlines()]


def test_every_labkit_message_parses_back(context, capsys):
    labkit.progress(1, 10)
    labkit.metric("loss", 3, 0.25)
    labkit.result({"accuracy": 0.9}, final_loss=0.1)
    assert sent(capsys) == [Progress(1, 10), MetricPoint("loss", 3, 0.25),
                            FinalMetrics({"accuracy": 0.9, "final_loss": 0.1})]
    assert labkit.params() == {"lr": 0.1} and labkit.quick() is True


def test_progress_is_throttled_but_the_last_step_always_goes_out(context, capsys):
    for step in range(1, 1001):
        labkit.progress(step, 1000)
    messages = sent(capsys)
    assert messages[-1] == Progress(1000, 1000)
    assert len(messages) < 20


def test_numpy_like_values_become_plain_numbers(context, capsys):
    class Scalar:
        def __float__(self):
            return 0.5

    labkit.metric("loss", 1, Scalar())
    labkit.result(final_loss=float("nan"))
    point, final = sent(capsys)
    assert point == MetricPoint("loss", 1, 0.5)
    assert final.metrics["final_loss"] != final.metrics["final_loss"]


def test_require_reports_a_missing_package_and_exits_cleanly(context, capsys):
    with pytest.raises(SystemExit) as exit_info:
        labkit.require("no_such_package_for_studyterm_tests")
    assert exit_info.value.code == 0
    (message,) = sent(capsys)
    assert isinstance(message, Unavailable) and "no_such_package_for_studyterm_tests" in message.reason
    assert labkit.require("json") is json


def test_a_script_run_by_hand_gets_the_defaults_of_its_lab_toml(collection_root):
    folder = write_lab(collection_root, "spiral", script="""
        from studyterm import labkit
        print(labkit.params(), labkit.quick())
        """)
    output = subprocess.run([sys.executable, str(folder / "train.py")], capture_output=True,
                            text=True, check=True, env={"PYTHONPATH": ":".join(sys.path)})
    assert output.stdout.strip() == "{'lr': 1.0, 'epochs': 300} False"


def test_a_context_of_another_protocol_version_is_refused(tmp_path, monkeypatch):
    path = tmp_path / "context.json"
    path.write_text(json.dumps({"protocol": 2, "params": {}}))
    monkeypatch.setattr(labkit, "_context", None)
    monkeypatch.setenv(labkit.CONTEXT_ENV, str(path))
    with pytest.raises(RuntimeError, match="protocol 2, but this labkit speaks 1"):
        labkit.params()


@pytest.mark.parametrize(
    "line",
    ["plain output", "{not json", "[1, 2]", '{"other": 1}', '{"studyterm_x": 1}', ""],
)
def test_ordinary_output_is_not_a_message(line):
    assert parse_line(line) is None


@pytest.mark.parametrize(
    "line, error",
    [
        ('{"studyterm": 2, "type": "progress", "step": 1}', "protocol version 2 is not supported"),
        ('{"studyterm": 1}', "unknown message type None"),
        ('{"studyterm": 1, "type": "progress", "step": -1}', "step must be a whole number >= 0"),
        ('{"studyterm": 1, "type": "progress", "step": true}', "step must be a whole number >= 0"),
        ('{"studyterm": 1, "type": "metric", "name": "", "step": 1, "value": 1}', "a metric name must be text"),
        ('{"studyterm": 1, "type": "metric", "name": "loss", "step": 1}', "value must be a number, got None"),
        ('{"studyterm": 1, "type": "result", "metrics": [1]}', "result needs a `metrics` object"),
    ],
)
def test_malformed_messages_are_protocol_errors(line, error):
    with pytest.raises(ProtocolError, match=error):
        parse_line(line)


def test_output_left_without_a_newline_is_split_from_the_message():
    line = 'epoch 3 ... {"studyterm": 1, "type": "progress", "step": 3, "total": 9}'
    output, message = split_line(line)
    assert output == "epoch 3 ... " and parse_line(message) == Progress(3, 9)
    assert split_line("plain") == ("", "plain")
