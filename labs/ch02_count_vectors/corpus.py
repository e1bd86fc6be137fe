"""A generated corpus whose nouns come in six known classes (offline: no PTB download).

Each sentence is "DET [ADJ] NOUN VERB PREP DET [ADJ] NOUN .": the first noun's verb belongs to
its class (animals graze, vehicles park), the second noun is of any class. So a noun's class
shows only in some of its contexts, while function words ("the", "a", "near") and adjectives
surround every noun, far more often: as in real text, the most frequent neighbours say the
least. Within a class, words are drawn with Zipf-like weights (1/rank), so some are rare.
"""

import numpy as np

NOUNS = {
    "animal": ["cat", "dog", "horse", "cow", "sheep", "goat", "pig", "mouse", "duck", "fox"],
    "food": ["bread", "apple", "rice", "cheese", "soup", "cake", "fish", "corn", "pie", "egg"],
    "vehicle": ["car", "bus", "train", "truck", "bike", "boat", "plane", "tram", "van", "ship"],
    "person": ["teacher", "doctor", "farmer", "driver", "baker", "pilot", "nurse", "clerk",
               "judge", "cook"],
    "place": ["city", "village", "market", "school", "farm", "harbor", "station", "park", "bank",
              "shop"],
    "tool": ["hammer", "saw", "drill", "knife", "rope", "ladder", "shovel", "brush", "needle", "axe"],
}
VERBS = {
    "animal": ["barks", "grazes", "sleeps"],
    "food": ["tastes", "smells", "cools"],
    "vehicle": ["drives", "stops", "parks"],
    "person": ["works", "talks", "writes"],
    "place": ["opens", "closes", "grows"],
    "tool": ["cuts", "breaks", "lifts"],
}
DETERMINERS = ["the", "a", "this", "that", "my", "our"]
ADJECTIVES = ["big", "small", "old", "new", "good", "bad"]
PREPOSITIONS = ["near", "with", "by", "after"]


def zipf(n):
    """Weights 1/rank for n items, summing to 1."""
    weights = 1.0 / np.arange(1, n + 1)
    return weights / weights.sum()


def sentences(rng, count, adjective_rate=0.5):
    """`count` sentences of the grammar above."""
    classes = list(NOUNS)
    out = []
    for _ in range(count):
        subject, obj = rng.choice(classes, 2)
        words = _noun_phrase(rng, subject, adjective_rate)
        words += [rng.choice(VERBS[subject]), rng.choice(PREPOSITIONS)]
        words += _noun_phrase(rng, obj, adjective_rate) + ["."]
        out.append(" ".join(words))
    return out


def _noun_phrase(rng, noun_class, adjective_rate):
    words = [rng.choice(DETERMINERS, p=zipf(len(DETERMINERS)))]
    if rng.random() < adjective_rate:
        words.append(rng.choice(ADJECTIVES))
    return words + [rng.choice(NOUNS[noun_class], p=zipf(len(NOUNS[noun_class])))]


def preprocess(text):
    """Word ids of `text` (lower-cased, split on spaces) and the two dictionaries, as the book's
    common/util.py `preprocess` builds them: ids in order of first appearance."""
    words = text.lower().replace(".", " .").split()
    word_to_id = {}
    for word in words:
        word_to_id.setdefault(word, len(word_to_id))
    id_to_word = {i: w for w, i in word_to_id.items()}
    return np.array([word_to_id[w] for w in words]), word_to_id, id_to_word
