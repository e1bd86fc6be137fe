"""Running a lab's checks.py on the learner's code, hole by hole (inside the lab process).

Each hole's checks run in the order checks.py defines them. A check fails on CheckFailed or any
exception from the learner's code (reported as `layers.py:42: ValueError: ...`, no traceback);
`NotImplementedError("hole NAME")` raised by the hole itself means it is not started.
"""

from __future__ import annotations

import importlib.util
import traceback
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

from studyterm.labkit import checks as check_api
from studyterm.labkit.loader import CodeTree
from studyterm.labkit.markers import CHECKS_FILE, Hole, scan_folder

MESSAGE_CHARS = 300
"""A check's message is cut to this length (it is one line in a list)."""


@dataclass(frozen=True)
class HoleResult:
    name: str
    status: str
    """`passed`, `failed` or `not_started`."""
    passed: int
    total: int
    message: str = ""
    """The first failing check's message ("" when the hole passed)."""
    where: str = ""
    """file:line in the learner's code the message is about."""

    def as_message(self) -> dict:
        return {"name": self.name, "status": self.status, "passed": self.passed,
                "total": self.total, "message": self.message, "where": self.where}


@dataclass(frozen=True)
class _Outcome:
    ok: bool
    message: str = ""
    where: str = ""
    blocked_by: str | None = None
    """The hole whose NotImplementedError stopped the check."""


def run_checks(checks_file: Path, code_dir: Path, lab_dir: Path, holes: list[str]) -> list[HoleResult]:
    """One result per hole of `holes` (in that order). A broken checks.py is the lab author's
    error: it raises, and the run ends as crashed with its traceback."""
    code_dir, lab_dir = code_dir.resolve(), lab_dir.resolve()
    registered = load_checks(checks_file)
    unknown = sorted({c.hole for c in registered} - set(holes))
    if unknown:
        raise RuntimeError(f"{checks_file.name} has checks for hole(s) {', '.join(unknown)}, "
                           "which lab.toml does not declare")
    learner, reference = CodeTree(code_dir, "learner"), CodeTree(lab_dir, "reference")
    locations, _problems = scan_folder(code_dir)
    where = {hole.name: hole for hole in locations}
    return [
        _hole_result(name, [c for c in registered if c.hole == name], learner, reference, code_dir,
                     where)
        for name in holes
    ]


def load_checks(path: Path) -> list[check_api.Check]:
    """The checks a checks.py registers with @labkit.check, in definition order."""
    check_api.REGISTRY.clear()
    spec = importlib.util.spec_from_file_location("studyterm_lab_checks", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    registered = list(check_api.REGISTRY)
    check_api.REGISTRY.clear()
    return registered


def _hole_result(name: str, hole_checks: list[check_api.Check], learner: CodeTree,
                 reference: CodeTree, code_dir: Path, holes: dict[str, Hole]) -> HoleResult:
    location = holes[name].where if name in holes else ""
    if not hole_checks:
        return HoleResult(name, "failed", 0, 0, "this hole has no checks in checks.py (a lab error)",
                          location)
    outcomes = [_run_one(check, learner, reference, code_dir) for check in hole_checks]
    passed = sum(outcome.ok for outcome in outcomes)
    total = len(outcomes)
    if passed == total:
        return HoleResult(name, "passed", passed, total)
    own = next((o for o in outcomes if o.blocked_by == name), None)
    if own is not None:
        message = (f"hole {name} is not started ({own.where or location}): write your code in "
                   "place of its `raise NotImplementedError`")
        return HoleResult(name, "not_started", passed, total, message, own.where or location)
    first = next(o for o in outcomes if not o.ok)
    message = first.message
    if first.blocked_by is not None:
        other = holes.get(first.blocked_by)
        message = (f"needs hole {first.blocked_by} ({other.where if other else first.where}), "
                   "which is not written yet")
    return HoleResult(name, "failed", passed, total, _one_line(message), first.where or location)


def _run_one(check: check_api.Check, learner: CodeTree, reference: CodeTree,
             code_dir: Path) -> _Outcome:
    try:
        check.function(learner, reference)
    except check_api.CheckFailed as failure:
        return _Outcome(False, str(failure) or f"{check.description}: failed",
                        _learner_frame(failure.__traceback__, code_dir) or "")
    except NotImplementedError as error:
        where = _learner_frame(error.__traceback__, code_dir) or ""
        hole = _hole_of(error)
        if hole is not None:
            return _Outcome(False, f"hole {hole} is not started", where, blocked_by=hole)
        return _Outcome(False, _exception_text(error), where)
    except Exception as error:  # the learner's code may raise anything; it is a failed check
        return _Outcome(False, _exception_text(error), _exception_where(error, code_dir))
    return _Outcome(True)


def _hole_of(error: NotImplementedError) -> str | None:
    text = str(error.args[0]) if error.args else ""
    return text[5:] if text.startswith("hole ") and " " not in text[5:] else None


def _exception_text(error: BaseException) -> str:
    text = traceback.format_exception_only(type(error), error)[-1].strip()
    return text or type(error).__name__


def _exception_where(error: BaseException, code_dir: Path) -> str:
    if isinstance(error, SyntaxError) and error.filename:
        path = Path(error.filename)
        if path.is_relative_to(code_dir):
            return f"{path.relative_to(code_dir).as_posix()}:{error.lineno}"
    return _learner_frame(error.__traceback__, code_dir) or ""


def _learner_frame(tb: TracebackType | None, code_dir: Path) -> str | None:
    """file:line of the innermost frame in the learner's code, if the error passed through it."""
    found = None
    for frame, line in traceback.walk_tb(tb):
        path = Path(frame.f_code.co_filename)
        if path == code_dir / CHECKS_FILE:
            continue  # a reference run: the lab folder is the code folder, checks.py is not code
        if path.is_absolute() and path.is_relative_to(code_dir):
            found = f"{path.relative_to(code_dir).as_posix()}:{line}"
    return found


def _one_line(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= MESSAGE_CHARS else flat[: MESSAGE_CHARS - 1] + "…"
