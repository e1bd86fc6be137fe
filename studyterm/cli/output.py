"""Printing: JSON for scripts, short aligned text for people. Every line the CLI prints goes
through `echo` or `emit_json`, the one boundary where text from notes, packages and file names
leaves for a terminal."""

from __future__ import annotations

import json
import re

import click

from studyterm.render.text import plural, visible  # noqa: F401  (plural: the CLI modules import it from here)

_RAW_IN_JSON = re.compile(r"[\x7f-\x9f]")
"""DEL and the C1 controls: json.dumps(ensure_ascii=False) leaves them raw, and a terminal may
read U+009B as CSI. Escaped as \\u009b they parse back to the same text."""


def echo(text: str = "", err: bool = False) -> None:
    """Print a line for people: control characters are shown, never sent (render.text.visible)."""
    click.echo(visible(text), err=err)


def emit_json(data: object) -> None:
    text = json.dumps(data, indent=2, ensure_ascii=False)
    click.echo(_RAW_IN_JSON.sub(lambda match: f"\\u{ord(match.group()):04x}", text))


def one_line(text: str, width: int = 60) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


