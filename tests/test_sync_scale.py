"""Linear-growth guards (issue 17): every step of a sync grows linearly with its input.

No timings: each guard counts the work done (characters handed to difflib, pairs scored) or
measures sizes (database bytes against note bytes, peak memory of a child process that syncs
one huge note), so a quadratic step fails here on any machine, loaded or not.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from studyterm.notes import identity
from tests.conftest import write_note


class _CountingMatcher(identity.SequenceMatcher):
    """difflib's matcher, counting the character pairs it could have to compare (len a x len b)."""

    work = 0

    def __init__(self, isjunk=None, a="", b="", autojunk=True) -> None:
        _CountingMatcher.work += len(a) * len(b)
        super().__init__(isjunk, a, b, autojunk)


def test_a_one_word_edit_in_a_52_kb_answer_hands_difflib_only_the_edit(collection, collection_root, monkeypatch):
    answer = " ".join(f"Step {i} multiplies the upstream gradient by the local one." for i in range(880))
    assert len(answer.encode()) > 52_000
    write_note(collection_root, "concepts/long.md", f"Q: Walk through backprop.\nA: {answer}\n\nQ: Other?\nA: x\n")
    collection.sync()
    before = collection.store.conn.execute("SELECT id FROM cards WHERE question LIKE 'Walk%'").fetchone()[0]
    edited = answer.replace("Step 440 multiplies", "Step 440 scales")
    write_note(collection_root, "concepts/long.md", f"Q: Walk through backprop!\nA: {edited}\n\nQ: Other?\nA: x\n")
    monkeypatch.setattr(identity, "SequenceMatcher", _CountingMatcher)
    _CountingMatcher.work = 0
    report = collection.sync()
    assert (report.created, report.retired) == (0, 0)
    after = collection.store.conn.execute("SELECT id FROM cards WHERE question LIKE 'Walk%'").fetchone()[0]
    assert after == before
    # quadratic alignment of the whole answer would be 52,800^2 = 2.8e9 character pairs
    assert _CountingMatcher.work < 10_000


def _database_bytes(collection) -> int:
    collection.store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db = collection.layout.db_path
    return db.stat().st_size + sum(p.stat().st_size for p in db.parent.glob("*-wal"))


def test_a_2000_group_cloze_paragraph_keeps_the_database_within_ten_times_the_text(collection, collection_root):
    empty = _database_bytes(collection)
    words = " ".join(f"{{{{c{g}::term number {g}}}}} is defined," for g in range(1, 2001))
    path = write_note(collection_root, "concepts/cloze.md", f"The glossary: {words} and so on.\n")
    assert collection.sync().created == 2000
    note_bytes = path.stat().st_size
    grown = _database_bytes(collection) - empty
    assert grown <= 10 * note_bytes, f"{grown} bytes of database for {note_bytes} bytes of note"
    path.write_text(f"The glossary words: {words} and so on.\n", encoding="utf-8")
    report = collection.sync()
    assert (report.updated, report.created, report.retired) == (2000, 0, 0)
    assert _database_bytes(collection) - empty <= 10 * note_bytes


_CHILD = textwrap.dedent(
    """
    import json, resource, sys
    from pathlib import Path
    from studyterm.clock import fixed_clock, parse_now
    from studyterm.collection import Collection
    from studyterm.layout import Layout
    from studyterm.notes import identity

    def peak_mb():
        # not ru_maxrss: on Linux it keeps the high-water mark of the process image exec replaced,
        # which a vfork-spawned child shares with its parent (a big pytest worker, say)
        try:
            status = Path("/proc/self/status").read_text()
        except OSError:
            scale = 1 if sys.platform == "darwin" else 1024  # bytes on macOS, KiB elsewhere
            return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * scale / 2**20
        line = next(line for line in status.splitlines() if line.startswith("VmHWM:"))
        return int(line.split()[1]) / 1024

    root, edited = Path(sys.argv[1]), sys.argv[2]
    scored = 0
    similarity = identity._Scorer.similarity
    def counted(self, candidate, known):
        global scored
        scored += 1
        return similarity(self, candidate, known)
    identity._Scorer.similarity = counted
    with Collection.open(Layout(root), fixed_clock(parse_now("2026-11-21T10:00:00+00:00"))) as collection:
        cold = collection.sync()
        if edited != "-":
            Path(edited).rename(root / "concepts" / "note.md")
        again = collection.sync()
        active = collection.store.conn.execute("SELECT count(*) FROM cards WHERE retired = 0").fetchone()[0]
    print(json.dumps({
        "cold": [cold.created, len(cold.errors)],
        "again": [again.updated, again.created, again.retired],
        "active": active,
        "scored": scored,
        "rss_mb": peak_mb(),
    }))
    """
)


def _sync_in_child(root: Path, note: str, edited: str | None) -> dict:
    for sub in ("concepts", "labs", "decks"):
        (root / sub).mkdir(parents=True, exist_ok=True)
    (root / "concepts" / "note.md").write_text(note, encoding="utf-8")
    edited_path = "-"
    if edited is not None:
        edited_path = str(root / "edited.md")
        Path(edited_path).write_text(edited, encoding="utf-8")
    done = subprocess.run([sys.executable, "-c", _CHILD, str(root), edited_path],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout)


def test_a_50000_card_note_syncs_and_keeps_every_card_after_a_typo_in_each(tmp_path):
    cards = "\n".join(f"What does the optimiser do at stepp {i} :: it updates weights {i}" for i in range(50_000))
    result = _sync_in_child(tmp_path, cards + "\n", cards.replace("stepp", "step") + "\n")
    assert result["cold"] == [50_000, 0]
    assert result["again"] == [50_000, 0, 0] and result["active"] == 50_000
    # each new card is scored against its own place (and at most a band around it): linear
    assert result["scored"] <= 2 * 50_000 * (identity.BAND * 2 + 1)
    assert result["rss_mb"] < 400


@pytest.mark.parametrize("shape", ["cards and prose", "one paragraph"])
def test_a_20_mb_note_syncs_in_bounded_memory(tmp_path, shape):
    prose = "Prose about gradients and losses, with `code` and $x^2$ math, that goes on. " * 12
    if shape == "one paragraph":
        body = (prose * (20_000_000 // len(prose) + 1))[:20_000_000] + "\n\nQ: Last?\nA: yes\n"
    else:
        block = f"Q: Why {{}}?\nA: {prose}\n\n{prose}\n\n"
        body = "".join(block.format(i) for i in range(20_000_000 // len(block) + 1))
    assert len(body) >= 20_000_000
    result = _sync_in_child(tmp_path, body, None)
    assert result["cold"][1] == 0 and result["cold"][0] >= 1
    assert result["again"] == [0, 0, 0]
    assert result["rss_mb"] < 500, f"{result['rss_mb']:.0f} MB peak for a 20 MB note"


def test_the_child_reports_its_own_peak_memory_not_its_parents(tmp_path):
    ballast = b"\x01" * (512 * 2**20)  # written, so resident in this (parent) process
    result = _sync_in_child(tmp_path, "Q: Small?\nA: yes\n", None)
    assert result["cold"] == [1, 0]
    assert result["rss_mb"] < 256, f"{result['rss_mb']:.0f} MB: the parent's {len(ballast) >> 20} MB leaked in"
