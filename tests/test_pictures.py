"""Which picture files a card shows: found inside the collection, never outside it."""

from studyterm.render.pictures import card_pictures, picture_links, resolve
from tests.pictures import draw_diagram


def test_picture_links_read_alt_and_source_in_order():
    text = 'See ![a](one.png) and ![b c](<two words.png> "title") and [not](three.png)'
    assert picture_links(text) == [("a", "one.png"), ("b c", "two words.png")]


def test_pictures_resolve_inside_the_collection_only(tmp_path):
    root = tmp_path / "collection"
    drawn = draw_diagram(root / "concepts" / "media" / "node.png")
    draw_diagram(tmp_path / "secret.png")
    assert resolve(root, "concepts/a/n.md", "", "../media/node.png").path == drawn.resolve()
    assert resolve(root, "concepts/a/n.md", "", "../media/no%64e.png").path == drawn.resolve()
    outside = resolve(root, "concepts/a/n.md", "", "../../../secret.png")
    assert outside.path is None and "outside" in outside.problem
    assert resolve(root, "concepts/a/n.md", "", "../media/none.png").problem == "file not found"
    assert resolve(root, "concepts/a/n.md", "", "https://example.org/x.png").path is None


def test_the_answers_pictures_wait_for_the_reveal(tmp_path):
    root = tmp_path
    draw_diagram(root / "concepts" / "p.png")
    front, back = card_pictures(root, "concepts/n.md", "Q ![q](p.png)", "A ![a](p.png)", "recall", False)
    assert [p.alt for p in front] == ["q"] and back == []
    front, back = card_pictures(root, "concepts/n.md", "Q ![q](p.png)", "A ![a](p.png)", "recall", True)
    assert [p.alt for p in back] == ["a"]


def test_a_picture_in_a_one_line_question_reads_as_its_alt_text(tmp_path):
    from studyterm.render.card import question_line
    from studyterm.render.pictures import mark_pictures

    assert mark_pictures("What is ![a graph](g.png)?") == "What is ▣ a graph?"

    class Card:
        kind, answer, cloze_group = "recall", "", None
        question = "What does this node compute? ![a multiply node](../media/node.png)"

    assert question_line(Card()) == "What does this node compute? ▣ a multiply node"
