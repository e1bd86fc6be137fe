"""Overfitting and regularisation on a small subset of the 8x8 digits, in NumPy.

Part 1: a wide network trained long on a few training images, some of them mislabelled,
learns them all by heart, wrong labels included (train accuracy 1.0), while validation
accuracy lags: the train/validation gap. The same network with L2 weight decay and inverted
dropout (your code) cannot memorise the noise as easily: the gap closes and validation
accuracy rises.
Part 2: a deep network started with tiny weights barely learns in a few epochs; with batch norm
after each affine layer it learns quickly.
"""

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # before NumPy loads: small matrices

import digits
import numpy as np
from net import Adam, Net

from studyterm import labkit

NOISE_SEED = 99


def train(net, x, t, epochs, batch_size, lr, rng, on_epoch=None):
    optimizer = Adam(lr)
    for epoch in range(1, epochs + 1):
        order = rng.permutation(len(x))
        for i in range(0, len(x), batch_size):
            batch = order[i:i + batch_size]
            net.gradient(x[batch], t[batch])
            optimizer.update(net.params(), net.grads())
        if on_epoch:
            on_epoch(epoch)
    return net


def noisy(labels, fraction):
    """The labels with `fraction` of them changed to another class (the same ones every run)."""
    rng = np.random.default_rng(NOISE_SEED)
    flip = rng.random(len(labels)) < fraction
    labels = labels.copy()
    labels[flip] = (labels[flip] + rng.integers(1, 10, flip.sum())) % 10
    return labels


def overfitting(params, data, rng, report):
    x_train, t_train, x_val, t_val = data
    subset = params["train_size"]
    x_small, t_small = x_train[:subset], noisy(t_train[:subset], params["label_noise"])
    sizes = [64, *[params["width"]] * 2, 10]
    gaps, val = {}, {}
    configurations = [("plain", {}), ("regularised", {"weight_decay": params["weight_decay"],
                                                      "dropout": params["dropout"]})]
    for name, options in configurations:
        net = Net(sizes, rng, **options)
        train(net, x_small, t_small, params["epochs"], params["batch_size"], params["lr"], rng,
              report)
        train_acc, val_acc = net.accuracy(x_small, t_small), net.accuracy(x_val, t_val)
        gaps[name], val[name] = train_acc - val_acc, val_acc
        print(f"{name:12} train {train_acc:.3f}  validation {val_acc:.3f}  gap {gaps[name]:.3f}")
        labkit.result({f"{name}_train_accuracy": train_acc, f"{name}_val_accuracy": val_acc,
                       f"gap_{name}": gaps[name]})
    labkit.result(gap_reduction=gaps["plain"] - gaps["regularised"],
                  val_gain=val["regularised"] - val["plain"])


def batchnorm(params, data, rng, report):
    x_train, t_train, _, _ = data
    sizes = [64, *[params["bn_width"]] * params["bn_depth"], 10]
    accuracy = {}
    for name, on in (("without_bn", False), ("with_bn", True)):
        net = Net(sizes, rng, init_std=params["bn_init_std"], batchnorm=on)

        def log(epoch, net=net, name=name):
            labkit.metric(f"{name}_loss", epoch, net.loss(x_train, t_train, train=False))
            report(epoch)

        train(net, x_train, t_train, params["bn_epochs"], params["batch_size"], params["lr"],
              rng, log)
        accuracy[name] = net.accuracy(x_train, t_train)
        print(f"deep net {name:10} train accuracy after {params['bn_epochs']} epochs "
              f"{accuracy[name]:.3f}")
    labkit.result(bn_train_accuracy=accuracy["with_bn"],
                  plain_deep_train_accuracy=accuracy["without_bn"],
                  bn_gain=accuracy["with_bn"] - accuracy["without_bn"])


def main():
    params = labkit.params()
    rng = np.random.default_rng(params["seed"])
    data = digits.split(*(a.astype(np.float64) if a.dtype == np.float32 else a
                          for a in digits.load()))
    total = 2 * params["epochs"] + 2 * params["bn_epochs"]
    done = 0

    def report(_epoch):
        nonlocal done
        done += 1
        labkit.progress(done, total)

    overfitting(params, data, rng, report)
    batchnorm(params, data, rng, report)


if __name__ == "__main__":
    main()
