"""The checks of each hole of ch01_spiral (never copied to the learner).

Each check builds its layer from the learner's code and anything else it needs from the
reference, so a hole is checked on its own: Sigmoid.backward is checked with the sigmoid's
output set by hand, not with the learner's forward pass. Gradients are compared with numerical
gradients of the reference's forward pass, in float64.
"""

import numpy as np

from studyterm import labkit


def _rng():
    return np.random.default_rng(20261121)


@labkit.check("sigmoid_forward", "out = 1 / (1 + e^(-x)) on known values, any shape")
def sigmoid_values(learner, reference):
    x = np.array([[0.0, 2.0, -3.0], [40.0, -1.5, 0.25]])
    out = learner.layers.Sigmoid().forward(x.copy())
    labkit.expect_shape("out", out, x.shape)
    labkit.expect_close("out", out, 1 / (1 + np.exp(-x)), rel_error=1e-9)
    batch = _rng().standard_normal((3, 4, 5))
    labkit.expect_close("out for a (3, 4, 5) array", learner.layers.Sigmoid().forward(batch),
                        1 / (1 + np.exp(-batch)), rel_error=1e-9)


@labkit.check("sigmoid_backward", "dx matches a numerical gradient (float64)")
def sigmoid_gradient(learner, reference):
    rng = _rng()
    x = rng.standard_normal((4, 5))
    dout = rng.standard_normal((4, 5))
    layer = learner.layers.Sigmoid()
    layer.out = reference.layers.Sigmoid().forward(x.copy())
    dx = layer.backward(dout)
    labkit.expect_shape("dx", dx, x.shape)
    numeric = labkit.numerical_gradient(lambda v: reference.layers.Sigmoid().forward(v), x, dout=dout)
    labkit.expect_close("dx", dx, numeric, rel_error=1e-7)


def _affine_case(learner, reference):
    rng = _rng()
    x = rng.standard_normal((5, 4))
    W = rng.standard_normal((4, 3))
    b = rng.standard_normal(3)
    dout = rng.standard_normal((5, 3))
    layer = learner.layers.Affine(W.copy(), b.copy())
    layer.forward(x.copy())
    dx = layer.backward(dout)

    def numeric(target):
        def forward(_):
            return reference.layers.Affine(W, b).forward(x)

        return labkit.numerical_gradient(forward, target, dout=dout)

    return layer, dx, {"dx": numeric(x), "dW": numeric(W), "db": numeric(b)}


@labkit.check("affine_backward", "dx has the shape of x and matches a numerical gradient")
def affine_dx(learner, reference):
    _layer, dx, numeric = _affine_case(learner, reference)
    labkit.expect_shape("dx", dx, (5, 4))
    labkit.expect_close("dx", dx, numeric["dx"], rel_error=1e-7)


@labkit.check("affine_backward", "dW and db (in self.grads) match numerical gradients")
def affine_dw_db(learner, reference):
    layer, _dx, numeric = _affine_case(learner, reference)
    dW, db = layer.grads
    labkit.expect_close("dW", dW, numeric["dW"], rel_error=1e-7)
    labkit.expect_close("db", db, numeric["db"], rel_error=1e-7)


def _exact_loss(scores, t):
    """Mean cross-entropy of softmax(scores), computed exactly (no +1e-7 inside the log)."""
    shifted = scores - scores.max(axis=1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    return -np.mean(log_probs[np.arange(len(t)), t])


@labkit.check("softmax_with_loss_backward", "dx matches a numerical gradient of the mean loss")
def softmax_gradient(learner, reference):
    rng = _rng()
    for batch in (6, 1):
        scores = rng.standard_normal((batch, 4))
        t = rng.integers(0, 4, batch)
        layer = learner.layers.SoftmaxWithLoss()
        layer.forward(scores.copy(), t)
        dx = layer.backward()
        labkit.expect_shape(f"dx (batch of {batch})", dx, scores.shape)
        numeric = labkit.numerical_gradient(lambda s, t=t: _exact_loss(s, t), scores)
        labkit.expect_close(f"dx (batch of {batch})", dx, numeric, rel_error=1e-7)


@labkit.check("softmax_with_loss_backward", "dx scales with dout")
def softmax_dout(learner, reference):
    rng = _rng()
    scores = rng.standard_normal((3, 5))
    t = rng.integers(0, 5, 3)
    layer = learner.layers.SoftmaxWithLoss()
    layer.forward(scores.copy(), t)
    once = np.array(layer.backward(1), dtype=np.float64)
    twice = layer.backward(2.0)
    labkit.expect_close("dx for dout = 2", twice, 2 * once, rel_error=1e-12)


def _sgd_case(learner, lr=0.1):
    rng = _rng()
    params = [rng.standard_normal((3, 2)), rng.standard_normal(2)]
    grads = [rng.standard_normal((3, 2)), rng.standard_normal(2)]
    before = [p.copy() for p in params]
    held = list(params)  # what the layers would hold
    learner.optim.SGD(lr=lr).update(params, grads)
    return params, grads, before, held


@labkit.check("sgd_update", "every parameter moves by -lr * grad")
def sgd_values(learner, reference):
    params, grads, before, _held = _sgd_case(learner)
    for i in range(len(params)):
        labkit.expect_close(f"params[{i}]", params[i], before[i] - 0.1 * grads[i], rel_error=1e-12)


@labkit.check("sgd_update", "the update changes the arrays in place (the layers hold them)")
def sgd_in_place(learner, reference):
    _params, grads, before, held = _sgd_case(learner)
    for i, array in enumerate(held):
        labkit.expect_true(
            not np.array_equal(array, before[i]),
            f"params[{i}]: the array the layer holds did not change; update it in place "
            "(params[i] -= ...), since `params[i] = ...` only replaces the list's entry",
        )
        labkit.expect_close(f"params[{i}] as the layer holds it", array,
                            before[i] - 0.1 * grads[i], rel_error=1e-12)
