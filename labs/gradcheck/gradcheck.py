"""A backward pass written by hand in NumPy, checked against torch autograd in float64.

The network: affine -> sigmoid -> affine -> ReLU -> affine -> softmax with cross-entropy. The
hand-written gradients of every weight and bias are compared with the ones autograd computes
for the same numbers; the largest relative error |a - b| / max(|a|, |b|) must be tiny. Set
`bug` to one of the classic mistakes and watch the check catch it.
"""

import numpy as np

from studyterm import labkit

FLOOR = 1e-8
"""Relative errors are taken against max(|a|, |b|, FLOOR), so two gradients that are both
rounding noise around zero do not count as a mismatch."""


def init(rng, sizes):
    params = {}
    for i, (n_in, n_out) in enumerate(zip(sizes, sizes[1:]), start=1):
        params[f"W{i}"] = rng.standard_normal((n_in, n_out)) / np.sqrt(n_in)
        params[f"b{i}"] = 0.1 * rng.standard_normal(n_out)
    return params


def numpy_loss_and_grads(p, x, t, bug):
    """Forward and backward by hand; `bug` plants a classic mistake."""
    n = len(t)
    a1 = x @ p["W1"] + p["b1"]
    h1 = 1 / (1 + np.exp(-a1))
    a2 = h1 @ p["W2"] + p["b2"]
    h2 = np.maximum(a2, 0)
    s = h2 @ p["W3"] + p["b3"]
    e = np.exp(s - s.max(axis=1, keepdims=True))
    y = e / e.sum(axis=1, keepdims=True)
    loss = -np.mean(np.log(y[np.arange(n), t]))

    ds = y.copy()
    ds[np.arange(n), t] -= 1
    if bug != "softmax":  # forgetting the 1/N of a mean loss
        ds /= n
    grads = {"W3": h2.T @ ds, "b3": ds.sum(axis=0) if bug != "bias" else ds.mean(axis=0)}
    dh2 = ds @ p["W3"].T
    da2 = dh2 * (a2 > 0) if bug != "relu" else dh2
    grads |= {"W2": h1.T @ da2, "b2": da2.sum(axis=0)}
    dh1 = da2 @ p["W2"].T
    da1 = dh1 * h1 * (1 - h1) if bug != "sigmoid" else dh1 * h1
    grads |= {"W1": x.T @ da1, "b1": da1.sum(axis=0)}
    return loss, grads


def torch_loss_and_grads(torch, p, x, t, device):
    tensors = {k: torch.tensor(v, dtype=torch.float64, device=device, requires_grad=True)
               for k, v in p.items()}
    xt = torch.tensor(x, dtype=torch.float64, device=device)
    tt = torch.tensor(t, dtype=torch.int64, device=device)
    h1 = torch.sigmoid(xt @ tensors["W1"] + tensors["b1"])
    h2 = torch.relu(h1 @ tensors["W2"] + tensors["b2"])
    s = h2 @ tensors["W3"] + tensors["b3"]
    loss = torch.nn.functional.cross_entropy(s, tt)
    loss.backward()
    return loss.item(), {k: v.grad.cpu().numpy() for k, v in tensors.items()}


def relative_error(a, b):
    return float(np.max(np.abs(a - b) / np.maximum(np.maximum(np.abs(a), np.abs(b)), FLOOR)))


def main():
    torch = labkit.require("torch")
    params = labkit.params()
    device = params["device"]
    if device == "auto":
        device = "cuda" if torch.cuda.is_available() else "cpu"
    rng = np.random.default_rng(params["seed"])
    sizes = [params["features"], params["hidden"], params["hidden"], params["classes"]]
    trials, worst, worst_loss = params["trials"], 0.0, 0.0
    print(f"checking {trials} random networks {sizes} on {device}, bug = {params['bug']}")
    for trial in range(1, trials + 1):
        p = init(rng, sizes)
        x = rng.standard_normal((params["batch_size"], params["features"]))
        t = rng.integers(0, params["classes"], params["batch_size"])
        loss, grads = numpy_loss_and_grads(p, x, t, params["bug"])
        reference_loss, reference = torch_loss_and_grads(torch, p, x, t, device)
        errors = {name: relative_error(grads[name], reference[name]) for name in sorted(p)}
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
