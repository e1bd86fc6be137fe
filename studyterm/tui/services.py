"""Things the app does outside itself, injected so tests can hand in fakes."""

from __future__ import annotations

import os
import shlex
import subprocess
from pathlib import Path
from typing import Protocol

from textual.app import App


class EditorLauncher(Protocol):
    def __call__(self, app: App, path: Path, line: int) -> str | None:
        """Open `path` at `line`; return an error message, or None when the editor ran."""


_PATH_LINE_EDITORS = {
    "code": ["--wait", "--goto"],
    "codium": ["--wait", "--goto"],
    "subl": ["--wait"],
    "zed": ["--wait"],
}
"""Graphical editors that take `path:line` and must be told to wait until the file is closed."""


def editor_command(path: Path, line: int, environ: dict[str, str] | None = None) -> list[str]:
    """$VISUAL or $EDITOR (default vi), opened at `line`."""
    env = os.environ if environ is None else environ
    command = shlex.split(env.get("VISUAL") or env.get("EDITOR") or "vi")
    flags = _PATH_LINE_EDITORS.get(Path(command[0]).name)
    if flags is not None:
        return [*command, *flags, f"{path}:{line}"]
    return [*command, f"+{line}", str(path)]


def terminal_editor(app: App, path: Path, line: int) -> str | None:
    """Hand the terminal to the user's editor, then take it back."""
    command = editor_command(path, line)
    try:
        with app.suspend():
            completed = subprocess.run(command, check=False)
    except FileNotFoundError:
        return f"editor not found: {command[0]} (set $EDITOR)"
    except Exception as error:  # the headless test driver and some terminals cannot suspend
        return f"could not open the editor: {error}"
    if completed.returncode != 0:
        return f"{command[0]} exited with status {completed.returncode}"
    return None
