"""Temperature scaling and the coverage curve, on numbers that can be checked by hand."""

import json
import math

import pytest

from Utils.calibration import (Calibration, coverage_at, coverage_curve, fit_temperature, for_setting, nll, reliability,
                               softmax, threshold_for_accuracy)
from Utils.runs import CALIBRATION_FILE, read_calibrations, write_calibration


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


def test_calibrations_are_kept_per_scoring_setting_and_never_cross_settings(tmp_path):
    legacy = {"temperature": 2.0, "n_items": 5, "fitted_on": "x", "auto_accept": []}  # before settings were recorded
    (tmp_path / CALIBRATION_FILE).write_text(json.dumps(legacy))
    assert read_calibrations(tmp_path) == [legacy]
    assert for_setting([legacy], "likelihood", "int8") == (legacy, None)  # its method, any precision
    entry, why = for_setting([legacy], "first_token", "none")
    assert entry is None and "--method likelihood --quantization (not recorded)" in why
    assert "--method first_token --quantization none" in why and "evaluate.py" in why
    assert for_setting([], "likelihood", "none") == (None, None)  # nothing saved: nothing to explain

    fp32 = Calibration(1.5, 10, "x", "likelihood", "none").to_dict()
    int8 = Calibration(3.0, 10, "x", "likelihood", "int8").to_dict()
    first = Calibration(0.7, 10, "x", "first_token", "int8").to_dict()
    for calibration in (fp32, int8, first):
        write_calibration(tmp_path, calibration)
    saved = read_calibrations(tmp_path)
    assert saved == [fp32, int8, first]  # the unrecorded likelihood one was replaced by a recorded one
    assert for_setting(saved, "likelihood", "int8")[0] == int8
    assert for_setting(saved, "first_token", "int8")[0] == first
    assert for_setting(saved, "first_token", "none")[0] is None
    assert Calibration.from_dict(for_setting(saved, "likelihood", "none")[0]) == Calibration(1.5, 10, "x", "likelihood", "none")
    refit = Calibration(1.7, 12, "y", "likelihood", "none").to_dict()
    write_calibration(tmp_path, refit)  # the same setting again: replaced, the others kept
    assert read_calibrations(tmp_path) == [int8, first, refit]

    (tmp_path / CALIBRATION_FILE).write_text(json.dumps({"settings": [{"temperature": "hot"}]}))
    with pytest.raises(ValueError, match="calibration.json: not a calibration file"):
        read_calibrations(tmp_path)
