"""Writing notes: how long the live preview, a save and the watcher take (figures go in
docs/benchmarks.md).

    python benchmarks/bench_authoring.py [--notes 10000] [--repeat 20]

Measures: preview of a typical note and of a 200-card note (what the editor computes after each
pause in typing), an atomic save, save + sync in a collection of `--notes` synthetic notes (the
wait before the new cards are in the queue), `check` of the whole collection, and the watcher's
delay from a write to its batch.
"""

from __future__ import annotations

import argparse
import queue
import shutil
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic import generate

from studyterm.authoring.check import check_paths
from studyterm.authoring.files import OpenNote, atomic_write
from studyterm.authoring.preview import preview_note
from studyterm.authoring.watch import watch_notes
from studyterm.clock import fixed_clock, parse_now
from studyterm.collection import Collection
from studyterm.layout import Layout, sample_source

NOW = "2026-11-21T10:00:00+00:00"


def median_ms(action, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def big_note(cards: int) -> str:
    parts = ["---\ntitle: Big\n---\n# Big\n"]
    for index in range(cards):
        if index % 4 == 3:
            parts.append(f"- The {{{{c1::softmax {index}}}}} of $s_{{{index}}}$ sums to {{{{c2::one}}}}.\n")
        else:
            parts.append(
                f"Q: What does step {index} compute, with $\\frac{{\\partial L}}{{\\partial w_{{{index}}}}}$?\n"
                f"A: The gradient of the loss for weight {index}, summed over the batch.\n"
            )
    return "\n".join(parts)


def preview_figures(root: Path, repeat: int) -> None:
    sample = (sample_source() / "concepts" / "pytorch" / "training-loop.md").read_text(encoding="utf-8")
    print(f"preview, the sample training-loop note ({len(preview_note(sample, 'x.md').cards)} cards): "
          f"{median_ms(lambda: preview_note(sample, 'concepts/x.md'), repeat):.2f} ms")
    collection = Collection.open(Layout(root), fixed_clock(parse_now(NOW)))
    text = big_note(200)
    (root / "concepts" / "big.md").write_text(text, encoding="utf-8")
    collection.sync()
    known = collection.note_cards("concepts/big.md")
    edited = text.replace("summed over the batch", "summed over the mini-batch", 50)
    preview = preview_note(edited, "concepts/big.md", known)
    print(f"preview, a 200-card note with 50 cards edited ({preview.count('edited')} edited found): "
          f"{median_ms(lambda: preview_note(edited, 'concepts/big.md', known), repeat):.1f} ms")
    collection.close()


def save_figures(root: Path, repeat: int) -> None:
    note = root / "concepts" / "course0" / "deck00" / "note00000.md"
    text = note.read_text(encoding="utf-8")
    print(f"atomic save of a 1.4 KB note (temp file, fsync, rename, folder fsync): "
          f"{median_ms(lambda: atomic_write(note, text), repeat):.2f} ms")
    collection = Collection.open(Layout(root), fixed_clock(parse_now(NOW)))
    collection.sync()
    opened = OpenNote.open(root, "concepts/course0/deck00/note00000.md")
    counter = iter(range(10**9))

    def save_and_sync() -> None:
        opened.save(opened.text + f"\nnew card {next(counter)} :: its answer\n")
        report = collection.sync()
        assert report.created == 1

    print(f"save + sync with {count_notes(root)} notes (new card in the queue): "
          f"{median_ms(save_and_sync, repeat):.0f} ms")
    collection.close()


def count_notes(root: Path) -> int:
    return sum(1 for _ in (root / "concepts").rglob("*.md"))


def check_figure(root: Path) -> None:
    start = time.perf_counter()
    report = check_paths([root / "concepts"])
    print(f"check of {len(report.checked)} notes: {time.perf_counter() - start:.2f} s")


def watch_figure(root: Path, repeat: int) -> None:
    stop = threading.Event()
    batches: queue.Queue = queue.Queue()

    def run() -> None:
        for paths in watch_notes(Layout(root), stop):
            batches.put((time.perf_counter(), paths))

    threading.Thread(target=run, daemon=True).start()
    time.sleep(1.0)  # let the watcher arm before the first write
    note = root / "concepts" / "watched.md"
    delays = []
    for index in range(repeat):
        written = time.perf_counter()
        note.write_text(f"watched :: {index}\n", encoding="utf-8")
        while True:
            seen_at, paths = batches.get(timeout=10)
            if "concepts/watched.md" in paths:
                delays.append(seen_at - written)
                break
        time.sleep(0.6)  # a quiet gap, so every write is its own batch
    stop.set()
    print(f"watcher, write to batch (one file): median {statistics.median(delays) * 1000:.0f} ms, "
          f"max {max(delays) * 1000:.0f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--notes", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="studyterm-bench-authoring-"))
    try:
        small = work / "small"
        (small / "concepts").mkdir(parents=True)
        preview_figures(small, args.repeat)
        big = generate(work / "big", args.notes)
        save_figures(big, args.repeat)
        check_figure(big)
        watch_figure(big, min(args.repeat, 10))
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
