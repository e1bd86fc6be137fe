"""An offline English text: the dataset descriptions scikit-learn ships (sklearn/datasets/descr),
about 43,000 characters of real prose, lower-cased with runs of white space made one space."""

import importlib.util
import re
from pathlib import Path

from studyterm import labkit

FILES = ["breast_cancer.rst", "california_housing.rst", "covtype.rst", "diabetes.rst",
         "digits.rst", "iris.rst", "kddcup99.rst", "lfw.rst", "linnerud.rst",
         "olivetti_faces.rst", "rcv1.rst", "species_distributions.rst", "twenty_newsgroups.rst",
         "wine_data.rst"]


def load():
    """The whole text as one string (found without importing scikit-learn, which is slow)."""
    spec = importlib.util.find_spec("sklearn")
    if spec is None or not spec.submodule_search_locations:
        labkit.require("sklearn")  # ends the run as unavailable: scikit-learn is not installed
    folder = Path(spec.submodule_search_locations[0]) / "datasets" / "descr"
    text = " ".join((folder / name).read_text(encoding="utf-8") for name in FILES)
    return re.sub(r"\s+", " ", text.lower())
