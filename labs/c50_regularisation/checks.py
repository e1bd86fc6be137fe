"""The checks of each hole of c50_regularisation (never copied to the learner).

Dropout's forward pass is checked on its statistics and its exact output for the mask it drew;
its backward pass with a mask set by hand (so it needs no forward pass of the learner's); the
L2 gradient against a numerical gradient of the penalised loss, on a network without dropout
(so it needs neither dropout hole).
"""

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # before NumPy loads: small matrices

import numpy as np

from studyterm import labkit


def _rng(seed=11):
    return np.random.default_rng(seed)


@labkit.check("dropout_forward", "drops about `ratio` of the units, scales the rest by "
                                 "1 / (1 - ratio), and is the identity when not training")
def dropout_forward(learner, reference):
    x = _rng().standard_normal((400, 50)) + 3.0
    layer = learner.layers.Dropout(0.3, _rng(5))
    out = layer.forward(x.copy(), train=True)
    labkit.expect_shape("out", out, x.shape)
    mask = np.asarray(layer.mask)
    labkit.expect_true(mask.shape == x.shape and mask.dtype == bool,
                       "self.mask must be a boolean array of x's shape (True: the unit is kept)")
    dropped = 1 - mask.mean()
    labkit.expect_true(abs(dropped - 0.3) < 0.02,
                       f"{dropped:.1%} of the units were dropped, want about 30% (ratio 0.3): a "
                       "unit is dropped with probability ratio")
    labkit.expect_true(np.all(out[~mask] == 0), "dropped units (mask False) must be 0")
    kept = out[mask] / x[mask]
    labkit.expect_true(np.allclose(kept, 1 / 0.7),
                       f"kept units were multiplied by {np.median(kept):.3g}, want 1 / (1 - 0.3) "
                       "= 1.43: inverted dropout scales while training, so prediction needs "
                       "no change")
    same = learner.layers.Dropout(0.3, _rng(5)).forward(x.copy(), train=False)
    labkit.expect_close("out when not training", same, x, rel_error=0)


@labkit.check("dropout_backward", "the gradient passes through kept units, scaled by "
                                  "1 / (1 - ratio), and is 0 at dropped ones")
def dropout_backward(learner, reference):
    rng = _rng()
    layer = learner.layers.Dropout(0.4, _rng(5))
    layer.mask = rng.random((6, 7)) >= 0.4
    dout = rng.standard_normal((6, 7))
    dx = layer.backward(dout.copy())
    labkit.expect_close("dx", dx, dout * layer.mask / 0.6, rel_error=1e-12)


@labkit.check("l2_gradient", "weight gradients match a numerical gradient of the loss with "
                             "its L2 penalty; biases are not decayed")
def l2_gradient(learner, reference):
    rng = _rng()
    x, t = rng.standard_normal((5, 4)), rng.integers(0, 3, 5)
    net = learner.net.Net([4, 6, 3], _rng(2), weight_decay=0.3)
    net.gradient(x, t)
    want_net = reference.net.Net([4, 6, 3], _rng(2), weight_decay=0.3)
    for i, (param, grad) in enumerate(zip(want_net.params(), net.grads())):
        numeric = labkit.numerical_gradient(lambda _: want_net.loss(x, t), param)
        name = f"{'Wb'[i % 2]}{i // 2 + 1}"
        labkit.expect_close(f"the gradient of {name}", grad, numeric, rel_error=1e-6)
