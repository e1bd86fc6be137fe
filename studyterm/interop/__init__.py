"""Exporting and importing decks: Anki packages, Anki's CSV/TSV text format, Markdown, JSON.

The two entry points are `export_deck` and `import_file`; the CLI (studyterm.cli.interop) and
the TUI call them. docs/export.md describes the formats. Names are loaded on first use, so
`import studyterm.cli` does not pay for zip, CSV and SQLite code it may not need.
"""

from importlib import import_module

_HOMES = {
    "EXPORT_FORMATS": "model",
    "MAX_PACKAGE_BYTES": "model",
    "ExportResult": "model",
    "ImportResult": "model",
    "InteropError": "model",
    "Progress": "model",
    "Skip": "model",
    "default_export_path": "export",
    "export_deck": "export",
    "import_file": "importer",
}

__all__ = sorted(_HOMES)


def __getattr__(name: str):
    if name in _HOMES:
        return getattr(import_module(f"studyterm.interop.{_HOMES[name]}"), name)
    raise AttributeError(f"module 'studyterm.interop' has no attribute {name!r}")
