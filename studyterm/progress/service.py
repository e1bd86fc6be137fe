"""Progress and statistics for a collection: the one entry point the CLI and the TUI share."""

from __future__ import annotations

from datetime import timedelta

from studyterm.collection import Collection
from studyterm.progress.mastery import Progress, compute_progress
from studyterm.progress.plan import StudyPlan, load_plan
from studyterm.progress.stats import CALENDAR_DAYS, Statistics, compute_statistics
from studyterm.store import progress as rows
from studyterm.store import reports

CONFIDENCE_DAYS = 30
FORECAST_DAYS = 30


def study_plan(collection: Collection) -> StudyPlan:
    """PlanError (one line, naming the file) when studyplan.toml is broken."""
    top_decks = sorted({row.deck.split("/")[0] for row in reports.deck_counts(collection.store, collection.today())})
    return load_plan(collection.layout.root, top_decks)


def progress(collection: Collection) -> Progress:
    today = collection.today()
    plan = study_plan(collection)
    return compute_progress(
        plan,
        rows.card_facts(collection.store),
        rows.recent_answers(collection.store, today - timedelta(days=CONFIDENCE_DAYS - 1)),
        rows.learner_runs(collection.store),
        today,
    )


def statistics(collection: Collection) -> Statistics:
    today = collection.today()
    return compute_statistics(
        rows.answers_by_day(collection.store, today - timedelta(days=CALENDAR_DAYS - 1)),
        rows.card_facts(collection.store),
        reports.due_forecast(collection.store, today, FORECAST_DAYS),
        rows.learner_runs(collection.store),
        today,
    )
