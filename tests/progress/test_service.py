"""Progress and statistics of a real collection: real notes, real answers at hand-set times
(across midnight and the 04:00 rollover), an undo, a retired card, lab feedback."""

from datetime import date

from studyterm.progress import service
from studyterm.progress.plan import PLAN_FILE
from tests.conftest import write_note

NOTE = """---
deck: nn/backprop
tags: [backprop]
---
one :: 1

two :: 2

three :: 3
"""


def answer_all(collection, grade):
    answered = []
    while (entry := collection.next_card()) is not None and entry.card_id not in answered:
        collection.answer(entry.card_id, grade)
        answered.append(entry.card_id)
    return answered


def test_answers_count_on_their_study_day_and_undone_ones_not_at_all(collection, collection_root, clock):
    write_note(collection_root, "concepts/nn.md", NOTE)
    collection.sync()
    clock.set("2026-11-30T23:30:00+00:00")
    first, *_ = answer_all(collection, 4)  # three answers on Nov 30
    clock.set("2026-12-01T02:00:00+00:00")  # before the 04:00 rollover: still Nov 30's study day
    wrong = collection.answer(first, 1, force=True)
    collection.undo(wrong.entry.id)
    clock.set("2026-12-02T10:00:00+00:00")

    stats = service.statistics(collection)

    assert stats.today == date(2026, 12, 2)
    assert dict(stats.calendar)[date(2026, 11, 30)] == 3 and stats.answers == 3
    assert dict(stats.buttons) == {0: 0, 1: 0, 2: 0, 3: 0, 4: 3, 5: 0}  # the undone 1 is not an answer
    assert stats.young.total == 0  # first answers are not retention
    assert sum(count for _, count in stats.forecast) == 0  # due Dec 1: overdue, not ahead
    (topic,) = service.progress(collection).topics  # no studyplan.toml: one topic per top deck
    assert (topic.topic.id, topic.due, topic.cards.young) == ("nn", 3, 3)


def test_a_retired_card_leaves_the_topic_and_its_history_stays_out_of_mastery(collection, collection_root, clock):
    (collection_root / PLAN_FILE).write_text(
        '[[domain]]\nid = "nn"\nweight = 1\n\n[[topic]]\nid = "bp"\ndomain = "nn"\ndecks = ["nn"]\n',
        encoding="utf-8")
    write_note(collection_root, "concepts/nn.md", NOTE)
    collection.sync()
    answer_all(collection, 5)
    before = service.progress(collection)
    assert before.topics[0].cards.total == 3 and before.topics[0].cards.young == 3
    assert before.plan_source.endswith(PLAN_FILE)
    write_note(collection_root, "concepts/nn.md", NOTE.replace("three :: 3\n", ""))
    collection.sync()

    after = service.progress(collection)

    assert after.topics[0].cards.total == 2
    assert after.overall == after.topics[0].progress > 0
    assert service.statistics(collection).answers == 3  # the log keeps the retired card's answer


def test_a_hard_cloze_card_is_named_by_its_paragraph(collection, collection_root, clock):
    write_note(collection_root, "concepts/c.md", "- The {{c1::learning rate}} scales every {{c2::step}}.\n")
    collection.sync()
    answer_all(collection, 4)
    clock.advance(days=2)
    for entry in collection.queue():
        collection.answer(entry.card_id, 1)
    hardest = service.statistics(collection).hardest
    assert len(hardest) == 2 and all("{{c1::learning rate}}" in card.question for card in hardest)
