"""The `studyterm lab` commands: list, run, show, runs, sweep, and the exercise commands of
lab_exercise.py (a thin layer over studyterm.labs.Labs).

Loaded only when a `lab` command runs (see studyterm/cli/labs.py)."""

from __future__ import annotations

import click

from studyterm.cli.context import Context, Seconds, json_option, pass_context
from studyterm.cli.lab_output import (
    TerminalProgress,
    asked_lines,
    echo_lines,
    run_lines,
    runs_table,
    sweep_table,
)
from studyterm.cli.lab_support import (
    CANCELLED_EXIT,
    interrupt_cancels,
    param_pair,
    predicted_answers,
    quiet_sync,
)
from studyterm.cli.output import echo, emit_json, one_line, plural
from studyterm.labs import Labs, RunStatus
from studyterm.labs.shapes import lab_dict, run_dict
from studyterm.labs.spec import LabProblem

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
reference_option = click.option(
    "--reference", is_flag=True,
    help="Run the lab's reference solution instead of your workspace copy (never graded).",
)


@click.command(name="list")
@json_option
@pass_context
def list_labs(context: Context, as_json: bool) -> None:
    """List the labs in labs/, with their linked cards and latest run."""
    quiet_sync(context)
    labs = Labs(context.collection)
    catalog = labs.catalog()
    summaries = labs.summaries()
    problems = [*catalog.problems, *_missing_labs(catalog, summaries), *_unknown_links(labs, catalog)]
    states = {lab_id: labs.exercise_state(lab_id) for lab_id, spec in catalog.labs.items()
              if spec.is_exercise}
    if as_json:
        emit_json({
            "labs": [lab_dict(spec, summaries.get(spec.id),
                              states[spec.id].as_dict() if spec.id in states else None)
                     for spec in catalog.labs.values()],
            "problems": [{"path": p.path, "message": p.message} for p in problems],
        })
        return
    if not catalog.labs:
        echo(f"no labs in {context.collection.layout.labs}")
    width = max((len(i) for i in catalog.labs), default=0)
    lines = []
    for spec in catalog.labs.values():
        summary = summaries.get(spec.id)
        cards = summary.cards if summary else 0
        runs = "no runs" if not summary or not summary.runs else _runs_text(summary)
        holes = _holes_text(spec, states.get(spec.id))
        lines.append(f"{spec.id:<{width}}  {one_line(spec.title, 48):<48}  {holes}"
                     f"{plural(cards, 'card')}, {runs}")
        for change in states[spec.id].changed if spec.id in states else []:
            lines.append(f"  note: {change.text(spec.id)}")
    echo_lines(lines + [problem.format() for problem in problems])


def _unknown_links(labs: Labs, catalog) -> list[LabProblem]:
    """Cards linking `LAB#NAME` where NAME is no hole or prediction of the lab."""
    problems = []
    for lab_id, spec in catalog.labs.items():
        for name, cards in labs.card_links(lab_id).items():
            if name is not None and name not in spec.holes and name not in spec.predictions:
                verb = "links" if len(cards) == 1 else "link"
                problems.append(LabProblem(f"labs/{lab_id}", f"{plural(len(cards), 'card')} {verb} "
                                           f"{lab_id}#{name}, which is no hole or prediction of the lab"))
    return problems


def _holes_text(spec, state) -> str:
    if state is None:
        return "demo, "
    if not state.started:
        return f"{plural(len(spec.holes), 'hole')} (not started), "
    return f"{state.passing}/{plural(len(spec.holes), 'hole')} passing, "


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
@reference_option
@click.option("--card", "card_id", metavar="CARD", help="The card this run is launched from.")
@click.option("--predict", "predictions", metavar="PREDICTION=N", multiple=True,
              help="Your answer (1, 2, ...) to a prediction this run asks, e.g. lr_too_high=3.")
@quick_option
@time_limit_option
@click.option("--verbose", "-v", is_flag=True, help="Print the lab's output as it runs.")
@json_option
@pass_context
def run_lab(context: Context, lab_id: str, params: tuple[str, ...], reference: bool,
            card_id: str | None, predictions: tuple[str, ...], quick: bool,
            time_limit: float | None, verbose: bool, as_json: bool) -> None:
    """Run LAB: the checks of its holes on your workspace copy, then (when they all pass) the
    lab itself; store the run, and when it is graded apply its feedback to the linked cards.

    A graded run is your code at the lab's default parameters, in full mode; anything else
    (--reference, --quick, other parameters, a demo lab) is exploration and changes no card.
    A run with a changed parameter may ask a prediction first (`lab.toml` [[predictions]]):
    answer it with --predict; the run's metrics decide whether you were right, and the cards
    linking that prediction get the grade. Ctrl-C stops the lab (and everything it started);
    the run is kept as cancelled. Exit status 0 whatever the lab's outcome; see `status` and
    `passed`."""
    quiet_sync(context)
    labs = Labs(context.collection)
    overrides = dict(param_pair(text) for text in params)
    predicted = predicted_answers(predictions)
    if not as_json:
        echo_lines(asked_lines(labs.predictions_for(lab_id, overrides, quick), predicted), err=True)
    if not reference and not as_json:
        for change in labs.workspace(lab_id).changed_holes() if labs.spec(lab_id).is_exercise else []:
            echo(f"note: {change.text(lab_id)}", err=True)
    with interrupt_cancels() as cancel:
        report = labs.run(
            lab_id, overrides, reference=reference, card_id=card_id, quick=quick,
            time_limit_s=time_limit, cancel=cancel, predicted=predicted,
            on_event=TerminalProgress(lab_id, echo_log=verbose and not as_json),
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
@reference_option
@quick_option
@time_limit_option
@json_option
@pass_context
def sweep_lab(context: Context, lab_id: str, params: tuple[str, ...], reference: bool, quick: bool,
              time_limit: float | None, as_json: bool) -> None:
    """Run LAB for every combination of the given values and print a comparison table.

    Runs are stored (and show in `lab runs`) but give no feedback to cards: a sweep tries
    settings that are meant to fail. Ctrl-C stops the current run and the sweep."""
    labs = Labs(context.collection)
    grid = {name: [v for v in values.split(",") if v.strip()] for name, values in map(param_pair, params)}
    total = len(labs.sweep_points(lab_id, grid, quick))
    progress = TerminalProgress(lab_id)

    def starting(index: int, count: int, values: dict) -> None:
        progress.label = f"{lab_id} {index + 1}/{count} " + " ".join(f"{k}={values[k]}" for k in grid)

    with interrupt_cancels() as cancel:
        reports = labs.sweep(lab_id, grid, reference=reference, quick=quick,
                             time_limit_s=time_limit, on_run=starting, on_event=progress,
                             cancel=cancel)
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


def _exercise_commands() -> tuple[click.Command, ...]:
    from studyterm.cli.lab_exercise import COMMANDS as EXERCISE_COMMANDS

    return EXERCISE_COMMANDS


COMMANDS = {
    command.name: command
    for command in (list_labs, run_lab, show_run, list_runs, sweep_lab, *_exercise_commands())
}
