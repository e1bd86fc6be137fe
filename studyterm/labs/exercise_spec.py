"""The exercise part of a lab.toml: `[holes.NAME]` entries matched with the hole markers in the
lab's code, and `[[predictions]]` (docs/labs.md, "Writing an exercise lab")."""

from __future__ import annotations

import operator
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from studyterm.labkit.markers import CHECKS_FILE, HOLE_NAME, hole_fingerprint, scan_folder
from studyterm.labs.targets import Target, TargetError, parse_target

MAX_HINTS = 3
_HOLE_KEYS = {"title", "task", "hints"}
_PREDICTION_KEYS = {"id", "param", "when", "question", "outcomes"}
_OUTCOME_KEYS = {"answer", "when"}
_CONDITION = re.compile(r"\s*(>=|<=|==|!=|>|<)\s*(.+?)\s*")
CONDITIONS: dict[str, Callable[[object, object], bool]] = {
    ">=": operator.ge, "<=": operator.le, ">": operator.gt, "<": operator.lt,
    "==": operator.eq, "!=": operator.ne,
}


class ExerciseSpecError(ValueError):
    """A problem in the exercise part of a lab; `where` is a file:line inside the lab folder
    when the problem is in the code (None: lab.toml)."""

    def __init__(self, message: str, where: str | None = None) -> None:
        super().__init__(message)
        self.where = where


@dataclass(frozen=True)
class HoleSpec:
    name: str
    title: str
    task: str
    hints: tuple[str, ...]
    file: str
    """The file holding the hole, inside the lab folder (and the learner's copy)."""
    line: int
    """The line of its opening marker in the lab folder."""
    fingerprint: str
    """Of its reference code and task: tells that the lab changed the hole."""

    def as_dict(self) -> dict:
        return {"title": self.title, "task": self.task, "hints": len(self.hints),
                "file": self.file, "line": self.line}


@dataclass(frozen=True)
class Condition:
    """When a prediction is asked: the parameter compared with a value (`>= 5`)."""

    op: str
    value: object

    def holds(self, value: object) -> bool:
        try:
            return bool(CONDITIONS[self.op](value, self.value))
        except TypeError:
            return False

    @property
    def text(self) -> str:
        return f"{self.op} {self.value}"


@dataclass(frozen=True)
class Outcome:
    answer: str
    when: tuple[Target, ...]
    """All must hold on the run's final metrics; none: the fallback, always true."""

    def matches(self, metrics: Mapping[str, float]) -> bool:
        return all(target.met_by(metrics.get(target.metric)) for target in self.when)


@dataclass(frozen=True)
class PredictionSpec:
    id: str
    param: str
    when: Condition | None
    question: str
    outcomes: tuple[Outcome, ...]

    def asked_for(self, params: Mapping[str, object], defaults: Mapping[str, object]) -> bool:
        """Whether a run with `params` asks this question: its parameter differs from the
        default and meets `when` (if given)."""
        value = params.get(self.param)
        if value == defaults.get(self.param):
            return False
        return self.when is None or self.when.holds(value)

    def answer(self, metrics: Mapping[str, float]) -> int | None:
        """The index of the outcome the run's final metrics show (the first that matches)."""
        return next((i for i, outcome in enumerate(self.outcomes) if outcome.matches(metrics)), None)

    def as_dict(self) -> dict:
        return {"id": self.id, "param": self.param,
                "when": None if self.when is None else self.when.text, "question": self.question,
                "answers": [outcome.answer for outcome in self.outcomes]}


def read_holes(lab_dir: Path, data: dict) -> dict[str, HoleSpec]:
    """The lab's holes in marker order (file, then line), each with its lab.toml entry; every
    marker needs an entry and every entry a marker."""
    markers, problems = scan_folder(lab_dir)
    if problems:
        first = problems[0]
        raise ExerciseSpecError(first.message, f"{first.file}:{first.line}")
    entries = data.get("holes", {})
    if not isinstance(entries, dict) or not all(isinstance(v, dict) for v in entries.values()):
        raise ExerciseSpecError("[holes] must hold one table per hole, e.g. [holes.affine_backward]")
    found = {hole.name: hole for hole in markers}
    for hole in markers:
        if hole.name not in entries:
            raise ExerciseSpecError(f"hole {hole.name} has no [holes.{hole.name}] entry in lab.toml",
                                    hole.where)
    for name in entries:
        if name not in found:
            raise ExerciseSpecError(f"[holes.{name}] has no `# >>> hole {name}` marker in the lab's code")
    if markers and not (lab_dir / CHECKS_FILE).is_file():
        raise ExerciseSpecError(f"the lab has holes but no {CHECKS_FILE} to check them")
    return {hole.name: _hole(hole, entries[hole.name]) for hole in markers}


def _hole(marker, entry: dict) -> HoleSpec:
    prefix = f"holes.{marker.name}"
    _no_unknown_keys(entry, _HOLE_KEYS, prefix)
    title = _text(entry, "title", prefix)
    task = _text(entry, "task", prefix)
    hints = entry.get("hints")
    if (not isinstance(hints, list) or not 1 <= len(hints) <= MAX_HINTS
            or not all(isinstance(h, str) and h.strip() for h in hints)):
        raise ExerciseSpecError(f"{prefix}.hints must be a list of 1 to {MAX_HINTS} hints (text)")
    return HoleSpec(marker.name, title, " ".join(task.split()),
                    tuple(" ".join(hint.split()) for hint in hints), marker.file, marker.start,
                    hole_fingerprint(marker, task))


def read_predictions(data: dict, params: Mapping, metrics: Mapping,
                     holes: Mapping[str, HoleSpec]) -> dict[str, PredictionSpec]:
    entries = data.get("predictions", [])
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        raise ExerciseSpecError("predictions must be [[predictions]] tables")
    predictions: dict[str, PredictionSpec] = {}
    for entry in entries:
        prediction = _prediction(entry, params, metrics)
        if prediction.id in predictions or prediction.id in holes:
            raise ExerciseSpecError(f"prediction id {prediction.id!r} is used twice (ids and hole "
                                    "names share `lab: LAB#NAME` links)")
        predictions[prediction.id] = prediction
    return predictions


def _prediction(entry: dict, params: Mapping, metrics: Mapping) -> PredictionSpec:
    _no_unknown_keys(entry, _PREDICTION_KEYS, "predictions.")
    ident = entry.get("id")
    if not isinstance(ident, str) or not HOLE_NAME.fullmatch(ident):
        raise ExerciseSpecError(f"predictions.id must be a lowercase word, got {ident!r}")
    prefix = f"predictions {ident}"
    param = entry.get("param")
    if param not in params:
        raise ExerciseSpecError(f"{prefix}: param {param!r} is not a parameter of the lab")
    when = _condition(entry["when"], params[param], prefix) if "when" in entry else None
    question = _text(entry, "question", prefix)
    outcomes = entry.get("outcomes")
    if not isinstance(outcomes, list) or len(outcomes) < 2 or not all(isinstance(o, dict) for o in outcomes):
        raise ExerciseSpecError(f"{prefix}: give at least two [[predictions.outcomes]]")
    parsed = tuple(_outcome(o, metrics, prefix) for o in outcomes)
    if any(not outcome.when for outcome in parsed[:-1]):
        raise ExerciseSpecError(f"{prefix}: only the last outcome may have no `when` (the fallback)")
    return PredictionSpec(ident, param, when, question.strip(), parsed)


def _condition(text: object, param, prefix: str) -> Condition:
    match = _CONDITION.fullmatch(text) if isinstance(text, str) else None
    if match is None:
        raise ExerciseSpecError(f"{prefix}: when must be `OP VALUE` such as \">= 5\", got {text!r}")
    op, value = match.groups()
    if param.type in ("str", "bool") and op not in ("==", "!="):
        raise ExerciseSpecError(f"{prefix}: a {param.type} parameter is compared with == or != only")
    from studyterm.labs.spec import LabParamError  # spec.py imports this module

    try:
        return Condition(op, param.coerce(value.strip("\"'")))
    except LabParamError as error:
        raise ExerciseSpecError(f"{prefix}: {error}") from None


def _outcome(entry: dict, metrics: Mapping, prefix: str) -> Outcome:
    _no_unknown_keys(entry, _OUTCOME_KEYS, "predictions.outcomes.")
    answer = _text(entry, "answer", prefix + " outcome")
    texts = entry.get("when", [])
    if not isinstance(texts, list):
        raise ExerciseSpecError(f"{prefix}: an outcome's when is a list such as [\"final_loss > 0.5\"]")
    try:
        targets = tuple(parse_target(text) for text in texts)
    except TargetError as error:
        raise ExerciseSpecError(f"{prefix}: {error}") from None
    for target in targets:
        metric = metrics.get(target.metric)
        if metric is None or metric.series:
            raise ExerciseSpecError(f"{prefix}: {target.text!r} names no final metric of the lab")
    return Outcome(answer.strip(), targets)


def _text(entry: dict, key: str, prefix: str) -> str:
    value = entry.get(key)
    if not isinstance(value, str) or not value.strip():
        raise ExerciseSpecError(f"{prefix}.{key} must be a non-empty string")
    return value


def _no_unknown_keys(table: dict, allowed: set[str], prefix: str) -> None:
    unknown = sorted(set(table) - allowed)
    if unknown:
        dot = "" if prefix.endswith(".") else "."
        raise ExerciseSpecError(f"unknown key(s) {', '.join(prefix + dot + k for k in unknown)}")
