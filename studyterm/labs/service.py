"""The labs API that the CLI and the TUI share: find labs, run them, keep results, feed back.

`Labs.run` may be called from a worker thread (the store serialises access); events reach
`on_event` on that same thread, and setting `cancel` from any thread stops the run.
"""

from __future__ import annotations

import itertools
import math
import secrets
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from studyterm.collection import Collection
from studyterm.labs.events import EventCallback, LabRunner, RunRequest, RunResult, RunStatus
from studyterm.labs.feedback import apply_feedback
from studyterm.labs.runner import SubprocessRunner
from studyterm.labs.spec import (
    SPEC_FILE,
    Catalog,
    LabError,
    LabNotFoundError,
    LabParamError,
    LabSpec,
    discover,
    fingerprint,
    load_spec,
)
from studyterm.labs.targets import TargetCheck, check_targets
from studyterm.notes.frontmatter import LAB_ID
from studyterm.schedule.lab_feedback import is_passing, lab_grade
from studyterm.store import CardRecord, ReviewEntry, Store
from studyterm.store import labs as lab_store
from studyterm.store.labs import LabRun, LabSummary

MAX_SWEEP_RUNS = 100

RunStartCallback = Callable[[int, int, dict], None]
"""Called before each run of a sweep with (index, number of runs, parameters)."""


@dataclass(frozen=True)
class RunReport:
    run: LabRun
    """The stored run: status, metrics, target checks, grade."""
    feedback: list[ReviewEntry]
    """The events written on the lab's cards (empty: no feedback)."""


class Labs:
    def __init__(self, collection: Collection, runner: LabRunner | None = None) -> None:
        self.collection = collection
        self.runner: LabRunner = runner or SubprocessRunner()

    @property
    def store(self) -> Store:
        return self.collection.store

    # -- what there is -----------------------------------------------------------------------

    def catalog(self) -> Catalog:
        layout = self.collection.layout
        return discover(layout.labs, layout.root)

    def spec(self, lab_id: str) -> LabSpec:
        layout = self.collection.layout
        folder = layout.labs / lab_id
        if LAB_ID.fullmatch(lab_id) and (folder / SPEC_FILE).is_file():
            return load_spec(folder, layout.root)
        known = ", ".join(self.catalog().labs) or "none yet"
        raise LabNotFoundError(f"no lab {lab_id!r} in {layout.labs} (labs: {known})")

    def summaries(self) -> dict[str, LabSummary]:
        return lab_store.summaries(self.store)

    def linked_cards(self, lab_id: str) -> list[CardRecord]:
        return self.collection.cards(lab_store.linked_card_ids(self.store, lab_id))

    def runs(self, lab_id: str | None = None, limit: int | None = None) -> list[LabRun]:
        """Stored runs, newest first, without their series and log (see `get_run`)."""
        return lab_store.list_runs(self.store, lab_id, limit)

    def get_run(self, run_id: int) -> LabRun:
        return lab_store.get_run(self.store, run_id)

    def feedback(self, run_id: int) -> list[ReviewEntry]:
        return lab_store.run_feedback(self.store, run_id)

    # -- running -----------------------------------------------------------------------------

    def run(
        self,
        lab_id: str,
        params: Mapping[str, object] | None = None,
        *,
        card_id: str | None = None,
        quick: bool = False,
        feedback: bool = True,
        time_limit_s: float | None = None,
        sweep: str | None = None,
        on_event: EventCallback | None = None,
        cancel: threading.Event | None = None,
    ) -> RunReport:
        """Run a lab, store the run, and (unless `quick` or not `feedback`) apply the
        feedback rule to every card linked to the lab. Parameters may be typed values or text.

        Raises LabError for a bad lab, parameter or card before anything runs; whatever the
        lab itself does (crash, hang, garbage output) ends as a stored run, never an exception."""
        spec = self.spec(lab_id)
        values = spec.resolve(params, quick=quick)
        launcher = self._launching_card(card_id, spec.id) if card_id else None
        started_at, day = self.collection.now(), self.collection.today()
        code = fingerprint(spec.dir)
        request = RunRequest(
            lab_id=spec.id, script=spec.script, lab_dir=spec.dir, params=values,
            time_limit_s=time_limit_s or spec.time_limit_s, quick=quick,
        )
        result = self.runner.run(request, on_event, cancel)
        run = lab_store.insert_run(self.store, _stored_run(
            spec, result, values, code, started_at, day, launcher, sweep, quick,
        ))
        events = []
        if feedback and not quick:
            events = apply_feedback(self.store, run, self.collection.now(), self.collection.today())
        return RunReport(run, events)

    def sweep_points(self, lab_id: str, grid: Mapping[str, Sequence[object]],
                     quick: bool = False) -> list[dict]:
        """The parameter sets of a sweep: every combination of the values in `grid`, in order,
        each checked (so a typo fails before the first run)."""
        spec = self.spec(lab_id)
        names = list(grid)
        if any(not grid[name] for name in names):
            raise LabParamError("every swept parameter needs at least one value")
        count = math.prod(len(grid[name]) for name in names)
        if count > MAX_SWEEP_RUNS:
            raise LabParamError(f"that sweep has {count} runs; at most {MAX_SWEEP_RUNS} are allowed")
        combos = itertools.product(*(grid[name] for name in names))
        return [spec.resolve(dict(zip(names, combo, strict=True)), quick=quick) for combo in combos]

    def sweep(
        self,
        lab_id: str,
        grid: Mapping[str, Sequence[object]],
        *,
        quick: bool = False,
        time_limit_s: float | None = None,
        on_run: RunStartCallback | None = None,
        on_event: EventCallback | None = None,
        cancel: threading.Event | None = None,
    ) -> list[RunReport]:
        """Run every combination in `grid`, one after another, as runs sharing a sweep token.

        Sweeps give no feedback: their grids hold settings chosen to fail (lr=10 is there to
        show divergence), and grading a card on them would punish the learner for the study
        plan's own question. A cancel stops the current run and the sweep."""
        points = self.sweep_points(lab_id, grid, quick)
        token = secrets.token_hex(4)
        reports: list[RunReport] = []
        for index, values in enumerate(points):
            if cancel is not None and cancel.is_set():
                break
            if on_run is not None:
                on_run(index, len(points), values)
            report = self.run(lab_id, values, quick=quick, feedback=False, sweep=token,
                              time_limit_s=time_limit_s, on_event=on_event, cancel=cancel)
            reports.append(report)
            if report.run.status == RunStatus.CANCELLED:
                break
        return reports

    def _launching_card(self, card_id: str, lab_id: str) -> str:
        card = self.collection.card(card_id)
        if card.lab != lab_id:
            links = f"links lab {card.lab!r}" if card.lab else "links no lab"
            raise LabError(f"card {card.id} {links}, not {lab_id!r}")
        return card.id


def _stored_run(spec: LabSpec, result: RunResult, params: dict, code: str, started_at: datetime,
                day: date, card_id: str | None, sweep: str | None, quick: bool) -> LabRun:
    completed = result.status is RunStatus.COMPLETED
    checks = [
        TargetCheck(check.target, check.value, check.met and completed)
        for check in check_targets(spec.targets, result.metrics)
    ]
    grade = lab_grade(result.status.value, sum(c.met for c in checks), len(checks))
    return LabRun(
        lab_id=spec.id, started_at=started_at, day=day, duration_s=round(result.duration_s, 3),
        status=result.status.value, params=params, fingerprint=code, exit_code=result.exit_code,
        reason=result.reason, card_id=card_id, sweep=sweep, quick=quick,
        metrics=result.metrics, series=result.series, targets=[c.as_dict() for c in checks],
        passed=None if grade is None else is_passing(grade), grade=grade,
        traceback=result.traceback, log=result.log,
    )
