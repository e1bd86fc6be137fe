"""The `studyterm lab` group. Its commands (studyterm/cli/lab_commands.py) and the labs package
load only when a lab command runs, so `studyterm due` and `sync` start as fast as before."""

from __future__ import annotations

import click


class LabGroup(click.Group):
    """Loads the lab commands on first use, and turns lab errors (unknown lab, bad parameter,
    broken lab.toml) into one-line messages."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(_commands())

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        return _commands().get(name)

    def invoke(self, ctx: click.Context):
        from studyterm.labs import LabError

        try:
            return super().invoke(ctx)
        except LabError as error:
            raise click.ClickException(str(error)) from None


def _commands() -> dict[str, click.Command]:
    from studyterm.cli.lab_commands import COMMANDS as LAB_COMMANDS

    return LAB_COMMANDS


@click.group(name="lab", cls=LabGroup)
def lab() -> None:
    """Run labs: experiments linked to cards, whose results feed back into the cards' schedule.

    A run that meets all its lab's targets raises the E-Factor of every card linked to the lab;
    a run that misses one lowers it and makes the card due today (docs/labs.md).
    """


COMMANDS = [lab]
