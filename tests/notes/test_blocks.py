"""The simple block reader gives exactly markdown-it's blocks wherever it does not decline."""

from __future__ import annotations

import random
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from studyterm.notes import markdown_blocks, parser
from studyterm.notes.blocks import Block, Item, group_blocks, read_simple_blocks
from studyterm.notes.frontmatter import read_front_matter

ROOT = Path(__file__).resolve().parents[2]


def body_lines(text: str) -> list[str]:
    """The lines parse_note hands to the block readers (front matter blanked)."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    try:
        end = read_front_matter(lines).end_line
    except Exception:
        end = -1
    return [""] * (end + 1) + lines[end + 1 :]


def full_blocks(lines: list[str]) -> list[Block]:
    body = "\n".join(lines)
    tokens = markdown_blocks.block_parser().parse(body)
    return group_blocks(tokens, 0, len(tokens), lines)


def agrees(text: str) -> bool | None:
    """None where the simple reader declines, else whether it matches the full parser."""
    lines = body_lines(text)
    simple = read_simple_blocks(lines)
    return None if simple is None else simple == full_blocks(lines)


def corpus() -> list[Path]:
    return [p for folder in (ROOT / "concepts", ROOT / "tests" / "fixtures") for p in sorted(folder.rglob("*.md"))]


def test_every_note_of_the_corpus_reads_the_same_where_the_simple_reader_takes_it():
    results = {path: agrees(path.read_text(encoding="utf-8")) for path in corpus()}
    assert all(result is not False for result in results.values()), [p for p, r in results.items() if r is False]
    assert sum(result is True for result in results.values()) >= 1


def test_the_synthetic_benchmark_note_takes_the_simple_reader():
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from synthetic import note_text

    for index in range(20):
        assert agrees(note_text(index, random.Random(index))) is True


def test_paragraphs_are_trimmed_as_markdown_it_trims_them():
    from markdown_it.common.utils import MD_TRIM_CHARS

    from studyterm.notes.blocks import TRIM

    assert TRIM == MD_TRIM_CHARS


def test_a_simple_note_reads_as_paragraphs_headings_fences_and_items():
    lines = ["# Title", "", "Q: what?", "A: this", "", "```py", "    x = 1", "```", "- a :: b", "lazy", "", "- c"]
    assert read_simple_blocks(lines) == [
        Block("heading", 0, 1),
        Block("paragraph", 2, 4, lines=["Q: what?", "A: this"]),
        Block("other", 5, 8),
        Block("list", 8, 12, items=[
            Item([Block("paragraph", 8, 10, lines=["a :: b", "lazy"])], 2),
            Item([Block("paragraph", 11, 12, lines=["c"])], 2),
        ]),
    ]
    assert read_simple_blocks(lines) == full_blocks(lines)


def test_items_may_hold_indented_lines_and_paragraphs_and_math_blocks_stand_alone():
    lines = ["- Q: what?", "  A: this", "", "  and more", "", "$$", "x^2", "$$", "$$ y $$"]
    assert read_simple_blocks(lines) == [
        Block("list", 0, 5, items=[Item([
            Block("paragraph", 0, 2, lines=["Q: what?", "A: this"]),
            Block("paragraph", 3, 4, lines=["and more"]),
        ], 2)]),
        Block("other", 5, 8),
        Block("other", 8, 9),
    ]
    assert read_simple_blocks(lines) == full_blocks(lines)


@pytest.mark.parametrize("text", [
    "    indented code", "> quote", "<div>", "a | b\n--|--", "text\n===", "text\n---", "***", "1. one",
    "[ref]: /url", "```\nnever closed", "``` a`b", "- one\n* two",
    "-\ttab item", "- ", "- # heading in an item", "- > quote", "- ```", "- a\n   three spaces",
    "- a\n\n  - nested after a blank", "$$\nx\n\n$$", "$$ (1)", "$$\nx $$ (1)",
])
def test_what_the_simple_reader_leaves_to_the_full_parser(text):
    assert read_simple_blocks(text.split("\n")) is None


BLOCK_SOUP = st.sampled_from([
    "Q: a", "A: b", "**Q:** a", "text", "more text", "", "", "", "# h", "## h", "####### seven", "#tag",
    "```", "```py", "~~~", "````", "``` x`y", "   ```", "  ~~~", "    code", "- item", "- Q: q", "A: lazy",
    "* star", "+ plus", "- ", "-", "--", "---", "***", "* * *", "___", "===", "a | b", "--|--", "|-|",
    "> q", "<div>", "[r]: /u", "$$", "$x$ :: y", "1. one", "2) two", "10 apples", "\\# esc", "`x` :: y",
    "c {{c1::x}}", "a :: b", "lab: ch01_spiral", "\t- tab", "- **bold**", "- - nested", "-x", "*em*",
    "\u00a0", "é :: ∂", "~~strike~~", "``two``", "  A: indented", "  more", "  - nested", "   three", " one",
    "  ", "$$", "$$ x $$", "x^2 $$", "  $$", "\u3000 x", "\x0c", "\u3000", "$$ a", "b $$", "$$ (1)", "0.5 of them", "  ```", "  # h",
])


@settings(max_examples=600, deadline=None)
@given(st.lists(BLOCK_SOUP, min_size=1, max_size=14))
def test_random_block_soups_read_the_same(lines):
    assert agrees("\n".join(lines)) is not False


@settings(max_examples=300, deadline=None)
@given(st.lists(BLOCK_SOUP, min_size=1, max_size=14))
def test_random_notes_parse_to_the_same_cards_and_problems_either_way(lines):
    text = "\n".join(lines)
    simple = parser.parse_note(text)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(parser, "read_simple_blocks", lambda lines: None)
        full = parser.parse_note(text)
    assert simple == full
