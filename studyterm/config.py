"""Collection settings from `<collection>/studyterm.toml` (optional; defaults below)."""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass
from datetime import time
from pathlib import Path

CONFIG_FILE = "studyterm.toml"
SCHEDULERS = ("sm2", "fsrs")
RETENTION_RANGE = (0.7, 0.97)
"""Anki's own bounds for desired retention: below 0.7 most of what is learnt is forgotten
between reviews, above 0.97 the workload grows steeply for little gain."""

DEFAULT_CONFIG_TEXT = """\
# studyterm collection settings. Every key is optional; these are the defaults.

[review]
# How many new cards the daily queue introduces.
new_cards_per_day = 20
# How many due reviews a day at most (leave it out: no limit). Same-day repeats always come.
# reviews_per_day = 200
# When a study day rolls over (local time): reviews at 01:00 count for the evening before.
day_starts_at = "04:00"
# Which scheduler sets due dates: "sm2" (SuperMemo's SM-2) or "fsrs" (docs/scheduling.md).
# Switching either way keeps all history: FSRS replays the review log, SM-2 kept its own state.
scheduler = "sm2"
# Under FSRS: the chance of recall a card is scheduled for (0.70 to 0.97).
desired_retention = 0.9

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
    scheduler: str = "sm2"
    """"sm2" or "fsrs": which scheduler sets due dates."""
    desired_retention: float = 0.9


def load_config(path: Path) -> Config:
    if not path.is_file():
        return Config()
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise ConfigError(f"{path}: {error}") from None
    return _parse(path, text)


def _parse(path: Path, text: str) -> Config:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: {error}") from None
    review = _table(path, data, "review")
    return Config(
        new_cards_per_day=_count(path, review, "review.new_cards_per_day", Config.new_cards_per_day),
        reviews_per_day=_count(path, review, "review.reviews_per_day", None),
        decks=_decks(path, _table(path, data, "decks")),
        day_starts_at=_time(path, review),
        backups_kept=_count(path, _table(path, data, "backups"), "backups.keep", Config.backups_kept),
        formats=_formats(path, _table(path, data, "formats")),
        scheduler=_scheduler(path, review),
        desired_retention=_retention(path, review),
    )


def _scheduler(path: Path, review: dict) -> str:
    value = review.get("scheduler", Config.scheduler)
    if value not in SCHEDULERS:
        raise ConfigError(f"{path}: review.scheduler must be \"sm2\" or \"fsrs\", not {value!r}")
    return value


def _retention(path: Path, review: dict) -> float:
    value = review.get("desired_retention", Config.desired_retention)
    low, high = RETENTION_RANGE
    if isinstance(value, bool) or not isinstance(value, int | float) or not low <= value <= high:
        raise ConfigError(f"{path}: review.desired_retention must be a number from {low} to {high}")
    return float(value)


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


def set_review_option(path: Path, key: str, value: str) -> Config:
    """Set `key = value` (`value` already TOML, e.g. '"fsrs"' or '0.85') under [review] in the
    settings file, keeping every other line and comment; refuses (ConfigError, file untouched)
    if the result would not load. Returns the new settings."""
    text = path.read_text(encoding="utf-8") if path.is_file() else ""
    updated = _with_review_option(text, key, value)
    config = _parse(path, updated)
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_text(updated, encoding="utf-8")
    os.replace(temporary, path)
    return config


def _with_review_option(text: str, key: str, value: str) -> str:
    lines = text.splitlines(keepends=True)
    table = None
    header = re.compile(r"^\s*\[\s*([^\]]+?)\s*\]")
    setting = re.compile(rf"^\s*{re.escape(key)}\s*=")
    review_end = None
    for index, line in enumerate(lines):
        found = header.match(line)
        if found:
            if table == "review":
                review_end = index
            table = found.group(1)
            continue
        if table == "review" and setting.match(line):
            lines[index] = f"{key} = {value}\n"
            return "".join(lines)
    if table == "review":
        review_end = len(lines)
    if review_end is None:
        prefix = "" if not text or text.endswith("\n") else "\n"
        return f"{text}{prefix}\n[review]\n{key} = {value}\n"
    while review_end > 0 and not lines[review_end - 1].strip():
        review_end -= 1
    if review_end and not lines[review_end - 1].endswith("\n"):
        lines[review_end - 1] += "\n"
    lines.insert(review_end, f"{key} = {value}\n")
    return "".join(lines)
