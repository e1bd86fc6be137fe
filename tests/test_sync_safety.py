"""Sync never loses a card to a big note, a parse that stops early, or a file it cannot read,
and never hangs or fails on what it finds under concepts/ (issue 9)."""

import os

from studyterm.authoring.check import check_paths
from tests.conftest import write_note
from tests.limits import studyterm

NOW = "2026-11-21T10:00:00+00:00"


def active_ids(collection):
    return dict(collection.store.conn.execute("SELECT question, id FROM cards WHERE retired = 0").fetchall())


def test_a_typo_fixed_in_every_card_of_a_250_card_note_keeps_every_card(collection, collection_root):
    cards = "\n\n".join(f"Q: What does the optimiser do at stepp {i}?\nA: Update {i}." for i in range(250))
    path = write_note(collection_root, "concepts/big.md", cards + "\n")
    collection.sync()
    before = sorted(active_ids(collection).values())
    path.write_text(cards.replace("stepp", "step") + "\n", encoding="utf-8")
    report = collection.sync()
    assert (report.created, report.retired, report.updated) == (0, 0, 250)
    assert sorted(active_ids(collection).values()) == before


def test_a_one_word_edit_in_a_250_group_cloze_paragraph_keeps_every_group(collection, collection_root):
    words = " ".join(f"{{{{c{g}::term {g}}}}}," for g in range(1, 251))
    path = write_note(collection_root, "concepts/cloze.md", f"The terms: {words} in a row.\n")
    collection.sync()
    before = active_by_group(collection)
    assert len(before) == 250
    path.write_text(f"The words: {words} in a row.\n", encoding="utf-8")
    report = collection.sync()
    assert (report.created, report.retired) == (0, 0)
    assert active_by_group(collection) == before


def active_by_group(collection):
    rows = collection.store.conn.execute("SELECT cloze_group, id FROM cards WHERE retired = 0")
    return dict(rows.fetchall())


NOTE = "Q: first?\nA: 1\n\n{middle}\n\nQ: second?\nA: 2\n\nQ: third?\nA: 3\n"


def outline(levels):
    return "\n".join("  " * depth + f"- level {depth}" for depth in range(levels))


def test_a_parse_that_stops_early_keeps_every_later_card_and_says_where(collection, collection_root):
    path = write_note(collection_root, "concepts/a.md", NOTE.format(middle="Prose."))
    collection.sync()
    before = active_ids(collection)
    for broken, line, words in (
        (NOTE.format(middle=outline(40)), 35, "nested more than"),
        (NOTE.format(middle="```python\nx = 1"), 4, "unclosed code fence"),
        (NOTE.format(middle="<!-- draft"), 4, "unclosed HTML block"),
    ):
        path.write_text(broken, encoding="utf-8")
        report = collection.sync()
        assert (report.retired, report.kept) == (0, 2), broken
        assert [(p.line, words in p.message) for _, p in report.errors] == [(line, True)]
        assert active_ids(collection) == before
    path.write_text(NOTE.format(middle=outline(12)), encoding="utf-8")  # an outline is fine
    report = collection.sync()
    assert report.problems == [] and report.retired == 0
    assert active_ids(collection) == before


def test_symlink_loops_bad_names_fifos_and_devices_are_skipped_with_a_problem(collection, collection_root):
    concepts = collection_root / "concepts"
    write_note(collection_root, "concepts/ok.md", "a :: b\n")
    (concepts / "loop.md").symlink_to("loop.md")
    (concepts / "dirloop").symlink_to("dirloop")
    (concepts / "sub").mkdir()
    (concepts / "sub" / "up").symlink_to("..")
    (concepts / "dangling.md").symlink_to("nowhere.md")
    os.mkfifo(concepts / "fifo.md")
    (concepts / "zero.md").symlink_to("/dev/zero")
    with open(os.path.join(os.fsencode(concepts), b"bad\xff.md"), "wb") as file:
        file.write(b"c :: d\n")
    os.mkdir(os.path.join(os.fsencode(concepts), b"folder\xfe"))
    report = collection.sync()
    assert (report.scanned, report.created) == (1, 1)
    assert [problem.format(path) for path, problem in report.problems] == [
        "concepts/bad\\xff.md:1: the name is not valid UTF-8; rename it",
        "concepts/dangling.md:1: cannot read the file: it does not exist (a broken symlink?)",
        "concepts/fifo.md:1: not a regular file (a FIFO, device or socket), so not read",
        "concepts/folder\\xfe:1: the name is not valid UTF-8; rename it",
        "concepts/loop.md:1: cannot read the file: a symlink loop",
        "concepts/zero.md:1: not a regular file (a FIFO, device or socket), so not read",
    ]
    result = studyterm("--collection", str(collection_root), "--now", NOW, "sync")
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr


def test_a_note_that_becomes_unreadable_keeps_its_cards(collection, collection_root):
    path = write_note(collection_root, "concepts/a.md", "a :: b\n")
    collection.sync()
    before = active_ids(collection)
    path.unlink()
    os.mkfifo(path)
    report = collection.sync()
    assert (report.retired, report.deleted) == (0, 0)
    assert [p.message for _, p in report.problems] == ["not a regular file (a FIFO, device or socket), so not read"]
    assert active_ids(collection) == before


def test_check_never_blocks_on_a_fifo_nor_reads_dev_zero(collection_root):
    concepts = collection_root / "concepts"
    write_note(collection_root, "concepts/ok.md", "a :: b\n")
    os.mkfifo(concepts / "x.md")
    (concepts / "zero.md").symlink_to("/dev/zero")
    result = studyterm("--collection", str(collection_root), "check", str(concepts), timeout=30)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "x.md:1: not a regular file" in result.stdout and "zero.md:1: not a regular file" in result.stdout
    named = studyterm("--collection", str(collection_root), "check", str(concepts / "x.md"),
                      str(concepts / "zero.md"), timeout=30)
    assert named.returncode == 1 and named.stdout.count("not a regular file") == 2, named.stdout


def test_a_huge_note_is_refused_by_sync_and_check(collection, collection_root, monkeypatch):
    from studyterm.notes import files

    monkeypatch.setattr(files, "MAX_NOTE_BYTES", 1000)
    write_note(collection_root, "concepts/huge.md", "a :: b\n" * 200)
    report = collection.sync()
    assert [p.message for _, p in report.problems] == ["larger than 0 MiB, so not read as a note"]
    checked = check_paths([collection_root / "concepts"])
    assert [p.message for _, p in checked.problems] == ["larger than 0 MiB, so not read as a note"]


def test_syncs_in_several_processes_at_once_all_succeed_and_create_each_card_once(collection_root):
    import sqlite3
    import subprocess
    import sys

    for index in range(50):
        cards = "\n\n".join(f"Q: note {index} question {i}?\nA: answer {i}" for i in range(4))
        write_note(collection_root, f"concepts/deck{index % 5}/n{index}.md", cards + "\n")
    command = [sys.executable, "-m", "studyterm", "--collection", str(collection_root), "--now", NOW, "sync"]
    env = {**os.environ, "STUDYTERM_DEBUG": "1"}
    first = subprocess.run(command, capture_output=True, text=True, env=env, timeout=120)
    assert first.returncode == 0, first.stderr
    for index in range(50, 1050):  # new notes that every process finds at once (1,000: parsing
        # them takes long enough for the processes to overlap; with 150 they rarely did)
        write_note(collection_root, f"concepts/deck{index % 5}/n{index}.md", f"Q: note {index}?\nA: a\n")
    runs = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
            for _ in range(4)]
    results = [(run.wait(timeout=120), *run.communicate()) for run in runs]
    assert [code for code, _, _ in results] == [0, 0, 0, 0], [err for _, _, err in results]
    created = sorted(int(out.split(": ")[1].split(" new")[0]) for _, out, _ in results)
    assert created == [0, 0, 0, 1000]
    with sqlite3.connect(collection_root / ".studyterm" / "studyterm.db") as conn:
        assert conn.execute("SELECT count(*), count(DISTINCT content_key) FROM cards").fetchone() == (1200, 1200)


def test_a_cloze_paragraph_is_stored_once_for_all_its_groups(collection, collection_root):
    words = " ".join(f"{{{{c{g}::term {g}}}}} means {g}," for g in range(1, 301))
    paragraph = f"The glossary: {words} and so on."
    path = write_note(collection_root, "concepts/cloze.md", paragraph + "\n")
    collection.sync()
    conn = collection.store.conn
    assert conn.execute("SELECT count(*), sum(length(text)) FROM texts").fetchone() == (1, len(paragraph))
    assert conn.execute("SELECT sum(length(question)) FROM cards").fetchone() == (0,)
    card_id = conn.execute("SELECT id FROM cards WHERE cloze_group = 7").fetchone()[0]
    assert collection.card(card_id).question == paragraph
    path.write_text(paragraph.replace("glossary", "word list") + "\n", encoding="utf-8")
    report = collection.sync()
    assert (report.updated, report.created, report.retired) == (300, 0, 0)
    assert conn.execute("SELECT count(*) FROM texts").fetchone() == (1,)  # the old text is gone
    assert collection.card(card_id).question == paragraph.replace("glossary", "word list")


def test_a_cloze_card_stored_before_shared_texts_still_reads_and_matches(collection, collection_root):
    path = write_note(collection_root, "concepts/c.md", "The {{c1::softmax}} normalises {{c2::scores}}.\n")
    collection.sync()
    conn = collection.store.conn
    text = conn.execute("SELECT text FROM texts").fetchone()[0]
    conn.execute("UPDATE cards SET question = ?, text_key = NULL", (text,))  # as schema v5 left it
    conn.execute("DELETE FROM texts")
    ids = dict(conn.execute("SELECT cloze_group, id FROM cards").fetchall())
    assert collection.card(ids[1]).question == text
    path.write_text("The {{c1::softmax}} normalises the {{c2::scores}}.\n", encoding="utf-8")
    report = collection.sync()
    assert (report.updated, report.created) == (2, 0)
    assert dict(conn.execute("SELECT cloze_group, id FROM cards WHERE retired = 0").fetchall()) == ids
