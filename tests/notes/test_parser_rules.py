"""Leaving out the block rules whose marks a note lacks gives exactly the tokens of the full parser."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from studyterm.notes import markdown_blocks

ROOT = Path(__file__).resolve().parents[2]


def tokens(md, text: str) -> list[tuple]:
    return [(t.type, t.tag, t.nesting, t.level, t.map, t.markup, t.info, t.content, t.block, t.hidden)
            for t in md.parse(text)]


def same_as_full_parser(text: str) -> bool:
    return tokens(markdown_blocks.markdown_for(text), text) == tokens(markdown_blocks.block_parser(), text)


def test_every_note_of_the_corpus_parses_to_the_same_tokens():
    notes = [p for folder in (ROOT / "concepts", ROOT / "tests" / "fixtures") for p in sorted(folder.rglob("*.md"))]
    assert len(notes) >= 15
    reduced = 0
    for path in notes:
        text = path.read_text(encoding="utf-8")
        assert same_as_full_parser(text), path
        reduced += markdown_blocks.markdown_for(text) is not markdown_blocks.block_parser()
    assert reduced >= 10  # most notes lack some marks


def test_the_synthetic_benchmark_note_leaves_out_rules_and_parses_the_same():
    import random
    import sys

    sys.path.insert(0, str(ROOT / "benchmarks"))
    from synthetic import note_text

    text = note_text(3, random.Random(1))
    assert markdown_blocks.markdown_for(text) is not markdown_blocks.block_parser()
    assert same_as_full_parser(text)


BLOCKY = st.sampled_from([
    "Q: a", "A: b", "x | y", "--- | ---", "|-|", "> quote", "<div>", "</div>", "<!-- c -->", "[r]: /u",
    "[r]", "$$", "$$ (1)", "# h", "## h", "```", "~~~", "```py", "- item", "1. item", "  - nested",
    "    code", "***", "---", "===", "text", "", "", "c {{c1::x}}", "a :: b", "*", "\\#", "`", "$x$",
    "a -", "  ==", "> ---", "- ---", "   -", "> text", "- > q", "1) one", "\t- tab",
])


@settings(max_examples=300, deadline=None)
@given(st.lists(BLOCKY, min_size=1, max_size=12))
def test_random_block_soups_parse_to_the_same_tokens(lines):
    assert same_as_full_parser("\n".join(lines))
