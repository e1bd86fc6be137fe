"""Mastery from hand-made records: card credit, topics, milestones met by the learner's runs,
domain weights, gaps and the next step."""

from dataclasses import replace
from datetime import date

import pytest

from studyterm.progress.mastery import card_credit, compute_progress, milestone_status
from studyterm.progress.plan import Domain, Milestone, StudyPlan, Topic
from studyterm.store.progress import CardGroup, LearnerRun, WeakCard

TODAY = date(2026, 12, 2)


def card(card_id, deck="a", interval=0, introduced=True, ef=2.5, lapses=0, suspended=False, due=None, tags=()):
    return dict(id=card_id, deck=deck, interval=interval, introduced=introduced, ef=ef, lapses=lapses,
                suspended=suspended, due=due, tags=tags)


def groups(cards, recent=None):
    """What store.progress.card_groups reads from SQL, from hand-made cards (one note a deck);
    `recent` maps a card to its (answers, passed) of the last 30 days."""
    recent = recent or {}
    found = {}
    for c in cards:
        if c["suspended"]:
            continue
        key = (c["deck"], c["tags"], f"concepts/{c['deck']}.md")
        g = found.setdefault(key, dict(total=0, new=0, young=0, mature=0, credit=0.0, due=0, ef_sum=0.0, a=0, p=0))
        g["total"] += 1
        stage = "new" if not c["introduced"] else ("young" if c["interval"] < 21 else "mature")
        g[stage] += 1
        g["credit"] += card_credit(c["introduced"], c["interval"])
        g["due"] += c["due"] is not None and c["due"] <= TODAY
        g["ef_sum"] += c["ef"] if c["introduced"] else 0
        answers, passed = recent.get(c["id"], (0, 0))
        g["a"] += answers
        g["p"] += passed
    return [CardGroup(*key, g["total"], g["new"], g["young"], g["mature"], g["credit"], g["due"], g["ef_sum"],
                      g["a"], g["p"]) for key, g in found.items()]


def weak(cards):
    return [WeakCard(c["id"], f"question {c['id']}?", c["lapses"], c["ef"]) for c in cards
            if c["introduced"] and not c["suspended"] and (c["lapses"] >= 6 or c["ef"] <= 1.7)]


def progress_of(plan, cards, runs=(), recent=None):
    return compute_progress(plan, groups(cards, recent), weak(cards), list(runs), TODAY)


def run(run_id, lab, holes, graded=False, passed=None, mode="full", day=TODAY):
    return LearnerRun(run_id, lab, day, mode, graded, passed,
                      [{"name": name, "status": status} for name, status in holes.items()])


PLAN = StudyPlan(
    domains=(Domain("math", "Math", 3.0), Domain("nn", "Networks", 1.0)),
    topics=(Topic("calc", "Calculus", "math", decks=("math",)),
            Topic("backprop", "Backprop", "nn", decks=("nn",)),
            Topic("empty", "Nothing yet", "nn", tags=("nothing",))),
    milestones=(Milestone("by-hand", "Backprop by hand", "backprop", "spiral", holes=("affine", "sigmoid")),),
)

WITHOUT_EMPTY = replace(PLAN, topics=PLAN.topics[:2])


def test_a_card_earns_credit_from_its_first_answer_to_maturity():
    assert card_credit(False, 0) == 0
    assert card_credit(True, 0) == pytest.approx(0.2)
    assert card_credit(True, 1) == pytest.approx(0.2 + 0.8 / 21)
    assert card_credit(True, 21) == card_credit(True, 400) == 1.0


def test_no_reviews_yet_gives_zero_everywhere_and_points_at_the_heaviest_domain():
    facts = [card("m1", "math", introduced=False), card("n1", "nn", introduced=False)]
    progress = progress_of(PLAN, facts)
    assert progress.overall == 0 and progress.mastered == 0
    assert progress.cards.total == 2 and progress.cards.new == 2
    assert progress.next_step.topic == "calc" and "learn its 1 new card" in progress.next_step.action
    assert [g.kind for g in progress.gaps] == ["empty_topic"]


def test_weights_shares_and_a_mastered_topic():
    facts = [card("m1", "math", interval=30), card("m2", "math", interval=25),
             card("n1", "nn", interval=3, due=TODAY), card("s", "nn", suspended=True, interval=0)]
    progress = progress_of(PLAN, facts, recent={"n1": (4, 3)})
    calc, backprop, empty = progress.topics
    assert calc.mastered and calc.progress == 1.0
    cards_part = 0.2 + 0.8 * 3 / 21
    assert backprop.progress == pytest.approx(0.7 * cards_part)  # no milestone met yet
    assert backprop.cards.total == 1 and backprop.due == 1  # the suspended card does not count
    assert backprop.confidence == 0.75 and backprop.mean_ef == 2.5
    assert not empty.mastered and empty.progress == 0
    networks = (backprop.progress + 0) / 2
    assert progress.overall == pytest.approx((3 * 1.0 + 1 * networks) / 4)
    assert progress.next_step.topic == "empty"  # half the small domain's weight, nothing done
    assert progress.next_step.action == "write a concept note with recall cards for it"
    without_empty = progress_of(WITHOUT_EMPTY, facts)
    assert without_empty.next_step.topic == "backprop" and "review its 1 due card" in without_empty.next_step.action


def test_a_milestone_is_met_by_holes_passing_across_the_learner_s_runs():
    milestone = PLAN.milestones[0]
    runs = [run(1, "spiral", {"affine": "passed", "sigmoid": "failed"}),
            run(2, "other", {"sigmoid": "passed"}),
            run(3, "spiral", {"affine": "failed", "sigmoid": "passed"}, day=date(2026, 12, 3))]
    assert milestone_status(milestone, runs[:2]).missing == ("sigmoid",)
    status = milestone_status(milestone, runs)
    assert status.met and status.run_id == 3 and status.day == date(2026, 12, 3)


def test_a_targets_milestone_needs_a_graded_full_run_that_passed():
    milestone = Milestone("goal", "Goal", "backprop", "spiral", targets=True)
    assert not milestone_status(milestone, [run(1, "spiral", {}, graded=False, passed=True)]).met
    assert not milestone_status(milestone, [run(2, "spiral", {}, graded=True, passed=False)]).met
    assert not milestone_status(milestone, [run(3, "spiral", {}, graded=True, passed=True, mode="quick")]).met
    assert milestone_status(milestone, [run(4, "spiral", {}, graded=True, passed=True)]).met


def test_gaps_name_leeches_low_e_factors_and_holes_that_fail_in_your_latest_run():
    facts = [card("leech", "nn", interval=1, lapses=7, ef=1.3), card("low", "nn", interval=2, ef=1.6),
             card("fine", "nn", interval=2, ef=2.2)]
    runs = [run(1, "spiral", {"affine": "failed", "sigmoid": "failed"}), run(2, "spiral", {"affine": "passed"})]
    gaps = progress_of(PLAN, facts, runs).gaps
    assert [(g.kind, g.card_id or g.lab or g.topic) for g in gaps] == [
        ("empty_topic", "calc"), ("empty_topic", "empty"), ("leech", "leech"), ("low_ef", "low"),
        ("failing_hole", "spiral")]
    assert "sigmoid" in gaps[-1].text


def test_with_every_card_mature_the_next_step_is_the_lab_milestone():
    facts = [card("m1", "math", interval=30), card("n1", "nn", interval=40)]
    runs = [run(1, "spiral", {"affine": "passed"})]
    progress = progress_of(WITHOUT_EMPTY, facts, runs)
    backprop = progress.topics[1]
    assert not backprop.mastered and backprop.progress == pytest.approx(0.7)
    assert progress.next_step.topic == "backprop"
    assert progress.next_step.action == "lab spiral: make sigmoid pass (studyterm lab start spiral)"
