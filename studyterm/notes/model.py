"""Records the note parser produces: what a Markdown file says, before the store sees it."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import NamedTuple


class CardKind:
    """Card kinds are plain strings: they are compared and stored 100,000 times per sync, and
    enum attribute access is slow."""

    BASIC = "basic"
    CLOZE = "cloze"


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Problem:
    """Something wrong in a note, pointing at a 1-based line."""

    line: int
    message: str
    severity: Severity = Severity.ERROR

    def format(self, path: str) -> str:
        prefix = "" if self.severity is Severity.ERROR else "warning: "
        return f"{path}:{self.line}: {prefix}{self.message}"


class ParsedCard(NamedTuple):
    """One card as written in a note (a NamedTuple: a sync makes 100,000 of them).

    For a basic card `question`/`answer` are Markdown. For a cloze card `question` holds the whole
    paragraph or list item with every `{{cN::...}}` still in it, `answer` is empty and
    `cloze_group` says which N this card asks for.
    """

    kind: CardKind
    question: str
    answer: str
    line: int
    lab: str | None = None
    cloze_group: int | None = None
    deck: str | None = None
    """The card's own deck, where its format gives one (an Obsidian tag above it); else the note's."""


@dataclass(frozen=True)
class FrontMatter:
    title: str | None = None
    deck: str | None = None
    tags: tuple[str, ...] = ()
    lab: str | None = None


@dataclass
class ParsedNote:
    """A parsed note. `readable` is False when the file could not be parsed at all
    (binary, not UTF-8, empty, broken front matter): its existing cards must be left alone."""

    front: FrontMatter = field(default_factory=FrontMatter)
    cards: list[ParsedCard] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    readable: bool = True
    keyed: tuple[tuple[ParsedCard, ...], tuple[str, ...]] | None = field(default=None, compare=False, repr=False)
    """(cards, their content keys) as the parser computed them while looking for duplicates;
    identity.card_keys reuses the keys while `cards` is still exactly those cards."""

    @property
    def has_errors(self) -> bool:
        return any(p.severity is Severity.ERROR for p in self.problems)
