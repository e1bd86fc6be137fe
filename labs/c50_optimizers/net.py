"""The model every optimizer trains: affine → ReLU → affine, softmax with cross-entropy
(given, not a hole). `params` and `grads` are lists of the very arrays the network uses."""

import numpy as np


class TwoLayerNet:
    def __init__(self, rng, sizes=(2, 30, 3)):
        n_in, hidden, n_out = sizes
        self.params = [rng.standard_normal((n_in, hidden)) * np.sqrt(2.0 / n_in), np.zeros(hidden),
                       rng.standard_normal((hidden, n_out)) * np.sqrt(1.0 / hidden), np.zeros(n_out)]
        self.grads = [np.zeros_like(p) for p in self.params]

    def scores(self, x):
        W1, b1, W2, b2 = self.params
        self.x = x
        self.z = x @ W1 + b1
        self.h = np.maximum(self.z, 0)
        return self.h @ W2 + b2

    def loss(self, x, t):
        s = self.scores(x)
        s = s - s.max(axis=1, keepdims=True)
        log_p = s - np.log(np.exp(s).sum(axis=1, keepdims=True))
        self.probs, self.t = np.exp(log_p), t
        return float(-np.mean(log_p[np.arange(len(t)), t]))

    def backward(self):
        n = len(self.t)
        ds = self.probs.copy()
        ds[np.arange(n), self.t] -= 1
        ds /= n
        W2 = self.params[2]
        dz = (ds @ W2.T) * (self.z > 0)
        values = (self.x.T @ dz, dz.sum(axis=0), self.h.T @ ds, ds.sum(axis=0))
        for grad, value in zip(self.grads, values, strict=True):
            grad[...] = value
        return self.grads

    def accuracy(self, x, t):
        return float(np.mean(self.scores(x).argmax(axis=1) == t))
