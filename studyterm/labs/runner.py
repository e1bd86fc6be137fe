"""The real runner: a lab in its own process group, with the same interpreter, streamed.

The lab runs as `python -u -m studyterm.labkit.bootstrap` (the checks of its holes, then its
entry script as `__main__`) in a fresh scratch folder (deleted afterwards), in a new
session, so that a time limit, a cancel or Ctrl-C can kill it and everything it started
(SIGTERM, then SIGKILL after a grace period). Two reader threads feed its stdout and stderr
lines to the calling thread, which parses them, calls `on_event` and watches the clock and the
cancel flag; whatever the lab does, the caller gets a RunResult, never an exception from it.
"""

from __future__ import annotations

import json
import os
import queue
import signal
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import suppress
from pathlib import Path
from typing import IO

import studyterm
from studyterm.labkit import CONTEXT_ENV, PROTOCOL_VERSION
from studyterm.labs.capture import Collector, OutputLimits, ProgressThrottle
from studyterm.labs.events import (
    EventCallback,
    Finished,
    RunEvent,
    RunRequest,
    RunResult,
    RunStatus,
    Started,
)

CONTEXT_FILE = "studyterm-lab.json"
BOOTSTRAP = "studyterm.labkit.bootstrap"
_BATCH = 500
_QUEUE_LINES = 10_000
_PACKAGE_ROOT = str(Path(studyterm.__file__).resolve().parent.parent)


class SubprocessRunner:
    def __init__(
        self,
        *,
        python: str = sys.executable,
        limits: OutputLimits | None = None,
        kill_grace_s: float = 2.0,
        poll_s: float = 0.05,
    ) -> None:
        self.python = python
        self.limits = limits or OutputLimits()
        self.kill_grace_s = kill_grace_s
        self.poll_s = poll_s

    def run(
        self,
        request: RunRequest,
        on_event: EventCallback | None = None,
        cancel: threading.Event | None = None,
    ) -> RunResult:
        emit = on_event or _ignore
        with tempfile.TemporaryDirectory(prefix="studyterm-lab-") as scratch:
            context = Path(scratch) / CONTEXT_FILE
            context.write_text(json.dumps(_context(request)), encoding="utf-8")
            started = time.monotonic()
            try:
                process = subprocess.Popen(
                    [self.python, "-u", "-m", BOOTSTRAP],
                    cwd=scratch,
                    env=_environment(context),
                    stdin=subprocess.DEVNULL,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.PIPE,
                    start_new_session=True,
                )
            except OSError as error:
                result = RunResult(RunStatus.CRASHED, None, 0.0,
                                   traceback=f"could not start {request.script}: {error}",
                                   reason="could not start")
                emit(Finished(result))
                return result
            emit(Started(request.lab_id, process.pid, dict(request.params)))
            result = self._watch(process, request, emit, cancel, started)
        emit(Finished(result))
        return result

    def _watch(self, process: subprocess.Popen, request: RunRequest, emit: EventCallback,
               cancel: threading.Event | None, started: float) -> RunResult:
        collector = Collector(self.limits)
        pipes = _Pipes(process, self.limits.line_bytes)
        throttle = ProgressThrottle()
        status: RunStatus | None = None
        reason: str | None = None
        try:
            status = self._follow(process, pipes, collector, throttle, emit, cancel,
                                  started + request.time_limit_s)
            if status is not None:
                reason = (
                    f"ran past its time limit of {request.time_limit_s:g} s"
                    if status is RunStatus.TIMED_OUT else "cancelled"
                )
                for event in collector.note(reason):
                    emit(event)
                _stop_group(process, self.kill_grace_s)
        finally:  # also when the callback raised (Ctrl-C): the lab must not outlive us
            _signal_group(process.pid, signal.SIGKILL)  # anything it left behind
            process.wait()
            leftovers = pipes.drain(collector, deadline_s=self.kill_grace_s)
            pipes.close()
        for event in [*leftovers, *throttle.flush()]:
            emit(event)
        duration = time.monotonic() - started
        if status is None:
            status, reason = _exit_status(process.returncode, collector.unavailable)
        return collector.result(status, process.returncode, duration, reason)

    def _follow(self, process: subprocess.Popen, pipes: _Pipes, collector: Collector,
                throttle: ProgressThrottle, emit: EventCallback, cancel: threading.Event | None,
                deadline: float) -> RunStatus | None:
        """Stream events until the lab ends by itself (None) or must be stopped (why)."""
        orphans_killed = False
        while pipes.open or process.poll() is None:
            if cancel is not None and cancel.is_set():
                return RunStatus.CANCELLED
            if time.monotonic() >= deadline:
                return RunStatus.TIMED_OUT
            if process.poll() is not None and not orphans_killed:
                # The lab exited; a child it left running would hold the pipes open forever.
                _signal_group(process.pid, signal.SIGKILL)
                orphans_killed = True
            for event in throttle(pipes.batch(collector, self.poll_s)):
                emit(event)
        return None


class _Pipes:
    """The lab's stdout and stderr, read line by line by two threads into one queue."""

    def __init__(self, process: subprocess.Popen, line_bytes: int) -> None:
        self.lines: queue.Queue[tuple[str, str | None]] = queue.Queue(maxsize=_QUEUE_LINES)
        self.open = 2
        self.streams = (process.stdout, process.stderr)
        self.readers = [
            threading.Thread(target=_pump, args=(stream, name, self.lines, line_bytes), daemon=True)
            for name, stream in zip(("stdout", "stderr"), self.streams, strict=True)
        ]
        for reader in self.readers:
            reader.start()

    def batch(self, collector: Collector, timeout_s: float) -> list[RunEvent]:
        """Events from the lines that arrive within `timeout_s` (at most a batch of them)."""
        try:
            items = [self.lines.get(timeout=timeout_s)]
        except queue.Empty:
            return []
        with suppress(queue.Empty):
            while len(items) < _BATCH:
                items.append(self.lines.get_nowait())
        events: list[RunEvent] = []
        for stream, text in items:
            if text is None:
                self.open -= 1
            elif stream == "stdout":
                events.extend(collector.stdout_line(text))
            else:
                events.extend(collector.stderr_line(text))
        return events

    def drain(self, collector: Collector, deadline_s: float) -> list[RunEvent]:
        """Everything still buffered once the lab is dead (the readers then see end of file)."""
        end = time.monotonic() + deadline_s
        events: list[RunEvent] = []
        while self.open and time.monotonic() < end:
            events.extend(self.batch(collector, 0.05))
        return events

    def close(self) -> None:
        """Close the pipes whose reader is done. A reader still blocked (a process that left
        the lab's session kept the pipe) is left to its daemon thread rather than hang here."""
        for reader, stream in zip(self.readers, self.streams, strict=True):
            reader.join(timeout=0.1)
            if not reader.is_alive():
                stream.close()


def _pump(stream: IO[bytes], name: str, lines: queue.Queue, line_bytes: int) -> None:
    try:
        with suppress(OSError, ValueError):  # the pipe was closed under us: end of output
            for raw in iter(lambda: stream.readline(line_bytes), b""):
                lines.put((name, raw.decode("utf-8", "replace").rstrip("\r\n")))
    finally:
        lines.put((name, None))


def _stop_group(process: subprocess.Popen, grace_s: float) -> None:
    _signal_group(process.pid, signal.SIGTERM)
    with suppress(subprocess.TimeoutExpired):
        process.wait(grace_s)
    _signal_group(process.pid, signal.SIGKILL)


def _signal_group(pgid: int, signum: int) -> None:
    with suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, signum)


def _exit_status(code: int, unavailable: str | None) -> tuple[RunStatus, str | None]:
    if code == 0:
        return (RunStatus.UNAVAILABLE, unavailable) if unavailable else (RunStatus.COMPLETED, None)
    if code < 0:
        with suppress(ValueError):
            return RunStatus.CRASHED, f"killed by {signal.Signals(-code).name}"
        return RunStatus.CRASHED, f"killed by signal {-code}"
    return RunStatus.CRASHED, f"exited with status {code}"


def _context(request: RunRequest) -> dict:
    code_dir = request.code_dir or request.lab_dir
    return {
        "protocol": PROTOCOL_VERSION, "lab": request.lab_id, "params": request.params,
        "quick": request.quick, "mode": request.mode.value, "lab_dir": str(request.lab_dir),
        "code_dir": str(code_dir), "entry": request.script.relative_to(code_dir).as_posix(),
        "checks": None if request.checks is None else str(request.checks),
        "holes": list(request.holes),
    }


def _environment(context: Path) -> dict[str, str]:
    """The parent's environment, plus where to find the run context and this studyterm (so
    `from studyterm import labkit` works even when studyterm is not installed)."""
    env = dict(os.environ)
    paths = [_PACKAGE_ROOT, *filter(None, env.get("PYTHONPATH", "").split(os.pathsep))]
    env.update({
        CONTEXT_ENV: str(context),
        "PYTHONPATH": os.pathsep.join(dict.fromkeys(paths)),
        "PYTHONUNBUFFERED": "1",
        "PYTHONDONTWRITEBYTECODE": "1",
    })
    return env


def _ignore(event: RunEvent) -> None:
    """The default event callback: a caller that only wants the result."""
