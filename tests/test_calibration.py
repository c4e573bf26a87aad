"""Temperature scaling and the coverage curve, on numbers that can be checked by hand."""

import math

import pytest

from Utils.calibration import (coverage_at, coverage_curve, fit_temperature, nll, reliability, softmax,
                               threshold_for_accuracy)


def test_temperature_softens_an_overconfident_model_and_keeps_predictions():
    # Always 10 nats apart, right 70% of the time: the best T makes the top option's probability ~0.7.
    items = [([0.0, -10.0], 0)] * 7 + [([0.0, -10.0], 1)] * 3
    t = fit_temperature(items)
    assert softmax([0.0, -10.0], t)[0] == pytest.approx(0.7, abs=1e-3)
    assert nll(items, t) < nll(items, 1.0)
    # An underconfident model (scores too close) gets T < 1: sharper.
    sharp = fit_temperature([([0.0, -1.0], 0)] * 9 + [([0.0, -1.0], 1)])
    assert sharp < 1 and softmax([0.0, -1.0], sharp)[0] == pytest.approx(0.9, abs=1e-3)


def test_reliability_bins_and_expected_calibration_error_by_hand():
    # Four items at 0.95 (3 right), two at 0.55 (1 right).
    # ECE = 4/6 * |0.95 - 0.75| + 2/6 * |0.55 - 0.5| = 0.1333 + 0.0167 = 0.15
    rel = reliability([0.95] * 4 + [0.55] * 2, [True, True, True, False, True, False])
    assert [(b["n"], b["accuracy"]) for b in rel["bins"]] == [(2, 0.5), (4, 0.75)]
    assert rel["ece"] == pytest.approx(0.15)


def test_coverage_curve_and_the_threshold_for_a_target_accuracy():
    confidences = [0.99, 0.9, 0.9, 0.8, 0.6, 0.4]
    correct = [True, True, True, True, False, False]
    curve = coverage_curve(confidences, correct)
    assert [(c["threshold"], c["n"], c["accuracy"]) for c in curve] == [
        (0.99, 1, 1.0), (0.9, 3, 1.0), (0.8, 4, 1.0), (0.6, 5, 0.8), (0.4, 6, 4 / 6)]
    assert threshold_for_accuracy(curve, 0.9, min_items=2)["threshold"] == 0.8  # lowest that keeps 90%
    assert threshold_for_accuracy(curve, 0.9, min_items=5) is None  # too few items reach it
    [row] = coverage_at(curve, (0.75,))
    assert (row["threshold"], row["n"]) == (None, 0)  # min_items=20 by default: 6 items never qualify
    assert math.isclose(sum(softmax([1.0, 2.0, 3.0])), 1.0)
