"""The in-app editor: preview, saves, conflicts, drafts, closing, outside edits, problems."""

import pytest
from textual.widgets import TextArea

from studyterm.authoring.drafts import Drafts
from studyterm.tui.screens import note_editor
from studyterm.tui.screens.choice import ChoiceDialog
from studyterm.tui.screens.home import HomeScreen
from studyterm.tui.screens.note_editor import open_note_editor
from studyterm.tui.widgets.note_preview import NotePreviewList
from tests.tui.editing import LOOP_NOTE, open_editor, settle, wait_for


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


async def test_the_text_area_highlights_markdown_when_it_can(app_factory):
    app = app_factory()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        editor = await open_editor(pilot, LOOP_NOTE)
        assert note_editor.markdown_highlighting() == "markdown"  # tree-sitter-markdown is a dependency
        assert editor.query_one(TextArea).language == "markdown"


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


async def test_a_crash_keeps_the_typed_text_as_a_draft(app_factory, tui_collection):
    def crash():
        raise RuntimeError("a bug somewhere else in the app")

    app = app_factory()
    with pytest.raises(RuntimeError, match="a bug somewhere"):
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot)
            await open_editor(pilot, LOOP_NOTE)
            await pilot.press(*"idea ")
            app.call_later(crash)
            await pilot.pause()
    assert Drafts(tui_collection.layout).load(LOOP_NOTE).text.startswith("idea ---")


async def test_the_draft_of_a_deleted_note_can_bring_it_back(app_factory, tui_collection, sample_root):
    from studyterm.authoring.files import OpenNote

    path = sample_root / LOOP_NOTE
    opened = OpenNote.open(sample_root, LOOP_NOTE)
    Drafts(tui_collection.layout).save(LOOP_NOTE, "rescued :: text\n", opened.digest, tui_collection.now())
    path.unlink()  # a checkout removed it
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert open_note_editor(app, LOOP_NOTE)
        await settle(pilot)
        await pilot.press("r")  # recover
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ChoiceDialog)  # the file is gone: it still asks
        await pilot.press("o")
        await settle(pilot)
    assert path.read_text(encoding="utf-8") == "rescued :: text\n"


async def test_a_note_read_in_another_format_does_not_open_in_the_in_app_editor(app_factory, sample_root):
    (sample_root / "studyterm.toml").write_text('[formats]\n"pytorch" = "obsidian"\n', encoding="utf-8")
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert not open_note_editor(app, LOOP_NOTE)
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        assert any("never writes into it" in str(n.message) for n in app._notifications)
