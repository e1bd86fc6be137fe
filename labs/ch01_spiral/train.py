"""A two-layer network trained from scratch in NumPy on a generated 3-class spiral.

The setup of "Deep Learning from Scratch 2", chapter 1: affine -> sigmoid -> affine ->
softmax with cross-entropy, plain mini-batch SGD. Change the learning rate or the batch size and
watch the loss curve; `python train.py` runs it with the defaults from lab.toml.
"""

import math

import numpy as np

from studyterm import labkit


def spiral(rng, per_class=100, classes=3, noise=0.2):
    """Points on `classes` interleaved spiral arms in 2-D, with their labels."""
    rate = np.tile(np.arange(per_class) / per_class, classes)
    label = np.repeat(np.arange(classes), per_class)
    theta = label * 4.0 + rate * 4.0 + rng.standard_normal(rate.size) * noise
    x = np.stack([rate * np.sin(theta), rate * np.cos(theta)], axis=1)
    return x, label


class TwoLayerNet:
    def __init__(self, rng, inputs, hidden, outputs):
        self.params = {
            "W1": 0.01 * rng.standard_normal((inputs, hidden)),
            "b1": np.zeros(hidden),
            "W2": 0.01 * rng.standard_normal((hidden, outputs)),
            "b2": np.zeros(outputs),
        }

    def scores(self, x):
        p = self.params
        h = 1 / (1 + np.exp(-(x @ p["W1"] + p["b1"])))
        return h, h @ p["W2"] + p["b2"]

    def loss_and_grads(self, x, t):
        p = self.params
        h, s = self.scores(x)
        y = softmax(s)
        n = len(t)
        loss = -np.mean(np.log(y[np.arange(n), t] + 1e-7))
        ds = y.copy()
        ds[np.arange(n), t] -= 1
        ds /= n
        dh = ds @ p["W2"].T
        da = dh * h * (1 - h)
        grads = {"W2": h.T @ ds, "b2": ds.sum(axis=0), "W1": x.T @ da, "b1": da.sum(axis=0)}
        return loss, grads

    def accuracy(self, x, t):
        return float(np.mean(self.scores(x)[1].argmax(axis=1) == t))


def softmax(s):
    e = np.exp(s - s.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def main():
    params = labkit.params()
    lr, batch_size, epochs = params["lr"], params["batch_size"], params["epochs"]
    rng = np.random.default_rng(params["seed"])
    x, t = spiral(rng)
    x_test, t_test = spiral(np.random.default_rng(params["seed"] + 1000))
    net = TwoLayerNet(rng, 2, params["hidden_size"], 3)
    updates_per_epoch = math.ceil(len(x) / batch_size)
    total = epochs * updates_per_epoch
    print(f"{len(x)} samples, batch size {batch_size}: {updates_per_epoch} updates per epoch, "
          f"{total} in all")
    step, epoch_losses = 0, []
    with np.errstate(over="ignore", invalid="ignore"):
        for epoch in range(epochs):
            order = rng.permutation(len(x))
            epoch_losses = []
            for start in range(0, len(x), batch_size):
                batch = order[start : start + batch_size]
                loss, grads = net.loss_and_grads(x[batch], t[batch])
                for name, grad in grads.items():
                    net.params[name] -= lr * grad
                step += 1
                epoch_losses.append(loss)
                labkit.metric("loss", step, loss)
                labkit.progress(step, total)
            if (epoch + 1) % max(1, epochs // 10) == 0:
                print(f"epoch {epoch + 1:4d}  loss {np.mean(epoch_losses):.4f}")
        final_loss = float(np.mean(epoch_losses))
        accuracy = net.accuracy(x_test, t_test)
    print(f"final loss {final_loss:.4f}, accuracy on a fresh spiral {accuracy:.3f}")
    labkit.result(final_loss=final_loss, accuracy=accuracy, train_accuracy=net.accuracy(x, t),
                  updates_per_epoch=updates_per_epoch)


if __name__ == "__main__":
    main()
