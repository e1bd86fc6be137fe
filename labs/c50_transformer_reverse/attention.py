"""Scaled dot-product attention and the sinusoidal positional encoding, written out."""

import math

import torch


def scaled_dot_product_attention(q, k, v):
    """softmax(q kᵀ / sqrt(d)) v for q (..., Lq, d), k (..., Lk, d), v (..., Lk, dv): every
    query's output is a weighted average of the values, weighted by how well its key matches."""
    # >>> hole attention
    scores = q @ k.transpose(-2, -1) / math.sqrt(q.shape[-1])
    weights = torch.softmax(scores, dim=-1)
    return weights @ v
    # <<< hole attention


def positional_encoding(length, d_model):
    """(length, d_model): PE[pos, 2i] = sin(pos / 10000^(2i / d_model)) and
    PE[pos, 2i + 1] = cos(pos / 10000^(2i / d_model)), as in "Attention Is All You Need"."""
    # >>> hole positional_encoding
    position = torch.arange(length, dtype=torch.float32).unsqueeze(1)
    two_i = torch.arange(0, d_model, 2, dtype=torch.float32)
    angle = position / 10000 ** (two_i / d_model)
    pe = torch.zeros(length, d_model)
    pe[:, 0::2] = torch.sin(angle)
    pe[:, 1::2] = torch.cos(angle)
    return pe
    # <<< hole positional_encoding
