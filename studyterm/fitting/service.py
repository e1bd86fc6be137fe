"""`fsrs optimize` and `fsrs evaluate`: the learner's log, split in time, the optimizer run on
the past, and the three models scored on the future."""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from studyterm.fitting.runner import Progress, fit_parameters
from studyterm.schedule.evaluate import (
    MIN_FIT_REVIEWS,
    FsrsModel,
    Metrics,
    Sm2Model,
    fit_reviews,
    held_out,
    metrics,
    predictions,
    spaced_reviews,
    split_day,
)
from studyterm.schedule.fsrs import FsrsSettings
from studyterm.schedule.log import LogEvent

HOLDOUT = 0.2
"""The newest fifth of the reviews is the future the models are scored on."""


class NotEnoughReviewsError(RuntimeError):
    """Too little history to fit FSRS (a one-line message saying how much more is needed)."""


@dataclass(frozen=True)
class Split:
    cards: list[tuple[str, list[LogEvent]]]
    start: date
    """The first study day of the held-out future."""
    train: list[tuple[str, date, int]]
    """The answers before `start`: what the optimizer may learn from."""


@dataclass(frozen=True)
class Evaluation:
    split: Split
    sm2: Metrics
    fsrs_default: Metrics
    fsrs_fitted: Metrics | None
    fitted_parameters: tuple[float, ...] | None
    fit_seconds: float | None
    not_fitted: str | None
    """Why there is no fitted model (too few reviews before the split), else None."""

    def best(self) -> str:
        scores = {"sm2": self.sm2, "fsrs_default": self.fsrs_default}
        if self.fsrs_fitted is not None:
            scores["fsrs_optimized"] = self.fsrs_fitted
        return min(scores, key=lambda name: scores[name].log_loss)

    def to_dict(self) -> dict:
        return {
            "train_until": self.split.start.isoformat(),
            "train_reviews": len(self.split.train),
            "models": {
                "sm2": self.sm2.to_dict(),
                "fsrs_default": self.fsrs_default.to_dict(),
                "fsrs_optimized": self.fsrs_fitted.to_dict() if self.fsrs_fitted else None,
            },
            "best": self.best(),
            "not_optimized": self.not_fitted,
            "optimizer_seconds": None if self.fit_seconds is None else round(self.fit_seconds, 1),
        }


def split(cards: Sequence[tuple[str, list[LogEvent]]], holdout: float = HOLDOUT) -> Split:
    """Past and future of the log; refuses a log with too little of either."""
    cards = list(cards)
    targets = [p.target for p in predictions((events for _, events in cards), Sm2Model)]
    start = split_day(targets, holdout)
    if start is None:
        raise NotEnoughReviewsError(
            f"only {len(targets)} reviews a day or more after the card's previous one, on too few "
            "days to hold the newest out: review for a few more days"
        )
    return Split(cards, start, fit_reviews(cards, before=start))


def fit(reviews: Sequence[tuple[str, date, int]], on_progress: Progress | None = None
        ) -> tuple[tuple[float, ...], float]:
    """Parameters fitted to these answers (in the optimizer's own process), and the seconds it took."""
    spaced = spaced_reviews(reviews)
    if spaced < MIN_FIT_REVIEWS:
        raise NotEnoughReviewsError(
            f"FSRS is fitted to reviews a day or more after the card's previous one: there are "
            f"{spaced}, and the optimizer needs at least {MIN_FIT_REVIEWS}"
        )
    started = time.perf_counter()
    parameters = fit_parameters(reviews, on_progress)
    return parameters, time.perf_counter() - started


def score(cards: Sequence[tuple[str, list[LogEvent]]], start: date,
          settings: FsrsSettings | None = None) -> Metrics:
    """One model's metrics on the reviews from `start` on (SM-2 when `settings` is None)."""
    histories = [events for _, events in cards]
    if settings is None:
        found = predictions(histories, Sm2Model)
    else:
        found = predictions(histories, lambda: FsrsModel(settings))
    return metrics(held_out(found, start))


def evaluate(cards: Sequence[tuple[str, list[LogEvent]]], retention: float,
             on_progress: Progress | None = None, optimize: bool = True,
             holdout: float = HOLDOUT) -> Evaluation:
    """SM-2, FSRS with default parameters and FSRS fitted to the past, scored on the future."""
    parts = split(cards, holdout)
    default = FsrsSettings(desired_retention=retention)
    fitted = fitted_settings = seconds = None
    reason = None if optimize else "not asked for (--no-optimize)"
    if optimize:
        try:
            fitted, seconds = fit(parts.train, on_progress)
        except NotEnoughReviewsError as error:
            reason = str(error)
    if fitted is not None:
        fitted_settings = FsrsSettings(fitted, retention)
    return Evaluation(
        split=parts,
        sm2=score(parts.cards, parts.start),
        fsrs_default=score(parts.cards, parts.start, default),
        fsrs_fitted=None if fitted_settings is None else score(parts.cards, parts.start, fitted_settings),
        fitted_parameters=fitted,
        fit_seconds=seconds,
        not_fitted=reason,
    )
