"""Errors the app did not expect. Their traceback is kept in `.studyterm/errors.log` (for a bug
report) and the user sees one line: a notice when a background task failed and the app goes on,
or one line and exit status 1 when the app had to stop."""

from __future__ import annotations

import functools
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

from textual import work

LOG_NAME = "errors.log"
MAX_LOG_BYTES = 512 * 1024
"""Past this the log starts afresh (the previous one is kept as errors.log.1)."""

Method = TypeVar("Method", bound=Callable[..., Any])


@dataclass(frozen=True)
class Failure:
    summary: str
    """One line: the exception's type and the first line of its message."""
    log: Path | None
    """Where the traceback was kept; None when it could not be written."""
    log_error: str | None = None

    def details(self) -> str:
        if self.log is not None:
            return f"the details are in {self.log}"
        return f"the details could not be saved ({self.log_error})"


def summarize(error: BaseException) -> str:
    cause = getattr(error, "error", None)  # Textual's WorkerFailed wraps the real one
    error = cause if isinstance(cause, BaseException) else error
    message = str(error).strip().splitlines()
    text = f"{type(error).__name__}: {message[0]}" if message else type(error).__name__
    return text if len(text) <= 200 else text[:197] + "..."


def keep(state_dir: Path, when: datetime, what: str, details: str) -> Failure:
    """Append an entry to the error log: when, what happened, and the details (a traceback)."""
    path = state_dir / LOG_NAME
    entry = f"--- {when.isoformat(timespec='seconds')} {what}\n{details.rstrip()}\n\n"
    try:
        state_dir.mkdir(parents=True, exist_ok=True)
        if path.exists() and path.stat().st_size > MAX_LOG_BYTES:
            path.replace(path.with_name(LOG_NAME + ".1"))
        with path.open("a", encoding="utf-8") as log:
            log.write(entry)
    except OSError as error:
        return Failure(what, None, error.strerror or str(error))
    return Failure(what, path)


def keep_exception(state_dir: Path, when: datetime, error: BaseException) -> Failure:
    details = "".join(traceback.format_exception(error))
    return keep(state_dir, when, summarize(error), details)


def background(group: str) -> Callable[[Method], Method]:
    """A thread worker (exclusive in `group`) whose failure is reported, never dropped: Textual
    keeps the exception of a worker with exit_on_error=False on the worker, where nobody looks.
    The app's `report_failure` logs it and shows a notice; the app goes on."""

    def decorate(method: Method) -> Method:
        @functools.wraps(method)
        def guarded(self, *args: Any, **kwargs: Any) -> Any:
            try:
                return method(self, *args, **kwargs)
            except Exception as error:  # reported to the user, not swallowed
                app = self.app
                try:
                    app.call_from_thread(app.report_failure, error)
                except RuntimeError:  # the app is closing: nobody left to tell
                    pass
                return None

        return work(thread=True, exclusive=True, exit_on_error=False, group=group)(guarded)

    return decorate
