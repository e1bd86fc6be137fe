from studyterm.notes.mask import FILL, mask_inline


def visible(text: str) -> str:
    return mask_inline(text).replace(FILL, "_")


def test_plain_text_is_unchanged():
    assert mask_inline("a :: b {{c1::x}}") == "a :: b {{c1::x}}"


def test_code_span_is_hidden_but_keeps_its_length():
    text = "run `a :: b` now"
    masked = mask_inline(text)
    assert len(masked) == len(text)
    assert "::" not in masked
    assert masked.startswith("run ") and masked.endswith(" now")


def test_double_backtick_code_span_may_hold_a_single_backtick():
    assert visible("x ``a ` :: b`` y") == "x " + "_" * 12 + " y"


def test_unmatched_backticks_are_literal():
    assert visible("a ` :: b") == "a ` :: b"


def test_inline_math_hides_braces():
    assert visible(r"$\frac{a}{b}}$ and }}") == "_" * 14 + " and }}"


def test_dollar_followed_by_space_does_not_open_math():
    assert visible("costs $ 5 and $6") == "costs $ 5 and $6"


def test_display_math_is_hidden():
    assert visible("$$x}}$$ after") == "_______ after"


def test_escaped_dollar_does_not_open_math():
    assert "::" in mask_inline(r"\$5 :: $x$")


def test_newlines_survive_masking():
    assert mask_inline("`a\nb`").count("\n") == 1
