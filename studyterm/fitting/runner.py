"""Starting the optimizer's process and reading what it reports."""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from collections.abc import Callable, Sequence
from datetime import date

Progress = Callable[[int, int], None]
"""Called with (epochs done, epochs in all) as the optimizer trains."""


class FitError(RuntimeError):
    """The optimizer could not run or failed (a one-line message)."""


def fit_parameters(reviews: Sequence[tuple[str, date, int]], on_progress: Progress | None = None,
                   python: str = sys.executable) -> tuple[float, ...]:
    """FSRS parameters fitted to these (card, study day, grade) answers, in a child process."""
    request = json.dumps({"reviews": [[card, day.isoformat(), grade] for card, day, grade in reviews]})
    with tempfile.TemporaryFile(mode="w+") as errors, subprocess.Popen(
        [python, "-m", "studyterm.fitting.worker"], stdin=subprocess.PIPE,
        stdout=subprocess.PIPE, stderr=errors, text=True,
    ) as process:
        try:
            _send(process, request)
            result = _read(process.stdout, on_progress)
            process.wait()
        except BaseException:
            process.kill()
            raise
        if result is None:
            errors.seek(0)
            lines = errors.read().strip().splitlines()
            raise FitError(f"the FSRS optimizer stopped (exit status {process.returncode})"
                           + (f": {lines[-1]}" if lines else ""))
    return result


def _send(process: subprocess.Popen, request: str) -> None:
    try:
        process.stdin.write(request)
        process.stdin.close()
    except BrokenPipeError:
        pass  # the process ended before reading; its exit status and stderr say why


def _read(stream, on_progress: Progress | None) -> tuple[float, ...] | None:
    result = None
    for line in stream:
        try:
            message = json.loads(line)
        except ValueError:
            continue  # a library printing on stdout; not ours
        if not isinstance(message, dict):
            continue
        event = message.get("event")
        if event == "epoch" and on_progress is not None:
            on_progress(int(message["done"]), int(message["total"]))
        elif event == "error":
            raise FitError(str(message.get("message")))
        elif event == "done":
            result = tuple(float(p) for p in message["parameters"])
    return result
