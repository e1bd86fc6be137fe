"""Commands for writing notes: new (from a template, then $EDITOR) and check (a pre-commit hook)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import click

from studyterm.authoring.check import check_paths
from studyterm.authoring.files import NoteError, read_note_text
from studyterm.authoring.preview import NotePreview, lab_ids, preview_note
from studyterm.authoring.templates import DEFAULT_TEMPLATE, create_note
from studyterm.cli.context import Context, json_option, pass_context
from studyterm.cli.output import echo, emit_json, plural
from studyterm.editor import editor_command
from studyterm.shapes import problem_dict


@click.command()
@click.argument("title")
@click.option("--deck", default="", metavar="DECK",
              help="The deck, e.g. dlfs2/ch03: the note goes in concepts/DECK/ (default: concepts/).")
@click.option("--template", default=DEFAULT_TEMPLATE, show_default=True, metavar="NAME",
              help="A template in concepts/_templates/: session, concept, or one of your own.")
@click.option("--no-edit", is_flag=True, help="Only create the file; do not open $EDITOR.")
@json_option
@pass_context
def new(context: Context, title: str, deck: str, template: str, no_edit: bool, as_json: bool) -> None:
    """Create a note titled TITLE from a template and open it in $EDITOR.

    The file is concepts/DECK/<title-as-slug>.md; an existing file is never overwritten (a taken
    name gets -2, -3, ...). After the editor closes, the cards the note makes and its problems
    are printed; `studyterm sync` (or the app) turns them into cards.
    """
    collection = context.collection
    try:
        note = create_note(collection.layout, title, deck, template, collection.today())
    except NoteError as error:
        raise click.ClickException(str(error)) from None
    if not no_edit:
        failure = run_editor(note.path, note.line)
        if failure:
            raise click.ClickException(f"created {note.relative}, but {failure}")
    try:
        text, _digest = read_note_text(note.path)
    except NoteError as error:
        raise click.ClickException(str(error)) from None
    preview = preview_note(text, note.relative, collection.note_cards(note.relative), lab_ids(collection.layout.labs))
    if as_json:
        emit_json({
            "path": note.relative,
            "deck": preview.deck,
            "template": note.template,
            "line": note.line,
            "edited": not no_edit,
            "cards": len(preview.cards),
            "problems": [problem_dict(note.relative, p) for p in preview.problems],
        })
        return
    print_created(note.relative, note.template, preview)


def run_editor(path: Path, line: int) -> str | None:
    """Run $VISUAL / $EDITOR on the file; a message when it could not run or failed."""
    command = editor_command(path, line)
    try:
        completed = subprocess.run(command, check=False)
    except FileNotFoundError:
        return f"the editor was not found: {command[0]} (set $EDITOR)"
    except OSError as error:
        return f"the editor could not start: {error}"
    if completed.returncode != 0:
        return f"{command[0]} exited with status {completed.returncode}"
    return None


def print_created(relative: str, template: str, preview: NotePreview) -> None:
    echo(f"{relative} (deck {preview.deck}, template {template}): {plural(len(preview.cards), 'card')}")
    for problem in preview.problems:
        echo(problem.format(relative))


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@json_option
@pass_context
def check(context: Context, paths: tuple[Path, ...], as_json: bool) -> None:
    """Check notes for problems without changing anything (a pre-commit hook).

    PATHS are note files or folders (default: the collection's concepts/). Every problem prints
    as path:line: message; the exit status is 1 when there is an error, 0 when there are only
    warnings or nothing. Works outside a collection too; inside one, `lab:` links are checked
    against labs/ and templates (concepts/_templates/) are skipped.
    """
    targets = list(paths) or [context.layout.concepts]
    report = check_paths(targets, display=_display)
    if as_json:
        emit_json({
            "checked": len(report.checked),
            "errors": report.errors,
            "warnings": report.warnings,
            "problems": [problem_dict(path, problem) for path, problem in report.problems],
            "skipped": [{"path": path, "reason": reason} for path, reason in report.skipped],
        })
    else:
        for path, problem in report.problems:
            echo(problem.format(path))
        echo(
            f"{plural(len(report.checked), 'note')} checked: {plural(report.errors, 'error')}, "
            f"{plural(report.warnings, 'warning')}",
            err=True,
        )
    if report.errors:
        raise click.exceptions.Exit(1)


def _display(path: Path) -> str:
    """Paths as given when relative, else relative to the current folder when inside it (what
    editors and pre-commit print, so `path:line` jumps work)."""
    if not path.is_absolute():
        return path.as_posix()
    try:
        return path.relative_to(Path(os.getcwd())).as_posix()
    except ValueError:
        return path.as_posix()


COMMANDS = [new, check]
