"""Quiz modes graded automatically and mapped onto SM-2 grades (documented in docs/review.md).

* typed answer: rapidfuzz similarity of the normalised texts -> a suggested grade;
* cloze typing: the same, hole by hole, for cloze cards;
* multiple choice: the right answer among distractors drawn from the same deck.
"""

from __future__ import annotations

import difflib
import math
import random
import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction

from studyterm.notes import cloze
from studyterm.notes.model import CardKind
from studyterm.notes.typed_answer import shown_answer, split_typed
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
    """The answer's text to show or offer: the answer without its `typed:` line, or each hole
    of a cloze card's group."""
    if card.kind == CardKind.CLOZE and card.cloze_group is not None:
        deletions, _ = cloze.find_deletions(card.question)
        return [d.text for d in deletions if d.group == card.cloze_group]
    return [shown_answer(card.answer)]


def typeable_answers(card: CardRecord) -> list[list[str]] | None:
    """What a learner can be expected to type, hole by hole, each with its alternatives: the
    `typed:` line, else a one-line answer, a code span or formula that is the whole first line,
    or the text of each cloze hole. None: the answer is too long to grade automatically."""
    if card.kind == CardKind.CLOZE and card.cloze_group is not None:
        return [[hole] for hole in expected_answers(card)]
    shown, listed = split_typed(card.answer)
    if listed:
        return [listed]
    lines = [line for line in shown.strip().splitlines() if line.strip()]
    if len(lines) == 1 and len(plain_text(lines[0])) <= _ONE_LINE_MAX:
        bare = _ASIDE.sub("", lines[0]).strip()  # "(for a fixed data set)" is an aside
        return [[lines[0], bare] if bare and bare != lines[0] else [lines[0]]]
    if lines and (match := _WHOLE_LINE_SPAN.match(lines[0])):
        return [[match.group(1)]]
    return None


_ASIDE = re.compile(r"\s*\([^()]*\)(?=\s*[.,;:]?\s*$)")
_ONE_LINE_MAX = 80
"""A one-line answer longer than this is a sentence to recall, not a phrase to type."""
_WHOLE_LINE_SPAN = re.compile(r"^\s*(`[^`]+`|\$\$.+\$\$|\$[^$]+\$)\s*[.,;:]?\s*$")


@dataclass(frozen=True)
class DiffPiece:
    kind: str  # "same", "missing" (expected, not typed) or "extra" (typed, not expected)
    text: str


@dataclass(frozen=True)
class TypedVerdict:
    expected: str
    """What was compared (the closest alternative, holes joined by "; "), or the whole answer
    when it is not graded automatically."""
    given: str
    similarity: float | None  # 0-100; None: not graded automatically
    grade: int | None  # the suggested grade; None: the learner grades
    diff: list[DiffPiece]

    @property
    def exact(self) -> bool:
        return self.similarity is not None and self.similarity >= 100

    @property
    def graded(self) -> bool:
        return self.grade is not None

    @property
    def failing(self) -> bool:
        """A suggested lapse: Enter alone never records it (docs/review.md)."""
        return self.grade is not None and self.grade < PASSING_GRADE


PASSING_GRADE = 3


def grade_typed(card: CardRecord, given: str) -> TypedVerdict:
    """Compare a typed answer with what the card expects; holes of a cloze are separated by ';'.
    A card with nothing short to type gets no suggestion: the learner compares and grades."""
    holes = typeable_answers(card)
    if holes is None:
        whole = plain_text("\n".join(expected_answers(card)))
        return TypedVerdict(whole, given, None, None, word_diff(whole, given))
    typed = given.split(";") if len(holes) > 1 else [given]
    typed += [""] * (len(holes) - len(typed))
    best = [_closest(alternatives, got) for alternatives, got in zip(holes, typed, strict=False)]
    score = sum(s for s, _ in best) / len(best) if best else 0.0
    expected_text = "; ".join(plain_text(text) for _, text in best)
    return TypedVerdict(expected_text, given, score, typed_grade(score), word_diff(expected_text, given))


def _closest(alternatives: list[str], given: str) -> tuple[float, str]:
    return max(((similarity(want, given), want) for want in alternatives), key=lambda pair: pair[0])


def similarity(expected: str, given: str) -> float:
    """0-100 on what is meaningful: the same tokens after canonicalising (case, spacing,
    punctuation, LaTeX or Unicode or words for math, numbers by value) is 100; the same words in
    another order too; otherwise rapidfuzz's edit-distance ratio."""
    from rapidfuzz import fuzz

    want, got = answer_tokens(expected), answer_tokens(given)
    if "".join(want) == "".join(got):  # spacing does not count: `Wᵀ` is `W^T`
        return 100.0
    if _all_words(want) and sorted(want) == sorted(got):
        return 100.0
    score = fuzz.ratio(" ".join(want), " ".join(got))
    if _all_words(want) and _all_words(got):
        score = max(score, fuzz.token_sort_ratio(" ".join(want), " ".join(got)))
    return score


def answer_tokens(text: str) -> list[str]:
    """Words, numbers and math symbols of an answer in a canonical spelling: `\\lceil N/B
    \\rceil`, `⌈N/B⌉` and `ceil(N/B)` give the same tokens, and so do `0.5`, `.5` and `1/2`."""
    if _LATEX_COMMAND.search(text) and "$" not in text:
        text = f"${text}$"  # LaTeX typed without dollars
    text = unicodedata.normalize("NFKC", plain_text(text))
    text = "".join(_SYMBOL_WORDS.get(char) or _greek_name(char) or char for char in text)
    text = _NUMBER.sub(lambda match: _canonical_number(match.group()), text.casefold())
    return [token for token in _TOKEN.findall(text) if token not in _IGNORED_TOKENS]


_LATEX_COMMAND = re.compile(r"\\[A-Za-z]+")
_SYMBOL_WORDS = {
    "⌈": " ceil( ", "⌉": " ) ", "⌊": " floor( ", "⌋": " ) ", "−": "-", "×": "*", "·": "*",
    "⋅": "*", "⊤": "T", "≤": "<=", "≥": ">=", "≠": "!=", "→": "->", "←": "<-", "√": " sqrt ",
    "∑": " sum ", "∏": " prod ", "∞": " inf ", "∂": " d ", "∇": " grad ",
}
_NUMBER = re.compile(r"(?<![\w.])(?:\d+(?:,\d{3})*(?:\.\d+)?|\.\d+)(?:/\d+)?(?![\w])")
_TOKEN = re.compile(r"\d+(?:[./]\d+)?|[^\W_]+|[^\w\s]")
_IGNORED_TOKENS = set(".,;:!?\"'`^_{}\\*") | {"“", "”", "‘", "’"}
"""Punctuation, and the marks that only spell math (superscript, subscript, grouping, an
explicit product): `W^T` = `Wᵀ` = `W^{T}`, `x*W` = `xW`."""


def _greek_name(char: str) -> str | None:
    if not "\u0370" <= char <= "\u03ff":
        return None
    name = unicodedata.name(char, "")
    return f" {name.rsplit(' ', 1)[-1].lower()} " if "GREEK" in name else None


def _canonical_number(text: str) -> str:
    try:
        value = Fraction(text.replace(",", ""))
    except (ValueError, ZeroDivisionError):
        return text
    if value.denominator == 1:
        return f" {value.numerator} "
    decimal = value.numerator / value.denominator
    return f" {decimal:g} " if Fraction(repr(decimal)) == value else f" {value.numerator}/{value.denominator} "


def _all_words(tokens: list[str]) -> bool:
    return all(token.isalnum() for token in tokens)


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
    return " ".join(answer_tokens(word)) or word.casefold()


@dataclass(frozen=True)
class ChoiceQuestion:
    options: list[str]  # Markdown, as the cards hold them
    correct: int  # index into options

    def grade(self, picked: int) -> int:
        return CHOICE_RIGHT_GRADE if picked == self.correct else CHOICE_WRONG_GRADE


def choice_question(card: CardRecord, others: list[CardRecord], seed: str) -> ChoiceQuestion:
    """The right answer and up to three distractors from `others`, never one equal to it, each
    of the same kind (a formula for a formula, a number for a number, code for code) and about
    as long as it, so that the odd one out does not give the answer away."""
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
    rng.shuffle(candidates)  # ties in likeness are broken by the seed, not by note order
    candidates.sort(key=lambda text: _unlikeness(right, text))
    wanted = CHOICES - 1
    shape = answer_shape(right)
    alike = [text for text in candidates if answer_shape(text) == shape]
    # Some variety among the most alike (twice what is needed), else simply the closest.
    closest = alike[: 2 * wanted] if len(alike) >= wanted else candidates[:wanted]
    options = rng.sample(closest, min(wanted, len(closest))) + [right]
    rng.shuffle(options)
    return ChoiceQuestion(options, options.index(right))


def answer_shape(text: str) -> str:
    """What kind of answer a text is: "number", "formula", "code" or "words"."""
    stripped = text.strip()
    tokens = answer_tokens(stripped)
    if tokens and all(_NUMBER_TOKEN.fullmatch(token) for token in tokens):
        return "number"
    if stripped.startswith("$"):
        return "formula"
    if stripped.startswith("`"):
        return "code"
    return "words"


_NUMBER_TOKEN = re.compile(r"\d+(?:[./]\d+)?|-")


def _unlikeness(right: str, other: str) -> float:
    """0 for an answer of the same shape and length; more the further it is from both."""
    shape = 0.0 if answer_shape(right) == answer_shape(other) else 2.0
    lengths = max(len(plain_text(right)), 1), max(len(plain_text(other)), 1)
    return shape + abs(math.log(lengths[0] / lengths[1]))


def _choice_text(card: CardRecord) -> str:
    return "; ".join(expected_answers(card))
