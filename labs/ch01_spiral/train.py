"""A two-layer network trained from scratch in NumPy on a generated 3-class spiral.

The setup of "Deep Learning from Scratch 2", chapter 1: affine -> sigmoid -> affine ->
softmax with cross-entropy, plain mini-batch SGD on 300 training points. We add what the book
leaves out: a held-out validation split (so `accuracy` measures points the network never
trained on), flipped training labels (`label_noise`), and a fixed budget of updates
(`updates`) so that batch sizes can be compared at the same number of steps.
`python train.py` runs it with the defaults from lab.toml.
"""

import math

import numpy as np
from optim import SGD
from two_layer_net import TwoLayerNet

from studyterm import labkit

CLASSES = 3
TRAIN_PER_CLASS = 100  # the book's 300 training points
HELD_OUT_PER_CLASS = 100  # 300 validation points, never trained on


def spiral(rng, per_class, classes=CLASSES, noise=0.2):
    """Points on `classes` interleaved spiral arms in 2-D, with their labels (the book's
    dataset/spiral.py, any number of points per arm)."""
    rate = np.tile(np.arange(per_class) / per_class, classes)
    label = np.repeat(np.arange(classes), per_class)
    theta = label * 4.0 + rate * 4.0 + rng.standard_normal(rate.size) * noise
    x = np.stack([rate * np.sin(theta), rate * np.cos(theta)], axis=1)
    return x, label


def split(rng, x, t, held_out_per_class):
    """A stratified hold-out split: `held_out_per_class` random points of each class go to the
    validation set, the rest to the training set."""
    held_out = np.zeros(len(t), dtype=bool)
    for label in np.unique(t):
        members = np.flatnonzero(t == label)
        held_out[rng.choice(members, held_out_per_class, replace=False)] = True
    return (x[~held_out], t[~held_out]), (x[held_out], t[held_out])


def flip_labels(rng, t, share, classes=CLASSES):
    """A copy of `t` with round(share * N) random labels changed to another class."""
    noisy = t.copy()
    flipped = rng.choice(len(t), round(share * len(t)), replace=False)
    noisy[flipped] = (t[flipped] + rng.integers(1, classes, len(flipped))) % classes
    return noisy


def schedule(n, batch_size, epochs, updates):
    """(updates per epoch, total updates). Every epoch visits all n points, so it takes
    ceil(n / B) updates (the last batch is smaller when B does not divide n). With `updates`
    > 0 the run stops after exactly that many updates, whatever the batch size."""
    per_epoch = math.ceil(n / batch_size)
    return per_epoch, updates if updates > 0 else epochs * per_epoch


def main():
    params = labkit.params()
    batch_size = params["batch_size"]
    rng = np.random.default_rng(params["seed"])
    x_all, t_all = spiral(rng, TRAIN_PER_CLASS + HELD_OUT_PER_CLASS)
    (x, t_clean), (x_val, t_val) = split(rng, x_all, t_all, HELD_OUT_PER_CLASS)
    t = flip_labels(rng, t_clean, params["label_noise"])
    model = TwoLayerNet(2, params["hidden_size"], CLASSES, rng)
    optimizer = SGD(lr=params["lr"])
    per_epoch, total = schedule(len(x), batch_size, params["epochs"], params["updates"])
    print(f"{len(x)} training points ({int(np.sum(t != t_clean))} labels flipped), "
          f"{len(x_val)} held out; batch size {batch_size}: {per_epoch} updates per epoch, "
          f"{total} in all ({total / per_epoch:g} epochs)")
    step, epoch_losses, first_epoch_loss = 0, [], None
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        while step < total:
            order = rng.permutation(len(x))
            epoch_losses = []
            for start in range(0, len(x), batch_size):
                if step == total:
                    break
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
            epoch = math.ceil(step / per_epoch)
            if step == total or epoch % max(1, total // per_epoch // 10) == 0:
                print(f"epoch {epoch:4d}  update {step:5d}  loss {np.mean(epoch_losses):.4f}")
        final_loss = float(np.mean(epoch_losses))
        val_loss = float(model.forward(x_val, t_val))
        metrics = {
            "final_loss": final_loss,
            "accuracy": model.accuracy(x_val, t_val),
            "val_loss": val_loss,
            "train_accuracy": model.accuracy(x, t),
            "train_clean_accuracy": model.accuracy(x, t_clean),
        }
    diverged = not math.isfinite(final_loss) or final_loss > first_epoch_loss
    print(f"final loss {final_loss:.4f}, validation accuracy {metrics['accuracy']:.3f} "
          f"(loss {val_loss:.4f}) on {len(x_val)} held-out points")
    labkit.result(**metrics, updates_per_epoch=per_epoch, updates=total,
                  epochs_run=total / per_epoch, diverged=float(diverged))


if __name__ == "__main__":
    main()
