"""The public JSON shapes of labs and lab runs (documented in docs/cli.md).

JSON has no NaN or infinity, so a non-finite value (a diverged loss) is written as null.
"""

from __future__ import annotations

from studyterm.labs.feedback import finite
from studyterm.labs.spec import LabSpec
from studyterm.shapes import review_dict
from studyterm.store import ReviewEntry
from studyterm.store.labs import LabRun, LabSummary


def lab_dict(spec: LabSpec, summary: LabSummary | None = None, exercise: dict | None = None) -> dict:
    summary = summary or LabSummary()
    last = summary.last_run
    return {
        "id": spec.id,
        "title": spec.title,
        "description": spec.description,
        "entry": spec.entry,
        "time_limit_s": spec.time_limit_s,
        "params": {name: param.as_dict() for name, param in spec.params.items()},
        "metrics": {name: metric.as_dict() for name, metric in spec.metrics.items()},
        "targets": [target.text for target in spec.targets],
        "quick": spec.quick,
        "holes": {name: hole.as_dict() for name, hole in spec.holes.items()},
        "predictions": [prediction.as_dict() for prediction in spec.predictions.values()],
        "exercise": exercise,
        "cards": summary.cards,
        "runs": summary.runs,
        "last_run": None if last is None else {
            "id": last.id, "day": last.day.isoformat(), "status": last.status, "passed": last.passed,
        },
    }


def run_dict(run: LabRun, feedback: list[ReviewEntry] | None = None, *,
             series: bool = False, log: bool = False) -> dict:
    shape = {
        "id": run.id,
        "lab": run.lab_id,
        "card": run.card_id,
        "sweep": run.sweep,
        "started_at": run.started_at.isoformat(timespec="milliseconds"),
        "day": run.day.isoformat(),
        "duration_s": run.duration_s,
        "status": run.status,
        "exit_code": run.exit_code,
        "reason": run.reason,
        "quick": run.quick,
        "mode": run.mode,
        "learner": run.learner,
        "graded": run.graded,
        "params": run.params,
        "metrics": {name: finite(value) for name, value in run.metrics.items()},
        "targets": [{**check, "value": finite(check["value"])} for check in run.targets],
        "passed": run.passed,
        "grade": run.grade,
        "holes": run.holes,
        "predictions": run.predictions,
        "fingerprint": run.fingerprint,
        "traceback": run.traceback,
    }
    if feedback is not None:
        shape["feedback"] = [{"card": entry.card_id, **review_dict(entry)} for entry in feedback]
    if series:
        shape["series"] = {
            name: [[step, finite(value)] for step, value in points]
            for name, points in run.series.items()
        }
    if log:
        shape["log"] = run.log
    return shape
