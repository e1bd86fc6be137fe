"""The terminal driver, sized by the terminal the app draws on.

Textual draws on stderr but asks the size of stdout, so `studyterm review --json > file`
(stdout a file) drew an 80-column screen inside a wider terminal. This driver asks each of the
process's terminal streams, the one it draws on first.
"""

from __future__ import annotations

import os
import sys
from typing import IO


def terminal_size(streams: list[IO | None]) -> tuple[int, int] | None:
    """(columns, rows) of the first stream that is a terminal, else None."""
    for stream in streams:
        try:
            size = os.get_terminal_size(stream.fileno())
        except (AttributeError, ValueError, OSError):
            continue
        if size.columns and size.lines:
            return size.columns, size.lines
    return None


def driver_class():
    """The platform's Textual driver, measuring the right terminal (POSIX only: Windows's
    driver measures its console already)."""
    if sys.platform == "win32":
        return None
    from textual.drivers.linux_driver import LinuxDriver

    class SizedDriver(LinuxDriver):
        def _get_terminal_size(self) -> tuple[int, int]:
            found = terminal_size([self._file, sys.__stdin__, sys.__stdout__])
            return found or super()._get_terminal_size()

    return SizedDriver
