"""The newcomer's path through the app with real lab processes: start ch01_spiral, see the
holes, write one right and one wrong, run, see which failed and why, and watch only the
matching cards move; then an lr = 10 exploration of the reference asks for a prediction and
changes nothing else."""

import pytest
from textual.widgets import Checkbox, Input

from studyterm.labs import Labs
from studyterm.tui.screens.lab_dialogs import PredictionDialog
from studyterm.tui.widgets.lab_holes import HolesPanel
from tests.labs.exercises import replace_hole
from tests.tui.labs import add_hole_cards, settle, text_of

pytestmark = [pytest.mark.usefixtures("exercise_labs"),
              pytest.mark.real_timers]  # real lab processes (pyproject.toml says why)

RIGHT_SIGMOID = "        out = 1 / (1 + np.exp(-x))\n"
WRONG_SGD = "            params[i] = params[i] - self.lr * grads[i]\n"


async def test_one_right_one_wrong_then_predict_an_exploration(app_factory, tui_collection, editor):
    add_hole_cards(tui_collection)
    edits = {"layers.py": ("sigmoid_forward", RIGHT_SIGMOID), "optim.py": ("sgd_update", WRONG_SGD)}
    editor.edit = lambda path: replace_hole(path, *edits[path.name])
    app = app_factory()  # the real subprocess runner
    async with app.run_test(size=(130, 45)) as pilot:
        app.open_lab("ch01_spiral")
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot)
        screen = app.screen
        panel = screen.query_one(HolesPanel)
        assert panel.states == dict.fromkeys(panel.spec.holes, "not_started")
        await pilot.press("e")  # sigmoid_forward, the first hole: written right
        panel.select("sgd_update")
        await pilot.press("e")  # written wrong
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert panel.states == {"sigmoid_forward": "passing", "sigmoid_backward": "not_started",
                                "affine_backward": "not_started",
                                "softmax_with_loss_backward": "not_started", "sgd_update": "failing"}
        assert panel.selected == "sgd_update"
        detail = text_of(screen, "#lab-hole-detail")
        assert "✗ 1/2 checks optim.py:10: params[0]: the array the layer holds did not change" in detail
        result = text_of(screen, "#lab-result")
        assert "lab ch01_spiral#sigmoid_forward passed (1/1 checks): EF 2.50 → 2.60, still new" in result
        assert "lab ch01_spiral#sgd_update failed 1/2 checks: optim.py:10:" in result

        labs = Labs(tui_collection)
        links = labs.card_links("ch01_spiral")
        moved = {card.id: tui_collection.history(card.id)[-1].grade
                 for card in tui_collection.search() if tui_collection.history(card.id)}
        assert moved == {links["sigmoid_forward"][0]: 5, links["sgd_update"][0]: 2}

        screen.query_one("#lab-reference", Checkbox).value = True
        screen.query_one("#param-lr", Input).value = "10"
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert isinstance(app.screen, PredictionDialog)
        await pilot.press("2")  # stall (seed 0 at lr = 10 ends near 0.81)
        await settle(pilot)
        assert "Prediction right: “stall: end above 0.5”" in text_of(screen, "#lab-result")
        assert panel.states["sgd_update"] == "failing"  # the reference's results are not the learner's
    (event,) = tui_collection.history(links["lr_too_high"][0])
    assert (event.grade, event.detail["prediction"]["correct"]) == (4, True)
    after = {card.id for card in tui_collection.search() if tui_collection.history(card.id)}
    assert after == set(moved) | {links["lr_too_high"][0]}  # nothing else moved
