"""The collection's scheduler: SM-2 (the default) or FSRS, as `[review] scheduler` says.

Ties the pure schedulers (schedule/sm2.py, schedule/fsrs.py) to the store. SM-2's own state is
kept on every answer whichever scheduler is on; FSRS's memory is never stored but replayed from
the review log. The cards' `due` column is the chosen scheduler's, and a setting in the database
names the scheduler (and FSRS settings) it came from: when the chosen one differs, opening the
collection rewrites every due date in one transaction. The FSRS library loads only when FSRS is
asked for, so an SM-2 collection starts as fast as before.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

from studyterm.config import Config
from studyterm.schedule import review as sm2_review
from studyterm.schedule.log import LogEvent, effective
from studyterm.schedule.review import CardSchedule, Outcome
from studyterm.store import CardRecord, Store
from studyterm.store import scheduling as settings_store

if TYPE_CHECKING:
    from studyterm.schedule.fsrs import FsrsSettings, Replayed


class FsrsParametersError(RuntimeError):
    """The parameters stored in the collection cannot be used (a one-line message)."""


@dataclass(frozen=True)
class Recall:
    """How well a card is remembered today, by each scheduler's reading."""

    scheduler: str
    fsrs_recall: float | None
    """FSRS's predicted probability of recall today (retrievability); None for a new card."""
    fsrs_stability: float | None
    """Days until FSRS's predicted recall falls to 90%."""
    fsrs_difficulty: float | None
    """1 (easiest) to 10 (hardest)."""
    fsrs_due: date | None
    sm2_recall: float | None
    """SM-2 predicts no recall; srs-benchmark reads its interval as the time at which recall falls
    to 90%, so recall today is 0.9 ** (days since the last SM-2 review / interval)."""
    sm2_interval: int
    sm2_ef: float
    sm2_due: date | None

    def to_dict(self) -> dict:
        return {
            "scheduler": self.scheduler,
            "fsrs": {
                "recall": _rounded(self.fsrs_recall), "stability": _rounded(self.fsrs_stability),
                "difficulty": _rounded(self.fsrs_difficulty),
                "due": self.fsrs_due.isoformat() if self.fsrs_due else None,
            },
            "sm2": {
                "recall": _rounded(self.sm2_recall), "interval_days": self.sm2_interval,
                "ef": self.sm2_ef, "due": self.sm2_due.isoformat() if self.sm2_due else None,
            },
        }


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


class Scheduling:
    def __init__(self, store: Store, config: Config) -> None:
        self.store = store
        self.config = config
        self._fsrs: FsrsSettings | None = None

    @property
    def name(self) -> str:
        return self.config.scheduler

    @property
    def uses_fsrs(self) -> bool:
        return self.config.scheduler == "fsrs"

    # -- settings ----------------------------------------------------------------------------

    def stored_parameters(self) -> tuple[float, ...] | None:
        """The fitted parameters kept in the collection, or None (py-fsrs's defaults apply)."""
        text = settings_store.get_setting(self.store, settings_store.FSRS_PARAMETERS)
        if text is None:
            return None
        try:
            values = json.loads(text)
            return tuple(float(v) for v in values)
        except (ValueError, TypeError):
            raise FsrsParametersError(
                "the FSRS parameters stored in this collection are unreadable; "
                "run `studyterm fsrs reset`"
            ) from None

    def has_fitted_parameters(self) -> bool:
        """Whether parameters are stored (readable or not)."""
        return settings_store.get_setting(self.store, settings_store.FSRS_PARAMETERS) is not None

    def fsrs_settings(self) -> FsrsSettings:
        if self._fsrs is None:
            from studyterm.schedule.fsrs import FsrsSettings

            parameters = self.stored_parameters()
            base = FsrsSettings(desired_retention=self.config.desired_retention)
            self._fsrs = base if parameters is None else _checked(
                FsrsSettings(parameters, self.config.desired_retention))
        return self._fsrs

    def dues_key(self) -> str:
        """What the stored due dates must have been computed by, as one string."""
        if not self.uses_fsrs:
            return settings_store.SM2_KEY
        settings = self.fsrs_settings()
        digest = hashlib.sha256(
            json.dumps([list(settings.parameters), settings.desired_retention]).encode()
        ).hexdigest()[:16]
        return f"fsrs:{digest}"

    def align_dues(self) -> bool:
        """Rewrite every card's due date if they came from another scheduler (or other FSRS
        settings); True when it did."""
        wanted = self.dues_key()
        stored = settings_store.get_setting(self.store, settings_store.DUES_BY) or settings_store.SM2_KEY
        if stored == wanted:
            return False
        self.rewrite_dues()
        return True

    def rewrite_dues(self) -> int:
        """Every card's due date from the chosen scheduler: SM-2's own, or FSRS's by replay.
        Returns how many cards FSRS dated."""
        rule = None
        if self.uses_fsrs:
            from studyterm.schedule.fsrs import replay

            settings = self.fsrs_settings()

            def rule(events: list[LogEvent]) -> date | None:
                replayed = replay(effective(events), settings)
                return replayed.due if replayed.reviews else None

        return settings_store.realign_dues(self.store, self.dues_key(), rule)

    def redate(self, card_ids: Iterable[str]) -> None:
        """Re-date cards whose log was written from elsewhere (an Anki import brings SM-2 dates
        and a log): under FSRS they take FSRS's dates from that log."""
        if not self.uses_fsrs:
            return
        dues = {}
        for card_id in card_ids:
            replayed = self.replayed(card_id)
            if replayed.reviews:
                dues[card_id] = replayed.due
        settings_store.set_dues(self.store, dues)

    def set_parameters(self, parameters: tuple[float, ...] | None, fit: dict | None) -> None:
        """Keep fitted parameters (None: back to the defaults) and re-date the cards if FSRS is on."""
        if parameters is not None:
            from studyterm.schedule.fsrs import FsrsSettings

            _checked(FsrsSettings(tuple(parameters), self.config.desired_retention))
        settings_store.store_parameters(
            self.store,
            None if parameters is None else json.dumps(list(parameters)),
            None if fit is None else json.dumps(fit),
        )
        self._fsrs = None
        self.align_dues()

    def last_fit(self) -> dict | None:
        text = settings_store.get_setting(self.store, settings_store.FSRS_FIT)
        return json.loads(text) if text else None

    # -- one card ----------------------------------------------------------------------------

    def events(self, card_id: str, leave_out: int | None = None) -> list[LogEvent]:
        """The card's log entries that still count (and without `leave_out`, about to be undone)."""
        return [e for e in effective(settings_store.card_events(self.store, card_id)) if e.id != leave_out]

    def replayed(self, card_id: str, leave_out: int | None = None) -> Replayed:
        from studyterm.schedule.fsrs import replay

        return replay(self.events(card_id, leave_out), self.fsrs_settings())

    def answer(self, card: CardRecord, grade: int, now: datetime, day: date) -> Outcome:
        if not self.uses_fsrs:
            return sm2_review.answer(card.schedule, grade, now, day)
        from studyterm.schedule import fsrs

        memory = self.replayed(card.id).memory
        return fsrs.answer(card.schedule, memory, grade, now, day, self.fsrs_settings())[0]

    def preview(self, card: CardRecord, now: datetime, day: date) -> dict[int, Outcome]:
        if not self.uses_fsrs:
            return sm2_review.preview(card.schedule, now, day)
        from studyterm.schedule import fsrs

        memory = self.replayed(card.id).memory
        return fsrs.preview(card.schedule, memory, now, day, self.fsrs_settings())

    def restored(self, card_id: str, schedule: CardSchedule, undone: int) -> CardSchedule:
        """The schedule an undo restores, dated by the scheduler now on (the snapshot's due date
        may be another scheduler's, if the learner switched since)."""
        from dataclasses import replace

        if not self.uses_fsrs:
            return replace(schedule, due=schedule.sm2_due)
        replayed = self.replayed(card_id, leave_out=undone)
        return replace(schedule, due=replayed.due if replayed.reviews else schedule.sm2_due)

    def recall(self, card: CardRecord, day: date) -> Recall:
        from studyterm.schedule.evaluate import last_sm2_day, sm2_recall
        from studyterm.schedule.fsrs import retrievability

        events = self.events(card.id)
        replayed = self.replayed(card.id)
        memory = replayed.memory
        sm2 = card.schedule.sm2
        last = last_sm2_day(events)
        return Recall(
            scheduler=self.name,
            fsrs_recall=retrievability(memory, day, self.fsrs_settings()),
            fsrs_stability=memory.stability if memory else None,
            fsrs_difficulty=memory.difficulty if memory else None,
            fsrs_due=replayed.due if replayed.reviews else None,
            sm2_recall=None if last is None or not sm2.interval_days else sm2_recall(
                (day - last).days, sm2.interval_days),
            sm2_interval=sm2.interval_days,
            sm2_ef=sm2.ef,
            sm2_due=card.schedule.sm2_due,
        )


def _checked(settings: FsrsSettings) -> FsrsSettings:
    """Refuse parameters py-fsrs would refuse, in one line."""
    from studyterm.schedule.fsrs import scheduler

    try:
        scheduler(settings)
    except ValueError:
        raise FsrsParametersError(
            "the FSRS parameters stored in this collection are out of py-fsrs's bounds; "
            "run `studyterm fsrs reset`"
        ) from None
    return settings
