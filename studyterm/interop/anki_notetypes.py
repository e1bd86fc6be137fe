"""Anki note types -> what a studyterm card can hold.

A standard note type makes one question/answer card per template: the question is the fields
its front template shows, the answer the fields only its back template adds (so "Basic (and
reversed card)" gives two cards). A cloze note type gives one cloze paragraph from the field
its `{{cloze:...}}` names. studyterm's own note types keep Source and Lab out of the text and
Lab as the card's lab link. Anything else (image occlusion, a note type the package lacks, a
template showing no field) is skipped with its reason.

Templates are read as Anki renders them: `{{#Field}}...{{/Field}}` shows its inside only when
the field is not empty, `{{^Field}}...{{/Field}}` only when it is, and `<!-- ... -->` shows
nothing. Each card keeps its own deck: the cards of one note in two decks become notes in two
decks (a cloze paragraph cannot be split; it goes to its first card's deck, with a warning).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from studyterm.interop.anki_schema import BASIC_MODEL_ID, CLOZE_MODEL_ID
from studyterm.interop.model import AnkiCard, Face, ForeignNote, Skip
from studyterm.notes.frontmatter import LAB_LINK

_REFERENCE = re.compile(r"\{\{([^{}]+)\}\}")
_COMMENT = re.compile(r"<!--.*?(?:-->|$)", re.DOTALL)
_SECTION = re.compile(r"\{\{\s*([#^])\s*([^{}]+?)\s*\}\}|\{\{\s*/\s*([^{}]+?)\s*\}\}")
_OCCLUSION_FIELDS = ({"Question Mask", "Answer Mask"}, {"Occlusion", "Image"})
"""Field sets of the Image Occlusion Enhanced add-on's note type and of Anki's built-in one."""
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

    @property
    def is_image_occlusion(self) -> bool:
        fields = set(self.fields)
        return any(needed <= fields for needed in _OCCLUSION_FIELDS) and (
            "occlusion" in self.name.lower() or any("image-occlusion" in front for front, _ in self.templates)
            or "Question Mask" in fields
        )

    def shown_fields(self, template: str, values: dict[str, str] | None = None, *,
                     typed: bool = True) -> list[str]:
        """Fields a template shows for a note with these `values`, in order; `typed=False`
        leaves out `{{type:...}}` boxes."""
        shown: list[str] = []
        for reference in _REFERENCE.findall(visible_template(template, values or {})):
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


def visible_template(template: str, values: dict[str, str]) -> str:
    """The template as Anki renders it for these field values: comments removed, each
    `{{#F}}...{{/F}}` kept when F is not empty, `{{^F}}...{{/F}}` when it is. An unclosed
    section runs to the end, as in Anki."""
    text = _COMMENT.sub("", template)
    out: list[str] = []
    hidden: list[tuple[str, bool]] = []  # open sections: (field, whether its inside is hidden)
    position = 0
    for match in _SECTION.finditer(text):
        if not any(h for _, h in hidden):
            out.append(text[position : match.start()])
        position = match.end()
        if match.group(1):
            filled = bool(_field_text(values.get(match.group(2).rpartition(":")[2], "")))
            hidden.append((match.group(2), filled if match.group(1) == "^" else not filled))
        elif hidden and hidden[-1][0] == match.group(3):
            hidden.pop()
    if not any(h for _, h in hidden):
        out.append(text[position:])
    return "".join(out)


def _field_text(value: str) -> str:
    """What Anki counts as a non-empty field: anything but whitespace, `<br>` and `&nbsp;`."""
    return re.sub(r"<br\s*/?>|<div>\s*</div>|&nbsp;|\s", "", value, flags=re.IGNORECASE)


def foreign_note(row: tuple, note_type: NoteType | None, cards: list[AnkiCard],
                 warnings: list[str] | None = None) -> list[ForeignNote | Skip]:
    """The note as one ForeignNote per deck its cards are in, or a Skip saying why not."""
    note_id, _guid, model_id, tags, joined = row
    count = max(1, len(cards))
    if note_type is None:
        return [Skip(f"note {note_id}", f"unknown note type {model_id}: the package does not define it", count)]
    ref = f"note {note_id} ({note_type.name})"
    if note_type.is_image_occlusion or (note_type.cloze and "image-occlusion" in joined):
        return [Skip(ref, "an image occlusion note: studyterm cannot hide parts of an image, so it has nothing to ask", count)]
    values = joined.split("\x1f")
    if len(values) != len(note_type.fields):
        return [Skip(ref, f"has {len(values)} fields but its note type has {len(note_type.fields)} (corrupt note)", count)]
    by_name = dict(zip(note_type.fields, values, strict=True))
    lab = by_name.get("Lab", "").strip() if note_type.is_studyterm else ""
    decks = list(dict.fromkeys(card.deck for card in cards)) or ["Default"]
    if note_type.cloze and len(decks) > 1 and warnings is not None:
        warnings.append(f"{ref}: its cloze cards are in decks {', '.join(decks)}; a cloze paragraph lives in "
                        f"one note file, so all of them go to {decks[0]}")
        decks = decks[:1]
    results: list[ForeignNote | Skip] = []
    for deck in decks:
        mine = cards if note_type.cloze else [card for card in cards if card.deck == deck]
        note = ForeignNote(
            ref=ref,
            deck=deck,
            tags=tuple(tags.split()),
            lab=lab if LAB_LINK.fullmatch(lab) else None,
            cards={card.ord: card for card in mine},
            guid=str(_guid),
        )
        convert = _cloze if note_type.cloze else _standard
        results.append(convert(note, note_type, by_name, mine))
    return results


def _cloze(note: ForeignNote, note_type: NoteType, values: dict[str, str], cards: list[AnkiCard]) -> ForeignNote | Skip:
    field = note_type.cloze_field()
    if field is None:
        return Skip(note.ref, "a cloze note type whose template shows no {{cloze:...}} field", max(1, len(cards)))
    text = values[field]
    back = note_type.templates[0][1] if note_type.templates else ""
    extra = [name for name in note_type.shown_fields(back, values) if name != field]
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
        asked = note_type.shown_fields(front, values, typed=False)
        told = [name for name in note_type.shown_fields(back, values) if name not in asked]
        if note_type.is_studyterm:
            told = [name for name in told if name not in _META_FIELDS]
        note.faces.append(Face(ordinal, _join(values, asked), _join(values, told)))
    if not note.faces:
        return Skip(note.ref, "its note type has no template for its cards", max(1, len(cards)))
    return note


def _join(values: dict[str, str], names: list[str]) -> str:
    shown = [values[name] for name in names if values[name].strip()]
    if len(shown) == 1:
        return shown[0]
    return "".join(f"<div>{value}</div>" for value in shown)
