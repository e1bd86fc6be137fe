from studyterm.notes.identity import Candidate, KnownCard, content_key, match_cards, new_card_id
from studyterm.notes.model import CardKind, ParsedCard


def candidate(path, index, question, answer, kind=CardKind.BASIC, group=None):
    return Candidate.of(path, index, ParsedCard(kind, question, answer, index + 1, cloze_group=group))


def known(card_id, path, question, answer, kind="basic", group=None):
    return KnownCard(card_id, path, kind, question, answer, group, content_key(kind, question, answer, group))


def test_content_key_ignores_whitespace_but_not_case():
    assert content_key("basic", "What  is\nit?", "x", None) == content_key("basic", "What is it?", "x", None)
    assert content_key("basic", "what is it?", "x", None) != content_key("basic", "What is it?", "x", None)


def test_unchanged_and_reordered_cards_keep_their_ids():
    old = {"a.md": [known("id1", "a.md", "One?", "1"), known("id2", "a.md", "Two?", "2")]}
    new = {"a.md": [candidate("a.md", 0, "Two?", "2"), candidate("a.md", 1, "One?", "1")]}
    result = match_cards(new, old, {})
    assert result.matched == {("a.md", 0): "id2", ("a.md", 1): "id1"}
    assert result.created == [] and result.vanished == []


def test_rewritten_answer_keeps_the_card_when_the_question_is_the_same():
    old = {"a.md": [known("id1", "a.md", "What is an epoch?", "A pass.")]}
    new = {"a.md": [candidate("a.md", 0, "What is an epoch?", "One full sweep over every training sample.")]}
    assert match_cards(new, old, {}).matched == {("a.md", 0): "id1"}


def test_typo_fix_in_the_question_keeps_the_card():
    old = {"a.md": [known("id1", "a.md", "What is an epoh?", "One pass.")]}
    new = {"a.md": [candidate("a.md", 0, "What is an epoch?", "One pass.")]}
    assert match_cards(new, old, {}).matched == {("a.md", 0): "id1"}


def test_unrelated_new_card_is_created_and_old_one_vanishes():
    old = {"a.md": [known("id1", "a.md", "What is an epoch?", "One pass.")]}
    new = {"a.md": [candidate("a.md", 0, "Why normalise inputs?", "Better conditioning.")]}
    result = match_cards(new, old, {})
    assert result.matched == {}
    assert [c.card.question for c in result.created] == ["Why normalise inputs?"]
    assert [k.id for k in result.vanished] == ["id1"]


def test_renamed_note_keeps_cards_even_the_edited_one():
    old = {"old.md": [known("id1", "old.md", "One?", "1"), known("id2", "old.md", "What is the learning rate?", "Step size.")]}
    new = {"new.md": [candidate("new.md", 0, "One?", "1"), candidate("new.md", 1, "What is the learning-rate?", "Step size.")]}
    result = match_cards(new, old, {})
    assert result.matched == {("new.md", 0): "id1", ("new.md", 1): "id2"}


def test_card_moved_between_notes_keeps_its_id():
    old = {"a.md": [known("id1", "a.md", "Moved?", "yes")], "b.md": []}
    new = {"a.md": [], "b.md": [candidate("b.md", 0, "Moved?", "yes")]}
    assert match_cards(new, old, {}).matched == {("b.md", 0): "id1"}


def test_retired_card_comes_back_when_its_text_returns():
    retired = known("id9", "a.md", "Back?", "again")
    new = {"a.md": [candidate("a.md", 0, "Back?", "again")]}
    result = match_cards(new, {}, {retired.key: [retired]})
    assert result.matched == {("a.md", 0): "id9"}
    assert result.revived == {"id9"}


def test_cloze_edit_keeps_each_group():
    text_old = "The {{c1::softmax}} normalises {{c2::scores}}."
    text_new = "The {{c1::softmax}} normalises the {{c2::scores}}."
    old = {"a.md": [known("k1", "a.md", text_old, "", "cloze", 1), known("k2", "a.md", text_old, "", "cloze", 2)]}
    new = {"a.md": [candidate("a.md", 0, text_new, "", CardKind.CLOZE, 1), candidate("a.md", 1, text_new, "", CardKind.CLOZE, 2)]}
    assert match_cards(new, old, {}).matched == {("a.md", 0): "k1", ("a.md", 1): "k2"}


def test_duplicate_texts_pair_in_order():
    old = {"a.md": [known("id1", "a.md", "Same", "x"), known("id2", "a.md", "Same", "x")]}
    new = {"a.md": [candidate("a.md", 0, "Same", "x"), candidate("a.md", 1, "Same", "x")]}
    assert match_cards(new, old, {}).matched == {("a.md", 0): "id1", ("a.md", 1): "id2"}


def test_new_card_ids_are_short_and_unique():
    taken = set()
    ids = {new_card_id("samekey", "a.md", taken) for _ in range(50)}
    assert len(ids) == 50 and all(len(i) == 12 for i in ids)


def test_a_typo_fixed_in_every_card_of_a_big_note_keeps_every_card():
    count = 300  # 300 x 300 vanished/new pairs: past any all-pairs bound
    old = {"a.md": [known(f"id{i}", "a.md", f"What does step {i} of the recaluclation do?", f"It adds {i}.")
                    for i in range(count)]}
    new = {"a.md": [candidate("a.md", i, f"What does step {i} of the recalculation do?", f"It adds {i}.")
                    for i in range(count)]}
    result = match_cards(new, old, {})
    assert result.matched == {("a.md", i): f"id{i}" for i in range(count)}
    assert result.created == [] and result.vanished == []


def test_a_one_word_edit_in_a_big_cloze_paragraph_keeps_every_group():
    groups = 250
    words = " ".join(f"{{{{c{g}::term{g}}}}} is word {g}," for g in range(1, groups + 1))
    text_old, text_new = f"Teh list: {words}.", f"The list: {words}."
    old = {"a.md": [known(f"k{g}", "a.md", text_old, "", "cloze", g) for g in range(1, groups + 1)]}
    new = {"a.md": [candidate("a.md", g - 1, text_new, "", CardKind.CLOZE, g) for g in range(1, groups + 1)]}
    result = match_cards(new, old, {})
    assert result.matched == {("a.md", g - 1): f"k{g}" for g in range(1, groups + 1)}


def test_a_one_word_edit_in_a_long_answer_keeps_the_card():
    answer = " ".join(f"sentence {i} explains the gradient of layer {i}." for i in range(1200))
    old = {"a.md": [known("id1", "a.md", "Explain backprop through the stack.", answer),
                    known("id2", "a.md", "Other?", "x")]}
    edited = answer.replace("sentence 600 explains", "sentence 600 describes")
    new = {"a.md": [candidate("a.md", 0, "Explain backprop through the stack!", edited),
                    candidate("a.md", 1, "Unrelated question?", "y")]}
    result = match_cards(new, old, {})
    assert result.matched == {("a.md", 0): "id1"}
    assert [k.id for k in result.vanished] == ["id2"]


def test_a_big_note_with_cards_reordered_and_edited_keeps_them_near_their_place():
    count = 260
    old = {"a.md": [known(f"id{i}", "a.md", f"Question number {i} about topic {i * 7}?", f"Answer {i}.")
                    for i in range(count)]}
    order = list(range(count))
    order[10], order[11] = order[11], order[10]
    new = {"a.md": [candidate("a.md", pos, f"Question number {i} about topic {i * 7} ?", f"Answer {i}!")
                    for pos, i in enumerate(order)]}
    result = match_cards(new, old, {})
    assert result.matched == {("a.md", pos): f"id{i}" for pos, i in enumerate(order)}


def test_card_keys_reuses_the_parsers_keys_only_while_the_cards_are_unchanged():
    from studyterm.notes.identity import card_key, card_keys
    from studyterm.notes.parser import parse_note

    note = parse_note("Q: one?\nA: 1\n\nQ: two?\nA: 2\n\nQ: one?\nA:  1\n")
    assert [card.question for card in note.cards] == ["one?", "two?"]  # the copy is skipped
    assert card_keys(note) == tuple(card_key(card) for card in note.cards)
    note.cards = [note.cards[0]._replace(answer="changed"), note.cards[1]]
    assert card_keys(note) == tuple(card_key(card) for card in note.cards)
    assert card_keys(note)[0] != note.keyed[1][0]
    note.cards.append(note.cards[0]._replace(question="three?"))
    assert len(card_keys(note)) == 3


def test_content_keys_stay_what_stored_collections_hold():
    """Keys are stored: a change to how they are computed would re-create every card."""
    assert content_key("basic", "a  b", "c\nd", None) == "a77c0be5e08f18ba51ad"
    assert content_key("cloze", "x {{c1::y}}", "", 1) == "5c430d14a92fb744511c"
    assert content_key("basic", "What is it?", "x", None) == content_key("basic", " What\tis it? ", "x ", 0)
