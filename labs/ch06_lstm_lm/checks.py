"""The checks of each hole of ch06_lstm_lm (never copied to the learner).

LSTM.backward gets its cache from the reference's forward pass and is compared, in float64,
with numerical gradients of the reference's forward pass; clip_grads is checked on arrays with
a known norm. (The whole TimeLSTM is compared with torch.nn.LSTM when the lab runs.)
"""

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # small matrices: a 2nd thread only waits

import numpy as np  # noqa: E402

from studyterm import labkit  # noqa: E402

N, D, H = 3, 4, 5


def _rng():
    return np.random.default_rng(20261202)


def _lstm_case(learner, reference):
    rng = _rng()
    Wx = rng.standard_normal((D, 4 * H)) / np.sqrt(D)
    Wh = rng.standard_normal((H, 4 * H)) / np.sqrt(H)
    b = 0.1 * rng.standard_normal(4 * H)
    x, h_prev, c_prev = (rng.standard_normal((N, D)), rng.standard_normal((N, H)),
                         rng.standard_normal((N, H)))
    dh_next, dc_next = rng.standard_normal((N, H)), rng.standard_normal((N, H))
    step = reference.time_layers.LSTM(Wx, Wh, b)
    step.forward(x, h_prev, c_prev)
    layer = learner.time_layers.LSTM(Wx.copy(), Wh.copy(), b.copy())
    layer.cache = step.cache
    dx, dh_prev, dc_prev = layer.backward(dh_next, dc_next)

    def numeric(target):
        def outputs(_):
            h_next, c_next = reference.time_layers.LSTM(Wx, Wh, b).forward(x, h_prev, c_prev)
            return np.concatenate([h_next, c_next], axis=1)

        return labkit.numerical_gradient(outputs, target, dout=np.concatenate([dh_next, dc_next], 1))

    wanted = {"dx": numeric(x), "dh_prev": numeric(h_prev), "dc_prev": numeric(c_prev),
              "dWx": numeric(Wx), "dWh": numeric(Wh), "db": numeric(b)}
    return layer, {"dx": dx, "dh_prev": dh_prev, "dc_prev": dc_prev}, wanted


@labkit.check("lstm_backward", "dc_prev, dh_prev and dx match numerical gradients (float64)")
def lstm_inputs(learner, reference):
    _layer, got, wanted = _lstm_case(learner, reference)
    for name in ("dc_prev", "dh_prev", "dx"):
        labkit.expect_close(name, got[name], wanted[name], rel_error=1e-7)


@labkit.check("lstm_backward", "dWx, dWh and db (gates f, g, i, o) match numerical gradients")
def lstm_weights(learner, reference):
    layer, _got, wanted = _lstm_case(learner, reference)
    for name, grad in zip(("dWx", "dWh", "db"), layer.grads, strict=True):
        labkit.expect_close(name, grad, wanted[name], rel_error=1e-7)


def _grads(rng):
    return [rng.standard_normal((3, 4)), rng.standard_normal(4), rng.standard_normal((2, 2))]


@labkit.check("clip_grads", "above max_norm: every gradient scaled in place by one factor")
def clip_above(learner, reference):
    grads = _grads(_rng())
    before = [g.copy() for g in grads]
    norm = np.sqrt(sum(np.sum(g**2) for g in before))
    returned = learner.optim.clip_grads(grads, 1.0)
    labkit.expect_close("the returned norm (before clipping)", np.float64(returned), norm,
                        rel_error=1e-9)
    labkit.expect_true(any(not np.array_equal(g, b) for g, b in zip(grads, before, strict=True)),
                       "the gradients did not change: scale them in place (grad *= rate); "
                       "`grad = grad * rate` only rebinds a name")
    rate = 1.0 / (norm + 1e-6)
    for k, (grad, old) in enumerate(zip(grads, before, strict=True)):
        labkit.expect_close(f"grads[{k}]", grad, old * rate, rel_error=1e-9)
    clipped = np.sqrt(sum(np.sum(g**2) for g in grads))
    labkit.expect_close("the norm after clipping", clipped, 1.0, rel_error=1e-5)


@labkit.check("clip_grads", "at or below max_norm: the gradients stay as they are")
def clip_below(learner, reference):
    grads = _grads(_rng())
    before = [g.copy() for g in grads]
    norm = np.sqrt(sum(np.sum(g**2) for g in before))
    returned = learner.optim.clip_grads(grads, 2 * norm)
    labkit.expect_close("the returned norm", np.float64(returned), norm, rel_error=1e-9)
    for k, (grad, old) in enumerate(zip(grads, before, strict=True)):
        labkit.expect_close(f"grads[{k}] (norm {norm:.2f} is below max_norm {2 * norm:.2f})",
                            grad, old, rel_error=0)
