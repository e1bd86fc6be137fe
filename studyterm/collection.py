"""The core API: one object the CLI and the TUI both drive.

A Collection ties a folder (Layout), its Store, a Clock and its Config together; it holds no
state of its own beyond them, so several can be opened on one folder.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from studyterm.clock import Clock, DayBoundary, system_clock
from studyterm.config import Config, load_config, set_review_option
from studyterm.decks import DeckNode, deck_tree, streak
from studyterm.layout import Layout
from studyterm.notes import cloze
from studyterm.notes.identity import KnownCard
from studyterm.notes.model import CardKind, Problem
from studyterm.schedule.queue import (
    DeckLimits,
    QueueCounts,
    QueueEntry,
    QueuePolicy,
    daily_queue,
    queue_counts,
)
from studyterm.schedule.reschedule import reschedule
from studyterm.schedule.review import AnswerKind, CardSchedule, Outcome
from studyterm.scheduling import FsrsParametersError, Scheduling
from studyterm.store import CardRecord, ReviewEntry, Store, backups, reports, sessions
from studyterm.store.records import NewReview, SessionRow
from studyterm.sync import SyncReport, sync

SOURCES = ("review", "quiz", "lab")


class CardStateError(RuntimeError):
    """The card cannot take this action in its current state (retired, suspended, not due)."""


@dataclass(frozen=True)
class AnswerResult:
    entry: ReviewEntry
    card: CardRecord


class Collection:
    def __init__(self, layout: Layout, store: Store, clock: Clock = system_clock,
                 config: Config | None = None) -> None:
        self.layout = layout
        self.store = store
        self.clock = clock
        self._sync_lock = threading.Lock()
        self.use_config(config or load_config(layout.config_path))

    def use_config(self, config: Config) -> None:
        """Apply settings (at start, after the settings screen saved studyterm.toml, and when the
        scheduler changes)."""
        self.config = config
        self.boundary = DayBoundary(config.day_starts_at)
        self.policy = QueuePolicy(
            new_per_day=config.new_cards_per_day,
            reviews_per_day=config.reviews_per_day,
            deck_limits=tuple(
                (deck, DeckLimits(limits.new_cards_per_day, limits.reviews_per_day))
                for deck, limits in config.decks
            ),
        )
        self.scheduling = Scheduling(self.store, config)
        try:
            self.scheduling.align_dues()
        except FsrsParametersError:
            pass  # answering says so (and `studyterm fsrs reset` must still be able to open it)

    def use_scheduler(self, name: str, desired_retention: float | None = None) -> bool:
        """Choose the scheduler (and FSRS's desired retention) in studyterm.toml and re-date
        every card now; True when due dates were rewritten. A bad value leaves the file as it was."""
        path = self.layout.config_path
        config = set_review_option(path, "scheduler", json.dumps(name))
        if desired_retention is not None:
            config = set_review_option(path, "desired_retention", repr(float(desired_retention)))
        before = self.scheduling.dues_key()
        self.use_config(config)
        return self.scheduling.dues_key() != before

    @classmethod
    def open(cls, root: Path | Layout, clock: Clock = system_clock) -> Collection:
        layout = root if isinstance(root, Layout) else Layout(Path(root).resolve())
        config = load_config(layout.config_path)
        return cls(layout, Store.open(layout.db_path), clock, config)

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> Collection:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # -- backups -----------------------------------------------------------------------------

    def backup(self) -> backups.Backup:
        """Back the database up now (.studyterm/backups/), keeping the newest `backups.keep`."""
        made = self.store.backup(self.now())
        if self.config.backups_kept and self.store.path is not None:
            backups.prune(self.store.path, self.config.backups_kept)
        return made

    def backup_if_due(self) -> backups.Backup | None:
        """The automatic backup: one on the first use of each study day (none with keep = 0)."""
        if not self.config.backups_kept or self.store.path is None:
            return None
        newest = backups.latest(self.store.path)
        if newest is not None and self.boundary.study_day(newest.taken) >= self.today():
            return None
        return self.backup()

    # -- time --------------------------------------------------------------------------------

    def now(self) -> datetime:
        return self.clock()

    def today(self) -> date:
        """The current study day (it rolls over at the configured hour, 04:00 by default)."""
        return self.boundary.study_day(self.clock())

    # -- notes -------------------------------------------------------------------------------

    def sync(self) -> SyncReport:
        # One at a time: the app syncs from several threads (start, file watcher, saves), a CLI
        # may sync from another process, and two overlapping syncs would both create the cards
        # of a new note.
        # Across processes, sync() holds .studyterm/sync.lock.
        with self._sync_lock:
            return sync(self.layout, self.store, self.now(), dict(self.config.formats))

    def note_cards(self, note_path: str) -> list[KnownCard]:
        """The active cards of one note: what an edit of it is matched against."""
        return self.store.known_cards([note_path]).get(note_path, [])

    def problems(self) -> list[tuple[str, Problem]]:
        return self.store.problems()

    # -- the queue ---------------------------------------------------------------------------

    def queue(self, deck: str | None = None, limit: int | None = None) -> list[QueueEntry]:
        return daily_queue(self.store, self.today(), self.policy, deck, limit)

    def next_card(self, deck: str | None = None) -> QueueEntry | None:
        entries = self.queue(deck, limit=1)
        return entries[0] if entries else None

    def counts(self, deck: str | None = None) -> QueueCounts:
        return queue_counts(self.store, self.today(), self.policy, deck)

    # -- cards -------------------------------------------------------------------------------

    def card(self, card_id: str) -> CardRecord:
        return self.store.card(self.store.resolve_card_id(card_id))

    def cards(self, card_ids: list[str]) -> list[CardRecord]:
        return self.store.cards(card_ids)

    def history(self, card_id: str) -> list[ReviewEntry]:
        return self.store.history(self.store.resolve_card_id(card_id))

    def preview(self, card: CardRecord) -> dict[int, Outcome]:
        """What each grade would do to `card` now, under the collection's scheduler."""
        return self.scheduling.preview(card, self.now(), self.today())

    def answer(
        self,
        card_id: str,
        grade: int,
        *,
        duration_ms: int | None = None,
        source: str = "review",
        force: bool = False,
        session_id: int | None = None,
    ) -> AnswerResult:
        """Grade a card (SM-2, or a same-day repeat) and log it, in one transaction.

        A card that is neither new, due, nor owed a same-day repeat is refused unless `force`
        (reviewing ahead), so a script cannot quietly reschedule cards."""
        if source not in SOURCES:
            raise ValueError(f"source must be one of {', '.join(SOURCES)}")
        full_id = self.store.resolve_card_id(card_id)
        now, day = self.now(), self.today()

        def decide(card: CardRecord) -> NewReview:
            _check_answerable(card, day, force)
            outcome = self.scheduling.answer(card, grade, now, day)
            return NewReview(
                card_id=card.id, ts=now, day=day, grade=grade, duration_ms=duration_ms,
                source=source, kind=outcome.kind.value, before=outcome.before, after=outcome.after,
                session_id=session_id,
            )

        entry = self.store.record(full_id, decide)
        return AnswerResult(entry, self.store.card(full_id))

    def undo(self, review_id: int) -> AnswerResult:
        """Restore the card to exactly its state before review `review_id` (its latest)."""
        now, day = self.now(), self.today()

        def entry(card: CardRecord, restored: CardSchedule) -> NewReview:
            after = self.scheduling.restored(card.id, restored, review_id)
            return NewReview(
                card_id=card.id, ts=now, day=day, grade=None, duration_ms=None, source="review",
                kind="undo", before=card.schedule, after=after, undoes=review_id,
            )

        logged = self.store.undo(review_id, entry)
        return AnswerResult(logged, self.store.card(logged.card_id))

    def suspend(self, card_ids: list[str], suspended: bool = True) -> list[str]:
        ids = [self.store.resolve_card_id(i) for i in card_ids]
        self.store.set_suspended(ids, suspended)
        return ids

    def bury(self, card_ids: list[str]) -> list[str]:
        """Hide cards until the next study day starts."""
        ids = [self.store.resolve_card_id(i) for i in card_ids]
        tomorrow = self.boundary.study_day(self.boundary.next_rollover(self.now()))
        self.store.set_buried_until(ids, tomorrow)
        return ids

    def unbury(self, card_ids: list[str]) -> list[str]:
        ids = [self.store.resolve_card_id(i) for i in card_ids]
        self.store.set_buried_until(ids, None)
        return ids

    def flag(self, card_ids: list[str], flagged: bool = True) -> list[str]:
        ids = [self.store.resolve_card_id(i) for i in card_ids]
        self.store.set_flagged(ids, flagged)
        return ids

    def reschedule(self, card_ids: list[str], due: date) -> tuple[list[str], list[str]]:
        """Give each reviewed card a new due date, logged (and undoable) like an answer; new
        cards are left as they are. Returns (rescheduled ids, new ids left alone)."""
        now, day = self.now(), self.today()
        moved, new = [], []
        for card_id in (self.store.resolve_card_id(i) for i in card_ids):
            if self.store.card(card_id).schedule.is_new:
                new.append(card_id)
                continue

            def decide(card: CardRecord) -> NewReview:
                return NewReview(
                    card_id=card.id, ts=now, day=day, grade=None, duration_ms=None, source="browse",
                    kind="reschedule", before=card.schedule, after=reschedule(card.schedule, due),
                )

            self.store.record(card_id, decide)
            moved.append(card_id)
        return moved, new

    # -- overviews ---------------------------------------------------------------------------

    def deck_tree(self) -> DeckNode:
        """Every deck with due / new / total / mastered counts, sub-decks included in parents."""
        return deck_tree(reports.deck_counts(self.store, self.today()))

    def deck_names(self) -> list[str]:
        """Every deck and every parent of one (`dlfs2`, `dlfs2/ch01`), sorted."""
        names: list[str] = []

        def walk(node: DeckNode) -> None:
            for child in node.children:
                names.append(child.path)
                walk(child)

        walk(self.deck_tree())
        return sorted(names)

    def streak(self) -> int:
        """Consecutive study days with at least one answer, up to today."""
        today = self.today()
        return streak(sessions.study_days(self.store, today - timedelta(days=3660)), today)

    def sessions(self, limit: int | None = None) -> list[SessionRow]:
        return sessions.sessions(self.store, limit)

    def save_worksheet(self, session_id: int, answers: dict[str, str]) -> dict[str, str]:
        """Keep a session's worksheet (WORKSHEET's questions; blank answers left out)."""
        from studyterm.session import WORKSHEET

        kept = {key: " ".join(answers.get(key, "").split()) for key, _ in WORKSHEET}
        kept = {key: text for key, text in kept.items() if text}
        sessions.save_worksheet(self.store, session_id, kept)
        return kept

    def resumable_session(self) -> SessionRow | None:
        """The latest session of today that ended before its queue did (ended early, quit, or
        killed): what "resume" continues. A days-old one is not resumed."""
        today = self.today()
        for session in self.sessions(20):
            if self.boundary.study_day(session.started_at) != today:
                return None
            if not session.summary.get("complete"):
                return session
        return None

    def search(self, text: str = "", deck: str | None = None, tag: str | None = None,
               state: str | None = None, limit: int = 500) -> list[CardRecord]:
        return reports.search_cards(self.store, self.today(), text, deck, tag, state, limit)

    def tags(self) -> list[str]:
        return reports.all_tags(self.store)

    def distractor_pool(self, card: CardRecord, wanted: int = 8) -> list[CardRecord]:
        """Cards of the same kind from the card's deck, widening to parent decks (so sibling
        decks) and then the whole collection until there are `wanted` different answers: a
        small deck would otherwise show the same handful of options on every question."""
        deck: str | None = card.deck
        while True:
            pool = [c for c in reports.deck_answers(self.store, deck or "", card.id) if c.kind == card.kind]
            if deck is None or len({c.answer or c.question for c in pool}) >= wanted:
                return pool
            deck = deck.rpartition("/")[0] or None


def _check_answerable(card: CardRecord, day: date, force: bool) -> None:
    if card.retired:
        raise CardStateError(f"card {card.id} is retired: its text is no longer in {card.note_path}")
    if card.suspended:
        raise CardStateError(f"card {card.id} is suspended; unsuspend it first")
    schedule = card.schedule
    if force or schedule.is_new or schedule.is_due(day) or schedule.owes_repeat(day):
        return
    raise CardStateError(
        f"card {card.id} is not due until {schedule.due}; pass --force to review it ahead"
    )


def card_state(card: CardRecord, day: date) -> str:
    """new, learning (answered, but fewer than two successful repetitions in a row, or owing a
    same-day repeat) or review."""
    schedule = card.schedule
    if schedule.is_new:
        return "new"
    if schedule.sm2.repetitions < 2 or schedule.owes_repeat(day):
        return "learning"
    return "review"


def front_and_back(card: CardRecord) -> tuple[str, str]:
    """The question and answer as shown to a learner (a cloze shows its hole, then fills it)."""
    if card.kind == CardKind.CLOZE and card.cloze_group is not None:
        return (
            cloze.render(card.question, card.cloze_group, reveal=False),
            cloze.render(card.question, card.cloze_group, reveal=True),
        )
    return card.question, card.answer


__all__ = [
    "AnswerKind",
    "AnswerResult",
    "CardStateError",
    "Collection",
    "card_state",
    "front_and_back",
]
