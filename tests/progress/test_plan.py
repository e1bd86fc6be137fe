"""studyplan.toml: read and checked, every error naming the file; no file gives a plan by deck."""

from datetime import date

import pytest

from studyterm.progress.plan import PLAN_FILE, PlanError, load_plan

PLAN = """
[[domain]]
id = "math"
name = "Mathematical foundations"
weight = 20

[[domain]]
id = "nn"
name = "Neural-network fundamentals"
weight = 18

[[topic]]
id = "backprop"
name = "Backpropagation"
domain = "nn"
decks = ["dlfs2/ch01/"]
tags = ["backprop"]

[[topic]]
id = "calculus"
domain = "math"
notes = ["concepts/math/chain-rule.md"]

[[milestone]]
id = "backprop-by-hand"
name = "Backprop implemented manually"
topic = "backprop"
lab = "ch01_spiral"
holes = ["affine_backward"]
targets = true

[[session]]
date = 2026-12-07
topic = "backprop"
what = "DLFS2 ch.1"
"""


def test_a_plan_is_read_with_its_domains_topics_milestones_and_sessions(tmp_path):
    (tmp_path / PLAN_FILE).write_text(PLAN, encoding="utf-8")
    plan = load_plan(tmp_path, ["ignored"])
    assert [(d.id, d.weight) for d in plan.domains] == [("math", 20.0), ("nn", 18.0)]
    backprop, calculus = plan.topics
    assert backprop.decks == ("dlfs2/ch01",) and calculus.name == "calculus"  # the id names it by default
    assert backprop.holds("dlfs2/ch01/extra", (), "x.md") and backprop.holds("other", ("backprop",), "x.md")
    assert not backprop.holds("dlfs2/ch010", (), "x.md")
    assert calculus.holds("math", (), "concepts/math/chain-rule.md")
    (milestone,) = plan.milestones_of("backprop")
    assert milestone.holes == ("affine_backward",) and milestone.targets
    assert plan.sessions[0].day == date(2026, 12, 7) and plan.source == str(tmp_path / PLAN_FILE)


def test_without_a_plan_each_top_level_deck_is_a_topic(tmp_path):
    plan = load_plan(tmp_path, ["pytorch", "dlfs2"])
    assert [t.id for t in plan.topics] == ["dlfs2", "pytorch"] and plan.source is None


@pytest.mark.parametrize(("change", "message"), [
    ('domain = "nn"\ndecks', "domain 'nope' is not one of the plan's domains (math, nn)"),
    ('id = "backprop"', "two [[topic]] tables have the id 'backprop'"),
    ("weight = 20", "weight must be a number"),
    ('lab = "ch01_spiral"', "lab must name a lab"),
    ("targets = true", None),
    ("date = 2026-12-07", "needs a date"),
    ("[[domain]]", "no [[domain]]"),
    ("[[session]]", "Expected"),
])
def test_a_broken_plan_is_one_line_naming_the_file(tmp_path, change, message):
    broken = {
        'domain = "nn"\ndecks': PLAN.replace('domain = "nn"\ndecks', 'domain = "nope"\ndecks'),
        'id = "backprop"': PLAN.replace('id = "calculus"', 'id = "backprop"'),
        "weight = 20": PLAN.replace("weight = 20", 'weight = "a lot"'),
        'lab = "ch01_spiral"': PLAN.replace('lab = "ch01_spiral"', "lab = 3"),
        "targets = true": PLAN.replace('holes = ["affine_backward"]\ntargets = true', ""),
        "date = 2026-12-07": PLAN.replace("date = 2026-12-07", 'date = "next week"'),
        "[[domain]]": PLAN.split("[[topic]]")[0].replace("[[domain]]", "[[area]]"),
        "[[session]]": PLAN + "\n[[session\n",
    }[change]
    (tmp_path / PLAN_FILE).write_text(broken, encoding="utf-8")
    with pytest.raises(PlanError) as raised:
        load_plan(tmp_path, [])
    text = str(raised.value)
    assert text.startswith(str(tmp_path / PLAN_FILE)) and "\n" not in text
    assert (message or "holes = [...] or targets = true") in text
