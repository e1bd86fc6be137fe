"""The layers of DLFS2 chapter 4, each with `params`, `grads`, `forward` and `backward`.

Embedding replaces "one-hot row times W" by picking rows of W; EmbeddingDot scores a hidden
vector against one output row per sample; SigmoidWithLoss is the binary loss of negative
sampling. MatMul and SoftmaxWithLoss are the full-softmax output the chapter speeds up.
"""

import numpy as np


class Embedding:
    def __init__(self, W):
        self.params = [W]
        self.grads = [np.zeros_like(W)]
        self.idx = None

    def forward(self, idx):
        (W,) = self.params
        self.idx = idx
        return W[idx]

    def backward(self, dout):
        (dW,) = self.grads
        # >>> hole embedding_backward
        dW[...] = 0
        np.add.at(dW, self.idx, dout)
        # <<< hole embedding_backward


class EmbeddingDot:
    """score[n, j] = W[idx[n, j]] · h[n]: the output side of negative sampling, scoring each
    sample's hidden vector against a few rows of W (its target word and its negatives)."""

    def __init__(self, W):
        self.embed = Embedding(W)
        self.params, self.grads = self.embed.params, self.embed.grads
        self.cache = None

    def forward(self, h, idx):
        target_W = self.embed.forward(idx)  # (N, J, H)
        self.cache = (h, target_W)
        return np.einsum("njh,nh->nj", target_W, h)

    def backward(self, dout):
        h, target_W = self.cache
        self.embed.backward(dout[:, :, None] * h[:, None, :])
        return np.einsum("nj,njh->nh", dout, target_W)


class SigmoidWithLoss:
    """The sigmoid of a score, then the binary cross-entropy with the label t (1: the true
    word, 0: a negative sample), averaged over the batch."""

    def __init__(self):
        self.params, self.grads = [], []
        self.y = None
        self.t = None

    def forward(self, x, t):
        self.t = t
        # >>> hole binary_loss
        self.y = 1 / (1 + np.exp(-x))
        loss = -np.mean(t * np.log(self.y + 1e-7) + (1 - t) * np.log(1 - self.y + 1e-7))
        # <<< hole binary_loss
        return loss

    def backward(self, dout=1):
        return (self.y - self.t) * dout / len(self.t)


class MatMul:
    def __init__(self, W):
        self.params = [W]
        self.grads = [np.zeros_like(W)]
        self.x = None

    def forward(self, x):
        self.x = x
        return x @ self.params[0]

    def backward(self, dout):
        self.grads[0][...] = self.x.T @ dout
        return dout @ self.params[0].T


def softmax(x):
    x = x - x.max(axis=1, keepdims=True)
    e = np.exp(x)
    return e / e.sum(axis=1, keepdims=True)


class SoftmaxWithLoss:
    def __init__(self):
        self.params, self.grads = [], []
        self.y = None
        self.t = None

    def forward(self, x, t):
        self.t = t
        self.y = softmax(x)
        return -np.mean(np.log(self.y[np.arange(len(t)), t] + 1e-7))

    def backward(self, dout=1):
        dx = self.y.copy()
        dx[np.arange(len(self.t)), self.t] -= 1
        return dx * dout / len(self.t)
