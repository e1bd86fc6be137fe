"""The parser never raises, whatever the text: problems are data, not exceptions."""

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from studyterm.notes.model import CardKind
from studyterm.notes.parser import parse_note, parse_note_bytes

FRAGMENTS = [
    "Q:", "A:", "**Q:**", "::", " :: ", "{{c1::", "{{c2::", "::hint", "}}", "$", "$$", "`", "```",
    "---", "...", "# ", "## ", "- ", "1. ", "> ", "    ", "\n", "\n\n", "lab: ", "lab: x", "|", "\\",
    "<div>", "title: x", "tags: [", "\t", "\r\n", "é", "∂",
]
markdownish = st.lists(
    st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=8)), max_size=60
).map("".join)


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(markdownish)
def test_parse_note_never_raises(text):
    note = parse_note(text)
    lines = text.replace("\r\n", "\n").replace("\r", "\n").count("\n") + 1
    for card in note.cards:
        assert 1 <= card.line <= lines
        assert card.question.strip()
        if card.kind == CardKind.BASIC:
            assert card.answer.strip()
        else:
            assert card.cloze_group and card.cloze_group >= 1
    for problem in note.problems:
        assert 1 <= problem.line <= lines + 1


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=300))
def test_parse_note_bytes_never_raises(data):
    parse_note_bytes(data)


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(["Q:", "A:", "**Q:**", "**A:**", "lab:", " ", "\t", "x", "Q", ":", "*", "é"]),
                max_size=6).map("".join))
def test_the_combined_card_line_pattern_matches_as_the_three_patterns_do(line):
    from studyterm.notes.parser import _CARD_LINE, A_LINE, LAB_LINE, Q_LINE

    match = _CARD_LINE.match(line)
    if question := Q_LINE.match(line):
        assert match and match.group("q") and match.end() == question.end()
    elif answer := A_LINE.match(line):
        assert match and match.group("a") and match.end() == answer.end()
    elif lab := LAB_LINE.match(line):
        assert match and (match.start("lab"), match.end("lab")) == lab.span(1)
    else:
        assert match is None


SPAN_FRAGMENTS = [
    "Q: ", "A: ", "**Q:**", "**A:**", "lab: x", "lab: `x`", "::", " :: ", "{{c1::", "}}", "$", "$$",
    "`", "``", "\\", "\\$", "\\`", "x", " ", "\t", "\n", "\n\n", "- ", "# h\n", "é",
]
spanny = st.lists(st.sampled_from(SPAN_FRAGMENTS), max_size=40).map("".join)


def _always_masked(lines):
    from studyterm.notes.mask import mask_inline

    masked = mask_inline("\n".join(lines))
    return masked, masked.split("\n")


@settings(max_examples=1500, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(spanny)
@example("lab: x$Q: \n}}$")  # a span hid the space after a lab value from the pattern
def test_skipping_the_mask_where_it_cannot_matter_finds_the_same_cards(text):
    """parser._masked leaves a paragraph unmasked when no span could hide card syntax: the
    note must parse exactly as it does with every paragraph masked."""
    from unittest import mock

    from studyterm.notes import parser

    shortcut = parse_note(text)
    with mock.patch.object(parser, "_masked", _always_masked):
        masked = parse_note(text)
    assert shortcut == masked


CARD_LINES = [
    "Q: q", "A: a", "**Q:** q", "**A:**a", "Q:", "A:", "lab: x", "lab: no good", "more", "  more", "\tmore",
    "`x", "x`", "$y", "y$", "x :: y", "{{c1::x}}", "", "", "- Q: q", "  A: a", "# h", "```", "Q:\tq", " Q: q",
    "Q: q\nA: a", "Q: q\nA: a\n", "Q: r\nA: b\nmore\n", "Q: `q\nA: a`",
]
cardy = st.lists(st.sampled_from(CARD_LINES), max_size=30).map("\n".join)


@settings(max_examples=2000, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.one_of(cardy, spanny))
@example("Q: q\nA: a\nmore\n\nQ: r\nA: b\n  more\nlab: x")
@example("Q: q\nA: a\n\nQ: r\nA: b\nmore\n\nQ: s")
def test_a_whole_card_paragraph_reads_as_the_line_loop_reads_it(text):
    """_Scanner.whole_card reads a `Q:`/`A:` paragraph at once: the note must parse exactly as
    it does when every paragraph goes through the line loop."""
    from unittest import mock

    from studyterm.notes import parser

    at_once = parse_note(text)
    with mock.patch.object(parser._Scanner, "whole_card", lambda *args: False):
        line_by_line = parse_note(text)
    assert at_once == line_by_line
