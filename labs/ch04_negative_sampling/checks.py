"""The checks of each hole of ch04_negative_sampling (never copied to the learner).

Embedding.backward against a numerical gradient with repeated word ids (where an assignment
instead of a scatter-add goes wrong); the sampler by its shape, its promise never to return a
row's own target, and the frequencies of what it draws; the binary loss against the formula
and its gradient against a numerical one, in float64.
"""

import numpy as np

from studyterm import labkit


@labkit.check("embedding_backward", "dW matches a numerical gradient, ids repeated in the batch")
def embedding_gradient(learner, reference):
    rng = np.random.default_rng(20261202)
    W = rng.standard_normal((6, 3))
    for idx in (np.array([0, 2, 2, 5, 0, 2]), np.array([[1, 1], [4, 1], [3, 0]])):
        dout = rng.standard_normal((*idx.shape, 3))
        layer = learner.layers.Embedding(W.copy())
        layer.grads[0][...] = 7.0  # a stale gradient from an earlier step must not survive
        layer.forward(idx)
        layer.backward(dout)
        numeric = labkit.numerical_gradient(
            lambda w, idx=idx: reference.layers.Embedding(w).forward(idx), W.copy(), dout=dout)
        labkit.expect_close(f"dW for ids of shape {idx.shape}", layer.grads[0], numeric,
                            rel_error=1e-7)


def _sampler(learner, counts, sample_size=5):
    corpus = np.repeat(np.arange(len(counts)), counts)
    return learner.sampler.UnigramSampler(corpus, 0.75, sample_size, np.random.default_rng(7))


@labkit.check("sampler", "shape (batch, sample_size), word ids, never the row's own target")
def sampler_shape(learner, reference):
    sampler = _sampler(learner, [40, 30, 20, 10, 5, 5, 1, 1])
    target = np.array([0, 1, 2, 3, 0, 0, 7] * 50)
    negatives = np.asarray(sampler.get_negative_sample(target))
    labkit.expect_shape("negative_sample", negatives, (len(target), 5))
    labkit.expect_true(np.issubdtype(negatives.dtype, np.integer) and negatives.min() >= 0
                       and negatives.max() < 8, "negative_sample must hold word ids 0 .. V-1")
    clashes = int(np.sum(negatives == target[:, None]))
    labkit.expect_true(clashes == 0, f"{clashes} negatives are their row's own target word")


@labkit.check("sampler", "draws follow count ** 0.75: a word 16x as frequent is drawn about 8x as often")
def sampler_distribution(learner, reference):
    counts = [50] + [1, 2, 4, 8, 16] * 8  # word 0 is every row's target
    sampler = _sampler(learner, counts)
    negatives = np.asarray(sampler.get_negative_sample(np.zeros(4000, dtype=int)))
    drawn = np.bincount(negatives.ravel(), minlength=len(counts))
    ids = np.arange(len(counts))
    rare, common = drawn[(ids % 5 == 1) & (ids > 0)].sum(), drawn[(ids % 5 == 0) & (ids > 0)].sum()
    ratio = common / max(rare, 1)
    labkit.expect_true(6 <= ratio <= 10.5, f"words seen 16 times were drawn {ratio:.1f}x as often "
                       "as words seen once; want about 16 ** 0.75 = 8 (16 means the power was "
                       "left out, 1 means a uniform draw)")


def _exact_binary_loss(x, t):
    return float(np.mean(np.logaddexp(0, -x) * t + np.logaddexp(0, x) * (1 - t)))


@labkit.check("binary_loss", "the mean binary cross-entropy of sigmoid(x) with labels 1 and 0")
def binary_loss_value(learner, reference):
    rng = np.random.default_rng(20261202)
    x = rng.uniform(-3, 3, 12)
    t = rng.integers(0, 2, 12)
    loss = learner.layers.SigmoidWithLoss().forward(x.copy(), t)
    labkit.expect_close("loss", np.asarray(loss, dtype=np.float64), _exact_binary_loss(x, t),
                        rel_error=1e-5)


@labkit.check("binary_loss", "self.y is the sigmoid: backward's (y - t) / N matches a numerical gradient")
def binary_loss_gradient(learner, reference):
    rng = np.random.default_rng(20261203)
    x = rng.uniform(-3, 3, 10)
    t = rng.integers(0, 2, 10)
    layer = learner.layers.SigmoidWithLoss()
    layer.forward(x.copy(), t)
    dx = layer.backward()
    numeric = labkit.numerical_gradient(lambda v: _exact_binary_loss(v, t), x.copy())
    labkit.expect_close("dx", dx, numeric, rel_error=1e-6)
