"""Checking note files without touching the store: for `studyterm check` and pre-commit hooks.

Works on any path, inside a collection or not. Inside one, only files that sync reads are notes
(under concepts/, no part of the path starting with '.' or '_'), and `lab:` links are checked
against the collection's labs/.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from studyterm.authoring.preview import lab_ids, lab_problems
from studyterm.config import CONFIG_FILE, ConfigError, load_config
from studyterm.layout import CONCEPTS, LABS, find_collection
from studyterm.notes.files import NoteFound, NoteReadError, read_note_file, walk_notes
from studyterm.notes.formats import format_of, parse_bytes
from studyterm.notes.model import Problem, Severity


@dataclass
class CheckReport:
    checked: list[str] = field(default_factory=list)
    problems: list[tuple[str, Problem]] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    """(path, why) for files given that are not notes (templates, files outside concepts/)."""

    @property
    def errors(self) -> int:
        return sum(1 for _, p in self.problems if p.severity is Severity.ERROR)

    @property
    def warnings(self) -> int:
        return len(self.problems) - self.errors


def note_files(folder: Path) -> list[Path]:
    """Every note under `folder` that sync would read (studyterm.notes.files.walk_notes)."""
    return [Path(item.path) for item in walk_notes(folder) if isinstance(item, NoteFound)]


def check_paths(paths: Iterable[Path], display: Callable[[Path], str] = str) -> CheckReport:
    """Parse every note in `paths` (files or folders) and collect its problems."""
    report = CheckReport()
    labs_by_root: dict[Path, frozenset[str]] = {}
    seen: set[Path] = set()
    for given in paths:
        files: list[Path] = [given]
        if given.is_dir():
            files = []
            for item in walk_notes(given):
                if isinstance(item, NoteFound):
                    files.append(Path(item.path))
                else:
                    report.problems.append((display(Path(item.path)), Problem(1, item.reason)))
        for file in files:
            resolved = file.resolve()
            if resolved in seen:
                continue
            seen.add(resolved)
            root = find_collection(resolved.parent)
            why = _not_a_note(resolved, root)
            if why:
                report.skipped.append((display(file), why))
                continue
            labs, fmt = None, None
            if root is not None:
                labs = labs_by_root.setdefault(root, lab_ids(root / LABS))
                fmt = format_of(resolved.relative_to(root).as_posix(), _formats(root))
            shown = display(file)
            report.checked.append(shown)
            report.problems += [(shown, problem) for problem in check_file(file, labs, fmt)]
    return report


def _formats(root: Path) -> dict[str, str]:
    """The collection's `[formats]` (a broken studyterm.toml is reported by every other command)."""
    try:
        return dict(load_config(root / CONFIG_FILE).formats)
    except ConfigError:
        return {}


def check_file(path: Path, labs: frozenset[str] | None = None, fmt: str | None = None) -> list[Problem]:
    """`fmt`: the note's folder is read as another format (studyterm.notes.formats)."""
    try:
        data = read_note_file(path)
    except NoteReadError as error:
        return [Problem(1, str(error))]
    parsed = parse_bytes(data, fmt, path.name)
    problems = list(parsed.problems)
    if labs is not None and parsed.readable and fmt is None:
        problems += lab_problems(parsed, labs, data.decode("utf-8-sig"))
        problems.sort(key=lambda problem: problem.line)
    return problems


def _not_a_note(path: Path, root: Path | None) -> str | None:
    if root is None:
        return "a template or hidden file, not a note" if path.name.startswith((".", "_")) else None
    try:
        parts = path.relative_to(root / CONCEPTS).parts
    except ValueError:
        return f"not under {CONCEPTS}/, so not a note"
    if any(part.startswith((".", "_")) for part in parts):
        return "a template or hidden file, not a note"
    if not path.name.endswith(".md"):
        return "not a .md file, so not a note"
    return None
