"""The study plan that ships with the sample collection: it loads, every milestone names a lab
and holes that exist, every topic holds cards, and `init --sample` brings it along."""

from pathlib import Path

from studyterm.collection import Collection
from studyterm.labs.spec import discover
from studyterm.layout import Layout, init_collection
from studyterm.progress import service
from studyterm.progress.plan import PLAN_FILE, load_plan

REPO = Path(__file__).resolve().parents[2]


def test_every_milestone_names_a_lab_and_holes_that_exist():
    plan = load_plan(REPO, [])
    labs = discover(REPO / "labs", REPO).labs
    assert plan.source and len(plan.domains) == 8 and plan.milestones
    for milestone in plan.milestones:
        assert milestone.lab in labs, milestone.id
        assert set(milestone.holes) <= set(labs[milestone.lab].holes), milestone.id


def test_init_sample_brings_the_plan_and_every_topic_has_cards(tmp_path, clock):
    layout, created = init_collection(tmp_path / "mine", sample=True)
    assert layout.root / PLAN_FILE in created
    with Collection.open(Layout(layout.root), clock) as collection:
        collection.sync()
        progress = service.progress(collection)
    empty = [topic.topic.id for topic in progress.topics if not topic.cards.total]
    assert empty == [] and progress.plan_source == str(layout.root / PLAN_FILE)
    assert progress.overall == 0 and progress.next_step is not None
