"""What a finished run achieved: its hole results, its targets, its verdict and grade, as the
row that is stored (whether it is graded or not is decided by the service)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime

from studyterm.labs.events import RunMode, RunResult, RunStatus
from studyterm.labs.exercise_spec import PredictionSpec
from studyterm.labs.spec import LabSpec
from studyterm.labs.targets import TargetCheck, check_targets
from studyterm.schedule.lab_feedback import GRADED_STATUSES, HoleOutcome, lab_grade
from studyterm.store.labs import LabRun


@dataclass(frozen=True)
class RunSetup:
    """How a run was started: everything about it that is not its result."""

    spec: LabSpec
    params: dict
    mode: RunMode
    learner: bool
    fingerprint: str
    started_at: datetime
    day: date
    card_id: str | None = None
    sweep: str | None = None


def hole_outcomes(spec: LabSpec, result: RunResult, hints: dict[str, int]) -> dict[str, HoleOutcome]:
    """Per hole of the lab, what the run showed (`missing` when it never reported it)."""
    reported = {hole.name: hole for hole in result.holes}
    outcomes = {}
    for name in spec.holes:
        hole = reported.get(name)
        status = hole.status if hole is not None else "missing"
        outcomes[name] = HoleOutcome(status, hole.passed if hole else 0, hints.get(name, 0))
    return outcomes


def stored_run(setup: RunSetup, result: RunResult, hints: dict[str, int],
               predicted: Mapping[str, int] | None = None) -> LabRun:
    """The run to store. `hints` (per hole, revealed before the run) are kept with each hole's
    result; `predicted` (prediction id -> the answer chosen) is answered by the metrics when
    the entry ran to completion."""
    spec = setup.spec
    outcomes = hole_outcomes(spec, result, hints)
    failing = [name for name, o in outcomes.items() if o.status != "passed"]
    completed = result.status is RunStatus.COMPLETED
    entry_ran = completed and not failing and setup.mode is not RunMode.CHECK
    reason = result.reason
    if completed and failing and setup.mode is not RunMode.CHECK:
        reason = f"not run: {_holes_text(len(failing))} not passing"
    checks = []
    if setup.mode is not RunMode.CHECK:
        checks = [TargetCheck(c.target, c.value if entry_ran else None, c.met and entry_ran)
                  for c in check_targets(spec.targets, result.metrics)]
    grade = None
    if setup.mode is not RunMode.CHECK:
        grade = lab_grade(result.status.value, list(outcomes.values()),
                          sum(c.met for c in checks), len(checks))
    passed = _passed(setup, result, failing, checks)
    return LabRun(
        lab_id=spec.id, started_at=setup.started_at, day=setup.day,
        duration_s=round(result.duration_s, 3), status=result.status.value, params=setup.params,
        fingerprint=setup.fingerprint, exit_code=result.exit_code, reason=reason,
        card_id=setup.card_id, sweep=setup.sweep, quick=setup.mode is RunMode.QUICK,
        metrics=result.metrics, series=result.series, targets=[c.as_dict() for c in checks],
        passed=passed, grade=grade, traceback=result.traceback, log=result.log,
        mode=setup.mode.value, learner=setup.learner,
        holes=[{**h.as_dict(), "hints": hints.get(h.name, 0)} if setup.learner else h.as_dict()
               for h in result.holes],
        predictions=[_answered(spec.predictions[pid], chosen, result.metrics if entry_ran else None)
                     for pid, chosen in (predicted or {}).items()],
    )


def _answered(prediction: PredictionSpec, chosen: int, metrics: Mapping[str, float] | None) -> dict:
    """What the learner said and what the run showed (None: it showed nothing: no metrics)."""
    actual = None if metrics is None else prediction.answer(metrics)
    answers = [outcome.answer for outcome in prediction.outcomes]
    return {
        "id": prediction.id, "question": prediction.question,
        "chosen": chosen, "chosen_answer": answers[chosen],
        "actual": actual, "actual_answer": None if actual is None else answers[actual],
        "correct": None if actual is None else actual == chosen,
    }


def _passed(setup: RunSetup, result: RunResult, failing: list[str],
            checks: list[TargetCheck]) -> bool | None:
    """The run's verdict: every hole passed and (unless only the checks ran) it completed with
    every target met. None: no verdict (cancelled, unavailable, nothing to check)."""
    if result.status.value not in GRADED_STATUSES:
        return None
    if setup.mode is RunMode.CHECK:
        return not failing if setup.spec.holes else None
    if not setup.spec.holes and not checks:
        return None
    return result.status is RunStatus.COMPLETED and not failing and all(c.met for c in checks)


def _holes_text(count: int) -> str:
    return f"{count} hole{'s' if count != 1 else ''}"
