"""The app's own settings (the theme), kept per user, not per collection."""

from __future__ import annotations

import json
import os
from pathlib import Path


def default_path(environ: dict[str, str] | None = None) -> Path:
    env = os.environ if environ is None else environ
    config_home = Path(env.get("XDG_CONFIG_HOME") or Path.home() / ".config")
    return config_home / "studyterm" / "app.json"


def load(path: Path | None) -> dict:
    if path is None or not path.is_file():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}  # a broken settings file must never stop the app
    return data if isinstance(data, dict) else {}


def save(path: Path | None, settings: dict) -> None:
    if path is None:
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(".tmp")
        temporary.write_text(json.dumps(settings, indent=2), encoding="utf-8")
        os.replace(temporary, path)
    except OSError:
        pass  # not being able to remember a theme is no reason to fail
