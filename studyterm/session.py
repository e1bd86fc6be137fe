"""A study session: the card on screen, its timer, the answers given, undo, and the summary.

It knows nothing of Textual: the review screen drives it, and tests drive it directly.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime

from studyterm.collection import AnswerResult, CardStateError, Collection
from studyterm.render.card import question_line
from studyterm.schedule.queue import QueueCounts, QueueKind
from studyterm.schedule.review import Outcome
from studyterm.store import CardNotFoundError, CardRecord, StoreError
from studyterm.store.reports import LEECH_LAPSES, due_forecast
from studyterm.store.sessions import finish_session, start_session

MAX_ANSWER_SECONDS = 300
"""Longer than this and the learner walked away: the logged duration is capped here."""
FORECAST_DAYS = 7


class CardChangedError(RuntimeError):
    """The card changed elsewhere (answered, undone or suspended in another terminal, retired by
    an edit of its note) since it was shown: the action was refused, and the session has moved
    on to the head of the refreshed queue. The message says what happened, for a notice."""


WORKSHEET = (
    ("thought", "What did I think, before I checked?"),
    ("failed", "What failed, and why?"),
    ("resource", "Which resource helped most?"),
    ("idea", "One idea to apply this (e.g. in finance)"),
    ("next", "Next action"),
)
"""The session worksheet study plans ask for after each session: (key, question)."""

@dataclass(frozen=True)
class Shown:
    card: CardRecord
    queue_kind: QueueKind
    shown_at: float  # monotonic seconds


@dataclass(frozen=True)
class Answered:
    card: CardRecord
    result: AnswerResult
    grade: int
    duration_ms: int


@dataclass(frozen=True)
class Action:
    """One step undo can take back. An answer is undone through the store (exactly, with an
    undo entry in the log); the others by `revert`."""

    kind: str  # "answer", "suspend", "bury", "flag", or one recorded by the screen ("lab", "add")
    undone: str  # what undoing it takes back, for the notice: "the bury"
    revert: Callable[[], None]
    card: CardRecord | None = None
    answered: Answered | None = None


@dataclass(frozen=True)
class WatchItem:
    """A card graded below 3 in this session."""

    card_id: str
    question: str  # one line of plain text
    failures: int  # in this session
    lapses: int  # in the card's whole life
    leech: bool


@dataclass(frozen=True)
class SessionSummary:
    started_at: datetime
    ended_at: datetime
    mode: str
    deck: str | None
    answers: int
    cards: int
    correct: int
    time_ms: int
    grades: dict[int, int]
    watchlist: list[WatchItem]
    decks: list[str]
    notes: list[str]
    forecast: list[tuple[date, int]]
    complete: bool = False
    """The queue ran out; False when the learner ended or quit the session early (resumable)."""
    session_id: int | None = None
    """The stored session (None when nothing was answered): its worksheet is saved with it."""

    @property
    def accuracy(self) -> float:
        """Share of answers graded 3 or more (SM-2's "correct response")."""
        return self.correct / self.answers if self.answers else 0.0

    @property
    def duration_s(self) -> float:
        return (self.ended_at - self.started_at).total_seconds()

    def to_dict(self) -> dict:
        return {
            "answers": self.answers,
            "cards": self.cards,
            "correct": self.correct,
            "accuracy": round(self.accuracy, 3),
            "time_ms": self.time_ms,
            "grades": {str(g): n for g, n in sorted(self.grades.items())},
            "watchlist": [item.__dict__ for item in self.watchlist],
            "decks": self.decks,
            "notes": self.notes,
            "complete": self.complete,
        }


@dataclass
class ReviewSession:
    collection: Collection
    deck: str | None = None
    mode: str = "flash"
    monotonic: Callable[[], float] = time.monotonic
    source: str = "review"
    """What answers are logged as: "review" for flash cards, "quiz" for typed and choice."""
    current: Shown | None = None
    answered: list[Answered] = field(default_factory=list)
    actions: list[Action] = field(default_factory=list)
    """Everything undo can take back, oldest first."""
    session_id: int | None = None
    started_at: datetime | None = None

    def start(self) -> Shown | None:
        self.started_at = self.collection.now()
        self.session_id = start_session(self.collection.store, self.started_at, self.mode, self.deck)
        return self.advance()

    def advance(self) -> Shown | None:
        """Put the queue's head on screen (or nothing, when the session is done)."""
        entry = self.collection.next_card(self.deck)
        if entry is None:
            self.current = None
        else:
            self.current = Shown(self.collection.card(entry.card_id), entry.kind, self.monotonic())
        return self.current

    def reload_current(self) -> Shown | None:
        """Re-read the card on screen (after its note was edited); its timer keeps running."""
        if self.current is not None:
            card = self.collection.card(self.current.card.id)
            self.current = Shown(card, self.current.queue_kind, self.current.shown_at)
        return self.current

    def preview(self) -> dict[int, Outcome]:
        if self.current is None:
            return {}
        return self.collection.preview(self.current.card)

    def elapsed_ms(self) -> int:
        if self.current is None:
            return 0
        seconds = min(self.monotonic() - self.current.shown_at, MAX_ANSWER_SECONDS)
        return max(0, round(seconds * 1000))

    def answer(self, grade: int) -> AnswerResult:
        if self.current is None:
            raise RuntimeError("no card to answer")
        duration_ms = self.elapsed_ms()
        card = self.current.card
        try:
            result = self.collection.answer(
                card.id, grade, duration_ms=duration_ms, source=self.source, session_id=self.session_id
            )
        except (CardStateError, CardNotFoundError) as error:
            self.advance()
            raise CardChangedError(f"Not recorded: {self._what_changed(card.id)}.") from error
        answered = Answered(card, result, grade, duration_ms)
        self.answered.append(answered)
        self.actions.append(Action("answer", f"your grade {grade} on that card", lambda: None, card, answered))
        self.advance()
        return result

    def _what_changed(self, card_id: str) -> str:
        try:
            card = self.collection.card(card_id)
        except CardNotFoundError:
            return f"card {card_id} is no longer in the collection"
        if card.retired:
            return f"card {card_id} is gone from its note (retired)"
        if card.suspended:
            return f"card {card_id} was suspended elsewhere"
        return f"card {card_id} was answered elsewhere (next due {card.schedule.due})"

    def undo(self) -> str | None:
        """Undo the last action of this session (an answer, suspend, bury, flag, or one the
        screen recorded: lab feedback, a quick add), like Anki's ctrl+z. Returns what was
        undone, in words; None when there is nothing to undo."""
        if not self.actions:
            return None
        action = self.actions[-1]
        if action.kind == "answer":
            self._undo_answer(action.answered)
        else:
            self.actions.pop()
            action.revert()
            if action.card is not None and action.kind in ("suspend", "bury"):
                self._show_again(self.collection.card(action.card.id))
            elif self.current is not None:
                self.reload_current()
        return action.undone

    def record(self, kind: str, undone: str, revert: Callable[[], None]) -> None:
        """Something done outside the session (a lab run's feedback, a quick add) that undo
        should take back, newest first, in turn with the session's own actions."""
        self.actions.append(Action(kind, undone, revert))

    def _undo_answer(self, last: Answered) -> None:
        try:
            restored = self.collection.undo(last.result.entry.id)
        except StoreError as error:
            self._undo_refused(last, error)
        self.actions.pop()
        self.answered.remove(last)
        self._show_again(restored.card)

    def _show_again(self, card: CardRecord) -> None:
        kind = QueueKind.REPEAT if card.schedule.owes_repeat(self.collection.today()) else (
            QueueKind.NEW if card.schedule.is_new else QueueKind.REVIEW
        )
        self.current = Shown(card, kind, self.monotonic())

    def _undo_refused(self, last: Answered, error: StoreError) -> None:
        """The store refused the undo: say why if the card changed elsewhere (an answer undone
        there no longer counts here; one answered again there stands and cannot be undone)."""
        review_id = last.result.entry.id
        history = self.collection.history(last.card.id)
        if any(entry.undoes == review_id for entry in history):
            self.answered.remove(last)
            self.actions.pop()
            self.advance()
            raise CardChangedError(f"That answer to card {last.card.id} was already undone elsewhere.") from error
        if history and history[-1].id != review_id:
            self.actions.pop()  # the answer stands; undo goes on to the action before it
            self.advance()
            raise CardChangedError(
                f"Nothing undone: card {last.card.id} was answered again elsewhere since, so your "
                "answer stands."
            ) from error
        raise error

    def suspend_current(self) -> None:
        if self.current is not None:
            card = self.current.card
            self.collection.suspend([card.id])
            self.actions.append(Action("suspend", "the suspension", lambda: self.collection.suspend([card.id], False), card))
            self.advance()

    def bury_current(self) -> None:
        if self.current is not None:
            card = self.current.card
            self.collection.bury([card.id])
            self.actions.append(Action("bury", "the bury", lambda: self.collection.unbury([card.id]), card))
            self.advance()

    def toggle_flag(self) -> bool:
        if self.current is None:
            return False
        card = self.current.card
        flagged = not card.flagged
        self.collection.flag([card.id], flagged)
        what = "the flag" if flagged else "the flag's removal"
        self.actions.append(Action("flag", what, lambda: self.collection.flag([card.id], not flagged), card))
        self.reload_current()
        return flagged

    def left(self) -> QueueCounts:
        return self.collection.counts(self.deck)

    def finish(self) -> SessionSummary:
        """Log the session's summary: at its end, or when the app quits in the middle of it."""
        summary = self.summary()
        if self.session_id is not None:
            finish_session(self.collection.store, self.session_id, summary.ended_at, summary.to_dict())
        return summary

    def summary(self) -> SessionSummary:
        now = self.collection.now()
        grades = Counter(item.grade for item in self.answered)
        failures = Counter(item.card.id for item in self.answered if item.grade < 3)
        latest = {item.card.id: item.result.card for item in self.answered}
        watchlist = [
            WatchItem(
                card_id=card_id,
                question=question_line(latest[card_id]),
                failures=count,
                lapses=latest[card_id].schedule.lapses,
                leech=latest[card_id].schedule.lapses >= LEECH_LAPSES,
            )
            for card_id, count in failures.most_common()
        ]
        return SessionSummary(
            started_at=self.started_at or now,
            ended_at=now,
            mode=self.mode,
            deck=self.deck,
            answers=len(self.answered),
            cards=len(latest),
            correct=sum(1 for item in self.answered if item.grade >= 3),
            time_ms=sum(item.duration_ms for item in self.answered),
            grades=dict(grades),
            watchlist=watchlist,
            decks=sorted({item.card.deck for item in self.answered}),
            notes=sorted({item.card.note_path for item in self.answered}),
            forecast=due_forecast(self.collection.store, self.collection.today(), FORECAST_DAYS, self.deck),
            complete=self.current is None,
            session_id=self.session_id,
        )
