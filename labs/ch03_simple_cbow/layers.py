"""The layers SimpleCBOW is built from (DLFS2 chapters 1 and 3), each with `params`, `grads`,
`forward` and `backward`; `backward` writes its parameters' gradients into `self.grads`."""

import numpy as np


class MatMul:
    """out = x W, no bias. With one-hot rows in x, x W picks rows of W (chapter 4 makes that
    an Embedding lookup)."""

    def __init__(self, W):
        self.params = [W]
        self.grads = [np.zeros_like(W)]
        self.x = None

    def forward(self, x):
        (W,) = self.params
        self.x = x
        return x @ W

    def backward(self, dout):
        (W,) = self.params
        self.grads[0][...] = self.x.T @ dout
        return dout @ W.T


def softmax(x):
    x = x - x.max(axis=1, keepdims=True)
    e = np.exp(x)
    return e / e.sum(axis=1, keepdims=True)


class SoftmaxWithLoss:
    """Softmax, then the mean cross-entropy over the batch; `t` holds class indices."""

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
