"""The checks of each hole of gradcheck: every backward pass against torch autograd, in float64,
on its own layer (the forward passes are given, so no hole depends on another)."""

import numpy as np

from studyterm import labkit

TOLERANCE = 1e-9
"""One layer in float64 agrees with autograd far below the network's 1e-7."""


def _torch():
    return labkit.require("torch")


def _rng():
    return np.random.default_rng(7)


def _autograd(torch, forward, inputs, dout):
    """Gradients of sum(forward(*inputs) * dout) with respect to each input, by autograd."""
    tensors = [torch.tensor(v, dtype=torch.float64, requires_grad=True) for v in inputs]
    out = forward(*tensors)
    (out * torch.tensor(dout, dtype=torch.float64)).sum().backward()
    return [tensor.grad.numpy() for tensor in tensors]


@labkit.check("affine_backward", "dx, dW and db match autograd (float64)")
def affine_gradients(learner, reference):
    torch = _torch()
    rng = _rng()
    x, W, b = rng.standard_normal((6, 4)), rng.standard_normal((4, 3)), rng.standard_normal(3)
    dout = rng.standard_normal((6, 3))
    layer = learner.layers.Affine(W.copy(), b.copy())
    layer.forward(x.copy())
    dx = layer.backward(dout)
    want_dx, want_dW, want_db = _autograd(torch, lambda x, W, b: x @ W + b, (x, W, b), dout)
    labkit.expect_close("dx", dx, want_dx, rel_error=TOLERANCE)
    labkit.expect_close("dW", layer.grads[0], want_dW, rel_error=TOLERANCE)
    labkit.expect_close("db", layer.grads[1], want_db, rel_error=TOLERANCE)


@labkit.check("sigmoid_backward", "dx matches autograd (float64)")
def sigmoid_gradient(learner, reference):
    torch = _torch()
    rng = _rng()
    x, dout = rng.standard_normal((5, 4)), rng.standard_normal((5, 4))
    layer = learner.layers.Sigmoid()
    layer.forward(x.copy())
    dx = layer.backward(dout)
    (want,) = _autograd(torch, torch.sigmoid, (x,), dout)
    labkit.expect_close("dx", dx, want, rel_error=TOLERANCE)


@labkit.check("relu_backward", "dx matches autograd (float64), zero where the input was not positive")
def relu_gradient(learner, reference):
    torch = _torch()
    rng = _rng()
    x, dout = rng.standard_normal((5, 4)), rng.standard_normal((5, 4))
    layer = learner.layers.Relu()
    layer.forward(x.copy())
    dx = layer.backward(dout)
    (want,) = _autograd(torch, torch.relu, (x,), dout)
    labkit.expect_close("dx", dx, want, rel_error=TOLERANCE)


@labkit.check("softmax_cross_entropy_backward", "dx matches autograd's cross_entropy (float64)")
def softmax_gradient(learner, reference):
    torch = _torch()
    rng = _rng()
    for batch in (7, 1):
        scores, t = rng.standard_normal((batch, 5)), rng.integers(0, 5, batch)
        layer = learner.layers.SoftmaxCrossEntropy()
        layer.forward(scores.copy(), t)
        dx = layer.backward()
        tensor = torch.tensor(scores, dtype=torch.float64, requires_grad=True)
        torch.nn.functional.cross_entropy(tensor, torch.tensor(t)).backward()
        labkit.expect_close(f"dx (batch of {batch})", dx, tensor.grad.numpy(), rel_error=TOLERANCE)
