"""Commands about how far the learner is: progress (mastery per domain and topic) and stats."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import click

from studyterm.cli.context import Context, json_option, pass_context
from studyterm.cli.output import echo, emit_json
from studyterm.progress import report, service
from studyterm.progress.plan import PlanError


def _sync_quietly(context: Context) -> None:
    report_ = context.collection.sync()
    if report_.errors:
        echo(f"warning: {len(report_.errors)} problem(s) in your notes; run `studyterm sync` to see them",
             err=True)


@click.command()
@click.option("--markdown", is_flag=True, help="Print the report as Markdown (to commit to your study repository).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the Markdown report to this file (replaced if it exists).")
@click.option("--no-sync", is_flag=True, help="Do not read changed notes first.")
@json_option
@pass_context
def progress(context: Context, markdown: bool, output: Path | None, no_sync: bool, as_json: bool) -> None:
    """Mastery per domain and topic of studyplan.toml, milestones, gaps and the next step,
    all derived from your review log and lab runs (docs/progress.md)."""
    if not no_sync:
        _sync_quietly(context)
    collection = context.collection
    try:
        result = service.progress(collection)
    except PlanError as error:
        raise click.ClickException(str(error)) from None
    if as_json:
        emit_json(report.progress_dict(result))
        return
    if markdown or output:
        text = report.progress_markdown(result, collection.today(), collection.sessions(limit=5))
        if output:
            _write_report(output, text)
            echo(f"Wrote {output}")
        else:
            echo(text.rstrip("\n"))
        return
    _print_summary(result)


def _print_summary(result) -> None:
    echo(f"Overall  {report.bar(result.overall)} {result.overall:4.0%}   "
         f"{result.mastered}/{len(result.topics)} topics mastered")
    cards = result.cards
    echo(f"Cards    {cards.learned} learned of {cards.total}: {cards.young} young, {cards.mature} mature")
    for domain in result.domains:
        echo(f"  {report.bar(domain.progress, 10)} {domain.progress:4.0%}  {domain.name} "
             f"({domain.mastered}/{len(domain.topics)} mastered)")
    if result.gaps:
        echo(f"Gaps     {result.gap_total}: " + "; ".join(gap.text for gap in result.gaps[:3])
             + (" …" if len(result.gaps) > 3 else ""))
    if result.next_step:
        echo(f"Next     {result.next_step.why}: {result.next_step.action}")


def _write_report(path: Path, text: str) -> None:
    """The report replaces a regular file; never a link, a device or a FIFO."""
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        mode = None
    except OSError as error:
        raise click.ClickException(f"cannot write {path}: {error.strerror}") from None
    if mode is not None and not stat.S_ISREG(mode):
        raise click.ClickException(f"{path} is not a regular file; the report is only written to one")
    temporary = path.with_name(f".{path.name}.tmp")
    try:
        temporary.write_text(text, encoding="utf-8")
        os.replace(temporary, path)
    except OSError as error:
        temporary.unlink(missing_ok=True)
        raise click.ClickException(f"cannot write {path}: {error.strerror or error}") from None


@click.command()
@click.option("--no-sync", is_flag=True, help="Do not read changed notes first.")
@json_option
@pass_context
def stats(context: Context, no_sync: bool, as_json: bool) -> None:
    """Statistics: answers per day, the 30-day forecast, true retention (young and mature), the
    E-Factor spread, time per day, answer buttons, hardest cards and your lab checks."""
    if not no_sync:
        _sync_quietly(context)
    result = service.statistics(context.collection)
    if as_json:
        emit_json(report.statistics_dict(result))
        return
    week = sum(count for _, count in result.calendar[-7:])
    echo(f"Answers       {result.answers} in the last year, {week} in the last 7 days")
    for name, retention in (("young", result.young), ("mature", result.mature)):
        rate = "no reviews yet" if retention.rate is None else f"{retention.rate:.0%} of {retention.total}"
        echo(f"Retention     {name:<7}{rate}")
    echo(f"Due next 7 d  {sum(count for _, count in result.forecast[:7])}")
    minutes = sum(m for _, m in result.minutes)
    echo(f"Time          {minutes:.0f} min in the last 30 days")
    echo("Buttons       " + "  ".join(f"{grade}:{count}" for grade, count in result.buttons))
    for fact in result.hardest[:5]:
        echo(f"Hard          {fact.lapses} lapses, EF {fact.ef:.2f}  {' '.join(fact.question.split())[:60]}")
    echo("See them drawn: press S on the home screen of the app.")


COMMANDS = [progress, stats]
