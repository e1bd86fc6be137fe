"""FSRS benchmark (figures go in docs/benchmarks.md).

    python benchmarks/bench_fsrs.py [--reviews 1000000] [--skip-optimizer]

1. The public review log in benchmarks/data/ (12,580 reviews, its README names source and
   licence): SM-2, FSRS with default parameters and FSRS fitted to the past, scored on the
   newest fifth (log loss, RMSE (bins), AUC), and how long the optimizer took.
2. Replaying a million reviews into FSRS states: the pure replay alone, and a whole switch to
   FSRS on a collection whose log holds them (read the log, replay, write every due date).
3. Answer -> next card with FSRS on, in that collection (each answer replays the card's log).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from studyterm.clock import fixed_clock, parse_now
from studyterm.collection import Collection
from studyterm.fitting.public_log import read_review_csv
from studyterm.fitting.service import evaluate
from studyterm.layout import Layout
from studyterm.schedule.fsrs import FsrsSettings, replay
from studyterm.schedule.log import LogEvent

DATA = Path(__file__).resolve().parent / "data" / "fsrs-review-log.csv"
NOW = "2026-11-21T10:00:00+00:00"
REVIEWS_PER_CARD = 20
GRADES = (1, 3, 4, 4, 4, 4, 5)
"""Roughly a learner's mix: one failure in seven, mostly 'right, after some hesitation'."""


def public_log(optimize: bool) -> None:
    cards = read_review_csv(DATA)
    reviews = sum(len(events) for _, events in cards)
    print(f"public log: {reviews} reviews of {len(cards)} cards; {os.cpu_count()} CPUs")
    progress = (lambda done, total: print(f"  optimizer epoch {done}/{total}", flush=True)) if optimize else None
    result = evaluate(cards, 0.9, progress, optimize=optimize)
    print(json.dumps(result.to_dict(), indent=2))
    if result.fitted_parameters:
        print("fitted parameters:", [round(p, 4) for p in result.fitted_parameters])


def synthetic_log(cards: int, rng: random.Random) -> list[tuple[str, list[LogEvent]]]:
    """`cards` cards with REVIEWS_PER_CARD answers each, spaced as FSRS would roughly space them."""
    log, number = [], 0
    for index in range(cards):
        day, events, gap = date(2020, 1, 1) + timedelta(days=rng.randint(0, 300)), [], 1
        for _ in range(REVIEWS_PER_CARD):
            number += 1
            grade = rng.choice(GRADES)
            events.append(LogEvent(number, day, grade, "review", "scheduled"))
            gap = 1 if grade < 3 else min(365, max(1, round(gap * rng.uniform(1.5, 3.0))))
            day += timedelta(days=gap)
        log.append((f"{index:012x}", events))
    return log


def pure_replay(log: list[tuple[str, list[LogEvent]]]) -> None:
    settings = FsrsSettings()
    started = time.perf_counter()
    for _, events in log:
        replay(events, settings)
    seconds = time.perf_counter() - started
    reviews = len(log) * REVIEWS_PER_CARD
    print(f"pure replay: {reviews} reviews in {seconds:.2f} s ({seconds / reviews * 1e6:.1f} µs a review)")


def seeded_collection(root: Path, log: list[tuple[str, list[LogEvent]]], today: date) -> None:
    """A collection whose cards and log are written straight into the database (answering a
    million times one by one would take far longer than what is measured)."""
    (root / "concepts").mkdir(parents=True)
    with Collection.open(Layout(root), fixed_clock(parse_now(NOW))) as collection:
        conn = collection.store.conn
        conn.execute("BEGIN")
        conn.executemany(
            "INSERT INTO cards (id, note_path, line, position, kind, question, answer, deck, tags, "
            "content_key, created_at, due, sm2_due, introduced, repetitions, interval_days) "
            "VALUES (?, 'synthetic.md', ?, ?, 'qa', ?, 'a', 'synthetic', '[]', ?, '2020-01-01', ?, ?, "
            "'2020-01-01', 3, 10)",
            [(card_id, i, i, f"q{i}", card_id, (today - timedelta(days=i % 30)).isoformat(),
              (today - timedelta(days=i % 30)).isoformat()) for i, (card_id, _) in enumerate(log)],
        )
        conn.executemany(
            "INSERT INTO reviews (card_id, ts, day, grade, source, kind, ef_before, ef_after, "
            "interval_before, interval_after, snapshot) VALUES (?, ?, ?, ?, 'review', 'scheduled', "
            "2.5, 2.5, 1, 1, '{}')",
            ((card_id, f"{e.day.isoformat()}T10:00:00+00:00", e.day.isoformat(), e.grade)
             for card_id, events in log for e in events),
        )
        conn.execute("COMMIT")


def switch_and_answer(log: list[tuple[str, list[LogEvent]]], repeat: int) -> None:
    with tempfile.TemporaryDirectory(prefix="studyterm-fsrs-") as workdir:
        root = Path(workdir) / "collection"
        today = parse_now(NOW).date()
        seeded_collection(root, log, today)
        (root / "studyterm.toml").write_text('[review]\nscheduler = "fsrs"\n', encoding="utf-8")
        started = time.perf_counter()
        collection = Collection.open(Layout(root), fixed_clock(parse_now(NOW)))
        seconds = time.perf_counter() - started
        print(f"switch to FSRS (open, read {len(log) * REVIEWS_PER_CARD} reviews, replay, write "
              f"{len(log)} due dates): {seconds:.2f} s")
        print(f"answer + next card with FSRS on: {answer_ms(collection, repeat)} "
              f"({REVIEWS_PER_CARD} reviews replayed per answer)")
        collection.close()
        (root / "studyterm.toml").write_text('[review]\nscheduler = "sm2"\n', encoding="utf-8")
        with Collection.open(Layout(root), fixed_clock(parse_now(NOW))) as collection:
            print(f"answer + next card with SM-2, same collection: {answer_ms(collection, repeat)}")


def answer_ms(collection: Collection, repeat: int) -> str:
    samples = []
    for _ in range(repeat):
        card_id = collection.next_card().card_id
        started = time.perf_counter()
        collection.answer(card_id, 4, duration_ms=3000)
        collection.card(collection.next_card().card_id)
        samples.append(time.perf_counter() - started)
    return f"{statistics.median(samples) * 1000:.2f} ms (median of {repeat})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reviews", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=40)
    parser.add_argument("--skip-optimizer", action="store_true", help="Score SM-2 and default FSRS only.")
    parser.add_argument("--skip-public-log", action="store_true")
    args = parser.parse_args()
    print(f"Python {sys.version.split()[0]}")
    if not args.skip_public_log:
        public_log(optimize=not args.skip_optimizer)
    log = synthetic_log(args.reviews // REVIEWS_PER_CARD, random.Random(5))
    pure_replay(log)
    switch_and_answer(log, args.repeat)


if __name__ == "__main__":
    main()
