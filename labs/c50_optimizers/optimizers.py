"""Five optimizers in NumPy, each with the update rule and the defaults of its torch.optim
counterpart, so they can be checked against torch step by step.

`update(params, grads)` changes every array in `params` in place (the network holds the very
same arrays). State kept between steps (velocities, running averages) lives in lists with one
array per parameter, created at the first update.
"""

import numpy as np


def _zeros_like(params):
    return [np.zeros_like(p) for p in params]


class SGD:
    """torch.optim.SGD(lr): p ← p − lr · g."""

    def __init__(self, lr=0.1):
        self.lr = lr

    def update(self, params, grads):
        for i in range(len(params)):
            p, g = params[i], grads[i]
            # >>> hole sgd
            p -= self.lr * g
            # <<< hole sgd


class Momentum:
    """torch.optim.SGD(lr, momentum): b ← μ · b + g, p ← p − lr · b (b starts at 0)."""

    def __init__(self, lr=0.1, momentum=0.9):
        self.lr, self.momentum = lr, momentum
        self.b = None

    def update(self, params, grads):
        if self.b is None:
            self.b = _zeros_like(params)
        for i in range(len(params)):
            p, g, b = params[i], grads[i], self.b[i]
            # >>> hole momentum
            b *= self.momentum
            b += g
            p -= self.lr * b
            # <<< hole momentum


class AdaGrad:
    """torch.optim.Adagrad(lr, eps=1e-10): s ← s + g², p ← p − lr · g / (√s + eps)."""

    def __init__(self, lr=0.1, eps=1e-10):
        self.lr, self.eps = lr, eps
        self.sum_sq = None

    def update(self, params, grads):
        if self.sum_sq is None:
            self.sum_sq = _zeros_like(params)
        for i in range(len(params)):
            p, g, s = params[i], grads[i], self.sum_sq[i]
            # >>> hole adagrad
            s += g * g
            p -= self.lr * g / (np.sqrt(s) + self.eps)
            # <<< hole adagrad


class RMSprop:
    """torch.optim.RMSprop(lr, alpha=0.99, eps=1e-8): v ← α · v + (1 − α) · g²,
    p ← p − lr · g / (√v + eps)."""

    def __init__(self, lr=0.01, alpha=0.99, eps=1e-8):
        self.lr, self.alpha, self.eps = lr, alpha, eps
        self.square_avg = None

    def update(self, params, grads):
        if self.square_avg is None:
            self.square_avg = _zeros_like(params)
        for i in range(len(params)):
            p, g, v = params[i], grads[i], self.square_avg[i]
            # >>> hole rmsprop
            v *= self.alpha
            v += (1 - self.alpha) * g * g
            p -= self.lr * g / (np.sqrt(v) + self.eps)
            # <<< hole rmsprop


class Adam:
    """torch.optim.Adam(lr, betas=(0.9, 0.999), eps=1e-8), with bias correction."""

    def __init__(self, lr=0.01, beta1=0.9, beta2=0.999, eps=1e-8):
        self.lr, self.beta1, self.beta2, self.eps = lr, beta1, beta2, eps
        self.m = self.v = None
        self.t = 0

    def update(self, params, grads):
        if self.m is None:
            self.m, self.v = _zeros_like(params), _zeros_like(params)
        self.t += 1
        t = self.t
        for i in range(len(params)):
            p, g, m, v = params[i], grads[i], self.m[i], self.v[i]
            # >>> hole adam
            m *= self.beta1
            m += (1 - self.beta1) * g
            v *= self.beta2
            v += (1 - self.beta2) * g * g
            m_hat = m / (1 - self.beta1**t)
            v_hat = v / (1 - self.beta2**t)
            p -= self.lr * m_hat / (np.sqrt(v_hat) + self.eps)
            # <<< hole adam


OPTIMIZERS = {"sgd": SGD, "momentum": Momentum, "adagrad": AdaGrad, "rmsprop": RMSprop, "adam": Adam}
