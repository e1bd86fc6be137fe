"""What the lab commands share: Ctrl-C as a cancel, NAME=VALUE options, a quiet sync first."""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import click

from studyterm.cli.context import Context
from studyterm.cli.output import echo, plural

CANCELLED_EXIT = 130
"""The exit status of a run stopped with Ctrl-C (128 + SIGINT), as shells report it."""


@contextmanager
def interrupt_cancels() -> Iterator[threading.Event]:
    """While the block runs, Ctrl-C sets the returned event instead of raising
    KeyboardInterrupt, so the runner can stop the lab's process group and store the run."""
    cancel = threading.Event()
    if threading.current_thread() is not threading.main_thread():
        yield cancel
        return
    previous = signal.signal(signal.SIGINT, lambda _signum, _frame: cancel.set())
    try:
        yield cancel
    finally:
        signal.signal(signal.SIGINT, previous)


def param_pair(text: str) -> tuple[str, str]:
    name, equals, value = text.partition("=")
    if not equals or not name.strip():
        raise click.BadParameter(f"{text!r} is not NAME=VALUE", param_hint="--param")
    return name.strip(), value.strip()


def predicted_answers(texts: tuple[str, ...]) -> dict[str, int]:
    """`--predict lr_too_high=3` -> {"lr_too_high": 2} (answers are numbered from 1)."""
    answers = {}
    for text in texts:
        name, value = param_pair(text)
        if not value.isdigit() or int(value) < 1:
            raise click.BadParameter(f"{text!r}: the answer is a number, 1 or more", param_hint="--predict")
        answers[name] = int(value) - 1
    return answers


def quiet_sync(context: Context) -> None:
    """Read changed notes first, so cards just linked to the lab get its feedback."""
    report = context.collection.sync()
    if report.errors:
        echo(f"warning: {plural(len(report.errors), 'problem')} in your notes; "
                   "run `studyterm sync` to see them", err=True)
