"""Attention with a mask, the causal mask and the sinusoidal positional encoding."""

import math

import torch


def causal_mask(length, device=None):
    """(length, length) booleans: True where query position i may attend to key position j."""
    # >>> hole causal_mask
    return torch.ones(length, length, dtype=torch.bool, device=device).tril()
    # <<< hole causal_mask


def scaled_dot_product_attention(q, k, v, mask=None):
    """softmax(q kᵀ / sqrt(d)) v, where `mask` (broadcast to the scores) is False at the
    (query, key) pairs that must get no weight: their scores become -inf before the softmax.
    The same convention as torch.nn.functional.scaled_dot_product_attention's boolean mask."""
    scores = q @ k.transpose(-2, -1) / math.sqrt(q.shape[-1])
    if mask is not None:
        scores = scores.masked_fill(~mask, float("-inf"))
    return torch.softmax(scores, dim=-1) @ v


def positional_encoding(length, d_model):
    """(length, d_model): sin(pos / 10000^(2i / d_model)) in even columns, cos in odd ones."""
    position = torch.arange(length, dtype=torch.float32).unsqueeze(1)
    angle = position / 10000 ** (torch.arange(0, d_model, 2, dtype=torch.float32) / d_model)
    pe = torch.zeros(length, d_model)
    pe[:, 0::2] = torch.sin(angle)
    pe[:, 1::2] = torch.cos(angle)
    return pe
