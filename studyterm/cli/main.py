"""The `studyterm` command group, its global options and its error handling."""

from __future__ import annotations

import sys

import click

from studyterm import __version__
from studyterm.cli import authoring, cards, interop, labs, notes, review
from studyterm.cli.context import Context
from studyterm.clock import BadTimeError, clock_from
from studyterm.collection import CardStateError
from studyterm.config import ConfigError
from studyterm.layout import CollectionNotFoundError
from studyterm.schedule.sm2 import InvalidGradeError
from studyterm.store import StoreError

USER_ERRORS = (
    BadTimeError,
    CardStateError,
    CollectionNotFoundError,
    ConfigError,
    InvalidGradeError,
    StoreError,
    FileExistsError,
)


class StudytermGroup(click.Group):
    """Turns studyterm's own errors into a one-line message and exit status 1."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except USER_ERRORS as error:
            raise click.ClickException(str(error)) from None


@click.group(cls=StudytermGroup, invoke_without_command=True)
@click.option(
    "--collection",
    "collection_dir",
    metavar="DIR",
    envvar="STUDYTERM_COLLECTION",
    help="The collection folder (default: the one around the current folder). "
    "Env: STUDYTERM_COLLECTION.",
)
@click.option(
    "--now",
    metavar="ISO-8601-TIME",
    envvar="STUDYTERM_NOW",
    help="Pretend it is this time, e.g. 2026-11-21T09:30 (for scripts and tests). "
    "Env: STUDYTERM_NOW.",
)
@click.version_option(__version__, prog_name="studyterm")
@click.pass_context
def cli(ctx: click.Context, collection_dir: str | None, now: str | None) -> None:
    """studyterm: spaced-repetition review of your deep-learning concept notes.

    Run with no command to open the review app on the collection around the current folder
    (outside any collection: on the bundled sample, copied to ~/.local/share/studyterm/sample).
    """
    try:
        clock = clock_from(now, environ={})
    except BadTimeError as error:
        raise click.BadParameter(str(error), param_hint="--now") from None
    state = Context(collection_dir, clock)
    ctx.obj = state
    ctx.call_on_close(state.close)
    if ctx.invoked_subcommand is None:
        review.open_app(state)


def main() -> None:
    cli(prog_name="studyterm")


for command in (
    *notes.COMMANDS,
    *authoring.COMMANDS,
    *cards.COMMANDS,
    *review.COMMANDS,
    *labs.COMMANDS,
    *interop.COMMANDS,
):
    cli.add_command(command)

if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
