"""Protocol version 1 between a lab process and studyterm, runner side (docs/labs.md).

A lab writes one JSON object per stdout line, tagged with `"studyterm": 1`. Every other line is
log output. A tagged line that is malformed is reported as a protocol error and kept in the log;
it never stops the run, and nothing a lab prints can make the parser raise anything else (a
message nested thousands deep would make json.loads raise RecursionError: depth and size are
bounded before it runs).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from studyterm.labkit import CONTEXT_ENV, PROTOCOL_KEY, PROTOCOL_VERSION
from studyterm.labkit.markers import HOLE_NAME
from studyterm.labs.events import HoleChecked, MetricPoint, Progress

MAX_NAME = 64
MAX_DEPTH = 8
"""Brackets a message may nest (labkit's nest 2 deep)."""
MAX_MESSAGE_CHARS = 64 * 1024
MAX_WHOLE = 2**63 - 1
"""Steps and totals beyond this are no real count (and SQLite could not hold them)."""
_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')
_BRACKET = re.compile(r"[\[\]{}]")
MARKER = '{"' + PROTOCOL_KEY + '":'
"""How every labkit message starts (the tag is its first key)."""

__all__ = ["CONTEXT_ENV", "PROTOCOL_VERSION", "ProtocolError", "parse_line", "split_line"]


class ProtocolError(ValueError):
    pass


@dataclass(frozen=True)
class FinalMetrics:
    metrics: dict[str, float]


@dataclass(frozen=True)
class Unavailable:
    reason: str


Message = Progress | MetricPoint | FinalMetrics | Unavailable | HoleChecked
HOLE_STATUSES = ("passed", "failed", "not_started")


def split_line(line: str) -> tuple[str, str]:
    """(output, message text): output a lab printed without a newline (a progress bar, a bare
    `print(end="")`) ends up in front of the next labkit message on the same line."""
    start = line.find(MARKER)
    if start <= 0:
        return "", line
    return line[:start], line[start:]


def parse_line(line: str) -> Message | None:
    """The protocol message on this line, or None when it is ordinary output."""
    text = line.strip()
    if not text.startswith("{") or f'"{PROTOCOL_KEY}"' not in text:
        return None
    _check_size(text)
    try:
        data = json.loads(text)
    except ValueError:
        return None
    if not isinstance(data, dict) or PROTOCOL_KEY not in data:
        return None
    version = data[PROTOCOL_KEY]
    if version != PROTOCOL_VERSION:
        raise ProtocolError(f"protocol version {version!r} is not supported (this studyterm speaks {PROTOCOL_VERSION})")
    kind = data.get("type")
    parser = _PARSERS.get(kind) if isinstance(kind, str) else None
    if parser is None:
        raise ProtocolError(f"unknown message type {kind!r}")
    return parser(data)


def _check_size(text: str) -> None:
    """Refuse a message too long or nested too deep to be one labkit wrote."""
    if len(text) > MAX_MESSAGE_CHARS:
        raise ProtocolError(f"a message is longer than {MAX_MESSAGE_CHARS} characters")
    depth = 0
    for bracket in _BRACKET.findall(_STRING.sub("", text)):
        depth += 1 if bracket in "[{" else -1
        if depth > MAX_DEPTH:
            raise ProtocolError(f"a message may nest at most {MAX_DEPTH} levels of brackets")


def _progress(data: dict) -> Progress:
    step = _whole(data, "step")
    total = data.get("total")
    if total is not None:
        total = _whole(data, "total")
    return Progress(step, total)


def _metric(data: dict) -> MetricPoint:
    return MetricPoint(_name(data.get("name")), _whole(data, "step"), _number(data.get("value"), "value"))


def _result(data: dict) -> FinalMetrics:
    metrics = data.get("metrics")
    if not isinstance(metrics, dict):
        raise ProtocolError("result needs a `metrics` object")
    return FinalMetrics({_name(k): _number(v, k) for k, v in metrics.items()})


def _unavailable(data: dict) -> Unavailable:
    reason = data.get("reason")
    return Unavailable(reason if isinstance(reason, str) and reason else "the lab cannot run here")


def _hole(data: dict) -> HoleChecked:
    name = data.get("name")
    if not isinstance(name, str) or not HOLE_NAME.fullmatch(name):
        raise ProtocolError(f"a hole name must be a lowercase word, got {name!r}")
    status = data.get("status")
    if status not in HOLE_STATUSES:
        raise ProtocolError(f"hole status must be one of {', '.join(HOLE_STATUSES)}, got {status!r}")
    texts = {key: data.get(key, "") for key in ("message", "where")}
    for key, value in texts.items():
        if not isinstance(value, str):
            raise ProtocolError(f"hole {key} must be text, got {value!r}")
    return HoleChecked(name, status, _whole(data, "passed"), _whole(data, "total"), **texts)


def _whole(data: dict, key: str) -> int:
    value = data.get(key)
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ProtocolError(f"{key} must be a whole number >= 0, got {_shown(value)}")
    if value > MAX_WHOLE:
        raise ProtocolError(f"{key} must be a whole number below 2**63, got {_shown(value)}")
    return value


def _number(value: object, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ProtocolError(f"{what} must be a number, got {_shown(value)}")
    try:
        return float(value)  # NaN and infinities are kept: a diverged loss is a result too
    except OverflowError:  # an integer of hundreds of digits
        raise ProtocolError(f"{what} is too large, got {_shown(value)}") from None


def _name(value: object) -> str:
    if not isinstance(value, str) or not value or len(value) > MAX_NAME:
        raise ProtocolError(f"a metric name must be text of 1 to {MAX_NAME} characters, got {_shown(value)}")
    return value


def _shown(value: object, limit: int = 60) -> str:
    """A value as an error message shows it: its repr, cut short."""
    text = repr(value) if not isinstance(value, int) or abs(value) < 10**limit else f"{str(value)[:limit]}..."
    return text if len(text) <= limit else text[: limit - 3] + "..."


_PARSERS = {
    "progress": _progress,
    "metric": _metric,
    "result": _result,
    "unavailable": _unavailable,
    "hole": _hole,
}
