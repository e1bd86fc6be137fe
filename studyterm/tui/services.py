"""Things the app does outside itself, injected so tests can hand in fakes."""

from __future__ import annotations

import signal
import subprocess
from pathlib import Path
from typing import Protocol

from textual.app import App, SuspendNotSupported

from studyterm.editor import editor_command


class EditorLauncher(Protocol):
    def __call__(self, app: App, path: Path, line: int) -> str | None:
        """Open `path` at `line`; return an error message, or None when the editor ran."""


def terminal_editor(app: App, path: Path, line: int) -> str | None:
    """Hand the terminal to the user's editor, then take it back."""
    command = editor_command(path, line)
    try:
        with app.suspend():
            # Every error is caught inside the block: app.suspend() gives the terminal back only
            # when its block ends normally (an exception left the app blank and deaf to keys).
            return _run_editor(app, command)
    except SuspendNotSupported as error:  # the headless test driver, Textual Web
        return f"could not open the editor: {error}"


def _run_editor(app: App, command: list[str]) -> str | None:
    try:
        process = subprocess.Popen(command)
    except FileNotFoundError:
        return f"editor not found: {command[0]} (set $EDITOR)"
    except OSError as error:
        return f"could not start the editor {command[0]}: {error.strerror or error}"
    ending = getattr(app, "ending", None)
    if ending is None:
        returncode = process.wait()
    else:
        with ending.handing_over(process):  # SIGTERM or SIGHUP end the editor too
            returncode = process.wait()
    if returncode < 0:
        return f"{command[0]} was ended by {_signal_name(-returncode)}"
    if returncode != 0:
        return f"{command[0]} exited with status {returncode}"
    return None


def _signal_name(number: int) -> str:
    try:
        return signal.Signals(number).name
    except ValueError:
        return f"signal {number}"


class ViewerLauncher(Protocol):
    def __call__(self, path: Path) -> str | None:
        """Open `path` in the system's picture viewer; return an error message, or None."""


def system_viewer(path: Path) -> str | None:
    """The desktop's viewer (`open` on macOS, `xdg-open` elsewhere), started on its own: the
    terminal stays with the app."""
    import shutil
    import sys

    opener = "open" if sys.platform == "darwin" else "xdg-open"
    if shutil.which(opener) is None:
        return f"no picture viewer here ({opener} not found); the file is {path}"
    try:
        subprocess.Popen([opener, str(path)], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                         stderr=subprocess.DEVNULL, start_new_session=True)
    except OSError as error:
        return f"could not start {opener}: {error.strerror or error}"
    return None
