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
"""


class ConfigError(ValueError):
    pass


@dataclass(frozen=True)
class Config:
    new_cards_per_day: int = 20
    day_starts_at: time = time(4, 0)


def load_config(path: Path) -> Config:
    if not path.is_file():
        return Config()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise ConfigError(f"{path}: {error}") from None
    review = data.get("review", {})
    if not isinstance(review, dict):
        raise ConfigError(f"{path}: [review] must be a table")
    new_per_day = review.get("new_cards_per_day", Config.new_cards_per_day)
    if isinstance(new_per_day, bool) or not isinstance(new_per_day, int) or new_per_day < 0:
        raise ConfigError(f"{path}: review.new_cards_per_day must be a whole number >= 0")
    return Config(new_cards_per_day=new_per_day, day_starts_at=_time(path, review))


def _time(path: Path, review: dict) -> time:
    value = review.get("day_starts_at", "04:00")
    try:
        parsed = time.fromisoformat(value) if isinstance(value, str) else value
    except ValueError:
        parsed = None
    if not isinstance(parsed, time):
        raise ConfigError(f"{path}: review.day_starts_at must be a time like \"04:00\"")
    return parsed
