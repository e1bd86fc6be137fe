"""Stable card identity without writing ids into notes.

A card is recognised by a content key (a hash of its normalised text). When a sync finds cards
whose text vanished and cards whose text is new, it pairs them in stages, first match wins:

1. same note, same content key (the card did not change; it may have moved within the note);
2. same note, same question (the answer was rewritten);
3. any changed or deleted note, same content key (the card or its whole note moved or was renamed);
4. a retired card with the same content key comes back, with its history;
5. same note (or the deleted note a renamed file took most of its cards from), similar text:
   pairs are scored (`similarity`) and taken best first when the score clears the thresholds
   below. Only cards of one kind (and, for clozes, one group number) are compared. When a note
   has more vanished x new cards than `ALL_PAIRS`, each new card is compared with the vanished
   cards near its own place in the note (`BAND` either side), so identity holds at any note size
   and the cost stays linear in the number of cards.

What is left is created (new text) or retired (vanished text). docs/notes.md explains this to users.
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from functools import lru_cache
from typing import NamedTuple

from studyterm.notes.model import CardKind, ParsedCard, ParsedNote

SIMILAR_ENOUGH = 0.72
"""Combined score (0.6 question + 0.4 answer) that pairs an edited card with its old self."""
SAME_QUESTION = 0.9
"""A question this similar keeps the card even if the answer was rewritten."""
SAME_ANSWER = 0.9
"""An answer this similar keeps the card if the question is at least half the same."""
ALL_PAIRS = 10_000
"""Up to this many vanished x new cards of one kind in a note, every pair is compared."""
BAND = 15
"""Above ALL_PAIRS, a new card is compared with the vanished cards this many places either
side of its own place in the note (cards keep their ids by position, edited or not)."""
ALIKE = 0.9
"""Above ALL_PAIRS, a card this similar to the one at its own place is taken without search."""
SHORT_MIDDLE = 2_000
"""Two texts' differing middles up to this long are aligned with difflib; longer ones are
compared as multisets of 3-character shingles (linear time)."""


_KEY_DIGEST = hashlib.blake2b(digest_size=10)
_ID_DIGEST = hashlib.blake2b(digest_size=6)
"""Empty hashes that keys and ids start from as copies: copying one is cheaper than making one
with its digest size (a cold sync hashes 200,000 times)."""


@lru_cache(maxsize=64)
def normalize(text: str) -> str:
    """Whitespace-insensitive text. Cached: every group of a cloze paragraph shares one text,
    and normalising a 2,000-group paragraph once per group made sync quadratic."""
    return " ".join(text.split())


def content_key(kind: str, question: str, answer: str, cloze_group: int | None) -> str:
    """blake2b of `kind \x1f group \x1f question \x1f answer`, whitespace-normalised."""
    if kind != CardKind.CLOZE:  # every text is new: hash it as one string
        text = f"{kind}\x1f{cloze_group or 0}\x1f{' '.join(question.split())}\x1f{' '.join(answer.split())}"
        digest = _KEY_DIGEST.copy()
        digest.update(text.encode())
        return digest.hexdigest()
    # the groups of a paragraph share its text: normalise it once, and never copy it per group
    digest = _KEY_DIGEST.copy()
    digest.update(f"{kind}\x1f{cloze_group or 0}\x1f".encode())
    digest.update(_normalized_bytes(question))
    digest.update(b"\x1f")
    digest.update(" ".join(answer.split()).encode())
    return digest.hexdigest()


@lru_cache(maxsize=64)
def _normalized_bytes(text: str) -> bytes:
    return normalize(text).encode()


def new_card_id(key: str, note_path: str, taken: set[str]) -> str:
    """A short id (12 hex digits) for a card created now; unique among `taken`."""
    salt = 0
    while True:
        card_id = proposed_card_id(key, note_path, salt)
        if card_id not in taken:
            taken.add(card_id)
            return card_id
        salt += 1


def proposed_card_id(key: str, note_path: str, salt: int = 0) -> str:
    """The id new_card_id gives when it is free; a worker process computes it, and the parent
    takes it with claim_card_id."""
    digest = _ID_DIGEST.copy()
    digest.update(f"{key}\x1f{note_path}\x1f{salt}".encode())
    return digest.hexdigest()


def claim_card_id(proposed: str, key: str, note_path: str, taken: set[str]) -> str:
    """What new_card_id(key, note_path, taken) returns, given its first try `proposed`."""
    if proposed in taken:
        return new_card_id(key, note_path, taken)
    taken.add(proposed)
    return proposed


class Candidate(NamedTuple):
    """A parsed card at its place in a note."""

    note_path: str
    index: int
    card: ParsedCard
    key: str

    @classmethod
    def of(cls, note_path: str, index: int, card: ParsedCard) -> Candidate:
        return cls(note_path, index, card, card_key(card))


def card_key(card: ParsedCard) -> str:
    return content_key(card.kind, card.question, card.answer, card.cloze_group)


def card_keys(note: ParsedNote) -> tuple[str, ...]:
    """The content key of each card of `note`, in order."""
    if note.keyed is not None and note.keyed[0] == tuple(note.cards):
        return note.keyed[1]
    return tuple(card_key(card) for card in note.cards)


class KnownCard(NamedTuple):
    """The identity-relevant part of a stored card."""

    id: str
    note_path: str
    kind: str
    question: str
    answer: str
    cloze_group: int | None
    key: str


@dataclass
class Matching:
    matched: dict[tuple[str, int], str] = field(default_factory=dict)
    """(note path, index in note) -> id of the stored card it continues."""
    revived: set[str] = field(default_factory=set)
    created: list[Candidate] = field(default_factory=list)
    vanished: list[KnownCard] = field(default_factory=list)


def match_cards(
    new_cards: dict[str, list[Candidate]],
    old_cards: dict[str, list[KnownCard]],
    retired_by_key: dict[str, list[KnownCard]],
) -> Matching:
    """Pair the cards parsed from changed notes with the stored cards of changed or deleted notes.

    `new_cards` maps each changed note path to its parsed cards; `old_cards` maps changed and
    deleted note paths to their active stored cards; `retired_by_key` holds retired cards whose
    key appears among the new ones.
    """
    result = Matching()
    if not any(old_cards.values()) and not retired_by_key:  # a cold sync: nothing to pair
        result.created = [c for path in sorted(new_cards) for c in sorted(new_cards[path], key=_place)]
        return result
    open_new = {path: list(cards) for path, cards in new_cards.items()}
    open_old = {path: list(cards) for path, cards in old_cards.items()}

    def take(candidate: Candidate, known: KnownCard) -> None:
        result.matched[(candidate.note_path, candidate.index)] = known.id

    for path, candidates in open_new.items():
        olds = open_old.get(path, [])
        _pair_by(candidates, olds, lambda c: c.key, lambda k: k.key, take)
        _pair_by(candidates, olds, _question_of_candidate, _question_of_known, take)

    moved_from: dict[str, Counter] = defaultdict(Counter)
    pool: dict[str, list[KnownCard]] = defaultdict(list)
    for olds in open_old.values():
        for known in olds:
            pool[known.key].append(known)
    for path, candidates in open_new.items():
        for candidate in list(candidates):
            if pool.get(candidate.key):
                known = pool[candidate.key].pop(0)
                open_old[known.note_path].remove(known)
                candidates.remove(candidate)
                take(candidate, known)
                moved_from[path][known.note_path] += 1

    for candidates in open_new.values():
        for candidate in list(candidates):
            if retired_by_key.get(candidate.key):
                known = retired_by_key[candidate.key].pop(0)
                candidates.remove(candidate)
                take(candidate, known)
                result.revived.add(known.id)

    for path, candidates in open_new.items():
        olds = list(open_old.get(path, []))
        if path not in old_cards and moved_from[path]:
            source, _ = moved_from[path].most_common(1)[0]
            if source not in new_cards:  # a renamed file: the old path no longer exists
                olds = open_old.get(source, [])
        for candidate, known in _pair_similar(candidates, olds):
            candidates.remove(candidate)
            open_old[known.note_path].remove(known)
            take(candidate, known)

    result.created = [c for path in sorted(open_new) for c in open_new[path]]
    result.created.sort(key=_place)
    result.vanished = [k for olds in open_old.values() for k in olds]
    return result


def _place(candidate: Candidate) -> tuple[str, int]:
    return candidate.note_path, candidate.index


def _question_of_candidate(candidate: Candidate) -> tuple | None:
    card = candidate.card
    if card.kind != CardKind.BASIC:
        return None
    return (card.kind, normalize(card.question))


def _question_of_known(known: KnownCard) -> tuple | None:
    if known.kind != CardKind.BASIC:
        return None
    return (known.kind, normalize(known.question))


def _pair_by(candidates: list[Candidate], olds: list[KnownCard], new_key, old_key, take) -> None:
    """Pair equal keys in order of appearance; both lists lose what was paired."""
    waiting: dict[object, list[KnownCard]] = defaultdict(list)
    for known in olds:
        key = old_key(known)
        if key is not None:
            waiting[key].append(known)
    for candidate in list(candidates):
        key = new_key(candidate)
        if key is not None and waiting.get(key):
            known = waiting[key].pop(0)
            olds.remove(known)
            candidates.remove(candidate)
            take(candidate, known)


def _pair_similar(
    candidates: list[Candidate], olds: list[KnownCard]
) -> Iterable[tuple[Candidate, KnownCard]]:
    scorer = _Scorer()
    scored = []
    pairs = []
    used_new: set[int] = set()
    used_old: set[str] = set()
    for block_new, block_old in _blocks(candidates, olds):
        if len(block_new) * len(block_old) > ALL_PAIRS:
            sure = _aligned_and_alike(block_new, block_old, scorer)
            pairs += sure
            used_new.update(id(candidate) for candidate, _ in sure)
            used_old.update(known.id for _, known in sure)
            block_new = [c for c in block_new if id(c) not in used_new]
            block_old = [k for k in block_old if k.id not in used_old]
        for candidate, known in _pairs_to_compare(block_new, block_old):
            score = scorer.similarity(candidate, known)
            if score is not None:
                scored.append((score, candidate.index, candidate, known))
    scored.sort(key=lambda entry: (-entry[0], entry[1]))
    for _score, _index, candidate, known in scored:
        if id(candidate) in used_new or known.id in used_old:
            continue
        used_new.add(id(candidate))
        used_old.add(known.id)
        pairs.append((candidate, known))
    return pairs


def _blocks(
    candidates: list[Candidate], olds: list[KnownCard]
) -> Iterable[tuple[list[Candidate], list[KnownCard]]]:
    """Only cards of the same kind (and cloze group) can be one card: compare within those."""
    new_by: dict[tuple, list[Candidate]] = defaultdict(list)
    old_by: dict[tuple, list[KnownCard]] = defaultdict(list)
    for candidate in candidates:
        card = candidate.card
        new_by[(card.kind, card.cloze_group if card.kind == CardKind.CLOZE else None)].append(candidate)
    for known in olds:
        old_by[(known.kind, known.cloze_group if known.kind == CardKind.CLOZE else None)].append(known)
    for block, news in new_by.items():
        if block in old_by:
            yield news, old_by[block]


def _aligned_and_alike(
    news: list[Candidate], olds: list[KnownCard], scorer: _Scorer
) -> list[tuple[Candidate, KnownCard]]:
    """In a big block, the card at a new card's own place, when nearly the same text (a typo
    fixed in every card): paired at once, leaving the band search for the rest."""
    if len(news) != len(olds):
        return []
    return [
        (candidate, known)
        for candidate, known in zip(news, olds, strict=True)
        if (scorer.similarity(candidate, known) or 0.0) >= ALIKE
    ]


def _pairs_to_compare(
    news: list[Candidate], olds: list[KnownCard]
) -> Iterable[tuple[Candidate, KnownCard]]:
    """Every pair, or past ALL_PAIRS each new card against the old ones around its place."""
    if len(news) * len(olds) <= ALL_PAIRS:
        for candidate in news:
            for known in olds:
                yield candidate, known
        return
    for rank, candidate in enumerate(news):
        middle = rank * len(olds) // len(news)
        for known in olds[max(0, middle - BAND) : middle + BAND + 1]:
            yield candidate, known


class _Scorer:
    """Scores pairs, remembering normalised texts and ratios: the groups of one cloze
    paragraph share their text, so a paragraph is compared once, not once per group."""

    def __init__(self) -> None:
        self._normal: dict[str, str] = {}
        self._ratios: dict[tuple[str, str], float] = {}

    def similarity(self, candidate: Candidate, known: KnownCard) -> float | None:
        """A score in [0, 1] when the two are similar enough to be one card, else None."""
        card = candidate.card
        if card.kind != known.kind:
            return None
        if card.kind == CardKind.CLOZE:
            if card.cloze_group != known.cloze_group:
                return None
            text = self.ratio(card.question, known.question)
            return text if text >= SIMILAR_ENOUGH else None
        question = self.ratio(card.question, known.question)
        if question < 0.5:  # then even an identical answer scores under SIMILAR_ENOUGH
            return None
        answer = self.ratio(card.answer, known.answer)
        score = 0.6 * question + 0.4 * answer
        if score >= SIMILAR_ENOUGH or question >= SAME_QUESTION or (answer >= SAME_ANSWER and question >= 0.5):
            return score
        return None

    def ratio(self, a: str, b: str) -> float:
        a, b = self._normalized(a), self._normalized(b)
        pair = (a, b)
        if pair not in self._ratios:
            self._ratios[pair] = text_ratio(a, b)
        return self._ratios[pair]

    def _normalized(self, text: str) -> str:
        if text not in self._normal:
            self._normal[text] = normalize(text)
        return self._normal[text]


def similarity(candidate: Candidate, known: KnownCard) -> float | None:
    """A score in [0, 1] when the two are similar enough to be one card, else None."""
    return _Scorer().similarity(candidate, known)


def text_ratio(a: str, b: str) -> float:
    """How alike two normalised texts are, in [0, 1]: 2 x matched characters / both lengths.

    The common prefix and suffix match as they are; the differing middle is aligned with
    difflib when short, and measured by shared 3-character shingles when long, so a one-word
    edit in a 50 KB answer costs linear time (difflib without autojunk is quadratic).
    """
    if a == b:
        return 1.0
    total = len(a) + len(b)
    if not total:
        return 1.0
    prefix = _common_prefix(a, b)
    suffix = _common_prefix(a[prefix:][::-1], b[prefix:][::-1])
    middle_a, middle_b = a[prefix : len(a) - suffix], b[prefix : len(b) - suffix]
    if max(len(middle_a), len(middle_b)) <= SHORT_MIDDLE:
        matcher = SequenceMatcher(None, middle_a, middle_b, autojunk=False)
        inside = sum(block.size for block in matcher.get_matching_blocks())
    else:
        inside = _shared_shingles(middle_a, middle_b)
    return 2 * (prefix + suffix + inside) / total


def _common_prefix(a: str, b: str) -> int:
    """Length of the common prefix, by halving (string comparisons run in C)."""
    low, high = 0, min(len(a), len(b))
    while low < high:
        mid = (low + high + 1) // 2
        if a[:mid] == b[:mid]:
            low = mid
        else:
            high = mid - 1
    return low


def _shared_shingles(a: str, b: str) -> int:
    """About how many characters two long texts share, wherever they sit: shingles in common."""
    if len(a) < 3 or len(b) < 3:
        return 0
    grams_a = Counter(a[i : i + 3] for i in range(len(a) - 2))
    grams_b = Counter(b[i : i + 3] for i in range(len(b) - 2))
    return min(sum((grams_a & grams_b).values()), len(a), len(b))
