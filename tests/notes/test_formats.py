"""hashcards decks and Obsidian spaced-repetition notes, read in place: parsed as their own tools
document them, synced and scheduled with identity, never written to."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from studyterm.collection import Collection
from studyterm.layout import Layout
from studyterm.notes.formats.hashcards import parse_hashcards
from studyterm.notes.formats.obsidian import parse_obsidian
from studyterm.store.exchange import deck_cards
from tests.conftest import write_note

HASHCARDS = """\
---
name = "Medicine"
---

Q: What is the capital of France?
A: Paris

C: The mitochondria is the [powerhouse] of the [cell]; see [the book](https://example.org) and `a[0]`.

Q: List the PGM minerals.
A:

- ruthenium
- rhodium

C:
Better is the sight of the eyes than the wandering of the
desire: this is also vanity and vexation of spirit.

— [Ecclesiastes] [6]:[9]

Q: What does this print?
A:
```
Q: not a card
```
"""

OBSIDIAN = """\
---
tags: [biology]
---
#flashcards/bio/cells

# Cells

The mitochondria::the powerhouse of the cell <!--SR:!2024-01-05,3,250-->
chat:::cat
`std::vector` is not a card.

What are the parts
of a cell?
?
nucleus, membrane
<!--SR:!2024-02-01,10,270-->

Big question
??
Big answer

The ==nucleus== holds the **DNA**.

```
a::b
```
"""


def summary(note):
    return [(c.kind, c.question, c.answer, c.cloze_group) for c in note.cards]


def test_hashcards_cards_as_its_readme_writes_them():
    note = parse_hashcards(HASHCARDS)
    assert note.readable and note.problems == []
    assert note.front.deck == "Medicine"
    cloze = "The mitochondria is the {{c1::powerhouse}} of the {{c2::cell}}; see [the book](https://example.org) and `a[0]`."
    ecclesiastes = ("Better is the sight of the eyes than the wandering of the\ndesire: this is also vanity "
                    "and vexation of spirit.\n\n— {{c1::Ecclesiastes}} {{c2::6}}:{{c3::9}}")
    assert summary(note) == [
        ("basic", "What is the capital of France?", "Paris", None),
        ("cloze", cloze, "", 1), ("cloze", cloze, "", 2),
        ("basic", "List the PGM minerals.", "- ruthenium\n- rhodium", None),
        ("cloze", ecclesiastes, "", 1), ("cloze", ecclesiastes, "", 2), ("cloze", ecclesiastes, "", 3),
        ("basic", "What does this print?", "```\nQ: not a card\n```", None),
    ]


def test_hashcards_problems_are_named_with_their_line():
    note = parse_hashcards("Q: no answer\n\nC: no deletion here\n")
    assert [(p.line, p.message) for p in note.problems] == [
        (1, "'Q:' without 'A:' (no answer before the next card)"), (3, "'C:' card without a [deletion]"),
    ]
    broken = parse_hashcards("---\nname = \n---\nQ: a\nA: b\n")
    assert not broken.readable and "not valid TOML" in broken.problems[0].message


def test_obsidian_cards_as_the_plugin_reads_them():
    note = parse_obsidian(OBSIDIAN)
    assert note.problems == [] and note.front.deck == "bio/cells"
    expected = [
        ("basic", "The mitochondria", "the powerhouse of the cell", None),
        ("basic", "chat", "cat", None), ("basic", "cat", "chat", None),
        ("basic", "What are the parts\nof a cell?", "nucleus, membrane", None),
        ("basic", "Big question", "Big answer", None), ("basic", "Big answer", "Big question", None),
    ]
    highlight = "The {{c1::nucleus}} holds the **DNA**."  # bold is a cloze only when the setting is on
    assert summary(note) == [*expected, ("cloze", highlight, "", 1)]
    both = "The {{c1::nucleus}} holds the {{c2::DNA}}."
    bold = parse_obsidian(OBSIDIAN, bold_clozes=True)
    assert summary(bold) == [*expected, ("cloze", both, "", 1), ("cloze", both, "", 2)]


def test_obsidian_decks_follow_the_tags_above_each_card_as_the_plugin_s_docs_say():
    note = parse_obsidian(
        "#flashcards/deckA\nQuestion1::Answer1\nQuestion2::Answer2\n\n#flashcards/deckB\nQuestion3::Answer3\n\n"
        "#flashcards/deckC Question4::Answer4\n\nQuestion5::Answer5\n"
    )
    assert [(c.question, c.answer, c.deck) for c in note.cards] == [
        ("Question1", "Answer1", "deckA"), ("Question2", "Answer2", "deckA"), ("Question3", "Answer3", "deckB"),
        ("Question4", "Answer4", "deckC"), ("Question5", "Answer5", "deckB"),
    ]
    early = parse_obsidian("before::the tag\n\n#flashcards/late\nafter::it\n")
    assert [c.deck for c in early.cards] == ["late", "late"]  # before any tag: the note's first tag


def test_an_obsidian_note_without_the_flashcards_tag_has_no_cards():
    assert parse_obsidian("a::b\n\nThe **bold** word.\n").cards == []
    tagged = parse_obsidian("---\ntags: [flashcards]\n---\na::b\n")
    assert summary(tagged) == [("basic", "a", "b", None)] and tagged.front.deck is None


def vault(root: Path) -> None:
    (root / "studyterm.toml").write_text('[formats]\n"cards" = "hashcards"\n"vault" = "obsidian"\n', encoding="utf-8")
    write_note(root, "concepts/cards/Medicine.md", HASHCARDS)
    write_note(root, "concepts/cards/chapters/Geography.md", "Q: What is an object with zero net charge called?\nA: Neutral.\n")
    write_note(root, "concepts/vault/Cells.md", OBSIDIAN)
    write_note(root, "concepts/vault/Stub.md", "")


def test_a_hashcards_folder_and_a_vault_sync_in_place_and_are_never_written(collection_root, clock):
    vault(collection_root)
    before = {p: p.read_bytes() for p in (collection_root / "concepts").rglob("*.md")}
    collection = Collection.open(Layout(collection_root), clock)
    try:
        report = collection.sync()
        assert [(path, p.message, p.severity.value) for path, p in report.problems] == [
            ("concepts/vault/Stub.md", "empty file", "warning"),
        ]
        cards = deck_cards(collection.store, None)
        assert len(cards) == 16  # Geography.md adds one; **bold** is not a cloze by default
        assert {c.deck for c in cards} == {"Medicine", "Geography", "bio/cells"}  # hashcards: the file names the deck
        paris = next(c for c in cards if c.answer == "Paris")
        for _ in range(3):
            collection.answer(collection.next_card().card_id, 4)
        note = collection_root / "concepts/cards/Medicine.md"
        note.write_text(note.read_text(encoding="utf-8").replace("capital of France?", "capital of France ?"),
                        encoding="utf-8")
        collection.sync()
        fixed = next(c for c in deck_cards(collection.store, None) if c.answer == "Paris")
        assert fixed.id == paris.id and fixed.question == "What is the capital of France ?"
        before[note] = note.read_bytes()
        assert {p: p.read_bytes() for p in (collection_root / "concepts").rglob("*.md")} == before
    finally:
        collection.close()


def test_check_passes_on_a_vault_with_empty_stubs(collection_root):
    vault(collection_root)
    done = subprocess.run(
        [sys.executable, "-m", "studyterm", "check", str(collection_root / "concepts")],
        capture_output=True, text=True, check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Stub.md:1: warning: empty file" in done.stdout + done.stderr


def test_changing_a_folder_s_format_reads_its_notes_again(collection_root, clock):
    write_note(collection_root, "concepts/cards/Medicine.md", HASHCARDS)
    collection = Collection.open(Layout(collection_root), clock)
    try:
        collection.sync()
        assert not any(c.kind == "cloze" for c in deck_cards(collection.store, None))
    finally:
        collection.close()
    (collection_root / "studyterm.toml").write_text('[formats]\n"cards" = "hashcards"\n', encoding="utf-8")
    collection = Collection.open(Layout(collection_root), clock)
    try:
        collection.sync()
        assert sum(c.kind == "cloze" for c in deck_cards(collection.store, None)) == 5
    finally:
        collection.close()
