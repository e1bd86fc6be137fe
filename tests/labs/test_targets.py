import math

import pytest

from studyterm.labs.targets import Target, TargetError, check_targets, format_value, parse_target


@pytest.mark.parametrize(
    "text, target",
    [
        ("accuracy >= 0.95", Target("accuracy", ">=", 0.95)),
        ("final_loss<=0.15", Target("final_loss", "<=", 0.15)),
        ("  grad_rel_error <= 1e-6 ", Target("grad_rel_error", "<=", 1e-6)),
        ("steps > 10", Target("steps", ">", 10.0)),
        ("loss < 2", Target("loss", "<", 2.0)),
    ],
)
def test_parse(text, target):
    assert parse_target(text) == target


@pytest.mark.parametrize("text", ["accuracy", "accuracy = 0.9", ">= 0.9", "acc >= inf", "acc >= 0.9 extra", 3])
def test_parse_refuses(text):
    with pytest.raises(TargetError):
        parse_target(text)


def test_text_and_display():
    target = parse_target("grad_rel_error <= 1e-6")
    assert target.text == "grad_rel_error <= 1e-06"
    assert parse_target("accuracy >= 0.95").display == "accuracy ≥ 0.95"


def test_checks_treat_missing_and_non_finite_values_as_missed():
    targets = [parse_target(t) for t in ("accuracy >= 0.95", "loss <= 0.15", "error <= 1e-6", "x > 0")]
    checks = check_targets(targets, {"accuracy": 0.95, "loss": math.nan, "x": math.inf})
    assert [(c.value is not None, c.met) for c in checks] == [(True, True), (True, False), (False, False), (True, False)]
    assert checks[0].as_dict() == {"target": "accuracy >= 0.95", "metric": "accuracy", "op": ">=",
                                   "threshold": 0.95, "value": 0.95, "met": True}


def test_format_value():
    assert [format_value(v) for v in (0.9133, 10.0, 1e-6, 2.8e-16, None, math.nan)] == [
        "0.913", "10", "1e-06", "2.8e-16", "-", "nan"]
