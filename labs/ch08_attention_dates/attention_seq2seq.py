"""Seq2seq with attention (DLFS2 8.2): the decoder sees every encoder state, not only the last."""

import numpy as np
from attention import TimeAttention
from time_layers import TimeAffine, TimeEmbedding, TimeLSTM, TimeSoftmaxWithLoss


def _embedding(rng, V, D, dtype):
    return TimeEmbedding((rng.standard_normal((V, D)) / 100).astype(dtype))


def _lstm(rng, D, H, dtype, stateful):
    Wx = rng.standard_normal((D, 4 * H)) / np.sqrt(D)
    Wh = rng.standard_normal((H, 4 * H)) / np.sqrt(H)
    return TimeLSTM(Wx.astype(dtype), Wh.astype(dtype), np.zeros(4 * H, dtype=dtype), stateful)


class AttentionEncoder:
    """Question ids (N, T) -> all the hidden states hs (N, T, H)."""

    def __init__(self, V, D, H, rng, dtype=np.float32):
        self.embed = _embedding(rng, V, D, dtype)
        self.lstm = _lstm(rng, D, H, dtype, stateful=False)
        self.params = self.embed.params + self.lstm.params
        self.grads = self.embed.grads + self.lstm.grads

    def forward(self, xs):
        return self.lstm.forward(self.embed.forward(xs))

    def backward(self, dhs):
        self.embed.backward(self.lstm.backward(dhs))


class AttentionDecoder:
    """Starts from the encoder's last state; at each step the LSTM state attends over all the
    encoder states, and the context c with the LSTM state scores the next character."""

    def __init__(self, V, D, H, rng, dtype=np.float32):
        self.embed = _embedding(rng, V, D, dtype)
        self.lstm = _lstm(rng, D, H, dtype, stateful=True)
        self.attention = TimeAttention()
        W = rng.standard_normal((2 * H, V)) / np.sqrt(2 * H)
        self.affine = TimeAffine(W.astype(dtype), np.zeros(V, dtype=dtype))
        self.params, self.grads = [], []
        for layer in (self.embed, self.lstm, self.attention, self.affine):
            self.params += layer.params
            self.grads += layer.grads

    def scores(self, xs, enc_hs):
        dec_hs = self.lstm.forward(self.embed.forward(xs))
        c = self.attention.forward(enc_hs, dec_hs)
        return self.affine.forward(np.concatenate((c, dec_hs), axis=2))

    def forward(self, xs, enc_hs):
        self.lstm.set_state(enc_hs[:, -1])
        return self.scores(xs, enc_hs)

    def backward(self, dscore):
        dout = self.affine.backward(dscore)
        H = dout.shape[2] // 2
        dc, ddec_hs = dout[:, :, :H], dout[:, :, H:]
        denc_hs, ddec_hs_attention = self.attention.backward(dc)
        self.embed.backward(self.lstm.backward(ddec_hs + ddec_hs_attention))
        denc_hs = denc_hs.copy()
        denc_hs[:, -1] += self.lstm.dh  # the last encoder state was also the first LSTM state
        return denc_hs

    def generate(self, enc_hs, start_id, length):
        """Greedy decoding of N answers at once; also returns the attention weights
        (N, length, T) of every step."""
        self.lstm.set_state(enc_hs[:, -1])
        ids = np.full((enc_hs.shape[0], 1), start_id)
        sampled, weights = [], []
        for _ in range(length):
            ids = self.scores(ids, enc_hs).argmax(axis=2)
            sampled.append(ids[:, 0])
            weights.append(self.attention.attention_weights[0])
        return np.stack(sampled, axis=1), np.stack(weights, axis=1)


class AttentionSeq2seq:
    def __init__(self, V, D, H, rng, dtype=np.float32):
        self.encoder = AttentionEncoder(V, D, H, rng, dtype)
        self.decoder = AttentionDecoder(V, D, H, rng, dtype)
        self.loss_layer = TimeSoftmaxWithLoss()
        self.params = self.encoder.params + self.decoder.params
        self.grads = self.encoder.grads + self.decoder.grads

    def forward(self, xs, ts):
        enc_hs = self.encoder.forward(xs)
        score = self.decoder.forward(ts[:, :-1], enc_hs)
        return self.loss_layer.forward(score, ts[:, 1:])

    def backward(self, dout=1):
        self.encoder.backward(self.decoder.backward(self.loss_layer.backward(dout)))

    def generate(self, xs, start_id, length):
        return self.decoder.generate(self.encoder.forward(xs), start_id, length)
