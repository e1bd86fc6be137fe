"""Collection settings from `<collection>/studyterm.toml` (optional; defaults below)."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import time
from pathlib import Path

CONFIG_FILE = "studyterm.toml"

DEFAULT_CONFIG_TEXT = """\
# studyterm collection settings. Every key is optional; these are the defaults.

[review]
# How many new cards the daily queue introduces.
new_cards_per_day = 20
# When a study day rolls over (local time): reviews at 01:00 count for the evening before.
day_starts_at = "04:00"

[backups]
# A copy of the database is made in .studyterm/backups/ on the first use of each study day;
# this many are kept (0: no automatic backups). `studyterm restore` lists and restores them.
keep = 7
"""


class ConfigError(ValueError):
    pass


@dataclass(frozen=True)
class Config:
    new_cards_per_day: int = 20
    day_starts_at: time = time(4, 0)
    backups_kept: int = 7
    """Automatic daily backups to keep (0: none are made, none deleted)."""


def load_config(path: Path) -> Config:
    if not path.is_file():
        return Config()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise ConfigError(f"{path}: {error}") from None
    review = _table(path, data, "review")
    return Config(
        new_cards_per_day=_count(path, review, "review.new_cards_per_day", Config.new_cards_per_day),
        day_starts_at=_time(path, review),
        backups_kept=_count(path, _table(path, data, "backups"), "backups.keep", Config.backups_kept),
    )


def _table(path: Path, data: dict, name: str) -> dict:
    table = data.get(name, {})
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: [{name}] must be a table")
    return table


def _count(path: Path, table: dict, key: str, default: int) -> int:
    value = table.get(key.rpartition(".")[2], default)
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ConfigError(f"{path}: {key} must be a whole number >= 0")
    return value


def _time(path: Path, review: dict) -> time:
    value = review.get("day_starts_at", "04:00")
    try:
        parsed = time.fromisoformat(value) if isinstance(value, str) else value
    except ValueError:
        parsed = None
    if not isinstance(parsed, time):
        raise ConfigError(f"{path}: review.day_starts_at must be a time like \"04:00\"")
    return parsed
