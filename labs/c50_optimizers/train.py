"""Five optimizers, one model, one data set: the same network (same initial weights, same
mini-batches in the same order) trained on a 3-class spiral by SGD, Momentum, AdaGrad, RMSprop
and Adam, each with your update rule. The loss curves come out side by side (one series each).

Before training, each optimizer is replayed against its torch.optim counterpart: the same
starting weights and the same gradients, step by step, in float64; `torch_rel_error` is the
largest difference seen.
"""

import math

import numpy as np
from net import TwoLayerNet
from optimizers import OPTIMIZERS

from studyterm import labkit

NAMES = list(OPTIMIZERS)


def spiral(rng, per_class=100, classes=3, noise=0.2):
    rate = np.tile(np.arange(per_class) / per_class, classes)
    label = np.repeat(np.arange(classes), per_class)
    theta = label * 4.0 + rate * 4.0 + rng.standard_normal(rate.size) * noise
    return np.stack([rate * np.sin(theta), rate * np.cos(theta)], axis=1), label


def make(name, params):
    lr = params[f"lr_{name}"]
    if name == "momentum":
        return OPTIMIZERS[name](lr=lr, momentum=params["momentum"])
    return OPTIMIZERS[name](lr=lr)


def torch_twin(torch, name, tensors, params):
    lr, optim = params[f"lr_{name}"], torch.optim
    return {"sgd": lambda: optim.SGD(tensors, lr=lr),
            "momentum": lambda: optim.SGD(tensors, lr=lr, momentum=params["momentum"]),
            "adagrad": lambda: optim.Adagrad(tensors, lr=lr),
            "rmsprop": lambda: optim.RMSprop(tensors, lr=lr),
            "adam": lambda: optim.Adam(tensors, lr=lr)}[name]()


def replay_against_torch(torch, name, params, x, t, steps, device):
    """Train a fresh net `steps` updates with our optimizer, while torch.optim applies the
    same gradients to a float64 copy; the largest relative difference of the weights."""
    net = TwoLayerNet(np.random.default_rng(params["seed"]))
    tensors = [torch.tensor(p, dtype=torch.float64, device=device) for p in net.params]
    mine, theirs = make(name, params), torch_twin(torch, name, tensors, params)
    rng, worst = np.random.default_rng(params["seed"] + 1), 0.0
    for _ in range(steps):
        rows = rng.choice(len(x), params["batch_size"], replace=False)
        net.loss(x[rows], t[rows])
        grads = net.backward()
        for tensor, grad in zip(tensors, grads, strict=True):
            tensor.grad = torch.tensor(grad, dtype=torch.float64, device=device)
        theirs.step()
        mine.update(net.params, grads)
        worst = max(worst, *(labkit.rel_error(p, q.cpu().numpy()) for p, q in zip(net.params, tensors, strict=True)))
    return worst


def train(name, params, x, t, order_seed, total, done):
    """One optimizer's whole run; returns (final epoch loss, training accuracy)."""
    net = TwoLayerNet(np.random.default_rng(params["seed"]))
    optimizer = make(name, params)
    rng, batch, loss = np.random.default_rng(order_seed), params["batch_size"], float("nan")
    with np.errstate(over="ignore", invalid="ignore"):
        for epoch in range(1, params["epochs"] + 1):
            order, losses = rng.permutation(len(x)), []
            for start in range(0, len(x), batch):
                rows = order[start : start + batch]
                losses.append(net.loss(x[rows], t[rows]))
                optimizer.update(net.params, net.backward())
            loss = float(np.mean(losses))
            labkit.metric(f"loss_{name}", epoch, loss)
            labkit.progress(done + epoch, total)
        return loss, net.accuracy(x, t)


def main():
    torch = labkit.require("torch")
    params = labkit.params()
    device = params["device"]
    if device == "auto":
        device = "cuda" if torch.cuda.is_available() else "cpu"
    x, t = spiral(np.random.default_rng(params["seed"]))
    errors = {name: replay_against_torch(torch, name, params, x, t, params["replay_steps"], device)
              for name in NAMES}
    print("against torch.optim (float64, " + device + "): "
          + "  ".join(f"{name} {error:.1e}" for name, error in errors.items()))

    results, total = {}, len(NAMES) * params["epochs"]
    for k, name in enumerate(NAMES):
        loss, accuracy = train(name, params, x, t, params["seed"] + 2, total, k * params["epochs"])
        results[f"final_loss_{name}"], results[f"accuracy_{name}"] = loss, accuracy
        print(f"{name:9s} lr {params['lr_' + name]:<6g} final loss {loss:.4f}  "
              f"training accuracy {accuracy:.3f}")
    finite = [results[f"final_loss_{name}"] for name in NAMES]
    best = min(NAMES, key=lambda name: results[f"final_loss_{name}"]
               if math.isfinite(results[f"final_loss_{name}"]) else math.inf)
    print(f"lowest final loss: {best}" + ("" if all(map(math.isfinite, finite)) else " (some diverged)"))
    labkit.result(torch_rel_error=max(errors.values()), **results)


if __name__ == "__main__":
    main()
