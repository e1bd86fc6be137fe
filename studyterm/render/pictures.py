"""Pictures in cards: which image files a card's Markdown shows, found inside the collection.

A note links a picture as `![alt](path)`, the path relative to the note's folder (as Anki imports
write them: `concepts/media/...`). A path outside the collection folder is refused, as exports
refuse it; a web address is named but never fetched."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

from studyterm.notes.model import CardKind

_PICTURE = re.compile(r"!\[([^\]]*)\]\(\s*(?:<([^>]*)>|([^)\s]+))(?:\s+\"[^\"]*\")?\s*\)")
_REMOTE = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")
PICTURE_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".webp", ".bmp")


@dataclass(frozen=True)
class Picture:
    alt: str
    source: str
    """As written in the note."""
    path: Path | None
    """The file to draw; None when it cannot be shown (`problem` says why)."""
    problem: str = ""


def picture_links(markdown: str) -> list[tuple[str, str]]:
    """(alt text, source) of each `![alt](source)` in order."""
    return [(match[1], match[2] or match[3]) for match in _PICTURE.finditer(markdown)]


def mark_pictures(markdown: str) -> str:
    """`![alt](source)` as `▣ alt` in the text: for Rich's Markdown, which drops the words
    around an inline image; the picture itself is drawn below."""
    return _PICTURE.sub(lambda match: f"▣ {match[1] or 'picture'}", markdown)


def resolve(root: Path, note_path: str, alt: str, source: str) -> Picture:
    """The picture's file under `root`, or why it cannot be shown."""
    if _REMOTE.match(source) or source.startswith("//"):
        return Picture(alt, source, None, "a web address: open it in a browser")
    root = root.resolve()
    target = ((root / note_path).parent / unquote(source)).resolve()
    if not target.is_relative_to(root):
        return Picture(alt, source, None, "outside the collection folder: not shown")
    if not target.is_file():
        return Picture(alt, source, None, "file not found")
    if target.suffix.lower() not in PICTURE_SUFFIXES:
        return Picture(alt, source, None, "not a picture this app draws")
    return Picture(alt, source, target)


def card_pictures(root: Path, note_path: str, question: str, answer: str, kind: str,
                  revealed: bool) -> tuple[list[Picture], list[Picture]]:
    """(pictures of the question, pictures of the answer); the answer's only once revealed.
    A cloze card's text is its question, so its pictures show from the start."""
    front = [resolve(root, note_path, alt, source) for alt, source in picture_links(question)]
    back: list[Picture] = []
    if revealed and kind != CardKind.CLOZE:
        back = [resolve(root, note_path, alt, source) for alt, source in picture_links(answer)]
    return front, back
