"""A two-layer network trained from scratch in NumPy on a generated 3-class spiral.

The setup of "Deep Learning from Scratch 2", chapter 1: affine -> sigmoid -> affine ->
softmax with cross-entropy, plain mini-batch SGD. Change the learning rate or the batch size and
watch the loss curve; `python train.py` runs it with the defaults from lab.toml.
"""

import math

import numpy as np
from optim import SGD
from two_layer_net import TwoLayerNet

from studyterm import labkit


def spiral(rng, per_class=100, classes=3, noise=0.2):
    """Points on `classes` interleaved spiral arms in 2-D, with their labels."""
    rate = np.tile(np.arange(per_class) / per_class, classes)
    label = np.repeat(np.arange(classes), per_class)
    theta = label * 4.0 + rate * 4.0 + rng.standard_normal(rate.size) * noise
    x = np.stack([rate * np.sin(theta), rate * np.cos(theta)], axis=1)
    return x, label


def main():
    params = labkit.params()
    batch_size, epochs = params["batch_size"], params["epochs"]
    rng = np.random.default_rng(params["seed"])
    x, t = spiral(rng)
    x_test, t_test = spiral(np.random.default_rng(params["seed"] + 1000))
    model = TwoLayerNet(2, params["hidden_size"], 3, rng)
    optimizer = SGD(lr=params["lr"])
    updates_per_epoch = math.ceil(len(x) / batch_size)
    total = epochs * updates_per_epoch
    print(f"{len(x)} samples, batch size {batch_size}: {updates_per_epoch} updates per epoch, "
          f"{total} in all")
    step, epoch_losses, first_epoch_loss = 0, [], None
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        for epoch in range(epochs):
            order = rng.permutation(len(x))
            epoch_losses = []
            for start in range(0, len(x), batch_size):
                batch = order[start : start + batch_size]
                loss = model.forward(x[batch], t[batch])
                model.backward()
                optimizer.update(model.params, model.grads)
                step += 1
                epoch_losses.append(loss)
                labkit.metric("loss", step, loss)
                labkit.progress(step, total)
            if first_epoch_loss is None:
                first_epoch_loss = float(np.mean(epoch_losses))
            if (epoch + 1) % max(1, epochs // 10) == 0:
                print(f"epoch {epoch + 1:4d}  loss {np.mean(epoch_losses):.4f}")
        final_loss = float(np.mean(epoch_losses))
        accuracy = model.accuracy(x_test, t_test)
        train_accuracy = model.accuracy(x, t)
    diverged = not math.isfinite(final_loss) or final_loss > first_epoch_loss
    print(f"final loss {final_loss:.4f}, accuracy on a fresh spiral {accuracy:.3f}")
    labkit.result(final_loss=final_loss, accuracy=accuracy, train_accuracy=train_accuracy,
                  updates_per_epoch=updates_per_epoch, diverged=float(diverged))


if __name__ == "__main__":
    main()
