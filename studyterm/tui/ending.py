"""How the app ends when told to from outside: SIGTERM, SIGINT (`kill -INT`: the app reads
Ctrl+C as a key), or SIGHUP when its terminal closes.

A Python signal handler runs only when the main thread gets back to Python code, and the
kernel may deliver the signal to any of the app's threads: while the main thread waits for the
editor the app handed the terminal to, or on a write to a terminal that is gone (Textual's
writer thread dies on the first failed write, and the next writes wait on its full queue), the
handler would never run. So the signal's number is also written to a wakeup socket
(signal.set_wakeup_fd), which a thread of ours reads: it asks the app to exit the normal way
(screens unmount, the note editor keeps its draft; answers are already in the database), passes
the signal on to an editor that is open, and starts a watchdog that ends the process after
GRACE_S seconds if the normal way is stuck. A second signal ends it at once. The exit status is
128 + the signal's number, as a shell reports a process the signal killed. While an editor has
the terminal, SIGINT is its Ctrl+C, not the app's: it is left to the editor.
"""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress

from textual.app import App

GRACE_S = 3.0
ENDING_SIGNALS = ("SIGHUP", "SIGTERM", "SIGINT")
RESET_TERMINAL = (
    "\x1b[<u"  # the kitty keyboard protocol off
    "\x1b[?1000l\x1b[?1003l\x1b[?1015l\x1b[?1006l"  # mouse reporting off
    "\x1b[?2004l\x1b[?1004l"  # bracketed paste and focus reporting off
    "\x1b[?1049l\x1b[?25h\x1b[?7h"  # main screen, cursor, line wrap
)
"""What Textual's driver undoes when it stops, for when it cannot."""


class Ending:
    def __init__(self, app: App) -> None:
        self.app = app
        self.signal: int | None = None
        """The signal that ended the app, if one did."""
        self.foreground: subprocess.Popen | None = None
        """A program the app handed the terminal to (the editor)."""
        self._loop: asyncio.AbstractEventLoop | None = None
        self._sockets: tuple[socket.socket, socket.socket] | None = None
        """Kept referenced: the wakeup fd must stay open while the app runs."""

    @property
    def exit_status(self) -> int | None:
        return None if self.signal is None else 128 + self.signal

    def install(self) -> None:
        """Handle SIGHUP, SIGTERM and SIGINT (called from the event loop's thread, the main one)."""
        self._loop = asyncio.get_running_loop()
        numbers = [getattr(signal, name) for name in ENDING_SIGNALS if hasattr(signal, name)]
        receiver, sender = socket.socketpair()
        sender.setblocking(False)
        try:
            for number in numbers:
                signal.signal(number, _noted)
            signal.set_wakeup_fd(sender.fileno(), warn_on_full_buffer=False)
        except ValueError:  # not the main thread: leave the defaults
            receiver.close()
            sender.close()
            return
        self._sockets = (receiver, sender)
        threading.Thread(target=self._listen, args=(receiver, set(numbers)), name="studyterm-signals",
                         daemon=True).start()

    def _listen(self, receiver: socket.socket, numbers: set[int]) -> None:
        while True:
            try:
                data = receiver.recv(64)
            except OSError:
                return
            if not data:
                return
            for number in data:
                if number in numbers:
                    self._received(number)

    @contextmanager
    def handing_over(self, process: subprocess.Popen) -> Iterator[None]:
        """While `process` has the terminal, a signal that ends the app ends it too."""
        self.foreground = process
        try:
            yield
        finally:
            self.foreground = None

    def _received(self, number: int) -> None:
        """In the listening thread: end the app, for sure."""
        if number == signal.SIGINT and self.foreground is not None:
            return  # Ctrl+C typed in the editor: the terminal's, sent to the editor and to us
        if self.signal is not None:
            _restore_terminal_and_exit(self.app, 128 + self.signal)
        self.signal = number
        if self.foreground is not None:
            with suppress(OSError):
                self.foreground.send_signal(number)
        threading.Thread(target=self._watchdog, name="studyterm-ending", daemon=True).start()
        if self._loop is not None:
            with suppress(RuntimeError):  # the loop is already closed: the app is ending anyway
                keep = getattr(self.app, "keep_unsaved_work", None)
                if keep is not None:  # first, in case the normal way out gets stuck
                    self._loop.call_soon_threadsafe(keep)
                self._loop.call_soon_threadsafe(self.app.exit, None, 128 + number)

    def _watchdog(self) -> None:
        threading.Event().wait(GRACE_S)
        _restore_terminal_and_exit(self.app, 128 + (self.signal or 0))


def _noted(_number: int, _frame: object) -> None:
    """The Python-level handler: nothing to do, the listening thread acts on the signal (a
    handler must be installed for its number to reach the wakeup socket)."""


def _restore_terminal_and_exit(app: App, status: int) -> None:
    """Give the terminal back as the app found it (if it is still there), then end the process
    without waiting for anything: the normal way out is stuck. What was answered is already in
    the database: every answer is its own committed transaction."""
    restorer = threading.Thread(target=_restore_terminal, args=(app,), daemon=True)
    restorer.start()
    restorer.join(0.5)  # a write to a terminal nobody reads could block for ever
    os._exit(status)


def _restore_terminal(app: App) -> None:
    driver = getattr(app, "_driver", None)
    attributes = getattr(driver, "attrs_before", None)  # the Linux driver's saved tty modes
    with suppress(Exception):  # best effort: the terminal may be gone
        if attributes is not None:
            import termios

            termios.tcsetattr(sys.__stdin__.fileno(), termios.TCSANOW, attributes)
        os.write(sys.__stderr__.fileno(), RESET_TERMINAL.encode())
