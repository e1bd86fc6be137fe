"""The checks of each hole of ch03_simple_cbow (never copied to the learner).

create_contexts_target is checked against pairs written out by hand for the book's sentence
and against a direct construction for wider windows; SimpleCBOW.backward against numerical
gradients of the reference's forward pass, in float64, with one-hot contexts built here (so it
needs no other hole).
"""

import numpy as np

from studyterm import labkit

# "You say goodbye and I say hello." as word ids: you 0, say 1, goodbye 2, and 3, i 4, hello 5, . 6
BOOK_IDS = np.array([0, 1, 2, 3, 4, 1, 5, 6])
BOOK_CONTEXTS = [[0, 2], [1, 3], [2, 4], [3, 1], [4, 5], [1, 6]]
BOOK_TARGET = [1, 2, 3, 4, 1, 5]


def _contexts_by_hand(corpus, w):
    rows = [np.concatenate([corpus[i - w : i], corpus[i + 1 : i + w + 1]])
            for i in range(w, len(corpus) - w)]
    return np.array(rows), corpus[w : len(corpus) - w]


@labkit.check("contexts_target", "the book's sentence with a window of 1: 6 pairs, left word first")
def book_pairs(learner, reference):
    contexts, target = learner.text.create_contexts_target(BOOK_IDS.copy(), window_size=1)
    labkit.expect_shape("contexts", np.asarray(contexts), (6, 2))
    labkit.expect_shape("target", np.asarray(target), (6,))
    labkit.expect_true(np.array_equal(target, BOOK_TARGET),
                       f"target = {np.asarray(target).tolist()}, want {BOOK_TARGET} (say goodbye and i say hello)")
    labkit.expect_true(np.array_equal(contexts, BOOK_CONTEXTS),
                       f"contexts = {np.asarray(contexts).tolist()}, want {BOOK_CONTEXTS}")


@labkit.check("contexts_target", "windows of 2 and 3 on a longer corpus")
def wider_windows(learner, reference):
    corpus = np.random.default_rng(20261202).integers(0, 9, 15)
    for w in (2, 3):
        contexts, target = learner.text.create_contexts_target(corpus.copy(), window_size=w)
        want_contexts, want_target = _contexts_by_hand(corpus, w)
        labkit.expect_shape(f"contexts (window {w})", np.asarray(contexts), want_contexts.shape)
        labkit.expect_true(np.array_equal(target, want_target), f"target (window {w}) is wrong: "
                           "it is the corpus without its first and last `window_size` words")
        labkit.expect_true(np.array_equal(contexts, want_contexts), f"contexts (window {w}) are "
                           "wrong: each row is the w words before the target, then the w after")


def _exact_loss(scores, t):
    """Mean cross-entropy of softmax(scores), computed exactly (no +1e-7 inside the log)."""
    shifted = scores - scores.max(axis=1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    return -np.mean(log_probs[np.arange(len(t)), t])


def _cbow_case(learner, reference):
    """The learner's model on a batch of 4, with gradients from its backward; the numerical
    gradients of the reference model's loss with the same weights."""
    rng = np.random.default_rng(20261202)
    V, H = 7, 4
    ids = rng.integers(0, V, (4, 2))
    contexts = np.eye(V)[ids]
    target = rng.integers(0, V, 4)
    model = learner.simple_cbow.SimpleCBOW(V, H, np.random.default_rng(1))
    W_in, W_out = model.params[0], model.params[2]
    W_in[...] = rng.standard_normal((V, H))
    W_out[...] = rng.standard_normal((H, V))
    model.forward(contexts, target)
    model.backward()
    oracle = reference.simple_cbow.SimpleCBOW(V, H, np.random.default_rng(1))
    oracle.params[0][...] = W_in
    oracle.params[2][...] = W_out

    def loss(_):
        return _exact_loss(oracle.predict(contexts), target)

    numeric_in = labkit.numerical_gradient(loss, oracle.params[0])
    numeric_out = labkit.numerical_gradient(loss, oracle.params[2])
    return model, numeric_in, numeric_out


@labkit.check("cbow_backward", "dW_out (out_layer.grads) matches a numerical gradient")
def cbow_dw_out(learner, reference):
    model, _numeric_in, numeric_out = _cbow_case(learner, reference)
    labkit.expect_close("dW_out", model.out_layer.grads[0], numeric_out, rel_error=1e-7)


@labkit.check("cbow_backward", "dW_in, the two input layers' gradients added, matches a numerical gradient")
def cbow_dw_in(learner, reference):
    model, numeric_in, _numeric_out = _cbow_case(learner, reference)
    dW_in = model.in_layer0.grads[0] + model.in_layer1.grads[0]
    labkit.expect_close("dW_in (in_layer0 + in_layer1)", dW_in, numeric_in, rel_error=1e-7)
