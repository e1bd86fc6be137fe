"""Sync end to end: files on disk -> cards in the store, identity kept across edits."""

import os
import shutil

from studyterm.sync import default_deck, scan_notes
from tests.conftest import write_note

NOTE = """
---
title: Training loop
---
Q: What is an epoch?
A: One pass over the training set.

Q: What is the batch size?
A: Samples per gradient step.

Q: What does the learning rate control?
A: The step size.
"""


def ids_by_question(collection):
    rows = collection.store.conn.execute(
        "SELECT question, id FROM cards WHERE retired = 0"
    ).fetchall()
    return dict(rows)


def answer_all(collection):
    for entry in collection.queue():
        collection.answer(entry.card_id, 5)


def test_cold_sync_creates_cards_with_deck_from_folder(collection, collection_root):
    write_note(collection_root, "concepts/pytorch/day01.md", NOTE)
    report = collection.sync()
    assert (report.scanned, report.parsed, report.created) == (1, 1, 3)
    card = collection.card(ids_by_question(collection)["What is an epoch?"])
    assert card.deck == "pytorch"
    assert (card.note_path, card.line) == ("concepts/pytorch/day01.md", 4)


def test_noop_sync_parses_nothing(collection, collection_root):
    write_note(collection_root, "concepts/a.md", NOTE)
    collection.sync()
    report = collection.sync()
    assert (report.parsed, report.created, report.updated, report.retired) == (0, 0, 0, 0)


def test_touched_file_with_same_bytes_is_not_reparsed(collection, collection_root):
    path = write_note(collection_root, "concepts/a.md", NOTE)
    collection.sync()
    os.utime(path, ns=(1, 1))
    assert collection.sync().parsed == 0


def test_typo_fix_reword_and_reorder_keep_schedule_and_history(collection, collection_root, clock):
    path = write_note(collection_root, "concepts/a.md", NOTE)
    collection.sync()
    before = ids_by_question(collection)
    answer_all(collection)
    edited = (
        NOTE.replace("What is the batch size?", "What is the batch sise?")
        .replace("The step size.", "How far each update moves the weights.")
    )
    blocks = edited.strip().split("\n\n")
    reordered = "\n\n".join([blocks[0].replace("Q: What is an epoch?\nA: One pass over the training set.", "Q: What does the learning rate control?\nA: How far each update moves the weights."), blocks[1], "Q: What is an epoch?\nA: One pass over the training set."])
    path.write_text(reordered + "\n", encoding="utf-8")
    report = collection.sync()
    assert (report.created, report.retired) == (0, 0)
    after = ids_by_question(collection)
    assert after["What is an epoch?"] == before["What is an epoch?"]
    assert after["What is the batch sise?"] == before["What is the batch size?"]
    assert after["What does the learning rate control?"] == before["What does the learning rate control?"]
    card = collection.card(before["What does the learning rate control?"])
    assert card.answer == "How far each update moves the weights."
    assert card.schedule.sm2.repetitions == 1
    assert len(collection.history(card.id)) == 1


def test_rename_and_move_keep_cards(collection, collection_root):
    write_note(collection_root, "concepts/a.md", NOTE)
    collection.sync()
    before = ids_by_question(collection)
    answer_all(collection)
    (collection_root / "concepts/course/day1").mkdir(parents=True)
    shutil.move(collection_root / "concepts/a.md", collection_root / "concepts/course/day1/renamed.md")
    report = collection.sync()
    assert (report.created, report.retired, report.deleted) == (0, 0, 1)
    assert ids_by_question(collection) == before
    card = collection.card(before["What is an epoch?"])
    assert card.note_path == "concepts/course/day1/renamed.md"
    assert card.deck == "course/day1"
    assert card.schedule.introduced is not None


def test_deleted_text_retires_and_returns_with_history(collection, collection_root):
    path = write_note(collection_root, "concepts/a.md", NOTE)
    collection.sync()
    epoch = ids_by_question(collection)["What is an epoch?"]
    collection.answer(epoch, 4)
    path.write_text(NOTE.replace("Q: What is an epoch?\nA: One pass over the training set.\n", ""), encoding="utf-8")
    report = collection.sync()
    assert report.retired == 1
    assert collection.card(epoch).retired
    assert collection.store.card_count() == 2
    path.write_text(NOTE, encoding="utf-8")
    report = collection.sync()
    assert (report.revived, report.created) == (1, 0)
    card = collection.card(epoch)
    assert not card.retired and len(collection.history(epoch)) == 1


def test_deleting_a_whole_note_retires_its_cards(collection, collection_root):
    path = write_note(collection_root, "concepts/a.md", NOTE)
    collection.sync()
    path.unlink()
    report = collection.sync()
    assert (report.deleted, report.retired) == (1, 3)
    assert collection.queue() == []


def test_bad_notes_are_reported_and_the_rest_still_syncs(collection, collection_root):
    write_note(collection_root, "concepts/good.md", "Fine :: card\n")
    write_note(collection_root, "concepts/broken-front.md", "---\ntags: [x\n---\nQ: a?\nA: b\n")
    write_note(collection_root, "concepts/no-answer.md", "Q: lonely?\n\nok :: fine\n")
    write_note(collection_root, "concepts/cloze.md", "The {{c1::unclosed\n")
    write_note(collection_root, "concepts/dup.md", "Q: same?\nA: 1\n\nQ: same?\nA: 1\n")
    (collection_root / "concepts/latin1.md").write_bytes("Q: caf\xe9\nA: x\n".encode("latin-1"))
    (collection_root / "concepts/empty.md").write_bytes(b"")
    (collection_root / "concepts/binary.md").write_bytes(b"\x00\x01\x02")
    report = collection.sync()
    formatted = sorted(p.format(path) for path, p in report.problems)
    assert formatted == [
        "concepts/binary.md:1: binary file, not a Markdown note",
        "concepts/broken-front.md:2: front matter is not valid YAML: "
        + formatted[1].split("YAML: ", 1)[1],
        "concepts/cloze.md:1: unclosed cloze: '{{c1::' has no '}}'",
        "concepts/dup.md:4: duplicate card (first on line 1); skipped",
        "concepts/empty.md:1: warning: empty file",
        "concepts/latin1.md:1: not valid UTF-8 (byte 0xe9); save it as UTF-8",
        "concepts/no-answer.md:1: 'Q:' without 'A:' (no answer before the next card, heading or end)",
    ]
    assert sorted(ids_by_question(collection)) == ["Fine", "ok", "same?"]


def test_a_note_that_breaks_keeps_its_cards_until_fixed(collection, collection_root):
    path = write_note(collection_root, "concepts/a.md", NOTE)
    collection.sync()
    before = ids_by_question(collection)
    answer_all(collection)
    path.write_bytes(b"---\ntitle: [oops\n---\n" + NOTE.encode())
    report = collection.sync()
    assert report.retired == 0 and report.errors
    assert ids_by_question(collection) == before
    path.write_text(NOTE.replace("Q: What is an epoch?\nA: One", "Q: What is an epoch?\n"), encoding="utf-8")
    report = collection.sync()
    assert report.kept == 1 and report.retired == 0
    assert not collection.card(before["What is an epoch?"]).retired
    path.write_text(NOTE, encoding="utf-8")
    report = collection.sync()
    assert report.errors == [] and report.created == 0
    assert ids_by_question(collection) == before


def test_problems_are_replaced_when_the_note_is_fixed(collection, collection_root):
    path = write_note(collection_root, "concepts/a.md", "Q: lonely?\n")
    assert len(collection.sync().problems) == 1
    path.write_text("Q: lonely?\nA: not any more\n", encoding="utf-8")
    assert collection.sync().problems == []


def test_templates_and_hidden_files_are_not_notes(collection_root):
    from studyterm.layout import Layout

    write_note(collection_root, "concepts/_templates/session.md", "Q: {{title}}?\nA: x\n")
    write_note(collection_root, "concepts/.trash/old.md", "a :: b\n")
    write_note(collection_root, "concepts/notes.txt", "a :: b\n")
    write_note(collection_root, "concepts/real.md", "a :: b\n")
    write_note(collection_root, "concepts/track/README.md", "plan :: read, run, note\n")
    write_note(collection_root, "concepts/track/readme.md", "plan :: read, run, note\n")
    assert list(scan_notes(Layout(collection_root))) == ["concepts/real.md"]


def test_default_deck_is_the_folder_path():
    assert default_deck("concepts/dlfs2/ch01/notes.md") == "dlfs2/ch01"
    assert default_deck("concepts/top.md") == "default"


def test_front_matter_deck_and_lab_reach_the_cards(collection, collection_root):
    write_note(
        collection_root,
        "concepts/x/y.md",
        "---\ndeck: dlfs2/ch01\nlab: spiral\ntags: [a]\n---\nQ: one?\nA: 1\n\nQ: two?\nA: 2\nlab: other\n",
    )
    collection.sync()
    cards = {c.question: c for c in collection.cards(list(ids_by_question(collection).values()))}
    assert (cards["one?"].deck, cards["one?"].lab, cards["one?"].tags) == ("dlfs2/ch01", "spiral", ("a",))
    assert cards["two?"].lab == "other"


def test_parallel_parse_gives_the_same_cards(collection, collection_root, monkeypatch):
    from studyterm.notes import parallel

    monkeypatch.setattr(parallel, "PARALLEL_THRESHOLD", 2)
    monkeypatch.setattr(parallel.os, "sched_getaffinity", lambda pid: {0, 1})
    for index in range(6):
        write_note(collection_root, f"concepts/n{index}.md", f"Q: q{index}?\nA: a{index}\n")
    report = collection.sync()
    assert report.created == 6
    assert sorted(ids_by_question(collection)) == [f"q{i}?" for i in range(6)]


def test_edit_time_is_the_file_mtime_and_moves_only_when_text_changes(collection, collection_root, clock):
    path = write_note(collection_root, "concepts/a.md", NOTE)
    os.utime(path, ns=(1_700_000_000_000_000_000, 1_700_000_000_000_000_000))
    collection.sync()
    epoch = ids_by_question(collection)["What is an epoch?"]
    batch = ids_by_question(collection)["What is the batch size?"]
    first = collection.card(epoch).edited_at
    assert first.startswith("2023-11-14T22:13:20")
    path.write_text(NOTE.replace("One pass over the training set.", "One full pass."), encoding="utf-8")
    os.utime(path, ns=(1_800_000_000_000_000_000, 1_800_000_000_000_000_000))
    collection.sync()
    assert collection.card(epoch).edited_at.startswith("2027-01-15")
    assert collection.card(batch).edited_at == first
