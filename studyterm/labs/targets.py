"""Targets a lab's final metrics must reach, written `accuracy >= 0.95` in lab.toml."""

from __future__ import annotations

import math
import operator
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

OPERATORS: dict[str, Callable[[float, float], bool]] = {
    ">=": operator.ge,
    "<=": operator.le,
    ">": operator.gt,
    "<": operator.lt,
}
SYMBOLS = {">=": "≥", "<=": "≤", ">": ">", "<": "<"}
METRIC_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_TARGET = re.compile(r"\s*([A-Za-z_][A-Za-z0-9_]*)\s*(>=|<=|>|<)\s*(\S+)\s*")


class TargetError(ValueError):
    pass


@dataclass(frozen=True)
class Target:
    metric: str
    op: str
    threshold: float

    @property
    def text(self) -> str:
        """The target as lab.toml spells it: `accuracy >= 0.95`."""
        return f"{self.metric} {self.op} {format_value(self.threshold)}"

    @property
    def display(self) -> str:
        """The target for people: `accuracy ≥ 0.95`."""
        return f"{self.metric} {SYMBOLS[self.op]} {format_value(self.threshold)}"

    def met_by(self, value: float | None) -> bool:
        """A missing or non-finite value (a crashed or diverged run) never meets a target."""
        return value is not None and math.isfinite(value) and OPERATORS[self.op](value, self.threshold)


@dataclass(frozen=True)
class TargetCheck:
    target: Target
    value: float | None
    met: bool

    def as_dict(self) -> dict:
        return {
            "target": self.target.text,
            "metric": self.target.metric,
            "op": self.target.op,
            "threshold": self.target.threshold,
            "value": self.value,
            "met": self.met,
        }


def parse_target(text: str) -> Target:
    match = _TARGET.fullmatch(text) if isinstance(text, str) else None
    if match is None:
        raise TargetError(f"target {text!r} is not `metric OP number` (OP: >=, <=, >, <)")
    metric, op, number = match.groups()
    try:
        threshold = float(number)
    except ValueError:
        raise TargetError(f"target {text!r}: {number!r} is not a number") from None
    if not math.isfinite(threshold):
        raise TargetError(f"target {text!r}: the threshold must be a finite number")
    return Target(metric, op, threshold)


def check_targets(targets: Iterable[Target], metrics: Mapping[str, float]) -> list[TargetCheck]:
    checks = []
    for target in targets:
        value = metrics.get(target.metric)
        checks.append(TargetCheck(target, value, target.met_by(value)))
    return checks


def format_value(value: float | None) -> str:
    """Short, exact enough for a table: 0.95, 0.913, 1e-06, nan; '-' when there is none."""
    if value is None:
        return "-"
    return f"{value:.3g}"
