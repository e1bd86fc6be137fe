"""studyterm as a user runs it: a real process in a pseudo-terminal, keys in, screen text out.

For what the headless test driver cannot show: signals, a terminal that is closed, the terminal
handed to an editor, the process's exit status and what it prints on leaving.
"""

from __future__ import annotations

import fcntl
import os
import re
import select
import signal
import struct
import subprocess
import sys
import termios
import threading
import time
from pathlib import Path

RUN_STUDYTERM = "from studyterm.cli.main import main; sys.argv[0] = 'studyterm'; main()"
_CONTROLLING_TTY = (
    "import fcntl, sys, termios; fcntl.ioctl(0, termios.TIOCSCTTY, 0); sys.argv = sys.argv[1:]; "
)
"""Make the pseudo-terminal the controlling terminal, as a terminal window does, so that closing
it sends SIGHUP; then run the program."""
_ESCAPES = re.compile(r"\x1b(\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|[PX^_][^\x1b]*\x1b\\|.)")


class Terminal:
    def __init__(self, args: list[str], *, env: dict[str, str] | None = None,
                 program: str = RUN_STUDYTERM, size: tuple[int, int] = (100, 30)) -> None:
        master, slave = os.openpty()
        columns, rows = size
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
        environment = {**os.environ, "TERM": "xterm-256color", **(env or {})}
        environment.pop("TEXTUAL", None)
        self.process = subprocess.Popen(
            [sys.executable, "-c", _CONTROLLING_TTY + program, "studyterm", *args],
            stdin=slave, stdout=slave, stderr=slave, env=environment, start_new_session=True,
        )
        os.close(slave)
        self.master: int | None = master
        self._output = bytearray()
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        # Never blocked in read(): a read in progress would keep the terminal open after
        # hang_up() closed it.
        while not self._stop.is_set():
            ready, _, _ = select.select([self.master], [], [], 0.05)
            if not ready:
                continue
            try:
                data = os.read(self.master, 65536)
            except OSError:  # the process is gone and the terminal with it
                return
            if not data:
                return
            with self._lock:
                self._output += data

    @property
    def text(self) -> str:
        """Everything written so far, without escape sequences."""
        with self._lock:
            raw = self._output.decode("utf-8", "replace")
        return _ESCAPES.sub("", raw)

    def wait_for(self, text: str, within_s: float = 30.0) -> bool:
        end = time.monotonic() + within_s
        while time.monotonic() < end:
            if text in self.text:
                return True
            if self.process.poll() is not None:
                time.sleep(0.2)  # let the reader catch up with the last output
                return text in self.text
            time.sleep(0.05)
        return False

    def press(self, *keys: str) -> None:
        for key in keys:
            os.write(self.master, key.encode())
            time.sleep(0.15)

    def hang_up(self) -> None:
        """Close the terminal window: the kernel sends SIGHUP to the app."""
        self._stop.set()
        self._reader.join()
        os.close(self.master)
        self.master = None

    def exit_status(self, within_s: float = 15.0) -> int | None:
        """The exit status (128 + N when signal N killed it, as a shell shows it), or None when
        it is still running after `within_s`."""
        try:
            code = self.process.wait(within_s)
        except subprocess.TimeoutExpired:
            return None
        return 128 - code if code < 0 else code

    def close(self) -> None:
        """End the process group whatever state it is in (a test that failed left it hung)."""
        if self.process.poll() is None:
            try:
                os.killpg(self.process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self.process.wait()
        self._stop.set()
        self._reader.join()
        if self.master is not None:
            os.close(self.master)
            self.master = None


def error_log(root: Path) -> Path:
    return root / ".studyterm" / "errors.log"
