"""The book's Rnnlm (DLFS2 6.4): embedding -> LSTM -> affine -> softmax, at every step."""

import numpy as np
from time_layers import TimeAffine, TimeEmbedding, TimeLSTM, TimeSoftmaxWithLoss


class Rnnlm:
    def __init__(self, vocab_size, wordvec_size, hidden_size, rng, dtype=np.float32):
        V, D, H = vocab_size, wordvec_size, hidden_size
        embed_W = rng.standard_normal((V, D)) / 100
        lstm_Wx = rng.standard_normal((D, 4 * H)) / np.sqrt(D)  # Xavier: keeps tanh out of saturation
        lstm_Wh = rng.standard_normal((H, 4 * H)) / np.sqrt(H)
        affine_W = rng.standard_normal((H, V)) / np.sqrt(H)
        self.layers = [
            TimeEmbedding(embed_W.astype(dtype)),
            TimeLSTM(lstm_Wx.astype(dtype), lstm_Wh.astype(dtype), np.zeros(4 * H, dtype=dtype),
                     stateful=True),
            TimeAffine(affine_W.astype(dtype), np.zeros(V, dtype=dtype)),
        ]
        self.loss_layer = TimeSoftmaxWithLoss()
        self.lstm_layer = self.layers[1]
        self.params, self.grads = [], []
        for layer in self.layers:
            self.params += layer.params
            self.grads += layer.grads

    def forward(self, xs, ts):
        for layer in self.layers:
            xs = layer.forward(xs)
        return self.loss_layer.forward(xs, ts)

    def backward(self, dout=1):
        dout = self.loss_layer.backward(dout)
        for layer in reversed(self.layers):
            dout = layer.backward(dout)
        return dout

    def reset_state(self):
        self.lstm_layer.reset_state()
