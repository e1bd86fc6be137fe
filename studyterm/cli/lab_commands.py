"""The `studyterm lab` commands: list, run, show, runs, sweep (a thin layer over studyterm.labs.Labs).

Loaded only when a `lab` command runs (see studyterm/cli/labs.py)."""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import click

from studyterm.cli.context import Context, Seconds, json_option, pass_context
from studyterm.cli.lab_output import (
    TerminalProgress,
    echo_lines,
    run_lines,
    runs_table,
    sweep_table,
)
from studyterm.cli.output import echo, emit_json, one_line, plural
from studyterm.labs import Labs, RunStatus
from studyterm.labs.shapes import lab_dict, run_dict
from studyterm.labs.spec import LabProblem

CANCELLED_EXIT = 130
"""The exit status of a run stopped with Ctrl-C (128 + SIGINT), as shells report it."""


param_option = click.option(
    "--param", "-p", "params", metavar="NAME=VALUE", multiple=True,
    help="Set a lab parameter (repeatable), e.g. --param lr=0.1.",
)
quick_option = click.option(
    "--quick", is_flag=True,
    help="Quick mode: the lab's [quick] settings (few epochs); no feedback to cards.",
)
time_limit_option = click.option(
    "--time-limit", type=Seconds(min=0, min_open=True), metavar="SECONDS",
    help="Override the lab's time limit.",
)


@click.command(name="list")
@json_option
@pass_context
def list_labs(context: Context, as_json: bool) -> None:
    """List the labs in labs/, with their linked cards and latest run."""
    _quiet_sync(context)
    labs = Labs(context.collection)
    catalog = labs.catalog()
    summaries = labs.summaries()
    problems = [*catalog.problems, *_missing_labs(catalog, summaries)]
    if as_json:
        emit_json({
            "labs": [lab_dict(spec, summaries.get(spec.id)) for spec in catalog.labs.values()],
            "problems": [{"path": p.path, "message": p.message} for p in problems],
        })
        return
    if not catalog.labs:
        echo(f"no labs in {context.collection.layout.labs}")
    width = max((len(i) for i in catalog.labs), default=0)
    for spec in catalog.labs.values():
        summary = summaries.get(spec.id)
        cards = summary.cards if summary else 0
        runs = "no runs" if not summary or not summary.runs else _runs_text(summary)
        echo(f"{spec.id:<{width}}  {one_line(spec.title, 48):<48}  {plural(cards, 'card')}, {runs}")
    for problem in problems:
        echo(problem.format())


def _runs_text(summary) -> str:
    last = summary.last_run
    outcome = {True: "passed", False: "failed", None: last.status}[last.passed]
    return f"{plural(summary.runs, 'run')} (last: {outcome}, {last.day})"


def _missing_labs(catalog, summaries) -> list[LabProblem]:
    broken = {p.path.split("/")[1] for p in catalog.problems if p.path.count("/") >= 1}
    return [
        LabProblem(f"labs/{lab_id}", f"{plural(s.cards, 'card')} link{'s' if s.cards == 1 else ''} "
                   "this lab, but it has no lab.toml")
        for lab_id, s in sorted(summaries.items())
        if s.cards and lab_id not in catalog.labs and lab_id not in broken
    ]


@click.command(name="run")
@click.argument("lab_id", metavar="LAB")
@param_option
@click.option("--card", "card_id", metavar="CARD", help="The card this run is launched from.")
@quick_option
@time_limit_option
@click.option("--verbose", "-v", is_flag=True, help="Print the lab's output as it runs.")
@json_option
@pass_context
def run_lab(context: Context, lab_id: str, params: tuple[str, ...], card_id: str | None,
            quick: bool, time_limit: float | None, verbose: bool, as_json: bool) -> None:
    """Run LAB, store the run and apply its feedback to the cards linked to it.

    Ctrl-C stops the lab (and everything it started); the run is kept as cancelled and gives
    no feedback. Exit status 0 whatever the lab's outcome; see `status` and `passed`."""
    _quiet_sync(context)
    labs = Labs(context.collection)
    overrides = dict(_param(text) for text in params)
    with interrupt_cancels() as cancel:
        report = labs.run(
            lab_id, overrides, card_id=card_id, quick=quick, time_limit_s=time_limit,
            on_event=TerminalProgress(lab_id, echo_log=verbose and not as_json), cancel=cancel,
        )
    if as_json:
        emit_json(run_dict(report.run, report.feedback, series=True))
    else:
        echo_lines(run_lines(report.run, labs.spec(lab_id), report.feedback))
    if report.run.status == RunStatus.CANCELLED:
        raise click.exceptions.Exit(CANCELLED_EXIT)


@click.command(name="show")
@click.argument("run_id", metavar="RUN", type=int)
@click.option("--log", "full_log", is_flag=True, help="Print the whole captured output.")
@json_option
@pass_context
def show_run(context: Context, run_id: int, full_log: bool, as_json: bool) -> None:
    """Show stored run RUN: parameters, metrics against targets, feedback, output."""
    labs = Labs(context.collection)
    run = labs.get_run(run_id)
    feedback = labs.feedback(run_id)
    if as_json:
        emit_json(run_dict(run, feedback, series=True, log=True))
        return
    spec = labs.catalog().labs.get(run.lab_id)
    echo_lines(run_lines(run, spec, feedback))
    echo(f"  started {run.started_at.isoformat(timespec='seconds')}, code {run.fingerprint}"
               + (f", launched from card {run.card_id}" if run.card_id else "")
               + (f", sweep {run.sweep}" if run.sweep else ""))
    log_lines = run.log.splitlines()
    shown = log_lines if full_log else log_lines[-20:]
    if shown:
        hidden = len(log_lines) - len(shown)
        echo(f"output{f' (last {len(shown)} lines; --log for all)' if hidden else ''}:")
        echo_lines(["  " + line for line in shown])


@click.command(name="runs")
@click.argument("lab_id", metavar="LAB", required=False)
@click.option("--limit", type=click.IntRange(min=1), default=20, show_default=True,
              help="Show at most this many runs, newest first.")
@json_option
@pass_context
def list_runs(context: Context, lab_id: str | None, limit: int, as_json: bool) -> None:
    """List stored runs (of LAB, or of every lab), newest first, to compare them."""
    labs = Labs(context.collection)
    if lab_id is not None:
        labs.spec(lab_id)
    runs = labs.runs(lab_id, limit)
    if as_json:
        emit_json({"runs": [run_dict(run) for run in runs]})
    elif runs:
        echo_lines(runs_table(runs))
    else:
        echo("no runs yet")


@click.command(name="sweep")
@click.argument("lab_id", metavar="LAB")
@click.option("--param", "-p", "params", metavar="NAME=V1,V2,...", multiple=True, required=True,
              help="A parameter and the values to try (repeatable: the grid is every combination).")
@quick_option
@time_limit_option
@json_option
@pass_context
def sweep_lab(context: Context, lab_id: str, params: tuple[str, ...], quick: bool,
              time_limit: float | None, as_json: bool) -> None:
    """Run LAB for every combination of the given values and print a comparison table.

    Runs are stored (and show in `lab runs`) but give no feedback to cards: a sweep tries
    settings that are meant to fail. Ctrl-C stops the current run and the sweep."""
    labs = Labs(context.collection)
    grid = {name: [v for v in values.split(",") if v.strip()] for name, values in map(_param, params)}
    total = len(labs.sweep_points(lab_id, grid, quick))
    progress = TerminalProgress(lab_id)

    def starting(index: int, count: int, values: dict) -> None:
        progress.label = f"{lab_id} {index + 1}/{count} " + " ".join(f"{k}={values[k]}" for k in grid)

    with interrupt_cancels() as cancel:
        reports = labs.sweep(lab_id, grid, quick=quick, time_limit_s=time_limit, on_run=starting,
                             on_event=progress, cancel=cancel)
    runs = [report.run for report in reports]
    cancelled = len(runs) < total or any(r.status == RunStatus.CANCELLED for r in runs)
    if as_json:
        emit_json({"lab": lab_id, "sweep": runs[0].sweep if runs else None, "grid": grid,
                   "complete": not cancelled, "runs": [run_dict(run) for run in runs]})
    else:
        echo_lines(sweep_table(runs, list(grid)))
        passed = sum(1 for run in runs if run.passed)
        echo(f"{passed} of {plural(len(runs), 'run')} passed; sweeps give no feedback to cards")
    if cancelled:
        raise click.exceptions.Exit(CANCELLED_EXIT)


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


def _param(text: str) -> tuple[str, str]:
    name, equals, value = text.partition("=")
    if not equals or not name.strip():
        raise click.BadParameter(f"{text!r} is not NAME=VALUE", param_hint="--param")
    return name.strip(), value.strip()


def _quiet_sync(context: Context) -> None:
    """Read changed notes first, so cards just linked to the lab get its feedback."""
    report = context.collection.sync()
    if report.errors:
        echo(f"warning: {plural(len(report.errors), 'problem')} in your notes; "
                   "run `studyterm sync` to see them", err=True)


COMMANDS = {command.name: command for command in (list_labs, run_lab, show_run, list_runs, sweep_lab)}
