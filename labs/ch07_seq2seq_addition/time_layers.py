"""The sequence layers seq2seq is built from (DLFS2 chapters 5-7), each over a whole sequence.

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


class LSTM:
    """One LSTM step. The four gates' weights sit side by side in Wx (D, 4H), Wh (H, 4H) and
    b (4H,), in the book's order: forget f, candidate g, input i, output o."""

    def __init__(self, Wx, Wh, b):
        self.params = [Wx, Wh, b]
        self.grads = [np.zeros_like(Wx), np.zeros_like(Wh), np.zeros_like(b)]
        self.cache = None

    def forward(self, x, h_prev, c_prev):
        Wx, Wh, b = self.params
        H = h_prev.shape[1]
        A = x @ Wx + h_prev @ Wh + b
        f = sigmoid(A[:, :H])
        g = np.tanh(A[:, H : 2 * H])
        i = sigmoid(A[:, 2 * H : 3 * H])
        o = sigmoid(A[:, 3 * H :])
        c_next = f * c_prev + g * i
        h_next = o * np.tanh(c_next)
        self.cache = (x, h_prev, c_prev, f, g, i, o, c_next)
        return h_next, c_next

    def backward(self, dh_next, dc_next):
        Wx, Wh, b = self.params
        x, h_prev, c_prev, f, g, i, o, c_next = self.cache
        tanh_c = np.tanh(c_next)
        ds = dc_next + dh_next * o * (1 - tanh_c**2)  # both paths into c_next
        dc_prev = ds * f
        df = ds * c_prev * f * (1 - f)
        dg = ds * i * (1 - g**2)
        di = ds * g * i * (1 - i)
        do = dh_next * tanh_c * o * (1 - o)
        dA = np.hstack((df, dg, di, do))
        self.grads[0][...] = x.T @ dA
        self.grads[1][...] = h_prev.T @ dA
        self.grads[2][...] = dA.sum(axis=0)
        dx = dA @ Wx.T
        dh_prev = dA @ Wh.T
        return dx, dh_prev, dc_prev


class TimeLSTM:
    """T LSTM steps over xs (N, T, D) -> hs (N, T, H). With `stateful`, h and c carry over from
    one forward call to the next (truncated BPTT: the state flows on, gradients stop)."""

    def __init__(self, Wx, Wh, b, stateful=False):
        self.params = [Wx, Wh, b]
        self.grads = [np.zeros_like(Wx), np.zeros_like(Wh), np.zeros_like(b)]
        self.layers = None
        self.h, self.c, self.dh = None, None, None
        self.stateful = stateful

    def forward(self, xs):
        Wx, Wh, b = self.params
        N, T, _ = xs.shape
        H = Wh.shape[0]
        if not self.stateful or self.h is None:
            self.h = np.zeros((N, H), dtype=Wh.dtype)
        if not self.stateful or self.c is None:
            self.c = np.zeros((N, H), dtype=Wh.dtype)
        hs = np.empty((N, T, H), dtype=Wh.dtype)
        self.layers = []
        for t in range(T):
            layer = LSTM(*self.params)
            self.h, self.c = layer.forward(xs[:, t, :], self.h, self.c)
            hs[:, t, :] = self.h
            self.layers.append(layer)
        return hs

    def backward(self, dhs):
        Wx, Wh, b = self.params
        N, T, _ = dhs.shape
        dxs = np.empty((N, T, Wx.shape[0]), dtype=Wx.dtype)
        dh, dc = 0, 0
        grads = [0, 0, 0]
        for t in reversed(range(T)):
            layer = self.layers[t]
            dx, dh, dc = layer.backward(dhs[:, t, :] + dh, dc)
            dxs[:, t, :] = dx
            for k, grad in enumerate(layer.grads):
                grads[k] += grad
        for k, grad in enumerate(grads):
            self.grads[k][...] = grad
        self.dh = dh  # the gradient with respect to the initial h (seq2seq's encoder needs it)
        return dxs

    def set_state(self, h, c=None):
        self.h, self.c = h, c

    def reset_state(self):
        self.h, self.c = None, None


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
