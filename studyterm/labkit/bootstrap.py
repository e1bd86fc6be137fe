"""How the runner starts every lab: `python -m studyterm.labkit.bootstrap`.

The run context (labkit.CONTEXT_ENV) says where the code to run is (the learner's workspace,
or the lab folder itself), where the lab folder and its checks.py are, and which holes the lab
has. The checks of every hole run first, each hole reporting one `hole` message; then, in a full
run whose holes all pass, the entry script runs as `__main__` from the code folder, as
`python <entry>` would run it. A demo lab (no holes) runs its entry straight away.
"""

from __future__ import annotations

import runpy
import sys
import traceback
from pathlib import Path

from studyterm import labkit


def main() -> int:
    context = labkit.context()
    code_dir = Path(context["code_dir"])
    holes = list(context.get("holes") or [])
    if holes:
        from studyterm.labkit.holecheck import run_checks  # a demo lab starts without it

        results = run_checks(Path(context["checks"]), code_dir, Path(context["lab_dir"]), holes)
        for result in results:
            labkit.hole_result(result)
        if context.get("mode") == "check" or not all(r.status == "passed" for r in results):
            return 0
    run_entry(code_dir / context["entry"])
    return 0


def run_entry(script: Path) -> None:
    """Run the entry script as `python script` would: its folder first on sys.path, and a
    traceback that starts at the script (not in this bootstrap) when it raises."""
    sys.path[0] = str(script.parent)
    sys.argv = [str(script)]
    try:
        runpy.run_path(str(script), run_name="__main__")
    except SystemExit:
        raise
    except BaseException as error:
        tb = error.__traceback__
        while tb is not None and tb.tb_frame.f_code.co_filename != str(script):
            tb = tb.tb_next
        traceback.print_exception(type(error), error, tb or error.__traceback__)
        raise SystemExit(1) from None


if __name__ == "__main__":
    sys.exit(main())
