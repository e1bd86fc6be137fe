"""What a lab run is asked to do, what it reports while it runs, and what it ends with.

These are the types a user interface sees: a runner takes a RunRequest, calls `on_event` with
Started, then any Progress / MetricPoint / LogLine, then exactly one Finished, and returns the
same RunResult that Finished carries.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Protocol


class RunStatus(StrEnum):
    COMPLETED = "completed"
    """The lab's process exited with status 0; its targets decide pass or fail."""
    CRASHED = "crashed"
    """It exited with another status or was killed by a signal; the traceback is kept."""
    TIMED_OUT = "timed_out"
    """It ran past its time limit and its process group was killed."""
    CANCELLED = "cancelled"
    """Someone cancelled it (Esc in the app, Ctrl-C on the command line)."""
    UNAVAILABLE = "unavailable"
    """The lab said it cannot run here (labkit.require: a missing optional package)."""


class RunMode(StrEnum):
    FULL = "full"
    """The checks of every hole, then (when they all pass) the entry script."""
    QUICK = "quick"
    """The same with the lab's [quick] parameters: a smoke test, never graded."""
    CHECK = "check"
    """The checks only (`lab check`): the fast loop while writing a hole."""


@dataclass(frozen=True)
class RunRequest:
    lab_id: str
    script: Path
    """The entry script to run (inside `code_dir`)."""
    lab_dir: Path
    params: dict[str, object]
    time_limit_s: float
    quick: bool = False
    code_dir: Path | None = None
    """The code that runs: the learner's workspace, or the lab folder (None: the lab folder)."""
    checks: Path | None = None
    """The lab's checks.py (None: a demo lab, which has no holes)."""
    holes: tuple[str, ...] = ()
    """The lab's holes, in lab.toml order: each reports one HoleChecked before the entry runs."""
    mode: RunMode = RunMode.FULL


@dataclass(frozen=True)
class RunResult:
    status: RunStatus
    exit_code: int | None
    duration_s: float
    metrics: dict[str, float] = field(default_factory=dict)
    """Final metrics (labkit.result); targets are checked on these."""
    series: dict[str, list[tuple[int, float]]] = field(default_factory=dict)
    """Metric series as (step, value) points, thinned evenly past the runner's point limit."""
    log: str = ""
    """The captured stdout and stderr lines (stderr prefixed `! `), up to the size limit."""
    traceback: str | None = None
    reason: str | None = None
    """Why it ended other than by completing: the time limit, a signal, unavailability."""
    holes: list[HoleChecked] = field(default_factory=list)
    """The result of each hole's checks, in the order the lab reported them."""


@dataclass(frozen=True)
class Started:
    lab_id: str
    pid: int
    params: dict[str, object]


@dataclass(frozen=True)
class Progress:
    step: int
    total: int | None


@dataclass(frozen=True)
class MetricPoint:
    name: str
    step: int
    value: float


@dataclass(frozen=True)
class LogLine:
    text: str
    stream: str
    """`stdout`, `stderr`, or `studyterm` for the runner's own notes (protocol errors, limits)."""


@dataclass(frozen=True)
class HoleChecked:
    """The checks of one hole ran: `passed`, `failed` or `not_started` (its NotImplementedError
    is still there); `message` is the first failing check's, `where` its file:line."""

    name: str
    status: str
    passed: int
    total: int
    message: str = ""
    where: str = ""

    def as_dict(self) -> dict:
        return {"name": self.name, "status": self.status, "passed": self.passed,
                "total": self.total, "message": self.message, "where": self.where}


@dataclass(frozen=True)
class Finished:
    result: RunResult


RunEvent = Started | Progress | MetricPoint | LogLine | HoleChecked | Finished
EventCallback = Callable[[RunEvent], None]


class LabRunner(Protocol):
    """Anything that can run a lab: the real SubprocessRunner, or a fake in UI tests."""

    def run(
        self,
        request: RunRequest,
        on_event: EventCallback | None = None,
        cancel: threading.Event | None = None,
    ) -> RunResult:
        """Run to the end, calling `on_event` from the calling thread; stop soon after `cancel`
        is set (from any thread) and return a CANCELLED result."""
        ...
