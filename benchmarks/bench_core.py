"""Core benchmark on the synthetic 100,000-card collection (figures go in docs/benchmarks.md).

    python benchmarks/bench_core.py [--notes 10000] [--repeat 5]

Measures: cold sync (the median of --repeat runs, each into a fresh .studyterm/), side by side with
Anki's own `import_csv` of the same cards (studyterm's CSV export of them; Anki's Rust backend) with
the ratio, the peak memory of a cold sync run as a whole `studyterm sync` process, no-op sync (in-process and as a whole `studyterm sync` process), sync after
editing 10 notes, time to the first due card, time to record an answer and fetch the next card,
opening the database (as left at a clean close, and with the full quick_check), the daily
backup, and the database size. Before the queue timings it gives the collection a realistic history:
70% of the cards already introduced, with due dates spread over the past and next 60 days
(written straight into the database, since answering 70,000 cards one by one would take minutes).
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from anki_reference import anki_import
from synthetic import generate

from studyterm.clock import fixed_clock, parse_now
from studyterm.collection import Collection
from studyterm.interop import export_deck
from studyterm.layout import Layout
from studyterm.store import Store, health

NOW = "2026-11-21T10:00:00+00:00"


def timed(action) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def timed_value(action) -> tuple[float, object]:
    start = time.perf_counter()
    value = action()
    return time.perf_counter() - start, value


_PEAK_OF_SYNC = """
import json, resource, sys
from pathlib import Path
from studyterm.cli import main
sys.argv[0] = "studyterm"
try:
    main()
finally:
    status = Path("/proc/self/status").read_text().splitlines()
    own = next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
    workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print(json.dumps(max(own, workers) / 1024), file=sys.stderr)
"""


def cold_sync_process_rss(root: Path, env: dict) -> float:
    """Peak RSS in MB of a cold `studyterm sync` run as its own process: the largest of that
    process and its parse workers. Read from /proc (Linux), not from this process's
    RUSAGE_CHILDREN: a vfork-spawned child's ru_maxrss starts at its parent's high-water mark."""
    shutil.rmtree(root / ".studyterm", ignore_errors=True)
    arguments = ["--collection", str(root), "sync"]
    done = subprocess.run([sys.executable, "-c", _PEAK_OF_SYNC, *arguments], env=env, check=True,
                          capture_output=True, text=True)
    return float(done.stderr.strip().splitlines()[-1])


def median_ms(samples: list[float]) -> str:
    return f"{statistics.median(samples) * 1000:.2f} ms (median of {len(samples)})"


def seed_history(collection: Collection) -> None:
    rng = random.Random(3)
    conn = collection.store.conn
    day = collection.today()
    ids = [row[0] for row in conn.execute("SELECT id FROM cards ORDER BY position")]
    rows = []
    for card_id in ids[: int(len(ids) * 0.7)]:
        due = day + timedelta(days=rng.randint(-60, 60))
        introduced = day - timedelta(days=rng.randint(61, 400))
        rows.append((due.isoformat(), introduced.isoformat(), rng.randint(1, 8), rng.randint(1, 90), card_id))
    conn.execute("BEGIN")
    conn.executemany(
        "UPDATE cards SET due = ?, introduced = ?, repetitions = ?, interval_days = ? WHERE id = ?",
        rows,
    )
    conn.execute("COMMIT")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--notes", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--keep", type=Path, help="Build the collection here and keep it.")
    args = parser.parse_args()

    workdir = args.keep or Path(tempfile.mkdtemp(prefix="studyterm-bench-"))
    root = workdir / "collection"
    if root.exists():
        shutil.rmtree(root)
    generate(root, args.notes)
    layout = Layout(root)
    clock = fixed_clock(parse_now(NOW))
    print(f"collection: {args.notes} notes in {root}; {os.cpu_count()} CPUs; Python {sys.version.split()[0]}")

    env = {**os.environ, "STUDYTERM_NOW": NOW}
    rss_mb = cold_sync_process_rss(root, env)
    print(f"cold sync peak RSS:       {rss_mb:.0f} MB (a whole `studyterm sync` process; "
          "its largest process, the main one or a parse worker)")
    with Collection.open(layout, clock) as collection:
        collection.sync()
        csv_path = workdir / "cards.csv"
        export_deck(collection, "csv", csv_path)
    # one cold sync, then one Anki import, and so on: a machine that speeds up or slows down
    # during the run weighs on both sides alike
    colds, anki = [], []
    for _ in range(args.repeat):
        shutil.rmtree(layout.state_dir, ignore_errors=True)
        with Collection.open(layout, clock) as collection:
            cold_s, report = timed_value(collection.sync)
        colds.append(cold_s)
        anki.append(anki_import("csv", csv_path, workdir))
    cold_s = statistics.median(colds)
    anki_s = statistics.median(seconds for seconds, _ in anki)
    print(f"cold sync:                {cold_s:.2f} s (median of {len(colds)}; {report.created} cards, "
          f"{len(report.problems)} problems)")
    print(f"Anki import_csv, same cards: {anki_s:.2f} s (median of {len(anki)}; {anki[0][1]} cards)")
    pairs = sorted(mine / theirs for mine, (theirs, _) in zip(colds, anki, strict=True))
    print(f"cold sync / Anki import:  {cold_s / anki_s:.2f}x (goal <= 1.0; the median of each pair's own "
          f"ratio: {statistics.median(pairs):.2f}x, from {', '.join(f'{ratio:.2f}' for ratio in pairs)})")
    with Collection.open(layout, clock) as collection:
        noop = [timed(collection.sync) for _ in range(args.repeat)]
        print(f"no-op sync, in-process:   {median_ms(noop)}")

    command = [sys.executable, "-m", "studyterm", "--collection", str(root), "sync"]
    process = [timed(lambda: subprocess.run(command, env=env, check=True, capture_output=True)) for _ in range(args.repeat)]
    print(f"no-op sync, whole process: {median_ms(process)}")

    with Collection.open(layout, clock) as collection:
        edits = []
        for round_ in range(args.repeat):
            for index in range(10):
                note = next((root / "concepts").rglob(f"note{index * 997 % args.notes:05d}.md"))
                text = note.read_text(encoding="utf-8")
                note.write_text(text.replace("summed over the batch", f"summed (edit {round_}) over the batch", 1), encoding="utf-8")
            edits.append(timed(collection.sync))
        print(f"sync after editing 10 notes: {median_ms(edits)}")

        seed_history(collection)
        counts = collection.counts()
        print(f"queue today: {counts.review} reviews, {counts.new} new")
        def first_card():
            return collection.card(collection.next_card().card_id)

        first = [timed(first_card) for _ in range(args.repeat * 20)]
        print(f"first due card (id + record): {median_ms(first)}")

        answers = []
        for _ in range(args.repeat * 20):
            card_id = collection.next_card().card_id
            answers.append(timed(lambda card_id=card_id: (collection.answer(card_id, 4, duration_ms=3000), first_card())))
        print(f"answer + next card:       {median_ms(answers)}")
        answer_only = []
        for _ in range(args.repeat * 20):
            card_id = collection.next_card().card_id
            answer_only.append(timed(lambda card_id=card_id: collection.answer(card_id, 4, duration_ms=3000)))
        print(f"answer alone:             {median_ms(answer_only)}")

        backups = [timed(collection.backup) for _ in range(args.repeat)]
        print(f"a backup (online API):    {median_ms(backups)}")

    stamp = health.stamp_path(layout.db_path)
    trusted = [timed(lambda: Store.open(layout.db_path).close()) for _ in range(args.repeat)]
    print(f"open, as left at close:   {median_ms(trusted)}")
    checked = []
    for _ in range(args.repeat):
        stamp.unlink(missing_ok=True)
        checked.append(timed(lambda: Store.open(layout.db_path).close()))
    print(f"open with quick_check:    {median_ms(checked)}")

    size = sum(p.stat().st_size for p in layout.state_dir.iterdir() if p.is_file())
    print(f"database size:            {size / 1e6:.1f} MB (with WAL)")
    if not args.keep:
        shutil.rmtree(workdir)


if __name__ == "__main__":
    main()
