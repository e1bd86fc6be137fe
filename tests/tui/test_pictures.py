"""Pictures in the review, card info and the note editor's preview; `v` opens the viewer."""

from pathlib import Path

from textual.widgets import OptionList

from studyterm.quiz import Mode
from studyterm.tui.app import StartSession
from studyterm.tui.screens.card_info import CardInfoScreen
from studyterm.tui.screens.note_editor import open_note_editor
from studyterm.tui.widgets.pictures import PictureStrip
from tests.pictures import add_picture_note


class FakeViewer:
    def __init__(self) -> None:
        self.opened: list[Path] = []

    def __call__(self, path: Path) -> str | None:
        self.opened.append(path)
        return None


async def settle(pilot):
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def drawn(strip: PictureStrip) -> int:
    return len(strip.query(".picture"))


async def test_review_draws_the_question_picture_and_v_opens_it(app_factory, tui_collection):
    add_picture_note(tui_collection.layout.root)
    tui_collection.sync()
    viewer = FakeViewer()
    app = app_factory(viewer=viewer, start=StartSession(deck="graphs", mode=Mode.FLASH))
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        card = screen.session.current.card
        assert card.question.startswith("What does this node compute?")
        question = screen.query_one("#question-pictures", PictureStrip)
        assert drawn(question) == 1
        assert "a multiply node" in str(question.query(".picture-caption").first().render())
        await pilot.press("v")
        assert viewer.opened == [(tui_collection.layout.root / "concepts/media/node.png").resolve()]
        await pilot.press("space")
        await settle(pilot)
        assert not screen.query_one("#answer-pictures", PictureStrip).display  # no picture there
        await pilot.press("4")
        await settle(pilot)
        await pilot.press("space")
        await settle(pilot)
        answer = screen.query_one("#answer-pictures", PictureStrip)
        assert drawn(answer) == 0
        assert "file not found" in str(answer.query(".picture-caption").first().render())
        await pilot.press("v")  # the question picture went with its card
        assert len(viewer.opened) == 1


async def test_card_info_draws_pictures(app_factory, tui_collection):
    add_picture_note(tui_collection.layout.root)
    tui_collection.sync()
    card = tui_collection.search(deck="graphs")[0]
    viewer = FakeViewer()
    app = app_factory(viewer=viewer)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.push_screen(CardInfoScreen(card.id))
        await settle(pilot)
        assert drawn(app.screen.query_one("#question-pictures", PictureStrip)) == 1
        await pilot.press("v")
        assert viewer.opened and viewer.opened[0].name == "node.png"


async def test_note_preview_draws_pictures(app_factory, tui_collection):
    add_picture_note(tui_collection.layout.root)
    tui_collection.sync()
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        open_note_editor(app, "concepts/graphs/node.md")
        await settle(pilot)
        preview = app.screen.query_one(OptionList)
        from textual_image.renderable.halfcell import Image

        first = preview.get_option_at_index(0).prompt
        assert any(isinstance(part, Image) for part in first.renderables)
        painted = app.export_screenshot().replace("&#160;", " ")
        assert "What does this node compute? ▣ a multiply" in painted  # the words around it stay
