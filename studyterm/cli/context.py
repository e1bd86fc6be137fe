"""What every command gets: the global options, and the collection opened on first use."""

from __future__ import annotations

import click

from studyterm.clock import Clock
from studyterm.collection import Collection
from studyterm.layout import Layout, resolve_collection


class Context:
    def __init__(self, collection_dir: str | None, clock: Clock) -> None:
        self.collection_dir = collection_dir
        self.clock = clock
        self._collection: Collection | None = None

    @property
    def layout(self) -> Layout:
        return resolve_collection(self.collection_dir, environ={})

    @property
    def collection(self) -> Collection:
        if self._collection is None:
            self._collection = Collection.open(self.layout, self.clock)
        return self._collection

    def close(self) -> None:
        if self._collection is not None:
            self._collection.close()
            self._collection = None


pass_context = click.make_pass_decorator(Context)

json_option = click.option("--json", "as_json", is_flag=True, help="Print JSON (see docs/cli.md).")
