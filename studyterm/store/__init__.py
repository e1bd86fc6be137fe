"""SQLite storage: the only package that speaks SQL."""

from studyterm.store.errors import AmbiguousCardError, CardNotFoundError, StoreError
from studyterm.store.records import (
    CardContent,
    CardRecord,
    NoteFile,
    ReviewEntry,
    SyncChanges,
)
from studyterm.store.store import Store

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
