"""Word vectors by counting (DLFS2 chapter 2) on a generated corpus with known noun classes.

Counts -> PPMI -> truncated SVD, then the test the book does by eye with `most_similar`, as a
number: for each of the 60 class nouns, is its nearest neighbour (cosine similarity) a noun of
the same class? Measured on raw counts, on PPMI rows and on the SVD vectors.
"""

import numpy as np
from corpus import NOUNS, preprocess, sentences
from count_method import create_co_matrix, most_similar, ppmi, truncated_svd

from studyterm import labkit

QUERIES = ["cat", "car", "bread", "teacher"]


def nn_agreement(vectors, word_to_id, id_to_word):
    """Share of the class nouns whose nearest other word belongs to the same class."""
    class_of = {word: name for name, words in NOUNS.items() for word in words}
    nouns = [word for word in class_of if word in word_to_id]
    hits = 0
    for word in nouns:
        (nearest,), _ = most_similar(word_to_id[word], vectors, top=1)
        hits += class_of.get(id_to_word[int(nearest)]) == class_of[word]
    return hits / len(nouns)


def show_neighbours(vectors, word_to_id, id_to_word):
    for query in QUERIES:
        ids, sims = most_similar(word_to_id[query], vectors, top=5)
        pairs = ", ".join(f"{id_to_word[int(i)]} {s:.2f}" for i, s in zip(ids, sims, strict=True))
        print(f"  {query:8s} -> {pairs}")


def main():
    params = labkit.params()
    rng = np.random.default_rng(params["seed"])
    corpus, word_to_id, id_to_word = preprocess(" ".join(sentences(rng, params["sentences"])))
    vocab_size = len(word_to_id)
    print(f"{len(corpus)} tokens, {vocab_size} distinct words, window {params['window_size']}")
    C = create_co_matrix(corpus, vocab_size, params["window_size"])
    labkit.progress(1, 3)
    with np.errstate(divide="ignore"):
        M = ppmi(C)
    labkit.progress(2, 3)
    word_vecs = truncated_svd(M, params["wordvec_size"])
    labkit.progress(3, 3)
    scores = {name: nn_agreement(vectors, word_to_id, id_to_word)
              for name, vectors in (("counts", C.astype(np.float64)), ("ppmi", M),
                                    ("svd", word_vecs))}
    print(f"nearest neighbours with {params['wordvec_size']}-dimensional SVD vectors:")
    show_neighbours(word_vecs, word_to_id, id_to_word)
    print("nearest-neighbour class agreement: " +
          ", ".join(f"{name} {score:.3f}" for name, score in scores.items()))
    sparsity = float(np.mean(M == 0))
    print(f"PPMI: {sparsity:.1%} of its {vocab_size}x{vocab_size} entries are 0; "
          f"raw counts: {np.mean(C == 0):.1%}")
    labkit.result(nn_agreement=scores["svd"], nn_agreement_ppmi=scores["ppmi"],
                  nn_agreement_counts=scores["counts"], ppmi_sparsity=sparsity,
                  count_sparsity=float(np.mean(C == 0)), vocab_size=vocab_size,
                  tokens=len(corpus))


if __name__ == "__main__":
    main()
