"""Rosenblatt's perceptron: a linear threshold unit and its learning rule.

Labels are +1 and -1. The unit predicts +1 when w · x + b > 0 and -1 otherwise. The learning
rule looks at one sample at a time and changes the weights only when that sample is on the
wrong side of the line (or on it).
"""

import numpy as np


def predict(w, b, x):
    """+1 or -1 for every row of x (N, D)."""
    return np.where(x @ w + b > 0, 1, -1)


def update(w, b, x, y, lr):
    """One step of the learning rule on one sample x (D,) with label y (+1 or -1).

    Returns the new (w, b) and whether the sample was a mistake.
    """
    # >>> hole perceptron_update
    mistake = y * (x @ w + b) <= 0
    if mistake:
        w = w + lr * y * x
        b = b + lr * y
    # <<< hole perceptron_update
    return w, b, bool(mistake)


def train_epoch(w, b, x, y, lr, order):
    """One pass over the samples in `order`; returns (w, b, mistakes made in the pass)."""
    mistakes = 0
    for i in order:
        w, b, wrong = update(w, b, x[i], y[i], lr)
        mistakes += wrong
    return w, b, mistakes


def accuracy(w, b, x, y):
    return float(np.mean(predict(w, b, x) == y))
