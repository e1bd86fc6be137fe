"""Progress and statistics for a collection: the one entry point the CLI and the TUI share."""

from __future__ import annotations

from datetime import timedelta

from studyterm.collection import Collection
from studyterm.progress.mastery import LEECH_LAPSES, LOW_EF, WEAK_SHOWN, Progress, compute_progress
from studyterm.progress.plan import StudyPlan, load_plan
from studyterm.progress.stats import (
    CALENDAR_DAYS,
    EF_BUCKETS,
    HARDEST,
    Statistics,
    compute_statistics,
)
from studyterm.store import progress as rows
from studyterm.store import reports

CONFIDENCE_DAYS = 30
FORECAST_DAYS = 30


def study_plan(collection: Collection) -> StudyPlan:
    """PlanError (one line, naming the file) when studyplan.toml is broken."""
    return load_plan(collection.layout.root, rows.top_decks(collection.store))


def progress(collection: Collection) -> Progress:
    today = collection.today()
    plan = study_plan(collection)
    store = collection.store
    weak, weak_total = rows.weak_cards(store, LEECH_LAPSES, LOW_EF, WEAK_SHOWN)
    return compute_progress(
        plan,
        rows.card_groups(store, today, today - timedelta(days=CONFIDENCE_DAYS - 1)),
        weak,
        rows.learner_runs(store),
        today,
        weak_total,
    )


def statistics(collection: Collection) -> Statistics:
    today = collection.today()
    store = collection.store
    return compute_statistics(
        rows.answers_by_day(store, today - timedelta(days=CALENDAR_DAYS - 1)),
        rows.ef_counts(store, EF_BUCKETS),
        rows.hardest_cards(store, HARDEST),
        reports.due_forecast(store, today, FORECAST_DAYS),
        rows.learner_runs(store),
        today,
    )


EVIDENCE_MAX_ANSWERS = 20_000
"""Above this many answers the statistics screen leaves the comparison to `studyterm fsrs evaluate`
(replaying every card's log in pure Python takes seconds)."""


def scheduler_evidence(collection: Collection, max_answers: int = EVIDENCE_MAX_ANSWERS) -> dict | None:
    """SM-2 against FSRS (default parameters) on the learner's newest fifth of reviews, as
    `fsrs evaluate --no-optimize --json` gives it; None when the log is too big for the screen.
    NotEnoughReviewsError (its message says why) when there are too few reviews to compare."""
    answers = collection.store.query("SELECT count(*) FROM reviews WHERE grade IS NOT NULL")[0][0]
    if answers > max_answers:
        return None
    from studyterm.fitting.service import evaluate
    from studyterm.store.scheduling import all_events

    cards = list(all_events(collection.store))
    return evaluate(cards, collection.config.desired_retention, optimize=False).to_dict()
