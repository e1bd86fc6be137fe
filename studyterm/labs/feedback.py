"""Writing a run's feedback onto its lab's cards, and describing such an event in one line."""

from __future__ import annotations

import math
from datetime import date, datetime

from studyterm.labs.targets import SYMBOLS, format_value
from studyterm.schedule.lab_feedback import (
    LAB_KIND,
    HoleOutcome,
    apply_lab_grade,
    hole_grade,
    is_passing,
    prediction_grade,
)
from studyterm.store import CardNotFoundError, CardRecord, ReviewEntry, Store
from studyterm.store import labs as lab_store
from studyterm.store.labs import LabRun
from studyterm.store.records import NewReview

SOURCE = "lab"


def apply_feedback(store: Store, run: LabRun, now: datetime, day: date) -> list[ReviewEntry]:
    """Log one `source=lab` event on every active card the run has a grade for, each in its own
    transaction (Store.record), and return the events in note order.

    A graded run grades the cards linking the whole lab (`lab: LAB`, the run's grade) and those
    linking one of its holes (`lab: LAB#HOLE`, that hole's grade); an answered prediction grades
    the cards linking it (`lab: LAB#PREDICTION`), graded run or not."""
    if run.id is None:
        return []
    plan = _plan(run)
    entries = []
    for card_id, name in lab_store.card_links(store, run.lab_id):
        if name not in plan:
            continue
        grade, detail = plan[name]

        def decide(card: CardRecord, grade: int = grade, detail: dict = detail) -> NewReview:
            first_today = not lab_store.lab_counted_on(store, card.id, day)
            change = apply_lab_grade(card.schedule, grade, day, first_today)
            return NewReview(
                card_id=card.id, ts=now, day=day, grade=grade, duration_ms=None,
                source=SOURCE, kind=change.kind, before=change.before, after=change.after,
                detail=detail,
            )

        try:
            entries.append(store.record(card_id, decide))
        except CardNotFoundError:
            continue  # the card vanished since the query (a sync running beside us)
    return entries


def _plan(run: LabRun) -> dict[str | None, tuple[int, dict]]:
    """The grade and event detail per link: None for the whole lab, else a hole or prediction."""
    plan: dict[str | None, tuple[int, dict]] = {}
    if run.graded and run.grade is not None:
        plan[None] = (run.grade, feedback_detail(run))
    if run.graded:
        for hole in run.holes:
            grade = hole_grade(HoleOutcome(hole["status"], hole["passed"], hole.get("hints", 0)))
            if grade is not None:
                plan[hole["name"]] = (grade, {"lab": run.lab_id, "run": run.id, "hole": hole})
    for prediction in run.predictions:
        if prediction.get("correct") is not None:
            plan[prediction["id"]] = (prediction_grade(prediction["correct"]),
                                      {"lab": run.lab_id, "run": run.id, "prediction": prediction})
    return plan


def feedback_detail(run: LabRun) -> dict:
    """The `detail` of a whole-lab event: enough to explain it without the lab_runs table (JSON,
    so a non-finite metric value is stored as null)."""
    return {
        "lab": run.lab_id,
        "run": run.id,
        "status": run.status,
        "reason": run.reason,
        "passed": run.passed,
        "targets": [{**check, "value": finite(check["value"])} for check in run.targets],
    }


def finite(value: float | None) -> float | None:
    return value if value is not None and math.isfinite(value) else None


def lab_event_line(item: dict) -> str:
    """One history entry (the `card --json` history shape) of source `lab`, for people:
    `lab ch01_spiral missed accuracy ≥ 0.95 (0.91): EF 2.50 → 2.18, due today`,
    `lab ch01_spiral#affine_backward passed after 1 hint: ...`."""
    detail = item.get("detail") or {}
    lab = detail.get("lab", "?")
    if isinstance(detail.get("hole"), dict):
        hole = detail["hole"]
        return f"lab {lab}#{hole.get('name')} {hole_text(hole)}: {_change_text(item)}"
    if isinstance(detail.get("prediction"), dict):
        prediction = detail["prediction"]
        return f"lab {lab}#{prediction.get('id')} {prediction_text(prediction)}: {_change_text(item)}"
    return f"lab {lab} {verdict_text(detail)}: {_change_text(item)}"


def hole_text(hole: dict) -> str:
    """`passed (2/2 checks)`, `passed after 2 hints`, `failed 1/2 checks: db: ...`."""
    checks = f"{hole.get('passed')}/{hole.get('total')} checks"
    if hole.get("status") == "passed":
        hints = hole.get("hints") or 0
        return f"passed after {hints} hint{'s' if hints != 1 else ''}" if hints else f"passed ({checks})"
    if hole.get("status") == "not_started":
        return "not started"
    where = f"{hole['where']}: " if hole.get("where") else ""
    return f"failed {checks}: {where}{hole.get('message', '')}"


def prediction_text(prediction: dict) -> str:
    """`predicted right: still converge` or `predicted diverge; the run showed still converge`."""
    if prediction.get("correct"):
        return f"predicted right: {prediction.get('actual_answer')}"
    if prediction.get("correct") is None:
        return f"predicted {prediction.get('chosen_answer')}; the run showed no answer"
    return (f"predicted {prediction.get('chosen_answer')}; the run showed "
            f"{prediction.get('actual_answer')}")


def verdict_of(run: LabRun) -> str:
    """What a run achieved, for people: `met all 2 targets`, `missed accuracy ≥ 0.95 (0.91)`,
    `crashed (exited with status 1)`, `cancelled`."""
    return verdict_text({"status": run.status, "reason": run.reason, "targets": run.targets})


def verdict_text(detail: dict) -> str:
    status = detail.get("status")
    if status == "crashed":
        return f"crashed ({detail.get('reason') or 'no reason given'})"
    if status == "timed_out":
        return f"timed out ({detail.get('reason') or 'time limit'})"
    if status != "completed":
        return str(status)
    reason = detail.get("reason")
    if isinstance(reason, str) and reason.startswith("not run"):
        return reason
    targets = detail.get("targets") or []
    missed = [t for t in targets if not t.get("met")]
    if not missed:
        return "met its target" if len(targets) == 1 else f"met all {len(targets)} targets"
    return "missed " + ", ".join(f"{target_text(t)} ({_value_text(t.get('value'))})" for t in missed)


def _value_text(value: float | None) -> str:
    return "no value" if value is None else format_value(value)


def target_text(check: dict) -> str:
    """`accuracy ≥ 0.95` from a stored target check."""
    return f"{check['metric']} {SYMBOLS.get(check['op'], check['op'])} {format_value(check['threshold'])}"


def _change_text(item: dict) -> str:
    if item.get("kind") != LAB_KIND:
        return "no change (a lab run already counted for this card today)"
    change = f"EF {item['ef_before']:.2f} → {item['ef_after']:.2f}"
    due_before, due_after = item.get("due_before"), item.get("due_after")
    if item.get("grade") is not None and not is_passing(item["grade"]):
        if due_after == item.get("day"):
            return f"{change}, due today"
        return f"{change}, already due since {due_after}"
    if due_before is None:
        return f"{change}, still new"
    return f"{change}, due date {due_after} unchanged"
