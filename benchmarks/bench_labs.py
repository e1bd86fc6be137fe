"""The lab runner's own cost: a trivial lab's run (supervisor and interpreter start-up), a chatty
lab, and one endless line (the memory the runner holds must stay bounded).

    python benchmarks/bench_labs.py [--repeat 15]

Prints the best and the median of each; on a shared machine trust the best.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import tempfile
import time
from pathlib import Path

from studyterm.labs import RunRequest, RunStatus, SubprocessRunner

TRIVIAL = "from studyterm import labkit\nlabkit.result(a=1)\n"
CHATTY = (
    "from studyterm import labkit\n"
    "for i in range(200_000):\n    labkit.metric('loss', i, 0.5)\n    print('line', i)\n"
)
ENDLESS_LINE = (
    "import sys\nout = sys.stdout.buffer\nchunk = b'x' * (1 << 20)\n"
    "for _ in range(2048):\n    out.write(chunk)\nout.write(b'\\n')\n"
    "from studyterm import labkit\nlabkit.result(a=1)\n"
)


def timed(script: str, repeat: int) -> list[float]:
    folder = Path(tempfile.mkdtemp(prefix="bench-lab-"))
    (folder / "lab.py").write_text(script, encoding="utf-8")
    request = RunRequest("bench", folder / "lab.py", folder, {}, 300)
    runner = SubprocessRunner()
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        result = runner.run(request)
        times.append(time.perf_counter() - started)
        assert result.status is RunStatus.COMPLETED, result
    return times


def show(name: str, times: list[float]) -> None:
    print(f"{name:<34} best {min(times) * 1000:8.1f} ms   median {statistics.median(times) * 1000:8.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    show("trivial lab (start-up)", timed(TRIVIAL, args.repeat))
    show("200,000 metric + log lines", timed(CHATTY, max(1, args.repeat // 5)))
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    show("one 2 GiB line", timed(ENDLESS_LINE, 1))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"{'peak memory of the runner':<34} {max(peak, before) // 1024} MiB")


if __name__ == "__main__":
    main()
