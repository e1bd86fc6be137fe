"""Packages made by Anki itself come back in as concept notes, with their progress."""

from __future__ import annotations

import os
from datetime import date, timedelta
from pathlib import Path

import pytest

from studyterm.interop import import_file
from studyterm.store.exchange import deck_cards
from tests.interop.conftest import anki_day_start, database_dump, tree

pytest.importorskip("anki")

IMAGE = b"\x89PNG\r\n\x1a\n anki image"


def build_anki_package(anki, out: Path, *, legacy: bool = True) -> dict:
    """A small Anki collection exported as a package: every note type studyterm reads, media,
    a card answered Easy (a review card), one answered Good (learning) and one suspended."""
    from anki.collection import ExportAnkiPackageOptions

    deck = anki.decks.id("Lang::Vocab")
    with open(os.path.join(anki.media.dir(), "pic.png"), "wb") as image:
        image.write(IMAGE)

    def add(kind: str, tags: list[str], **fields: str):
        note = anki.new_note(anki.models.by_name(kind))
        for name, value in fields.items():
            note[name] = value
        note.tags = tags
        anki.add_note(note, deck)
        return note

    notes = {
        "basic": add("Basic", ["lang"], Front='What is <b>x</b>?&nbsp;\\(x^2 &lt; 3\\) <img src="pic.png">',
                     Back="an <i>unknown</i><br>value<div>second line</div>"),
        "reversed": add("Basic (and reversed card)", ["lang"], Front="chat", Back="cat"),
        "cloze": add("Cloze", ["lang"], Text="The {{c1::cat}} sat on the {{c2::mat::thing}} \\(\\frac{1}{x}\\)",
                     **{"Back Extra": "a classic"}),
        "typed": add("Basic (type in the answer)", ["lang", "typing"], Front="2 + 2", Back="4"),
        "empty": add("Basic", ["lang"], Front="no answer here", Back=""),
    }
    cards = {key: note.cards() for key, note in notes.items()}
    easy, good, suspended = cards["basic"][0], cards["reversed"][0], cards["reversed"][1]
    for card, button in ((easy, 4), (good, 3)):
        card.start_timer()
        anki.sched.answerCard(card, button)
    anki.sched.suspend_cards([suspended.id])
    options = ExportAnkiPackageOptions(with_scheduling=True, with_media=True, legacy=legacy)
    anki.export_anki_package(out_path=str(out), options=options, limit=None)
    for card in (easy, good):
        card.load()
    return {"easy": easy, "good": good, "notes": notes}


def anki_date(anki, due: int) -> date:
    return date.fromtimestamp(anki.crt) + timedelta(days=due)


def on_anki_timeline(anki, clock) -> None:
    """Import within the day Anki's own collection lives in (Anki answers at the machine's time),
    so "due in 3 days" means the same date on both sides whatever day the suite runs."""
    clock.set((anki_day_start(anki) + timedelta(hours=1)).isoformat())


def test_an_anki_package_becomes_concept_notes_with_media_and_clozes(anki, other, tmp_path):
    build_anki_package(anki, tmp_path / "vocab.apkg")
    result = import_file(other, tmp_path / "vocab.apkg")

    root = other.layout.root
    assert result.created == ["concepts/lang/vocab-lang.md", "concepts/lang/vocab-lang-typing.md"]
    assert result.media == ["concepts/media/pic.png"]
    assert (root / "concepts/media/pic.png").read_bytes() == IMAGE
    assert [(s.what, s.reason) for s in result.skipped] == [
        (result.skipped[0].what, "its answer is empty (a studyterm card needs one)")
    ]
    assert result.skipped[0].what.endswith("(Basic)")
    cards = {(c.question, c.answer): c for c in deck_cards(other.store, None)}
    assert set(cards) == {
        ("What is **x**? $x^2 < 3$ ![](../media/pic.png)", "an *unknown*\\\nvalue\n\nsecond line"),
        ("chat", "cat"),
        ("cat", "chat"),
        ("The {{c1::cat}} sat on the {{c2::mat::thing}} $\\frac{1}{x}$", ""),
        ("2 + 2", "4"),
    }
    assert result.cards == 6
    cloze = [c for c in cards.values() if c.kind == "cloze"]
    assert sorted(c.cloze_group for c in deck_cards(other.store, None) if c.kind == "cloze") == [1, 2]
    assert cloze[0].deck == "Lang/Vocab" and cloze[0].tags == ("lang",)
    assert cards[("2 + 2", "4")].tags == ("lang", "typing")
    text = (root / "concepts/lang/vocab-lang.md").read_text(encoding="utf-8")
    assert "a classic" in text
    assert other.problems() == []


def test_progress_comes_along_ease_interval_due_and_review_log(anki, other, tmp_path, clock):
    made = build_anki_package(anki, tmp_path / "vocab.apkg")
    on_anki_timeline(anki, clock)
    result = import_file(other, tmp_path / "vocab.apkg")
    cards = {c.question: c for c in deck_cards(other.store, None)}

    easy = cards["What is **x**? $x^2 < 3$ ![](../media/pic.png)"]
    anki_easy = made["easy"]
    assert anki_easy.type == 2
    assert easy.schedule.sm2.interval_days == anki_easy.ivl
    assert easy.schedule.sm2.ef_centi * 10 == anki_easy.factor
    assert easy.schedule.due == anki_date(anki, anki_easy.due)
    (review,) = other.history(easy.id)
    assert (review.source, review.kind, review.grade) == ("review", "scheduled", 5)
    assert review.detail["anki_revlog"]["ease"] == 4
    assert review.detail["imported_from"] == "vocab.apkg"

    learning = cards["chat"]
    assert made["good"].type == 1
    assert learning.schedule.introduced is not None and learning.schedule.sm2.repetitions == 0
    assert [r.grade for r in other.history(learning.id)] == [4]
    assert cards["cat"].suspended
    assert cards["2 + 2"].schedule.is_new
    assert (result.with_progress, result.reviews) == (3, 2)  # easy, good, suspended


def test_without_scheduling_every_card_is_new(anki, other, tmp_path):
    build_anki_package(anki, tmp_path / "vocab.apkg")
    result = import_file(other, tmp_path / "vocab.apkg", with_scheduling=False)
    assert result.with_progress == 0
    assert all(c.schedule.is_new and not c.suspended for c in deck_cards(other.store, None))


def test_reimport_skips_existing_files_and_changes_nothing(anki, other, tmp_path):
    build_anki_package(anki, tmp_path / "vocab.apkg")
    import_file(other, tmp_path / "vocab.apkg")
    files, database = tree(other.layout.root / "concepts"), database_dump(other)

    again = import_file(other, tmp_path / "vocab.apkg")

    assert again.created == [] and again.cards == 0
    assert {s.what for s in again.skipped} >= {"concepts/lang/vocab-lang.md", "concepts/lang/vocab-lang-typing.md"}
    assert "never overwrites" in again.skipped[-1].reason or any("never overwrites" in s.reason for s in again.skipped)
    assert tree(other.layout.root / "concepts") == files
    assert database_dump(other) == database


def test_deck_option_replaces_the_top_level_deck(anki, other, tmp_path):
    build_anki_package(anki, tmp_path / "vocab.apkg")
    result = import_file(other, tmp_path / "vocab.apkg", deck="french")
    assert result.created[0] == "concepts/french/vocab-lang.md"
    assert {c.deck for c in deck_cards(other.store, None)} == {"french/Vocab"}


def test_a_different_media_file_with_the_same_name_is_not_overwritten(anki, other, tmp_path):
    build_anki_package(anki, tmp_path / "vocab.apkg")
    existing = other.layout.root / "concepts/media/pic.png"
    existing.parent.mkdir(parents=True)
    existing.write_bytes(b"someone else's picture")
    result = import_file(other, tmp_path / "vocab.apkg")
    assert existing.read_bytes() == b"someone else's picture"
    (copied,) = result.media
    assert copied.startswith("concepts/media/pic-") and (other.layout.root / copied).read_bytes() == IMAGE
    assert any(Path(copied).name in c.question for c in deck_cards(other.store, None))


def test_a_legacy_collection_package_imports_too(anki, other, tmp_path):
    note = anki.new_note(anki.models.by_name("Basic"))
    note["Front"], note["Back"] = "Capital of France?", "Paris"
    anki.add_note(note, 1)
    anki.export_collection_package(str(tmp_path / "backup.colpkg"), include_media=True, legacy=True)
    result = import_file(other, tmp_path / "backup.colpkg")
    assert result.created == ["concepts/default.md"] and result.format == "colpkg"
    (card,) = deck_cards(other.store, None)
    assert (card.question, card.answer, card.deck) == ("Capital of France?", "Paris", "default")


def test_under_fsrs_imported_progress_takes_fsrs_dates_from_its_log(anki, other, tmp_path, clock):
    from studyterm.schedule.fsrs import FsrsSettings, replay
    from studyterm.schedule.log import LogEvent

    build_anki_package(anki, tmp_path / "vocab.apkg")
    on_anki_timeline(anki, clock)
    other.use_scheduler("fsrs")
    import_file(other, tmp_path / "vocab.apkg")
    cards = {c.question: c for c in deck_cards(other.store, None)}
    easy = cards["What is **x**? $x^2 < 3$ ![](../media/pic.png)"]
    events = [LogEvent(e.id, e.day, e.grade, e.source, e.kind, e.undoes) for e in other.history(easy.id)]
    assert easy.schedule.due == replay(events, FsrsSettings()).due != easy.schedule.sm2_due
    other.use_scheduler("sm2")
    assert other.card(easy.id).schedule.due == easy.schedule.sm2_due
