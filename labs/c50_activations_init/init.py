"""Ways to draw a layer's initial weights W (fan_in, fan_out); biases start at zero."""

import numpy as np


def he_init(rng, fan_in, fan_out):
    """He (Kaiming) normal initialisation, for ReLU layers: keeps the mean square of the
    activations the same from layer to layer, since ReLU zeroes half of its inputs."""
    # >>> hole he_init
    W = rng.standard_normal((fan_in, fan_out)) * np.sqrt(2.0 / fan_in)
    # <<< hole he_init
    return W


def xavier_init(rng, fan_in, fan_out):
    """Glorot (Xavier) normal initialisation: std sqrt(2 / (fan_in + fan_out)), made for tanh
    and sigmoid-like layers (torch.nn.init.xavier_normal_ with gain 1)."""
    return rng.standard_normal((fan_in, fan_out)) * np.sqrt(2.0 / (fan_in + fan_out))


def small_init(rng, fan_in, fan_out):
    """A fixed small standard deviation, 0.01, whatever the layer's size: fine for one layer,
    ruinous for many."""
    return 0.01 * rng.standard_normal((fan_in, fan_out))


INITS = {"he": he_init, "xavier": xavier_init, "small": small_init}
