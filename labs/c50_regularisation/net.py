"""A multi-layer network of the layers in layers.py, with optional dropout, batch norm and L2
weight decay, and the Adam update in NumPy."""

import numpy as np
from layers import Affine, BatchNorm, Dropout, Relu, SoftmaxWithLoss


class Net:
    def __init__(self, sizes, rng, init_std=None, weight_decay=0.0, dropout=0.0,
                 batchnorm=False):
        """sizes: [inputs, hidden..., classes]. init_std None: He initialisation."""
        self.weight_decay = weight_decay
        self.layers, self.affines = [], []
        for i, (n_in, n_out) in enumerate(zip(sizes, sizes[1:])):
            std = np.sqrt(2.0 / n_in) if init_std is None else init_std
            affine = Affine(std * rng.standard_normal((n_in, n_out)), np.zeros(n_out))
            self.affines.append(affine)
            self.layers.append(affine)
            if i == len(sizes) - 2:
                break
            if batchnorm:
                self.layers.append(BatchNorm(n_out))
            self.layers.append(Relu())
            if dropout > 0:
                self.layers.append(Dropout(dropout, rng))
        self.loss_layer = SoftmaxWithLoss()

    def params(self):
        return [p for layer in self.layers for p in layer.params]

    def grads(self):
        return [g for layer in self.layers for g in layer.grads]

    def scores(self, x, train=False):
        for layer in self.layers:
            x = layer.forward(x, train)
        return x

    def loss(self, x, t, train=True):
        """The cross-entropy plus the L2 penalty (weight_decay / 2) * sum of squared weights."""
        data_loss = self.loss_layer.forward(self.scores(x, train), t)
        penalty = sum(np.sum(a.params[0] ** 2) for a in self.affines)
        return data_loss + 0.5 * self.weight_decay * penalty

    def gradient(self, x, t):
        """Forward (training mode) and backward; fills every layer's grads, returns the loss."""
        loss = self.loss(x, t, train=True)
        dout = self.loss_layer.backward()
        for layer in reversed(self.layers):
            dout = layer.backward(dout)
        # >>> hole l2_gradient
        for affine in self.affines:
            affine.grads[0] += self.weight_decay * affine.params[0]
        # <<< hole l2_gradient
        return loss

    def accuracy(self, x, t):
        return float(np.mean(self.scores(x, train=False).argmax(axis=1) == t))


class Adam:
    def __init__(self, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
        self.lr, self.beta1, self.beta2, self.eps = lr, beta1, beta2, eps
        self.m = self.v = None
        self.t = 0

    def update(self, params, grads):
        if self.m is None:
            self.m = [np.zeros_like(p) for p in params]
            self.v = [np.zeros_like(p) for p in params]
        self.t += 1
        for p, g, m, v in zip(params, grads, self.m, self.v):
            m += (1 - self.beta1) * (g - m)
            v += (1 - self.beta2) * (g**2 - v)
            m_hat = m / (1 - self.beta1**self.t)
            v_hat = v / (1 - self.beta2**self.t)
            p -= self.lr * m_hat / (np.sqrt(v_hat) + self.eps)

