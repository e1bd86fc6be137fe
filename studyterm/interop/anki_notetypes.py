"""Anki note types -> what a studyterm card can hold.

A standard note type makes one question/answer card per template: the question is the fields
its front template shows, the answer the fields only its back template adds (so "Basic (and
reversed card)" gives two cards). A cloze note type gives one cloze paragraph from the field
its `{{cloze:...}}` names. studyterm's own note types keep Source and Lab out of the text and
Lab as the card's lab link. Anything else (image occlusion, a note type the package lacks, a
template showing no field) is skipped with its reason.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from studyterm.interop.anki_schema import BASIC_MODEL_ID, CLOZE_MODEL_ID
from studyterm.interop.model import AnkiCard, Face, ForeignNote, Skip
from studyterm.notes.frontmatter import LAB_LINK

_REFERENCE = re.compile(r"\{\{([^{}]+)\}\}")
_SPECIAL = {"FrontSide", "Tags", "Deck", "Subdeck", "Card", "CardFlag", "Type", "CardID"}
_META_FIELDS = ("Source", "Lab")


@dataclass(frozen=True)
class NoteType:
    id: int
    name: str
    cloze: bool
    fields: tuple[str, ...]
    templates: tuple[tuple[str, str], ...]
    """(front, back) template of each card ordinal."""

    @classmethod
    def from_json(cls, model: dict) -> NoteType:
        fields = tuple(str(f.get("name", "")) for f in model.get("flds", []))
        templates = tuple((str(t.get("qfmt", "")), str(t.get("afmt", ""))) for t in model.get("tmpls", []))
        return cls(int(model.get("id", 0)), str(model.get("name", "?")), model.get("type") == 1, fields, templates)

    @property
    def is_studyterm(self) -> bool:
        return self.id in (BASIC_MODEL_ID, CLOZE_MODEL_ID)

    def shown_fields(self, template: str, *, typed: bool = True) -> list[str]:
        """Fields a template shows, in order; `typed=False` leaves out `{{type:...}}` boxes."""
        shown: list[str] = []
        for reference in _REFERENCE.findall(template):
            reference = reference.strip()
            if reference[:1] in "#/^!":
                continue
            filters, _, name = reference.rpartition(":")
            if not typed and "type" in filters.split(":"):
                continue
            if name in self.fields and name not in _SPECIAL and name not in shown:
                shown.append(name)
        return shown

    def cloze_field(self) -> str | None:
        for front, _ in self.templates:
            found = re.search(r"\{\{[^{}]*cloze:([^{}]+)\}\}", front)
            if found and found.group(1).strip() in self.fields:
                return found.group(1).strip()
        return None


def foreign_note(row: tuple, note_type: NoteType | None, cards: list[AnkiCard]) -> ForeignNote | Skip:
    note_id, _guid, model_id, tags, joined = row
    if note_type is None:
        return Skip(f"note {note_id}", f"unknown note type {model_id}: the package does not define it")
    ref = f"note {note_id} ({note_type.name})"
    values = joined.split("\x1f")
    if len(values) != len(note_type.fields):
        return Skip(ref, f"has {len(values)} fields but its note type has {len(note_type.fields)} (corrupt note)")
    by_name = dict(zip(note_type.fields, values, strict=True))
    lab = by_name.get("Lab", "").strip() if note_type.is_studyterm else ""
    note = ForeignNote(
        ref=ref,
        deck=cards[0].deck if cards else "Default",
        tags=tuple(tags.split()),
        lab=lab if LAB_LINK.fullmatch(lab) else None,
        cards={card.ord: card for card in cards},
    )
    return _cloze(note, note_type, by_name, cards) if note_type.cloze else _standard(note, note_type, by_name, cards)


def _cloze(note: ForeignNote, note_type: NoteType, values: dict[str, str], cards: list[AnkiCard]) -> ForeignNote | Skip:
    field = note_type.cloze_field()
    if field is None:
        return Skip(note.ref, "a cloze note type whose template shows no {{cloze:...}} field")
    text = values[field]
    if "image-occlusion" in text:
        return Skip(note.ref, "image occlusion notes have no text to study in studyterm")
    back = note_type.templates[0][1] if note_type.templates else ""
    extra = [name for name in note_type.shown_fields(back) if name != field]
    if note_type.is_studyterm:
        extra = [name for name in extra if name not in _META_FIELDS]
    note.cloze = text
    note.cloze_ords = tuple(sorted(card.ord for card in cards)) or tuple(
        sorted({int(n) - 1 for n in re.findall(r"\{\{c(\d+)::", text) if int(n) > 0})
    )
    note.extra = "<br>".join(values[name] for name in extra if values[name].strip())
    return note


def _standard(note: ForeignNote, note_type: NoteType, values: dict[str, str], cards: list[AnkiCard]) -> ForeignNote | Skip:
    ordinals = [card.ord for card in cards] or [0]
    for ordinal in ordinals:
        if ordinal >= len(note_type.templates):
            continue
        front, back = note_type.templates[ordinal]
        asked = note_type.shown_fields(front, typed=False)
        told = [name for name in note_type.shown_fields(back) if name not in asked]
        if note_type.is_studyterm:
            told = [name for name in told if name not in _META_FIELDS]
        note.faces.append(Face(ordinal, _join(values, asked), _join(values, told)))
    if not note.faces:
        return Skip(note.ref, "its note type has no template for its cards")
    return note


def _join(values: dict[str, str], names: list[str]) -> str:
    shown = [values[name] for name in names if values[name].strip()]
    if len(shown) == 1:
        return shown[0]
    return "".join(f"<div>{value}</div>" for value in shown)
