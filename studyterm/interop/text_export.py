"""Plain exports: CSV/TSV for Anki's text importer, JSON with the full state, Markdown notes."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from studyterm.interop.apkg_write import anki_deck_name, anki_tags, note_fields
from studyterm.interop.deckdata import DeckData
from studyterm.interop.html import MediaIndex
from studyterm.interop.markdown import starts_with_block
from studyterm.interop.model import Progress, Ticker
from studyterm.notes.model import CardKind
from studyterm.shapes import SHAPE_VERSION, card_dict
from studyterm.store.records import CardRecord

CSV_COLUMNS = ("guid", "notetype", "deck", "Front", "Back", "tags", "Source", "Lab")
"""Columns 4 and 5 fill Anki's stock Basic (Front, Back) or Cloze (Text, Back Extra) note type;
Anki ignores Source and Lab, studyterm's importer reads them back."""


def write_csv(data: DeckData, target: Path, delimiter: str, progress: Progress | None = None) -> MediaIndex:
    media = MediaIndex(data.layout.root)
    name = "Tab" if delimiter == "\t" else "Comma"
    with target.open("w", encoding="utf-8", newline="") as file:
        file.write(
            f"#separator:{name}\n#html:true\n#guid column:1\n#notetype column:2\n#deck column:3\n"
            f"#tags column:6\n#columns:{delimiter.join(CSV_COLUMNS)}\n"
        )
        writer = csv.writer(file, delimiter=delimiter, lineterminator="\n")
        ticker = Ticker(len(data.cards), progress)
        for note in data.notes:
            first, second, source, lab = note_fields(note, media)
            notetype = "Cloze" if note.kind == CardKind.CLOZE else "Basic"
            writer.writerow([
                note.guid, notetype, anki_deck_name(note.first.deck), first, second,
                anki_tags(note.first.tags).strip(), source, lab,
            ])
            ticker.advance(len(note.cards))
    return media


def write_json(data: DeckData, target: Path, progress: Progress | None = None) -> None:
    """Every card with its whole state and review log, in `studyterm card --json`'s shape."""
    ticker = Ticker(len(data.cards), progress)
    cards = []
    for card in data.cards:
        cards.append(card_dict(card, data.today, data.history.get(card.id, [])))
        ticker.advance(1)
    document = {
        "format": "studyterm-deck",
        "version": SHAPE_VERSION,
        "exported_at": data.now.isoformat(timespec="seconds"),
        "day": data.today.isoformat(),
        "deck": data.deck,
        "cards": cards,
    }
    target.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def write_markdown(data: DeckData, target: Path, progress: Progress | None = None) -> None:
    """One concept note that studyterm reads back as the same cards.

    A note's front matter holds one deck and one tag list, so the file names the deck its cards
    share (or the exported deck) and the tags all of them have; every card keeps its own text,
    cloze groups and lab link. Each source note becomes a section."""
    ticker = Ticker(len(data.cards), progress)
    cards = sorted(data.cards, key=lambda c: (c.deck, c.note_path, c.line, c.cloze_group or 0))
    decks = sorted({card.deck for card in cards})
    deck = decks[0] if len(decks) == 1 else data.deck
    shared = set.intersection(*(set(card.tags) for card in cards)) if cards else set()
    tags = [tag for tag in (cards[0].tags if cards else ()) if tag in shared]
    lines = ["---", f"title: {json.dumps(_title(data))}"]
    if deck:
        lines.append(f"deck: {json.dumps(deck)}")
    if tags:
        lines.append(f"tags: {json.dumps(tags, ensure_ascii=False)}")
    lines += ["---", ""]
    section = None
    written_clozes: set[tuple[str, str]] = set()
    for card in cards:
        if (card.deck, card.note_path) != section:
            section = (card.deck, card.note_path)
            title = data.titles.get(card.note_path) or Path(card.note_path).stem
            lines += [f"## {title}", "", f"Source: `{card.note_path}`, deck `{card.deck}`.", ""]
        ticker.advance(1)
        if card.kind == CardKind.CLOZE:
            if (card.note_path, card.question) in written_clozes:
                continue
            written_clozes.add((card.note_path, card.question))
        lines += [_card_markdown(card), ""]
    target.write_text("\n".join(lines), encoding="utf-8")


def _title(data: DeckData) -> str:
    return f"{data.deck or 'All decks'} (exported from studyterm on {data.today.isoformat()})"


def _card_markdown(card: CardRecord) -> str:
    lab = f"\nlab: {card.lab}" if card.lab else ""
    if card.kind == CardKind.CLOZE:
        return card.question + lab
    return qa_markdown(card.question, card.answer) + lab


def qa_markdown(question: str, answer: str) -> str:
    """A Q/A card as the parser reads it: text that opens a block goes under its label."""
    q_part = f"Q:\n\n{question}" if starts_with_block(question) else f"Q: {question}"
    a_part = f"A:\n\n{answer}" if starts_with_block(answer) else f"A: {answer}"
    gap = "\n\n" if "\n" in question or q_part.startswith("Q:\n") else "\n"
    return q_part + gap + a_part
