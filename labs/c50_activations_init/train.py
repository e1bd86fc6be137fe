"""Activations and initialisation in a deep network: the vanishing gradient, measured.

Builds `depth` hidden layers of `width` units with the chosen activation and initialisation,
measures the gradient norm of every layer's weights on the whole training set before any
training, then trains with mini-batch SGD on a 3-class spiral and measures the accuracy on a
fresh spiral. The first-to-last gradient ratio says how much of the error signal reaches the
first layer: about 1 with ReLU and He initialisation, next to nothing with sigmoid and small
weights.
"""

import math

import numpy as np
from net import DeepNet

from studyterm import labkit


def spiral(rng, per_class=100, classes=3, noise=0.2):
    rate = np.tile(np.arange(per_class) / per_class, classes)
    label = np.repeat(np.arange(classes), per_class)
    theta = label * 4.0 + rate * 4.0 + rng.standard_normal(rate.size) * noise
    return np.stack([rate * np.sin(theta), rate * np.cos(theta)], axis=1), label


def main():
    params = labkit.params()
    rng = np.random.default_rng(params["seed"])
    x, t = spiral(rng)
    x_test, t_test = spiral(np.random.default_rng(params["seed"] + 1000))
    sizes = [2] + [params["width"]] * params["depth"] + [3]
    net = DeepNet(rng, sizes, params["activation"], params["init"])
    print(f"{params['depth']} hidden layers of {params['width']} {params['activation']} units, "
          f"{params['init']} initialisation")

    net.loss(x, t)
    norms = [float(np.linalg.norm(dW)) for dW, _ in net.backward()]
    for layer, norm in enumerate(norms, start=1):
        labkit.metric("grad_norm", layer, norm)
        print(f"layer {layer:2d}: |dL/dW| = {norm:.3e}")
    ratio = norms[0] / norms[-1] if norms[-1] > 0 else float("nan")
    print(f"first / last layer gradient norm: {ratio:.3e}")

    epochs, lr, batch = params["epochs"], params["lr"], params["batch_size"]
    steps, step, epoch_loss = epochs * math.ceil(len(x) / batch), 0, float("nan")
    with np.errstate(over="ignore", invalid="ignore"):
        for epoch in range(1, epochs + 1):
            order, losses = rng.permutation(len(x)), []
            for start in range(0, len(x), batch):
                rows = order[start : start + batch]
                losses.append(net.loss(x[rows], t[rows]))
                for W, b, (dW, db) in zip(net.W, net.b, net.backward(), strict=True):
                    W -= lr * dW
                    b -= lr * db
                step += 1
                labkit.progress(step, steps)
            epoch_loss = float(np.mean(losses))
            labkit.metric("loss", epoch, epoch_loss)
            if epoch % max(1, epochs // 5) == 0:
                print(f"epoch {epoch:4d}  loss {epoch_loss:.4f}")
        accuracy = net.accuracy(x_test, t_test)
    print(f"accuracy on a fresh spiral {accuracy:.3f} (chance is 0.33)")
    labkit.result(grad_ratio=ratio, log10_grad_ratio=math.log10(ratio) if ratio > 0 else float("nan"),
                  first_layer_grad=norms[0], last_layer_grad=norms[-1], final_loss=epoch_loss,
                  accuracy=accuracy)


if __name__ == "__main__":
    main()
