"""Two CBOW models that differ only in their output side (DLFS2 4.3).

Both look up the context words' rows of W_in (an Embedding over the (N, 2w) context ids, where
the book keeps 2w Embedding layers sharing W_in: the same numbers) and average them into h.
SoftmaxCBOW scores h against every word, h W_out (V scores per sample), and takes the
cross-entropy of the softmax: a step costs O(N V H). NegativeSamplingCBOW scores h only
against the target's row of W_out and `sample_size` sampled rows, each a yes/no question
(sigmoid, binary loss): O(N (k + 1) H), whatever V.
"""

import numpy as np
from layers import Embedding, EmbeddingDot, MatMul, SigmoidWithLoss, SoftmaxWithLoss
from sampler import UnigramSampler


class _Context:
    """The shared input side: h is the mean of the context words' rows of W_in."""

    def __init__(self, W_in):
        self.embed = Embedding(W_in)
        self.params, self.grads = self.embed.params, self.embed.grads

    def forward(self, contexts):
        return self.embed.forward(contexts).mean(axis=1)

    def backward(self, dh):
        width = self.embed.idx.shape[1]
        self.embed.backward(np.broadcast_to(dh[:, None, :] / width, (*self.embed.idx.shape, dh.shape[1])))


class SoftmaxCBOW:
    def __init__(self, vocab_size, hidden_size, rng):
        W_in = 0.01 * rng.standard_normal((vocab_size, hidden_size))
        W_out = 0.01 * rng.standard_normal((hidden_size, vocab_size))
        self.context = _Context(W_in)
        self.out_layer = MatMul(W_out)
        self.loss_layer = SoftmaxWithLoss()
        self.params = self.context.params + self.out_layer.params
        self.grads = self.context.grads + self.out_layer.grads
        self.word_vecs = W_in

    def forward(self, contexts, target):
        return self.loss_layer.forward(self.out_layer.forward(self.context.forward(contexts)), target)

    def backward(self, dout=1):
        self.context.backward(self.out_layer.backward(self.loss_layer.backward(dout)))


class NegativeSamplingCBOW:
    """The loss is the book's: the binary loss of the target (label 1) plus that of each of the
    k negatives (label 0), each averaged over the batch."""

    def __init__(self, vocab_size, hidden_size, corpus, rng, sample_size=5, power=0.75):
        W_in = 0.01 * rng.standard_normal((vocab_size, hidden_size))
        W_out = 0.01 * rng.standard_normal((vocab_size, hidden_size))  # one row per word
        self.context = _Context(W_in)
        self.sampler = UnigramSampler(corpus, power, sample_size, rng)
        self.dot = EmbeddingDot(W_out)
        self.loss_layer = SigmoidWithLoss()
        self.params = self.context.params + self.dot.params
        self.grads = self.context.grads + self.dot.grads
        self.word_vecs = W_in
        self.shape = None

    def forward(self, contexts, target):
        h = self.context.forward(contexts)
        words = np.concatenate([target[:, None], self.sampler.get_negative_sample(target)], axis=1)
        labels = np.zeros(words.shape)
        labels[:, 0] = 1
        scores = self.dot.forward(h, words)
        self.shape = scores.shape
        # SigmoidWithLoss averages over all N (k + 1) scores; the book sums k + 1 batch means.
        return self.shape[1] * self.loss_layer.forward(scores.ravel(), labels.ravel())

    def backward(self, dout=1):
        dscores = self.loss_layer.backward(dout * self.shape[1]).reshape(self.shape)
        self.context.backward(self.dot.backward(dscores))
