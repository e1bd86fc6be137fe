"""What a lab's checks.py uses: the check decorator and the assertions of a check.

A check belongs to one hole and takes the learner's and the reference's code
(`learner.layers`, `reference.layers`). It passes by returning and fails by raising CheckFailed
(the `expect_*` helpers do) or any exception from the learner's code. numpy is imported only
when a helper needs it, so `from studyterm import labkit` stays free.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import NamedTuple

FLOOR = 1e-8
"""Relative errors are taken against max(|a|, |b|, FLOOR): two values that are both rounding
noise around zero are not a mismatch."""

CheckFunction = Callable[[object, object], object]


class CheckFailed(AssertionError):
    """A check's verdict: the message is what the learner reads, one line."""


class Check(NamedTuple):
    """(A NamedTuple, not a dataclass: every lab process imports this, and dataclasses costs
    ~10 ms of startup.)"""

    hole: str
    description: str
    function: CheckFunction

    @property
    def name(self) -> str:
        return self.function.__name__


REGISTRY: list[Check] = []
"""The checks registered by the checks.py being loaded, in the order they are defined."""


def check(hole: str, description: str) -> Callable[[CheckFunction], CheckFunction]:
    """Register the decorated function `(learner, reference) -> None` as a check of `hole`."""

    def register(function: CheckFunction) -> CheckFunction:
        REGISTRY.append(Check(hole, description, function))
        return function

    return register


def rel_error(a, b) -> float:
    """The largest elementwise relative error max |a - b| / max(|a|, |b|, 1e-8) (the relative
    error of CS231n's notes on gradient checks; 1e-7 or less in float64 means it is right)."""
    import numpy as np

    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    if a.size == 0 and b.size == 0:
        return 0.0
    scale = np.maximum(np.maximum(np.abs(a), np.abs(b)), FLOOR)
    return float(np.max(np.abs(a - b) / scale))


_relative_error = rel_error  # expect_close's keyword `rel_error` hides the function


def numerical_gradient(f: Callable, x, h: float = 1e-5, dout=None):
    """The gradient of `f` at the float64 array `x` by central differences, (f(x+h) - f(x-h)) / 2h
    for each entry of x (changed in place and restored). `f(x)` returns a scalar, or an array
    whose sum weighted by `dout` is taken (the gradient of a layer's output given dout)."""
    import numpy as np

    if not isinstance(x, np.ndarray) or x.dtype != np.float64:
        raise TypeError("numerical_gradient needs a float64 numpy array (it changes it in place)")

    def value() -> float:
        out = f(x)
        return float(np.sum(np.asarray(out) * dout)) if dout is not None else float(out)

    grad = np.zeros_like(x)
    with np.nditer(x, flags=["multi_index"], op_flags=[["readwrite"]]) as entries:
        for _ in entries:
            index = entries.multi_index
            saved = x[index]
            x[index] = saved + h
            plus = value()
            x[index] = saved - h
            minus = value()
            x[index] = saved
            grad[index] = (plus - minus) / (2 * h)
    return grad


def expect_true(condition: object, message: str) -> None:
    if not condition:
        raise CheckFailed(message)


def expect_shape(name: str, value, shape: tuple[int, ...]) -> None:
    """`value` is an array of exactly `shape`."""
    actual = getattr(value, "shape", None)
    if actual is None:
        raise CheckFailed(f"{name}: got {_kind(value)}, want an array of shape {tuple(shape)}")
    if tuple(actual) != tuple(shape):
        raise CheckFailed(f"{name}: shape {tuple(actual)}, want {tuple(shape)}")


def expect_close(name: str, actual, expected, rel_error: float = 1e-7) -> None:
    """`actual` has the shape of `expected`, only finite values, and a relative error (see
    `rel_error`) of at most `rel_error`."""
    import numpy as np

    expected = np.asarray(expected, dtype=np.float64)
    if actual is None or not hasattr(actual, "shape") and not isinstance(actual, int | float):
        raise CheckFailed(f"{name}: got {_kind(actual)}, want {_wanted(expected)}")
    try:
        values = np.asarray(actual, dtype=np.float64)
    except (TypeError, ValueError):
        raise CheckFailed(f"{name}: got {_kind(actual)}, want {_wanted(expected)}") from None
    if values.shape != expected.shape:
        raise CheckFailed(f"{name}: shape {values.shape}, want {expected.shape}")
    if not np.all(np.isfinite(values)):
        raise CheckFailed(f"{name}: holds NaN or infinite values")
    error = _relative_error(values, expected)
    if not error <= rel_error:
        raise CheckFailed(f"{name}: relative error {_short(error)} (want <= {rel_error:.0e})")


def _short(value: float) -> str:
    return f"{value:.2g}" if math.isfinite(value) else str(value)


def _kind(value: object) -> str:
    return "None" if value is None else type(value).__name__


def _wanted(expected) -> str:
    return "a number" if expected.shape == () else f"an array of shape {expected.shape}"
