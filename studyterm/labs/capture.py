"""Turning a lab's output lines into events, and keeping what a result needs within limits.

A lab may print gigabytes or log a million points; the runner keeps reading (so the lab never
blocks on a full pipe) but keeps only a bounded log, a bounded stderr tail for the traceback
and a bounded number of points per series.
"""

from __future__ import annotations

import time
from collections import deque
from dataclasses import dataclass

from studyterm.labs.events import (
    HoleChecked,
    LogLine,
    MetricPoint,
    Progress,
    RunEvent,
    RunResult,
    RunStatus,
)
from studyterm.labs.protocol import (
    FinalMetrics,
    Message,
    ProtocolError,
    Unavailable,
    parse_line,
    split_line,
)

TRACEBACK_START = "Traceback (most recent call last):"


@dataclass(frozen=True)
class OutputLimits:
    log_bytes: int = 256 * 1024
    """Captured output kept in the result (and streamed as LogLine events)."""
    stderr_tail_bytes: int = 64 * 1024
    """The end of stderr, kept apart so a traceback survives a flood of output before it."""
    line_bytes: int = 64 * 1024
    """Longer lines are split."""
    points_per_series: int = 10_000
    series: int = 64


class ThinnedSeries:
    """Keeps at most `limit` points, spread evenly over the whole run: when full, every other
    point is dropped and from then on only every 2nd, 4th, ... new point is kept."""

    def __init__(self, limit: int) -> None:
        self.limit = max(2, limit)
        self.points: list[tuple[int, float]] = []
        self.stride = 1
        self.seen = 0

    def add(self, step: int, value: float) -> bool:
        keep = self.seen % self.stride == 0
        self.seen += 1
        if keep:
            self.points.append((step, value))
            if len(self.points) >= self.limit:
                self.points = self.points[::2]
                self.stride *= 2
        return keep


class Collector:
    def __init__(self, limits: OutputLimits) -> None:
        self.limits = limits
        self.metrics: dict[str, float] = {}
        self.series: dict[str, ThinnedSeries] = {}
        self.unavailable: str | None = None
        self.holes: dict[str, HoleChecked] = {}
        self._log: list[str] = []
        self._log_size = 0
        self._log_full = False
        self._stderr_tail: deque[str] = deque()
        self._stderr_tail_size = 0

    def stdout_line(self, line: str) -> list[RunEvent]:
        output, text = split_line(line)
        events = self._keep(output, "stdout") if output else []
        try:
            message = parse_line(text)
        except ProtocolError as error:
            return [*events, *self._note(f"protocol error: {error}"), *self._keep(text, "stdout")]
        if message is None:
            return [*events, *self._keep(text, "stdout")]
        return [*events, *self._message(message)]

    def _message(self, message: Message) -> list[RunEvent]:
        if isinstance(message, FinalMetrics):
            self.metrics.update(message.metrics)
            return []
        if isinstance(message, Unavailable):
            self.unavailable = message.reason
            return self._note(f"unavailable: {message.reason}")
        if isinstance(message, MetricPoint):
            return self._point(message)
        if isinstance(message, HoleChecked):
            self.holes[message.name] = message
        return [message]

    def stderr_line(self, text: str) -> list[RunEvent]:
        self._stderr_tail.append(text)
        self._stderr_tail_size += len(text) + 1
        while self._stderr_tail_size > self.limits.stderr_tail_bytes and len(self._stderr_tail) > 1:
            self._stderr_tail_size -= len(self._stderr_tail.popleft()) + 1
        return self._keep(text, "stderr")

    def note(self, text: str) -> list[RunEvent]:
        """A line from the runner itself (time limit reached, cancelled...)."""
        return self._note(text)

    def traceback(self) -> str | None:
        """The last Python traceback on stderr, else the end of stderr, else None."""
        tail = "\n".join(self._stderr_tail)
        start = tail.rfind(TRACEBACK_START)
        if start >= 0:
            return tail[start:].rstrip() or None
        lines = [line for line in self._stderr_tail if line.strip()]
        return "\n".join(lines[-20:]) or None

    def result(self, status: RunStatus, exit_code: int | None, duration_s: float,
               reason: str | None) -> RunResult:
        crashed = status is RunStatus.CRASHED
        return RunResult(
            status=status,
            exit_code=exit_code,
            duration_s=duration_s,
            metrics=dict(self.metrics),
            series={name: list(s.points) for name, s in self.series.items()},
            log="\n".join(self._log),
            traceback=self.traceback() if crashed else None,
            reason=reason,
            holes=list(self.holes.values()),
        )

    def _point(self, point: MetricPoint) -> list[RunEvent]:
        series = self.series.get(point.name)
        if series is None:
            if len(self.series) >= self.limits.series:
                return []
            series = self.series[point.name] = ThinnedSeries(self.limits.points_per_series)
        return [point] if series.add(point.step, point.value) else []

    def _note(self, text: str) -> list[RunEvent]:
        return self._keep(text, "studyterm")

    def _keep(self, text: str, stream: str) -> list[RunEvent]:
        if self._log_full:
            return []
        prefix = {"stdout": "", "stderr": "! ", "studyterm": "# "}[stream]
        self._log_size += len(text) + len(prefix) + 1
        if self._log_size > self.limits.log_bytes:
            self._log_full = True
            notice = f"# output beyond {self.limits.log_bytes // 1024} KiB is not kept"
            self._log.append(notice)
            return [LogLine(notice[2:], "studyterm")]
        self._log.append(prefix + text)
        return [LogLine(text, stream)]


class ProgressThrottle:
    """Lets at most one Progress event through per `interval_s` and holds back the newest
    one, so a lab printing thousands of steps a second cannot flood a user interface; the held
    one goes out at the next chance, and `flush` sends the last at the end."""

    def __init__(self, interval_s: float = 0.05) -> None:
        self.interval_s = interval_s
        self._pending: Progress | None = None
        self._sent_at = float("-inf")

    def __call__(self, events: list[RunEvent]) -> list[RunEvent]:
        passed = []
        for event in events:
            if isinstance(event, Progress):
                self._pending = event
            else:
                passed.append(event)
        if self._pending is not None and time.monotonic() - self._sent_at >= self.interval_s:
            passed.extend(self.flush())
        return passed

    def flush(self) -> list[RunEvent]:
        pending, self._pending = self._pending, None
        if pending is None:
            return []
        self._sent_at = time.monotonic()
        return [pending]
