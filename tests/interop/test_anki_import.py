"""Packages made by Anki itself come back in as concept notes, with their progress."""

from __future__ import annotations

import os
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from studyterm.interop import import_file
from studyterm.store.exchange import deck_cards
from tests.interop.conftest import anki_day_start, tree

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


def test_the_same_package_again_changes_nothing(anki, other, tmp_path, clock):
    build_anki_package(anki, tmp_path / "vocab.apkg")
    on_anki_timeline(anki, clock)
    first = import_file(other, tmp_path / "vocab.apkg")
    files, reviews = tree(other.layout.root / "concepts"), _review_count(other)

    again = import_file(other, tmp_path / "vocab.apkg")

    assert again.created == [] and again.updated == [] and again.cards == first.cards
    assert again.reviews == 0 and again.found == again.cards + again.skipped_cards
    assert tree(other.layout.root / "concepts") == files
    assert _review_count(other) == reviews


def test_a_newer_export_updates_the_notes_and_brings_their_new_progress(anki, other, tmp_path, clock):
    made = build_anki_package(anki, tmp_path / "vocab.apkg")
    on_anki_timeline(anki, clock)
    import_file(other, tmp_path / "vocab.apkg")
    reversed_note = made["notes"]["reversed"]
    reversed_note["Back"] = "a cat"
    anki.update_note(reversed_note)
    typed = made["notes"]["typed"].cards()[0]
    typed.start_timer()
    anki.sched.answerCard(typed, 3)
    added = anki.new_note(anki.models.by_name("Basic"))
    added["Front"], added["Back"] = "dog", "chien"
    added.tags = ["lang"]
    anki.add_note(added, anki.decks.id("Lang::Vocab"))
    from anki.collection import ExportAnkiPackageOptions
    anki.export_anki_package(out_path=str(tmp_path / "newer.apkg"), limit=None,
                             options=ExportAnkiPackageOptions(with_scheduling=True, with_media=True, legacy=True))
    clock.advance(minutes=30)

    result = import_file(other, tmp_path / "newer.apkg")

    assert result.created == [] and result.updated == ["concepts/lang/vocab-lang.md"]  # typing: progress only
    assert (result.added_notes, result.updated_notes) == (1, 1)
    text = (other.layout.root / "concepts/lang/vocab-lang.md").read_text(encoding="utf-8")
    assert "A: a cat" in text and "Q: dog" in text and "# imported from vocab.apkg" in text
    cards = {c.question: c for c in deck_cards(other.store, None)}
    assert cards["2 + 2"].schedule.introduced is not None  # its first answer came along
    assert [r.grade for r in other.history(cards["2 + 2"].id)] == [4]
    assert cards["chat"].answer == "a cat" and [r.grade for r in other.history(cards["chat"].id)] == [4]
    assert cards["dog"].schedule.is_new
    assert result.found == result.cards + result.skipped_cards


def test_a_card_answered_here_since_keeps_its_own_progress(anki, other, tmp_path, clock):
    made = build_anki_package(anki, tmp_path / "vocab.apkg")
    on_anki_timeline(anki, clock)
    import_file(other, tmp_path / "vocab.apkg")
    good = made["good"]
    good.start_timer()
    anki.sched.answerCard(good, 3)  # answered in Anki too, earlier than here
    from anki.collection import ExportAnkiPackageOptions
    anki.export_anki_package(out_path=str(tmp_path / "newer.apkg"), limit=None,
                             options=ExportAnkiPackageOptions(with_scheduling=True, with_media=True, legacy=True))
    chat = next(c for c in deck_cards(other.store, None) if c.question == "chat")
    last_in_anki = datetime.fromtimestamp(anki.db.scalar("SELECT max(id) FROM revlog") / 1000).astimezone()
    clock.set((last_in_anki + timedelta(minutes=1)).isoformat())  # Anki answers at the machine's time
    other.answer(chat.id, 5, force=True)
    mine = other.card(chat.id).schedule

    result = import_file(other, tmp_path / "newer.apkg")

    assert other.card(chat.id).schedule == mine
    assert [r.grade for r in other.history(chat.id)] == [4, 5]
    assert any(s.what == f"card {chat.id}" and "keeps its own progress" in s.reason for s in result.skipped)


def test_a_note_edited_here_keeps_its_text_when_the_package_changes_it(anki, other, tmp_path, clock):
    made = build_anki_package(anki, tmp_path / "vocab.apkg")
    import_file(other, tmp_path / "vocab.apkg")
    note_file = other.layout.root / "concepts/lang/vocab-lang.md"
    note_file.write_text(note_file.read_text(encoding="utf-8").replace("A: cat", "A: cat (le chat)"), encoding="utf-8")
    reversed_note = made["notes"]["reversed"]
    reversed_note["Back"] = "a cat"
    anki.update_note(reversed_note)
    from anki.collection import ExportAnkiPackageOptions
    anki.export_anki_package(out_path=str(tmp_path / "newer.apkg"), limit=None,
                             options=ExportAnkiPackageOptions(with_scheduling=False, with_media=True, legacy=True))

    result = import_file(other, tmp_path / "newer.apkg")

    text = note_file.read_text(encoding="utf-8")
    assert "A: cat (le chat)" in text and "A: a cat" not in text
    (skip,) = [s for s in result.skipped if "you edited it here" in s.reason]
    assert skip.cards == 2 and "the package changed it" in skip.reason
    assert result.found == result.cards + result.skipped_cards


def test_a_file_not_written_by_an_import_is_never_touched(anki, other, tmp_path):
    build_anki_package(anki, tmp_path / "vocab.apkg")
    mine = other.layout.root / "concepts/lang/vocab-lang.md"
    mine.parent.mkdir(parents=True)
    mine.write_text("my own :: note\n", encoding="utf-8")

    result = import_file(other, tmp_path / "vocab.apkg")

    assert mine.read_text(encoding="utf-8") == "my own :: note\n"
    skip = next(s for s in result.skipped if s.what == "concepts/lang/vocab-lang.md")
    assert "not written by an import" in skip.reason and skip.cards > 0
    assert "concepts/lang/vocab-lang-typing.md" in result.created
    assert result.found == result.cards + result.skipped_cards


def _review_count(collection) -> int:
    return collection.store.query("SELECT COUNT(*) FROM reviews")[0][0]


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
