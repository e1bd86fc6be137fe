"""The checks of each hole of ch02_count_vectors (never copied to the learner).

PPMI is checked on the book's own example, "You say goodbye and I say hello." with a window of
1, against values computed here from the definition; the cosine similarity on vectors whose
answer is known (parallel, orthogonal, opposite, a zero vector) and on random ones.
"""

import numpy as np

from studyterm import labkit

BOOK_TEXT = "You say goodbye and I say hello."


def _book_counts(reference):
    corpus, word_to_id, _ = reference.corpus.preprocess(BOOK_TEXT)
    return reference.count_method.create_co_matrix(corpus, len(word_to_id), window_size=1)


def _ppmi_by_definition(C):
    """PPMI entry by entry, with no eps: log2(C N / (S_w S_c)) where C > 0, else 0."""
    N, S = C.sum(), C.sum(axis=0)
    M = np.zeros(C.shape)
    for w, c in zip(*np.nonzero(C), strict=True):
        M[w, c] = max(0.0, np.log2(C[w, c] * N / (S[w] * S[c])))
    return M


def _learner_ppmi(learner, C):
    with np.errstate(divide="ignore", invalid="ignore"):
        return learner.count_method.ppmi(C.copy())


@labkit.check("ppmi", "the book's 7-word example: never negative, 0 where two words never meet")
def ppmi_signs(learner, reference):
    C = _book_counts(reference)
    M = np.asarray(_learner_ppmi(learner, C), dtype=np.float64)
    labkit.expect_shape("M", M, C.shape)
    labkit.expect_true(np.all(np.isfinite(M)), "M holds NaN or infinite values: add eps inside "
                       "the log, or take the maximum with 0 after it")
    labkit.expect_true(M.min() >= 0, f"M has a negative entry ({M.min():.3g}): PPMI keeps only "
                       "positive PMI, max(0, PMI)")
    labkit.expect_true(np.all(M[C == 0] == 0), "M is not 0 where C is 0 (words that never "
                       "appear together)")


@labkit.check("ppmi", "the values of the book's example and of a random symmetric matrix, in bits")
def ppmi_values(learner, reference):
    C = _book_counts(reference)
    labkit.expect_close("M (book's example)", _learner_ppmi(learner, C), _ppmi_by_definition(C),
                        rel_error=1e-6)
    counts = np.random.default_rng(20261202).integers(0, 6, (6, 6))
    counts = counts + counts.T  # co-occurrence counts are symmetric
    labkit.expect_close("M (a random 6 x 6 count matrix)", _learner_ppmi(learner, counts),
                        _ppmi_by_definition(counts), rel_error=1e-6)


@labkit.check("cos_similarity", "1 for parallel, 0 for orthogonal, -1 for opposite vectors")
def cosine_known(learner, reference):
    cos = learner.count_method.cos_similarity
    x = np.array([3.0, 4.0, 0.0])
    cases = {"x with 2x": (x, 2 * x, 1.0), "x with an orthogonal vector": (x, np.array([4.0, -3.0, 7.0]), 0.0),
             "x with -x": (x, -x, -1.0)}
    for name, (a, b, want) in cases.items():
        got = cos(a.copy(), b.copy())
        labkit.expect_true(np.ndim(got) == 0, f"cos_similarity({name}): got shape {np.shape(got)}, "
                           "want a single number")
        labkit.expect_true(abs(float(got) - want) <= 1e-6, f"cos_similarity({name}) = {float(got):.4g}, want {want:g}")


@labkit.check("cos_similarity", "random vectors, and a zero vector gives 0 (no division by zero)")
def cosine_random_and_zero(learner, reference):
    cos = learner.count_method.cos_similarity
    rng = np.random.default_rng(20261202)
    for _ in range(3):
        x, y = rng.standard_normal(7), rng.standard_normal(7)
        want = x @ y / (np.linalg.norm(x) * np.linalg.norm(y))
        labkit.expect_close("cos_similarity(x, y)", cos(x.copy(), y.copy()), want, rel_error=1e-6)
    with np.errstate(all="ignore"):
        got = cos(np.zeros(4), np.array([1.0, 2.0, 3.0, 4.0]))
    labkit.expect_true(np.isfinite(got) and abs(float(got)) < 1e-6,
                       f"cos_similarity(zero vector, y) = {got}, want 0: add eps to each length")
