"""The checks of each hole of ch08_attention_dates (never copied to the learner).

Forward holes are checked against the formula on random inputs; backward holes get their cache
from the reference's forward pass and are compared, in float64, with numerical gradients of
the reference's forward pass.
"""

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # small matrices: a 2nd thread only waits

import numpy as np  # noqa: E402

from studyterm import labkit  # noqa: E402

N, T, H = 3, 5, 4


def _case():
    rng = np.random.default_rng(20261202)
    hs, h = rng.standard_normal((N, T, H)), rng.standard_normal((N, H))
    a = rng.random((N, T))
    return rng, hs, h, a / a.sum(axis=1, keepdims=True)


@labkit.check("attention_weight_forward", "a = softmax over t of hs[:, t] · h; rows sum to 1")
def weight_values(learner, reference):
    _rng, hs, h, _a = _case()
    a = learner.attention.AttentionWeight().forward(hs, h)
    labkit.expect_shape("a", a, (N, T))
    scores = np.einsum("nth,nh->nt", hs, h)
    wanted = np.exp(scores) / np.exp(scores).sum(axis=1, keepdims=True)
    labkit.expect_close("a", a, wanted, rel_error=1e-9)


@labkit.check("attention_weight_backward", "dhs and dh match numerical gradients (float64)")
def weight_gradients(learner, reference):
    rng, hs, h, _a = _case()
    da = rng.standard_normal((N, T))
    step = reference.attention.AttentionWeight()
    step.forward(hs, h)
    layer = learner.attention.AttentionWeight()
    layer.cache = step.cache
    dhs, dh = layer.backward(da)

    def forward(_):
        return reference.attention.AttentionWeight().forward(hs, h)

    labkit.expect_close("dhs", dhs, labkit.numerical_gradient(forward, hs, dout=da), rel_error=1e-7)
    labkit.expect_close("dh", dh, labkit.numerical_gradient(forward, h, dout=da), rel_error=1e-7)


@labkit.check("weight_sum_forward", "c = sum over t of a[:, t] * hs[:, t]")
def sum_values(learner, reference):
    _rng, hs, _h, a = _case()
    c = learner.attention.WeightSum().forward(hs, a)
    labkit.expect_shape("c", c, (N, H))
    labkit.expect_close("c", c, np.einsum("nth,nt->nh", hs, a), rel_error=1e-9)


@labkit.check("weight_sum_backward", "dhs and da match numerical gradients (float64)")
def sum_gradients(learner, reference):
    rng, hs, _h, a = _case()
    dc = rng.standard_normal((N, H))
    step = reference.attention.WeightSum()
    step.forward(hs, a)
    layer = learner.attention.WeightSum()
    layer.cache = step.cache
    dhs, da = layer.backward(dc)

    def forward(_):
        return reference.attention.WeightSum().forward(hs, a)

    labkit.expect_close("dhs", dhs, labkit.numerical_gradient(forward, hs, dout=dc), rel_error=1e-7)
    labkit.expect_close("da", da, labkit.numerical_gradient(forward, a, dout=dc), rel_error=1e-7)
