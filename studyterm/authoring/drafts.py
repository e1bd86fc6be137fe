"""Drafts: what the in-app editor had typed but not saved, kept under .studyterm/drafts/ so a
closed or crashed app never loses it. A draft remembers the digest of the file it was typed
over, so recovering it and saving over a file that changed since still asks first."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from studyterm.authoring.files import OpenNote, atomic_write
from studyterm.layout import Layout

DRAFTS = "drafts"


@dataclass(frozen=True)
class Draft:
    note: str  # the note's path relative to the collection root
    text: str
    base_digest: str | None
    """The digest of the note file when the typing started (None: there was no file)."""
    saved_at: datetime

    def differs_from(self, opened: OpenNote) -> bool:
        return self.text != opened.text

    def file_changed_since(self, opened: OpenNote) -> bool:
        """The file on disk is not the one the draft was typed over."""
        return self.base_digest != opened.digest


class Drafts:
    def __init__(self, layout: Layout) -> None:
        self.folder = layout.state_dir / DRAFTS

    def path_of(self, note: str) -> Path:
        return self.folder / f"{note}.json"

    def save(self, note: str, text: str, base_digest: str | None, now: datetime) -> None:
        record = {
            "note": note,
            "base_digest": base_digest,
            "saved_at": now.isoformat(timespec="seconds"),
            "text": text,
        }
        path = self.path_of(note)
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(path, json.dumps(record, ensure_ascii=False, indent=1) + "\n")

    def load(self, note: str) -> Draft | None:
        """The note's draft; None when there is none or it cannot be read (a broken draft is
        left where it is, for the learner to look at, rather than deleted)."""
        try:
            record = json.loads(self.path_of(note).read_text(encoding="utf-8"))
            return Draft(
                note=record["note"],
                text=record["text"],
                base_digest=record.get("base_digest"),
                saved_at=datetime.fromisoformat(record["saved_at"]),
            )
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def recoverable(self, opened: OpenNote) -> Draft | None:
        """A draft worth offering back when `opened` is opened: one whose text is not the file's."""
        draft = self.load(opened.relative)
        return draft if draft is not None and draft.differs_from(opened) else None

    def discard(self, note: str) -> None:
        path = self.path_of(note)
        try:
            path.unlink()
        except FileNotFoundError:
            return
        for folder in path.parents:
            if folder == self.folder or not folder.is_relative_to(self.folder):
                break
            try:
                folder.rmdir()
            except OSError:
                break

    def notes(self) -> list[str]:
        """Notes that have a draft, for listing them."""
        if not self.folder.is_dir():
            return []
        return sorted(
            path.relative_to(self.folder).as_posix().removesuffix(".json")
            for path in self.folder.rglob("*.json")
        )
