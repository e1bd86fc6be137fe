"""Adam and gradient clipping, as the book's trainer uses them for seq2seq."""

import numpy as np


def clip_grads(grads, max_norm):
    """Scale every gradient by the same factor so that their joint L2 norm is at most
    max_norm; return the norm before clipping."""
    total_norm = np.sqrt(sum(float(np.sum(grad**2)) for grad in grads))
    rate = max_norm / (total_norm + 1e-6)
    if rate < 1:
        for grad in grads:
            grad *= rate
    return total_norm


class Adam:
    def __init__(self, lr=0.001, beta1=0.9, beta2=0.999):
        self.lr, self.beta1, self.beta2 = lr, beta1, beta2
        self.iter = 0
        self.m, self.v = None, None

    def update(self, params, grads):
        if self.m is None:
            self.m = [np.zeros_like(p) for p in params]
            self.v = [np.zeros_like(p) for p in params]
        self.iter += 1
        lr_t = self.lr * np.sqrt(1 - self.beta2**self.iter) / (1 - self.beta1**self.iter)
        for p, g, m, v in zip(params, grads, self.m, self.v):
            m += (1 - self.beta1) * (g - m)
            v += (1 - self.beta2) * (g**2 - v)
            p -= lr_t * m / (np.sqrt(v) + 1e-7)
