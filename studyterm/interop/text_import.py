"""Read a CSV/TSV/TXT file in the format Anki's text importer takes (and its exporter writes).

Header lines `#key:value` may name the separator, whether fields are HTML, tags for every note,
column labels, and which columns hold the note type, deck, tags and GUID (1-based), exactly as
in Anki. Without headers the separator is guessed (tab, then semicolon, then comma) and the
first two columns are the question and answer. A row whose note type names a cloze type, or
whose first field holds `{{c1::...}}`, is a cloze note.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from studyterm.interop.model import Face, ForeignNote, InteropError, Skip, too_big
from studyterm.notes.frontmatter import LAB_LINK

_SEPARATORS = {"comma": ",", "semicolon": ";", "tab": "\t", "space": " ", "pipe": "|", "colon": ":"}
_CLOZE = re.compile(r"\{\{c\d+::")
_HTML_TAG = re.compile(r"<[a-zA-Z/][^>]*>")


@dataclass
class _Header:
    separator: str | None = None
    is_html: bool | None = None
    tags: tuple[str, ...] = ()
    labels: list[str] = field(default_factory=list)
    notetype: str | None = None
    deck: str | None = None
    columns: dict[str, int] = field(default_factory=dict)
    """notetype / deck / tags / guid -> 1-based column."""


def read_text_file(path: Path, max_bytes: int, default_deck: str) -> tuple[list[ForeignNote], list[Skip]]:
    size = path.stat().st_size
    if size > max_bytes:
        raise too_big(path, size, max_bytes)
    data = path.read_bytes()
    if b"\x00" in data:
        raise InteropError(f"{path} holds NUL bytes: it is not a CSV/TSV text file")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InteropError(f"{path} is not UTF-8 text (byte {error.start}); save it as UTF-8 and try again") from None
    lines = text.splitlines(keepends=True)
    header, body_start = _read_header(lines)
    body = "".join(lines[body_start:])
    separator = header.separator or _guess_separator(body, path.suffix.lower())
    try:
        rows = list(csv.reader(io.StringIO(body), delimiter=separator))
    except csv.Error as error:  # e.g. a field larger than the csv module's limit
        raise InteropError(f"{path} is not a readable CSV/TSV file ({error})") from None
    is_html = header.is_html if header.is_html is not None else any(
        _HTML_TAG.search(value) for row in rows[:50] for value in row
    )
    notes, skipped = [], []
    for number, row in enumerate(rows, start=body_start + 1):
        if not row or all(not value.strip() for value in row) or row[0].startswith("#"):
            continue
        result = _note(row, number, header, is_html, default_deck)
        (skipped if isinstance(result, Skip) else notes).append(result)
    return notes, skipped


def _read_header(lines: list[str]) -> tuple[_Header, int]:
    header = _Header()
    index = 0
    if lines and lines[0].startswith("tags:"):
        header.tags = tuple(lines[0][5:].split())
        index = 1
    while index < len(lines) and lines[index].startswith("#"):
        key, _, value = lines[index][1:].rstrip("\r\n").partition(":")
        _apply(header, key.strip().lower(), value)
        index += 1
    return header, index


def _apply(header: _Header, key: str, value: str) -> None:
    if key == "separator":
        named = _SEPARATORS.get(value.strip().lower())
        header.separator = named or (value if len(value) == 1 else header.separator)
    elif key == "html":
        header.is_html = value.strip().lower() == "true"
    elif key == "tags":
        header.tags = tuple(value.split())
    elif key == "columns":
        header.labels = value.split(header.separator or ("\t" if "\t" in value else ","))
    elif key in ("notetype", "deck"):
        setattr(header, key, value.strip())
    elif key.endswith(" column") and value.strip().isdigit():
        header.columns[key[: -len(" column")]] = int(value.strip())


def _guess_separator(body: str, suffix: str) -> str:
    first = next((line for line in body.splitlines() if line.strip()), "")
    for separator in ("\t", ";", ","):
        if separator in first:
            return separator
    return "\t" if suffix in (".tsv", ".txt") else ","


def _note(row: list[str], number: int, header: _Header, is_html: bool, default_deck: str) -> ForeignNote | Skip:
    def column(name: str) -> str | None:
        index = header.columns.get(name)
        return row[index - 1].strip() if index and index <= len(row) else None

    meta = {index - 1 for index in header.columns.values()}
    labels = {label.strip().lower(): position for position, label in enumerate(header.labels)}
    special = {labels[name] for name in ("source", "lab") if name in labels}
    fields = [value for position, value in enumerate(row) if position not in meta | special]
    notetype = column("notetype") or header.notetype or ""
    deck = column("deck") or header.deck or default_deck
    tags = tuple((column("tags") or "").split()) + header.tags
    lab = row[labels["lab"]].strip() if "lab" in labels and labels["lab"] < len(row) else ""
    ref = f"line {number}"
    if not fields or not fields[0].strip():
        return Skip(ref, "its first field is empty", 1)
    note = ForeignNote(ref=ref, deck=deck, tags=tuple(dict.fromkeys(tags)), is_html=is_html,
                       lab=lab if LAB_LINK.fullmatch(lab) else None, guid=column("guid") or None)
    if "cloze" in notetype.lower() or (not notetype and _CLOZE.search(fields[0])):
        note.cloze = fields[0]
        note.cloze_ords = tuple(sorted({int(n) - 1 for n in re.findall(r"\{\{c(\d+)::", fields[0]) if int(n) > 0}))
        note.extra = fields[1] if len(fields) > 1 else ""
        return note
    note.faces = [Face(0, fields[0], fields[1] if len(fields) > 1 else "")]
    return note
