"""answer_days, kept by triggers on the review log, always equals a scan of the log."""

import random

from studyterm.collection import Collection
from studyterm.layout import Layout
from tests.conftest import write_note

SCAN = (
    "SELECT day, grade, CASE WHEN coalesce(interval_before, 0) = 0 THEN 0 WHEN interval_before < 21 THEN 1 "
    "ELSE 2 END, count(*), coalesce(sum(duration_ms), 0) FROM reviews WHERE grade IS NOT NULL "
    "AND source IN ('review', 'quiz') AND id NOT IN (SELECT undoes FROM reviews WHERE undoes IS NOT NULL) "
    "GROUP BY 1, 2, 3 ORDER BY 1, 2, 3"
)
KEPT = "SELECT day, grade, kind, answers, duration_ms FROM answer_days WHERE answers > 0 ORDER BY 1, 2, 3"


def study(collection, clock, days=20, seed=4):
    rng = random.Random(seed)
    for _ in range(days):
        clock.advance(days=1)
        for entry in collection.queue():
            result = collection.answer(entry.card_id, rng.randint(0, 5), duration_ms=rng.randint(1000, 9000),
                                       source=rng.choice(["review", "quiz"]))
            if rng.random() < 0.2:
                collection.undo(result.entry.id)


def test_the_kept_counts_equal_a_scan_of_the_log_through_answers_and_undos(collection, collection_root, clock):
    write_note(collection_root, "concepts/a.md", "\n\n".join(f"q{n} :: a{n}" for n in range(8)) + "\n")
    collection.sync()
    study(collection, clock)
    kept = collection.store.query(KEPT)
    assert kept == collection.store.query(SCAN) and sum(row[3] for row in kept) > 50


def test_a_database_from_before_the_table_is_filled_from_its_log(collection_root, clock):
    write_note(collection_root, "concepts/a.md", "q :: a\n\nr :: b\n")
    with Collection.open(Layout(collection_root), clock) as collection:
        collection.sync()
        study(collection, clock, days=6)
        conn = collection.store.conn
        expected = collection.store.query(SCAN)
        for trigger in ("answer_days_add", "answer_days_undo"):
            conn.execute(f"DROP TRIGGER {trigger}")
        conn.execute("DROP TABLE answer_days")
        conn.execute("PRAGMA user_version = 6")  # before answer_days (v7)
        conn.commit()
    with Collection.open(Layout(collection_root), clock) as reopened:
        assert reopened.store.query(KEPT) == expected
