"""Writing notes from the app: new note -> preview -> save -> review; quick add; the palette."""

from textual.widgets import DataTable

from studyterm.authoring.drafts import Drafts
from studyterm.tui.app import StartSession
from studyterm.tui.screens.home import HomeScreen
from studyterm.tui.screens.new_note import NewNoteScreen
from studyterm.tui.screens.note_editor import NoteEditorScreen
from studyterm.tui.screens.quick_add import QuickAddScreen
from studyterm.tui.screens.review import ReviewScreen
from studyterm.tui.screens.summary import SummaryScreen
from studyterm.tui.widgets.note_preview import NotePreviewList
from tests.tui.editing import LOOP_NOTE, settle, type_text, wait_for


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
