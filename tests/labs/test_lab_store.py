"""Lab runs in the store (schema versions 4 and 5), and the queries the labs API relies on."""

import sqlite3
from datetime import UTC, date, datetime

import pytest
import sqlite_utils

from studyterm.store import Store
from studyterm.store import labs as lab_store
from studyterm.store.labs import LabRun, LabRunNotFoundError
from studyterm.store.schema import LATEST_VERSION, MIGRATIONS, migrate, schema_version

NOW = datetime(2026, 11, 21, 10, tzinfo=UTC)


def test_a_version_three_database_gains_lab_runs_and_keeps_its_cards(tmp_path):
    path = tmp_path / "v3.db"
    conn = sqlite3.connect(path, isolation_level=None)
    migrate(conn, MIGRATIONS[:3])
    conn.execute(
        "INSERT INTO cards (id, note_path, line, position, kind, question, answer, deck, tags, "
        "lab, content_key, created_at) VALUES ('c1', 'concepts/a.md', 1, 1, 'basic', 'q', 'a', "
        "'default', '[]', 'spiral', 'k', '2026-01-01T00:00:00+00:00')"
    )
    conn.close()
    with Store.open(path) as store:
        assert LATEST_VERSION == schema_version(store.conn)
        assert lab_store.linked_card_ids(store, "spiral") == ["c1"]
        indexes = {row[0] for row in store.query("SELECT name FROM sqlite_master WHERE type = 'index'")}
        assert {"lab_runs_lab", "cards_lab", "reviews_lab_run"} <= indexes
        with store.transaction() as conn:  # idempotent: running it again changes nothing
            MIGRATIONS[3](sqlite_utils.Database(conn))


def test_runs_round_trip_and_list_newest_first(tmp_path):
    with Store.open(tmp_path / "s.db") as store:
        first = lab_store.insert_run(store, LabRun(
            lab_id="spiral", started_at=NOW, day=date(2026, 11, 21), duration_s=1.25,
            status="completed", params={"lr": 0.1}, fingerprint="abc", metrics={"accuracy": 0.5},
            series={"loss": [(1, 2.0), (2, float("nan"))]}, targets=[{"target": "accuracy >= 0.9"}],
            passed=False, grade=1, log="out", card_id="c1", sweep="s1", quick=True, mode="quick",
            learner=True, graded=False, holes=[{"name": "double", "status": "passed"}],
            predictions=[{"id": "slow", "chosen": 0, "actual": 1, "correct": False}],
        ))
        second = lab_store.insert_run(store, LabRun(
            lab_id="spiral", started_at=NOW, day=date(2026, 11, 21), duration_s=0.5,
            status="cancelled", params={}, fingerprint="abc",
        ))
        stored = lab_store.get_run(store, first.id)
        assert stored.series["loss"][0] == (1, 2.0) and stored.series["loss"][1][1] != stored.series["loss"][1][1]
        assert stored == LabRun(**{**first.__dict__, "series": stored.series})
        assert [r.id for r in lab_store.list_runs(store, "spiral")] == [second.id, first.id]
        assert lab_store.list_runs(store, "other") == []
        assert second.passed is None and lab_store.get_run(store, second.id).passed is None
        with pytest.raises(LabRunNotFoundError, match="no lab run 99"):
            lab_store.get_run(store, 99)


def test_finding_a_run_s_feedback_uses_its_index(tmp_path):
    with Store.open(tmp_path / "s.db") as store:
        plan = store.query(
            "EXPLAIN QUERY PLAN SELECT id FROM reviews WHERE source = 'lab' "
            "AND json_extract(detail, '$.run') = ?", (1,))
        assert "reviews_lab_run" in " ".join(str(row) for row in plan)


def test_runs_stored_before_exercise_labs_read_back_as_full_or_quick_runs_of_the_lab(tmp_path):
    path = tmp_path / "v4.db"
    conn = sqlite3.connect(path, isolation_level=None)
    migrate(conn, MIGRATIONS[:4])
    for quick in (0, 1):
        conn.execute(
            "INSERT INTO lab_runs (lab_id, started_at, day, duration_s, status, quick, params, "
            "metrics, series, targets, fingerprint, log) VALUES ('spiral', "
            "'2026-11-20T10:00:00.000+00:00', '2026-11-20', 1.0, 'completed', ?, '{}', '{}', "
            "'{}', '[]', 'abc', '')", (quick,))
    conn.close()
    with Store.open(path) as store:
        old = lab_store.list_runs(store, "spiral")
        assert [(r.mode, r.learner, r.graded, r.holes, r.predictions) for r in old] == [
            ("quick", False, False, [], []), ("full", False, False, [], [])]
        with store.transaction() as conn:  # idempotent
            MIGRATIONS[4](sqlite_utils.Database(conn))


def test_hints_are_counted_per_hole_since_a_moment(tmp_path):
    with Store.open(tmp_path / "s.db") as store:
        day = date(2026, 11, 21)
        lab_store.reveal_hint(store, "spiral", "double", 1, NOW, day)
        lab_store.reveal_hint(store, "spiral", "double", 2, NOW.replace(hour=11), day)
        lab_store.reveal_hint(store, "spiral", "shift", 1, NOW.replace(hour=12), day)
        lab_store.reveal_hint(store, "other", "double", 3, NOW, day)
        assert lab_store.hints_revealed(store, "spiral") == {"double": 2, "shift": 1}
        assert lab_store.hints_revealed(store, "spiral", NOW.replace(hour=11)) == {"double": 2, "shift": 1}
        assert lab_store.hints_revealed(store, "spiral", NOW.replace(hour=12)) == {"shift": 1}
