"""The checks of c50_perceptron's one hole, on samples built by hand so the right answer is
known exactly."""

import numpy as np

from studyterm import labkit


def _step(learner, w, b, x, y, lr):
    result = learner.perceptron.update(np.array(w, dtype=float), float(b), np.array(x, dtype=float), y, lr)
    labkit.expect_true(isinstance(result, tuple) and len(result) == 3,
                       "update must return (w, b, mistake)")
    return result


@labkit.check("perceptron_update", "a mistake moves w by lr·y·x and b by lr·y (also from w = 0)")
def mistakes_move_the_line(learner, reference):
    cases = [  # w, b, x, y, lr: each one a mistake
        ([0.0, 0.0], 0.0, [0.5, -2.0], 1, 1.0),      # on the line: counts as wrong
        ([1.0, 2.0], 0.5, [1.0, 1.0], -1, 0.1),      # score 3.5, label -1
        ([-1.0, 0.5], 0.0, [2.0, 1.0], 1, 0.25),     # score -1.5, label +1
    ]
    for w, b, x, y, lr in cases:
        new_w, new_b, mistake = _step(learner, w, b, x, y, lr)
        want_w = np.array(w) + lr * y * np.array(x)
        labkit.expect_true(bool(mistake), f"w={w}, b={b}, x={x}, y={y}: y·(w·x + b) = "
                           f"{y * (np.dot(w, x) + b):g} <= 0, so this sample is a mistake")
        labkit.expect_close(f"w after the mistake on x={x}, y={y}", new_w, want_w, rel_error=1e-12)
        labkit.expect_close(f"b after the mistake on x={x}, y={y}", np.array(new_b),
                            np.array(b + lr * y), rel_error=1e-12)


@labkit.check("perceptron_update", "a sample on the right side changes nothing")
def right_answers_change_nothing(learner, reference):
    cases = [([1.0, 2.0], 0.5, [1.0, 1.0], 1, 0.1), ([-1.0, 0.5], 0.0, [2.0, 1.0], -1, 1.0)]
    for w, b, x, y, lr in cases:
        new_w, new_b, mistake = _step(learner, w, b, x, y, lr)
        labkit.expect_true(not mistake, f"w={w}, b={b}, x={x}, y={y}: y·(w·x + b) = "
                           f"{y * (np.dot(w, x) + b):g} > 0, so this sample is not a mistake")
        labkit.expect_close(f"w after x={x}, y={y} (classified right)", new_w, np.array(w), rel_error=0)
        labkit.expect_close(f"b after x={x}, y={y} (classified right)", np.array(new_b), np.array(b),
                            rel_error=0)
