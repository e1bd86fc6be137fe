"""Foreign notes -> concept note files that studyterm parses back into exactly the planned cards.

Notes are grouped by deck and tag set (front matter holds one deck and one tag list), one file
per group: Anki deck `Lang::Vocab` becomes `concepts/lang/vocab.md` with `deck: Lang/Vocab`;
a deck whose notes carry different tags gets one file per tag set (`vocab-verbs.md`). Each note
is converted and parsed on its own first, so a note that cannot become a card (an empty
answer, the same card twice in one deck) is skipped with its reason instead of spoiling the
file; the whole file is parsed once more and must give exactly the planned cards. Notes that
share a question but differ in their answer are distinct cards, as in Anki.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from studyterm.interop.markdown import MediaPath, to_markdown
from studyterm.interop.model import ForeignNote, InteropError, Skip
from studyterm.interop.text_export import qa_markdown
from studyterm.layout import CONCEPTS
from studyterm.notes.identity import card_key, normalize
from studyterm.notes.model import CardKind, ParsedCard, Severity
from studyterm.notes.parser import parse_note

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
MediaFor = Callable[[str], "MediaPath | None"]
"""The folder a note file goes in (relative to the collection root) -> its media resolver."""

_FRIENDLY = {
    "'A:' is empty": "its answer is empty (a studyterm card needs one)",
    "'Q:' has no question text": "its question is empty",
}


@dataclass(frozen=True)
class PlannedCard:
    key: str
    """The content key sync will give the card."""
    note: ForeignNote
    ordinal: int
    """The Anki card ordinal it continues (cloze group - 1, or the template's ordinal)."""


@dataclass(frozen=True)
class PlannedBlock:
    """One foreign note's Markdown in a planned file: what a later import of the same note
    (by its GUID) finds and updates."""

    guid: str | None
    text: str
    cards: tuple[PlannedCard, ...]


@dataclass
class PlannedFile:
    path: str
    """Relative to the collection root, with forward slashes."""
    text: str
    cards: list[PlannedCard] = field(default_factory=list)
    notes: int = 0
    blocks: list[PlannedBlock] = field(default_factory=list)
    front: str = ""
    """The front matter, `---` lines included."""


def studyterm_deck(anki_deck: str, target: str | None) -> str:
    """`Lang::Vocab` -> `Lang/Vocab`; with a target deck X the top level is replaced: `X/Vocab`.
    Parts that could not be a deck name (`..`, control characters) are dropped or cleaned."""
    cleaned = (_CONTROL.sub("", part).strip().replace("/", "-") for part in anki_deck.split("::"))
    parts = [part for part in cleaned if part and part not in (".", "..")]
    if target:
        return "/".join([*target.split("/"), *parts[1:]])
    if not parts or parts == ["Default"]:
        return "default"
    return "/".join(parts)


def plan_files(
    notes: list[ForeignNote],
    *,
    target_deck: str | None,
    media_for: MediaFor,
    skipped: list[Skip],
    header: str = "",
) -> list[PlannedFile]:
    """One planned file per deck and tag set; whether its path is free is the importer's call."""
    groups: dict[tuple[str, tuple[str, ...]], list[ForeignNote]] = {}
    for note in notes:
        groups.setdefault((studyterm_deck(note.deck, target_deck), note.tags), []).append(note)
    tag_sets = Counter(deck for deck, _ in groups)
    used: set[str] = set()
    files = []
    for (deck, tags), members in groups.items():
        path = _file_path(deck, tags, tag_sets[deck] > 1, used)
        planned = _plan_file(path, deck, tags, members, media_for(path.rpartition("/")[0]), skipped, header)
        if planned.notes:
            files.append(planned)
    return files


def _plan_file(path: str, deck: str, tags: tuple[str, ...], notes: list[ForeignNote],
               media: MediaPath | None, skipped: list[Skip], header: str) -> PlannedFile:
    front = ["---", f"title: {json.dumps(deck.replace('/', ' / '), ensure_ascii=False)}",
             f"deck: {json.dumps(deck, ensure_ascii=False)}"]
    if tags:
        front.append(f"tags: {json.dumps(list(tags), ensure_ascii=False)}")
    if header:
        front.append(f"# {header}")
    planned = PlannedFile(path, "")
    blocks: list[str] = []
    seen: set[tuple] = set()
    for note in notes:
        result = _note_block(note, media, seen)
        if isinstance(result, list):
            skipped.extend(result)
            continue
        block, cards, lost = result
        skipped.extend(lost)
        blocks.append(block)
        planned.blocks.append(PlannedBlock(note.guid, block, tuple(cards)))
        planned.cards.extend(cards)
        planned.notes += 1
    planned.front = "\n".join([*front, "---"])
    planned.text = file_text(planned.front, blocks)
    verify(planned)
    return planned


def file_text(front: str, blocks: list[str]) -> str:
    return "\n".join([front, "", "\n\n".join(blocks), ""])


def _note_block(note: ForeignNote, media: MediaPath | None, seen: set[tuple]):
    """(markdown, planned cards, skipped cards) for one note, or the Skips of all its cards."""

    def convert(html: str, cloze: bool = False) -> str:
        return to_markdown(html, cloze=cloze, media=media, is_html=note.is_html)

    lab = f"\nlab: {note.lab}" if note.lab else ""
    if note.cloze is not None:
        return _cloze_block(note, convert, lab, seen)
    return _qa_block(note, convert, lab, seen)


def _cloze_block(note: ForeignNote, convert: Callable[..., str], lab: str, seen: set[tuple]):
    block, parsed, problem = _parsed(convert(note.cloze, True) + lab)
    if problem or not parsed or any(card.kind != CardKind.CLOZE for card in parsed):
        return [Skip(note.ref, problem or "its text has no cloze deletion studyterm can read", note.card_count)]
    found = {card.cloze_group for card in parsed}
    lost = [Skip(f"{note.ref} card c{o + 1}", "its cloze deletion did not survive conversion", 1)
            for o in note.cloze_ords if o + 1 not in found]
    if _seen_before(parsed, seen):
        return [Skip(note.ref, "the same cloze text is already in this deck (duplicate note)", note.card_count)]
    if note.extra.strip():
        with_extra = f"{block}\n\n{convert(note.extra)}"
        if [card_key(c) for c in _parsed(with_extra)[1]] == [card_key(c) for c in parsed]:
            block = with_extra  # Back Extra follows as prose, unless it would read as cards
    return block, [PlannedCard(card_key(card), note, card.cloze_group - 1) for card in parsed], lost


def _qa_block(note: ForeignNote, convert: Callable[..., str], lab: str, seen: set[tuple]):
    blocks, cards, lost = [], [], []
    for face in note.faces:
        block, parsed, problem = _parsed(qa_markdown(convert(face.question), convert(face.answer)) + lab)
        what = note.ref if len(note.faces) == 1 else f"{note.ref} card {face.ord + 1}"
        if problem or len(parsed) != 1:
            lost.append(Skip(what, problem or "did not convert to exactly one card", 1))
        elif _seen_before(parsed, seen):
            lost.append(Skip(what, "the same question with the same answer is already in this deck (duplicate note)", 1))
        else:
            blocks.append(block)
            cards.append(PlannedCard(card_key(parsed[0]), note, face.ord))
    if not blocks:
        return lost
    return "\n\n".join(blocks), cards, lost


def _parsed(block: str) -> tuple[str, list[ParsedCard], str | None]:
    note = parse_note(block)
    errors = [p.message for p in note.problems if p.severity is Severity.ERROR]
    return block, note.cards, (_FRIENDLY.get(errors[0], errors[0]) if errors else None)


def _seen_before(cards: list[ParsedCard], seen: set[tuple]) -> bool:
    keys = {(card.kind, normalize(card.question), normalize(card.answer), card.cloze_group) for card in cards}
    if keys & seen:
        return True
    seen.update(keys)
    return False


def verify(planned: PlannedFile) -> None:
    """The file must parse back into exactly its planned cards, or nothing is written."""
    note = parse_note(planned.text)
    errors = [p for p in note.problems if p.severity is Severity.ERROR]
    if errors or Counter(card_key(c) for c in note.cards) != Counter(c.key for c in planned.cards):
        detail = errors[0].format(planned.path) if errors else "the cards differ"
        raise InteropError(
            f"internal error: {planned.path} would not read back as the imported cards ({detail}); "
            "nothing was written, please report this with the file you imported"
        )


def _file_path(deck: str, tags: tuple[str, ...], several_tag_sets: bool, used: set[str]) -> str:
    parts = [slug(part) for part in deck.split("/")]
    stem = parts[-1]
    if several_tag_sets:
        stem += "-" + (slug("-".join(tags))[:40].strip("-") or "untagged")
    folder = "/".join([CONCEPTS, *parts[:-1]])
    path, number = f"{folder}/{stem}.md", 2
    while path in used:
        path, number = f"{folder}/{stem}-{number}.md", number + 1
    used.add(path)
    return path


def slug(text: str) -> str:
    """A file name part: lower case, no spaces, never starting with '.' or '_' (sync skips those)."""
    return re.sub(r"[^\w.+-]+", "-", text.lower()).strip("-._") or "deck"
