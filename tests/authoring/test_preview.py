"""The live preview: cards as the learner sees them, problems with lines, identity statuses."""

import textwrap

from studyterm.authoring.preview import Status, lab_ids, preview_note
from studyterm.notes.model import Severity
from tests.conftest import write_note

NOTE = textwrap.dedent(
    r"""
    ---
    lab: ch01_spiral
    ---
    Q: What is the softmax of $s$?
    A: $\frac{e^{s_k}}{\sum_i e^{s_i}}$

    - The {{c1::learning rate}} scales every {{c2::gradient step::what}}.
    lab: gradcheck

    Q: lonely
    """
).lstrip()


def test_cards_are_shown_as_in_the_review_and_problems_point_at_lines():
    preview = preview_note(NOTE, "concepts/dlfs2/ch03/softmax.md")
    assert preview.deck == "dlfs2/ch03"
    assert [(c.number, c.line, c.kind, c.cloze_group) for c in preview.cards] == [
        (1, 4, "basic", None), (2, 7, "cloze", 1), (3, 7, "cloze", 2),
    ]
    basic, first, second = preview.cards
    assert basic.front == "What is the softmax of s?"
    assert "e" in basic.back and "$" not in basic.back  # math rendered as Unicode
    assert first.front == "The **[...]** scales every gradient step."
    assert first.back == "The **learning rate** scales every gradient step."
    assert second.front == "The learning rate scales every **[what]**."
    assert (basic.lab, first.lab) == ("ch01_spiral", "gradcheck")
    assert all(card.status == Status.NEW for card in preview.cards)
    assert [(p.line, p.severity) for p in preview.problems] == [(10, Severity.ERROR)]
    assert preview.errors == 1 and preview.warnings == 0


def test_statuses_follow_the_identity_rules(collection, collection_root):
    path = write_note(collection_root, "concepts/a.md", "Q: What is an epoch?\nA: One pass over the data.\n\nstep :: one update\n\nbatch :: a few samples\n")
    collection.sync()
    known = collection.note_cards("concepts/a.md")
    ids = {card.question: card.id for card in known}
    edited = (
        "Q: What is an epoch?\nA: One full pass over every sample of the data.\n\n"
        "step :: one update\n\nlearning rate :: the step size\n"
    )
    preview = preview_note(edited, "concepts/a.md", known)
    assert [(c.status, c.card_id) for c in preview.cards] == [
        (Status.EDITED, ids["What is an epoch?"]),
        (Status.SAME, ids["step"]),
        (Status.NEW, None),
    ]
    assert preview.vanished == 1  # "batch" would retire
    assert path.exists()


def test_an_unreadable_note_reports_why_and_retires_nothing(collection, collection_root):
    write_note(collection_root, "concepts/a.md", "a :: b\n")
    collection.sync()
    preview = preview_note("---\ntitle: [broken\n---\n", "concepts/a.md", collection.note_cards("concepts/a.md"))
    assert not preview.readable and preview.cards == () and preview.vanished == 0
    assert preview.problems[0].line == 2


def test_links_to_missing_labs_are_warnings(collection_root):
    (collection_root / "labs" / "ch01_spiral").mkdir()
    (collection_root / "labs" / "ch01_spiral" / "lab.toml").write_text("")
    (collection_root / "labs" / "no_spec").mkdir()
    labs = lab_ids(collection_root / "labs")
    assert labs == {"ch01_spiral"}
    preview = preview_note(NOTE, "concepts/x.md", labs=labs)
    warnings = [(p.line, p.message) for p in preview.problems if p.severity is Severity.WARNING]
    assert warnings == [(7, "this cloze links lab 'gradcheck', which is not a folder with a lab.toml under labs/")] * 2
    front = preview_note("---\nlab: nope\n---\na :: b\n", "concepts/x.md", labs=labs)
    assert [(p.line, p.severity) for p in front.problems] == [(2, Severity.WARNING)]
