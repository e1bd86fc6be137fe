"""Lab specifications: `labs/<lab_id>/lab.toml`, checked strictly so a typo is an error."""

from __future__ import annotations

import hashlib
import math
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from studyterm.labkit import PROTOCOL_VERSION
from studyterm.labkit.markers import CHECKS_FILE
from studyterm.labs.exercise_spec import (
    ExerciseSpecError,
    HoleSpec,
    PredictionSpec,
    read_holes,
    read_predictions,
)
from studyterm.labs.targets import METRIC_NAME, Target, TargetError, parse_target
from studyterm.notes.frontmatter import LAB_ID

SPEC_FILE = "lab.toml"
DEFAULT_TIME_LIMIT_S = 60.0
PARAM_TYPES = ("int", "float", "bool", "str")
_TOP_KEYS = {"title", "description", "entry", "time_limit", "protocol", "targets", "params",
             "metrics", "quick", "holes", "predictions"}
_PARAM_KEYS = {"type", "default", "help", "min", "max", "choices"}
_METRIC_KEYS = {"unit", "help", "series"}
_TRUE = {"true", "yes", "on", "1"}
_FALSE = {"false", "no", "off", "0"}


class LabError(Exception):
    """A lab problem the user can fix, reported in one line."""


class LabSpecError(LabError):
    def __init__(self, reason: str, path: str | None = None) -> None:
        super().__init__(f"{path}: {reason}" if path else reason)
        self.reason = reason
        self.path = path


class LabNotFoundError(LabError):
    pass


class LabParamError(LabError):
    pass


@dataclass(frozen=True)
class ParamSpec:
    name: str
    type: str
    default: object
    help: str = ""
    min: float | None = None
    max: float | None = None
    choices: tuple | None = None

    def coerce(self, value: object) -> object:
        """`value` (typed, or text from a command line) as this parameter's type, checked."""
        typed = _typed(self, value)
        if self.choices is not None and typed not in self.choices:
            allowed = ", ".join(str(c) for c in self.choices)
            raise LabParamError(f"parameter {self.name}: {typed!r} is not one of {allowed}")
        if self.min is not None and typed < self.min:
            raise LabParamError(f"parameter {self.name}: {typed!r} is below its minimum {self.min}")
        if self.max is not None and typed > self.max:
            raise LabParamError(f"parameter {self.name}: {typed!r} is above its maximum {self.max}")
        return typed

    def as_dict(self) -> dict:
        return {"type": self.type, "default": self.default, "help": self.help, "min": self.min,
                "max": self.max, "choices": list(self.choices) if self.choices else None}


@dataclass(frozen=True)
class MetricSpec:
    name: str
    unit: str = ""
    help: str = ""
    series: bool = False
    """A series (one value per step, e.g. the loss) rather than one final value."""

    def as_dict(self) -> dict:
        return {"unit": self.unit, "help": self.help, "series": self.series}


@dataclass(frozen=True)
class LabSpec:
    id: str
    dir: Path
    title: str
    description: str
    entry: str
    time_limit_s: float
    params: dict[str, ParamSpec]
    metrics: dict[str, MetricSpec]
    targets: tuple[Target, ...]
    quick: dict[str, object] = field(default_factory=dict)
    holes: dict[str, HoleSpec] = field(default_factory=dict)
    """The holes the learner writes, in the order of the code (file, then line)."""
    predictions: dict[str, PredictionSpec] = field(default_factory=dict)

    @property
    def script(self) -> Path:
        return self.dir / self.entry

    @property
    def is_exercise(self) -> bool:
        """A lab with holes; one without is a demo lab, whose runs never change a card."""
        return bool(self.holes)

    @property
    def checks(self) -> Path | None:
        return self.dir / CHECKS_FILE if self.holes else None

    def defaults(self) -> dict[str, object]:
        return {name: param.default for name, param in self.params.items()}

    def resolve(self, overrides: Mapping[str, object] | None = None, quick: bool = False) -> dict:
        """The parameters of a run: defaults, then [quick] in quick mode, then `overrides`
        (typed values or command-line text), every one checked."""
        unknown = sorted(set(overrides or {}) - set(self.params))
        if unknown:
            known = ", ".join(self.params) or "none"
            raise LabParamError(
                f"lab {self.id} has no parameter {', '.join(unknown)} (its parameters: {known})"
            )
        values = self.defaults() | (self.quick if quick else {})
        for name, value in (overrides or {}).items():
            values[name] = self.params[name].coerce(value)
        return values


@dataclass(frozen=True)
class LabProblem:
    path: str
    message: str

    def format(self) -> str:
        return f"{self.path}: {self.message}"


@dataclass(frozen=True)
class Catalog:
    """Every lab under labs/ that loads, and a problem for each one that does not."""

    labs: dict[str, LabSpec]
    problems: list[LabProblem]


def discover(labs_root: Path, display_root: Path | None = None) -> Catalog:
    labs: dict[str, LabSpec] = {}
    problems: list[LabProblem] = []
    folders = sorted(labs_root.iterdir()) if labs_root.is_dir() else []
    for folder in folders:
        if not folder.is_dir() or folder.name.startswith((".", "_")):
            continue
        if not (folder / SPEC_FILE).is_file():
            continue
        try:
            spec = load_spec(folder, display_root)
        except LabSpecError as error:
            problems.append(LabProblem(error.path or str(folder), error.reason))
            continue
        labs[spec.id] = spec
    return Catalog(labs, problems)


def load_spec(lab_dir: Path, display_root: Path | None = None) -> LabSpec:
    where = _display(lab_dir / SPEC_FILE, display_root)
    try:
        return _build_spec(lab_dir, _read_toml(lab_dir / SPEC_FILE))
    except LabSpecError as error:
        raise LabSpecError(error.reason, where) from None
    except TargetError as error:
        raise LabSpecError(str(error), where) from None
    except ExerciseSpecError as error:
        if error.where is not None:  # a problem in the code: labs/x/layers.py:12
            where = _display(lab_dir, display_root) + "/" + error.where
        raise LabSpecError(str(error), where) from None


def fingerprint(lab_dir: Path) -> str:
    """A digest of every file of the lab (code, lab.toml, data), so runs of different code are
    told apart. Caches and hidden files are left out."""
    digest = hashlib.sha256()
    for path in sorted(p for p in lab_dir.rglob("*") if p.is_file()):
        relative = path.relative_to(lab_dir)
        if any(part.startswith(".") or part == "__pycache__" for part in relative.parts):
            continue
        if path.suffix == ".pyc":
            continue
        digest.update(relative.as_posix().encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


def _read_toml(path: Path) -> dict:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise LabSpecError(f"not valid TOML: {error}") from None
    except OSError as error:
        raise LabSpecError(f"cannot read it: {error.strerror}") from None


def _build_spec(lab_dir: Path, data: dict) -> LabSpec:
    lab_id = lab_dir.name
    if not LAB_ID.fullmatch(lab_id):
        raise LabSpecError(f"the folder name {lab_id!r} is not a lab id (letters, digits, _ . -)")
    _no_unknown_keys(data, _TOP_KEYS, "")
    protocol = data.get("protocol", PROTOCOL_VERSION)
    if protocol != PROTOCOL_VERSION:
        raise LabSpecError(f"protocol {protocol!r} is not supported (this studyterm speaks {PROTOCOL_VERSION})")
    entry = _text(data, "entry", required=True)
    script = (lab_dir / entry).resolve()
    if not script.is_relative_to(lab_dir.resolve()) or not script.is_file():
        raise LabSpecError(f"entry {entry!r} is not a file inside {lab_id}/")
    time_limit = data.get("time_limit", DEFAULT_TIME_LIMIT_S)
    if isinstance(time_limit, bool) or not isinstance(time_limit, int | float) or not time_limit > 0:
        raise LabSpecError("time_limit must be a number of seconds above 0")
    params = {name: _param(name, entry) for name, entry in _tables(data, "params").items()}
    metrics = {name: _metric(name, entry) for name, entry in _tables(data, "metrics").items()}
    targets = tuple(_targets(data, metrics))
    quick = _quick(data, params)
    holes = read_holes(lab_dir, data)
    predictions = read_predictions(data, params, metrics, holes)
    return LabSpec(
        id=lab_id, dir=lab_dir, title=_text(data, "title") or lab_id,
        description=_text(data, "description").strip(), entry=entry,
        time_limit_s=float(time_limit), params=params, metrics=metrics, targets=targets,
        quick=quick, holes=holes, predictions=predictions,
    )


def _param(name: str, entry: dict) -> ParamSpec:
    _no_unknown_keys(entry, _PARAM_KEYS, f"params.{name}.")
    kind = entry.get("type")
    if kind not in PARAM_TYPES:
        raise LabSpecError(f"params.{name}.type must be one of {', '.join(PARAM_TYPES)}")
    if "default" not in entry:
        raise LabSpecError(f"params.{name} needs a default")
    choices = entry.get("choices")
    if choices is not None and (not isinstance(choices, list) or not choices):
        raise LabSpecError(f"params.{name}.choices must be a non-empty list")
    bounds = {key: entry.get(key) for key in ("min", "max")}
    for key, bound in bounds.items():
        if bound is None:
            continue
        if kind not in ("int", "float") or isinstance(bound, bool) or not isinstance(bound, int | float):
            raise LabSpecError(f"params.{name}.{key} must be a number (and only numbers have bounds)")
    param = ParamSpec(name, kind, None, str(entry.get("help", "")), bounds["min"], bounds["max"])
    if choices:
        param = replace(param, choices=tuple(_spec_value(param, c) for c in choices))
    return replace(param, default=_spec_value(param, entry["default"]))


def _spec_value(param: ParamSpec, value: object) -> object:
    try:
        return param.coerce(value)
    except LabParamError as error:
        raise LabSpecError(str(error)) from None


def _metric(name: str, entry: dict) -> MetricSpec:
    if not METRIC_NAME.fullmatch(name):
        raise LabSpecError(f"metric name {name!r} must be a word (letters, digits, _)")
    _no_unknown_keys(entry, _METRIC_KEYS, f"metrics.{name}.")
    series = entry.get("series", False)
    if not isinstance(series, bool):
        raise LabSpecError(f"metrics.{name}.series must be true or false")
    return MetricSpec(name, str(entry.get("unit", "")), str(entry.get("help", "")), series)


def _targets(data: dict, metrics: dict[str, MetricSpec]) -> list[Target]:
    texts = data.get("targets", [])
    if not isinstance(texts, list):
        raise LabSpecError('targets must be a list such as ["accuracy >= 0.95"]')
    targets = [parse_target(text) for text in texts]
    for target in targets:
        metric = metrics.get(target.metric)
        if metric is None:
            raise LabSpecError(f"target {target.text!r} names no metric declared under [metrics]")
        if metric.series:
            raise LabSpecError(f"target {target.text!r} names a series; targets check final metrics")
    return targets


def _quick(data: dict, params: dict[str, ParamSpec]) -> dict[str, object]:
    quick = data.get("quick", {})
    if not isinstance(quick, dict):
        raise LabSpecError("[quick] must be a table of parameter values")
    unknown = sorted(set(quick) - set(params))
    if unknown:
        raise LabSpecError(f"[quick] sets unknown parameter(s) {', '.join(unknown)}")
    return {name: _spec_value(params[name], value) for name, value in quick.items()}


def _tables(data: dict, key: str) -> dict[str, dict]:
    tables = data.get(key, {})
    if not isinstance(tables, dict) or not all(isinstance(v, dict) for v in tables.values()):
        raise LabSpecError(f"[{key}] must hold one table per entry, e.g. [{key}.name]")
    return tables


def _text(data: dict, key: str, required: bool = False) -> str:
    value = data.get(key)
    if value is None and not required:
        return ""
    if not isinstance(value, str) or not value.strip():
        raise LabSpecError(f"{key} must be {'given as ' if required else ''}a non-empty string")
    return value


def _no_unknown_keys(table: dict, allowed: set[str], prefix: str) -> None:
    unknown = sorted(set(table) - allowed)
    if unknown:
        raise LabSpecError(f"unknown key(s) {', '.join(prefix + k for k in unknown)}")


def _typed(param: ParamSpec, value: object) -> object:
    if isinstance(value, str) and param.type != "str":
        value = _from_text(param, value.strip())
    if param.type == "bool" and isinstance(value, bool):
        return value
    if param.type == "int" and isinstance(value, int) and not isinstance(value, bool):
        return value
    if param.type == "float" and isinstance(value, int | float) and not isinstance(value, bool):
        if math.isfinite(value):
            return float(value)
    if param.type == "str" and isinstance(value, str):
        return value
    raise LabParamError(f"parameter {param.name}: expected {_article(param.type)}, got {value!r}")


def _from_text(param: ParamSpec, text: str) -> object:
    try:
        if param.type == "int":
            return int(text)
        if param.type == "float":
            return float(text)
    except ValueError:
        return text
    lowered = text.lower()
    if param.type == "bool" and lowered in _TRUE | _FALSE:
        return lowered in _TRUE
    return text


def _article(kind: str) -> str:
    return {"int": "a whole number", "float": "a number", "bool": "true or false",
            "str": "text"}[kind]


def _display(path: Path, root: Path | None) -> str:
    if root is not None and path.is_relative_to(root):
        return path.relative_to(root).as_posix()
    return str(path)
