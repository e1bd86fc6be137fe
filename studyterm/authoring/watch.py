"""Watching concepts/ for changes made by any program (vim, VS Code, git pull) with watchfiles.

A burst of changes (an editor's write-rename dance, a checkout touching fifty notes) comes out
as one batch once the folder has been quiet for a moment.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

from studyterm.layout import Layout

DEBOUNCE_MS = 400
"""At most this long to gather a burst; a lone save comes out after STEP_MS of quiet."""
STEP_MS = 50


def watch_notes(layout: Layout, stop: threading.Event, debounce_ms: int = DEBOUNCE_MS) -> Iterator[set[str]]:
    """Yield the collection-relative paths that changed under concepts/, batch by batch, until
    `stop` is set. Hidden and `_` names (temporary files, templates) are left out."""
    from watchfiles import watch

    concepts = layout.concepts.resolve()
    root = layout.root.resolve()

    def interesting(_change: object, path: str) -> bool:
        return _is_note_change(Path(path), concepts)

    for changes in watch(
        concepts,
        watch_filter=interesting,
        debounce=debounce_ms,
        step=STEP_MS,
        stop_event=stop,
        raise_interrupt=False,
    ):
        yield {_relative(Path(path), root) for _change, path in changes}


def _is_note_change(path: Path, concepts: Path) -> bool:
    """Anything but hidden, `_` and backup names: a moved or deleted folder of notes reports only
    the folder, and a needless sync costs one directory walk."""
    try:
        parts = path.relative_to(concepts).parts
    except ValueError:
        return False
    if not parts or any(part.startswith((".", "_")) for part in parts):
        return False
    return not parts[-1].endswith("~")


def _relative(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()
