"""The real runner: a lab under a supervisor process, with the same interpreter, streamed.

The lab runs as `python -u -m studyterm.labkit.bootstrap` (the checks of its holes, then its
entry script as `__main__`) in a fresh scratch folder (deleted afterwards), started by
supervisor.py in a new session. The supervisor ends everything the lab started once the lab's
main process exits (on Linux even a daemon that left the lab's session), and stops it on a time
limit, a cancel or Ctrl-C (SIGTERM, then SIGKILL after a grace period). A run is judged by the
main process's exit, never by its output pipes closing. Two reader threads feed stdout and
stderr lines to the calling thread, which parses them, calls `on_event` and watches the clock
and the cancel flag; whatever the lab does, the caller gets a RunResult, never an exception from
it.
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
_QUEUE_BYTES = 16 * 1024 * 1024
"""Lines read ahead of the parser are bounded in bytes, not only in number: 10,000 lines of
64 KiB (a lab printing one endless line) would be 640 MB."""
_QUEUE_LINES = 10_000
_PACKAGE_ROOT = str(Path(studyterm.__file__).resolve().parent.parent)
SUPERVISOR = str(Path(__file__).resolve().with_name("supervisor.py"))
_SUPERVISOR_CLEANUP_S = 6.0
"""How long the supervisor may take, past the grace period, to end what the lab left."""


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
                    [self.python, "-I", "-S", SUPERVISOR, str(self.kill_grace_s),
                     self.python, "-u", "-m", BOOTSTRAP],
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
        finally:  # also when the callback raised (Ctrl-C): the lab must not outlive us
            if process.poll() is None:
                self._stop(process)
            leftovers = pipes.drain(collector, deadline_s=self.kill_grace_s)
            pipes.close()
        if pipes.open:
            leftovers += collector.note(
                "output after the lab ended is not read: a process it left running holds it")
        for event in [*throttle(leftovers), *throttle.flush()]:
            emit(event)
        duration = time.monotonic() - started
        if status is None:
            status, reason = _exit_status(process.returncode, collector.unavailable)
        return collector.result(status, process.returncode, duration, reason)

    def _follow(self, process: subprocess.Popen, pipes: _Pipes, collector: Collector,
                throttle: ProgressThrottle, emit: EventCallback, cancel: threading.Event | None,
                deadline: float) -> RunStatus | None:
        """Stream events until the lab's main process ends (None) or must be stopped (why).
        Its pipes may close earlier (a lab that closes stdout and runs on) or later (a process
        it left behind): neither decides when the run ends."""
        while process.poll() is None:
            if cancel is not None and cancel.is_set():
                return RunStatus.CANCELLED
            if time.monotonic() >= deadline:
                return RunStatus.TIMED_OUT
            for event in throttle(pipes.batch(collector, self.poll_s)):
                emit(event)
        return None

    def _stop(self, process: subprocess.Popen) -> None:
        """Ask the supervisor to stop the lab (SIGTERM, SIGKILL after the grace period, then
        everything it left); kill the supervisor's group only if it does not end in time."""
        _signal_group(process.pid, signal.SIGTERM)
        with suppress(subprocess.TimeoutExpired):
            process.wait(self.kill_grace_s + _SUPERVISOR_CLEANUP_S)
        _signal_group(process.pid, signal.SIGKILL)
        process.wait()


class _Pipes:
    """The lab's stdout and stderr, read line by line by two threads into one queue."""

    def __init__(self, process: subprocess.Popen, line_bytes: int) -> None:
        size = max(16, min(_QUEUE_LINES, _QUEUE_BYTES // line_bytes))
        self.lines: queue.Queue[tuple[str, str | None]] = queue.Queue(maxsize=size)
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
        """Wait a moment for the readers (each closes its pipe at end of file). A reader still
        blocked (a process beyond the lab's reach kept the pipe) is left to its daemon thread
        rather than hang here."""
        for reader in self.readers:
            reader.join(timeout=0.1)


def _pump(stream: IO[bytes], name: str, lines: queue.Queue, line_bytes: int) -> None:
    try:
        with suppress(OSError, ValueError):  # the pipe was closed under us: end of output
            for raw in iter(lambda: stream.readline(line_bytes), b""):
                lines.put((name, raw.decode("utf-8", "replace").rstrip("\r\n")))
    finally:
        stream.close()
        lines.put((name, None))


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
