"""The export's fast path for plain text with `$...$` math renders exactly what markdown-it does."""

from __future__ import annotations

import html as stdlib_html
import re
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from studyterm.interop import html
from studyterm.notes.parser import parse_note

ROOT = Path(__file__).resolve().parents[2]


def markdown_it(text: str, cloze: bool) -> str:
    env = {"media": None, "cloze": cloze}
    md = html._markdown()
    return md.renderer.renderInline(md.parseInline(text, env)[0].children, md.options, env)


def corpus_fields() -> list[str]:
    fields = []
    for folder in (ROOT / "concepts", ROOT / "tests" / "fixtures"):
        for path in sorted(folder.rglob("*.md")):
            note = parse_note(path.read_text(encoding="utf-8"))
            fields += [text.strip() for card in note.cards for text in (card.question, card.answer)]
    return [field for field in fields if field]


def test_every_corpus_field_that_takes_the_fast_path_renders_as_markdown_it_does():
    taken = 0
    for field in corpus_fields():
        if not html._INLINE_ONLY.fullmatch(field):
            continue
        fast = html._text_and_math(field, cloze=False)
        if fast is not None:
            taken += 1
            assert fast == markdown_it(field, cloze=False), field
    assert taken > 50  # the corpus exercises it: most answers are words and math


def test_the_synthetic_benchmark_answer_takes_the_fast_path():
    answer = "It computes value 3 of note 12: $\\frac{\\partial L}{\\partial w_3}$\nsummed over the batch, then scaled by 0.1234."
    fast = html._text_and_math(answer, cloze=False)
    assert fast is not None and fast == markdown_it(answer, cloze=False)
    assert "\\(\\frac{\\partial L}{\\partial w_3}\\)" in fast


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="ab1 .:\"'\n$\\{}_*-", min_size=1, max_size=30), st.booleans())
def test_the_fast_path_agrees_with_markdown_it_or_steps_aside(text, cloze):
    text = text.strip()
    if not text or not html._INLINE_ONLY.fullmatch(text):
        return
    fast = html._text_and_math(text, cloze)
    if fast is not None:
        assert fast == markdown_it(text, cloze)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="ab1 <>&;#x/\"\n\t", max_size=30))
def test_plain_text_skips_the_tag_and_entity_pass_only_where_it_changes_nothing(field):
    assert html.plain_text(field) == stdlib_html.unescape(re.sub(r"<[^>]*>", " ", field)).strip()
