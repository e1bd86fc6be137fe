"""The command line: a thin layer over studyterm.collection (the same API the TUI uses)."""

from studyterm.cli.main import cli, main

__all__ = ["cli", "main"]
