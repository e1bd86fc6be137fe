"""Review app benchmark on the synthetic 100,000-card collection (figures in docs/benchmarks.md).

    python benchmarks/bench_tui.py [--collection DIR] [--repeat 5]

1. launch -> first question, headless, in one process: from before `import studyterm` to the
   app's own `question_shown` hook (called after the frame with the question is drawn);
2. launch -> first question as a whole process in a real terminal: `studyterm review` started
   in tmux, timed until the question's text appears in the pane (needs tmux);
3. grade key -> next question drawn: headless, from the grade key's handler until the hook fires
   for the next card, over many answers.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
NOW = "2026-11-21T10:00:00+00:00"

IN_PROCESS = """
import time, sys
start = time.perf_counter()
from studyterm.clock import fixed_clock, parse_now
from studyterm.collection import Collection
from studyterm.tui.app import StartSession, make_app
collection = Collection.open(sys.argv[1], fixed_clock(parse_now(sys.argv[2])))
app = None
def shown(card_id):
    print(f"{time.perf_counter() - start:.4f}", flush=True)
    app.exit()
app = make_app(collection, start=StartSession(), question_shown=shown)
import gc
gc.freeze()  # as `studyterm review` does before it runs the app
app.run(headless=True, size=(100, 30))
"""


def ensure_collection(path: Path | None) -> Path:
    if path is not None and (path / "collection").is_dir():
        return path / "collection"
    target = path or Path(tempfile.mkdtemp(prefix="studyterm-tui-bench-"))
    subprocess.run(
        [sys.executable, str(HERE / "bench_core.py"), "--repeat", "1", "--keep", str(target)],
        check=True,
        capture_output=True,
    )
    return target / "collection"


def headless_launch(root: Path, repeat: int) -> list[float]:
    samples = []
    for _ in range(repeat):
        out = subprocess.run(
            [sys.executable, "-c", IN_PROCESS, str(root), NOW], capture_output=True, text=True, check=True
        )
        samples.append(float(out.stdout.strip().splitlines()[-1]))
    return samples


def first_question_text(root: Path) -> str:
    from studyterm.clock import fixed_clock, parse_now
    from studyterm.collection import Collection
    from studyterm.render.card import question_markdown

    with Collection.open(root, fixed_clock(parse_now(NOW))) as collection:
        card = collection.card(collection.next_card().card_id)
        words = question_markdown(card).split()
        return " ".join(words[:3])


def tmux_launch(root: Path, repeat: int) -> list[float]:
    if shutil.which("tmux") is None:
        return []
    needle = first_question_text(root)
    studyterm = Path(sys.executable).with_name("studyterm")
    samples: list[float] = []
    # A session that outlives the measured ones keeps the tmux server up between them.
    anchor = f"bench-{os.getpid()}-anchor"
    subprocess.run(["tmux", "new-session", "-d", "-s", anchor, "sleep 600"], check=True)
    try:
        for attempt in range(repeat):
            samples += _tmux_once(root, needle, studyterm, f"bench-{os.getpid()}-{attempt}")
    finally:
        subprocess.run(["tmux", "kill-session", "-t", anchor], capture_output=True)
    return samples


def _tmux_once(root: Path, needle: str, studyterm: Path, name: str) -> list[float]:
    """Start `studyterm review` in a new tmux pane; the time until the question is visible."""
    command = f"STUDYTERM_NOW={NOW} {studyterm} --collection {root} review"
    start = time.perf_counter()
    subprocess.run(["tmux", "new-session", "-d", "-s", name, "-x", "100", "-y", "30", command], check=True)
    try:
        while time.perf_counter() - start < 20:
            pane = subprocess.run(["tmux", "capture-pane", "-p", "-t", name], capture_output=True, text=True).stdout
            if needle in pane:
                return [time.perf_counter() - start]
            time.sleep(0.005)
    finally:
        subprocess.run(["tmux", "kill-session", "-t", name], capture_output=True)
    return []


async def grade_to_next(root: Path, answers: int) -> list[float]:
    from studyterm.clock import fixed_clock, parse_now
    from studyterm.collection import Collection
    from studyterm.tui.app import StartSession, make_app
    from studyterm.tui.screens.review import ReviewScreen

    samples: list[float] = []
    pressed: list[float] = []
    original = ReviewScreen.grade

    async def timed_grade(self, grade):
        pressed.append(time.perf_counter())
        await original(self, grade)

    def shown(card_id):
        if pressed:
            samples.append(time.perf_counter() - pressed.pop())

    ReviewScreen.grade = timed_grade
    collection = Collection.open(root, fixed_clock(parse_now(NOW)))
    app = make_app(collection, start=StartSession(), question_shown=shown, sync_on_start=False, watch=False)
    try:
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            for _ in range(answers):
                await pilot.press("space", "4")
                await pilot.pause()
    finally:
        ReviewScreen.grade = original
        collection.close()
    return samples


def report(label: str, samples: list[float]) -> None:
    if not samples:
        print(f"{label}: not measured")
        return
    print(f"{label}: median {statistics.median(samples) * 1000:.0f} ms, "
          f"min {min(samples) * 1000:.0f}, max {max(samples) * 1000:.0f} (n={len(samples)})")


def main() -> None:
    import asyncio

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--collection", type=Path, help="a folder made by bench_core.py --keep (reused)")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    root = ensure_collection(args.collection)
    print(f"collection: {root}")
    report("launch -> first question, headless (app hook)", headless_launch(root, args.repeat))
    report("launch -> first question, whole process in tmux", tmux_launch(root, args.repeat))
    report("grade key -> next question drawn", asyncio.run(grade_to_next(root, 40)))


if __name__ == "__main__":
    main()
