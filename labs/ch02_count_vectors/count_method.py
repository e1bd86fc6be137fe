"""The count-based method of DLFS2 chapter 2: co-occurrence counts -> PPMI -> truncated SVD."""

import numpy as np


def create_co_matrix(corpus, vocab_size, window_size=1):
    """C[w, c]: how often word c appears within `window_size` words of word w."""
    C = np.zeros((vocab_size, vocab_size), dtype=np.int64)
    for offset in range(1, window_size + 1):
        left, right = corpus[:-offset], corpus[offset:]
        np.add.at(C, (left, right), 1)  # c to the right of w
        np.add.at(C, (right, left), 1)  # and w to the left of c
    return C


def ppmi(C, eps=1e-8):
    """Positive pointwise mutual information of a co-occurrence matrix C (V x V), in bits."""
    # >>> hole ppmi
    N = C.sum()
    S = C.sum(axis=0)  # how often each word appears as a context (C is symmetric)
    pmi = np.log2(C * N / np.outer(S, S) + eps)
    M = np.maximum(0, pmi)
    # <<< hole ppmi
    return M


def cos_similarity(x, y, eps=1e-8):
    """Cosine of the angle between vectors x and y (eps keeps a zero vector from dividing by 0)."""
    # >>> hole cos_similarity
    nx = x / (np.sqrt(np.sum(x**2)) + eps)
    ny = y / (np.sqrt(np.sum(y**2)) + eps)
    similarity = np.dot(nx, ny)
    # <<< hole cos_similarity
    return similarity


def truncated_svd(M, size):
    """Dense word vectors: the first `size` columns of U from M = U S Vᵀ (the book keeps U)."""
    U, _S, _Vt = np.linalg.svd(M)
    return U[:, :size]


def most_similar(query_id, word_matrix, top=5):
    """The ids of the `top` words closest to word `query_id` by cosine similarity, closest first,
    with their similarities (the query itself left out)."""
    similarity = np.array([cos_similarity(row, word_matrix[query_id]) for row in word_matrix])
    similarity[query_id] = -np.inf
    order = np.argsort(-similarity, kind="stable")[:top]
    return order, similarity[order]
