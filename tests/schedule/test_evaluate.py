"""The evidence to choose: predictions replayed over a log, and srs-benchmark's metrics, on
hand-made logs whose answers are known."""

import math
from datetime import date, timedelta

import pytest

from studyterm.fitting.service import evaluate
from studyterm.schedule.evaluate import (
    FsrsModel,
    Prediction,
    Sm2Model,
    Target,
    auc,
    bin_of,
    fit_reviews,
    log_loss,
    metrics,
    predictions,
    rmse_bins,
    spaced_reviews,
    split_day,
)
from studyterm.schedule.fsrs import FsrsSettings
from studyterm.schedule.log import LogEvent

DAY = date(2026, 1, 1)


def target(recalled: bool, elapsed: int = 1, number: int = 2, lapses: int = 0) -> Target:
    return Target(DAY, 0, elapsed, number, lapses, recalled)


def log(*answers: tuple[int, int], source: str = "review") -> list[LogEvent]:
    """(day offset, grade) answers of one card; same-day followers are repeats, as logged."""
    events, last = [], None
    for number, (offset, grade) in enumerate(answers, start=1):
        day = DAY + timedelta(days=offset)
        events.append(LogEvent(number, day, grade, source, "repeat" if day == last else "scheduled"))
        last = day
    return events


def test_log_loss_of_a_coin_toss_is_ln_2():
    found = [Prediction(target(True), 0.5), Prediction(target(False), 0.5)]
    assert log_loss(found) == pytest.approx(math.log(2))


def test_auc_is_one_for_perfect_ranking_zero_for_reversed_and_half_for_ties():
    good = [Prediction(target(True), 0.9), Prediction(target(False), 0.2), Prediction(target(True), 0.7)]
    assert auc(good) == 1.0
    assert auc([Prediction(p.target, 1 - p.p) for p in good]) == 0.0
    assert auc([Prediction(p.target, 0.5) for p in good]) == 0.5
    assert auc([Prediction(target(True), 0.3)]) is None


def test_rmse_bins_compares_each_bins_recall_rate_with_its_mean_prediction():
    # One bin: recall rate 3/4, mean prediction 0.5 -> 0.25, however the predictions spread.
    one_bin = [Prediction(target(r), p) for r, p in ((True, 0.2), (True, 0.8), (True, 0.5), (False, 0.5))]
    assert rmse_bins(one_bin) == pytest.approx(0.25)
    # Two bins (elapsed 1 and 30 days) of 1 and 3 reviews, each off by 0.1 and 0.3.
    two = [Prediction(target(True, 1), 0.9)] + [Prediction(target(True, 30), 0.7)] * 3
    assert bin_of(two[0].target) != bin_of(two[1].target)
    assert rmse_bins(two) == pytest.approx(math.sqrt((1 * 0.01 + 3 * 0.09) / 4))


def test_srs_benchmark_bins():
    assert bin_of(Target(DAY, 0, 1, 2, 0, True)) == (2.48, 4.0, 0)
    assert bin_of(Target(DAY, 0, 4, 4, 1, True)) == (8.98, 7.0, 2.0)


def test_sm2_predicts_ninety_percent_at_its_interval():
    """Answered 4 on day 0 (interval 1), 4 on day 1 (interval 6), then seen on day 13."""
    found = predictions([log((0, 4), (1, 4), (13, 4))], Sm2Model)
    assert [p.target.elapsed for p in found] == [1, 12]
    assert [p.p for p in found] == pytest.approx([0.9, 0.9 ** 2])


def test_same_day_answers_are_not_targets_but_count_for_lapses():
    found = predictions([log((0, 4), (0, 2), (3, 1), (3, 4), (10, 4))], Sm2Model)
    assert [(p.target.number, p.target.lapses, p.target.recalled) for p in found] == [
        (3, 0, False), (5, 1, True)]


def test_the_split_keeps_whole_days_and_the_future_is_about_a_fifth():
    targets = [Target(DAY + timedelta(days=d), d, 1, 2, 0, True) for d in range(10)]
    assert split_day(targets, 0.2) == DAY + timedelta(days=8)
    assert split_day(targets[:1], 0.2) is None


def test_fit_reviews_and_the_spaced_count():
    cards = [("a", log((0, 4), (0, 4), (2, 4))), ("b", log((1, 1), (5, 3)))]
    reviews = fit_reviews(cards, before=DAY + timedelta(days=5))
    assert reviews == [("a", DAY, 4), ("a", DAY, 4), ("a", DAY + timedelta(days=2), 4), ("b", DAY + timedelta(days=1), 1)]
    assert spaced_reviews(reviews) == 1


def test_a_learner_who_always_forgets_is_predicted_better_by_fsrs_than_by_sm2():
    """Every review fails, a day after the last: SM-2 (interval 1 day) predicts 90% recall each
    time; FSRS has learnt from the failures that stability is short. The known answer: FSRS
    has the lower log loss, and both are scored on the same held-out reviews."""
    cards = [(f"c{i}", log(*[(d, 1) for d in range(i % 3, 30 + i % 3)])) for i in range(12)]
    result = evaluate(cards, 0.9, optimize=False)
    assert result.sm2.reviews == result.fsrs_default.reviews > 0
    assert result.fsrs_default.log_loss < result.sm2.log_loss
    assert result.best() == "fsrs_default"
    assert result.fsrs_fitted is None and "no-optimize" in result.not_fitted
    # Every held-out review is a failure: AUC is undefined, and SM-2 is off by 0.9 in every bin.
    assert result.sm2.auc is None and result.sm2.rmse_bins == pytest.approx(0.9)


def test_a_learner_who_always_remembers_is_scored_on_the_same_reviews():
    cards = [(f"c{i}", log(*[(d * d, 4) for d in range(1, 9)])) for i in range(5)]
    result = evaluate(cards, 0.9, optimize=False)
    assert result.fsrs_default.reviews == result.sm2.reviews
    assert 0 < result.fsrs_default.log_loss < 1 and result.fsrs_default.auc is None
    assert metrics(predictions([events for _, events in cards], lambda: FsrsModel(FsrsSettings()))).reviews == 35
