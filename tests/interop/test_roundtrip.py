"""studyterm -> file -> studyterm: the same cards come back, and with apkg the same progress."""

from __future__ import annotations

import re

import pytest

from studyterm.interop import export_deck, import_file
from tests.interop.conftest import cards_by_text

_IMAGE = re.compile(r"\]\([^)]*loop\.png\)")


def by_text(collection) -> dict:
    """cards_by_text, with the sample image's path left out: an import files images under
    concepts/media/, so the path in the question changes while the picture does not."""
    return {(key[0], _IMAGE.sub("](IMG)", key[1]), *key[2:]): card for key, card in cards_by_text(collection).items()}


def studied(collection, clock):
    """Answer a spread of grades over three days, with a lapse, a suspension and a flag."""
    clock.set("2025-03-01T10:00:00+00:00")
    for grade in (5, 4, 3, 1, 5, 4):
        collection.answer(collection.next_card().card_id, grade)
    for days in (1, 6):
        clock.advance(days=days)
        for entry in collection.queue():
            if entry.kind.value == "review":
                collection.answer(entry.card_id, 4)
    card = collection.queue()[0].card_id
    collection.suspend([card])
    collection.flag([card])


def test_apkg_with_scheduling_brings_back_the_same_cards_and_progress(sample, other, clock):
    studied(sample, clock)
    result = export_deck(sample, "apkg", with_scheduling=True)
    imported = import_file(other, result.path)

    ours, theirs = by_text(sample), by_text(other)
    assert set(theirs) == set(ours)
    assert imported.media == ["concepts/media/loop.png"]
    for key, card in ours.items():
        back = theirs[key]
        assert back.schedule.sm2.ef_centi == card.schedule.sm2.ef_centi, key
        assert back.schedule.sm2.interval_days == card.schedule.sm2.interval_days, key
        assert back.schedule.due == card.schedule.due, key
        assert back.schedule.lapses == card.schedule.lapses, key
        assert (back.suspended, back.flagged) == (card.suspended, card.flagged), key
        mine = [e for e in sample.history(card.id) if e.kind != "undo"]
        came = other.history(back.id)
        assert len(came) == len(mine), key
        # Answers given in the same millisecond get distinct Anki revlog ids, a millisecond apart.
        assert all(abs((a.ts - b.ts).total_seconds()) < 0.1 for a, b in zip(came, mine, strict=True)), key
        assert [{0: 1, 1: 1, 2: 1}.get(e.grade, e.grade) for e in mine] == [e.grade for e in came], key
    assert imported.reviews == sum(len(sample.history(c.id)) for c in ours.values())


def test_apkg_without_scheduling_brings_back_new_cards(sample, other, clock):
    studied(sample, clock)
    import_file(other, export_deck(sample, "apkg").path)
    assert set(by_text(other)) == set(by_text(sample))
    assert all(card.schedule.is_new for card in by_text(other).values())


@pytest.mark.parametrize("fmt", ["csv", "tsv"])
def test_csv_and_tsv_bring_back_the_same_cards(sample, other, fmt):
    result = import_file(other, export_deck(sample, fmt).path)
    assert result.skipped == [] and result.cards == 19
    assert set(by_text(other)) == set(by_text(sample))


def test_anki_plain_text_export_imports(tmp_path, anki, other):
    from anki.collection import DeckIdLimit

    deck = anki.decks.id("Physics")
    for front, back in (("Force?", "<b>m</b> a"), ("Energy?", "\\(mc^2\\)")):
        note = anki.new_note(anki.models.by_name("Basic"))
        note["Front"], note["Back"] = front, back
        note.tags = ["physics"]
        anki.add_note(note, deck)
    path = tmp_path / "physics.txt"
    anki.export_note_csv(out_path=str(path), limit=DeckIdLimit(deck), with_html=True, with_tags=True,
                         with_deck=True, with_notetype=True, with_guid=True)
    result = import_file(other, path)
    assert result.skipped == []
    cards = {(c.question, c.answer, c.deck, c.tags) for c in cards_by_text(other).values()}
    assert cards == {("Force?", "**m** a", "Physics", ("physics",)), ("Energy?", "$mc^2$", "Physics", ("physics",))}


def test_a_plain_two_column_csv_imports_into_the_deck_named_after_it(other, tmp_path):
    path = tmp_path / "capitals.csv"
    path.write_text('France,Paris\n"Germany, the country",Berlin\nOnly a front\nFrance,Paris again\nFrance,Paris\n',
                    encoding="utf-8")
    result = import_file(other, path)
    assert result.created == ["concepts/capitals.md"]
    assert [(s.what, s.reason, s.cards) for s in result.skipped] == [
        ("line 3", "its answer is empty (a studyterm card needs one)", 1),
        ("line 5", "the same question with the same answer is already in this deck (duplicate note)", 1),
    ]
    assert (result.found, result.cards, result.skipped_cards) == (5, 3, 2)
    cards = {(c.question, c.answer, c.deck) for c in cards_by_text(other).values()}
    assert cards == {("France", "Paris", "capitals"), ("Germany, the country", "Berlin", "capitals"),
                     ("France", "Paris again", "capitals")}


def test_a_text_file_without_guids_imported_again_adds_only_what_is_new(other, tmp_path):
    path = tmp_path / "capitals.csv"
    path.write_text("France,Paris\nItaly,Rome\n", encoding="utf-8")
    import_file(other, path)
    path.write_text("France,Paris\nItaly,Rome (Roma)\nSpain,Madrid\n", encoding="utf-8")

    result = import_file(other, path)

    assert result.updated == ["concepts/capitals.md"] and (result.added_notes, result.updated_notes) == (2, 0)
    cards = {(c.question, c.answer) for c in cards_by_text(other).values()}
    assert cards == {("France", "Paris"), ("Italy", "Rome"), ("Italy", "Rome (Roma)"), ("Spain", "Madrid")}
    assert import_file(other, path).updated == []  # the same file a third time: nothing to do
