"""SM-2 progress <-> Anki's card columns and review log.

Anki's buttons and SM-2's grades (docs/export.md has the table):

    SM-2 grade  0 1 2 -> Again (1)     Again (1) -> 1
                3     -> Hard (2)      Hard (2)  -> 3
                4     -> Good (3)      Good (3)  -> 4
                5     -> Easy (4)      Easy (4)  -> 5

Ease is EF x 1000 (Anki's `factor`, permille); studyterm keeps EF in hundredths, so
factor = ef_centi * 10 both ways. Review due dates are day numbers counted from the package's
`crt` (see anki_schema.conf_json), learning due dates are Unix seconds.

A package may hold values no calendar can take (Anki itself writes a learning card's due as a
32-bit number, which wraps past 2^31 after 2038; a hostile package writes anything): such a due
date makes the card due today, an interval is kept at most MAX_INTERVAL_DAYS, an answer at an
impossible time is left out, each with a named warning (ProgressContext.warnings). Never a crash.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone, tzinfo
from functools import lru_cache
from typing import TypeVar

from studyterm.clock import DayBoundary
from studyterm.interop.model import AnkiCard, RevlogRow
from studyterm.schedule.review import CardSchedule
from studyterm.schedule.sm2 import MAX_INTERVAL_DAYS, MIN_EF_CENTI, START_EF_CENTI, Sm2State
from studyterm.store.exchange import ImportedProgress, PackageCard, PackageReview
from studyterm.store.records import NewReview, ReviewEntry
from studyterm.store.rows import ef_to_centi

ANKI_BUTTON = {0: 1, 1: 1, 2: 1, 3: 2, 4: 3, 5: 4}
SM2_GRADE = {1: 1, 2: 3, 3: 4, 4: 5}

CARD_NEW, CARD_LEARNING, CARD_REVIEW, CARD_RELEARNING = 0, 1, 2, 3
QUEUE_SUSPENDED, QUEUE_NEW, QUEUE_REVIEW = -1, 0, 2
REVLOG_LEARN, REVLOG_REVIEW, REVLOG_RELEARN = 0, 1, 2
_ANSWER_TYPES = {0, 1, 2, 3}
"""Revlog types that are answers: learn, review, relearn, filtered-deck review (4 and 5 are
manual reschedules and resets)."""
_Entry = TypeVar("_Entry", ReviewEntry, PackageReview)
_TIMESTAMP_DUE = 1_000_000_000
"""Due values above this are Unix seconds (intraday learning), below it day numbers."""


def effective_history(history: list[_Entry]) -> list[_Entry]:
    """The answers that still count: undo entries and the answers they undid are left out."""
    undone = {entry.undoes for entry in history if entry.undoes is not None}
    return [e for e in history if e.kind != "undo" and e.id not in undone and e.grade is not None]


@dataclass(frozen=True)
class DayNumbers:
    """Anki's day numbers for one exported package: day 0 is `first_day`."""

    first_day: date
    rollover_hour: int
    zone: tzinfo

    @classmethod
    def covering(cls, days: list[date], rollover_hour: int, zone: tzinfo) -> DayNumbers:
        """Day 0 falls before every date the package mentions, so no due number is negative."""
        return cls(min(days) - timedelta(days=1), rollover_hour, zone)

    @property
    def crt(self) -> int:
        return int(datetime.combine(self.first_day, time(self.rollover_hour), self.zone).timestamp())

    @property
    def minutes_west(self) -> int:
        moment = datetime.combine(self.first_day, time(self.rollover_hour), self.zone)
        offset = moment.utcoffset() or timedelta(0)
        return -int(offset.total_seconds() // 60)

    def number(self, day: date) -> int:
        return (day - self.first_day).days


def card_columns(card: PackageCard, answers: int, days: DayNumbers | None,
                 new_position: int) -> tuple[int, int, int, int, int, int, int, int]:
    """(type, queue, due, ivl, factor, reps, lapses, flags) for one card with `answers` answers
    that count; without `days` (no --with-scheduling) every card goes out as new. A card never
    answered (no `introduced`) or without a due date is new."""
    if days is None:
        return CARD_NEW, QUEUE_NEW, new_position, 0, 0, 0, 0, 0
    flags = 1 if card.flagged else 0
    if not card.introduced or not card.due:
        queue = QUEUE_SUSPENDED if card.suspended else QUEUE_NEW
        return CARD_NEW, queue, new_position, 0, 0, 0, 0, flags
    queue = QUEUE_SUSPENDED if card.suspended else QUEUE_REVIEW
    return (
        CARD_REVIEW, queue, days.number(stored_date(card.due)), max(1, card.interval_days),
        ef_to_centi(card.ef) * 10, answers, card.lapses, flags,
    )


def revlog_rows(anki_card_id: int, answers: list[PackageReview], taken: set[int]) -> list[tuple]:
    """Revlog rows (id, cid, usn, ease, ivl, lastIvl, factor, time, type) for a card's answers."""
    rows = []
    for entry in answers:
        row_id = int(datetime.fromisoformat(entry.ts).timestamp() * 1000)
        while row_id in taken:
            row_id += 1
        taken.add(row_id)
        if entry.kind == "repeat":
            kind = REVLOG_RELEARN
        elif not entry.due_before and entry.interval_before == 0:
            kind = REVLOG_LEARN
        else:
            kind = REVLOG_REVIEW
        rows.append((
            row_id, anki_card_id, -1, ANKI_BUTTON[entry.grade], entry.interval_after,
            entry.interval_before, round(entry.ef_after * 1000), entry.duration_ms or 0, kind,
        ))
    return rows


@lru_cache(maxsize=4096)
def stored_date(text: str) -> date:
    """Cached: due dates repeat across 100,000 cards."""
    return date.fromisoformat(text)


@dataclass(frozen=True)
class AnkiDays:
    """How a package counts days, read from its `col` row, to turn day numbers into dates."""

    crt: int
    rollover_hour: int | None
    minutes_west: int | None

    def elapsed(self, now: datetime) -> int:
        """Anki's `days_elapsed` at `now` (rslib scheduler/timing.rs, all three variants)."""
        if self.rollover_hour is None:
            return max(0, int(now.timestamp() - self.crt) // 86_400)
        rollover = time(self.rollover_hour % 24)
        if self.minutes_west is None:
            created = datetime.fromtimestamp(self.crt, now.tzinfo)
            start = datetime.combine(created.date(), rollover, now.tzinfo)
            return max(0, int((now - start).total_seconds()) // 86_400)
        created = datetime.fromtimestamp(self.crt, timezone(timedelta(minutes=-self.minutes_west)))
        days = (now.date() - created.date()).days
        if now.time() < rollover:
            days -= 1
        return max(0, days)


_IMPOSSIBLE = (OverflowError, ValueError, OSError)
"""What date arithmetic raises for a value past the calendar's ends."""


@dataclass(frozen=True)
class ProgressContext:
    days: AnkiDays
    boundary: DayBoundary
    now: datetime
    today: date
    source: str
    """The package's file name, kept in each imported review's `detail`."""
    warnings: list[str] = field(default_factory=list)
    """Values that were impossible and what was done instead, one line each."""

    def warn(self, text: str) -> None:
        if text not in self.warnings:
            self.warnings.append(text)

    def day_of(self, number: int) -> date | None:
        """The date of Anki day `number`; None when it is not a plausible date."""
        try:
            elapsed = self.days.elapsed(self.now)
        except _IMPOSSIBLE:
            self.warn(f"{self.source}: the package's creation time ({self.days.crt}) is impossible, "
                      "so its due days cannot be read; those cards are due today")
            return None
        return self._plausible(lambda: self.today + timedelta(days=number - elapsed))

    def due_date(self, due: int, day_number: bool = False) -> date | None:
        """A card's due date; `day_number` when the card type says so (a review card), else
        Anki's own rule: values above 10^9 are Unix seconds. None when not plausible."""
        if due > _TIMESTAMP_DUE and not day_number:
            return self._plausible(lambda: self.boundary.study_day(datetime.fromtimestamp(due, self.now.tzinfo)))
        return self.day_of(due)

    def moment(self, revlog_id: int) -> datetime | None:
        """When an answer was given (revlog ids are milliseconds); None when impossible."""
        try:
            moment = datetime.fromtimestamp(revlog_id / 1000, self.now.tzinfo)
        except _IMPOSSIBLE:
            return None
        return moment if self._plausible(lambda: self.boundary.study_day(moment)) else None

    def _plausible(self, compute) -> date | None:
        try:
            day = compute()
        except _IMPOSSIBLE:
            return None
        return day if abs((day - self.today).days) <= MAX_INTERVAL_DAYS else None


def imported_progress(card_id: str, card: AnkiCard, revlog: list[RevlogRow],
                      context: ProgressContext) -> ImportedProgress:
    """The schedule, flags and review log a studyterm card takes over from an Anki card."""
    answered = _answers_in_time(card, revlog, context)
    reviews = _replay(card_id, answered, context)
    suspended = card.queue == QUEUE_SUSPENDED
    flagged = bool(card.flags & 0b111)
    if card.type == CARD_NEW:
        return ImportedProgress(card_id, CardSchedule(), suspended, flagged, reviews)
    due = context.due_date(card.due, day_number=card.type == CARD_REVIEW)
    if due is None:
        context.warn(f"Anki card {card.id} has an impossible due value {card.due}; it is due today")
        due = context.today
    if card.type == CARD_REVIEW:
        interval = _interval(card, context)
        repetitions = max(_trailing_passes(answered), 2 if interval >= 6 else 1)
    else:
        interval, repetitions = 1, 0
    first_answer = context.boundary.study_day(context.moment(answered[0].id)) if answered else None
    schedule = CardSchedule(
        sm2=Sm2State(_ef_centi(card.factor, START_EF_CENTI), repetitions, interval),
        due=due,
        sm2_due=due,
        lapses=card.lapses,
        introduced=first_answer or min(due - timedelta(days=interval), context.today),
        last_answered=context.moment(answered[-1].id) if answered else None,
    )
    return ImportedProgress(card_id, schedule, suspended, flagged, reviews)


def _answers_in_time(card: AnkiCard, revlog: list[RevlogRow], context: ProgressContext) -> list[RevlogRow]:
    """The card's answers in order, without those logged at an impossible time."""
    answered = []
    for row in sorted((r for r in revlog if _is_answer(r)), key=lambda r: r.id):
        if context.moment(row.id) is None:
            context.warn(f"Anki card {card.id}: an answer at an impossible time (revlog id {row.id}) was left out")
        else:
            answered.append(row)
    return answered


def _interval(card: AnkiCard, context: ProgressContext) -> int:
    if card.ivl > MAX_INTERVAL_DAYS:
        context.warn(f"Anki card {card.id} has an interval of {card.ivl} days, kept as {MAX_INTERVAL_DAYS}")
    return min(MAX_INTERVAL_DAYS, max(1, card.ivl))


def _is_answer(row: RevlogRow) -> bool:
    return row.ease in SM2_GRADE and row.type in _ANSWER_TYPES


def _replay(card_id: str, answers: list[RevlogRow], context: ProgressContext) -> list[NewReview]:
    """Anki's answers as studyterm review log entries, each with the state before and after."""
    reviews = []
    state = CardSchedule()
    for row in answers:
        moment = context.moment(row.id)
        day = context.boundary.study_day(moment)
        passed = row.ease >= 2
        interval = min(MAX_INTERVAL_DAYS, max(0, row.ivl))
        after = CardSchedule(
            sm2=Sm2State(
                _ef_centi(row.factor, state.sm2.ef_centi),
                state.sm2.repetitions + 1 if passed else 0,
                interval,
            ),
            due=day + timedelta(days=interval),
            sm2_due=day + timedelta(days=interval),
            lapses=state.lapses + int(not passed and not state.is_new),
            introduced=state.introduced or day,
            last_answered=moment,
        )
        reviews.append(NewReview(
            card_id=card_id, ts=moment, day=day, grade=SM2_GRADE[row.ease], duration_ms=row.time,
            source="review", kind="scheduled", before=state, after=after,
            detail={"imported_from": context.source, "anki_revlog": {
                "id": row.id, "ease": row.ease, "ivl": row.ivl, "lastIvl": row.last_ivl,
                "factor": row.factor, "time": row.time, "type": row.type,
            }},
        ))
        state = after
    return reviews


def _trailing_passes(answered: list[RevlogRow]) -> int:
    count = 0
    for row in reversed(answered):
        if row.ease < 2:
            break
        count += 1
    return count


def _ef_centi(factor: int, fallback: int) -> int:
    return max(MIN_EF_CENTI, round(factor / 10)) if factor > 0 else fallback
