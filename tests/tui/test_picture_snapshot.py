"""A card with a picture, drawn in half-cell blocks (what every terminal without Kitty or Sixel
graphics shows), at 80x24. Regenerate with `--snapshot-update` and look at the SVG first."""

import pytest

from studyterm.clock import fixed_clock, parse_now
from studyterm.collection import Collection
from studyterm.layout import Layout
from studyterm.tui.app import StartSession, make_app
from tests.pictures import add_picture_note
from tests.tui.conftest import NOW, FakeEditor, FrozenTimer
from tests.tui.test_snapshots import keys


@pytest.fixture
def picture_app(tmp_path):
    root = tmp_path / "collection"
    add_picture_note(root)
    collection = Collection.open(Layout(root), fixed_clock(parse_now(NOW)))
    collection.sync()

    def build(**options):
        return make_app(collection, monotonic=FrozenTimer(), editor=FakeEditor(), sync_on_start=False,
                        watch=False, **options)

    yield build
    collection.close()


def test_question_with_a_picture(snap_compare, picture_app):
    assert snap_compare(picture_app(start=StartSession()), terminal_size=(80, 24), run_before=keys())
