"""A backward pass written by hand in NumPy, checked against torch autograd.

The network: affine -> sigmoid -> affine -> ReLU -> affine -> softmax with cross-entropy, built
from the layers in layers.py. The gradients your backward passes give for every weight and bias
are compared with the ones autograd computes in float64 for the same numbers; the largest
relative error |a - b| / max(|a|, |b|, 1e-8) must be tiny. Set `dtype` to float32 to see what
single precision does to a gradient check.
"""

import numpy as np
from layers import Affine, Relu, Sigmoid, SoftmaxCrossEntropy

from studyterm import labkit


def init(rng, sizes, dtype):
    params = []
    for n_in, n_out in zip(sizes, sizes[1:]):
        W = rng.standard_normal((n_in, n_out)) / np.sqrt(n_in)
        b = 0.1 * rng.standard_normal(n_out)
        params += [W.astype(dtype), b.astype(dtype)]
    return params


def numpy_loss_and_grads(params, x, t):
    """Forward through the layers, then your backward passes, in reverse."""
    W1, b1, W2, b2, W3, b3 = params
    layers = [Affine(W1, b1), Sigmoid(), Affine(W2, b2), Relu(), Affine(W3, b3)]
    loss_layer = SoftmaxCrossEntropy()
    out = x
    for layer in layers:
        out = layer.forward(out)
    loss = loss_layer.forward(out, t)
    dout = loss_layer.backward()
    for layer in reversed(layers):
        dout = layer.backward(dout)
    grads = [grad for layer in layers for grad in layer.grads]
    return float(loss), grads


def torch_loss_and_grads(torch, params, x, t, device):
    tensors = [torch.tensor(p, dtype=torch.float64, device=device, requires_grad=True)
               for p in params]
    W1, b1, W2, b2, W3, b3 = tensors
    xt = torch.tensor(x, dtype=torch.float64, device=device)
    tt = torch.tensor(t, dtype=torch.int64, device=device)
    h1 = torch.sigmoid(xt @ W1 + b1)
    h2 = torch.relu(h1 @ W2 + b2)
    loss = torch.nn.functional.cross_entropy(h2 @ W3 + b3, tt)
    loss.backward()
    return loss.item(), [tensor.grad.cpu().numpy() for tensor in tensors]


NAMES = ["W1", "b1", "W2", "b2", "W3", "b3"]


def main():
    torch = labkit.require("torch")
    params = labkit.params()
    device = params["device"]
    if device == "auto":
        device = "cuda" if torch.cuda.is_available() else "cpu"
    dtype = np.dtype(params["dtype"])
    rng = np.random.default_rng(params["seed"])
    sizes = [params["features"], params["hidden"], params["hidden"], params["classes"]]
    trials, worst, worst_loss = params["trials"], 0.0, 0.0
    print(f"checking {trials} random networks {sizes} in {dtype} against autograd on {device}")
    for trial in range(1, trials + 1):
        weights = init(rng, sizes, dtype)
        x = rng.standard_normal((params["batch_size"], params["features"])).astype(dtype)
        t = rng.integers(0, params["classes"], params["batch_size"])
        loss, grads = numpy_loss_and_grads(weights, x, t)
        reference_loss, reference = torch_loss_and_grads(torch, weights, x, t, device)
        errors = {name: labkit.rel_error(g, r) for name, g, r in zip(NAMES, grads, reference)}
        trial_worst = max(errors.values())
        worst = max(worst, trial_worst)
        worst_loss = max(worst_loss, abs(loss - reference_loss) / abs(reference_loss))
        print(f"trial {trial}: " + "  ".join(f"{k} {v:.1e}" for k, v in errors.items()))
        labkit.metric("rel_error", trial, trial_worst)
        labkit.progress(trial, trials)
    print(f"largest relative gradient error {worst:.2e}, loss error {worst_loss:.2e}")
    labkit.result(grad_rel_error=worst, loss_rel_error=worst_loss)


if __name__ == "__main__":
    main()
