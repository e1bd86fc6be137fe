"""Markdown -> Anki HTML and back: math, code, media, clozes, and escaping of card syntax."""

from __future__ import annotations

import html
import re

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from studyterm.interop.html import MediaIndex, plain_text, render_field
from studyterm.interop.markdown import to_markdown
from studyterm.interop.text_export import qa_markdown
from studyterm.layout import sample_source
from studyterm.notes.identity import normalize
from studyterm.notes.parser import parse_note


def test_plain_text_math_and_code_render_as_anki_expects():
    assert render_field("What is an epoch?") == "What is an epoch?"
    assert render_field("a < b & c") == "a &lt; b &amp; c"
    assert render_field("x $a^2 < b$ and $$\\sum_i x_i$$") == "x \\(a^2 &lt; b\\) and \\[\\sum_i x_i\\]"
    assert render_field("$$\nE = mc^2\n$$") == "\\[E = mc^2\\]"
    assert render_field("```python\nx = 1\n```") == '<pre><code class="language-python">x = 1\n</code></pre>'
    assert render_field("one\n\ntwo") == "<p>one</p>\n<p>two</p>"
    assert render_field("**bold** and `code`") == "<strong>bold</strong> and <code>code</code>"


def test_in_a_cloze_field_closing_braces_in_math_are_spaced_apart():
    text = "In $\\frac{1}{1+e^{-x}}$ a {{c1::cloze}}"
    assert render_field(text, cloze=True) == "In \\(\\frac{1}{1+e^{-x} }\\) a {{c1::cloze}}"
    assert render_field("$e^{x}}$") == "\\(e^{x}}\\)"


def test_images_become_flat_media_names_and_stay_inside_the_collection(tmp_path):
    for folder in ("a", "b"):
        (tmp_path / f"concepts/{folder}/img").mkdir(parents=True)
        (tmp_path / f"concepts/{folder}/img/plot.png").write_bytes(folder.encode())
    (tmp_path / "secret.png").write_bytes(b"secret")
    media = MediaIndex(tmp_path / "concepts")
    first = render_field("![p](img/plot.png)", media=media.resolver("a/note.md"))
    second = render_field("![p](img/plot.png)", media=media.resolver("b/note.md"))
    outside = render_field("![s](../../secret.png)", media=media.resolver("a/note.md"))
    remote = render_field("![r](https://example.org/x.png)", media=media.resolver("a/note.md"))
    assert first == '<img src="plot.png" alt="p" />'
    assert second.startswith('<img src="plot-') and second != first
    assert outside == '<img src="../../secret.png" alt="s" />' and "secret" in media.missing[0]
    assert remote == '<img src="https://example.org/x.png" alt="r" />'
    assert [path.read_bytes() for _, path in media.files()] == [b"a", b"b"]


def test_anki_html_becomes_markdown():
    assert to_markdown("What is <b>x</b>?&nbsp;\\(x^2 &lt; 3\\)") == "What is **x**? $x^2 < 3$"
    assert to_markdown("an <i>unknown</i><br>value<div>next</div>") == "an *unknown*\\\nvalue\n\nnext"
    assert to_markdown("[$]a[/$] [$$]b[/$$] \\[c\\] [latex]d[/latex]") == "$a$ $$b$$ $$c$$ $$d$$"
    assert to_markdown('<pre><code class="language-python">s = "\\(x\\)"</code></pre>') == '```python\ns = "\\(x\\)"\n```'
    assert to_markdown("<ul><li>one</li><li>two<ul><li>inner</li></ul></li></ul>") == "- one\n- two\n  - inner"
    assert to_markdown("<table><tr><th>a</th><th>b|c</th></tr><tr><td>1</td><td>2</td></tr></table>") == (
        "| a | b\\|c |\n| --- | --- |\n| 1 | 2 |"
    )
    assert to_markdown('<a href="https://x.org">site</a> [sound:hi.mp3]', media=lambda n: f"m/{n}") == (
        "[site](https://x.org) [sound:hi.mp3](m/hi.mp3)"
    )
    assert to_markdown("<h2>Title</h2><hr>text<script>alert(1)</script>") == "**Title**\n\ntext"


def test_plain_text_fields_keep_their_lines_and_show_tags_as_text():
    assert to_markdown("a\nb <i>x</i>", is_html=False) == "a\\\nb \\<i>x\\</i>"
    assert to_markdown("one\n\ntwo", is_html=False) == "one\n\ntwo"


def test_text_that_looks_like_card_syntax_is_escaped():
    converted = to_markdown("# h<br>- l<br>1. o<br>---<br>Q: q<br>A: a<br>lab: x<br>a :: b {{c1::x}} *s* $5")
    assert converted == (
        "\\# h\\\n\\- l\\\n1\\. o\\\n\\---\\\nQ\\: q\\\nA\\: a\\\nlab\\: x\\\na \\:: b \\{{c1::x}} \\*s\\* \\$5"
    )
    (card,) = parse_note(qa_markdown("question", converted)).cards
    assert normalize(plain_text(render_field(card.answer))) == normalize(
        "# h - l 1. o --- Q: q A: a lab: x a :: b {{c1::x}} *s* $5"
    )


def test_a_cloze_stays_one_paragraph_with_its_deletions():
    converted = to_markdown("The {{c1::cat}}<div>- sat on {{c2::\\(x}}\\)::hint}}</div><br><br>end", cloze=True)
    assert converted == "The {{c1::cat}}\\\n\\- sat on {{c2::$x}}$::hint}}\\\nend"
    assert converted.count("\n\n") == 0
    cards = parse_note(converted).cards
    assert [c.cloze_group for c in cards] == [1, 2]


def test_every_sample_card_survives_markdown_to_html_and_back():
    for path in (sample_source() / "concepts").rglob("*.md"):
        for card in parse_note(path.read_text(encoding="utf-8")).cards:
            cloze = card.kind == "cloze"
            for text in (card.question, card.answer):
                if text:
                    assert normalize(to_markdown(render_field(text, cloze=cloze), cloze=cloze)) == normalize(text)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="ab Q:A lab#>-+*_`$\\[]<>&{}()!|~=0123456789.\n", max_size=60))
def test_plain_text_from_anki_is_never_card_syntax_and_shows_the_same(text):
    # \[...\] and \(...\) are MathJax in an Anki field, not plain text: they become $$...$$.
    assume(not re.search(r"\\\[.*?\\\]|\\\(.*?\\\)", text, re.S))
    field = html.escape(text).replace("\n", "<br>")
    converted = to_markdown(field)
    note = parse_note(qa_markdown("question", converted or "x"))
    assert len(note.cards) == 1 and not note.problems
    if converted:
        shown = plain_text(render_field(note.cards[0].answer))
        assert normalize(shown) == normalize(text)


_LINE = st.tuples(st.sampled_from("abZ19"), st.text(alphabet="ab1 .)*_`$\\[]<>&!#-=|:~\t", max_size=15))


@settings(max_examples=300, deadline=None)
@given(st.lists(_LINE, min_size=1, max_size=4).map(lambda lines: "\n".join(a + b for a, b in lines)))
def test_the_one_paragraph_shortcut_renders_like_the_full_parser(text):
    from studyterm.interop.html import _INLINE_ONLY, _SINGLE_PARAGRAPH, _markdown

    text = text.strip()
    assume(_INLINE_ONLY.fullmatch(text))
    full = _markdown().render(text, {"media": None, "cloze": False})
    single = _SINGLE_PARAGRAPH.fullmatch(full)
    assert single is not None, full
    assert render_field(text) == single.group(1)


_HTML_BITS = st.sampled_from([
    "a", "b ", " ", "\n", "<b>", "</b>", "<i>x</i>", "<div>", "</div>", "<br>", "<ul><li>", "</li></ul>",
    "{{c1::", "{{c2::", "}}", "::", " :: ", "\\(", "\\)", "$", "Q: ", "A: ", "lab: x", "# ", "- ", "1. ",
    "---", "```", "<pre>", "</pre>", "&lt;", "&amp;", "*", "_", "`", "[", "]", "|", "<table><tr><td>", "</td></tr></table>",
])


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.lists(_HTML_BITS, max_size=12), st.lists(_HTML_BITS, max_size=12), st.booleans()),
                min_size=1, max_size=4))
def test_any_anki_field_becomes_a_card_or_a_clear_skip_never_a_broken_file(fields):
    from studyterm.interop.concepts_out import plan_files
    from studyterm.interop.model import Face, ForeignNote

    notes = []
    for index, (front, back, is_cloze) in enumerate(fields):
        note = ForeignNote(ref=f"note {index}", deck="Deck")
        if is_cloze:
            note.cloze, note.cloze_ords, note.extra = "".join(front), (0, 1), "".join(back)
        else:
            note.faces = [Face(0, "".join(front), "".join(back))]
        notes.append(note)
    skipped = []
    files = plan_files(notes, target_deck=None, media_for=lambda folder: None, skipped=skipped)
    planned = sum(len(f.cards) for f in files)
    assert planned + len(skipped) >= len(notes)
    for planned_file in files:
        cards = parse_note(planned_file.text).cards
        assert len(cards) == len(planned_file.cards)
