"""Parse workers run with the collector paused (notes/parallel.py): that is only safe while
parsing leaves no reference cycles behind, whatever the note."""

from __future__ import annotations

import gc
from pathlib import Path

from hypothesis import HealthCheck, given, settings

from studyterm.notes.parallel import load_note
from studyterm.sync_cold import load_cold
from tests.notes.test_parser_properties import markdownish

ROOT = Path(__file__).resolve().parents[2]
NOTES = sorted([*ROOT.glob("concepts/**/*.md"), *ROOT.glob("tests/fixtures/**/*.md")])


def _cycles_left_by(action) -> int:
    gc.collect()
    gc.disable()
    try:
        action()
        return gc.collect()
    finally:
        gc.enable()


def test_the_corpus_and_fixtures_leave_no_cycles(tmp_path):
    assert len(NOTES) > 30
    broken = tmp_path / "broken.md"
    broken.write_bytes(b"---\ntitle: [unclosed\n---\nQ: q?\n")

    def parse_all():
        for path in [*NOTES, broken]:
            load_note((str(path), None))
            load_cold((str(path), path.name, 1, 1, None))

    parse_all()  # caches (compiled patterns, parser instances) fill on the first pass
    assert _cycles_left_by(parse_all) == 0


@settings(max_examples=40, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
          deadline=None)
@given(text=markdownish)
def test_any_text_leaves_no_cycles(tmp_path, text):
    path = tmp_path / "note.md"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    load_note((str(path), None))  # first pass: caches
    assert _cycles_left_by(lambda: load_note((str(path), None))) == 0
