"""A small transformer encoder built on attention.py: token embedding plus positional
encoding, then pre-norm layers of multi-head self-attention and a feed-forward network, each
added back to its input (residual connections)."""

from attention import positional_encoding, scaled_dot_product_attention
from torch import nn


class MultiHeadSelfAttention(nn.Module):
    def __init__(self, d_model, heads):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(d_model, 3 * d_model)
        self.proj = nn.Linear(d_model, d_model)

    def forward(self, x):
        n, length, d_model = x.shape
        q, k, v = self.qkv(x).split(d_model, dim=2)
        # (N, L, D) -> (N, heads, L, D / heads): each head attends on its own slice
        q, k, v = (t.view(n, length, self.heads, -1).transpose(1, 2) for t in (q, k, v))
        out = scaled_dot_product_attention(q, k, v)
        return self.proj(out.transpose(1, 2).reshape(n, length, d_model))


class EncoderLayer(nn.Module):
    def __init__(self, d_model, heads, d_ff):
        super().__init__()
        self.norm1, self.norm2 = nn.LayerNorm(d_model), nn.LayerNorm(d_model)
        self.attention = MultiHeadSelfAttention(d_model, heads)
        self.ff = nn.Sequential(nn.Linear(d_model, d_ff), nn.ReLU(), nn.Linear(d_ff, d_model))

    def forward(self, x):
        x = x + self.attention(self.norm1(x))
        return x + self.ff(self.norm2(x))


class Encoder(nn.Module):
    """(N, L) digit tokens -> (N, L, vocab) logits, one prediction per position."""

    def __init__(self, vocab, length, d_model=32, heads=4, d_ff=64, layers=2):
        super().__init__()
        self.d_model = d_model
        self.embed = nn.Embedding(vocab, d_model)
        self.register_buffer("pe", positional_encoding(length, d_model))
        self.layers = nn.ModuleList(EncoderLayer(d_model, heads, d_ff) for _ in range(layers))
        self.norm = nn.LayerNorm(d_model)
        self.out = nn.Linear(d_model, vocab)

    def forward(self, tokens):
        x = self.embed(tokens) + self.pe[: tokens.shape[1]]
        for layer in self.layers:
            x = layer(x)
        return self.out(self.norm(x))


def count(model):
    return sum(p.numel() for p in model.parameters())
