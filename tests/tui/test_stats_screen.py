"""The progress and statistics screen: opened from home with P and S, filled from the log."""

from datetime import timedelta

import pytest
from textual.widgets import DataTable, Static, TabbedContent

from studyterm.clock import parse_now
from studyterm.collection import Collection
from studyterm.layout import Layout
from studyterm.progress.plan import PLAN_FILE
from studyterm.tui.app import make_app
from studyterm.tui.screens.stats import StatsScreen, calendar_text, whole_ticks
from tests.tui.conftest import NOW, FakeEditor, FrozenTimer
from tests.tui.test_snapshots import keys

SIZE = (100, 30)
PLAN = """
[[domain]]
id = "nn"
name = "Neural networks"
weight = 3

[[domain]]
id = "tools"
name = "Frameworks"
weight = 1

[[topic]]
id = "backprop"
name = "Backpropagation"
domain = "nn"
decks = ["dlfs2"]

[[topic]]
id = "loop"
name = "The training loop"
domain = "tools"
decks = ["pytorch"]

[[milestone]]
id = "by-hand"
name = "Backprop implemented manually"
topic = "backprop"
lab = "ch01_spiral"
holes = ["affine_backward"]
"""


class StudiedClock:
    """A clock the test moves: two weeks of answers before NOW."""

    def __init__(self) -> None:
        self.moment = parse_now(NOW) - timedelta(days=14)

    def __call__(self):
        return self.moment


@pytest.fixture
def studied(tmp_path):
    root = tmp_path / "collection"
    for deck in ("dlfs2", "pytorch"):
        (root / "concepts" / deck).mkdir(parents=True)
    cards = "\n\n".join(f"question {n} :: answer {n}" for n in range(6))
    (root / "concepts/dlfs2/ch01.md").write_text(cards + "\n", encoding="utf-8")
    (root / "concepts/pytorch/loop.md").write_text("batch :: samples per step\n\nepoch :: a pass\n", encoding="utf-8")
    (root / PLAN_FILE).write_text(PLAN, encoding="utf-8")
    clock = StudiedClock()
    collection = Collection.open(Layout(root), clock)
    collection.sync()
    grades = [5, 4, 3, 5, 1, 4, 5, 2]
    for day in range(0, 14, 2):
        clock.moment = parse_now(NOW) - timedelta(days=14 - day)
        for index, entry in enumerate(collection.queue()):
            collection.answer(entry.card_id, grades[(day + index) % len(grades)], duration_ms=20_000)
    clock.moment = parse_now(NOW)
    yield collection
    collection.close()


def build(collection):
    return make_app(collection, monotonic=FrozenTimer(), editor=FakeEditor(), sync_on_start=False, watch=False)


async def test_p_and_s_open_the_screen_on_each_tab_with_the_figures(studied):
    app = build(studied)
    async with app.run_test(size=SIZE) as pilot:
        await keys("S")(pilot)
        assert isinstance(app.screen, StatsScreen)
        assert app.screen.query_one(TabbedContent).active == "statistics-pane"
        summary = str(app.screen.query_one("#stats-summary", Static).render())
        answers = studied.store.query("SELECT count(*) FROM reviews")[0][0]
        assert summary.startswith(f"{answers} answers in a year")
        assert app.screen.query_one("#hardest", DataTable).row_count > 0
        evidence = str(app.screen.query_one("#evidence", Static).render())
        assert "SM-2" in evidence and "FSRS (default parameters)" in evidence and "Better here:" in evidence
        await keys("p")(pilot)
        assert app.screen.query_one(TabbedContent).active == "progress-pane"
        text = str(app.screen.query_one("#progress-text", Static).render())
        assert "Backpropagation" in text and "□ Backprop implemented manually (to pass: affine_backward)" in text
        await keys("escape", "P")(pilot)
        assert app.screen.query_one(TabbedContent).active == "progress-pane"


async def test_a_broken_plan_is_shown_and_the_statistics_still_come(studied):
    (studied.layout.root / PLAN_FILE).write_text("[[domain]]\n", encoding="utf-8")
    app = build(studied)
    async with app.run_test(size=SIZE) as pilot:
        await keys("P")(pilot)
        text = str(app.screen.query_one("#progress-text", Static).render())
        assert text.endswith("every [[domain]] needs an id (text)")
        assert "answers in a year" in str(app.screen.query_one("#stats-summary", Static).render())


def test_counts_get_whole_ticks_and_the_calendar_marks_busy_days():
    assert whole_ticks(0) == [0, 1] and whole_ticks(3) == [0, 1, 2, 3] and whole_ticks(40) == [0, 10, 20, 30, 40]
    today = parse_now(NOW).date()
    text = calendar_text(((today, 8), (today - timedelta(days=1), 1)), today).plain
    assert "busiest day: 8 answers" in text and "█" in text and "░" in text


def settled(key):
    """The key, then time for the plots to take their final width (the scrollbar comes once
    the figures fill the pane) before the picture is taken."""

    async def run_before(pilot):
        await keys(key)(pilot)
        for _ in range(3):
            await pilot.pause(0.1)
            await pilot.app.workers.wait_for_complete()

    return run_before


def test_statistics_screen(snap_compare, studied):
    assert snap_compare(build(studied), terminal_size=SIZE, run_before=settled("S"))


def test_progress_screen(snap_compare, studied):
    assert snap_compare(build(studied), terminal_size=SIZE, run_before=settled("P"))


async def test_with_too_few_reviews_the_comparison_says_not_yet(tmp_path):
    root = tmp_path / "fresh"
    (root / "concepts").mkdir(parents=True)
    (root / "concepts/a.md").write_text("q :: a\n", encoding="utf-8")
    with Collection.open(Layout(root), StudiedClock()) as collection:
        collection.sync()
        collection.answer(collection.next_card().card_id, 4)
        app = build(collection)
        async with app.run_test(size=SIZE) as pilot:
            await settled("S")(pilot)
            assert str(app.screen.query_one("#evidence", Static).render()).startswith("Not yet: ")
            assert not app._notifications  # no "Something went wrong"
