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
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

from studyterm.collection import Collection
from studyterm.labs.events import EventCallback, LabRunner, RunMode, RunRequest, RunStatus
from studyterm.labs.exercise_spec import PredictionSpec
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
from studyterm.labs.verdict import RunSetup, stored_run
from studyterm.labs.workspace import HoleChange, HoleDiff, Workspace, hole_diff
from studyterm.notes.frontmatter import LAB_ID, split_lab_link
from studyterm.store import CardRecord, ReviewEntry, Store, StoreError
from studyterm.store import labs as lab_store
from studyterm.store.labs import LabRun, LabSummary

MAX_SWEEP_RUNS = 100

RunStartCallback = Callable[[int, int, dict], None]
"""Called before each run of a sweep with (index, number of runs, parameters)."""


@dataclass(frozen=True)
class ExerciseState:
    """Where the learner stands on an exercise lab."""

    started: bool
    workspace: Path
    holes: dict[str, str]
    """Per hole: `not_started`, `failing` or `passing` (its newest checked result)."""
    changed: list[HoleChange]
    """Holes the lab changed since the workspace was started."""

    @property
    def passing(self) -> int:
        return sum(state == "passing" for state in self.holes.values())

    def as_dict(self) -> dict:
        return {"started": self.started, "workspace": str(self.workspace), "holes": self.holes,
                "changed": [{"hole": c.name, "change": c.change} for c in self.changed]}


HOLE_STATES = {"passed": "passing", "failed": "failing", "not_started": "not_started"}


@dataclass(frozen=True)
class UndoReport:
    undone: list[ReviewEntry]
    """The undo entries written, one per card event undone."""
    kept: list[tuple[ReviewEntry, str]]
    """Events that could not be undone, with why."""


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
        """The active cards linking the lab, one of its holes or one of its predictions."""
        return self.collection.cards([card_id for card_id, _ in lab_store.card_links(self.store, lab_id)])

    def card_links(self, lab_id: str) -> dict[str | None, list[str]]:
        """The active cards linking the lab, by what they link: None (the whole lab), or the
        name of a hole or prediction."""
        links: dict[str | None, list[str]] = {}
        for card_id, name in lab_store.card_links(self.store, lab_id):
            links.setdefault(name, []).append(card_id)
        return links

    def runs(self, lab_id: str | None = None, limit: int | None = None) -> list[LabRun]:
        """Stored runs, newest first, without their series and log (see `get_run`)."""
        return lab_store.list_runs(self.store, lab_id, limit)

    def get_run(self, run_id: int) -> LabRun:
        return lab_store.get_run(self.store, run_id)

    def feedback(self, run_id: int) -> list[ReviewEntry]:
        return lab_store.run_feedback(self.store, run_id)

    # -- running -----------------------------------------------------------------------------

    def workspace(self, lab_id: str) -> Workspace:
        """The learner's copy of an exercise lab (it may not exist yet: see `start`)."""
        spec = self.spec(lab_id)
        return Workspace(self.collection.layout.workspace / spec.id, spec)

    def start(self, lab_id: str) -> tuple[Workspace, list[str]]:
        """Write the exercise into the learner's workspace (never over an existing one)."""
        spec = self.spec(lab_id)
        if not spec.is_exercise:
            raise LabError(f"lab {spec.id} has no holes to write: it is a demo lab; run it with "
                           f"`studyterm lab run {spec.id}`")
        workspace = self.workspace(spec.id)
        return workspace, workspace.start(self.collection.now())

    def run(
        self,
        lab_id: str,
        params: Mapping[str, object] | None = None,
        *,
        reference: bool = False,
        card_id: str | None = None,
        quick: bool = False,
        feedback: bool = True,
        time_limit_s: float | None = None,
        sweep: str | None = None,
        on_event: EventCallback | None = None,
        cancel: threading.Event | None = None,
        mode: RunMode | None = None,
        predicted: Mapping[str, int] | None = None,
    ) -> RunReport:
        """Run a lab, store the run, and apply the feedback rule when the run is graded: an
        exercise lab, the learner's code, the lab's default parameters, full mode, no sweep.
        Everything else is exploration: stored and shown, never changing a card.

        An exercise lab runs the learner's workspace copy (`reference`: the lab folder, its
        solution); a demo lab runs its folder. Raises LabError for a bad lab, parameter, card or
        a workspace not started, before anything runs; whatever the lab itself does (crash,
        hang, garbage output) ends as a stored run, never an exception.

        `predicted` holds the learner's answer (an outcome index) to predictions this run asks
        (`predictions_for`); the run's metrics answer them, and the cards linking a prediction
        get its grade whether or not the run is graded."""
        spec = self.spec(lab_id)
        mode = mode or (RunMode.QUICK if quick else RunMode.FULL)
        values = spec.resolve(params, quick=mode is RunMode.QUICK)
        _check_predicted(spec, values, predicted or {})
        launcher = self._launching_card(card_id, spec.id) if card_id else None
        learner = spec.is_exercise and not reference
        code_dir = self._code_dir(spec, learner)
        setup = RunSetup(spec, values, mode, learner, fingerprint(code_dir), self.collection.now(),
                         self.collection.today(), launcher, sweep)
        request = RunRequest(
            lab_id=spec.id, script=code_dir / spec.entry, lab_dir=spec.dir, params=values,
            time_limit_s=time_limit_s or spec.time_limit_s, quick=mode is RunMode.QUICK,
            code_dir=code_dir, checks=spec.checks, holes=tuple(spec.holes), mode=mode,
        )
        result = self.runner.run(request, on_event, cancel)
        graded = (feedback and learner and mode is RunMode.FULL and sweep is None
                  and values == spec.defaults())
        hints = self.hints_revealed(spec.id) if learner else {}
        run = replace(stored_run(setup, result, hints, predicted), graded=graded)
        run = lab_store.insert_run(self.store, run)
        events = []
        if feedback:
            events = apply_feedback(self.store, run, self.collection.now(), self.collection.today())
        return RunReport(run, events)

    def predictions_for(self, lab_id: str, params: Mapping[str, object] | None = None,
                        quick: bool = False) -> list[PredictionSpec]:
        """The predictions a run with these parameters asks (before it runs)."""
        spec = self.spec(lab_id)
        values = spec.resolve(params, quick=quick)
        return [p for p in spec.predictions.values() if p.asked_for(values, spec.defaults())]

    def undo_run(self, run_id: int) -> UndoReport:
        """Undo every feedback event of run `run_id` still in effect, newest first. An event
        that is no longer its card's latest review (the card was answered since) is kept and
        reported: undo that answer first."""
        lab_store.get_run(self.store, run_id)
        undone, kept = [], []
        for entry in reversed(lab_store.run_feedback(self.store, run_id, effective=True)):
            try:
                undone.append(self.collection.undo(entry.id).entry)
            except StoreError as error:
                kept.append((entry, str(error)))
        return UndoReport(undone, kept)

    def check(self, lab_id: str, *, reference: bool = False, on_event: EventCallback | None = None,
              cancel: threading.Event | None = None) -> RunReport:
        """Run only the checks of the lab's holes (`lab check`): stored, never graded."""
        spec = self.spec(lab_id)
        if not spec.is_exercise:
            raise LabError(f"lab {spec.id} is a demo lab: it has no holes to check")
        return self.run(lab_id, reference=reference, feedback=False, on_event=on_event,
                        cancel=cancel, mode=RunMode.CHECK)

    def hint(self, lab_id: str, hole: str) -> tuple[int, tuple[str, ...]]:
        """Reveal the next hint of `hole` (remembered: revealed hints lower a passed hole's
        grade). Returns how many are now revealed and the hole's hints."""
        spec = self.spec(lab_id)
        found = spec.holes.get(hole)
        if found is None:
            holes = ", ".join(spec.holes) or "none"
            raise LabError(f"lab {spec.id} has no hole {hole!r} (its holes: {holes})")
        shown = self.hints_revealed(spec.id).get(hole, 0)
        if shown < len(found.hints):
            shown += 1
            lab_store.reveal_hint(self.store, spec.id, hole, shown, self.collection.now(),
                                  self.collection.today())
        return shown, found.hints

    def hints_revealed(self, lab_id: str) -> dict[str, int]:
        """Per hole, the hints revealed since the learner started the workspace."""
        return lab_store.hints_revealed(self.store, lab_id, self._started_at(lab_id))

    def hole_results(self, lab_id: str) -> dict[str, dict]:
        """Per hole, its newest result from a run of the learner's code since the workspace was
        started (a HoleChecked.as_dict()); holes never checked are missing."""
        return lab_store.latest_hole_results(self.store, lab_id, self._started_at(lab_id))

    def diff(self, lab_id: str, hole: str) -> HoleDiff:
        """The learner's code of a hole beside the lab's reference, and the hole's task."""
        spec = self.spec(lab_id)
        if hole not in spec.holes:
            raise LabError(f"lab {spec.id} has no hole {hole!r} (its holes: {', '.join(spec.holes) or 'none'})")
        workspace = self.workspace(spec.id)
        if not workspace.exists:
            raise LabError(f"you have not started lab {spec.id}: `studyterm lab start {spec.id}`")
        return hole_diff(workspace, hole)

    def exercise_state(self, lab_id: str) -> ExerciseState:
        workspace = self.workspace(lab_id)
        results = self.hole_results(lab_id) if workspace.exists else {}
        holes = {
            name: HOLE_STATES.get(results.get(name, {}).get("status"), "not_started")
            for name in workspace.spec.holes
        }
        changed = workspace.changed_holes() if workspace.exists else []
        return ExerciseState(workspace.exists, workspace.path, holes, changed)

    def _started_at(self, lab_id: str) -> datetime | None:
        started = self.workspace(lab_id).base().get("started_at")
        try:
            return datetime.fromisoformat(started) if isinstance(started, str) else None
        except ValueError:
            return None

    def _code_dir(self, spec: LabSpec, learner: bool) -> Path:
        if not learner:
            return spec.dir
        workspace = self.workspace(spec.id)
        if not workspace.exists:
            raise LabError(f"you have not started lab {spec.id}: `studyterm lab start {spec.id}` "
                           f"writes your copy to {workspace.path} (`--reference` runs the solution)")
        return workspace.path

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
        reference: bool = False,
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
            report = self.run(lab_id, values, reference=reference, quick=quick, feedback=False, sweep=token,
                              time_limit_s=time_limit_s, on_event=on_event, cancel=cancel)
            reports.append(report)
            if report.run.status == RunStatus.CANCELLED:
                break
        return reports

    def _launching_card(self, card_id: str, lab_id: str) -> str:
        card = self.collection.card(card_id)
        if card.lab is None or split_lab_link(card.lab)[0] != lab_id:
            links = f"links lab {card.lab!r}" if card.lab else "links no lab"
            raise LabError(f"card {card.id} {links}, not {lab_id!r}")
        return card.id


def _check_predicted(spec: LabSpec, values: dict, predicted: Mapping[str, int]) -> None:
    asked = {p.id: p for p in spec.predictions.values() if p.asked_for(values, spec.defaults())}
    for prediction_id, chosen in predicted.items():
        prediction = asked.get(prediction_id)
        if prediction is None:
            why = "is not a prediction of the lab" if prediction_id not in spec.predictions else \
                "is not asked by these parameters"
            raise LabError(f"prediction {prediction_id!r} {why} (asked: {', '.join(asked) or 'none'})")
        if isinstance(chosen, bool) or not isinstance(chosen, int) or not 0 <= chosen < len(prediction.outcomes):
            raise LabError(f"prediction {prediction_id}: answer {chosen!r} is not one of "
                           f"1-{len(prediction.outcomes)}")
