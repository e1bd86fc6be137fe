"""A two-layer perceptron for XOR with its backward pass written out by hand.

x (N, 2) -> z1 = x W1 + b1 -> h = tanh(z1) -> z2 = h W2 + b2 (N, 1), a logit per sample.
The loss is the mean binary cross-entropy of sigmoid(z2) against the targets t (N, 1) in {0, 1},
computed from the logit in one stable formula (as torch's binary_cross_entropy_with_logits is).
"""

import numpy as np


def sigmoid(z):
    return 0.5 * (1 + np.tanh(0.5 * z))  # = 1 / (1 + e^(-z)), without overflow


class MLP:
    def __init__(self, rng, hidden=8, scale=1.0):
        self.params = {
            "W1": scale * rng.standard_normal((2, hidden)),
            "b1": np.zeros(hidden),
            "W2": scale * rng.standard_normal((hidden, 1)) / np.sqrt(hidden),
            "b2": np.zeros(1),
        }
        self.grads = {name: np.zeros_like(value) for name, value in self.params.items()}
        self.cache = {}

    def forward(self, x):
        """The logits (N, 1); keeps what the backward pass needs."""
        p = self.params
        z1 = x @ p["W1"] + p["b1"]
        h = np.tanh(z1)
        z2 = h @ p["W2"] + p["b2"]
        self.cache = {"x": x, "h": h, "z2": z2}
        return z2

    def loss(self, x, t):
        z = self.forward(x)
        self.cache["t"] = t
        # mean of -[t log σ(z) + (1 - t) log(1 - σ(z))] = mean of max(z, 0) - z t + log(1 + e^-|z|)
        return float(np.mean(np.maximum(z, 0) - z * t + np.log1p(np.exp(-np.abs(z)))))

    def backward_output(self):
        """Gradients of the output layer; returns dz2 (N, 1), the gradient of the loss with
        respect to the logits."""
        h, z2, t = self.cache["h"], self.cache["z2"], self.cache["t"]
        W2 = self.params["W2"]
        # >>> hole output_backward
        n = len(t)
        dz2 = (sigmoid(z2) - t) / n
        dW2 = h.T @ dz2
        db2 = dz2.sum(axis=0)
        # <<< hole output_backward
        self.grads["W2"][...] = dW2
        self.grads["b2"][...] = db2
        return dz2 @ W2.T

    def backward_hidden(self, dh):
        """Gradients of the hidden layer, from dh (N, H), the gradient with respect to h."""
        x, h = self.cache["x"], self.cache["h"]
        # >>> hole hidden_backward
        dz1 = dh * (1 - h**2)
        dW1 = x.T @ dz1
        db1 = dz1.sum(axis=0)
        # <<< hole hidden_backward
        self.grads["W1"][...] = dW1
        self.grads["b1"][...] = db1

    def backward(self):
        self.backward_hidden(self.backward_output())
        return self.grads

    def predict(self, x):
        return (self.forward(x) > 0).astype(int)
