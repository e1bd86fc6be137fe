"""Seq2seq (DLFS2 7.3-7.5): an LSTM encoder reads the question and hands its last hidden state
to an LSTM decoder that writes the answer; the peeky decoder also feeds that state into every
step. Greedy generation feeds each predicted character back as the next input.
"""

import numpy as np
from time_layers import TimeAffine, TimeEmbedding, TimeLSTM, TimeSoftmaxWithLoss


def _embedding(rng, V, D, dtype):
    return TimeEmbedding((rng.standard_normal((V, D)) / 100).astype(dtype))


def _lstm(rng, D, H, dtype, stateful):
    Wx = rng.standard_normal((D, 4 * H)) / np.sqrt(D)
    Wh = rng.standard_normal((H, 4 * H)) / np.sqrt(H)
    return TimeLSTM(Wx.astype(dtype), Wh.astype(dtype), np.zeros(4 * H, dtype=dtype), stateful)


def _affine(rng, H, V, dtype):
    W = rng.standard_normal((H, V)) / np.sqrt(H)
    return TimeAffine(W.astype(dtype), np.zeros(V, dtype=dtype))


def _collect(obj, layers):
    obj.params, obj.grads = [], []
    for layer in layers:
        obj.params += layer.params
        obj.grads += layer.grads


class Encoder:
    """Question ids (N, T) -> the last hidden state h (N, H), the whole question in one vector."""

    def __init__(self, V, D, H, rng, dtype=np.float32):
        self.embed = _embedding(rng, V, D, dtype)
        self.lstm = _lstm(rng, D, H, dtype, stateful=False)
        _collect(self, (self.embed, self.lstm))
        self.hs = None

    def forward(self, xs):
        self.hs = self.lstm.forward(self.embed.forward(xs))
        return self.hs[:, -1, :]

    def backward(self, dh):
        # >>> hole encoder_backward
        dhs = np.zeros_like(self.hs)
        dhs[:, -1, :] = dh
        dout = self.lstm.backward(dhs)
        self.embed.backward(dout)
        # <<< hole encoder_backward


class Decoder:
    """Starts from the encoder's h; at each step reads the previous answer character and
    scores the next one (N, T, V)."""

    def __init__(self, V, D, H, rng, dtype=np.float32):
        self.embed = _embedding(rng, V, D, dtype)
        self.lstm = _lstm(rng, D, H, dtype, stateful=True)
        self.affine = _affine(rng, H, V, dtype)
        _collect(self, (self.embed, self.lstm, self.affine))

    def scores(self, xs, h):
        """Scores for the steps xs, continuing from the LSTM's current state."""
        return self.affine.forward(self.lstm.forward(self.embed.forward(xs)))

    def forward(self, xs, h):
        self.lstm.set_state(h)
        return self.scores(xs, h)

    def backward(self, dscore):
        dout = self.lstm.backward(self.affine.backward(dscore))
        self.embed.backward(dout)
        return self.lstm.dh  # what reaches the initial state h: the encoder's output

    def generate(self, h, start_id, length):
        """Greedy decoding of N answers at once: ids (N, length)."""
        self.lstm.set_state(h)
        # >>> hole generate
        ids = np.full((h.shape[0], 1), start_id)
        sampled = []
        for _ in range(length):
            ids = self.scores(ids, h).argmax(axis=2)  # (N, 1): the next input
            sampled.append(ids[:, 0])
        # <<< hole generate
        return np.stack(sampled, axis=1)


class PeekyDecoder(Decoder):
    """The encoder's h is also concatenated to every step's LSTM input and affine input, so
    each step sees the question directly rather than only through the first state."""

    def __init__(self, V, D, H, rng, dtype=np.float32):
        self.embed = _embedding(rng, V, D, dtype)
        self.lstm = _lstm(rng, H + D, H, dtype, stateful=True)
        self.affine = _affine(rng, H + H, V, dtype)
        _collect(self, (self.embed, self.lstm, self.affine))
        self.H = H

    def scores(self, xs, h):
        N, T = xs.shape
        hs = np.repeat(h[:, None, :], T, axis=1)  # (N, T, H): h at every step
        out = np.concatenate((hs, self.embed.forward(xs)), axis=2)
        out = np.concatenate((hs, self.lstm.forward(out)), axis=2)
        return self.affine.forward(out)

    def backward(self, dscore):
        H = self.H
        dout = self.affine.backward(dscore)
        # >>> hole peeky_backward
        dhs_affine, dout = dout[:, :, :H], dout[:, :, H:]
        dout = self.lstm.backward(dout)
        dhs_lstm, dembed = dout[:, :, :H], dout[:, :, H:]
        self.embed.backward(dembed)
        dh = self.lstm.dh + dhs_affine.sum(axis=1) + dhs_lstm.sum(axis=1)
        # <<< hole peeky_backward
        return dh


class Seq2seq:
    def __init__(self, V, D, H, rng, peeky=False, dtype=np.float32):
        self.encoder = Encoder(V, D, H, rng, dtype)
        self.decoder = (PeekyDecoder if peeky else Decoder)(V, D, H, rng, dtype)
        self.loss_layer = TimeSoftmaxWithLoss()
        self.params = self.encoder.params + self.decoder.params
        self.grads = self.encoder.grads + self.decoder.grads

    def forward(self, xs, ts):
        """Teacher forcing: the decoder reads the true answer shifted by one ("_91" -> "91 ")."""
        h = self.encoder.forward(xs)
        score = self.decoder.forward(ts[:, :-1], h)
        return self.loss_layer.forward(score, ts[:, 1:])

    def backward(self, dout=1):
        self.encoder.backward(self.decoder.backward(self.loss_layer.backward(dout)))

    def generate(self, xs, start_id, length):
        return self.decoder.generate(self.encoder.forward(xs), start_id, length)
