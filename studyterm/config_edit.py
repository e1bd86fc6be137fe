"""Writing settings back to `studyterm.toml` (the settings screen) without losing its comments,
order or the keys nobody changed: tomlkit edits the document as written."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

import tomlkit
from tomlkit.exceptions import TOMLKitError

from studyterm.config import DEFAULT_CONFIG_TEXT, Config, ConfigError, load_config

Key = tuple[str, ...]
"""A key path: ("review", "new_cards_per_day") or ("decks", "dlfs2", "reviews_per_day")."""


def save_settings(path: Path, changes: Mapping[Key, object | None]) -> Config:
    """Set each key (None removes it; a table left empty goes too), check the result as the app
    will read it, and replace the file in one step. Returns the settings now in force; a value
    the app would refuse raises ConfigError and leaves the file as it was."""
    text = path.read_text(encoding="utf-8") if path.is_file() else DEFAULT_CONFIG_TEXT
    try:
        document = tomlkit.parse(text)
    except TOMLKitError as error:
        raise ConfigError(f"{path}: {error}") from None
    for key, value in changes.items():
        _apply(document, key, value)
    new_text = tomlkit.dumps(document)
    temporary = path.with_name(path.name + ".tmp")
    try:
        temporary.write_text(new_text, encoding="utf-8")
        try:
            config = load_config(temporary)  # the same checks as on start
        except ConfigError as error:
            raise ConfigError(str(error).replace(str(temporary), str(path))) from None
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)
    return config


def _apply(document: tomlkit.TOMLDocument, key: Key, value: object | None) -> None:
    *tables, name = key
    container = document
    trail = []
    for table in tables:
        if table not in container:
            if value is None:
                return
            container[table] = tomlkit.table(is_super_table=table == "decks")
        trail.append((container, table))
        container = container[table]
    if value is None:
        container.pop(name, None)
        for parent, table in reversed(trail):  # drop tables the removal left empty
            if len(parent[table]) == 0:
                del parent[table]
    else:
        container[name] = value
