"""Things the app does outside itself, injected so tests can hand in fakes."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Protocol

from textual.app import App

from studyterm.editor import editor_command


class EditorLauncher(Protocol):
    def __call__(self, app: App, path: Path, line: int) -> str | None:
        """Open `path` at `line`; return an error message, or None when the editor ran."""


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
