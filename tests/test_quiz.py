from studyterm.quiz import (
    CHOICE_RIGHT_GRADE,
    CHOICE_WRONG_GRADE,
    answer_shape,
    choice_question,
    grade_typed,
    normalize,
    similarity,
    typeable_answers,
    typed_grade,
)
from studyterm.schedule.review import CardSchedule
from studyterm.store import CardRecord


def card(answer="One full pass over the training set.", question="What is an epoch?", kind="basic",
         group=None, card_id="c1", deck="d"):
    return CardRecord(card_id, "concepts/a.md", 1, 1, kind, question, answer, group, deck, (), None,
                      False, False, None, False, "", "", CardSchedule())


def test_normalize_ignores_case_markup_math_and_edge_punctuation():
    assert normalize("**One** full `pass`.") == "one full pass"
    assert normalize(r"$\lceil N/B \rceil$") == "⌈n/b⌉"


def test_typed_grades_follow_the_documented_thresholds():
    assert [typed_grade(s) for s in (100, 95, 80, 60, 30, 10)] == [5, 4, 3, 2, 1, 0]


def test_exact_answer_after_normalising_is_a_five():
    verdict = grade_typed(card(), "one full pass over the training set")
    assert (verdict.similarity, verdict.grade) == (100, 5)


def test_a_typo_is_a_four_and_the_diff_shows_it():
    verdict = grade_typed(card(), "One full pass over the trainng set")
    assert verdict.grade == 4
    assert [(p.kind, p.text) for p in verdict.diff if p.kind != "same"] == [
        ("missing", "training"), ("extra", "trainng"),
    ]


def test_word_order_is_forgiven_and_nonsense_is_a_zero():
    assert similarity("gradient descent step", "step gradient descent") == 100
    assert grade_typed(card(), "a cat").grade == 0


def test_cloze_typing_grades_each_hole():
    cloze = card(kind="cloze", question="The {{c1::forward}} pass then the {{c1::backward}} pass.",
                 answer="", group=1)
    assert grade_typed(cloze, "forward; backward").grade == 5
    half = grade_typed(cloze, "forward; nothing")
    assert half.grade < 5 and half.expected == "forward; backward"


def test_a_typed_line_lists_the_expected_answers_and_is_never_shown():
    from studyterm.render.card import answer_markdown

    coded = card(answer="`16`: 15 full batches of 64 and one of 40.\ntyped: 16 | sixteen")
    assert typeable_answers(coded) == [["16", "sixteen"]]
    assert "typed:" not in answer_markdown(coded)
    assert grade_typed(coded, "16").grade == 5
    assert grade_typed(coded, "Sixteen.").grade == 5
    assert grade_typed(coded, "15").grade < 3


def test_a_bar_inside_math_or_code_does_not_split_alternatives():
    assert typeable_answers(card(answer="The norm.\ntyped: $|x|$ | `a|b`")) == [["$|x|$", "`a|b`"]]


def test_without_a_typed_line_a_short_answer_can_be_typed_and_a_long_one_is_not_graded():
    assert typeable_answers(card(answer="One full pass.")) == [["One full pass."]]
    formula = card(answer="$$\\sigma(x)(1-\\sigma(x))$$\nbecause the sigmoid's derivative...")
    assert typeable_answers(formula) == [["$$\\sigma(x)(1-\\sigma(x))$$"]]
    long = card(answer="The step size of each update.\nToo large and the loss diverges.")
    assert typeable_answers(long) is None
    verdict = grade_typed(long, "how big each step is")
    assert (verdict.grade, verdict.similarity, verdict.failing) == (None, None, False)
    assert "Too large" in verdict.expected


def test_an_aside_at_the_end_of_a_one_line_answer_may_be_left_out():
    halving = card(answer="the number of updates per epoch (for a fixed data set).")
    assert grade_typed(halving, "the number of updates per epoch").grade == 5
    assert grade_typed(halving, "the number of updates per epoch for a fixed data set").grade >= 4


def test_math_compares_by_meaning_whether_latex_unicode_or_words():
    for typed in ("ceil(N/B)", "⌈N/B⌉", r"\lceil N/B \rceil", "CEIL( N / B )"):
        assert similarity(r"$\lceil N / B \rceil$", typed) == 100, typed
    assert similarity(r"$W^\top$", "Wᵀ") == similarity(r"$W^\top$", "W^T") == 100
    assert similarity(r"$\sigma(x)$", "sigma(x)") == 100
    assert similarity("N/B", "B/N") < 100  # order matters in a formula


def test_numbers_compare_by_value():
    assert similarity("0.5", ".5") == similarity("0.5", "1/2") == 100
    assert similarity("60,000", "60000") == 100
    assert similarity("1/3", "0.33") < 100


def test_a_failing_suggestion_says_so():
    verdict = grade_typed(card(answer="Samples per step"), "no idea at all")
    assert verdict.failing and verdict.grade < 3


def test_choice_never_offers_a_duplicate_of_the_right_answer():
    right = card(answer="Samples per step")
    others = [card(answer=a, card_id=f"o{i}") for i, a in enumerate(
        ["samples per step.", "One pass", "Step size", "Zeroes grads", "One pass"])]
    question = choice_question(right, others, seed="s")
    assert len(question.options) == 4
    assert question.options[question.correct] == "Samples per step"
    assert sorted(normalize(o) for o in question.options).count("samples per step") == 1
    assert len({normalize(o) for o in question.options}) == 4
    assert question.grade(question.correct) == CHOICE_RIGHT_GRADE
    assert question.grade((question.correct + 1) % 4) == CHOICE_WRONG_GRADE


def test_choice_with_few_other_answers_offers_what_there_is():
    question = choice_question(card(), [card(answer="Other", card_id="o")], seed="s")
    assert sorted(question.options) == ["One full pass over the training set.", "Other"]


def test_choice_order_is_reproducible_for_a_seed():
    others = [card(answer=f"answer {i}", card_id=f"o{i}") for i in range(10)]
    assert choice_question(card(), others, "x") == choice_question(card(), others, "x")


def test_distractors_have_the_shape_and_length_of_the_answer():
    right = card(answer="$\\lceil N / B \\rceil$")
    formulas = ["$N \\cdot B$", "$\\lfloor N / B \\rfloor$", "$N - B$", "$B / N$"]
    sentences = ["The bias is broadcast to every row, so its gradient is a sum over the batch.",
                 "Compare with a numerical gradient using central differences.", "A long story " * 5]
    others = [card(answer=a, card_id=f"o{i}") for i, a in enumerate(sentences + formulas)]
    for seed in "abcdef":
        question = choice_question(right, others, seed=seed)
        assert all(answer_shape(option) == "formula" for option in question.options), seed
    assert answer_shape("`x.sum()`") == "code" and answer_shape("`16`") == "number" and answer_shape("0.5") == "number" and answer_shape("a b") == "words"
