"""NumPy layers with forward and backward passes (the style of "Deep Learning from Scratch").

`forward(x, train)` takes `train`, because dropout and batch norm behave differently while
training and when predicting; `backward(dout)` returns the gradient with respect to the input
and keeps the parameters' gradients in `self.grads`.
"""

import numpy as np


class Affine:
    def __init__(self, W, b):
        self.params = [W, b]
        self.grads = [np.zeros_like(W), np.zeros_like(b)]
        self.x = None

    def forward(self, x, train=True):
        self.x = x
        return x @ self.params[0] + self.params[1]

    def backward(self, dout):
        self.grads[0][...] = self.x.T @ dout
        self.grads[1][...] = dout.sum(axis=0)
        return dout @ self.params[0].T


class Relu:
    params, grads = [], []

    def forward(self, x, train=True):
        self.mask = x > 0
        return x * self.mask

    def backward(self, dout):
        return dout * self.mask


class Dropout:
    """Inverted dropout: while training, each unit is zeroed with probability `ratio` and the
    kept ones are scaled by 1 / (1 - ratio), so nothing changes when predicting."""

    params, grads = [], []

    def __init__(self, ratio, rng):
        self.ratio = ratio
        self.rng = rng
        self.mask = None

    def forward(self, x, train=True):
        # >>> hole dropout_forward
        if not train:
            return x
        self.mask = self.rng.random(x.shape) >= self.ratio
        return x * self.mask / (1 - self.ratio)
        # <<< hole dropout_forward

    def backward(self, dout):
        # >>> hole dropout_backward
        return dout * self.mask / (1 - self.ratio)
        # <<< hole dropout_backward


class BatchNorm:
    """Normalise each feature over the batch, then scale by gamma and shift by beta; predict
    with running averages of the batch statistics."""

    def __init__(self, size, momentum=0.9, eps=1e-5):
        self.params = [np.ones(size), np.zeros(size)]
        self.grads = [np.zeros(size), np.zeros(size)]
        self.momentum, self.eps = momentum, eps
        self.running_mean, self.running_var = np.zeros(size), np.ones(size)

    def forward(self, x, train=True):
        gamma, beta = self.params
        if not train:
            return gamma * (x - self.running_mean) / np.sqrt(self.running_var + self.eps) + beta
        mean = x.mean(axis=0)
        self.centred = x - mean
        var = (self.centred**2).mean(axis=0)
        self.std = np.sqrt(var + self.eps)
        self.normed = self.centred / self.std
        self.running_mean = self.momentum * self.running_mean + (1 - self.momentum) * mean
        self.running_var = self.momentum * self.running_var + (1 - self.momentum) * var
        return gamma * self.normed + beta

    def backward(self, dout):
        gamma = self.params[0]
        n = len(dout)
        self.grads[0][...] = (self.normed * dout).sum(axis=0)
        self.grads[1][...] = dout.sum(axis=0)
        dnormed = gamma * dout
        return (n * dnormed - dnormed.sum(axis=0)
                - self.normed * (dnormed * self.normed).sum(axis=0)) / (n * self.std)


class SoftmaxWithLoss:
    """Softmax, then the mean cross-entropy against class indices `t`."""

    def forward(self, scores, t):
        shifted = scores - scores.max(axis=1, keepdims=True)
        e = np.exp(shifted)
        self.y = e / e.sum(axis=1, keepdims=True)
        self.t = t
        return -np.mean(np.log(self.y[np.arange(len(t)), t] + 1e-12))

    def backward(self):
        dx = self.y.copy()
        dx[np.arange(len(self.t)), self.t] -= 1
        return dx / len(self.t)
