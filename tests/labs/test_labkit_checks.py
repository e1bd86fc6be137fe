"""The helpers a lab's checks.py uses: relative error, numerical gradients, expectations, and
the check registry; and loading two copies of a lab's code side by side."""

import sys

import numpy as np
import pytest

from studyterm import labkit
from studyterm.labkit import checks
from studyterm.labkit.loader import CodeTree


def test_rel_error_is_the_largest_elementwise_relative_error_with_a_floor():
    assert labkit.rel_error(np.array([1.0, 2.0]), np.array([1.0, 2.2])) == pytest.approx(0.2 / 2.2)
    assert labkit.rel_error(np.array([-4.0]), np.array([4.0])) == 2.0
    assert labkit.rel_error(np.array([1e-12]), np.array([-1e-12])) == pytest.approx(2e-12 / 1e-8)
    assert labkit.rel_error(3.0, 3.0) == 0.0 and labkit.rel_error(np.zeros(0), np.zeros(0)) == 0.0


def test_numerical_gradient_of_a_scalar_and_of_an_array_given_dout():
    x = np.array([[1.0, -2.0], [0.5, 3.0]])
    grad = labkit.numerical_gradient(lambda v: np.sum(v ** 3), x)
    assert labkit.rel_error(grad, 3 * x ** 2) < 1e-8
    assert x.tolist() == [[1.0, -2.0], [0.5, 3.0]]  # restored
    dout = np.array([[1.0, 2.0], [3.0, 4.0]])
    assert labkit.rel_error(labkit.numerical_gradient(np.sin, x, dout=dout), np.cos(x) * dout) < 1e-8
    with pytest.raises(TypeError, match="float64 numpy array"):
        labkit.numerical_gradient(np.sum, np.ones(3, dtype=np.float32))


@pytest.mark.parametrize("call, message", [
    (lambda: labkit.expect_close("dW", np.ones(2) * 1.31, np.ones(2), rel_error=1e-7),
     "dW: relative error 0.24 (want <= 1e-07)"),
    (lambda: labkit.expect_close("dW", np.ones((2, 3)), np.ones((3, 2))), "dW: shape (2, 3), want (3, 2)"),
    (lambda: labkit.expect_close("dx", None, np.ones((5, 4))), "dx: got None, want an array of shape (5, 4)"),
    (lambda: labkit.expect_close("dx", [1.0, 2.0], np.ones(2)), "dx: got list, want an array of shape (2,)"),
    (lambda: labkit.expect_close("loss", np.nan, 1.0), "loss: holds NaN or infinite values"),
    (lambda: labkit.expect_shape("dx", None, (5, 4)), "dx: got None, want an array of shape (5, 4)"),
    (lambda: labkit.expect_shape("dx", np.ones((4, 5)), (5, 4)), "dx: shape (4, 5), want (5, 4)"),
    (lambda: labkit.expect_true(False, "the layer kept no input"), "the layer kept no input"),
])
def test_expectations_fail_with_one_clear_line(call, message):
    with pytest.raises(labkit.CheckFailed) as failure:
        call()
    assert str(failure.value) == message


def test_expectations_that_hold_return_quietly():
    labkit.expect_close("dx", np.array([1.0, 2.0]), np.array([1.0, 2.0 + 1e-12]))
    labkit.expect_close("loss", 0.5, 0.5)
    labkit.expect_shape("dx", np.ones((5, 4)), (5, 4))
    labkit.expect_true(True, "never shown")


def test_checks_register_in_definition_order_with_their_hole():
    checks.REGISTRY.clear()

    @labkit.check("b", "second hole")
    def one(learner, reference):
        pass

    @labkit.check("a", "first hole")
    def two(learner, reference):
        pass

    assert [(c.hole, c.description, c.name) for c in checks.REGISTRY] == [
        ("b", "second hole", "one"), ("a", "first hole", "two")]
    checks.REGISTRY.clear()


def test_two_code_trees_import_their_own_sibling_modules(tmp_path):
    for side in ("learner", "reference"):
        folder = tmp_path / side
        folder.mkdir()
        (folder / "helper.py").write_text(f"WHO = {side!r}\n")
        (folder / "layers.py").write_text("import helper\nfrom helper import WHO\n")
        (folder / "checks.py").write_text("raise SystemExit('never imported as code')\n")
    learner, reference = CodeTree(tmp_path / "learner", "learner"), CodeTree(tmp_path / "reference", "reference")
    assert (learner.layers.WHO, reference.layers.WHO) == ("learner", "reference")
    assert learner.layers.helper is learner.helper and learner.layers is learner.layers
    assert "layers" not in sys.modules and "helper" not in sys.modules
    assert str(tmp_path / "learner") not in sys.path
    with pytest.raises(AttributeError, match=r"the learner's code has no module checks \(no checks.py"):
        _ = learner.checks
