"""An opt-in pytest plugin: every note any test parses is also parsed with the full block
parser, and the run fails where the tokens differ (issue 17's proof for the reduced parsers).

    pytest -p tests.parser_rules_check -m "not slow"
"""

from __future__ import annotations

import pytest

from studyterm.notes import parser

checked = {"notes": 0}


def _checked(text: str):
    from tests.notes.test_parser_rules import tokens

    md = _reduced(text)
    if md is not parser._markdown():
        assert tokens(md, text) == tokens(parser._markdown(), text), text[:200]
    checked["notes"] += 1
    return md


_reduced = parser._markdown_for


@pytest.fixture(autouse=True)
def _compare_with_the_full_parser(monkeypatch):
    monkeypatch.setattr(parser, "_markdown_for", _checked)


def pytest_terminal_summary(terminalreporter):
    if checked["notes"]:  # under pytest-xdist the parses happen in the workers, which report nothing here
        terminalreporter.write_line(f"parser_rules_check: {checked['notes']} note parses compared with the full parser")
