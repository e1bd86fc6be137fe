"""The checks of each hole of c50_transformer_reverse (never copied to the learner): attention
against torch.nn.functional.scaled_dot_product_attention in float64, the positional encoding
against the paper's formula computed here in float64."""

import math

from studyterm import labkit


@labkit.check("attention", "matches F.scaled_dot_product_attention (float64), batched and "
                           "with heads, queries and keys of different lengths")
def matches_sdpa(learner, reference):
    torch = labkit.require("torch")
    generator = torch.Generator().manual_seed(4)
    for q_shape, kv_length, dv in (((2, 3, 5, 4), 6, 7), ((3, 8), 3, 2)):
        *lead, _, d = q_shape
        q = torch.randn(*q_shape, generator=generator, dtype=torch.float64) * 2
        k = torch.randn(*lead, kv_length, d, generator=generator, dtype=torch.float64) * 2
        v = torch.randn(*lead, kv_length, dv, generator=generator, dtype=torch.float64)
        want = torch.nn.functional.scaled_dot_product_attention(q, k, v)
        got = learner.attention.scaled_dot_product_attention(q, k, v)
        labkit.expect_close(f"the output for q {tuple(q.shape)}, k {tuple(k.shape)}, "
                            f"v {tuple(v.shape)}", got.detach().numpy(), want.numpy(),
                            rel_error=1e-9)


def _formula(length, d_model):
    rows = []
    for pos in range(length):
        row = []
        for column in range(d_model):
            angle = pos / 10000 ** ((column - column % 2) / d_model)
            row.append(math.sin(angle) if column % 2 == 0 else math.cos(angle))
        rows.append(row)
    return rows


@labkit.check("positional_encoding", "PE[pos, 2i] = sin(pos / 10000^(2i/d)), "
                                     "PE[pos, 2i+1] = cos(...), shape (length, d_model)")
def matches_formula(learner, reference):
    import numpy as np

    for length, d_model in ((8, 32), (50, 6)):
        got = learner.attention.positional_encoding(length, d_model)
        values = np.asarray(got.detach().cpu().double().numpy())
        labkit.expect_shape(f"positional_encoding({length}, {d_model})", values,
                            (length, d_model))
        want = np.array(_formula(length, d_model))
        wrong = np.argwhere(np.abs(values - want) > 1e-5)
        if len(wrong):
            row, column = (int(i) for i in wrong[0])
            raise labkit.CheckFailed(
                f"positional_encoding({length}, {d_model})[{row}, {column}] is "
                f"{values[row, column]:.6g}, want {want[row, column]:.6g}")
