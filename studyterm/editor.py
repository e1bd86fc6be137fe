"""The user's own editor ($VISUAL / $EDITOR) as a command line: shared by the CLI and the TUI,
so it lives outside both (the CLI must not import Textual)."""

from __future__ import annotations

import os
import shlex
from pathlib import Path

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
