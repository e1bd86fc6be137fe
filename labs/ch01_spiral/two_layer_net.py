"""Affine -> Sigmoid -> Affine, with softmax and cross-entropy as the loss (DLFS2 1.4)."""

import numpy as np
from layers import Affine, Sigmoid, SoftmaxWithLoss


class TwoLayerNet:
    def __init__(self, input_size, hidden_size, output_size, rng):
        W1 = 0.01 * rng.standard_normal((input_size, hidden_size))
        b1 = np.zeros(hidden_size)
        W2 = 0.01 * rng.standard_normal((hidden_size, output_size))
        b2 = np.zeros(output_size)
        self.layers = [Affine(W1, b1), Sigmoid(), Affine(W2, b2)]
        self.loss_layer = SoftmaxWithLoss()
        # One list of every weight and one of every gradient: the very arrays the layers hold,
        # so an optimizer that changes them in place trains the layers.
        self.params, self.grads = [], []
        for layer in self.layers:
            self.params += layer.params
            self.grads += layer.grads

    def predict(self, x):
        for layer in self.layers:
            x = layer.forward(x)
        return x

    def forward(self, x, t):
        return self.loss_layer.forward(self.predict(x), t)

    def backward(self, dout=1):
        dout = self.loss_layer.backward(dout)
        for layer in reversed(self.layers):
            dout = layer.backward(dout)
        return dout

    def accuracy(self, x, t):
        return float(np.mean(self.predict(x).argmax(axis=1) == t))
