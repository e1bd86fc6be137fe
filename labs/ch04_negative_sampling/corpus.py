"""A generated corpus with a large vocabulary in known classes (offline: no PTB download).

The grammar of ch02_count_vectors, "DET [ADJ] NOUN VERB PREP DET [ADJ] NOUN .", with
`classes` noun classes of `words_per_class` made-up nouns each ("animal17"): the first noun's
verb belongs to its class, the second noun is of any class. Within a class, noun i is drawn
with weight 1 / (i + 1) (Zipf's law, as in real text): a few frequent nouns and a long tail of
rare ones. The tail is what makes the vocabulary big, and a big vocabulary is what makes the
full softmax slow.
"""

import numpy as np

CLASS_NAMES = ["animal", "food", "vehicle", "person", "place", "tool", "plant", "metal",
               "song", "game", "drink", "cloth"]
DETERMINERS = ["the", "a", "this", "that", "my", "our"]
ADJECTIVES = ["big", "small", "old", "new", "good", "bad"]
PREPOSITIONS = ["near", "with", "by", "after"]


def vocabulary(classes, words_per_class):
    """{class: its nouns} and {class: its three verbs}."""
    names = CLASS_NAMES[:classes]
    nouns = {name: [f"{name}{i}" for i in range(words_per_class)] for name in names}
    verbs = {name: [f"{name}_verb{i}" for i in range(3)] for name in names}
    return nouns, verbs


def sentences(rng, count, nouns, verbs, adjective_rate=0.5):
    classes = list(nouns)
    out = []
    for _ in range(count):
        subject, obj = rng.choice(classes, 2)
        words = _noun_phrase(rng, nouns[subject], adjective_rate)
        words += [rng.choice(verbs[subject]), rng.choice(PREPOSITIONS)]
        words += _noun_phrase(rng, nouns[obj], adjective_rate) + ["."]
        out.append(" ".join(words))
    return out


def _noun_phrase(rng, nouns, adjective_rate):
    words = [rng.choice(DETERMINERS)]
    if rng.random() < adjective_rate:
        words.append(rng.choice(ADJECTIVES))
    return words + [nouns[_zipf_index(rng, len(nouns))]]


def _zipf_index(rng, n):
    cdf = np.cumsum(1.0 / np.arange(1, n + 1))
    return int(np.searchsorted(cdf, rng.random() * cdf[-1], side="right"))


def preprocess(text):
    """Word ids in order of first appearance, as the book's common/util.py `preprocess`."""
    words = text.split()
    word_to_id = {}
    for word in words:
        word_to_id.setdefault(word, len(word_to_id))
    id_to_word = {i: w for w, i in word_to_id.items()}
    return np.array([word_to_id[w] for w in words]), word_to_id, id_to_word


def create_contexts_target(corpus, window_size):
    """contexts (N - 2w, 2w): the w words before and after each target; target (N - 2w,)."""
    n = len(corpus)
    offsets = [t for t in range(-window_size, window_size + 1) if t != 0]
    positions = np.arange(window_size, n - window_size)
    contexts = np.stack([corpus[positions + t] for t in offsets], axis=1)
    return contexts, corpus[positions]
