"""The watcher, on real files: what it reports, and that it stops."""

import queue
import threading

import pytest

from studyterm.authoring.watch import _is_note_change, watch_notes
from studyterm.layout import Layout

pytestmark = pytest.mark.real_timers  # real lab processes / file watching (pyproject.toml says why)

WAIT_S = 10  # an upper bound for a slow machine, not a sleep: the test goes on at the event


@pytest.fixture
def watching(collection_root):
    stop = threading.Event()
    batches: queue.Queue = queue.Queue()
    started = threading.Event()

    def run():
        started.set()
        for paths in watch_notes(Layout(collection_root), stop, debounce_ms=200):
            batches.put(paths)
        batches.put(None)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    started.wait(WAIT_S)
    yield batches
    stop.set()
    thread.join(WAIT_S)
    assert not thread.is_alive()


def test_a_new_note_is_reported_by_its_collection_path(collection_root, watching):
    folder = collection_root / "concepts" / "deck"
    folder.mkdir()
    (collection_root / "concepts" / "_templates").mkdir()
    note = folder / "a.md"
    seen: set[str] = set()
    # watchfiles gives no "armed" signal: write again until a batch names the note.
    for attempt in range(int(WAIT_S / 0.25)):
        (collection_root / "concepts" / "_templates" / "t.md").write_text(str(attempt))
        note.write_text(f"a :: {attempt}\n", encoding="utf-8")
        try:
            batch = watching.get(timeout=0.25)
        except queue.Empty:
            continue
        assert batch is not None, "the watcher stopped"
        seen |= batch
        if "concepts/deck/a.md" in seen:
            break
    assert "concepts/deck/a.md" in seen
    assert not any(path.startswith("concepts/_") for path in seen)


def test_the_filter_leaves_out_temporary_files_and_templates(tmp_path):
    concepts = tmp_path / "concepts"
    assert _is_note_change(concepts / "deck" / "a.md", concepts)
    assert _is_note_change(concepts / "renamed-folder", concepts)
    assert not _is_note_change(concepts / ".a.md.x1.tmp", concepts)
    assert not _is_note_change(concepts / "_templates" / "session.md", concepts)
    assert not _is_note_change(concepts / "a.md~", concepts)
    assert not _is_note_change(tmp_path / "labs" / "x.py", concepts)
