"""A fake lab runner for tests of anything that runs labs (the service, the CLI, the TUI).

It replays scripted events and returns a scripted result, without a subprocess. With
`wait_for_cancel` it blocks after its events until the run is cancelled, so a test can press
Esc and see a CANCELLED run.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

from studyterm.labs import (
    EventCallback,
    Finished,
    HoleChecked,
    LogLine,
    MetricPoint,
    Progress,
    RunEvent,
    RunRequest,
    RunResult,
    RunStatus,
    Started,
)


def completed(metrics: dict[str, float], series: dict | None = None, log: str = "",
              holes: list[HoleChecked] | None = None) -> RunResult:
    return RunResult(RunStatus.COMPLETED, 0, 1.5, metrics=metrics, series=series or {}, log=log,
                     holes=holes or [])


def crashed(traceback: str = "Traceback (most recent call last):\nValueError: boom",
            holes: list[HoleChecked] | None = None) -> RunResult:
    return RunResult(RunStatus.CRASHED, 1, 0.5, traceback=traceback, reason="exited with status 1",
                     holes=holes or [])


def holes(**statuses: str | tuple[str, int, int]) -> list[HoleChecked]:
    """Hole results as a run reports them: `holes(double="passed", shift=("failed", 0, 1))`
    (a plain status means all or none of 2 checks passed)."""
    results = []
    for name, status in statuses.items():
        if isinstance(status, str):
            passed = 2 if status == "passed" else 0
            status = (status, passed, 2)
        kind, passed, total = status
        message = "" if kind == "passed" else f"{name} is wrong"
        results.append(HoleChecked(name, kind, passed, total, message, "model.py:2" if message else ""))
    return results


def training_events(steps: int = 3) -> list[RunEvent]:
    """What a small training lab streams: a log line, then a loss point and progress per step."""
    events: list[RunEvent] = [LogLine("training", "stdout")]
    for step in range(1, steps + 1):
        events += [MetricPoint("loss", step, 1.0 / step), Progress(step, steps)]
    return events


@dataclass
class FakeLabRunner:
    result: RunResult = field(default_factory=lambda: completed({}))
    events: list[RunEvent] = field(default_factory=list)
    wait_for_cancel: bool = False
    timeout_s: float = 10.0
    requests: list[RunRequest] = field(default_factory=list)
    running: threading.Event = field(default_factory=threading.Event)
    """Set once the fake has sent its events (a test can wait on it before cancelling)."""

    def run(self, request: RunRequest, on_event: EventCallback | None = None,
            cancel: threading.Event | None = None) -> RunResult:
        emit = on_event or (lambda event: None)
        self.requests.append(request)
        emit(Started(request.lab_id, 4242, dict(request.params)))
        for event in self.events:
            emit(event)
        self.running.set()
        result = self.result
        if self.wait_for_cancel:
            if cancel is None or not cancel.wait(self.timeout_s):
                raise TimeoutError("the fake lab run was never cancelled")
            result = RunResult(RunStatus.CANCELLED, None, 0.1, reason="cancelled")
        emit(Finished(result))
        return result
