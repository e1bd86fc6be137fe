"""The layers of the checked network, each with `params`, `grads`, `forward` and `backward`.

`backward(dout)` takes the gradient of the loss with respect to the layer's output and returns
the gradient with respect to its input, writing its parameters' gradients into `self.grads`.
"""

import numpy as np


class Affine:
    def __init__(self, W, b):
        self.params = [W, b]
        self.grads = [np.zeros_like(W), np.zeros_like(b)]
        self.x = None

    def forward(self, x):
        W, b = self.params
        self.x = x
        return x @ W + b

    def backward(self, dout):
        W, b = self.params
        # >>> hole affine_backward
        dx = dout @ W.T
        dW = self.x.T @ dout
        db = dout.sum(axis=0)
        # <<< hole affine_backward
        self.grads[0][...] = dW
        self.grads[1][...] = db
        return dx


class Sigmoid:
    def __init__(self):
        self.params, self.grads = [], []
        self.out = None

    def forward(self, x):
        self.out = 1 / (1 + np.exp(-x))
        return self.out

    def backward(self, dout):
        # >>> hole sigmoid_backward
        dx = dout * self.out * (1 - self.out)
        # <<< hole sigmoid_backward
        return dx


class Relu:
    def __init__(self):
        self.params, self.grads = [], []
        self.mask = None

    def forward(self, x):
        self.mask = x > 0
        return np.where(self.mask, x, 0)

    def backward(self, dout):
        # >>> hole relu_backward
        dx = dout * self.mask
        # <<< hole relu_backward
        return dx


class SoftmaxCrossEntropy:
    """Softmax, then the mean cross-entropy over the batch; `t` holds class indices."""

    def __init__(self):
        self.params, self.grads = [], []
        self.y = None
        self.t = None

    def forward(self, scores, t):
        shifted = scores - scores.max(axis=1, keepdims=True)
        e = np.exp(shifted)
        self.y = e / e.sum(axis=1, keepdims=True)
        self.t = t
        return -np.mean(np.log(self.y[np.arange(len(t)), t]))

    def backward(self, dout=1):
        # >>> hole softmax_cross_entropy_backward
        n = len(self.t)
        dx = self.y.copy()
        dx[np.arange(n), self.t] -= 1
        dx *= dout / n
        # <<< hole softmax_cross_entropy_backward
        return dx
