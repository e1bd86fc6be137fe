"""Attention (DLFS2 8.1): at each decoder step, weigh every encoder state by how well it matches
the decoder's state, and pass on their weighted sum, the context vector.

Shapes: hs (N, T, H) are the encoder's states for T input characters, h (N, H) the decoder's
state at one step, a (N, T) the attention weights (each row sums to 1), c (N, H) the context.
"""

import numpy as np
from time_layers import softmax


class AttentionWeight:
    """a = softmax over t of the dot products hs[:, t] · h."""

    def __init__(self):
        self.params, self.grads = [], []
        self.cache = None

    def forward(self, hs, h):
        # >>> hole attention_weight_forward
        scores = np.sum(hs * h[:, None, :], axis=2)  # (N, T)
        a = softmax(scores)
        # <<< hole attention_weight_forward
        self.cache = (hs, h, a)
        return a

    def backward(self, da):
        hs, h, a = self.cache
        # >>> hole attention_weight_backward
        dscores = a * (da - np.sum(da * a, axis=1, keepdims=True))  # back through softmax
        dhs = dscores[:, :, None] * h[:, None, :]
        dh = np.sum(dscores[:, :, None] * hs, axis=1)
        # <<< hole attention_weight_backward
        return dhs, dh


class WeightSum:
    """c = the sum over t of a[:, t] * hs[:, t]."""

    def __init__(self):
        self.params, self.grads = [], []
        self.cache = None

    def forward(self, hs, a):
        # >>> hole weight_sum_forward
        c = np.sum(hs * a[:, :, None], axis=1)
        # <<< hole weight_sum_forward
        self.cache = (hs, a)
        return c

    def backward(self, dc):
        hs, a = self.cache
        # >>> hole weight_sum_backward
        dhs = dc[:, None, :] * a[:, :, None]
        da = np.sum(hs * dc[:, None, :], axis=2)
        # <<< hole weight_sum_backward
        return dhs, da


class Attention:
    def __init__(self):
        self.params, self.grads = [], []
        self.weight = AttentionWeight()
        self.weight_sum = WeightSum()
        self.attention_weight = None

    def forward(self, hs, h):
        a = self.weight.forward(hs, h)
        self.attention_weight = a
        return self.weight_sum.forward(hs, a)

    def backward(self, dc):
        dhs_sum, da = self.weight_sum.backward(dc)
        dhs_weight, dh = self.weight.backward(da)
        return dhs_sum + dhs_weight, dh


class TimeAttention:
    """One Attention per decoder step, all over the same encoder states."""

    def __init__(self):
        self.params, self.grads = [], []
        self.layers = None
        self.attention_weights = None

    def forward(self, hs_enc, hs_dec):
        out = np.empty_like(hs_dec)
        self.layers, self.attention_weights = [], []
        for t in range(hs_dec.shape[1]):
            layer = Attention()
            out[:, t, :] = layer.forward(hs_enc, hs_dec[:, t, :])
            self.layers.append(layer)
            self.attention_weights.append(layer.attention_weight)
        return out

    def backward(self, dout):
        dhs_enc = 0
        dhs_dec = np.empty_like(dout)
        for t, layer in enumerate(self.layers):
            dhs, dh = layer.backward(dout[:, t, :])
            dhs_enc = dhs_enc + dhs  # every step read all the encoder states
            dhs_dec[:, t, :] = dh
        return dhs_enc, dhs_dec
