"""The perceptron learning rule on two data sets: one a line can split, and XOR, which no line
can. On the first the rule stops making mistakes after a few epochs (the perceptron convergence
theorem promises it for any data split with a margin); on XOR it never does.
"""

import numpy as np
from perceptron import accuracy, train_epoch

from studyterm import labkit


def separable(rng, n, margin):
    """n points in the square [-1, 1]², labelled by the side of a random line they lie on,
    none closer to the line than `margin`."""
    angle = rng.uniform(0, 2 * np.pi)
    normal = np.array([np.cos(angle), np.sin(angle)])
    offset = rng.uniform(-0.3, 0.3)
    points = np.empty((0, 2))
    while len(points) < n:
        candidates = rng.uniform(-1, 1, size=(4 * n, 2))
        keep = np.abs(candidates @ normal + offset) >= margin
        points = np.concatenate([points, candidates[keep]])[:n]
    labels = np.where(points @ normal + offset > 0, 1, -1)
    return points, labels


def xor(rng, per_corner, noise=0.1):
    """Noisy copies of the four corners of the unit square; the label is +1 when exactly one
    coordinate is 1 (XOR), else -1."""
    corners = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)
    labels = np.array([-1, 1, 1, -1])
    points = np.repeat(corners, per_corner, axis=0) + noise * rng.standard_normal((4 * per_corner, 2))
    return points, np.repeat(labels, per_corner)


def fit(x, y, lr, epochs, seed, series=None):
    """Train from w = 0, b = 0; returns (w, b, the 1-based epoch of the first pass without a
    mistake or None, the mistakes of the last pass)."""
    rng = np.random.default_rng(seed)
    w, b = np.zeros(x.shape[1]), 0.0
    converged, mistakes = None, len(x)
    for epoch in range(1, epochs + 1):
        w, b, mistakes = train_epoch(w, b, x, y, lr, rng.permutation(len(x)))
        if series:
            labkit.metric(series, epoch, mistakes)
        if mistakes == 0:
            converged = epoch
            break
    return w, b, converged, mistakes


def main():
    params = labkit.params()
    seed, lr, epochs = params["seed"], params["lr"], params["epochs"]
    rng = np.random.default_rng(seed)
    x_sep, y_sep = separable(rng, params["samples"], params["margin"])
    x_xor, y_xor = xor(rng, params["samples"] // 4)

    w, b, converged, _ = fit(x_sep, y_sep, lr, epochs, seed, series="separable_mistakes")
    labkit.progress(1, 3)
    sep_accuracy = accuracy(w, b, x_sep, y_sep)
    print(f"separable set: {'converged after ' + str(converged) + ' epochs' if converged else 'no mistake-free epoch'}, "
          f"accuracy {sep_accuracy:.3f}")
    _, _, converged_at_1, _ = fit(x_sep, y_sep, 1.0, epochs, seed)
    labkit.progress(2, 3)

    w, b, xor_converged, xor_last = fit(x_xor, y_xor, lr, epochs, seed, series="xor_mistakes")
    xor_accuracy = accuracy(w, b, x_xor, y_xor)
    labkit.progress(3, 3)
    print(f"XOR: {'converged' if xor_converged else 'never converged'}; {xor_last} mistakes in the "
          f"last epoch, final accuracy {xor_accuracy:.3f}")

    nan = float("nan")
    labkit.result(
        separable_epochs=float(converged) if converged else nan,
        separable_accuracy=sep_accuracy,
        epochs_change_vs_lr_1=(converged - converged_at_1) if converged and converged_at_1 else nan,
        xor_accuracy=xor_accuracy,
        xor_converged=float(xor_converged is not None),
        xor_last_epoch_mistakes=float(xor_last),
    )


if __name__ == "__main__":
    main()
