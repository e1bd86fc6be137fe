"""Live preview: a note's text -> the cards it will make, as the learner will see them, and every
problem with its line. Pure and fast (one parse, ~1 ms a note), so an editor can call it on each
pause in typing.

Given the cards the store has for the note, it also tells which cards are new, which are the same
and which are edits that keep their schedule (the identity rules of docs/notes.md, as far as one
note can tell: moves between notes and revived cards show up only at sync).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from pathlib import Path

from studyterm.notes.frontmatter import LAB_ID, split_lab_link
from studyterm.notes.identity import Candidate, KnownCard, match_cards
from studyterm.notes.model import CardKind, ParsedNote, Problem, Severity
from studyterm.notes.parser import parse_note
from studyterm.render.card import answer_markdown, question_markdown
from studyterm.render.pictures import picture_links
from studyterm.sync import default_deck


class Status:
    NEW = "new"
    SAME = "same"
    EDITED = "edited"


@dataclass(frozen=True)
class CardPreview:
    number: int  # 1-based, in note order
    line: int
    kind: str
    cloze_group: int | None
    front: str  # terminal Markdown, as the review shows the question
    back: str  # terminal Markdown of the answer (a cloze: the text with the hole filled)
    lab: str | None  # the card's own lab, else the note's
    status: str
    card_id: str | None  # the stored card it continues (same or edited)
    pictures: tuple[tuple[str, str], ...] = ()
    """(alt, source) of each picture the card links, question first."""


@dataclass(frozen=True)
class NotePreview:
    path: str
    deck: str
    title: str | None
    tags: tuple[str, ...]
    lab: str | None
    readable: bool
    cards: tuple[CardPreview, ...]
    problems: tuple[Problem, ...]
    vanished: int
    """Stored cards whose text is gone: retired at save, or kept while the note has errors."""

    @property
    def errors(self) -> int:
        return sum(1 for p in self.problems if p.severity is Severity.ERROR)

    @property
    def warnings(self) -> int:
        return len(self.problems) - self.errors

    def count(self, status: str) -> int:
        return sum(1 for card in self.cards if card.status == status)


def preview_note(
    text: str,
    note_path: str,
    known: Iterable[KnownCard] = (),
    labs: Collection[str] | None = None,
) -> NotePreview:
    """Preview `text` saved at `note_path` (relative to the collection root). `known`: the
    store's active cards of that note; `labs`: the lab ids that exist (None: do not check)."""
    parsed = parse_note(text)
    known = list(known)
    problems = list(parsed.problems)
    if labs is not None and parsed.readable:
        problems += lab_problems(parsed, labs, text)
        problems.sort(key=lambda problem: problem.line)
    statuses, vanished = _statuses(parsed, note_path, known)
    front = parsed.front
    cards = tuple(
        CardPreview(
            number=index + 1,
            line=card.line,
            kind=card.kind,
            cloze_group=card.cloze_group,
            front=question_markdown(card),
            back=answer_markdown(card),
            lab=card.lab or front.lab,
            status=statuses[index][0],
            card_id=statuses[index][1],
            pictures=tuple(picture_links(card.question) + picture_links(card.answer)),
        )
        for index, card in enumerate(parsed.cards)
    )
    return NotePreview(
        path=note_path,
        deck=front.deck or default_deck(note_path),
        title=front.title,
        tags=front.tags,
        lab=front.lab,
        readable=parsed.readable,
        cards=cards,
        problems=tuple(problems),
        vanished=vanished if parsed.readable else 0,
    )


def _statuses(
    parsed: ParsedNote, note_path: str, known: list[KnownCard]
) -> tuple[list[tuple[str, str | None]], int]:
    candidates = [Candidate.of(note_path, index, card) for index, card in enumerate(parsed.cards)]
    if not known:
        return [(Status.NEW, None)] * len(candidates), 0
    matching = match_cards({note_path: candidates}, {note_path: known}, {})
    keys = {card.id: card.key for card in known}
    statuses: list[tuple[str, str | None]] = []
    for candidate in candidates:
        card_id = matching.matched.get((note_path, candidate.index))
        if card_id is None:
            statuses.append((Status.NEW, None))
        else:
            same = keys.get(card_id) == candidate.key
            statuses.append((Status.SAME if same else Status.EDITED, card_id))
    return statuses, len(matching.vanished)


def lab_problems(parsed: ParsedNote, labs: Collection[str], text: str) -> list[Problem]:
    """Warnings for `lab:` links to labs that do not exist under labs/ (a `LAB#HOLE` link is
    checked for its lab; `studyterm lab list` checks the hole)."""
    problems = []
    front_lab = parsed.front.lab
    if front_lab and split_lab_link(front_lab)[0] not in labs:
        problems.append(Problem(_front_matter_line(text, "lab"), _missing_lab(front_lab), Severity.WARNING))
    for card in parsed.cards:
        if card.lab and split_lab_link(card.lab)[0] not in labs:
            what = "cloze" if card.kind == CardKind.CLOZE else "card"
            problems.append(Problem(card.line, f"this {what} links {_missing_lab(card.lab)}", Severity.WARNING))
    return problems


def _missing_lab(lab: str) -> str:
    return f"lab {lab!r}, which is not a folder with a lab.toml under labs/"


def _front_matter_line(text: str, key: str) -> int:
    for number, line in enumerate(text.splitlines()[1:], start=2):
        if line.startswith(f"{key}:"):
            return number
        if line.rstrip() in ("---", "..."):
            break
    return 1


def lab_ids(labs_folder: Path) -> frozenset[str]:
    """The lab ids under a collection's labs/ folder (folders holding a lab.toml)."""
    try:
        entries = list(labs_folder.iterdir())
    except OSError:
        return frozenset()
    return frozenset(
        entry.name
        for entry in entries
        if LAB_ID.fullmatch(entry.name)
        and not entry.name.startswith((".", "_"))
        and (entry / "lab.toml").is_file()
    )
