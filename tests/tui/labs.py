"""Helpers for the lab screen tests: the shipped exercise labs, cards linking their holes and
predictions, and reading what a widget shows."""

from __future__ import annotations

from rich.syntax import Syntax
from textual.widgets import Static

from studyterm.labs import HoleChecked, Labs
from tests.labs.fakes import completed

SPIRAL_HOLES = ("sigmoid_forward", "sigmoid_backward", "affine_backward",
                "softmax_with_loss_backward", "sgd_update")

HOLE_CARDS = """
---
deck: labs
---
sigmoid :: 1 / (1 + e^-x)
lab: ch01_spiral#sigmoid_forward

affine backward :: dx = dout Wᵀ, dW = xᵀ dout, db = Σ dout
lab: ch01_spiral#affine_backward

sgd :: w ← w − lr · grad, in place
lab: ch01_spiral#sgd_update

a learning rate of 10 :: still converges here: sigmoid and softmax keep gradients bounded
lab: ch01_spiral#lr_too_high
"""


async def settle(pilot):
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def passing(metrics):
    """A completed run of ch01_spiral whose holes all passed."""
    return completed(metrics, holes=[HoleChecked(name, "passed", 1, 1) for name in SPIRAL_HOLES])


def start(collection, lab_id="ch01_spiral"):
    Labs(collection).start(lab_id)


def add_hole_cards(collection):
    """A note whose cards link three holes and a prediction of ch01_spiral."""
    (collection.layout.concepts / "spiral-holes.md").write_text(HOLE_CARDS.lstrip(), encoding="utf-8")
    collection.sync()


def linked_card(collection, lab_id="ch01_spiral"):
    return next(card for card in collection.search() if card.lab == lab_id)


def only(collection, card):
    """Bury every other card, so the review opens on this one."""
    collection.bury([c.id for c in collection.search() if c.id != card.id])
    return card


def text_of(screen, selector: str) -> str:
    """The plain text a Static shows (the code, for a Syntax)."""
    widget = screen.query_one(selector, Static)
    if isinstance(widget.content, Syntax):
        return widget.content.code
    return str(widget.render())
