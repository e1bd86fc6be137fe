"""Which scheduler predicts the learner's memory better: SM-2 and FSRS replayed over the review
log, their predicted recall set against what happened.

Pure functions. The metrics are srs-benchmark's (open-spaced-repetition/srs-benchmark): log loss,
RMSE (bins) and AUC, over the reviews at least a day after the card's previous answer (a same-day
repeat says little about long-term memory; py-fsrs's optimizer leaves them out of its loss too).
SM-2 predicts no probability, so it is read as srs-benchmark reads it: the interval is the time at
which recall has fallen to 90%, so recall after t days is 0.9 ** (t / interval).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Protocol

from studyterm.schedule import sm2
from studyterm.schedule.log import LogEvent, effective, is_answer

if TYPE_CHECKING:
    from studyterm.schedule.fsrs import FsrsSettings

MIN_FIT_REVIEWS = 512
"""py-fsrs's optimizer learns only from reviews a day or more after the card's previous one, in
mini-batches of 512; with fewer it hands back its default parameters unchanged."""
EPSILON = 1e-7
"""Predictions are kept within [EPSILON, 1 - EPSILON] for log loss (a certain, wrong prediction
would otherwise cost infinity)."""


@dataclass(frozen=True)
class Target:
    """One review a model is asked to predict: was the card recalled after `elapsed` days?"""

    day: date
    order: int
    elapsed: int
    number: int
    """The review's number in the card's history (the first answer is 1)."""
    lapses: int
    """Earlier failures, same-day ones not counted (srs-benchmark's `lapse`)."""
    recalled: bool


@dataclass(frozen=True)
class Prediction:
    target: Target
    p: float


@dataclass(frozen=True)
class Metrics:
    reviews: int
    log_loss: float
    rmse_bins: float
    auc: float | None
    """None when every review had the same outcome (AUC is then undefined)."""

    def to_dict(self) -> dict:
        return {
            "reviews": self.reviews,
            "log_loss": round(self.log_loss, 4),
            "rmse_bins": round(self.rmse_bins, 4),
            "auc": None if self.auc is None else round(self.auc, 4),
        }


class MemoryModel(Protocol):
    """A scheduler's reading of one card: a predicted recall, updated by each answer."""

    def predict(self, day: date) -> float: ...

    def update(self, event: LogEvent) -> None: ...


def answers(events: Iterable[LogEvent]) -> list[LogEvent]:
    """A card's answers that still count, in order (undone ones and lab events left out)."""
    return [e for e in effective(events) if is_answer(e)]


def sm2_recall(elapsed_days: int, interval_days: int) -> float:
    return 0.9 ** (elapsed_days / interval_days)


def last_sm2_day(events: Sequence[LogEvent]) -> date | None:
    """The study day of the card's latest answer that SM-2 acted on (not a same-day repeat)."""
    days = [e.day for e in answers(events) if e.kind == "scheduled"]
    return days[-1] if days else None


class Sm2Model:
    def __init__(self) -> None:
        self.state = sm2.Sm2State()
        self.last: date | None = None

    def predict(self, day: date) -> float:
        if self.last is None or not self.state.interval_days:
            return 0.5
        return sm2_recall((day - self.last).days, self.state.interval_days)

    def update(self, event: LogEvent) -> None:
        if event.kind == "scheduled":
            self.state = sm2.review(self.state, event.grade)
            self.last = event.day


class FsrsModel:
    def __init__(self, settings: FsrsSettings) -> None:
        self.settings = settings
        self.memory = None

    def predict(self, day: date) -> float:
        from studyterm.schedule.fsrs import retrievability

        return retrievability(self.memory, day, self.settings) or 0.5

    def update(self, event: LogEvent) -> None:
        from studyterm.schedule.fsrs import review

        self.memory = review(self.memory, event.grade, event.day, self.settings)[0]


def predictions(cards: Iterable[Sequence[LogEvent]],
                make_model: Callable[[], MemoryModel]) -> list[Prediction]:
    """Every target review of every card, with the prediction a fresh model (one per card) made
    just before it: `predictions(cards, Sm2Model)`, `predictions(cards, lambda: FsrsModel(s))`."""
    found = []
    for events in cards:
        reader = make_model()
        previous: date | None = None
        lapses = 0
        for number, event in enumerate(answers(events), start=1):
            recalled = event.grade >= sm2.PASSING_GRADE
            elapsed = None if previous is None else (event.day - previous).days
            if elapsed is not None and elapsed >= 1:
                target = Target(event.day, event.id, elapsed, number, lapses, recalled)
                found.append(Prediction(target, reader.predict(event.day)))
            if elapsed and not recalled:
                lapses += 1
            reader.update(event)
            previous = event.day
    return found


def split_day(targets: Sequence[Target], holdout: float) -> date | None:
    """The first study day of the held-out future: about `holdout` of the targets fall on or
    after it (a whole day on one side, so a day's reviews are never split). None: too few."""
    days = sorted(t.day for t in targets)
    if len(days) < 2:
        return None
    cut = days[min(len(days) - 1, max(1, int(len(days) * (1 - holdout))))]
    return cut if cut > days[0] else None


def held_out(found: Sequence[Prediction], start: date) -> list[Prediction]:
    return [p for p in found if p.target.day >= start]


def fit_reviews(cards: Iterable[tuple[str, Sequence[LogEvent]]],
                before: date | None = None) -> list[tuple[str, date, int]]:
    """What the optimizer learns from: (card, study day, grade) of every answer before `before`."""
    return [
        (card_id, event.day, event.grade)
        for card_id, events in cards
        for event in answers(events)
        if before is None or event.day < before
    ]


def spaced_reviews(reviews: Sequence[tuple[str, date, int]]) -> int:
    """How many of these reviews come a day or more after the card's previous one."""
    last: dict[str, date] = {}
    count = 0
    for card_id, day, _grade in reviews:
        if card_id in last and (day - last[card_id]).days >= 1:
            count += 1
        last[card_id] = day
    return count


# -- metrics ---------------------------------------------------------------------------------


def metrics(found: Sequence[Prediction]) -> Metrics:
    return Metrics(len(found), log_loss(found), rmse_bins(found), auc(found))


def log_loss(found: Sequence[Prediction]) -> float:
    total = 0.0
    for item in found:
        p = min(max(item.p, EPSILON), 1 - EPSILON)
        total -= math.log(p) if item.target.recalled else math.log(1 - p)
    return total / len(found) if found else math.nan


def _bin(value: float, base: float, scale: float, digits: int) -> float:
    return round(scale * base ** math.floor(math.log(value) / math.log(base)), digits)


def bin_of(target: Target) -> tuple[float, float, float]:
    """srs-benchmark's bins: interval length, review number and lapses, each on a log scale."""
    lapses = 0 if target.lapses == 0 else _bin(target.lapses, 1.73, 1.65, 0)
    return (_bin(target.elapsed, 3.62, 2.48, 2), _bin(target.number, 1.89, 1.99, 0), lapses)


def rmse_bins(found: Sequence[Prediction]) -> float:
    """RMSE between the mean prediction and the recall rate of each bin, weighted by its size."""
    bins: dict[tuple, list[float]] = defaultdict(lambda: [0.0, 0.0, 0])
    for item in found:
        cell = bins[bin_of(item.target)]
        cell[0] += item.target.recalled
        cell[1] += item.p
        cell[2] += 1
    total = sum(cell[2] for cell in bins.values())
    if not total:
        return math.nan
    squared = sum(n * (recalled / n - p / n) ** 2 for recalled, p, n in bins.values())
    return math.sqrt(squared / total)


def auc(found: Sequence[Prediction]) -> float | None:
    """The chance that a recalled review got a higher prediction than a forgotten one (ties
    count half): the Mann-Whitney form of the area under the ROC curve."""
    ordered = sorted(found, key=lambda item: item.p)
    positives = sum(item.target.recalled for item in ordered)
    negatives = len(ordered) - positives
    if not positives or not negatives:
        return None
    rank_sum = 0.0
    start = 0
    while start < len(ordered):
        end = start
        while end + 1 < len(ordered) and ordered[end + 1].p == ordered[start].p:
            end += 1
        average_rank = (start + end) / 2 + 1
        rank_sum += average_rank * sum(ordered[i].target.recalled for i in range(start, end + 1))
        start = end + 1
    return (rank_sum - positives * (positives + 1) / 2) / (positives * negatives)
