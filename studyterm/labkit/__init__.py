"""The lab side of studyterm: what a lab script and its checks.py import
(`from studyterm import labkit`).

Standard library only, so importing it costs nothing next to numpy or torch. It speaks protocol
version 1 (docs/labs.md): one JSON object per stdout line, tagged `{"studyterm": 1, ...}`;
anything else a script prints is kept as its log. Run by hand (`python labs/x/train.py`), a
script gets the defaults from the `lab.toml` beside it and its messages are simply printed.
The checks API (`check`, `expect_close`, `rel_error`, ...) lives in labkit.checks.
"""

from __future__ import annotations

import json
import os
import sys
import threading
import time
import tomllib
from collections.abc import Mapping
from pathlib import Path
from types import ModuleType

from studyterm.labkit.checks import (
    CheckFailed,
    check,
    expect_close,
    expect_shape,
    expect_true,
    numerical_gradient,
    rel_error,
)

__all__ = [
    "CheckFailed", "check", "expect_close", "expect_shape", "expect_true", "metric",
    "numerical_gradient", "params", "progress", "quick", "rel_error", "require", "result",
]

PROTOCOL_VERSION = 1
PROTOCOL_KEY = "studyterm"
CONTEXT_ENV = "STUDYTERM_LAB_CONTEXT"
"""Path of the JSON file the runner writes: {"protocol", "lab", "params", "quick", "mode",
"lab_dir", "code_dir", "entry", "checks", "holes"}."""
BASE_FILE = ".lab-base.json"
"""In a learner's workspace: which lab it was started from, and each hole's fingerprint then."""
PROGRESS_INTERVAL_S = 0.05
"""Progress messages are sent at most this often (the last step always goes out)."""

_lock = threading.Lock()
_context: dict | None = None
_last_progress = 0.0


def params() -> dict:
    """This run's parameters: the lab's defaults with the launcher's choices applied."""
    return dict(_load_context()["params"])


def quick() -> bool:
    """True in quick mode (CI smoke runs): the lab's [quick] parameters are already applied."""
    return bool(_load_context().get("quick", False))


def progress(step: int, total: int | None = None) -> None:
    """Report that `step` of `total` steps are done (throttled to 20 per second)."""
    global _last_progress
    now = time.monotonic()
    if total is None or step < total:
        if now - _last_progress < PROGRESS_INTERVAL_S:
            return
    _last_progress = now
    _send({"type": "progress", "step": int(step), "total": None if total is None else int(total)})


def metric(name: str, step: int, value: float) -> None:
    """Add one point (step, value) to the metric series `name`, e.g. the loss of each step."""
    _send({"type": "metric", "name": name, "step": int(step), "value": _number(value)})


def result(metrics: Mapping[str, float] | None = None, **named: float) -> None:
    """Report final metrics (merged with any reported before); targets are checked on these."""
    values = {**(metrics or {}), **named}
    _send({"type": "result", "metrics": {str(k): _number(v) for k, v in values.items()}})


def hole_result(result) -> None:
    """Report one hole's checks (the bootstrap does this; a HoleResult from labkit.holecheck)."""
    _send({"type": "hole", **result.as_message()})


def context() -> dict:
    """The whole run context (the bootstrap reads where the code and the checks are)."""
    return dict(_load_context())


def require(module: str) -> ModuleType:
    """Import `module`, or tell studyterm the lab cannot run here and exit cleanly.

    A missing optional dependency (torch without the `labs` extra) is not the learner's
    failure, so it ends the run as `unavailable` and gives the linked cards no feedback."""
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError as error:
        _send({"type": "unavailable", "reason": f"{module} is not installed ({error})"})
        raise SystemExit(0) from None


def _number(value: float) -> float:
    """A plain float; NaN and infinities (a diverged loss) travel as JSON's NaN/Infinity."""
    return float(value)


def _send(message: dict) -> None:
    line = json.dumps({PROTOCOL_KEY: PROTOCOL_VERSION, **message})
    with _lock:
        sys.stdout.write(line + "\n")
        sys.stdout.flush()


def _load_context() -> dict:
    global _context
    if _context is None:
        path = os.environ.get(CONTEXT_ENV)
        _context = _read_context(Path(path)) if path else _standalone_context()
    return _context


def _read_context(path: Path) -> dict:
    data = json.loads(path.read_text(encoding="utf-8"))
    if data.get("protocol") != PROTOCOL_VERSION:
        raise RuntimeError(
            f"studyterm started this lab with protocol {data.get('protocol')!r}, "
            f"but this labkit speaks {PROTOCOL_VERSION}"
        )
    return data


def _standalone_context() -> dict:
    """Run by hand: the defaults declared in the lab.toml next to the script (or, in a learner's
    workspace, in the lab it was started from: ../../labs/LAB/lab.toml)."""
    script = Path(sys.argv[0]).resolve() if sys.argv and sys.argv[0] else Path.cwd() / "x"
    spec_path = script.parent / "lab.toml"
    if not spec_path.is_file() and (script.parent / BASE_FILE).is_file():
        lab = json.loads((script.parent / BASE_FILE).read_text(encoding="utf-8")).get("lab", "")
        spec_path = script.parent.parent.parent / "labs" / str(lab) / "lab.toml"
    declared = {}
    if spec_path.is_file():
        declared = tomllib.loads(spec_path.read_text(encoding="utf-8")).get("params", {})
    defaults = {name: entry.get("default") for name, entry in declared.items()}
    return {"protocol": PROTOCOL_VERSION, "lab": script.parent.name, "params": defaults,
            "quick": False}
