"""With FSRS on, the grade keys show FSRS's intervals and card info shows predicted recall."""

from datetime import timedelta
from pathlib import Path

import pytest
from textual.widgets import Static

from studyterm.clock import fixed_clock, parse_now
from studyterm.collection import Collection
from studyterm.layout import Layout
from studyterm.tui.app import make_app
from studyterm.tui.screens.card_info import CardInfoScreen
from studyterm.tui.screens.review import Phase, ReviewScreen
from tests.tui.conftest import NOW


@pytest.fixture
def fsrs_collection(sample_root: Path):
    (sample_root / "studyterm.toml").write_text('[review]\nscheduler = "fsrs"\n', encoding="utf-8")
    collection = Collection.open(Layout(sample_root), fixed_clock(parse_now(NOW)))
    collection.sync()
    yield collection
    collection.close()


def grade_texts(screen) -> list[str]:
    return [str(screen.query_one(f"#grade-{g}", Static).render()) for g in range(6)]


async def test_grade_keys_show_fsrs_intervals_and_card_info_shows_recall(fsrs_collection, timer, editor):
    app = make_app(fsrs_collection, monotonic=timer, editor=editor, sync_on_start=False, watch=False)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        await pilot.press("space")
        await pilot.pause()
        assert screen.phase is Phase.ANSWER
        texts = grade_texts(screen)
        # A new card under FSRS's defaults: Again 1 day (and again today), Hard 1, Good 2, Easy 8;
        # SM-2 would say 1 day for every passing grade.
        assert [text.split("\n")[1] for text in texts] == [
            "1d · again", "1d · again", "1d · again", "1d", "2d", "8d"]
        card_id = screen.session.current.card.id
        await pilot.press("5")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert fsrs_collection.card(card_id).schedule.due == fsrs_collection.today() + timedelta(days=8)
        app.push_screen(CardInfoScreen(card_id))
        await pilot.pause()
        recall = str(app.screen.query_one("#info-recall", Static).render())
        assert recall.startswith("FSRS: recall 100% today · stability 8.3d · difficulty 1.0/10")
        assert "(schedules)" in recall and "SM-2: recall" in recall


async def test_the_palette_switches_schedulers(tui_collection, app_factory, sample_root):
    from studyterm.config import load_config
    from studyterm.tui.commands import SchedulerCommands

    app = app_factory()
    async with app.run_test(size=(120, 36)) as pilot:
        provider = SchedulerCommands(app.screen)
        hits = [hit async for hit in provider.search("schedule with fsrs")]
        assert [str(hit.text) for hit in hits] == ["Schedule with FSRS"]
        hits[0].command()
        await pilot.pause()
        assert tui_collection.scheduling.name == "fsrs"
        assert load_config(sample_root / "studyterm.toml").scheduler == "fsrs"
        again = [hit async for hit in provider.search("schedule with")]
        assert [str(hit.text) for hit in again] == ["Schedule with SM-2"]
