"""No garbage-collector passes while a sync or an export builds and writes its rows.

A sync of 100,000 cards allocates about a million objects that stay alive until it ends; each
full collection triggered on the way rescans all of them (0.6 s of such a sync went to that).
Reference counting frees what sync drops (parsing leaves no cycles behind), and anything
cyclic is collected once the pause ends.

The pause is counted, so overlapping pauses (a sync in the app's worker thread and one in the
main thread) restore the collector once, to the state it had before the first.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_depth = 0
_resume = False


@contextmanager
def paused_gc() -> Iterator[None]:
    global _depth, _resume
    with _lock:
        if _depth == 0:
            _resume = gc.isenabled()
            gc.disable()
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0 and _resume:
                gc.enable()

