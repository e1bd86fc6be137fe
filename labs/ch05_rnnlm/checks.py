"""The checks of each hole of ch05_rnnlm (never copied to the learner).

Every gradient is compared, in float64, with a numerical gradient of the reference's forward
pass. Each hole is checked on its own: RNN.backward gets its cache set by hand from the
reference's forward pass, and TimeRNN.backward runs over RNN steps the reference built.
"""

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # small matrices: a 2nd thread only waits

import numpy as np  # noqa: E402

from studyterm import labkit  # noqa: E402

N, D, H, T = 3, 4, 5, 4


def _weights(rng):
    return (rng.standard_normal((D, H)) / np.sqrt(D), rng.standard_normal((H, H)) / np.sqrt(H),
            0.1 * rng.standard_normal(H))


def _rng():
    return np.random.default_rng(20261202)


@labkit.check("rnn_forward", "h_next = tanh(h_prev Wh + x Wx + b) on random inputs")
def rnn_forward_values(learner, reference):
    rng = _rng()
    Wx, Wh, b = _weights(rng)
    x, h_prev = rng.standard_normal((N, D)), rng.standard_normal((N, H))
    h_next = learner.time_layers.RNN(Wx, Wh, b).forward(x, h_prev)
    labkit.expect_shape("h_next", h_next, (N, H))
    labkit.expect_close("h_next", h_next, np.tanh(h_prev @ Wh + x @ Wx + b), rel_error=1e-9)


def _rnn_case(learner, reference):
    rng = _rng()
    Wx, Wh, b = _weights(rng)
    x, h_prev = rng.standard_normal((N, D)), rng.standard_normal((N, H))
    dh_next = rng.standard_normal((N, H))
    layer = learner.time_layers.RNN(Wx.copy(), Wh.copy(), b.copy())
    h_next = reference.time_layers.RNN(Wx, Wh, b).forward(x, h_prev)
    layer.cache = (x, h_prev, h_next)
    dx, dh_prev = layer.backward(dh_next)

    def numeric(target):
        def forward(_):
            return reference.time_layers.RNN(Wx, Wh, b).forward(x, h_prev)

        return labkit.numerical_gradient(forward, target, dout=dh_next)

    wanted = {"dx": numeric(x), "dh_prev": numeric(h_prev), "dWx": numeric(Wx),
              "dWh": numeric(Wh), "db": numeric(b)}
    return layer, dx, dh_prev, wanted


@labkit.check("rnn_backward", "dx and dh_prev match numerical gradients (float64)")
def rnn_backward_inputs(learner, reference):
    _layer, dx, dh_prev, wanted = _rnn_case(learner, reference)
    labkit.expect_close("dx", dx, wanted["dx"], rel_error=1e-7)
    labkit.expect_close("dh_prev", dh_prev, wanted["dh_prev"], rel_error=1e-7)


@labkit.check("rnn_backward", "dWx, dWh and db (in self.grads) match numerical gradients")
def rnn_backward_weights(learner, reference):
    layer, _dx, _dh_prev, wanted = _rnn_case(learner, reference)
    for name, grad in zip(("dWx", "dWh", "db"), layer.grads, strict=True):
        labkit.expect_close(name, grad, wanted[name], rel_error=1e-7)


def _time_case(learner, reference):
    """Learner's TimeRNN.backward over the reference's RNN steps, and numerical gradients of
    the reference's TimeRNN, starting from a given hidden state h0."""
    rng = _rng()
    Wx, Wh, b = _weights(rng)
    xs, h0 = rng.standard_normal((N, T, D)), rng.standard_normal((N, H))
    dhs = rng.standard_normal((N, T, H))

    def run_reference(_=None):
        layer = reference.time_layers.TimeRNN(Wx, Wh, b, stateful=True)
        layer.set_state(h0.copy())
        return layer, layer.forward(xs)

    steps, _hs = run_reference()
    layer = learner.time_layers.TimeRNN(Wx.copy(), Wh.copy(), b.copy(), stateful=True)
    layer.layers = steps.layers
    dxs = layer.backward(dhs)

    def numeric(target):
        return labkit.numerical_gradient(lambda _: run_reference()[1], target, dout=dhs)

    wanted = {"dxs": numeric(xs), "dh (to h0)": numeric(h0), "dWx": numeric(Wx),
              "dWh": numeric(Wh), "db": numeric(b)}
    return layer, dxs, wanted


@labkit.check("time_rnn_backward", "dxs and the gradient reaching h0 match numerical gradients")
def time_rnn_inputs(learner, reference):
    layer, dxs, wanted = _time_case(learner, reference)
    labkit.expect_close("dxs", dxs, wanted["dxs"], rel_error=1e-7)
    labkit.expect_close("dh (to h0)", layer.dh, wanted["dh (to h0)"], rel_error=1e-7)


@labkit.check("time_rnn_backward", "dWx, dWh and db add up over the T steps")
def time_rnn_weights(learner, reference):
    layer, _dxs, wanted = _time_case(learner, reference)
    for name, grad in zip(("dWx", "dWh", "db"), layer.grads, strict=True):
        labkit.expect_close(name, grad, wanted[name], rel_error=1e-7)
