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


CHECK_VARIANTS = """
import json, sys
from pathlib import Path
from studyterm.labkit.holecheck import run_checks

lab_dir, holes, variants = Path(sys.argv[1]), sys.argv[2].split(","), json.loads(sys.argv[3])
results = {}
for name, folder in variants.items():
    checked = run_checks(lab_dir / "checks.py", Path(folder), lab_dir, holes)
    results[name] = {result.name: result.status for result in checked}
print(json.dumps(results))
"""


def check_variants(lab_dir: Path, holes: list[str], variants: dict[str, Path]) -> dict[str, dict]:
    """The status of every hole in each variant folder, all checked in ONE lab process (torch
    is imported once, not once per variant), as the bootstrap would check them."""
    import json
    import subprocess
    import sys

    output = subprocess.run(
        [sys.executable, "-c", CHECK_VARIANTS, str(lab_dir), ",".join(holes),
         json.dumps({name: str(folder) for name, folder in variants.items()})],
        capture_output=True, text=True, timeout=600, check=True,
    )
    return json.loads(output.stdout.splitlines()[-1])
