"""Note templates: Markdown files in concepts/_templates/ with a few placeholders.

`{{title}}`, `{{deck}}` and `{{date}}` are filled in (inside the front matter as YAML-safe
values), and `{{cursor}}` marks where an editor starts. Any other `{{...}}` (a cloze) is left
alone. A collection's own templates win over the bundled ones of the same name.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from studyterm.authoring.files import NoteError, create_exclusive, deck_folders, new_note_path
from studyterm.layout import CONCEPTS, TEMPLATES, CollectionNotFoundError, Layout, sample_source
from studyterm.notes.frontmatter import normalize_deck
from studyterm.notes.parser import parse_note
from studyterm.sync import default_deck

DEFAULT_TEMPLATE = "session"
_PLACEHOLDER = re.compile(r"\{\{(title|deck|date|cursor)\}\}")
_CURSOR = "{{cursor}}"


class TemplateError(NoteError):
    """A template is missing or makes a broken note."""


@dataclass(frozen=True)
class Filled:
    text: str
    line: int  # 1-based line of {{cursor}} (or the end)
    column: int


@dataclass(frozen=True)
class NewNote:
    path: Path
    relative: str
    deck: str
    template: str
    line: int
    column: int


def bundled_templates() -> Path | None:
    try:
        folder = sample_source() / CONCEPTS / TEMPLATES
    except CollectionNotFoundError:
        return None
    return folder if folder.is_dir() else None


def available_templates(layout: Layout) -> dict[str, Path]:
    """Template name -> file, the collection's own overriding the bundled ones."""
    found: dict[str, Path] = {}
    for folder in (bundled_templates(), layout.concepts / TEMPLATES):
        if folder is not None and folder.is_dir():
            for path in sorted(folder.glob("*.md")):
                if not path.name.startswith("."):
                    found[path.stem] = path
    return dict(sorted(found.items()))


def fill_template(template: str, title: str, deck: str, day: date) -> Filled:
    """The template with its placeholders filled, and where `{{cursor}}` was."""
    end = _front_matter_end(template)
    values = {"title": title.strip(), "deck": deck, "date": day.isoformat()}

    def fill(text: str, yaml: bool) -> str:
        def value(match: re.Match) -> str:
            name = match.group(1)
            if name == "cursor":
                return _CURSOR
            return _yaml_scalar(values[name]) if yaml else values[name]

        return _PLACEHOLDER.sub(value, text)

    text = fill(template[:end], yaml=True) + fill(template[end:], yaml=False)
    at = text.find(_CURSOR)
    if at == -1:
        at = len(text)
    else:
        text = text[:at] + text[at + len(_CURSOR) :]
        text = text.replace(_CURSOR, "")
    line = text.count("\n", 0, at) + 1
    column = at - (text.rfind("\n", 0, at) + 1)
    return Filled(text, line, column)


def _front_matter_end(text: str) -> int:
    """Offset just past the front matter's closing line (0 when there is none)."""
    if not text.startswith("---"):
        return 0
    closing = re.search(r"^(---|\.\.\.)[ \t]*$", text[3:], re.MULTILINE)
    return 3 + closing.end() if closing else 0


def _yaml_scalar(value: str) -> str:
    """`value` as it may stand after `key: ` in YAML: plain when YAML reads it back unchanged,
    else double-quoted (a title like `Softmax: a stable version` or `yes`)."""
    import yaml

    try:
        plain = "\n" not in value and yaml.safe_load(f"key: {value}") == {"key": value}
    except yaml.YAMLError:
        plain = False
    return value if plain else json.dumps(value, ensure_ascii=False)


def create_note(layout: Layout, title: str, deck: str, template: str, day: date) -> NewNote:
    """Create a note from a template in the deck's folder under concepts/, never overwriting a
    file (a title already taken gets `-2`, `-3`, ...)."""
    if not title.strip():
        raise NoteError("a note needs a title")
    templates = available_templates(layout)
    if template not in templates:
        names = ", ".join(templates) or "none"
        raise TemplateError(f"no template {template!r} (available: {names}); templates live in concepts/{TEMPLATES}/")
    deck = normalize_deck(deck) if deck.strip() else ""
    deck_folders(deck)
    filled = fill_template(templates[template].read_text(encoding="utf-8"), title, deck, day)
    parsed = parse_note(filled.text)
    if not parsed.readable:
        problem = parsed.problems[0]
        raise TemplateError(f"template {template!r} makes a broken note: line {problem.line}: {problem.message}")
    for _ in range(100):
        path = new_note_path(layout.concepts, deck, title)
        try:
            create_exclusive(path, filled.text)
        except FileExistsError:  # another program took the name in between: try the next one
            continue
        relative = path.relative_to(layout.root).as_posix()
        effective_deck = parsed.front.deck or default_deck(relative)
        return NewNote(path, relative, effective_deck, template, filled.line, filled.column)
    raise NoteError(f"could not find a free file name for {title!r}")
