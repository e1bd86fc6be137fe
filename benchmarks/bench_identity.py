"""Identity and storage at scale (issue 9, point 10): one run each, in a temporary collection.

    python benchmarks/bench_identity.py

* sync after a one-word edit in a card whose answer is 52 KB (was ~49 s with difflib's
  quadratic matcher);
* sync after a typo fixed in every card of a 1,000-card note (past the all-pairs bound);
* a 2,000-group cloze paragraph: sync times, database size and JSON export size against the
  note's size.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

from studyterm.clock import fixed_clock, parse_now
from studyterm.collection import Collection
from studyterm.interop import export_deck
from studyterm.layout import Layout

NOW = "2026-11-21T10:00:00+00:00"


def fresh(root: Path) -> Collection:
    for sub in ("concepts", "labs", "decks"):
        (root / sub).mkdir(parents=True, exist_ok=True)
    return Collection.open(Layout(root), fixed_clock(parse_now(NOW)))


def timed_sync(collection: Collection) -> tuple[float, object]:
    start = time.perf_counter()
    report = collection.sync()
    return time.perf_counter() - start, report


def long_answer(root: Path) -> None:
    collection = fresh(root)
    answer = " ".join(f"Step {i} multiplies the upstream gradient by the local one." for i in range(880))
    note = root / "concepts" / "long.md"
    note.write_text(f"Q: Walk through backprop.\nA: {answer}\n\nQ: Other?\nA: x\n", encoding="utf-8")
    collection.sync()
    edited = answer.replace("Step 440 multiplies", "Step 440 scales")
    note.write_text(f"Q: Walk through backprop!\nA: {edited}\n\nQ: Other?\nA: x\n", encoding="utf-8")
    seconds, report = timed_sync(collection)
    print(f"52 KB answer ({len(answer.encode()) / 1000:.0f} KB), one word and the question edited: "
          f"sync {seconds:.3f} s, {report.updated} updated, {report.created} new, {report.retired} retired")
    collection.close()


def big_note(root: Path, count: int) -> None:
    collection = fresh(root)
    cards = "\n\n".join(f"Q: What does the optimiser do at stepp {i}?\nA: It updates weights {i}." for i in range(count))
    note = root / "concepts" / "big.md"
    note.write_text(cards, encoding="utf-8")
    collection.sync()
    note.write_text(cards.replace("stepp", "step"), encoding="utf-8")
    seconds, report = timed_sync(collection)
    print(f"{count}-card note, a typo fixed in every card: sync {seconds:.3f} s, "
          f"{report.updated} updated, {report.created} new, {report.retired} retired")
    collection.close()


def big_cloze(root: Path, groups: int) -> None:
    collection = fresh(root)
    words = " ".join(f"{{{{c{g}::term number {g}}}}} is defined," for g in range(1, groups + 1))
    note = root / "concepts" / "cloze.md"
    note.write_text(f"The glossary: {words} and so on.\n", encoding="utf-8")
    seconds, report = timed_sync(collection)
    print(f"{groups}-group cloze paragraph ({note.stat().st_size / 1000:.0f} KB note): "
          f"cold sync {seconds:.3f} s, {report.created} cards")
    note.write_text(f"The glossary words: {words} and so on.\n", encoding="utf-8")
    seconds, report = timed_sync(collection)
    print(f"  one word edited: sync {seconds:.3f} s, {report.updated} updated, {report.created} new")
    collection.store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db = collection.layout.db_path
    size = db.stat().st_size + sum(p.stat().st_size for p in db.parent.glob("*-wal"))
    print(f"  database: {size / 1e6:.2f} MB ({size / note.stat().st_size:.1f}x the note)")
    target = root / "decks" / "out.json"
    start = time.perf_counter()
    export_deck(collection, "json", target)
    print(f"  JSON export: {target.stat().st_size / 1e6:.2f} MB "
          f"({target.stat().st_size / note.stat().st_size:.1f}x the note) in {time.perf_counter() - start:.2f} s")
    collection.close()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--groups", type=int, default=2000)
    parser.add_argument("--cards", type=int, default=1000)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        long_answer(Path(folder) / "a")
        big_note(Path(folder) / "b", args.cards)
        big_cloze(Path(folder) / "c", args.groups)
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs")


if __name__ == "__main__":
    main()
