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
# How many due reviews a day at most (leave it out: no limit). Same-day repeats always come.
# reviews_per_day = 200
# When a study day rolls over (local time): reviews at 01:00 count for the evening before.
day_starts_at = "04:00"

[backups]
# A copy of the database is made in .studyterm/backups/ on the first use of each study day;
# this many are kept (0: no automatic backups). `studyterm restore` lists and restores them.
keep = 7

# A deck's own daily limits, for the deck and its sub-decks (as in Anki's deck options):
# [decks."dlfs2"]
# new_cards_per_day = 5
# reviews_per_day = 100

# Folders under concepts/ written for another flashcard tool, read in place (docs/notes.md):
# [formats]
# "hashcards" = "hashcards"
# "vault" = "obsidian"
"""


class ConfigError(ValueError):
    pass


@dataclass(frozen=True)
class DeckSettings:
    """One deck's own limits from [decks."NAME"] (None: not set)."""

    new_cards_per_day: int | None = None
    reviews_per_day: int | None = None


@dataclass(frozen=True)
class Config:
    new_cards_per_day: int = 20
    reviews_per_day: int | None = None
    """Due reviews a day at most (None: no limit)."""
    decks: tuple[tuple[str, DeckSettings], ...] = ()
    day_starts_at: time = time(4, 0)
    backups_kept: int = 7
    """Automatic daily backups to keep (0: none are made, none deleted)."""
    formats: tuple[tuple[str, str], ...] = ()
    """(folder under concepts/, format): folders read as hashcards decks or an Obsidian vault."""


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
        reviews_per_day=_count(path, review, "review.reviews_per_day", None),
        decks=_decks(path, _table(path, data, "decks")),
        day_starts_at=_time(path, review),
        backups_kept=_count(path, _table(path, data, "backups"), "backups.keep", Config.backups_kept),
        formats=_formats(path, _table(path, data, "formats")),
    )


def _decks(path: Path, table: dict) -> tuple[tuple[str, DeckSettings], ...]:
    found = []
    for deck, limits in table.items():
        if not isinstance(limits, dict):
            raise ConfigError(f'{path}: [decks."{deck}"] must be a table')
        name = "/".join(part for part in deck.replace("\\", "/").split("/") if part)
        found.append((name, DeckSettings(
            new_cards_per_day=_count(path, limits, f'decks."{deck}".new_cards_per_day', None),
            reviews_per_day=_count(path, limits, f'decks."{deck}".reviews_per_day', None),
        )))
    return tuple(found)


def _formats(path: Path, table: dict) -> tuple[tuple[str, str], ...]:
    from studyterm.notes.formats import FORMATS

    found = []
    for folder, fmt in table.items():
        parts = [part for part in folder.replace("\\", "/").split("/") if part]
        if not parts or any(part in (".", "..") for part in parts):
            raise ConfigError(f"{path}: [formats] key {folder!r} must be a folder under concepts/")
        if fmt not in FORMATS:
            raise ConfigError(f"{path}: [formats] {folder!r} must be one of {', '.join(FORMATS)}, not {fmt!r}")
        found.append(("/".join(parts), fmt))
    return tuple(found)


def _table(path: Path, data: dict, name: str) -> dict:
    table = data.get(name, {})
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: [{name}] must be a table")
    return table


def _count(path: Path, table: dict, key: str, default: int | None) -> int | None:
    value = table.get(key.rpartition(".")[2], default)
    if value is None and default is None:
        return None
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
