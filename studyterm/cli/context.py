"""What every command gets: the global options, and the collection opened on first use."""

from __future__ import annotations

import math

import click

from studyterm.cli.output import echo
from studyterm.clock import Clock
from studyterm.collection import Collection
from studyterm.layout import Layout, resolve_collection
from studyterm.store import StoreError


class Context:
    def __init__(self, collection_dir: str | None, clock: Clock) -> None:
        self.collection_dir = collection_dir
        self.clock = clock
        self._collection: Collection | None = None
        self.auto_backup = None
        """The study day's backup, when opening the collection just made it."""

    @property
    def layout(self) -> Layout:
        return resolve_collection(self.collection_dir, environ={})

    @property
    def collection(self) -> Collection:
        """The collection, opened on first use; the study day's first use backs it up."""
        if self._collection is None:
            self._collection = Collection.open(self.layout, self.clock)
            try:
                self.auto_backup = self._collection.backup_if_due()
            except StoreError as error:
                echo(f"warning: no backup today: {error}", err=True)
        return self._collection

    def close(self) -> None:
        if self._collection is not None:
            self._collection.close()
            self._collection = None


pass_context = click.make_pass_decorator(Context)

json_option = click.option("--json", "as_json", is_flag=True, help="Print JSON (see docs/cli.md).")


class Seconds(click.FloatRange):
    """A number of seconds: finite (`nan` and `inf` pass a plain FloatRange) and at most `max`."""

    name = "seconds"

    def convert(self, value, param, ctx):
        seconds = super().convert(value, param, ctx)
        if not math.isfinite(seconds):
            self.fail(f"{value!r} is not a number of seconds", param, ctx)
        return seconds
