"""Writing notes: templates, safe saves, drafts, the live card preview, checks and the watcher.

This is the only part of studyterm that writes into concepts/. Every write is atomic (a temporary
file renamed over the note), never replaces a file that changed since it was read unless asked
to, and never creates a note over an existing one. Nothing here imports Textual: the TUI and the
CLI both call it.
"""

from studyterm.authoring.files import (
    NoteChangedError,
    NoteError,
    OpenNote,
    atomic_write,
    create_exclusive,
    slugify,
)

__all__ = [
    "NoteChangedError",
    "NoteError",
    "OpenNote",
    "atomic_write",
    "create_exclusive",
    "slugify",
]
