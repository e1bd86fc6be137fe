"""Exported packages, checked by importing them with Anki's own library (the `anki` package)."""

from __future__ import annotations

import os
from datetime import date, datetime, timedelta

import pytest

from studyterm.interop import export_deck
from studyterm.interop.anki_schema import BASIC_MODEL_ID, CLOZE_MODEL_ID
from studyterm.store.exchange import deck_cards
from tests.interop.conftest import SAMPLE_IMAGE, anki_day_start, import_into_anki

pytest.importorskip("anki")


def notes_by_guid(anki) -> dict[str, dict]:
    rows = anki.db.all("SELECT id, guid, mid, mod, tags, flds FROM notes")
    return {
        guid: {"id": nid, "mid": mid, "mod": mod, "tags": tags.split(), "fields": flds.split("\x1f")}
        for nid, guid, mid, mod, tags, flds in rows
    }


def guid_of(card, cards) -> str:
    """The GUID rule: a basic card's own id; a cloze paragraph's smallest-group card id."""
    if card.kind == "basic":
        return f"st:{card.id}"
    paragraph = [c for c in cards if (c.note_path, c.question) == (card.note_path, card.question)]
    return f"st:{min(paragraph, key=lambda c: c.cloze_group).id}"


def anki_day(anki, due: int) -> date:
    """The calendar day an Anki review due number stands for in this collection."""
    return date.fromtimestamp(anki.crt) + timedelta(days=due)


def test_anki_imports_every_note_with_its_note_type_fields_deck_tags_and_media(sample, anki):
    result = export_deck(sample, "apkg")
    log = import_into_anki(anki, result.path, with_scheduling=False)

    assert (len(log.new), len(log.updated), len(log.duplicate)) == (16, 0, 0)
    assert (anki.note_count(), anki.card_count()) == (16, 19) == (result.notes, result.cards)
    names = {m.name for m in anki.models.all_names_and_ids()}
    assert {"studyterm Basic", "studyterm Cloze"} <= names
    assert [f["name"] for f in anki.models.get(BASIC_MODEL_ID)["flds"]] == ["Front", "Back", "Source", "Lab"]
    assert [f["name"] for f in anki.models.get(CLOZE_MODEL_ID)["flds"]] == ["Text", "Back Extra", "Source", "Lab"]
    assert {"dlfs2", "dlfs2::ch01", "pytorch"} <= {d.name for d in anki.decks.all_names_and_ids()}

    cards = {c.id: c for c in deck_cards(sample.store, None)}
    notes = notes_by_guid(anki)
    epoch = next(c for c in cards.values() if c.question.startswith("What is an epoch?"))
    front, back, source, lab = notes[f"st:{epoch.id}"]["fields"]
    assert front == 'What is an epoch? <img src="loop.png" alt="the loop" />'
    assert back == "One full pass over every sample of the training set."
    assert (source, lab) == ("concepts/pytorch/training-loop.md", "ch01_spiral")
    assert notes[f"st:{epoch.id}"]["tags"] == ["basics", "training"]
    with open(os.path.join(anki.media.dir(), "loop.png"), "rb") as image:
        assert image.read() == SAMPLE_IMAGE

    bias = next(c for c in cards.values() if c.question.startswith("Why is the bias gradient"))
    bias_back = notes[f"st:{bias.id}"]["fields"][1]
    assert '<pre><code class="language-python">db = np.sum(dout, axis=0)' in bias_back
    sigmoid = next(c for c in cards.values() if c.question.startswith("What is the derivative"))
    assert notes[f"st:{sigmoid.id}"]["fields"][1].startswith("\\[\\frac{\\partial \\sigma}")
    assert {d for (d,) in anki.db.all("SELECT DISTINCT type FROM cards")} == {0}


def test_clozes_are_one_note_per_paragraph_and_math_braces_do_not_end_a_deletion(sample, anki):
    import_into_anki(anki, export_deck(sample, "apkg").path)
    cards = deck_cards(sample.store, "dlfs2")
    stable = next(c for c in cards if "numerically stable" in c.question)
    braces = next(c for c in cards if "the braces }}" in c.question)
    notes = notes_by_guid(anki)

    two_groups = notes[f"st:{stable.id}"]
    assert two_groups["mid"] == CLOZE_MODEL_ID
    assert sorted(anki.db.list("SELECT ord FROM cards WHERE nid = ?", two_groups["id"])) == [0, 1]

    one_group = notes[f"st:{braces.id}"]
    (card_id,) = anki.db.list("SELECT id FROM cards WHERE nid = ?", one_group["id"])
    question = anki.get_card(card_id).question()
    assert "\\(\\frac{1}{1+e^{-x} }\\)" in question
    assert "[...]" in question and "cloze" not in question.split("[...]")[1][:20]


def test_scheduling_carries_due_dates_ease_intervals_lapses_and_history(sample, anki, clock):
    # Anki moves review log entries dated in its future, and its future is the machine's clock:
    # study in the days before Anki's today, never at a fixed date.
    clock.set((anki_day_start(anki) - timedelta(days=10) + timedelta(hours=6)).isoformat())
    for grade in (5, 4, 3, 1, 5, 4, 4, 2):
        entry = sample.next_card()
        sample.answer(entry.card_id, grade)
    clock.advance(days=1)
    for entry in sample.queue():
        if entry.kind.value != "new":
            sample.answer(entry.card_id, 5)
    suspended = sample.next_card().card_id
    sample.suspend([suspended])
    sample.flag([suspended])

    result = export_deck(sample, "apkg", with_scheduling=True)
    import_into_anki(anki, result.path, with_scheduling=True)

    everything = deck_cards(sample.store, None)
    studied = [c for c in everything if not c.schedule.is_new]
    assert len(studied) >= 6 and any(c.kind == "cloze" and c.cloze_group == 2 for c in studied)
    answers = 0
    for card in studied:
        history = [e for e in sample.history(card.id) if e.kind != "undo"]
        answers += len(history)
        row = anki.db.first(
            "SELECT c.type, c.queue, c.due, c.ivl, c.factor, c.reps, c.lapses, c.id FROM cards c "
            "JOIN notes n ON n.id = c.nid WHERE n.guid = ? AND c.ord = ?",
            guid_of(card, everything), (card.cloze_group or 1) - 1,
        )
        kind, queue, due, ivl, factor, reps, lapses, anki_id = row
        assert (kind, queue) == (2, 2)
        assert anki_day(anki, due) == card.schedule.due
        assert ivl == card.schedule.sm2.interval_days
        assert factor == card.schedule.sm2.ef_centi * 10
        assert (reps, lapses) == (len(history), card.schedule.lapses)
        eases = anki.db.list("SELECT ease FROM revlog WHERE cid = ? ORDER BY id", anki_id)
        assert eases == [{0: 1, 1: 1, 2: 1, 3: 2, 4: 3, 5: 4}[e.grade] for e in history]
    assert anki.db.scalar("SELECT count(*) FROM revlog") == answers == result.reviews
    queue, flags = anki.db.first(
        "SELECT c.queue, c.flags FROM cards c JOIN notes n ON n.id = c.nid WHERE n.guid = ?", f"st:{suspended}"
    )
    assert (queue, flags) == (-1, 1)


def test_reexport_after_an_edit_updates_the_note_and_keeps_progress_made_in_anki(sample, sample_root, anki, clock):
    import_into_anki(anki, export_deck(sample, "apkg").path)
    cards = {c.question: c for c in deck_cards(sample.store, None)}
    untouched = cards["What does the learning rate control?"]
    note_mod = notes_by_guid(anki)[f"st:{untouched.id}"]["mod"]
    assert note_mod == int(datetime.fromisoformat(untouched.edited_at).timestamp())

    reviewed_id = anki.db.scalar("SELECT id FROM cards WHERE type = 0 ORDER BY id LIMIT 1")
    reviewed = anki.get_card(reviewed_id)
    reviewed.start_timer()
    anki.sched.answerCard(reviewed, 3)
    before = anki.db.first("SELECT type, queue, due, ivl, reps FROM cards WHERE id = ?", reviewed_id)

    note = sample_root / "concepts/pytorch/training-loop.md"
    note.write_text(note.read_text(encoding="utf-8").replace(
        "A: One full pass over every sample of the training set.",
        "A: One full pass over every sample of the training data.",
    ), encoding="utf-8")
    later = note.stat().st_mtime + 3600
    os.utime(note, (later, later))
    sample.sync()
    log = import_into_anki(anki, export_deck(sample, "apkg").path)

    assert (len(log.new), len(log.updated), len(log.duplicate)) == (0, 1, 15)
    assert (anki.note_count(), anki.card_count()) == (16, 19)
    epoch = cards["What is an epoch? ![the loop](img/loop.png)"]
    edited = notes_by_guid(anki)[f"st:{epoch.id}"]
    assert edited["fields"][1] == "One full pass over every sample of the training data."
    assert edited["mod"] == int(later)
    assert anki.db.first("SELECT type, queue, due, ivl, reps FROM cards WHERE id = ?", reviewed_id) == before


def test_a_new_cloze_group_adds_a_card_to_the_same_anki_note(sample, sample_root, anki):
    import_into_anki(anki, export_deck(sample, "apkg").path)
    note = sample_root / "concepts/pytorch/training-loop.md"
    note.write_text(note.read_text(encoding="utf-8").replace(
        "computes predictions;", "computes {{c3::predictions}};"
    ), encoding="utf-8")
    later = note.stat().st_mtime + 3600
    os.utime(note, (later, later))
    sample.sync()
    log = import_into_anki(anki, export_deck(sample, "apkg").path)

    assert (len(log.new), len(log.updated)) == (0, 1)
    assert (anki.note_count(), anki.card_count()) == (16, 20)
    updated_nid = anki.db.scalar("SELECT id FROM notes WHERE flds LIKE '%{{c3::predictions}}%'")
    assert sorted(anki.db.list("SELECT ord FROM cards WHERE nid = ?", updated_nid)) == [0, 1, 2]


def test_anki_text_importer_reads_the_csv_export(sample, anki):
    from anki.collection import ImportCsvRequest

    result = export_deck(sample, "csv")
    metadata = anki.get_csv_metadata(result.path, None)
    log = anki.import_csv(ImportCsvRequest(path=result.path, metadata=metadata)).log

    assert len(log.new) == 16
    assert anki.card_count() == 19
    rows = anki.db.all("SELECT n.guid, m.name, n.tags FROM notes n JOIN notetypes m ON m.id = n.mid")
    kinds = {name for _, name, _ in rows}
    assert kinds == {"Basic", "Cloze"}
    assert all(guid.startswith("st:") for guid, _, _ in rows)
    assert {d.name for d in anki.decks.all_names_and_ids()} >= {"dlfs2::ch01", "pytorch"}
    tags = {guid: tags.split() for guid, _, tags in rows}
    epoch = next(c for c in deck_cards(sample.store, None) if c.question.startswith("What is an epoch?"))
    assert tags[f"st:{epoch.id}"] == ["basics", "training"]
