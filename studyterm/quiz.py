"""Quiz modes graded automatically and mapped onto SM-2 grades (documented in docs/review.md).

* typed answer: rapidfuzz similarity of the normalised texts -> a suggested grade;
* cloze typing: the same, hole by hole, for cloze cards;
* multiple choice: the right answer among distractors drawn from the same deck.
"""

from __future__ import annotations

import difflib
import random
import re
from dataclasses import dataclass
from enum import StrEnum

from studyterm.notes import cloze
from studyterm.notes.model import CardKind
from studyterm.render.inline_html import readable
from studyterm.render.math import render_math
from studyterm.store import CardRecord


class Mode(StrEnum):
    FLASH = "flash"
    TYPED = "typed"
    CHOICE = "choice"


TYPED_GRADES = ((100, 5), (90, 4), (75, 3), (50, 2), (25, 1))
"""(minimum similarity, grade): exact after normalising is 5, a typo 4, close 3, half right 2,
a fragment 1, anything less 0."""
CHOICE_RIGHT_GRADE = 4
"""Recognising the answer among options is easier than recalling it: right is 4, not 5."""
CHOICE_WRONG_GRADE = 1
"""Picking a wrong option is an incorrect response; the right one is then shown (SM-2's 1)."""
CHOICES = 4

_MARKUP = re.compile(r"[*`#|~]+|(?<!\w)_+|_+(?!\w)")
"""Markup to drop; an underscore inside a word (`zero_grad`) is part of it, not emphasis."""
_HTML_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>")
_QUOTE_MARK = re.compile(r"^\s*(?:>\s*)+", re.MULTILINE)
_PUNCTUATION_EDGES = re.compile(r"^[\s.,;:!?\"'()\[\]]+|[\s.,;:!?\"'()\[\]]+$")


def plain_text(markdown: str) -> str:
    """The words of a Markdown answer: math as Unicode, markup, HTML tags, comments and code
    fences dropped, ruby as base(reading); a `>` in the text stays (`a > b`)."""
    text = _QUOTE_MARK.sub("", _HTML_TAG.sub("", readable(render_math(markdown))))
    lines = [line for line in text.splitlines() if not line.strip().startswith("```")]
    text = _MARKUP.sub("", " ".join(lines))
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    return " ".join(text.split())


def normalize(text: str) -> str:
    """Case, spacing, markup and edge punctuation do not count against an answer."""
    return _PUNCTUATION_EDGES.sub("", plain_text(text).casefold())


def expected_answers(card: CardRecord) -> list[str]:
    """What a learner should type: the answer, or each hole of a cloze card's group."""
    if card.kind == CardKind.CLOZE and card.cloze_group is not None:
        deletions, _ = cloze.find_deletions(card.question)
        return [d.text for d in deletions if d.group == card.cloze_group]
    return [card.answer]


@dataclass(frozen=True)
class DiffPiece:
    kind: str  # "same", "missing" (expected, not typed) or "extra" (typed, not expected)
    text: str


@dataclass(frozen=True)
class TypedVerdict:
    expected: str
    given: str
    similarity: float  # 0-100
    grade: int
    diff: list[DiffPiece]

    @property
    def exact(self) -> bool:
        return self.similarity >= 100


def grade_typed(card: CardRecord, given: str) -> TypedVerdict:
    """Compare a typed answer with the expected one; holes of a cloze are separated by ';'."""
    expected = expected_answers(card)
    typed = [part for part in given.split(";")] if len(expected) > 1 else [given]
    typed += [""] * (len(expected) - len(typed))
    scores = [similarity(want, got) for want, got in zip(expected, typed, strict=False)]
    score = sum(scores) / len(scores) if scores else 0.0
    expected_text = "; ".join(plain_text(e) for e in expected)
    return TypedVerdict(expected_text, given, score, typed_grade(score), word_diff(expected_text, given))


def similarity(expected: str, given: str) -> float:
    """0-100: the better of edit-distance similarity and the same with words sorted."""
    from rapidfuzz import fuzz

    want, got = normalize(expected), normalize(given)
    if not want and not got:
        return 100.0
    return max(fuzz.ratio(want, got), fuzz.token_sort_ratio(want, got))


def typed_grade(score: float) -> int:
    for minimum, grade in TYPED_GRADES:
        if score >= minimum:
            return grade
    return 0


def word_diff(expected: str, given: str) -> list[DiffPiece]:
    """Word-level differences between the expected and the typed answer, in reading order."""
    want, got = expected.split(), given.split()
    matcher = difflib.SequenceMatcher(
        None, [_word_key(w) for w in want], [_word_key(w) for w in got], autojunk=False
    )
    pieces: list[DiffPiece] = []
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            pieces.append(DiffPiece("same", " ".join(want[a1:a2])))
            continue
        if a2 > a1:
            pieces.append(DiffPiece("missing", " ".join(want[a1:a2])))
        if b2 > b1:
            pieces.append(DiffPiece("extra", " ".join(got[b1:b2])))
    return pieces


def _word_key(word: str) -> str:
    return _PUNCTUATION_EDGES.sub("", word.casefold())


@dataclass(frozen=True)
class ChoiceQuestion:
    options: list[str]  # Markdown, as the cards hold them
    correct: int  # index into options

    def grade(self, picked: int) -> int:
        return CHOICE_RIGHT_GRADE if picked == self.correct else CHOICE_WRONG_GRADE


def choice_question(card: CardRecord, others: list[CardRecord], seed: str) -> ChoiceQuestion:
    """The right answer and up to three distractors from `others`, never one equal to it."""
    right = _choice_text(card)
    seen = {normalize(right)}
    candidates: list[str] = []
    for other in others:
        text = _choice_text(other)
        key = normalize(text)
        if key and key not in seen:
            seen.add(key)
            candidates.append(text)
    rng = random.Random(seed)
    options = rng.sample(candidates, min(CHOICES - 1, len(candidates))) + [right]
    rng.shuffle(options)
    return ChoiceQuestion(options, options.index(right))


def _choice_text(card: CardRecord) -> str:
    return "; ".join(expected_answers(card))
