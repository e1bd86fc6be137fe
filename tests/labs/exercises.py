"""Filling a learner's workspace as a test needs: the reference's code in some holes, a planted
wrong answer in another, the rest left as the exercise wrote them."""

from __future__ import annotations

import textwrap
from pathlib import Path

from studyterm.labkit.markers import scan_folder, scan_text


def solve(workspace: Path, lab_dir: Path, only: set[str] | None = None,
          wrong: dict[str, str] | None = None) -> None:
    """Write the reference's code into the holes named in `only` (all: None), and the code in
    `wrong` (unindented) into the holes it names."""
    wrong = wrong or {}
    reference = {hole.name: hole for hole in scan_folder(lab_dir)[0]}
    for name, hole in reference.items():
        if name in wrong:
            body = textwrap.indent(textwrap.dedent(wrong[name]).strip() + "\n", hole.indent)
        elif only is None or name in only:
            body = hole.body
        else:
            continue
        replace_hole(workspace / hole.file, name, body)


def replace_hole(path: Path, name: str, body: str) -> None:
    text = path.read_text(encoding="utf-8")
    holes, problems = scan_text(text, path.name)
    assert not problems, problems
    hole = next(h for h in holes if h.name == name)
    lines = text.splitlines(keepends=True)
    lines[hole.start : hole.end - 1] = [body]
    path.write_text("".join(lines), encoding="utf-8")
