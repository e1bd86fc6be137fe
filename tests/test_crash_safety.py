"""Kill a studyterm process in the middle of a write: the database stays consistent."""

import signal
import sqlite3
import subprocess
import sys
import textwrap

from studyterm.collection import Collection
from studyterm.layout import Layout
from tests.conftest import ManualClock, write_note

# Runs in a child process: pause inside the write transaction right after `marker` ran, tell the
# parent, and wait to be killed.
CHILD = textwrap.dedent(
    """
    import sys, time
    from contextlib import contextmanager
    from studyterm.collection import Collection
    from studyterm.clock import fixed_clock, parse_now
    from studyterm.store import store as store_module

    root, action, marker = sys.argv[1], sys.argv[2], sys.argv[3]
    original = store_module.Store.transaction

    class Pausing:
        def __init__(self, conn):
            self.conn = conn
        def _pause(self, sql):
            if marker in sql:
                print("IN-TRANSACTION", flush=True)
                time.sleep(60)
        def execute(self, sql, *args):
            result = self.conn.execute(sql, *args)
            self._pause(sql)
            return result
        def executemany(self, sql, rows):
            result = self.conn.executemany(sql, rows)
            self._pause(sql)
            return result

    @contextmanager
    def pausing_transaction(self):
        with original(self) as conn:
            yield Pausing(conn)

    store_module.Store.transaction = pausing_transaction
    collection = Collection.open(root, fixed_clock(parse_now("2026-11-21T10:00:00+00:00")))
    if action == "sync":
        collection.sync()
    else:
        collection.answer(action, 5)
    print("FINISHED", flush=True)
    """
)


def kill_inside_transaction(root, action, marker):
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(root), action, marker],
        stdout=subprocess.PIPE,
        text=True,
    )
    line = child.stdout.readline().strip()
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=30)
    child.stdout.close()
    assert line == "IN-TRANSACTION"


def integrity(root):
    conn = sqlite3.connect(Layout(root).db_path)
    try:
        return conn.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        conn.close()


def test_killed_mid_sync_leaves_nothing_half_written(collection_root):
    for index in range(30):
        write_note(collection_root, f"concepts/n{index}.md", f"Q: q{index}?\nA: a{index}\n")
    kill_inside_transaction(collection_root, "sync", "INSERT INTO cards")
    assert integrity(collection_root) == "ok"
    with Collection.open(Layout(collection_root), ManualClock()) as collection:
        assert collection.store.card_count() == 0
        assert collection.store.note_index() == {}
        report = collection.sync()
        assert (report.parsed, report.created) == (30, 30)


def test_killed_mid_answer_keeps_card_and_log_in_step(collection_root):
    write_note(collection_root, "concepts/a.md", "Q: q?\nA: a\n")
    with Collection.open(Layout(collection_root), ManualClock()) as collection:
        collection.sync()
        (entry,) = collection.queue()
    kill_inside_transaction(collection_root, entry.card_id, "UPDATE cards SET ef")
    assert integrity(collection_root) == "ok"
    with Collection.open(Layout(collection_root), ManualClock()) as collection:
        assert collection.card(entry.card_id).schedule.is_new
        assert collection.history(entry.card_id) == []
        collection.answer(entry.card_id, 5)
        assert len(collection.history(entry.card_id)) == 1
