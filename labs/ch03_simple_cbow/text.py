"""From a sentence to CBOW's training data: word ids, (contexts, target) pairs, one-hot rows."""

import numpy as np


def preprocess(text):
    """Word ids of `text` (lower-cased, "." split off) and the two dictionaries, ids in order of
    first appearance, as in the book's common/util.py."""
    words = text.lower().replace(".", " .").split()
    word_to_id = {}
    for word in words:
        word_to_id.setdefault(word, len(word_to_id))
    id_to_word = {i: w for w, i in word_to_id.items()}
    return np.array([word_to_id[w] for w in words]), word_to_id, id_to_word


def create_contexts_target(corpus, window_size=1):
    """contexts (N - 2w, 2w) and target (N - 2w,) from the word ids `corpus` (N,)."""
    # >>> hole contexts_target
    target = corpus[window_size:-window_size]
    contexts = []
    for idx in range(window_size, len(corpus) - window_size):
        contexts.append([corpus[idx + t] for t in range(-window_size, window_size + 1) if t != 0])
    contexts = np.array(contexts)
    # <<< hole contexts_target
    return contexts, target


def convert_one_hot(ids, vocab_size):
    """One-hot rows: an array of shape ids.shape + (vocab_size,)."""
    return np.eye(vocab_size, dtype=np.float64)[ids]
