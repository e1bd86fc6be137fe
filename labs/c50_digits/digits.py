"""The 8x8 handwritten digits that scikit-learn ships (1,797 images, 10 classes), read offline.

The file is read straight from the installed package rather than through
`sklearn.datasets.load_digits`, which parses the same CSV but first imports scikit-learn and
SciPy: about 1.5 s of CPU that a lab on a budget of seconds cannot spare.
"""

import importlib.util
from pathlib import Path

import numpy as np

from studyterm import labkit

TEST_SIZE = 450
"""A quarter of the images, the split scikit-learn's own examples use."""
SPLIT_SEED = 2026
"""The test set is the same for every run, so runs with different seeds are comparable."""


def load():
    """All images as floats in [0, 1], shape (1797, 64), and their labels 0-9."""
    spec = importlib.util.find_spec("sklearn")
    if spec is None or not spec.submodule_search_locations:
        labkit.require("sklearn")  # ends the run as unavailable: scikit-learn is not installed
    folder = Path(spec.submodule_search_locations[0]) / "datasets" / "data"
    data = np.loadtxt(folder / "digits.csv.gz", delimiter=",", dtype=np.float32)
    return data[:, :-1] / 16.0, data[:, -1].astype(np.int64)


def split(images, labels):
    """(train_images, train_labels, test_images, test_labels), the test set fixed."""
    order = np.random.default_rng(SPLIT_SEED).permutation(len(images))
    test, train = order[:TEST_SIZE], order[TEST_SIZE:]
    return images[train], labels[train], images[test], labels[test]
