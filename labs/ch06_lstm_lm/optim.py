"""Plain SGD and gradient clipping by the global norm (DLFS2 6.3)."""

import numpy as np


def clip_grads(grads, max_norm):
    """Scale every gradient in place by the same factor when their joint L2 norm is above
    max_norm, so the step keeps its direction but not its size. Returns the norm before
    clipping (the run plots it)."""
    # >>> hole clip_grads
    total_norm = np.sqrt(sum(np.sum(grad**2) for grad in grads))
    rate = max_norm / (total_norm + 1e-6)
    if rate < 1:
        for grad in grads:
            grad *= rate
    # <<< hole clip_grads
    return float(total_norm)


class SGD:
    def __init__(self, lr=0.01):
        self.lr = lr

    def update(self, params, grads):
        for param, grad in zip(params, grads):
            param -= self.lr * grad
