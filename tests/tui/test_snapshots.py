"""Key screens at a fixed size, with a fixed clock and a frozen timer.

Regenerate after an intended change with `pytest tests/tui/test_snapshots.py --snapshot-update`
and look at the SVGs in tests/tui/__snapshots__ before committing them."""

import textwrap

import pytest

from studyterm.clock import fixed_clock, parse_now
from studyterm.collection import Collection
from studyterm.layout import Layout
from studyterm.quiz import Mode
from studyterm.tui.app import StartSession, make_app
from tests.tui.conftest import NOW, FakeEditor, FrozenTimer

SIZE = (100, 30)

NOTE = textwrap.dedent(
    r"""
    ---
    deck: dlfs2/ch01
    ---
    Q: How do you compute a numerically stable softmax in NumPy?
    A: Subtract the largest score first: $y_k = \frac{e^{s_k - m}}{\sum_i e^{s_i - m}}$ with
    $m = \max_i s_i$, which leaves the result unchanged:

    ```python
    def softmax(s):
        e = np.exp(s - s.max(axis=-1, keepdims=True))
        return e / e.sum(axis=-1, keepdims=True)
    ```

    $$\frac{\partial L}{\partial s} = y - t$$

    Q: What is an epoch?
    A: One full pass over the training set.

    - The {{c1::learning rate}} scales every {{c2::gradient step}}.
    """
).lstrip()


@pytest.fixture
def snapshot_app(tmp_path):
    root = tmp_path / "collection"
    (root / "concepts" / "dlfs2").mkdir(parents=True)
    (root / "concepts" / "dlfs2" / "ch01.md").write_text(NOTE, encoding="utf-8")
    (root / "concepts" / "pytorch").mkdir()
    (root / "concepts" / "pytorch" / "loop.md").write_text("batch :: samples per step\n", encoding="utf-8")
    collection = Collection.open(Layout(root), fixed_clock(parse_now(NOW)))
    collection.sync()

    def build(**options):
        return make_app(collection, monotonic=FrozenTimer(), editor=FakeEditor(), sync_on_start=False, watch=False, **options)

    yield build
    collection.close()


def keys(*presses):
    """Press keys one at a time, letting every worker finish in between (counts, searches)."""

    async def settle(pilot):
        for _ in range(2):  # a worker may start only once the first pause lets a screen resume
            await pilot.pause()
            await pilot.app.workers.wait_for_complete()
        await pilot.pause()

    async def run_before(pilot):
        await settle(pilot)
        for key in presses:
            await pilot.press(key)
            await settle(pilot)

    return run_before


def test_home(snap_compare, snapshot_app):
    assert snap_compare(snapshot_app(), terminal_size=SIZE, run_before=keys())


def test_question(snap_compare, snapshot_app):
    assert snap_compare(snapshot_app(start=StartSession()), terminal_size=SIZE, run_before=keys())


def test_answer_with_code_and_math(snap_compare, snapshot_app):
    app = snapshot_app(start=StartSession())
    assert snap_compare(app, terminal_size=SIZE, run_before=keys("space"))


def test_typed_quiz_feedback(snap_compare, snapshot_app):
    app = snapshot_app(start=StartSession(deck="dlfs2", mode=Mode.TYPED))
    skip_the_softmax_card = [*"skip", "enter", "3"]
    typed = [*"one pass over the trainng set", "enter"]
    assert snap_compare(app, terminal_size=SIZE, run_before=keys(*skip_the_softmax_card, *typed))


def test_summary(snap_compare, snapshot_app):
    grades = ["space", "5", "space", "1", "space", "4", "space", "5", "space", "5", "space", "4"]
    assert snap_compare(snapshot_app(start=StartSession()), terminal_size=SIZE, run_before=keys(*grades))


def test_note_editor_with_its_card_preview(snap_compare, snapshot_app):
    """ch01.md open in the editor with a new card and a broken one typed at its end."""
    from studyterm.tui.screens.note_editor import open_note_editor

    async def run_before(pilot):
        await keys()(pilot)
        open_note_editor(pilot.app, "concepts/dlfs2/ch01.md", line=16)
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        editor = pilot.app.screen
        editor.editor.cursor_blink = False
        editor.editor.insert("\nQ: What is a step?\nA: One parameter update.\n\nQ: lonely\n", (22, 0))
        editor.start_preview()  # at once, instead of after the typing pause
        await keys()(pilot)

    assert snap_compare(snapshot_app(), terminal_size=SIZE, run_before=run_before)


def test_choice_quiz_at_80x24(snap_compare, snapshot_app):
    """Every option on screen at 80×24, math as math, and a footer with the keys of this mode."""
    app = snapshot_app(start=StartSession(mode=Mode.CHOICE))
    assert snap_compare(app, terminal_size=(80, 24), run_before=keys())
