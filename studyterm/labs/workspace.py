"""The learner's own copy of an exercise lab: `<collection>/workspace/LAB/`.

`start` writes the exercise (every file of the lab but lab.toml and checks.py, each hole's body
replaced by its TODO) plus `.lab-base.json`, which records each hole's fingerprint at that
moment. The copy is the learner's: studyterm never overwrites it, and a later change of the lab
that touches a hole is reported (`changed_holes`), never merged.
"""

from __future__ import annotations

import difflib
import json
import os
import shutil
import tempfile
import textwrap
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from studyterm.labkit import BASE_FILE
from studyterm.labkit.markers import CHECKS_FILE, Hole, exercise_text, scan_folder, scan_text
from studyterm.labs.spec import SPEC_FILE, LabError, LabSpec

_SKIPPED = {SPEC_FILE, CHECKS_FILE}


class WorkspaceError(LabError):
    pass


@dataclass(frozen=True)
class HoleChange:
    name: str
    change: str
    """`changed` (its code or task), `added` (a new hole), or `removed`."""

    def text(self, lab_id: str) -> str:
        if self.change == "added":
            return (f"the lab gained hole {self.name} since you started; it is not in your copy "
                    f"(`studyterm lab diff {lab_id} {self.name}` shows it)")
        if self.change == "removed":
            return f"the lab no longer has hole {self.name} (your copy keeps it)"
        return (f"hole {self.name} changed in the lab since you started: "
                f"`studyterm lab diff {lab_id} {self.name}`")


class Workspace:
    def __init__(self, folder: Path, spec: LabSpec) -> None:
        self.path = folder
        self.spec = spec

    @property
    def exists(self) -> bool:
        return (self.path / BASE_FILE).is_file()

    @property
    def entry(self) -> Path:
        return self.path / self.spec.entry

    def start(self, now: datetime) -> list[str]:
        """Write the exercise; return the files written (relative). Refuses to touch a folder
        that is already there."""
        if self.path.exists():
            raise WorkspaceError(f"{self.path} already exists: it is your copy of {self.spec.id}, "
                                 "and studyterm never overwrites it")
        files = exercise_files(self.spec)
        base = {
            "lab": self.spec.id,
            "started_at": now.isoformat(timespec="seconds"),
            "holes": {name: hole.fingerprint for name, hole in self.spec.holes.items()},
        }
        self.path.parent.mkdir(parents=True, exist_ok=True)
        scratch = Path(tempfile.mkdtemp(prefix=f".{self.spec.id}-", dir=self.path.parent))
        try:
            scratch.chmod(self.path.parent.stat().st_mode & 0o777)  # mkdtemp's 0700 is for secrets
            for relative, data in files.items():
                target = scratch / relative
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(data)
            (scratch / BASE_FILE).write_text(json.dumps(base, indent=2) + "\n", encoding="utf-8")
            os.rename(scratch, self.path)  # all at once: a half-written copy never appears
        except BaseException:
            shutil.rmtree(scratch, ignore_errors=True)
            raise
        return sorted(files)

    def base(self) -> dict:
        try:
            data = json.loads((self.path / BASE_FILE).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    def changed_holes(self) -> list[HoleChange]:
        """The holes the lab changed, added or removed since this copy was started."""
        started = self.base().get("holes")
        if not isinstance(started, dict):
            return []
        changes = [
            HoleChange(name, "added" if name not in started else "changed")
            for name, hole in self.spec.holes.items()
            if started.get(name) != hole.fingerprint
        ]
        changes += [HoleChange(name, "removed") for name in started if name not in self.spec.holes]
        return changes

    def holes(self) -> dict[str, Hole]:
        """The holes as they are now in the learner's files (markers they kept)."""
        found, _problems = scan_folder(self.path) if self.path.is_dir() else ([], [])
        return {hole.name: hole for hole in found}

    def hole(self, name: str) -> Hole | None:
        """One hole in the learner's copy, read from its file (None: the markers are gone)."""
        spec = self.spec.holes.get(name)
        if spec is None:
            return None
        path = self.path / spec.file
        try:
            found, _problems = scan_text(path.read_text(encoding="utf-8"), spec.file)
        except (OSError, UnicodeDecodeError):
            return None
        return next((hole for hole in found if hole.name == name), None)


@dataclass(frozen=True)
class HoleDiff:
    """The learner's code of one hole beside the reference's (both dedented)."""

    name: str
    title: str
    task: str
    learner: str | None
    """None when the learner's copy lost the hole's markers."""
    learner_where: str
    reference: str
    reference_where: str
    changed: bool
    """The lab changed this hole since the workspace was started."""

    def unified(self) -> list[str]:
        mine = (self.learner or "").splitlines()
        return list(difflib.unified_diff(
            mine, self.reference.splitlines(), f"your code ({self.learner_where})",
            f"reference ({self.reference_where})", lineterm=""))

    def as_dict(self) -> dict:
        return {"hole": self.name, "title": self.title, "task": self.task, "learner": self.learner,
                "learner_where": self.learner_where, "reference": self.reference,
                "reference_where": self.reference_where, "changed": self.changed}


def hole_diff(workspace: Workspace, name: str) -> HoleDiff:
    spec = workspace.spec.holes[name]
    reference = next(h for h in scan_folder(workspace.spec.dir)[0] if h.name == name)
    mine = workspace.hole(name)
    shown = workspace.path.name
    return HoleDiff(
        name, spec.title, spec.task, None if mine is None else textwrap.dedent(mine.body),
        f"workspace/{shown}/{mine.where if mine else spec.file}",
        textwrap.dedent(reference.body), f"labs/{workspace.spec.id}/{reference.where}",
        name in {change.name for change in workspace.changed_holes()},
    )


def exercise_files(spec: LabSpec) -> dict[str, bytes]:
    """The exercise: every file of the lab (but lab.toml, checks.py, hidden files and caches),
    holes emptied."""
    tasks = {name: hole.task for name, hole in spec.holes.items()}
    holes, _problems = scan_folder(spec.dir)
    by_file: dict[str, list[Hole]] = {}
    for hole in holes:
        by_file.setdefault(hole.file, []).append(hole)
    files: dict[str, bytes] = {}
    for path in sorted(p for p in spec.dir.rglob("*") if p.is_file()):
        relative = path.relative_to(spec.dir).as_posix()
        parts = relative.split("/")
        if relative in _SKIPPED or path.suffix == ".pyc":
            continue
        if any(part.startswith(".") or part == "__pycache__" for part in parts):
            continue
        if relative in by_file:
            text = path.read_text(encoding="utf-8")
            files[relative] = exercise_text(text, by_file[relative], tasks, spec.id).encode("utf-8")
        else:
            files[relative] = path.read_bytes()
    return files
