"""The runner side of the lab protocol: hostile lines become protocol errors, never exceptions."""

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from studyterm.labs.events import MetricPoint, Progress
from studyterm.labs.protocol import (
    MAX_DEPTH,
    MAX_MESSAGE_CHARS,
    FinalMetrics,
    ProtocolError,
    parse_line,
)

HEAD = '{"studyterm": 1, '


def test_well_formed_messages():
    assert parse_line(HEAD + '"type": "progress", "step": 2, "total": 5}') == Progress(2, 5)
    assert parse_line(HEAD + '"type": "metric", "name": "loss", "step": 1, "value": 0.5}') == MetricPoint("loss", 1, 0.5)
    assert parse_line(HEAD + '"type": "result", "metrics": {"a": 1}}') == FinalMetrics({"a": 1.0})
    assert parse_line("plain output") is None


@pytest.mark.parametrize("depth", [MAX_DEPTH + 1, 1_000, 30_000])
def test_deep_nesting_is_a_protocol_error(depth):
    line = HEAD + '"type": "result", "metrics": ' + "[" * depth + "]" * depth + "}"
    with pytest.raises(ProtocolError, match=f"a message may nest at most {MAX_DEPTH} levels"):
        parse_line(line)


def test_brackets_inside_strings_do_not_count_as_nesting():
    reason = "[{" * 1000 + '\\"' + "}]" * 1000
    line = HEAD + f'"type": "unavailable", "reason": "{reason}"' + "}"
    assert parse_line(line).reason.startswith("[{[{")


def test_an_oversized_message_is_a_protocol_error():
    line = HEAD + '"type": "result", "metrics": {"a": 1, "pad": "' + "x" * MAX_MESSAGE_CHARS + '"}}'
    with pytest.raises(ProtocolError, match="longer than"):
        parse_line(line)


@pytest.mark.parametrize("message, error", [
    ('"type": "metric", "name": "x", "step": 0, "value": ' + "9" * 400, "value is too large"),
    ('"type": "result", "metrics": {"x": ' + "9" * 400 + "}", "x is too large"),
    ('"type": "metric", "name": "x", "step": ' + "9" * 30 + ', "value": 1', "step must be a whole number"),
    ('"type": "progress", "step": 1, "total": ' + "9" * 30, "total must be a whole number"),
])
def test_numbers_out_of_range_are_protocol_errors(message, error):
    with pytest.raises(ProtocolError, match=error):
        parse_line(HEAD + message + "}")


def test_numbers_longer_than_python_converts_are_not_messages():
    # Python refuses int("9" * 5000): that is malformed JSON to the runner, kept as output.
    assert parse_line(HEAD + '"type": "progress", "step": ' + "9" * 5000 + "}") is None


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=10,
)


@settings(max_examples=200, deadline=None)
@given(
    kind=st.sampled_from(["progress", "metric", "result", "unavailable", "other"]),
    fields=st.dictionaries(st.sampled_from(["step", "total", "name", "value", "metrics", "reason"]), JSON),
)
def test_any_tagged_message_parses_or_is_a_protocol_error(kind, fields):
    line = json.dumps({"studyterm": 1, "type": kind, **fields})
    try:
        parse_line(line)
    except ProtocolError:
        pass


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_any_text_after_the_tag_parses_or_is_a_protocol_error(tail):
    try:
        parse_line(HEAD + tail)
    except ProtocolError:
        pass
