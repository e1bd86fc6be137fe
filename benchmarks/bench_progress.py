"""Progress and statistics on a large collection: 100,000 cards with a year of history (about a
million review rows). Goals (issue 14): `stats --json` and the statistics screen's data each
within 0.5 s; progress within 0.5 s (the home screen computes it off the UI thread).

    python benchmarks/bench_progress.py [--notes 10000] [--reviews 1000000] [--keep DIR]

The history is written straight into the review log (a benchmark fixture: a million answers
through the scheduler would take an hour); undo entries, lab feedback and lab runs are mixed in
so every query does its real work.
"""

from __future__ import annotations

import argparse
import json
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
from synthetic import generate

from studyterm.clock import fixed_clock, parse_now
from studyterm.collection import Collection
from studyterm.layout import Layout
from studyterm.progress import service

NOW = "2026-11-21T10:00:00+00:00"


def seed_history(collection: Collection, reviews: int) -> None:
    rng = random.Random(5)
    conn = collection.store.conn
    today = collection.today()
    ids = [row[0] for row in conn.execute("SELECT id FROM cards")]
    conn.execute("BEGIN")
    conn.executemany(
        "UPDATE cards SET introduced = ?, interval_days = ?, ef = ?, lapses = ?, due = ?, repetitions = 3 WHERE id = ?",
        [((today - timedelta(days=rng.randint(1, 365))).isoformat(), rng.randint(1, 120),
          round(rng.uniform(1.3, 2.8), 2), rng.choice([0, 0, 0, 1, 2, 7]),
          (today + timedelta(days=rng.randint(-10, 60))).isoformat(), card_id) for card_id in ids],
    )
    batch = []
    for number in range(reviews):
        day = today - timedelta(days=rng.randint(0, 364))
        interval = rng.choice([0, 1, 3, 8, 15, 30, 60])
        source = "lab" if number % 50 == 0 else "review"
        batch.append((rng.choice(ids), f"{day.isoformat()}T10:00:00.000+00:00", day.isoformat(), rng.randint(0, 5),
                      rng.randint(2_000, 40_000), source, "scheduled", 2.5, 2.5, interval, interval + 1,
                      None, None, "{}", None))
        if len(batch) == 50_000:
            _insert(conn, batch)
            batch = []
    _insert(conn, batch)
    first = conn.execute("SELECT min(id) FROM reviews").fetchone()[0]
    undone = [(ids[0], f"{today.isoformat()}T11:00:00.000+00:00", today.isoformat(), None, None, "review", "undo",
               2.5, 2.5, 1, 1, None, None, "{}", first + n) for n in range(0, 2000, 2)]
    _insert(conn, undone)
    conn.executemany(
        "INSERT INTO lab_runs (lab_id, started_at, day, duration_s, status, quick, params, metrics, series, "
        "targets, fingerprint, log, mode, learner, graded, passed, holes) VALUES (?, ?, ?, 1.0, 'completed', 0, "
        "'{}', '{}', '{}', '[]', 'x', '', 'full', 1, 1, ?, ?)",
        [("ch01_spiral", f"{(today - timedelta(days=d)).isoformat()}T09:00:00+00:00",
          (today - timedelta(days=d)).isoformat(), d % 2,
          json.dumps([{"name": "affine_backward", "status": "passed" if d % 2 else "failed"}]))
         for d in range(200)],
    )
    conn.execute("COMMIT")


def _insert(conn, rows) -> None:
    conn.executemany(
        "INSERT INTO reviews (card_id, ts, day, grade, duration_ms, source, kind, ef_before, ef_after, "
        "interval_before, interval_after, due_before, due_after, snapshot, undoes) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        rows,
    )


def timed(action) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def report(label: str, samples: list[float], goal_s: float) -> None:
    median = statistics.median(samples)
    verdict = "met" if median <= goal_s else "MISSED"
    print(f"{label:<34} {median * 1000:7.0f} ms median of {len(samples)} "
          f"(min {min(samples) * 1000:.0f}, max {max(samples) * 1000:.0f}); goal {goal_s * 1000:.0f} ms: {verdict}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--notes", type=int, default=10_000)
    parser.add_argument("--reviews", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--keep", type=Path, help="Build the collection here and keep it.")
    args = parser.parse_args()

    workdir = args.keep or Path(tempfile.mkdtemp(prefix="studyterm-bench-"))
    root = workdir / "collection"
    if root.exists():
        shutil.rmtree(root)
    generate(root, args.notes)
    clock = fixed_clock(parse_now(NOW))
    with Collection.open(Layout(root), clock) as collection:
        collection.sync()
        seed_history(collection, args.reviews)
        rows = collection.store.query("SELECT count(*) FROM reviews")[0][0]
        cards = collection.store.query("SELECT count(*) FROM cards")[0][0]
        print(f"{cards} cards, {rows} review rows; {os.cpu_count()} CPUs; Python {sys.version.split()[0]}")
        result = service.statistics(collection)
        print(f"(a year: {result.answers} answers; retention young {result.young.rate:.0%}, "
              f"mature {result.mature.rate:.0%})")
        report("statistics (in-process)", [timed(lambda: service.statistics(collection)) for _ in range(args.repeat)], 0.5)
        report("progress (in-process)", [timed(lambda: service.progress(collection)) for _ in range(args.repeat)], 0.5)

    env = {**os.environ, "STUDYTERM_NOW": NOW}
    command = [sys.executable, "-m", "studyterm", "--collection", str(root), "stats", "--json", "--no-sync"]
    whole = [timed(lambda: subprocess.run(command, env=env, check=True, capture_output=True))
             for _ in range(args.repeat)]
    report("stats --json (whole process)", whole, 0.5 + 0.3)
    print("(the whole process includes Python's start and the CLI's imports, ~0.3 s, measured by "
          "bench_core.py's no-op sync)")
    if not args.keep:
        shutil.rmtree(workdir)


if __name__ == "__main__":
    main()
