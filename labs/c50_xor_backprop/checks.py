"""The checks of c50_xor_backprop: each backward pass against torch autograd in float64, on
random weights and a random batch (the forward pass is given, so no hole needs the other)."""

import numpy as np

from studyterm import labkit

TOLERANCE = 1e-9
"""One layer in float64 agrees with autograd far below the 1e-7 of a whole network."""


def _case(learner, seed=3, batch=6, hidden=5):
    """The learner's model after a forward pass, and autograd's gradients of the same loss
    (with the gradient with respect to h kept, to feed the hidden layer's backward alone)."""
    torch = labkit.require("torch")
    rng = np.random.default_rng(seed)
    model = learner.mlp.MLP(rng, hidden=hidden)
    for value in model.params.values():
        value[...] = rng.standard_normal(value.shape)
    x = rng.standard_normal((batch, 2))
    t = rng.integers(0, 2, (batch, 1)).astype(float)
    model.loss(x, t)
    tensors = {name: torch.tensor(value, dtype=torch.float64, requires_grad=True)
               for name, value in model.params.items()}
    h = torch.tanh(torch.tensor(x) @ tensors["W1"] + tensors["b1"])
    h.retain_grad()
    z2 = h @ tensors["W2"] + tensors["b2"]
    z2.retain_grad()
    torch.nn.functional.binary_cross_entropy_with_logits(z2, torch.tensor(t)).backward()
    grads = {name: tensor.grad.numpy() for name, tensor in tensors.items()}
    grads["dz2"], grads["dh"] = z2.grad.numpy(), h.grad.numpy()
    return model, grads


@labkit.check("output_backward", "dz2 matches autograd's gradient at the logits (float64)")
def output_dz2(learner, reference):
    model, want = _case(learner)
    dh = model.backward_output()
    labkit.expect_shape("dh = dz2 @ W2.T", dh, want["dh"].shape)
    labkit.expect_close("dz2 (seen through dh = dz2 @ W2.T)", dh, want["dh"], rel_error=TOLERANCE)


@labkit.check("output_backward", "dW2 and db2 match autograd (float64)")
def output_weights(learner, reference):
    for batch in (6, 1):
        model, want = _case(learner, batch=batch)
        model.backward_output()
        labkit.expect_close(f"dW2 (batch of {batch})", model.grads["W2"], want["W2"], rel_error=TOLERANCE)
        labkit.expect_close(f"db2 (batch of {batch})", model.grads["b2"], want["b2"], rel_error=TOLERANCE)


@labkit.check("hidden_backward", "dW1 and db1 match autograd (float64), given autograd's dh")
def hidden_weights(learner, reference):
    for batch in (6, 1):
        model, want = _case(learner, batch=batch)
        model.backward_hidden(want["dh"].copy())
        labkit.expect_close(f"dW1 (batch of {batch})", model.grads["W1"], want["W1"], rel_error=TOLERANCE)
        labkit.expect_close(f"db1 (batch of {batch})", model.grads["b1"], want["b1"], rel_error=TOLERANCE)
