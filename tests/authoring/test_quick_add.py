"""Quick add: one Q/A into a note's recall section, verified before it is written."""

import pytest

from studyterm.authoring.files import NoteError
from studyterm.authoring.quick_add import add_recall
from studyterm.notes.parser import parse_note
from tests.conftest import write_note


def cards(path):
    return [(c.question, c.answer) for c in parse_note(path.read_text(encoding="utf-8")).cards]


def test_the_card_goes_at_the_end_of_the_recall_section(tmp_path):
    path = write_note(tmp_path, "concepts/a.md", """
        ---
        title: T
        ---
        # T

        ## Recall

        Q: first?
        A: one

        ## Open questions

        Why?
        """)
    added = add_recall(tmp_path, "concepts/a.md", "  second?  ", "two\n")
    text = path.read_text(encoding="utf-8")
    assert "A: one\n\nQ: second?\nA: two\n\n## Open questions\n" in text
    assert added.line == text.split("\n").index("Q: second?") + 1
    assert cards(path) == [("first?", "one"), ("second?", "two")]


def test_without_a_recall_heading_the_card_goes_at_the_end(tmp_path):
    path = write_note(tmp_path, "concepts/a.md", "# T\n\n- item {{c1::x}}\n\n\n")
    add_recall(tmp_path, "concepts/a.md", "q?", "a $x^2$")
    assert path.read_text(encoding="utf-8") == "# T\n\n- item {{c1::x}}\n\nQ: q?\nA: a $x^2$\n\n\n"


def test_a_recall_heading_right_before_the_next_one_gets_a_blank_line(tmp_path):
    path = write_note(tmp_path, "concepts/a.md", "## Recall Q&A\n## Later\n")
    add_recall(tmp_path, "concepts/a.md", "q?", "a")
    assert path.read_text(encoding="utf-8") == "## Recall Q&A\n\nQ: q?\nA: a\n\n## Later\n"


def test_crlf_notes_stay_crlf(tmp_path):
    path = tmp_path / "a.md"
    path.write_bytes(b"x :: y\r\n")
    add_recall(tmp_path, "a.md", "q?", "a")
    assert path.read_bytes() == b"x :: y\r\n\r\nQ: q?\r\nA: a\r\n"


def test_nothing_is_written_when_the_card_would_not_read_back(tmp_path):
    before = "Q: first?\nA: one\n\n```python\nprint('the fence is never closed')\n"
    path = write_note(tmp_path, "concepts/a.md", before)
    with pytest.raises(NoteError, match="would not read back"):
        add_recall(tmp_path, "concepts/a.md", "q?", "a")
    assert path.read_text(encoding="utf-8") == before


@pytest.mark.parametrize(
    ("text", "question", "answer", "message"),
    [
        ("Q: First  one?\nA: one\n", "First one?", "again", "already asks that question"),
        ("a :: b\n", "", "a", "question is empty"),
        ("a :: b\n", "q", "  ", "answer is empty"),
        ("---\ntitle: [oops\n---\n", "q", "a", "fix the note first"),
    ],
)
def test_bad_input_is_refused_and_the_note_left_alone(tmp_path, text, question, answer, message):
    path = write_note(tmp_path, "concepts/a.md", text)
    with pytest.raises(NoteError, match=message):
        add_recall(tmp_path, "concepts/a.md", question, answer)
    assert path.read_text(encoding="utf-8") == text


def test_a_note_read_in_another_format_is_never_written(tmp_path):
    (tmp_path / "studyterm.toml").write_text('[formats]\n"vault" = "obsidian"\n', encoding="utf-8")
    path = write_note(tmp_path, "concepts/vault/Cells.md", "#flashcards\n\na::b\n")
    before = path.read_bytes()
    with pytest.raises(NoteError, match="obsidian note read in place"):
        add_recall(tmp_path, "concepts/vault/Cells.md", "new?", "card")
    assert path.read_bytes() == before
