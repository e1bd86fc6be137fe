"""The `studyterm` command group, its global options and its error handling."""

from __future__ import annotations

import os
import sys
from importlib import import_module

import click

from studyterm import __version__
from studyterm.cli.context import Context
from studyterm.clock import BadTimeError, clock_from
from studyterm.collection import CardStateError
from studyterm.config import ConfigError
from studyterm.layout import CollectionNotFoundError
from studyterm.render.text import visible
from studyterm.schedule.sm2 import InvalidGradeError
from studyterm.scheduling import FsrsParametersError
from studyterm.store import StoreError

USER_ERRORS = (
    BadTimeError,
    CardStateError,
    CollectionNotFoundError,
    ConfigError,
    InvalidGradeError,
    StoreError,
    FileExistsError,
    FsrsParametersError,
)
DEBUG_ENV = "STUDYTERM_DEBUG"
BROKEN_PIPE_EXIT = 141
"""128 + SIGPIPE: what a shell reports for a tool whose reader closed the pipe."""


COMMAND_MODULES = {
    "studyterm.cli.notes": ("init", "sync"),
    "studyterm.cli.authoring": ("new", "check"),
    "studyterm.cli.cards": (
        "due", "answer", "card", "undo", "suspend", "unsuspend", "bury", "unbury", "flag", "unflag",
    ),
    "studyterm.cli.review": ("review", "log"),
    "studyterm.cli.labs": ("lab",),
    "studyterm.cli.interop": ("export", "import"),
    "studyterm.cli.backup": ("backup", "restore"),
    "studyterm.cli.progress": ("progress", "stats"),
    "studyterm.cli.fsrs": ("fsrs",),
}
"""Where each command lives. A command's module is imported only when it runs (or when help
lists every command), so `studyterm sync` does not pay for the export, lab or editor code."""


class StudytermGroup(click.Group):
    """Loads commands on first use, and turns every error into a one-line message and exit
    status 1: studyterm's own errors as they are, a file system error naming its file, and any
    other exception (a bug) with its type and a pointer to --debug, which shows the traceback."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(name for names in COMMAND_MODULES.values() for name in names)

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        return super().parse_args(ctx, global_options_first(args))

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        for module_name, names in COMMAND_MODULES.items():
            if name in names:
                commands = import_module(module_name).COMMANDS
                return next(command for command in commands if command.name == name)
        return None

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except click.ClickException as error:
            error.message = visible(error.message)
            raise
        except (click.exceptions.Exit, click.Abort):
            raise
        except BrokenPipeError:
            # The reader went away (`studyterm log | head`): stop quietly, as shell tools do.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            raise click.exceptions.Exit(BROKEN_PIPE_EXIT) from None
        except USER_ERRORS as error:
            raise click.ClickException(visible(str(error))) from None
        except Exception as error:
            if _debugging(ctx):
                raise
            raise click.ClickException(visible(unexpected_message(error))) from error


GLOBAL_OPTIONS = ("--collection", "--now")
GLOBAL_FLAGS = ("--debug",)


def global_options_first(args: list[str]) -> list[str]:
    """`args` with the global options moved to the front, so that `studyterm sync --collection
    DIR` means what `studyterm --collection DIR sync` does. Nothing after `--` moves; an option
    with no value after it is a usage error (moved, it would take the command as its value)."""
    hoisted: list[str] = []
    rest: list[str] = []
    index = 0
    while index < len(args):
        arg = args[index]
        if arg == "--":
            rest += args[index:]
            break
        if arg in GLOBAL_FLAGS or ("=" in arg and arg.partition("=")[0] in GLOBAL_OPTIONS):
            hoisted.append(arg)
        elif arg in GLOBAL_OPTIONS:
            if index + 1 == len(args):
                raise click.BadOptionUsage(arg, f"Option '{arg}' requires an argument.")
            hoisted += args[index : index + 2]
            index += 1
        else:
            rest.append(arg)
        index += 1
    return hoisted + rest


def unexpected_message(error: Exception) -> str:
    """One line for an error no command expected: what failed, and where to look next."""
    if isinstance(error, OSError):
        where = f": {error.filename}" if error.filename else ""
        return f"{error.strerror or error}{where}"
    if isinstance(error, MemoryError):
        return "out of memory"
    detail = str(error).splitlines()[0] if str(error) else ""
    return (
        f"unexpected error ({type(error).__name__}{': ' + detail if detail else ''}); "
        f"run again with --debug (or {DEBUG_ENV}=1) to see the traceback, and please report it"
    )


def _debugging(ctx: click.Context) -> bool:
    return bool(ctx.params.get("debug")) or os.environ.get(DEBUG_ENV, "") not in ("", "0")


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
@click.option(
    "--debug",
    is_flag=True,
    help=f"Show the full traceback of an unexpected error (for bug reports). Env: {DEBUG_ENV}=1.",
)
@click.version_option(__version__, prog_name="studyterm")
@click.pass_context
def cli(ctx: click.Context, collection_dir: str | None, now: str | None, debug: bool) -> None:
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
        from studyterm.cli.review import open_app

        open_app(state)


def main() -> None:
    cli(prog_name="studyterm")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
