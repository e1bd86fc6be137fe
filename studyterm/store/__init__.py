"""SQLite storage: the only package that speaks SQL."""

from studyterm.store.records import (
    CardContent,
    CardRecord,
    NoteFile,
    ReviewEntry,
    SyncChanges,
)
from studyterm.store.store import (
    AmbiguousCardError,
    CardNotFoundError,
    Store,
    StoreError,
)

__all__ = [
    "AmbiguousCardError",
    "CardContent",
    "CardNotFoundError",
    "CardRecord",
    "NoteFile",
    "ReviewEntry",
    "Store",
    "StoreError",
    "SyncChanges",
]
