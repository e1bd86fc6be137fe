"""Templates: placeholders, YAML-safe titles, the cursor, creating notes."""

from datetime import date

import pytest
import yaml

from studyterm.authoring.files import NoteError
from studyterm.authoring.templates import (
    TemplateError,
    available_templates,
    create_note,
    fill_template,
)
from studyterm.layout import Layout, init_collection
from studyterm.notes.parser import parse_note

DAY = date(2026, 11, 21)


def test_placeholders_are_filled_and_the_cursor_is_found():
    template = "---\ntitle: {{title}}\n---\n# {{title}}\n\nDeck {{deck}}, {{date}}.\n\n{{cursor}}\n\n- {{c1::kept}}\n"
    filled = fill_template(template, "Softmax", "dlfs2/ch03", DAY)
    assert filled.text == "---\ntitle: Softmax\n---\n# Softmax\n\nDeck dlfs2/ch03, 2026-11-21.\n\n\n\n- {{c1::kept}}\n"
    assert (filled.line, filled.column) == (8, 0)


@pytest.mark.parametrize("title", ["Softmax: the stable way", "yes", "123", "#hashtag", 'say "hi"', "a [b] {c}"])
def test_titles_stay_titles_in_the_front_matter(title):
    filled = fill_template("---\ntitle: {{title}}\n---\n# {{title}}\n", title, "", DAY)
    assert parse_note(filled.text).front.title == title
    assert filled.text.endswith(f"# {title}\n")


def test_without_a_cursor_the_editor_starts_at_the_end():
    filled = fill_template("# {{title}}\n", "T", "", DAY)
    assert (filled.line, filled.column) == (2, 0)


def test_bundled_templates_make_valid_notes_without_cards():
    for name, path in available_templates(Layout(path_with_no_collection())).items():
        filled = fill_template(path.read_text(encoding="utf-8"), "A: tricky title", "x/y", DAY)
        note = parse_note(filled.text)
        assert note.readable and not note.problems and not note.cards, name
        assert note.front.title == "A: tricky title"
        yaml_part = filled.text.split("---")[1]
        assert yaml.safe_load(yaml_part)["title"] == "A: tricky title"


def path_with_no_collection():
    from pathlib import Path

    return Path("/nonexistent-collection")


def test_the_bundled_pair_is_there():
    assert {"session", "concept"} <= set(available_templates(Layout(path_with_no_collection())))


def test_init_copies_the_templates_so_they_can_be_changed(tmp_path):
    layout, created = init_collection(tmp_path / "c")
    templates = layout.concepts / "_templates"
    assert templates in created
    assert {p.name for p in templates.iterdir()} == {"session.md", "concept.md"}
    (templates / "session.md").write_text("# {{title}} (mine)\n", encoding="utf-8")
    (templates / "mine.md").write_text("# mine\n", encoding="utf-8")
    found = available_templates(layout)
    assert found["session"] == templates / "session.md"
    assert "mine" in found and "concept" in found


def test_create_note_puts_it_in_the_deck_folder_and_never_overwrites(tmp_path):
    layout, _ = init_collection(tmp_path / "c")
    first = create_note(layout, "Softmax", "dlfs2::ch03", "concept", DAY)
    assert first.relative == "concepts/dlfs2/ch03/softmax.md"
    assert first.deck == "dlfs2/ch03"
    assert first.path.read_text(encoding="utf-8").startswith("---\ntitle: Softmax\n")
    lines = first.path.read_text(encoding="utf-8").split("\n")
    assert lines[first.line - 3 : first.line] == ["## Mathematical foundation", "", ""]
    second = create_note(layout, "Softmax", "dlfs2/ch03", "session", DAY)
    assert second.relative == "concepts/dlfs2/ch03/softmax-2.md"
    assert "## Mathematical foundation" in first.path.read_text(encoding="utf-8")


def test_create_note_explains_what_is_wrong(tmp_path):
    layout, _ = init_collection(tmp_path / "c")
    with pytest.raises(TemplateError, match="no template 'nope'.*concept, session"):
        create_note(layout, "T", "", "nope", DAY)
    with pytest.raises(NoteError, match="cannot start with"):
        create_note(layout, "T", "_hidden", "session", DAY)
    (layout.concepts / "_templates" / "broken.md").write_text("---\ntitle: [oops\n---\n", encoding="utf-8")
    with pytest.raises(TemplateError, match="'broken' makes a broken note: line 2"):
        create_note(layout, "T", "", "broken", DAY)
    assert not list(layout.concepts.glob("*.md"))
