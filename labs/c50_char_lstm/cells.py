"""Recurrent cells written with PyTorch tensors, with the parameter names and shapes of
nn.RNNCell and nn.LSTMCell, so their weights can be copied across."""

import math

import torch
from torch import nn


def lstm_cell(x, h, c, weight_ih, weight_hh, bias_ih, bias_hh):
    """One LSTM step for a batch: x (N, I), h and c (N, H) -> the new (h, c).

    weight_ih (4H, I), weight_hh (4H, H), bias_ih and bias_hh (4H,) stack the parameters of the
    input, forget, cell and output gates in that order, as nn.LSTMCell does."""
    # >>> hole lstm_cell
    gates = x @ weight_ih.T + bias_ih + h @ weight_hh.T + bias_hh
    i, f, g, o = gates.chunk(4, dim=1)
    i, f, g, o = torch.sigmoid(i), torch.sigmoid(f), torch.tanh(g), torch.sigmoid(o)
    c_new = f * c + i * g
    h_new = o * torch.tanh(c_new)
    return h_new, c_new
    # <<< hole lstm_cell


def rnn_cell(x, h, weight_ih, weight_hh, bias_ih, bias_hh):
    """One step of the plain (Elman) RNN, as nn.RNNCell with tanh."""
    return torch.tanh(x @ weight_ih.T + bias_ih + h @ weight_hh.T + bias_hh)


class CharModel(nn.Module):
    """Embedding -> a recurrent cell unrolled over time -> logits over the next character."""

    def __init__(self, vocab, hidden, kind, embed=32):
        super().__init__()
        self.kind, self.hidden = kind, hidden
        gates = 4 if kind == "lstm" else 1
        bound = 1 / math.sqrt(hidden)  # nn.LSTMCell's initialisation
        self.embed = nn.Embedding(vocab, embed)
        self.weight_ih = nn.Parameter(torch.empty(gates * hidden, embed).uniform_(-bound, bound))
        self.weight_hh = nn.Parameter(torch.empty(gates * hidden, hidden).uniform_(-bound, bound))
        self.bias_ih = nn.Parameter(torch.empty(gates * hidden).uniform_(-bound, bound))
        self.bias_hh = nn.Parameter(torch.empty(gates * hidden).uniform_(-bound, bound))
        self.out = nn.Linear(hidden, vocab)

    def forward(self, tokens, state=None):
        """tokens (N, T) -> logits (N, T, vocab) and the last state (to carry on, detached)."""
        n = tokens.shape[0]
        if state is None:
            zeros = self.weight_hh.new_zeros(n, self.hidden)
            state = (zeros, zeros) if self.kind == "lstm" else (zeros,)
        weights = (self.weight_ih, self.weight_hh, self.bias_ih, self.bias_hh)
        outputs = []
        for x in self.embed(tokens).unbind(dim=1):
            if self.kind == "lstm":
                state = lstm_cell(x, *state, *weights)
            else:
                state = (rnn_cell(x, *state, *weights),)
            outputs.append(state[0])
        return self.out(torch.stack(outputs, dim=1)), tuple(s.detach() for s in state)
