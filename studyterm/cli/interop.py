"""Commands that move decks in and out: export, import (formats: docs/export.md)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from studyterm.cli.context import Context, json_option, pass_context
from studyterm.cli.output import echo, emit_json, plural
from studyterm.interop.model import (
    EXPORT_FORMATS,
    MAX_PACKAGE_BYTES,
    ExportResult,
    ImportResult,
    InteropError,
)


@click.command("export")
@click.argument("deck", required=False)
@click.option("--format", "fmt", type=click.Choice(EXPORT_FORMATS), default="apkg", show_default=True,
              help="apkg: Anki package; csv/tsv: Anki's text import format; md: a concept note; "
              "json: every card with its full state and review log.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Where to write (default: decks/<deck>.<format>, decks/all.<format> for every deck).")
@click.option("--with-scheduling", is_flag=True,
              help="apkg only: carry intervals, ease, due dates, repetitions, lapses and the review log into Anki.")
@click.option("--force", is_flag=True, help="Replace the -o file if it exists (never a link, device or FIFO).")
@click.option("--no-sync", is_flag=True, help="Do not read changed notes first.")
@json_option
@pass_context
def export(context: Context, deck: str | None, fmt: str, output: Path | None, with_scheduling: bool,
           force: bool, no_sync: bool, as_json: bool) -> None:
    """Export DECK and its sub-decks (every deck when omitted) to a file.

    Exporting again after editing notes updates the notes in Anki instead of adding copies,
    and the progress made in Anki stays.
    """
    from studyterm.interop.export import export_deck

    collection = context.collection
    if not no_sync:
        errors = collection.sync().errors
        if errors and not as_json:
            echo(f"warning: {plural(len(errors), 'problem')} in your notes; run `studyterm sync` to see them", err=True)
    with _ProgressBar(enabled=not as_json and sys.stderr.isatty()) as bar:
        try:
            result = export_deck(collection, fmt, output, deck=deck, with_scheduling=with_scheduling,
                                 progress=bar.update, force=force)
        except InteropError as error:
            raise click.ClickException(str(error)) from None
    if as_json:
        emit_json(export_dict(result))
        return
    what = f"deck {result.deck}" if result.deck else "every deck"
    echo(
        f"Exported {plural(result.cards, 'card')} ({plural(result.notes, 'note')}) of {what} to {result.path}"
        + (f", with {plural(result.reviews, 'review')}" if with_scheduling else "")
        + (f" and {plural(len(result.media), 'image')}" if result.media else "")
    )
    for warning in result.warnings:
        echo(f"warning: {warning}", err=True)


@click.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--deck", help="Put everything under this deck: it replaces the package's top-level deck.")
@click.option("--no-scheduling", is_flag=True, help="Import the cards as new, without the package's progress.")
@click.option("--max-size", type=click.IntRange(min=1), default=MAX_PACKAGE_BYTES // 1_000_000, show_default=True,
              help="Refuse files larger than this many MB.")
@json_option
@pass_context
def import_(context: Context, file: Path, deck: str | None, no_scheduling: bool, max_size: int,
            as_json: bool) -> None:
    """Turn an Anki package (.apkg, .colpkg) or text file (.csv, .tsv, .txt) into concept notes.

    Notes go to concepts/ (one file per deck and tag set, media to concepts/media/) with each
    card's ease, interval, due date and review log when the package has them. An existing file
    is never overwritten: it is reported as skipped.
    """
    from studyterm.interop.importer import import_file

    try:
        result = import_file(context.collection, file, deck=deck, with_scheduling=not no_scheduling,
                             max_bytes=max_size * 1_000_000)
    except InteropError as error:
        raise click.ClickException(str(error)) from None
    if as_json:
        emit_json(import_dict(result))
        return
    into = plural(len(result.created), 'new note file')
    if result.updated:
        into += f" and {plural(len(result.updated), 'updated one')}"
    echo(
        f"Imported {plural(result.cards, 'card')} from {file.name} into {into}"
        + (f"; {result.with_progress} with their progress ({plural(result.reviews, 'review')})"
           if result.with_progress else "")
    )
    for path in result.created:
        echo(f"  created {path}")
    if result.updated:
        echo(f"  {plural(result.added_notes, 'note')} added and {plural(result.updated_notes, 'note')} "
             f"changed in: {', '.join(result.updated)}")
    for path in result.media:
        echo(f"  copied {path}")
    for skip in result.skipped:
        echo(f"  skipped {skip.what}: {skip.reason}")
    if result.skipped_cards:
        echo(f"{plural(result.found, 'card')} in the file: {result.cards} imported, {result.skipped_cards} skipped")
    for warning in result.warnings:
        echo(f"warning: {warning}", err=True)



def export_dict(result: ExportResult) -> dict:
    return {
        "format": result.format,
        "path": result.path,
        "deck": result.deck,
        "notes": result.notes,
        "cards": result.cards,
        "reviews": result.reviews,
        "media": list(result.media),
        "warnings": list(result.warnings),
    }


def import_dict(result: ImportResult) -> dict:
    return {
        "file": result.path,
        "format": result.format,
        "created": result.created,
        "updated": result.updated,
        "added_notes": result.added_notes,
        "updated_notes": result.updated_notes,
        "media": result.media,
        "found": result.found,
        "cards": result.cards,
        "skipped_cards": result.skipped_cards,
        "with_progress": result.with_progress,
        "reviews": result.reviews,
        "skipped": [{"what": skip.what, "reason": skip.reason, "cards": skip.cards} for skip in result.skipped],
        "warnings": list(result.warnings),
    }


class _ProgressBar:
    """A progress bar on stderr for long exports (only on a terminal)."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.bar = None
        self.shown = 0

    def __enter__(self) -> _ProgressBar:
        return self

    def update(self, done: int, total: int) -> None:
        if not self.enabled or total < 2000:
            return
        if self.bar is None:
            self.bar = click.progressbar(length=total, label="exporting", file=sys.stderr)
            self.bar.__enter__()
        self.bar.update(done - self.shown)
        self.shown = done

    def __exit__(self, *exc_info: object) -> None:
        if self.bar is not None:
            self.bar.__exit__(*exc_info)


COMMANDS = [export, import_]
