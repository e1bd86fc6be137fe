"""Importing a deck again: the note files an earlier import wrote are updated in place.

Every import records, for each file it writes, each note's GUID and the Markdown written for it
(`.studyterm/imports.json`). A later import of the same deck (the same package, or a newer
export of it) finds the file again and goes note by note:

- a note whose Markdown is the same stays as it is;
- a note the package changed is rewritten, unless you edited its text here since: then your
  text stays and the report says so;
- a note new in the package is added at the end of the file;
- nothing is removed: a note missing from the package stays (Anki's own import never deletes).

A file with no record (yours, or written before imports were recorded) is never touched.
Notes without a GUID (a text file without a GUID column) are known by their Markdown: the same
text is found again, a changed one is added as a new note.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from studyterm.interop.concepts_out import PlannedBlock, PlannedCard, PlannedFile
from studyterm.interop.model import Skip
from studyterm.notes.identity import card_key
from studyterm.notes.model import Severity
from studyterm.notes.parser import parse_note

RECORD_FILE = "imports.json"
_VERSION = 1


def block_id(block: PlannedBlock) -> str:
    """How a record knows a note: its GUID, or for a note without one, its Markdown."""
    if block.guid:
        return f"guid:{block.guid}"
    return "text:" + hashlib.blake2b(block.text.encode(), digest_size=12).hexdigest()


@dataclass
class ImportRecord:
    """What each import wrote: file path -> note id -> the Markdown written for that note."""

    files: dict[str, dict[str, str]] = field(default_factory=dict)

    @classmethod
    def load(cls, state_dir: Path) -> ImportRecord:
        """An unreadable or foreign record counts as none: files are then left alone, never lost."""
        try:
            data = json.loads((state_dir / RECORD_FILE).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return cls()
        if not isinstance(data, dict) or data.get("version") != _VERSION or not isinstance(data.get("files"), dict):
            return cls()
        files = {
            path: {key: text for key, text in notes.items() if isinstance(text, str)}
            for path, notes in data["files"].items()
            if isinstance(path, str) and isinstance(notes, dict)
        }
        return cls(files)

    def remember(self, planned: PlannedFile) -> None:
        self.files[planned.path] = {block_id(block): block.text for block in planned.blocks}

    def save(self, state_dir: Path) -> None:
        """Written whole to a temporary file, then renamed: a crash leaves the old record."""
        state_dir.mkdir(parents=True, exist_ok=True)
        target = state_dir / RECORD_FILE
        temporary = target.with_name(f".{RECORD_FILE}.tmp")
        temporary.write_text(json.dumps({"version": _VERSION, "files": self.files}, ensure_ascii=False),
                             encoding="utf-8")
        os.replace(temporary, target)


@dataclass
class MergedFile:
    """An existing note file with a package's notes merged in."""

    path: str
    old_text: str
    text: str
    cards: list[PlannedCard]
    """Cards to bring progress to: the package's notes that are in the file as the package has them."""
    record: dict[str, str]
    added: int = 0
    updated: int = 0

    @property
    def changed(self) -> bool:
        return self.text != self.old_text


def merge(planned: PlannedFile, current: str, written: dict[str, str], skipped: list[Skip]) -> MergedFile | None:
    """Merge the planned notes into `current`, the file as it is now; None (with a Skip) when
    the result would not read back as the package's cards."""
    merged = MergedFile(planned.path, current, current, [], dict(written))
    for block in planned.blocks:
        key = block_id(block)
        before = written.get(key)
        if before is None or not _has_block(merged.text, before):
            if before is not None:
                if before != block.text:
                    skipped.append(Skip(_name(block, planned), "the package changed it, but you edited it here since "
                                        "it was imported: your text stays", len(block.cards)))
                else:
                    skipped.append(Skip(_name(block, planned), "you edited it here since it was imported: your text "
                                        "and its progress stay yours", len(block.cards)))
                continue
            if not _has_block(merged.text, block.text):
                merged.text = _append(merged.text, block.text)
                merged.added += 1
        elif before != block.text:
            merged.text = _replace(merged.text, before, block.text)
            merged.updated += 1
        merged.record[key] = block.text
        merged.cards.extend(block.cards)
    if not _reads_back(merged):
        skipped.append(Skip(planned.path, "merging the package's notes into it would not read back as their cards; "
                            "the file was left as it is", sum(len(block.cards) for block in planned.blocks)))
        return None
    return merged


def _name(block: PlannedBlock, planned: PlannedFile) -> str:
    return f"{block.cards[0].note.ref} in {planned.path}" if block.cards else planned.path


def _has_block(text: str, block: str) -> bool:
    return _find_block(text, block) >= 0


def _find_block(text: str, block: str) -> int:
    """Where `block` stands in `text` as whole lines, or -1."""
    start = text.find(block)
    while start >= 0:
        end = start + len(block)
        if (start == 0 or text[start - 1] == "\n") and (end == len(text) or text[end] == "\n"):
            return start
        start = text.find(block, start + 1)
    return -1


def _replace(text: str, old: str, new: str) -> str:
    start = _find_block(text, old)
    return text[:start] + new + text[start + len(old):]


def _append(text: str, block: str) -> str:
    return text.rstrip("\n") + "\n\n" + block + "\n"


def _reads_back(merged: MergedFile) -> bool:
    note = parse_note(merged.text)
    if any(problem.severity is Severity.ERROR for problem in note.problems):
        return False
    present = {card_key(card) for card in note.cards}
    return all(card.key in present for card in merged.cards)
