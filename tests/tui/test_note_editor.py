"""Writing notes in the app: new note -> preview -> save -> review; quick add; conflicts; drafts;
closing with unsaved text; problems to jump to."""

import asyncio

from textual.widgets import DataTable, TextArea

from studyterm.authoring.drafts import Drafts
from studyterm.tui.app import StartSession
from studyterm.tui.screens import note_editor
from studyterm.tui.screens.choice import ChoiceDialog
from studyterm.tui.screens.home import HomeScreen
from studyterm.tui.screens.new_note import NewNoteScreen
from studyterm.tui.screens.note_editor import NoteEditorScreen, open_note_editor
from studyterm.tui.screens.quick_add import QuickAddScreen
from studyterm.tui.screens.review import ReviewScreen
from studyterm.tui.screens.summary import SummaryScreen
from studyterm.tui.widgets.note_preview import NotePreviewList

LOOP_NOTE = "concepts/pytorch/training-loop.md"


async def settle(pilot):
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def wait_for(pilot, condition, timeout=5.0):
    """Let the app run until `condition()` holds (debounce timers, workers), failing after
    `timeout` seconds; returns as soon as it holds."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        assert loop.time() < deadline, "timed out"
        await pilot.pause(0.02)
        await pilot.app.workers.wait_for_complete()


async def type_text(pilot, text):
    for line_number, line in enumerate(text.split("\n")):
        if line_number:
            await pilot.press("enter")
        if line:
            await pilot.press(*line)


async def open_editor(pilot, relative, line=1):
    assert open_note_editor(pilot.app, relative, line)
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, NoteEditorScreen)
    await wait_for(pilot, lambda: screen.preview is not None)
    return screen


async def test_a_new_note_with_three_cards_is_previewed_saved_and_reviewed(app_factory, tui_collection, sample_root):
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, NewNoteScreen)
        await pilot.press(*"Softmax", "enter", *"dlfs2/ch3", "enter")
        await settle(pilot)
        editor = app.screen
        assert isinstance(editor, NoteEditorScreen)
        path = sample_root / "concepts" / "dlfs2" / "ch3" / "softmax.md"
        assert editor.note.path == path and path.exists()
        assert app.focused is editor.editor

        await type_text(pilot, "Q: Softmax?\nA: Probs.\n\n")  # keys are slow in Pilot:
        editor.editor.insert(  # the rest goes in as a paste would
            "Q: Why subtract the largest score?\nA: So that exp never overflows.\n\n"
            "cross-entropy of a one-hot target :: minus the log of its probability\n"
        )
        await wait_for(pilot, lambda: editor.preview is not None and len(editor.preview.cards) == 3)
        fronts = [card.front for card in editor.preview.cards]
        assert fronts == ["Softmax?", "Why subtract the largest score?", "cross-entropy of a one-hot target"]
        assert all(card.status == "new" for card in editor.preview.cards)
        assert editor.query_one("#preview", NotePreviewList).option_count == 3
        assert "Q: Softmax?" not in path.read_text(encoding="utf-8")  # not saved yet

        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "Q: Softmax?\nA: Probs.\n" in path.read_text(encoding="utf-8")
        new_cards = tui_collection.search(deck="dlfs2/ch3", state="new")
        assert sorted(c.question for c in new_cards) == sorted(fronts)

        await pilot.press("escape")  # saved: closes without asking
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        table = app.screen.query_one("#decks", DataTable)
        await wait_for(pilot, lambda: "dlfs2/ch3" in {key.value for key in table.rows})
        table.move_cursor(row=table.get_row_index("dlfs2/ch3"))
        await pilot.press("enter")
        await settle(pilot)
        review = app.screen
        assert isinstance(review, ReviewScreen)
        reviewed = []
        while review.session.current is not None:
            reviewed.append(review.session.current.card.question)
            await pilot.press("space", "4")
            await settle(pilot)
        assert sorted(reviewed) == sorted(fronts)
        assert isinstance(app.screen, SummaryScreen)


async def test_quick_add_during_a_review(app_factory, tui_collection, sample_root):
    app = app_factory(start=StartSession(deck="pytorch"))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        review = app.screen
        card = review.session.current.card
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(app.screen, QuickAddScreen)
        await pilot.press(*"Scheduler?", "enter", *"Sets the LR.", "enter")
        await settle(pilot)
        assert app.screen is review
        assert review.session.current.card.id == card.id  # still on the same card
        text = (sample_root / card.note_path).read_text(encoding="utf-8")
        assert text.endswith("\n\nQ: Scheduler?\nA: Sets the LR.\n")
        added = tui_collection.search("Scheduler?")
        assert [(c.question, c.note_path, c.schedule.is_new) for c in added] == [("Scheduler?", card.note_path, True)]


async def test_quick_add_shows_why_it_refuses(app_factory, sample_root):
    app = app_factory(start=StartSession(deck="pytorch"))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        before = (sample_root / LOOP_NOTE).read_text(encoding="utf-8")
        await pilot.press("a")
        await settle(pilot)
        await pilot.press("enter", "enter")
        assert "question is empty" in str(app.screen.query_one("#qa-error").render())
        app.screen.query_one("#qa-question").value = "What is an epoch?"
        app.screen.query_one("#qa-answer").value = "again"
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, QuickAddScreen)
        assert "already asks that question" in str(app.screen.query_one("#qa-error").render())
        await pilot.press("escape")
        assert isinstance(app.screen, ReviewScreen)
        assert (sample_root / LOOP_NOTE).read_text(encoding="utf-8") == before


async def test_the_in_app_editor_from_the_review_keeps_the_card_and_its_schedule(app_factory, tui_collection, sample_root):
    app = app_factory(start=StartSession(deck="pytorch"))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        review = app.screen
        card = review.session.current.card
        tui_collection.answer(card.id, 4)
        await pilot.press("E")
        await settle(pilot)
        editor = app.screen
        assert isinstance(editor, NoteEditorScreen)
        await wait_for(pilot, lambda: editor.preview is not None)
        assert editor.editor.cursor_location[0] == card.line - 1
        await pilot.press("end", *" (fix)")
        await wait_for(pilot, lambda: any(c.status == "edited" for c in editor.preview.cards))
        edited = next(c for c in editor.preview.cards if c.status == "edited")
        assert edited.card_id == card.id
        await pilot.press("ctrl+s", "escape")
        await settle(pilot)
        assert app.screen is review
        kept = tui_collection.card(card.id)
        assert kept.question.endswith("(fix)") and kept.schedule.sm2.repetitions == 1


async def test_saving_over_a_file_changed_on_disk_asks(app_factory, sample_root):
    app = app_factory()
    path = sample_root / LOOP_NOTE
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        editor = await open_editor(pilot, LOOP_NOTE)
        await pilot.press(*"mine ")
        path.write_text("changed in vim\n", encoding="utf-8")

        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ChoiceDialog)
        await pilot.press("c")  # cancel: nothing written
        assert app.screen is editor
        assert path.read_text(encoding="utf-8") == "changed in vim\n"

        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("o")  # overwrite
        await settle(pilot)
        assert path.read_text(encoding="utf-8").startswith("mine ---")
        assert not editor.dirty

        path.write_text("changed again\n", encoding="utf-8")
        await pilot.press(*"x", "ctrl+s")
        await settle(pilot)
        await pilot.press("r")  # reload: the disk wins
        await settle(pilot)
        assert editor.editor.text == "changed again\n" and not editor.dirty
        assert path.read_text(encoding="utf-8") == "changed again\n"


async def test_unsaved_text_survives_closing_the_app_and_is_offered_back(app_factory, tui_collection, sample_root):
    path = sample_root / LOOP_NOTE
    original = path.read_text(encoding="utf-8")
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await open_editor(pilot, LOOP_NOTE)
        await pilot.press(*"idea ")
    drafts = Drafts(tui_collection.layout)
    assert drafts.load(LOOP_NOTE).text == "idea " + original
    assert path.read_text(encoding="utf-8") == original

    again = app_factory()
    async with again.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert open_note_editor(again, LOOP_NOTE)
        await settle(pilot)
        assert isinstance(again.screen, ChoiceDialog)
        await pilot.press("r")  # recover
        await settle(pilot)
        editor = again.screen
        assert editor.editor.text == "idea " + original and editor.dirty
        await pilot.press("ctrl+s")
        await settle(pilot)
    assert path.read_text(encoding="utf-8") == "idea " + original
    assert drafts.load(LOOP_NOTE) is None


async def test_a_recovered_draft_over_a_changed_file_still_asks_before_saving(app_factory, tui_collection, sample_root):
    path = sample_root / LOOP_NOTE
    drafts = Drafts(tui_collection.layout)
    from studyterm.authoring.files import OpenNote

    opened = OpenNote.open(sample_root, LOOP_NOTE)
    drafts.save(LOOP_NOTE, "my draft\n", opened.digest, tui_collection.now())
    path.write_text("pulled from git\n", encoding="utf-8")
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        open_note_editor(app, LOOP_NOTE)
        await settle(pilot)
        assert "changed on disk since" in str(app.screen.query_one("#choice-message").render())
        await pilot.press("r")
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ChoiceDialog)  # the conflict question
        assert path.read_text(encoding="utf-8") == "pulled from git\n"


async def test_drafts_are_written_after_an_idle_pause(app_factory, tui_collection, monkeypatch):
    monkeypatch.setattr(note_editor, "DRAFT_DELAY_S", 0.05)
    drafts = Drafts(tui_collection.layout)
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await open_editor(pilot, LOOP_NOTE)
        await pilot.press(*"idea ")
        await wait_for(pilot, lambda: drafts.load(LOOP_NOTE) is not None)
        assert drafts.load(LOOP_NOTE).text.startswith("idea ")
        await pilot.press(*["backspace"] * 5)
        await wait_for(pilot, lambda: drafts.load(LOOP_NOTE) is None)  # back to the file's text


async def test_closing_with_unsaved_text_asks_and_discard_leaves_no_trace(app_factory, tui_collection, sample_root):
    path = sample_root / LOOP_NOTE
    original = path.read_text(encoding="utf-8")
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await open_editor(pilot, LOOP_NOTE)
        await pilot.press(*"oops ", "escape")
        await settle(pilot)
        assert isinstance(app.screen, ChoiceDialog)
        await pilot.press("d")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
    assert path.read_text(encoding="utf-8") == original
    assert Drafts(tui_collection.layout).load(LOOP_NOTE) is None


async def test_problems_are_listed_with_lines_and_f8_and_the_preview_jump_there(app_factory, sample_root):
    path = sample_root / "concepts" / "broken.md"
    path.write_text("# Broken\n\nok :: fine\n\nQ: no answer\n\n- {{c1::unclosed\n", encoding="utf-8")
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        editor = await open_editor(pilot, "concepts/broken.md")
        assert [p.line for p in editor.preview.problems] == [5, 7]
        await pilot.press("f8")
        assert editor.editor.cursor_location == (4, 0)
        await pilot.press("f8")
        assert editor.editor.cursor_location == (6, 0)
        await pilot.press("f8")  # wraps around
        assert editor.editor.cursor_location == (4, 0)

        preview = editor.query_one("#preview", NotePreviewList)
        preview.focus()
        preview.highlighted = 2  # the card on line 3, after the two problems
        await pilot.press("enter")
        assert editor.editor.cursor_location == (2, 0)
        assert app.focused is editor.editor


async def test_an_outside_edit_reloads_a_clean_editor_and_flags_a_dirty_one(app_factory, sample_root):
    path = sample_root / LOOP_NOTE
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        editor = await open_editor(pilot, LOOP_NOTE)
        path.write_text("a :: from vim\n", encoding="utf-8")
        editor.note_files_changed({LOOP_NOTE})
        await settle(pilot)
        assert editor.editor.text == "a :: from vim\n" and not editor.dirty

        await pilot.press(*"b ")
        path.write_text("a :: from vim again\n", encoding="utf-8")
        editor.note_files_changed({LOOP_NOTE})
        await settle(pilot)
        assert editor.disk_changed and editor.editor.text.startswith("b ")
        assert "changed on disk" in str(editor.query_one("#editor-status").render())


async def test_a_file_that_is_not_utf8_is_not_opened(app_factory, sample_root):
    (sample_root / "concepts" / "latin.md").write_bytes("caf\xe9 :: coffee\n".encode("latin-1"))
    app = app_factory()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert not open_note_editor(app, "concepts/latin.md")
        assert isinstance(app.screen, HomeScreen)
        assert (sample_root / "concepts" / "latin.md").read_bytes() == "caf\xe9 :: coffee\n".encode("latin-1")


async def test_the_new_note_dialog_explains_bad_input(app_factory, sample_root):
    app = app_factory()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        await pilot.press("enter", *"_x", "enter")
        assert "needs a title" in str(app.screen.query_one("#new-error").render())
        app.screen.query_one("#new-title").value = "Title"
        await pilot.press("enter")
        assert "cannot start with" in str(app.screen.query_one("#new-error").render())
        await pilot.press("escape")
        assert isinstance(app.screen, HomeScreen)
    assert not list((sample_root / "concepts").glob("*.md"))


async def test_the_palette_offers_note_commands_where_they_apply(app_factory):
    app = app_factory(start=StartSession())
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        titles = {command.title for command in app.get_system_commands(app.screen)}
        assert {"New note", "Add a card to this note", "Edit this note here"} <= titles
        home_titles = {command.title for command in app.get_system_commands(app.screen_stack[1])}
        assert "New note" in home_titles and "Add a card to this note" not in home_titles


async def test_the_text_area_highlights_markdown_when_it_can(app_factory):
    app = app_factory()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        editor = await open_editor(pilot, LOOP_NOTE)
        assert editor.query_one(TextArea).language == note_editor.markdown_highlighting()


async def test_the_palette_opens_any_note_and_lists_drafts_and_broken_notes_first(app_factory, tui_collection, sample_root):
    from studyterm.tui.commands import note_entries

    (sample_root / "concepts" / "pytorch" / "empty.md").write_text("# No cards yet\n", encoding="utf-8")
    (sample_root / "concepts" / "bad.md").write_text("ok :: fine\n\nQ: lonely\n", encoding="utf-8")
    tui_collection.sync()
    Drafts(tui_collection.layout).save(LOOP_NOTE, "typed\n", None, tui_collection.now())
    entries = note_entries(tui_collection)
    assert [(e.path, e.line, e.why) for e in entries[:2]] == [
        ("concepts/bad.md", 3, "line 3: 'Q:' without 'A:' (no answer before the next card, heading or end)"),
        (LOOP_NOTE, 1, "an unsaved draft to recover"),
    ]
    assert "concepts/pytorch/empty.md" in [e.path for e in entries]

    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await settle(pilot)
        await pilot.press(*"bad.md")
        await wait_for(pilot, lambda: app.screen.query("CommandList") and app.screen.query_one("CommandList").option_count)
        await pilot.press("enter")
        await settle(pilot)
        editor = app.screen
        assert isinstance(editor, NoteEditorScreen) and editor.note.relative == "concepts/bad.md"
        assert editor.editor.cursor_location[0] == 2


async def test_not_now_keeps_the_draft_and_closes_the_note(app_factory, tui_collection, monkeypatch):
    monkeypatch.setattr(note_editor, "DRAFT_EVERY_S", 0.05)
    drafts = Drafts(tui_collection.layout)
    drafts.save(LOOP_NOTE, "keep me\n", None, tui_collection.now())
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        open_note_editor(app, LOOP_NOTE)
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        await pilot.pause(0.1)  # two periodic autosaves' worth: the closed editor wrote nothing
    assert drafts.load(LOOP_NOTE).text == "keep me\n"


async def test_drafts_are_written_while_typing_goes_on(app_factory, tui_collection, monkeypatch):
    monkeypatch.setattr(note_editor, "DRAFT_EVERY_S", 0.05)
    monkeypatch.setattr(note_editor, "DRAFT_DELAY_S", 60)
    drafts = Drafts(tui_collection.layout)
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await open_editor(pilot, LOOP_NOTE)
        await pilot.press(*"abc")
        await wait_for(pilot, lambda: drafts.load(LOOP_NOTE) is not None)
        assert drafts.load(LOOP_NOTE).text.startswith("abc")


async def test_a_line_past_the_end_opens_at_the_end(app_factory, sample_root):
    app = app_factory()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        editor = await open_editor(pilot, LOOP_NOTE, line=10_000)
        assert editor.editor.cursor_location[0] == editor.editor.document.line_count - 1
