"""The checks of c50_activations_init's hole, He initialisation: the shape and the spread of
the weights it draws, and what they do to a signal passing through many ReLU layers."""

import numpy as np

from studyterm import labkit


def _draw(learner, seed, fan_in, fan_out):
    W = learner.init.he_init(np.random.default_rng(seed), fan_in, fan_out)
    labkit.expect_shape(f"he_init(rng, {fan_in}, {fan_out})", W, (fan_in, fan_out))
    return np.asarray(W, dtype=np.float64)


@labkit.check("he_init", "shape (fan_in, fan_out), standard deviation sqrt(2 / fan_in)")
def he_spread(learner, reference):
    for fan_in, fan_out in ((800, 300), (50, 4000)):
        W = _draw(learner, 1, fan_in, fan_out)
        want = np.sqrt(2.0 / fan_in)
        std = float(W.std())
        labkit.expect_true(abs(std / want - 1) < 0.03,
                           f"he_init(rng, {fan_in}, {fan_out}): standard deviation {std:.4g}, want "
                           f"sqrt(2 / fan_in) = {want:.4g}" + (
                               " (that is sqrt(2 / fan_out): use the layer's inputs)"
                               if abs(std / np.sqrt(2.0 / fan_out) - 1) < 0.03 else ""))


@labkit.check("he_init", "zero-mean normal draws from the rng it is given")
def he_normal(learner, reference):
    W = _draw(learner, 2, 400, 500)
    std = np.sqrt(2.0 / 400)
    labkit.expect_true(abs(float(W.mean())) < 0.02 * std,
                       f"mean of the weights {W.mean():.3g}: they should be centred on 0")
    within = float(np.mean(np.abs(W) < std))
    labkit.expect_true(abs(within - 0.6827) < 0.02,
                       f"{within:.1%} of the weights lie within one standard deviation of 0; a normal "
                       "distribution has 68.3% there (draw with rng.standard_normal)")
    again = _draw(learner, 2, 400, 500)
    other = _draw(learner, 3, 400, 500)
    labkit.expect_true(np.array_equal(W, again) and not np.array_equal(W, other),
                       "draw the weights from the `rng` passed in, so a seed gives the same network")
