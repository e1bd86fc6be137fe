"""Lab runs in the store: the `lab_runs` table, a lab's linked cards, a run's feedback events."""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from datetime import date, datetime

from studyterm.store.records import ReviewEntry
from studyterm.store.rows import REVIEW_COLUMNS, entry_from_row
from studyterm.store.store import Store, StoreError

_RUN_COLUMNS = (
    "id, lab_id, card_id, sweep, started_at, day, duration_s, status, exit_code, reason, quick, "
    "params, metrics, {series}, targets, passed, grade, fingerprint, traceback, {log}, "
    "mode, learner, graded, holes, predictions"
)


class LabRunNotFoundError(StoreError):
    pass


@dataclass(frozen=True)
class LabRun:
    """One run of a lab as stored; JSON-shaped values stay plain dicts and lists."""

    lab_id: str
    started_at: datetime
    day: date
    duration_s: float
    status: str
    params: dict
    fingerprint: str
    exit_code: int | None = None
    reason: str | None = None
    card_id: str | None = None
    """The card the run was launched from, if any."""
    sweep: str | None = None
    """Runs of one `lab sweep` share this token."""
    quick: bool = False
    metrics: dict[str, float] = field(default_factory=dict)
    series: dict[str, list[tuple[int, float]]] = field(default_factory=dict)
    targets: list[dict] = field(default_factory=list)
    """One TargetCheck.as_dict() per target: target, metric, op, threshold, value, met."""
    passed: bool | None = None
    grade: int | None = None
    traceback: str | None = None
    log: str = ""
    mode: str = "full"
    """`full`, `quick` or `check` (the checks only)."""
    learner: bool = False
    """It ran the learner's workspace copy (else the lab folder: a reference or demo run)."""
    graded: bool = False
    """Its feedback changed cards (the learner's code, the lab's defaults, full mode)."""
    holes: list[dict] = field(default_factory=list)
    """One HoleChecked.as_dict() per hole: name, status, passed, total, message, where."""
    predictions: list[dict] = field(default_factory=list)
    """The predictions asked before the run: id, chosen and actual (answer indexes; actual None
    when the run showed nothing, e.g. it crashed), correct (None: not answered)."""
    id: int | None = None


@dataclass(frozen=True)
class LabSummary:
    cards: int = 0
    runs: int = 0
    last_run: LabRun | None = None


def insert_run(store: Store, run: LabRun) -> LabRun:
    with store.transaction() as conn:
        cursor = conn.execute(
            "INSERT INTO lab_runs (lab_id, card_id, sweep, started_at, day, duration_s, status, "
            "exit_code, reason, quick, params, metrics, series, targets, passed, grade, "
            "fingerprint, traceback, log, mode, learner, graded, holes, predictions) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                run.lab_id, run.card_id, run.sweep, run.started_at.isoformat(timespec="milliseconds"),
                run.day.isoformat(), run.duration_s, run.status, run.exit_code, run.reason,
                int(run.quick), json.dumps(run.params), json.dumps(run.metrics),
                json.dumps(run.series), json.dumps(run.targets),
                None if run.passed is None else int(run.passed), run.grade, run.fingerprint,
                run.traceback, run.log, run.mode, int(run.learner), int(run.graded),
                json.dumps(run.holes),
                json.dumps(run.predictions),
            ),
        )
    return replace(run, id=cursor.lastrowid)


def get_run(store: Store, run_id: int) -> LabRun:
    rows = store.query(f"SELECT {_columns(True)} FROM lab_runs WHERE id = ?", (run_id,))
    if not rows:
        raise LabRunNotFoundError(f"no lab run {run_id}")
    return _run_from_row(rows[0])


def list_runs(store: Store, lab_id: str | None = None, limit: int | None = None,
              details: bool = False) -> list[LabRun]:
    """Runs, newest first; without `details` their series and log are left empty."""
    where = "WHERE lab_id = :lab" if lab_id is not None else ""
    rows = store.query(
        f"SELECT {_columns(details)} FROM lab_runs {where} ORDER BY id DESC LIMIT :limit",
        {"lab": lab_id, "limit": -1 if limit is None else limit},
    )
    return [_run_from_row(row) for row in rows]


def summaries(store: Store) -> dict[str, LabSummary]:
    """Per lab id: how many active cards link it, how many runs it has, and its latest run."""
    cards = dict(store.query(
        f"SELECT {_LAB_OF_LINK} AS lab_id, count(*) FROM cards WHERE lab IS NOT NULL "
        "AND retired = 0 AND suspended = 0 GROUP BY lab_id"
    ))
    runs = {lab: (count, last) for lab, count, last in store.query(
        "SELECT lab_id, count(*), max(id) FROM lab_runs GROUP BY lab_id"
    )}
    latest = {}
    if runs:
        ids = [last for _count, last in runs.values()]
        sql = f"SELECT {_columns(False)} FROM lab_runs WHERE id IN ({', '.join('?' * len(ids))})"
        latest = {run.lab_id: run for run in map(_run_from_row, store.query(sql, ids))}
    return {
        lab: LabSummary(cards.get(lab, 0), runs.get(lab, (0, None))[0], latest.get(lab))
        for lab in {*cards, *runs}
    }


_LAB_OF_LINK = "CASE WHEN instr(lab, '#') > 0 THEN substr(lab, 1, instr(lab, '#') - 1) ELSE lab END"
"""The lab id of a card's `lab` link (`ch01_spiral#sgd_update` -> `ch01_spiral`), in SQL."""


def linked_card_ids(store: Store, lab_id: str) -> list[str]:
    """The active (not retired, not suspended) cards that link the whole of `lab_id`, in note
    order."""
    rows = store.query(
        "SELECT id FROM cards WHERE lab = ? AND retired = 0 AND suspended = 0 ORDER BY position",
        (lab_id,),
    )
    return [row[0] for row in rows]


def card_links(store: Store, lab_id: str) -> list[tuple[str, str | None]]:
    """Every active card linking `lab_id` or one of its holes or predictions, in note order, as
    (card id, NAME of `LAB#NAME` or None for the whole lab)."""
    rows = store.query(
        "SELECT id, lab FROM cards WHERE (lab = :lab OR (lab >= :lab || '#' AND lab < :lab || '$')) "
        "AND retired = 0 AND suspended = 0 ORDER BY position",
        {"lab": lab_id},
    )
    return [(card_id, link.partition("#")[2] or None) for card_id, link in rows]


def lab_counted_on(store: Store, card_id: str, day: date) -> bool:
    """Whether a lab run already changed this card on study day `day`."""
    rows = store.query(
        "SELECT 1 FROM reviews WHERE card_id = ? AND source = 'lab' AND kind = 'lab' AND day = ? "
        "AND id NOT IN (SELECT undoes FROM reviews WHERE card_id = ? AND undoes IS NOT NULL) "
        "LIMIT 1",
        (card_id, day.isoformat(), card_id),
    )
    return bool(rows)


def run_feedback(store: Store, run_id: int, effective: bool = False) -> list[ReviewEntry]:
    """The review-log events a run wrote on its lab's cards (`effective`: those not undone)."""
    undone = "AND id NOT IN (SELECT undoes FROM reviews WHERE undoes IS NOT NULL)" if effective else ""
    rows = store.query(
        f"SELECT {REVIEW_COLUMNS} FROM reviews WHERE source = 'lab' "
        f"AND json_extract(detail, '$.run') = ? {undone} ORDER BY id",
        (run_id,),
    )
    return [entry_from_row(row) for row in rows]


def _columns(details: bool) -> str:
    if details:
        return _RUN_COLUMNS.format(series="series", log="log")
    return _RUN_COLUMNS.format(series="'{}'", log="''")


def _run_from_row(row: tuple) -> LabRun:
    (run_id, lab_id, card_id, sweep, started_at, day, duration_s, status, exit_code, reason, quick,
     params, metrics, series, targets, passed, grade, fingerprint, traceback, log, mode, learner,
     graded, holes, predictions) = row
    return LabRun(
        id=run_id, lab_id=lab_id, card_id=card_id, sweep=sweep,
        started_at=datetime.fromisoformat(started_at), day=date.fromisoformat(day),
        duration_s=duration_s, status=status, exit_code=exit_code, reason=reason,
        quick=bool(quick), params=json.loads(params), metrics=json.loads(metrics),
        series={name: [(step, value) for step, value in points]
                for name, points in json.loads(series).items()},
        targets=json.loads(targets), passed=None if passed is None else bool(passed),
        grade=grade, fingerprint=fingerprint, traceback=traceback, log=log,
        mode=mode or ("quick" if quick else "full"), learner=bool(learner), graded=bool(graded),
        holes=json.loads(holes) if holes else [],
        predictions=json.loads(predictions) if predictions else [],
    )


def latest_hole_results(store: Store, lab_id: str, since: datetime | None = None,
                        scan: int = 50) -> dict[str, dict]:
    """Per hole, its newest result from a run of the learner's code (started at or after
    `since`, the workspace's start), looking at the last `scan` such runs."""
    rows = store.query(
        "SELECT holes FROM lab_runs WHERE lab_id = ? AND learner = 1 AND holes IS NOT NULL "
        "AND holes != '[]' AND started_at >= ? ORDER BY id DESC LIMIT ?",
        (lab_id, since.isoformat(timespec="milliseconds") if since else "", scan),
    )
    latest: dict[str, dict] = {}
    for (text,) in rows:
        for result in json.loads(text):
            latest.setdefault(result["name"], result)
    return latest


def reveal_hint(store: Store, lab_id: str, hole: str, level: int, ts: datetime, day: date) -> None:
    with store.transaction() as conn:
        conn.execute(
            "INSERT INTO lab_hints (lab_id, hole, level, ts, day) VALUES (?, ?, ?, ?, ?)",
            (lab_id, hole, level, ts.isoformat(timespec="milliseconds"), day.isoformat()),
        )


def hints_revealed(store: Store, lab_id: str, since: datetime | None = None) -> dict[str, int]:
    """Per hole, how many of its hints the learner has seen (since `since`)."""
    rows = store.query(
        "SELECT hole, max(level) FROM lab_hints WHERE lab_id = ? AND ts >= ? GROUP BY hole",
        (lab_id, since.isoformat(timespec="milliseconds") if since else ""),
    )
    return dict(rows)
