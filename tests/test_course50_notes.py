"""The 50-day course's notes (concepts/course50/) as shipped: each parses cleanly, holds the 6 to
10 recall cards the track promises, and every `lab:` link names a shipped lab and, after `#`, one
of its holes or predictions (a link to anything else would never move its card)."""

from pathlib import Path

import pytest

from studyterm.labs.spec import discover
from studyterm.notes.frontmatter import split_lab_link
from studyterm.notes.parser import parse_note

REPO = Path(__file__).resolve().parents[1]
COURSE = REPO / "concepts" / "course50"
NOTES = sorted(path for path in COURSE.glob("*.md") if path.name != "README.md")
LABS = discover(REPO / "labs", REPO).labs
WEEK1_LABS = {"c50_perceptron", "c50_xor_backprop", "c50_activations_init", "c50_optimizers"}


@pytest.mark.parametrize("path", NOTES, ids=lambda path: path.name)
def test_each_note_parses_cleanly_with_6_to_10_cards(path):
    note = parse_note(path.read_text(encoding="utf-8"))
    assert note.readable and note.problems == [], note.problems
    assert 6 <= len(note.cards) <= 10, len(note.cards)


@pytest.mark.parametrize("path", NOTES, ids=lambda path: path.name)
def test_every_lab_link_names_a_shipped_hole_or_prediction(path):
    note = parse_note(path.read_text(encoding="utf-8"))
    links = [card.lab for card in note.cards if card.lab] + ([note.front.lab] if note.front.lab else [])
    for link in links:
        lab_id, name = split_lab_link(link)
        assert lab_id in LABS, f"{path.name}: lab {lab_id} is not shipped"
        spec = LABS[lab_id]
        assert name is None or name in spec.holes or name in spec.predictions, f"{path.name}: {link}"


def test_week_1_has_its_four_notes_linking_every_hole_of_its_four_labs():
    week1 = [path for path in NOTES if path.name.startswith("week1-")]
    assert len(week1) == 4
    linked = {card.lab for path in week1 for card in parse_note(path.read_text()).cards if card.lab}
    for lab_id in WEEK1_LABS:
        assert {f"{lab_id}#{hole}" for hole in LABS[lab_id].holes} <= linked, lab_id


def test_the_plan_names_every_course_lab_and_every_week():
    plan = (COURSE / "README.md").read_text(encoding="utf-8")
    for lab_id in (*WEEK1_LABS, "c50_digits", "c50_regularisation", "c50_char_lstm",
                   "c50_transformer_reverse", "c50_causal_lm"):
        assert f"`{lab_id}`" in plan, lab_id
    for week in range(1, 8):
        assert f"| {week} |" in plan, week
