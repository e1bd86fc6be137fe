"""Fuzz: any bytes as a note never make sync raise, and a card is never retired unless the note
parsed cleanly (no error reported for it). A card written verbatim after the fuzz keeps its id."""

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from studyterm.collection import Collection
from studyterm.layout import Layout
from tests.conftest import ManualClock
from tests.notes.test_parser_properties import markdownish

ORIGINAL = "Q: What is an epoch?\nA: One pass over the data.\n\nQ: What is a step?\nA: One update.\n"
KEPT = "Q: What is a step?\nA: One update.\n"

any_note = st.one_of(st.binary(max_size=400), markdownish.map(lambda text: text.encode("utf-8", "surrogatepass")))


class Fixture:
    def __init__(self) -> None:
        self.folder = tempfile.TemporaryDirectory()
        root = Path(self.folder.name)
        for sub in ("concepts", "labs", "decks"):
            (root / sub).mkdir()
        self.note = root / "concepts" / "fuzz.md"
        self.collection = Collection.open(Layout(root), ManualClock())

    def reset(self) -> dict[str, str]:
        self.note.write_text(ORIGINAL, encoding="utf-8")
        self.collection.sync()
        return self.active()

    def active(self) -> dict[str, str]:
        rows = self.collection.store.conn.execute("SELECT question, id FROM cards WHERE retired = 0")
        return dict(rows.fetchall())


FIXTURE: list[Fixture] = []


def fixture() -> Fixture:
    if not FIXTURE:
        FIXTURE.append(Fixture())
    return FIXTURE[0]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(any_note)
@example(b"```python\nx = 1")
@example(b"<!-- a draft")
@example(b"<pre>")
@example("\n".join("  " * depth + "- x" for depth in range(40)).encode())
@example(b"---\ntitle: [x\n---")
@example(b"\xff\xfe")
@example(b"\x00")
def test_any_bytes_as_a_note_never_raise_nor_silently_retire(data):
    setup = fixture()
    before = setup.reset()
    setup.note.write_bytes(data + b"\n\n" + KEPT.encode())
    report = setup.collection.sync()
    errors = [problem for path, problem in report.errors if path == "concepts/fuzz.md"]
    if report.retired:
        assert not errors, (data, errors)
    assert setup.active().get("What is a step?") == before["What is a step?"], (data, report.problems)
