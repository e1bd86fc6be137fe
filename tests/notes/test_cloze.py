from studyterm.notes import cloze


def test_finds_groups_hints_and_offsets():
    text = "The {{c1::softmax}} of {{c2::scores::what goes in}} and {{c1::again}}"
    deletions, errors = cloze.find_deletions(text)
    assert errors == []
    assert [(d.group, d.text, d.hint) for d in deletions] == [
        (1, "softmax", None),
        (2, "scores", "what goes in"),
        (1, "again", None),
    ]
    assert text[deletions[0].start : deletions[0].end] == "{{c1::softmax}}"


def test_braces_inside_math_do_not_close_a_deletion():
    text = r"A {{c1::$\frac{1}{1+e^{-x}}$}} sigmoid"
    deletions, errors = cloze.find_deletions(text)
    assert errors == []
    assert deletions[0].text == r"$\frac{1}{1+e^{-x}}$"


def test_cloze_inside_code_is_not_a_deletion():
    assert cloze.find_deletions("write `{{c1::x}}` in Anki")[0] == []


def test_unclosed_nested_empty_and_zero_are_errors():
    for text, message in [
        ("a {{c1::b", "unclosed"),
        ("a {{c1::b {{c2::c}} d}}", "nested"),
        ("a {{c1::}}", "empty"),
        ("a {{c0::b}}", "c1"),
    ]:
        _, errors = cloze.find_deletions(text)
        assert errors and message in errors[0].message, text


def test_render_hides_one_group_and_shows_the_others():
    text = "{{c1::Forward}} then {{c2::backward::pass}}"
    assert cloze.render(text, 1, reveal=False) == "[...] then backward"
    assert cloze.render(text, 2, reveal=False) == "Forward then [pass]"
    assert cloze.render(text, 2, reveal=True, filled=lambda s: f"**{s}**") == "Forward then **backward**"


def test_groups_are_sorted_and_unique():
    assert cloze.groups("{{c3::a}} {{c1::b}} {{c3::c}}") == [1, 3]
