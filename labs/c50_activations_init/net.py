"""A deep fully connected network in NumPy: `depth` hidden layers of the same activation, then a
linear output layer, softmax and cross-entropy. Each layer keeps what its backward pass needs."""

from itertools import pairwise

import numpy as np
from init import INITS


def sigmoid(z):
    return 0.5 * (1 + np.tanh(0.5 * z))


ACTIVATIONS = {
    # name: (f, f' written with the input z and the output a)
    "relu": (lambda z: np.maximum(z, 0), lambda z, a: (z > 0).astype(z.dtype)),
    "sigmoid": (sigmoid, lambda z, a: a * (1 - a)),
    "tanh": (np.tanh, lambda z, a: 1 - a**2),
}


class DeepNet:
    def __init__(self, rng, sizes, activation, init):
        draw = INITS[init]
        self.W = [draw(rng, n_in, n_out) for n_in, n_out in pairwise(sizes)]
        self.b = [np.zeros(n_out) for n_out in sizes[1:]]
        self.f, self.df = ACTIVATIONS[activation]
        self.cache = []

    def scores(self, x):
        self.cache = []
        a = x
        for i, (W, b) in enumerate(zip(self.W, self.b, strict=True)):
            z = a @ W + b
            out = z if i == len(self.W) - 1 else self.f(z)
            self.cache.append((a, z, out))
            a = out
        return a

    def loss(self, x, t):
        s = self.scores(x)
        s = s - s.max(axis=1, keepdims=True)
        log_p = s - np.log(np.exp(s).sum(axis=1, keepdims=True))
        self.probs, self.t = np.exp(log_p), t
        return float(-np.mean(log_p[np.arange(len(t)), t]))

    def backward(self):
        """Gradients (dW, db) of every layer, first layer first."""
        n = len(self.t)
        d = self.probs.copy()
        d[np.arange(n), self.t] -= 1
        d /= n
        grads = []
        for i in reversed(range(len(self.W))):
            a_in, z, out = self.cache[i]
            if i < len(self.W) - 1:
                d = d * self.df(z, out)
            grads.append((a_in.T @ d, d.sum(axis=0)))
            d = d @ self.W[i].T
        return grads[::-1]

    def accuracy(self, x, t):
        return float(np.mean(self.scores(x).argmax(axis=1) == t))
