"""py-fsrs's optimizer in its own process, on a slice of a real public review log."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from fsrs.scheduler import DEFAULT_PARAMETERS, LOWER_BOUNDS_PARAMETERS, UPPER_BOUNDS_PARAMETERS

from studyterm.fitting.public_log import read_review_csv
from studyterm.fitting.runner import FitError, fit_parameters
from studyterm.fitting.service import NotEnoughReviewsError, fit
from studyterm.schedule.evaluate import fit_reviews, spaced_reviews

SLICE = Path(__file__).resolve().parents[1] / "fixtures" / "fsrs" / "review-log-slice.csv"


@pytest.fixture(scope="module")
def reviews():
    return fit_reviews(read_review_csv(SLICE))


def test_the_slice_is_big_enough_for_the_optimizer(reviews):
    assert len(reviews) == 1366 and spaced_reviews(reviews) == 721


@pytest.mark.slow  # about a minute on two busy cores: five epochs of torch over 1,366 reviews
def test_the_optimizer_fits_parameters_in_its_own_process_and_reports_each_epoch(reviews):
    progress = []
    parameters, seconds = fit(reviews, lambda done, total: progress.append((done, total)))
    assert progress == [(k, 5) for k in range(6)]
    assert len(parameters) == len(DEFAULT_PARAMETERS) and parameters != tuple(DEFAULT_PARAMETERS)
    assert all(low <= p <= high for p, low, high in
               zip(parameters, LOWER_BOUNDS_PARAMETERS, UPPER_BOUNDS_PARAMETERS, strict=True))
    assert seconds > 0


def test_too_few_reviews_are_refused_before_any_process_starts(reviews):
    with pytest.raises(NotEnoughReviewsError, match=r"there are \d+, and the optimizer needs at least 512"):
        fit(reviews[:300])


def test_a_worker_without_torch_says_how_to_install_it(tmp_path):
    """A stand-in python that hides torch: the worker answers with an install hint, not a traceback."""
    shim = tmp_path / "python"
    shim.write_text(
        f"#!{sys.executable}\n"
        "import runpy, sys\n"
        "sys.modules['torch'] = None\n"
        "sys.argv = ['worker']\n"
        "runpy.run_module('studyterm.fitting.worker', run_name='__main__')\n",
        encoding="utf-8",
    )
    shim.chmod(0o755)
    with pytest.raises(FitError, match=r'pip install "studyterm\[optimizer\]"'):
        fit_parameters([("a", __import__("datetime").date(2026, 1, 1), 4)], python=str(shim))


def test_a_crashing_worker_is_one_line(tmp_path):
    broken = tmp_path / "python"
    broken.write_text("#!/bin/sh\necho 'boom: no such thing' >&2\nexit 3\n", encoding="utf-8")
    broken.chmod(0o755)
    with pytest.raises(FitError, match=r"exit status 3\): boom: no such thing"):
        fit_parameters([], python=str(broken))


def test_the_parent_process_never_imports_torch():
    code = ("import sys; from studyterm.fitting import service, runner; import studyterm.cli.fsrs; "
            "print('torch' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
