"""Writing a run's feedback onto its lab's cards, and describing such an event in one line."""

from __future__ import annotations

import math
from datetime import date, datetime

from studyterm.labs.targets import SYMBOLS, format_value
from studyterm.schedule.lab_feedback import LAB_KIND, apply_lab_grade, is_passing
from studyterm.store import CardNotFoundError, CardRecord, ReviewEntry, Store
from studyterm.store import labs as lab_store
from studyterm.store.labs import LabRun
from studyterm.store.records import NewReview

SOURCE = "lab"


def apply_feedback(store: Store, run: LabRun, now: datetime, day: date) -> list[ReviewEntry]:
    """Log one `source=lab` event on every active card linked to the run's lab, each in its own
    transaction (Store.record), and return the events in note order."""
    if run.grade is None or run.id is None:
        return []
    entries = []
    for card_id in lab_store.linked_card_ids(store, run.lab_id):

        def decide(card: CardRecord) -> NewReview:
            first_today = not lab_store.lab_counted_on(store, card.id, day)
            change = apply_lab_grade(card.schedule, run.grade, day, first_today)
            return NewReview(
                card_id=card.id, ts=now, day=day, grade=run.grade, duration_ms=None,
                source=SOURCE, kind=change.kind, before=change.before, after=change.after,
                detail=feedback_detail(run),
            )

        try:
            entries.append(store.record(card_id, decide))
        except CardNotFoundError:
            continue  # the card vanished since the query (a sync running beside us)
    return entries


def feedback_detail(run: LabRun) -> dict:
    """The `detail` of a lab event: enough to explain it without the lab_runs table (JSON, so
    a non-finite metric value is stored as null)."""
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
    `lab ch01_spiral missed accuracy ≥ 0.95 (0.91): EF 2.50 → 2.18, due today`."""
    detail = item.get("detail") or {}
    return f"lab {detail.get('lab', '?')} {verdict_text(detail)}: {_change_text(item)}"


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
