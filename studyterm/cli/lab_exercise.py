"""The exercise commands of `studyterm lab`: start, check, hint (a thin layer over Labs).

Loaded with the other lab commands (studyterm/cli/lab_commands.py), only when a lab command runs.
"""

from __future__ import annotations

import click

from studyterm.cli.context import Context, json_option, pass_context
from studyterm.cli.lab_output import TerminalProgress, echo_lines, hole_lines, verdict_line
from studyterm.cli.lab_support import CANCELLED_EXIT, interrupt_cancels
from studyterm.cli.output import echo, emit_json, plural
from studyterm.labs import Labs, RunStatus
from studyterm.labs.shapes import run_dict
from studyterm.shapes import review_dict


@click.command(name="start")
@click.argument("lab_id", metavar="LAB")
@json_option
@pass_context
def start_lab(context: Context, lab_id: str, as_json: bool) -> None:
    """Copy the exercise of LAB into your workspace, <collection>/workspace/LAB/.

    Every file of the lab but lab.toml and checks.py, with each hole emptied: you write them,
    `studyterm lab check LAB` checks them. Never overwrites a workspace that is there."""
    labs = Labs(context.collection)
    workspace, files = labs.start(lab_id)
    spec = workspace.spec
    holes = [
        {"name": name, "title": hole.title, "file": hole.file,
         "line": workspace.hole(name).code_line if workspace.hole(name) else hole.line}
        for name, hole in spec.holes.items()
    ]
    if as_json:
        emit_json({"lab": spec.id, "workspace": str(workspace.path), "files": files, "holes": holes})
        return
    shown = workspace.path.relative_to(context.collection.layout.root).as_posix()
    lines = [f"wrote {shown}/ ({', '.join(files)}): {plural(len(holes), 'hole')} to write"]
    width = max(len(hole["name"]) for hole in holes)
    lines += [f"  {hole['name']:<{width}}  {shown}/{hole['file']}:{hole['line']}  {hole['title']}"
              for hole in holes]
    echo_lines(lines)
    echo(f"next: fill a hole, then `studyterm lab check {spec.id}`; "
               f"`studyterm lab hint {spec.id} HOLE` when stuck")


@click.command(name="check")
@click.argument("lab_id", metavar="LAB")
@click.option("--reference", is_flag=True, help="Check the lab's reference solution instead.")
@json_option
@pass_context
def check_lab(context: Context, lab_id: str, reference: bool, as_json: bool) -> None:
    """Run only the checks of LAB's holes on your workspace copy (a few seconds at most).

    Prints each hole's result and the first failing check's message with its file:line. The
    run is stored but never changes a card. Exit status 0 when every hole passes, else 1."""
    labs = Labs(context.collection)
    spec = labs.spec(lab_id)
    if not reference and not as_json:
        for change in labs.workspace(lab_id).changed_holes():
            echo(f"note: {change.text(lab_id)}", err=True)
    with interrupt_cancels() as cancel:
        report = labs.check(lab_id, reference=reference, cancel=cancel,
                            on_event=TerminalProgress(f"{lab_id} checks"))
    run = report.run
    if as_json:
        emit_json(run_dict(run))
    else:
        echo_lines(hole_lines(run.holes, spec))
        if run.status != "completed" or len(run.holes) < len(spec.holes):
            echo(verdict_line(run))
            if run.traceback:
                echo_lines(["", run.traceback])
    if run.status == RunStatus.CANCELLED:
        raise click.exceptions.Exit(CANCELLED_EXIT)
    if not run.passed:
        raise click.exceptions.Exit(1)


@click.command(name="hint")
@click.argument("lab_id", metavar="LAB")
@click.argument("hole", metavar="HOLE")
@json_option
@pass_context
def hint_lab(context: Context, lab_id: str, hole: str, as_json: bool) -> None:
    """Reveal the next hint of HOLE in LAB (up to 3, from gentle to nearly the answer).

    Revealed hints are remembered and lower the grade a passing hole gives its cards (5 with
    none, 4 after one, 3 after two or more)."""
    labs = Labs(context.collection)
    shown, hints = labs.hint(lab_id, hole)
    title = labs.spec(lab_id).holes[hole].title
    if as_json:
        emit_json({"lab": lab_id, "hole": hole, "revealed": shown, "total": len(hints),
                   "hints": list(hints[:shown])})
        return
    lines = [f"{hole} ({title}): hint {shown} of {len(hints)}"]
    lines += [f"  {number}. {hint}" for number, hint in enumerate(hints[:shown], start=1)]
    echo_lines(lines)
    if shown == len(hints):
        echo("that was the last hint")


@click.command(name="undo")
@click.argument("run_id", metavar="RUN", type=int)
@json_option
@pass_context
def undo_run(context: Context, run_id: int, as_json: bool) -> None:
    """Undo every change lab run RUN made to cards (its graded feedback and its predictions).

    Each card goes back to exactly its state before the run. A card answered since keeps its
    lab event (undo that answer first, with `studyterm undo`); exit status 1 then."""
    labs = Labs(context.collection)
    report = labs.undo_run(run_id)
    if as_json:
        emit_json({"run": run_id, "undone": [{"card": e.card_id, **review_dict(e)} for e in report.undone],
                   "kept": [{"card": e.card_id, "review": e.id, "reason": why} for e, why in report.kept]})
    else:
        if not report.undone and not report.kept:
            echo(f"run {run_id} changed no card (or its changes are undone already)")
        for entry in report.undone:
            echo(f"card {entry.card_id}: back to EF {entry.ef_after:.2f}, "
                       + (f"due {entry.due_after}" if entry.due_after else "new"))
        for entry, why in report.kept:
            echo(f"card {entry.card_id}: kept ({why})")
    if report.kept:
        raise click.exceptions.Exit(1)


@click.command(name="diff")
@click.argument("lab_id", metavar="LAB")
@click.argument("hole", metavar="HOLE")
@json_option
@pass_context
def diff_hole(context: Context, lab_id: str, hole: str, as_json: bool) -> None:
    """Show your code of HOLE beside the lab's reference solution (a unified diff), with the
    hole's task as the lab has it now: after a hole passes, or when the lab changed it."""
    labs = Labs(context.collection)
    diff = labs.diff(lab_id, hole)
    if as_json:
        emit_json(diff.as_dict())
        return
    lines = [f"{hole} ({diff.title}): {diff.task}"]
    if diff.changed:
        lines.append("the lab changed this hole since you started")
    lines += diff.unified() or ["your code is the reference's, line for line"]
    echo_lines(lines)


COMMANDS = (start_lab, check_lab, hint_lab, undo_run, diff_hole)
