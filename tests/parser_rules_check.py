"""An opt-in pytest plugin: every note any test parses is also parsed with the full block
parser, and the run fails where the tokens differ (issue 17's proof for the reduced parsers)
or where the simple block reader's blocks differ from the full parser's.

    pytest -p tests.parser_rules_check -m "not slow" -n0
"""

from __future__ import annotations

import pytest

from studyterm.notes import blocks, markdown_blocks, parser

checked = {"notes": 0, "simple": 0}


def _checked(text: str):
    from tests.notes.test_parser_rules import tokens

    md = _reduced(text)
    if md is not markdown_blocks.block_parser():
        assert tokens(md, text) == tokens(markdown_blocks.block_parser(), text), text[:200]
    checked["notes"] += 1
    return md


def _checked_simple(lines: list[str]):
    simple = _simple(lines)
    if simple is not None:
        body = "\n".join(lines)
        tokens = markdown_blocks.block_parser().parse(body)
        assert simple == blocks.group_blocks(tokens, 0, len(tokens), lines), body[:200]
        checked["simple"] += 1
    return simple


_reduced = markdown_blocks.markdown_for
_simple = parser.read_simple_blocks


@pytest.fixture(autouse=True)
def _compare_with_the_full_parser(monkeypatch):
    monkeypatch.setattr(markdown_blocks, "markdown_for", _checked)
    monkeypatch.setattr(parser, "read_simple_blocks", _checked_simple)


def pytest_terminal_summary(terminalreporter):
    if checked["notes"] or checked["simple"]:  # under pytest-xdist the parses happen in the workers
        terminalreporter.write_line(
            f"parser_rules_check: {checked['notes']} full parses compared with the full rule set, "
            f"{checked['simple']} simple block reads compared with the full parser"
        )
