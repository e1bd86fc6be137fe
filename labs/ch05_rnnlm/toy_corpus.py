"""A generated corpus: sentences of a small English-like grammar, so no download is needed.

The grammar has structure a language model can learn and a unigram model cannot: a determiner
is followed by an adjective or a noun, only animals are subjects, a transitive verb needs an
object, and every sentence ends with "." . Sentences are drawn at random, so a held-out part
of the corpus is new text from the same language.
"""

DETERMINERS = ["the", "a"]
ADJECTIVES = ["small", "big", "red", "old"]
ANIMALS = ["cat", "dog", "bird", "fox"]
THINGS = ["ball", "box", "tree", "car"]
TRANSITIVE = ["sees", "chases", "likes", "finds"]
INTRANSITIVE = ["sleeps", "runs", "sings"]
PREPOSITIONS = ["near", "under", "behind"]
WORDS = [*DETERMINERS, *ADJECTIVES, *ANIMALS, *THINGS, *TRANSITIVE, *INTRANSITIVE,
         *PREPOSITIONS, "."]


def _pick(rng, words):
    return words[rng.integers(len(words))]


def _noun_phrase(rng, nouns):
    words = [_pick(rng, DETERMINERS)]
    if rng.random() < 0.4:
        words.append(_pick(rng, ADJECTIVES))
    return [*words, _pick(rng, nouns)]


def sentence(rng):
    """One sentence as a list of words, "." included."""
    words = _noun_phrase(rng, ANIMALS)
    if rng.random() < 0.6:
        words += [_pick(rng, TRANSITIVE), *_noun_phrase(rng, ANIMALS + THINGS)]
    else:
        words.append(_pick(rng, INTRANSITIVE))
    if rng.random() < 0.3:
        words += [_pick(rng, PREPOSITIONS), *_noun_phrase(rng, THINGS)]
    return [*words, "."]


def corpus(rng, size):
    """Word ids of whole sentences, at least `size` of them; and the id -> word list."""
    word_to_id = {word: i for i, word in enumerate(WORDS)}
    ids = []
    while len(ids) < size:
        ids += [word_to_id[word] for word in sentence(rng)]
    return ids, list(WORDS)
