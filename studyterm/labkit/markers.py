"""Hole markers in a lab's code, and the exercise derived from the reference by emptying them.

A hole is the code between `# >>> hole NAME` and `# <<< hole NAME` (plain comments, same
indentation, each on its own line). The lab folder holds the reference solution; the exercise
replaces each hole's body by a TODO and `raise NotImplementedError("hole NAME")`, keeping the
markers so the hole can be found again in the learner's copy. Standard library only: the lab
process (the bootstrap) and studyterm itself both read markers.
"""

from __future__ import annotations

import hashlib
import re
import textwrap
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

HOLE_NAME = re.compile(r"[a-z][a-z0-9_]*")
_OPEN = re.compile(r"(?P<indent>[ \t]*)# >>> hole (?P<name>\S+?)(?:\s*:\s*(?P<statement>.*?))?\s*")
_CLOSE = re.compile(r"(?P<indent>[ \t]*)# <<< hole (?P<name>\S+)\s*")
_LOOKS_LIKE = re.compile(r"#\s*(>>>|<<<)\s*hole\b")
NOT_IMPLEMENTED = 'raise NotImplementedError("hole {name}")'
CHECKS_FILE = "checks.py"
SKIPPED_PARTS = ("__pycache__",)


@dataclass(frozen=True)
class Hole:
    name: str
    file: str
    """The file's path inside the lab folder (posix)."""
    start: int
    """1-based line of the opening marker."""
    end: int
    """1-based line of the closing marker."""
    indent: str
    statement: str
    body: str
    """The lines between the markers, as written (the reference solution in a lab folder)."""

    @property
    def where(self) -> str:
        return f"{self.file}:{self.start}"

    @property
    def code_line(self) -> int:
        """The first line inside the hole (where an editor should put the cursor)."""
        return self.start + 1


@dataclass(frozen=True)
class MarkerProblem:
    file: str
    line: int
    message: str

    def format(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


def scan_text(text: str, file: str) -> tuple[list[Hole], list[MarkerProblem]]:
    """The holes of one file, and every malformed, unclosed or nested marker in it."""
    holes: list[Hole] = []
    problems: list[MarkerProblem] = []
    lines = text.splitlines()
    current: tuple[str, int, str, str] | None = None  # name, line, indent, statement
    body: list[str] = []
    for number, line in enumerate(lines, start=1):
        opening, closing = _OPEN.fullmatch(line), _CLOSE.fullmatch(line)
        if opening is None and closing is None:
            if _LOOKS_LIKE.search(line):
                problems.append(MarkerProblem(
                    file, number, "a hole marker must be `# >>> hole NAME` or `# <<< hole NAME` "
                    "alone on its line"))
            if current is not None:
                body.append(line)
            continue
        match = opening or closing
        name = match["name"]
        if not HOLE_NAME.fullmatch(name):
            problems.append(MarkerProblem(
                file, number, f"hole name {name!r} must be lowercase letters, digits and _ "
                "(starting with a letter)"))
            continue
        if opening is not None:
            if current is not None:
                problems.append(MarkerProblem(
                    file, number, f"hole {name} opens inside hole {current[0]} (line {current[1]}); "
                    "holes never nest"))
                continue
            current, body = (name, number, match["indent"], match["statement"] or ""), []
            continue
        if current is None or current[0] != name:
            inside = f" (hole {current[0]} is open since line {current[1]})" if current else ""
            problems.append(MarkerProblem(file, number, f"`# <<< hole {name}` closes no open hole{inside}"))
            continue
        if match["indent"] != current[2]:
            problems.append(MarkerProblem(
                file, number, f"hole {name} closes with another indentation than it opened "
                f"(line {current[1]})"))
        holes.append(Hole(name, file, current[1], number, current[2], current[3],
                          "\n".join(body) + ("\n" if body else "")))
        current = None
    if current is not None:
        problems.append(MarkerProblem(file, current[1], f"hole {current[0]} is never closed "
                                      f"(`# <<< hole {current[0]}`)"))
    return holes, problems


def code_files(folder: Path) -> Iterator[Path]:
    """The Python files of a lab (or a learner's copy) that may hold holes: every .py file but
    checks.py, hidden files and caches, in a stable order."""
    for path in sorted(folder.rglob("*.py")):
        relative = path.relative_to(folder)
        if relative.as_posix() == CHECKS_FILE:
            continue
        if any(part.startswith(".") or part in SKIPPED_PARTS for part in relative.parts):
            continue
        yield path


def scan_folder(folder: Path) -> tuple[list[Hole], list[MarkerProblem]]:
    """Every hole under `folder`, and the marker problems, including a name used twice."""
    holes: list[Hole] = []
    problems: list[MarkerProblem] = []
    for path in code_files(folder):
        relative = path.relative_to(folder).as_posix()
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            problems.append(MarkerProblem(relative, 1, f"cannot read it: {error}"))
            continue
        found, wrong = scan_text(text, relative)
        holes += found
        problems += wrong
    seen: dict[str, Hole] = {}
    for hole in holes:
        if hole.name in seen:
            problems.append(MarkerProblem(hole.file, hole.start, f"hole {hole.name} is also at "
                                          f"{seen[hole.name].where}; hole names are unique in a lab"))
        else:
            seen[hole.name] = hole
    return list(seen.values()), problems


def exercise_text(text: str, holes: list[Hole], tasks: Mapping[str, str], lab_id: str) -> str:
    """`text` with the body of every hole replaced by its TODO and NotImplementedError."""
    lines = text.splitlines(keepends=True)
    newline = "\r\n" if lines and lines[0].endswith("\r\n") else "\n"
    for hole in sorted(holes, key=lambda h: h.start, reverse=True):
        stub = [line + newline for line in stub_lines(hole, tasks.get(hole.name, ""), lab_id)]
        lines[hole.start : hole.end - 1] = stub
    return "".join(lines)


def stub_lines(hole: Hole, task: str, lab_id: str) -> list[str]:
    """What the learner finds inside an empty hole."""
    width = max(40, 96 - len(hole.indent))
    todo = textwrap.wrap(" ".join(task.split()) or hole.statement or f"write hole {hole.name}",
                         width=width, initial_indent="TODO: ", subsequent_indent="      ")
    return [
        *(f"{hole.indent}# {line}" for line in todo),
        f"{hole.indent}# Hints: `studyterm lab hint {lab_id} {hole.name}`, or `h` in the lab screen.",
        hole.indent + NOT_IMPLEMENTED.format(name=hole.name),
    ]


def hole_fingerprint(hole: Hole, task: str) -> str:
    """A digest of a hole's reference code and its task: a change of either is a changed hole."""
    digest = hashlib.sha256(hole.body.encode() + b"\0" + " ".join(task.split()).encode())
    return digest.hexdigest()[:16]


def is_untouched(hole: Hole) -> bool:
    """True when a learner's hole still ends in the stub's NotImplementedError."""
    return NOT_IMPLEMENTED.format(name=hole.name) in hole.body
