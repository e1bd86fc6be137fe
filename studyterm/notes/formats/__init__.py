"""Other Markdown flashcard formats, read in place: a folder opts in through studyterm.toml.

```toml
[formats]
"hashcards" = "hashcards"     # concepts/hashcards/ holds hashcards decks
"vault" = "obsidian"          # concepts/vault/ is an Obsidian vault (spaced-repetition plugin)
```

Each format turns a file's text into the same ParsedNote the studyterm parser gives, so sync,
identity, scheduling and export treat its cards like any other. studyterm never writes into
these files (docs/notes.md has each format's rules, and what is and is not supported).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from studyterm.notes.model import ParsedNote

STUDYTERM = "studyterm"
OBSIDIAN_BOLD = "obsidian+bold"
"""The Obsidian plugin with its "Convert **bolded text** to clozes" setting on."""
FORMATS = (STUDYTERM, "hashcards", "obsidian", OBSIDIAN_BOLD)


def parser_for(fmt: str | None) -> Callable[[str], ParsedNote]:
    if fmt == "hashcards":
        from studyterm.notes.formats.hashcards import parse_hashcards

        return parse_hashcards
    if fmt in ("obsidian", OBSIDIAN_BOLD):
        from functools import partial

        from studyterm.notes.formats.obsidian import parse_obsidian

        return partial(parse_obsidian, bold_clozes=fmt == OBSIDIAN_BOLD)
    from studyterm.notes.parser import parse_note

    return parse_note


def parse_bytes(data: bytes, fmt: str | None, file_name: str | None = None) -> ParsedNote:
    """A note file's bytes in its folder's format. An empty foreign note is a warning: vaults
    are full of empty stubs. A hashcards file without `name` is the deck named after the file."""
    from studyterm.notes.parser import parse_note_bytes

    if fmt in (None, STUDYTERM):
        return parse_note_bytes(data)
    if b"\x00" in data[:8192] or not data.strip():
        return parse_note_bytes(data)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return parse_note_bytes(data)
    note = parser_for(fmt)(text)
    if fmt == "hashcards" and note.front.deck is None and file_name:
        _deck_from_file_name(note, file_name)
    return note


def _deck_from_file_name(note: ParsedNote, file_name: str) -> None:
    from dataclasses import replace
    from pathlib import PurePath

    from studyterm.notes.frontmatter import deck_problem, normalize_deck

    stem = PurePath(file_name).stem.strip()
    deck = normalize_deck(stem)
    if stem and deck_problem(deck) is None:
        note.front = replace(note.front, title=note.front.title or stem, deck=deck)


def format_of(note_path: str, formats: Mapping[str, str]) -> str | None:
    """The format of a note (path relative to the collection root) from `[formats]`, whose keys
    are folders under concepts/; the deepest folder that holds the note wins."""
    best, length = None, -1
    for folder, fmt in formats.items():
        prefix = f"concepts/{folder.strip('/')}/"
        if note_path.startswith(prefix) and len(prefix) > length:
            best, length = fmt, len(prefix)
    return None if best == STUDYTERM else best


def tagged_digest(digest: str, fmt: str | None) -> str:
    """The digest sync stores: a note read in another format carries it, so changing a folder's
    format reads the note again."""
    return f"{fmt}:{digest}" if fmt else digest


def digest_format(digest: str) -> str | None:
    head, colon, _ = digest.partition(":")
    return head if colon else None
