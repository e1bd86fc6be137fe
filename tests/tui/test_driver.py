"""The app measures the terminal it draws on, not stdout (`review --json > file`)."""

from __future__ import annotations

import fcntl
import os
import struct
import termios

from studyterm.tui.driver import driver_class, terminal_size


def test_the_size_comes_from_the_first_stream_that_is_a_terminal(tmp_path):
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 132, 0, 0))
    try:
        with open(tmp_path / "out.json", "w") as redirected, os.fdopen(slave, "w", closefd=False) as tty:
            assert terminal_size([redirected, None, tty]) == (132, 40)
            assert terminal_size([redirected]) is None
    finally:
        os.close(master)
        os.close(slave)


def test_the_app_uses_the_sized_driver(app_factory):
    app = app_factory()
    assert app.driver_class.__name__ == "SizedDriver" and driver_class().__name__ == "SizedDriver"
