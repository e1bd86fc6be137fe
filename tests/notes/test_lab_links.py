"""`lab: LAB#NAME` links a card to one hole or prediction of a lab (docs/notes.md)."""

import textwrap

from studyterm.notes.frontmatter import split_lab_link
from studyterm.notes.parser import parse_note


def parse(text: str):
    return parse_note(textwrap.dedent(text).lstrip("\n"))


def test_a_card_links_one_hole_and_the_front_matter_a_whole_lab():
    note = parse(
        """
        ---
        lab: ch01_spiral
        ---
        Q: What is the gradient of the bias of an affine layer?
        A: The sum of dout over the batch.
        lab: ch01_spiral#affine_backward

        sgd :: w -= lr * grad
        lab: ch01_spiral#sgd_update

        - The learning rate {{c1::scales}} each step.
        lab: ch01_spiral#lr_too_high
        """
    )
    assert note.problems == []
    assert note.front.lab == "ch01_spiral"
    assert [c.lab for c in note.cards] == [
        "ch01_spiral#affine_backward", "ch01_spiral#sgd_update", "ch01_spiral#lr_too_high"]


def test_front_matter_may_link_a_hole():
    assert parse("---\nlab: gradcheck#relu_backward\n---\nx :: y\n").front.lab == "gradcheck#relu_backward"


def test_a_malformed_link_is_a_warning_and_links_nothing():
    note = parse("Q: q\nA: a\nlab: ch01_spiral#Affine Backward\n")
    assert [c.lab for c in note.cards] == [None]
    assert [(p.line, p.message) for p in note.problems] == [
        (3, "'lab:' expects one lab id (or LAB#HOLE), got 'ch01_spiral#Affine Backward'")]


def test_split_lab_link():
    assert split_lab_link("ch01_spiral#sgd_update") == ("ch01_spiral", "sgd_update")
    assert split_lab_link("ch01_spiral") == ("ch01_spiral", None)
