"""Commands about the collection's files: init, sync."""

from __future__ import annotations

from pathlib import Path

import click

from studyterm.cli.context import Context, json_option, pass_context
from studyterm.cli.output import echo, emit_json, plural
from studyterm.layout import init_collection
from studyterm.shapes import sync_dict
from studyterm.sync import SyncReport


@click.command()
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@click.option("--sample", is_flag=True, help="Fill it with the bundled sample notes and labs.")
@json_option
def init(folder: Path, sample: bool, as_json: bool) -> None:
    """Create a new collection in FOLDER (concepts/, labs/, decks/, studyterm.toml)."""
    layout, created = init_collection(folder, sample=sample)
    if as_json:
        emit_json({"collection": str(layout.root), "sample": sample, "created": [str(p) for p in created]})
        return
    echo(f"Created a studyterm collection in {layout.root}")
    if sample:
        echo("with the sample notes and labs.")
    echo(f"Next: cd {folder} && studyterm sync && studyterm due")


@click.command()
@json_option
@pass_context
def sync(context: Context, as_json: bool) -> None:
    """Read the notes in concepts/ and update the cards (only changed files are parsed)."""
    report = context.collection.sync()
    if as_json:
        emit_json(sync_dict(report))
        return
    print_sync_report(report)


def print_sync_report(report: SyncReport) -> None:
    echo(
        f"{plural(report.scanned, 'note')} ({report.parsed} parsed): "
        f"{report.created} new, {report.updated} updated, {report.revived} revived, "
        f"{report.retired} retired card(s)"
        + (f", {report.kept} kept until their note is fixed" if report.kept else "")
    )
    for path, problem in report.problems:
        echo(problem.format(path))


COMMANDS = [init, sync]
