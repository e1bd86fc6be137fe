"""The store's errors: each is said to the user in one line."""

from __future__ import annotations


class StoreError(RuntimeError):
    """A database problem reported to the user in one line."""


class CardNotFoundError(StoreError):
    pass


class AmbiguousCardError(StoreError):
    pass
