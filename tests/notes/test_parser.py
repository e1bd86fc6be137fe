import textwrap

from studyterm.notes.model import CardKind, Severity
from studyterm.notes.parser import parse_note, parse_note_bytes


def parse(text: str):
    return parse_note(textwrap.dedent(text).lstrip("\n"))


def basic(note):
    return [(c.question, c.answer) for c in note.cards if c.kind == CardKind.BASIC]


def messages(note):
    return [(p.line, p.severity.value, p.message) for p in note.problems]


def test_question_and_answer_pairs_with_line_numbers():
    note = parse(
        """
        # Training

        Q: What is an epoch?
        A: One pass over the data.

        Q: What is a batch?
        A: A subset of samples.
        """
    )
    assert basic(note) == [("What is an epoch?", "One pass over the data."), ("What is a batch?", "A subset of samples.")]
    assert [c.line for c in note.cards] == [3, 6]
    assert note.problems == []


def test_answer_spans_paragraphs_lists_code_and_math_until_the_next_question():
    note = parse(
        """
        Q: How does backprop through an affine layer work?
        A: Two products:

        - $dx = dout \\cdot W^T$
        - $dW = x^T \\cdot dout$

        ```python
        dx = dout @ W.T
        ```

        $$
        \\frac{\\partial L}{\\partial W} = x^T \\frac{\\partial L}{\\partial h}
        $$

        Q: Next?
        A: Yes.
        """
    )
    (question, answer), _ = basic(note)
    assert question == "How does backprop through an affine layer work?"
    assert answer.startswith("Two products:")
    assert "- $dW = x^T \\cdot dout$" in answer
    assert "```python\ndx = dout @ W.T\n```" in answer
    assert "\\frac{\\partial L}" in answer
    assert "Next?" not in answer


def test_answer_ends_at_a_heading():
    note = parse(
        """
        Q: One?
        A: Uno.

        More about uno.

        ## Elsewhere

        Unrelated prose.
        """
    )
    assert basic(note) == [("One?", "Uno.\n\nMore about uno.")]


def test_code_fence_holding_card_syntax_makes_no_cards():
    note = parse(
        """
        ```text
        Q: not a card
        A: still not
        a :: b
        {{c1::nope}}
        ```

            Q: indented code is not a card either
            A: no
        """
    )
    assert note.cards == []
    assert note.problems == []


def test_question_may_hold_a_code_block_before_its_answer():
    note = parse(
        """
        Q: What does this print?
        ```python
        print(2 ** 3)
        ```
        A: `8`
        """
    )
    assert basic(note) == [("What does this print?\n\n```python\nprint(2 ** 3)\n```", "`8`")]


def test_one_line_cards_in_paragraphs_and_lists():
    note = parse(
        """
        epoch :: one pass over the training set
        step :: one parameter update

        - batch size :: samples per step
        - `std::vector` is C++, not a card
        """
    )
    assert basic(note) == [
        ("epoch", "one pass over the training set"),
        ("step", "one parameter update"),
        ("batch size", "samples per step"),
    ]
    assert [c.line for c in note.cards] == [1, 2, 4]


def test_separator_inside_code_or_math_is_not_a_card():
    note = parse("Use `a :: b` and $x :: y$ freely.\n")
    assert note.cards == []


def test_cloze_groups_make_one_card_each():
    note = parse(
        """
        The {{c1::softmax}} turns {{c2::scores}} into probabilities, like any {{c1::normaliser}}.
        """
    )
    clozes = [c for c in note.cards if c.kind == CardKind.CLOZE]
    assert [c.cloze_group for c in clozes] == [1, 2]
    assert all(c.question.startswith("The {{c1::softmax}}") for c in clozes)


def test_math_holding_braces_does_not_end_a_cloze():
    note = parse("Sigmoid: {{c1::$\\sigma(x) = \\frac{1}{1+e^{-x}}$}} squashes.\n")
    assert len(note.cards) == 1 and note.problems == []


def test_nested_list_items_each_hold_their_own_cards():
    note = parse(
        """
        - Layers
          - The {{c1::affine}} layer computes $xW + b$.
          - ReLU :: max(0, x)
        - Q: What is dropout?
          A: Zeroing random units during training.

          ```python
          Q: inside an item's code fence
          ```
        - Tail item.
        """
    )
    assert [c.kind for c in note.cards] == [CardKind.CLOZE, CardKind.BASIC, CardKind.BASIC]
    assert basic(note)[1] == (
        "What is dropout?",
        "Zeroing random units during training.\n\n```python\nQ: inside an item's code fence\n```",
    )
    assert [c.line for c in note.cards] == [2, 3, 4]


def test_lab_lines_link_cards_and_front_matter_sets_the_default():
    note = parse(
        """
        ---
        title: Spiral
        deck: dlfs2::ch01
        tags: [dlfs2, training]
        lab: ch01_spiral
        ---

        Q: Which lab trains the spiral?
        A: This one.
        lab: ch01_two_layer

        Plain :: one
        lab: gradcheck

        No link :: two

        The {{c1::learning rate}} matters.
        lab: lr_sweep
        """
    )
    assert note.front.title == "Spiral"
    assert note.front.deck == "dlfs2/ch01"
    assert note.front.tags == ("dlfs2", "training")
    assert note.front.lab == "ch01_spiral"
    assert [c.lab for c in note.cards] == ["ch01_two_layer", "gradcheck", None, "lr_sweep"]
    assert note.cards[0].answer == "This one."


def test_bold_markers_are_accepted():
    note = parse("**Q:** Bold question?\n**A:** Bold answer.\n")
    assert basic(note) == [("Bold question?", "Bold answer.")]


def test_question_without_answer_is_an_error_and_the_rest_still_parses():
    note = parse(
        """
        Q: Lonely question?

        ## Next

        Q: Fine?
        A: Yes.
        """
    )
    assert basic(note) == [("Fine?", "Yes.")]
    assert messages(note) == [(1, "error", "'Q:' without 'A:' (no answer before the next card, heading or end)")]


def test_unclosed_cloze_is_reported_on_its_line():
    note = parse(
        """
        Fine :: card

        First line
        then {{c1::never closed
        """
    )
    assert basic(note) == [("Fine", "card")]
    assert messages(note) == [(4, "error", "unclosed cloze: '{{c1::' has no '}}'")]


def test_a_duplicate_card_in_one_note_is_skipped_a_shared_question_is_not():
    note = parse(
        """
        Q: Same?
        A: First.

        Q: Same?
        A: Second.
        """
    )
    assert basic(note) == [("Same?", "First."), ("Same?", "Second.")]
    assert messages(note) == []
    twice = parse(
        """
        Q: Same?
        A: First.

        Q: Same?
        A: First.
        """
    )
    assert basic(twice) == [("Same?", "First.")]
    assert messages(twice) == [(4, "error", "duplicate card (first on line 1); skipped")]


def test_answer_without_question_and_empty_answer():
    note = parse(
        """
        A: orphan

        Q: Empty answer?
        A:
        """
    )
    assert note.cards == []
    assert messages(note) == [
        (1, "warning", "'A:' without a 'Q:' before it is ignored"),
        (3, "error", "'A:' is empty"),
    ]


def test_lab_line_not_under_a_card_is_a_warning():
    note = parse("Prose.\n\nlab: lonely\n")
    assert note.problems[0].severity is Severity.WARNING
    assert note.problems[0].line == 3


def test_broken_front_matter_makes_the_note_unreadable_with_its_line():
    note = parse(
        """
        ---
        title: ok
        tags: [unclosed
        ---
        Q: a?
        A: b
        """
    )
    assert not note.readable and note.cards == []
    assert note.problems[0].line in (3, 4)
    assert "not valid YAML" in note.problems[0].message


def test_unclosed_front_matter_and_wrong_types():
    assert "never closed" in parse("---\ntitle: x\n").problems[0].message
    wrong = parse("---\ntitle: x\ndeck: [a, b]\n---\n")
    assert (wrong.problems[0].line, wrong.problems[0].message) == (3, "front matter 'deck' must be text")


def test_binary_non_utf8_and_empty_files():
    binary = parse_note_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    assert not binary.readable and "binary" in binary.problems[0].message
    latin1 = parse_note_bytes("Q: ok?\nA: fine\nQ: caf\xe9?\n".encode("latin-1"))
    assert not latin1.readable
    assert (latin1.problems[0].line, "UTF-8" in latin1.problems[0].message) == (3, True)
    assert "empty" in parse_note_bytes(b"  \n\n").problems[0].message


def test_utf8_bom_and_windows_line_endings_are_fine():
    note = parse_note_bytes("\ufeffQ: Café?\r\nA: Oui.\r\n".encode("utf-8"))
    assert basic(note) == [("Café?", "Oui.")]


def test_cards_inside_tables_and_blockquotes_are_ignored():
    note = parse(
        """
        | q :: x | y |
        |--------|---|
        | 1      | 2 |

        > Q: quoted?
        > A: no
        """
    )
    assert note.cards == []


def outline(levels: int) -> str:
    return "\n".join("  " * depth + f"- level {depth}" for depth in range(levels))


def test_a_ten_level_outline_is_read_and_the_cards_after_it_too():
    note = parse_note(f"Q: one?\nA: 1\n\n{outline(12)}\n\nQ: two?\nA: 2\n")
    assert [card.question for card in note.cards] == ["one?", "two?"]
    assert note.problems == []


def test_nesting_past_the_parser_limit_is_an_error_on_its_line():
    text = f"Q: one?\nA: 1\n\n{outline(40)}\n\nQ: two?\nA: 2\n"
    note = parse_note(text)
    assert [card.question for card in note.cards] == ["one?"]
    assert [(p.line, p.severity) for p in note.problems] == [(35, Severity.ERROR)]
    assert "nested more than 32 levels" in note.problems[0].message


def test_an_unclosed_code_fence_is_an_error_on_its_line():
    note = parse_note("Q: one?\nA: 1\n\n```python\nx = 1\n\nQ: two?\nA: 2\n")
    assert [card.question for card in note.cards] == ["one?"]
    assert [(p.line, p.severity) for p in note.problems] == [(4, Severity.ERROR)]
    assert note.problems[0].message.startswith("unclosed code fence")


def test_an_unclosed_html_comment_is_an_error_closed_blocks_are_not():
    note = parse_note("intro\n\n<!-- draft\n\nQ: two?\nA: 2\n")
    assert [(p.line, p.message.split(":")[0]) for p in note.problems] == [(3, "unclosed HTML block")]
    closed = [
        "a\n\n```\nx\n```\n\n", "a\n\n````\nx\n`````\n", "- a\n  ```\n  x\n  ```\n",
        "> ```\n> x\n> ```\n", "<pre>\nx\n</pre>\n", "<!-- a -->\n\nQ: q\nA: a\n",
    ]
    for text in closed:
        assert parse_note(text).problems == [], text
    assert parse_note("a\n\n```\nx\n```python\n").has_errors
