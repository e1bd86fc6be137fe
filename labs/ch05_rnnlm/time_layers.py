"""The layers of an RNN language model (DLFS2 chapter 5), each over a whole sequence.

Every layer has `params`, `grads`, `forward` and `backward`; `backward` writes the gradients of
its parameters into `self.grads` in place (an optimizer holds those very arrays). Arrays carry
a time axis: `(N, T, ...)` is N sequences of T steps. Arrays take the dtype of the weights, so
the same code runs in float32 for training and in float64 for gradient checks.
"""

import numpy as np


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def softmax(x):
    x = x - x.max(axis=-1, keepdims=True)  # the same probabilities, no overflow
    e = np.exp(x)
    return e / e.sum(axis=-1, keepdims=True)


class RNN:
    """One step of a simple RNN: h_next = tanh(h_prev Wh + x Wx + b)."""

    def __init__(self, Wx, Wh, b):
        self.params = [Wx, Wh, b]
        self.grads = [np.zeros_like(Wx), np.zeros_like(Wh), np.zeros_like(b)]
        self.cache = None

    def forward(self, x, h_prev):
        Wx, Wh, b = self.params
        # >>> hole rnn_forward
        h_next = np.tanh(h_prev @ Wh + x @ Wx + b)
        # <<< hole rnn_forward
        self.cache = (x, h_prev, h_next)
        return h_next

    def backward(self, dh_next):
        Wx, Wh, b = self.params
        x, h_prev, h_next = self.cache
        # >>> hole rnn_backward
        dt = dh_next * (1 - h_next**2)  # tanh'(t) written with its output
        dWx = x.T @ dt
        dWh = h_prev.T @ dt
        db = dt.sum(axis=0)
        dx = dt @ Wx.T
        dh_prev = dt @ Wh.T
        # <<< hole rnn_backward
        self.grads[0][...] = dWx
        self.grads[1][...] = dWh
        self.grads[2][...] = db
        return dx, dh_prev


class TimeRNN:
    """T RNN steps over xs (N, T, D) -> hs (N, T, H). With `stateful`, the last h of one call
    is the first h of the next: truncated BPTT carries the state forward while the gradient
    stops at the edge of each block of T steps."""

    def __init__(self, Wx, Wh, b, stateful=False):
        self.params = [Wx, Wh, b]
        self.grads = [np.zeros_like(Wx), np.zeros_like(Wh), np.zeros_like(b)]
        self.layers = None
        self.h, self.dh = None, None
        self.stateful = stateful

    def forward(self, xs):
        Wx, Wh, b = self.params
        N, T, _ = xs.shape
        H = Wh.shape[0]
        if not self.stateful or self.h is None:
            self.h = np.zeros((N, H), dtype=Wh.dtype)
        hs = np.empty((N, T, H), dtype=Wh.dtype)
        self.layers = []
        for t in range(T):
            layer = RNN(*self.params)
            self.h = layer.forward(xs[:, t, :], self.h)
            hs[:, t, :] = self.h
            self.layers.append(layer)
        return hs

    def backward(self, dhs):
        Wx, Wh, b = self.params
        N, T, _ = dhs.shape
        dxs = np.empty((N, T, Wx.shape[0]), dtype=Wx.dtype)
        grads = [np.zeros_like(Wx), np.zeros_like(Wh), np.zeros_like(b)]
        dh = np.zeros_like(dhs[:, 0, :])
        for t in reversed(range(T)):
            layer = self.layers[t]
            # >>> hole time_rnn_backward
            dx, dh = layer.backward(dhs[:, t, :] + dh)
            dxs[:, t, :] = dx
            for k, grad in enumerate(layer.grads):
                grads[k] += grad
            # <<< hole time_rnn_backward
        for k, grad in enumerate(grads):
            self.grads[k][...] = grad
        self.dh = dh
        return dxs

    def set_state(self, h):
        self.h = h

    def reset_state(self):
        self.h = None


class TimeEmbedding:
    """Rows of W picked by word ids: xs (N, T) ints -> (N, T, D)."""

    def __init__(self, W):
        self.params = [W]
        self.grads = [np.zeros_like(W)]
        self.idx = None

    def forward(self, xs):
        self.idx = xs
        return self.params[0][xs]

    def backward(self, dout):
        dW = self.grads[0]
        dW[...] = 0
        np.add.at(dW, self.idx, dout)  # a word used twice gets both gradients added
        return None


class TimeAffine:
    """The same affine map at every step: (N, T, D) -> (N, T, M), as one (N*T, D) product."""

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
        N, T, M = dout.shape
        flat_dout = dout.reshape(N * T, M)
        self.grads[0][...] = self.x.reshape(N * T, -1).T @ flat_dout
        self.grads[1][...] = flat_dout.sum(axis=0)
        return dout @ W.T


class TimeSoftmaxWithLoss:
    """Softmax over the vocabulary at every step, then cross-entropy averaged over all N*T
    predictions."""

    def __init__(self):
        self.params, self.grads = [], []
        self.cache = None

    def forward(self, xs, ts):
        N, T, V = xs.shape
        ys = softmax(xs.reshape(N * T, V))
        flat_ts = ts.reshape(N * T)
        loss = -np.mean(np.log(ys[np.arange(N * T), flat_ts] + 1e-12))
        self.cache = (ys, flat_ts, (N, T, V))
        return float(loss)

    def backward(self, dout=1):
        ys, flat_ts, (N, T, V) = self.cache
        dx = ys.copy()
        dx[np.arange(N * T), flat_ts] -= 1
        dx *= dout / (N * T)
        return dx.reshape(N, T, V)
