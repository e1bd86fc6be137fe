"""The book's SimpleRnnlm (DLFS2 5.5): embedding -> RNN -> affine -> softmax, at every step."""

import numpy as np
from time_layers import TimeAffine, TimeEmbedding, TimeRNN, TimeSoftmaxWithLoss


class SimpleRnnlm:
    def __init__(self, vocab_size, wordvec_size, hidden_size, rng, dtype=np.float32):
        V, D, H = vocab_size, wordvec_size, hidden_size
        embed_W = rng.standard_normal((V, D)) / 100
        rnn_Wx = rng.standard_normal((D, H)) / np.sqrt(D)  # Xavier: keeps tanh out of saturation
        rnn_Wh = rng.standard_normal((H, H)) / np.sqrt(H)
        affine_W = rng.standard_normal((H, V)) / np.sqrt(H)
        self.layers = [
            TimeEmbedding(embed_W.astype(dtype)),
            TimeRNN(rnn_Wx.astype(dtype), rnn_Wh.astype(dtype), np.zeros(H, dtype=dtype),
                    stateful=True),
            TimeAffine(affine_W.astype(dtype), np.zeros(V, dtype=dtype)),
        ]
        self.loss_layer = TimeSoftmaxWithLoss()
        self.rnn_layer = self.layers[1]
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
        self.rnn_layer.reset_state()
