"""Printing: JSON for scripts, short aligned text for people."""

from __future__ import annotations

import json
import re

import click

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def emit_json(data: object) -> None:
    click.echo(json.dumps(data, indent=2, ensure_ascii=False))


def one_line(text: str, width: int = 60) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


def plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def printable(text: str) -> str:
    """`text` without control characters (an escape sequence in a lab's message or a note
    would otherwise drive the terminal); newlines and tabs stay."""
    return _CONTROL.sub("", text)
