"""Agreement metrics on hand-made predictions, each number worked out by hand in the comments."""

import pytest

from Utils.metrics import (Prediction, accuracy_per_criterion, accuracy_per_lab, bootstrap_interval, chance_accuracy,
                           cohen_kappa, confusion_matrix, confusion_matrices, macro_accuracy, majority_baseline,
                           micro_accuracy, quadratic_weighted_kappa, summarize)


def P(lab, student, criterion, true, predicted, options=("A", "B", "C")):
    return Prediction(lab, student, criterion, true, predicted, options)


# lab1 / Names: 4 items, 3 right.   lab1 / Loop: 2 items, 0 right (one not predicted).
# lab2 / Names: 2 items, 2 right.   Total: 8 items, 5 right.
PREDICTIONS = [
    P("lab1", "s1", "Names", "A", "A"), P("lab1", "s2", "Names", "B", "B"),
    P("lab1", "s3", "Names", "C", "C"), P("lab1", "s4", "Names", "A", "B"),
    P("lab1", "s1", "Loop", "A", "B", ("A", "B")), P("lab1", "s2", "Loop", "B", None, ("A", "B")),
    P("lab2", "s1", "Names", "A", "A"), P("lab2", "s2", "Names", "B", "B"),
]


def test_micro_accuracy_counts_missing_predictions_as_wrong():
    assert micro_accuracy(PREDICTIONS) == 5 / 8
    assert micro_accuracy([]) is None


def test_accuracy_per_criterion_keeps_labs_apart_and_macro_is_their_mean():
    per = accuracy_per_criterion(PREDICTIONS)
    assert list(per) == ["lab1 / Names", "lab1 / Loop", "lab2 / Names"]
    assert per["lab1 / Names"] == {"accuracy": 0.75, "correct": 3, "n": 4}
    assert per["lab1 / Loop"] == {"accuracy": 0.0, "correct": 0, "n": 2}
    assert per["lab2 / Names"]["accuracy"] == 1.0
    # Macro: (0.75 + 0 + 1) / 3, not the micro 5/8.
    assert macro_accuracy(PREDICTIONS) == pytest.approx(1.75 / 3)


def test_accuracy_per_lab():
    per = accuracy_per_lab(PREDICTIONS)
    assert per["lab1"] == {"accuracy": 0.5, "correct": 3, "n": 6}
    assert per["lab2"] == {"accuracy": 1.0, "correct": 2, "n": 2}


def test_cohen_kappa_by_hand():
    # 10 items. TA: A x5, B x5. Model: A x6, B x4. Agree on 4 A's and 3 B's: p_o = 0.7.
    # p_e = (5/10)(6/10) + (5/10)(4/10) = 0.30 + 0.20 = 0.5. kappa = (0.7 - 0.5) / 0.5 = 0.4.
    true = ["A"] * 5 + ["B"] * 5
    predicted = ["A", "A", "A", "A", "B"] + ["A", "A", "B", "B", "B"]
    assert cohen_kappa(true, predicted) == pytest.approx(0.4)
    assert cohen_kappa(true, true) == pytest.approx(1.0)
    # Always answering the majority class has p_o = p_e: no agreement beyond chance.
    assert cohen_kappa(["A", "A", "B", "A"], ["A"] * 4) == pytest.approx(0.0)
    # Both sides constant and equal: p_e = 1, kappa undefined.
    assert cohen_kappa(["A", "A"], ["A", "A"]) is None


def test_cohen_kappa_treats_no_prediction_as_a_category():
    # TA A,A,B,B; model A,None,B,B. p_o = 3/4. TA marginals A .5 B .5; model A .25 B .5 none .25.
    # p_e = .5*.25 + .5*.5 = .375. kappa = (.75 - .375) / .625 = 0.6.
    assert cohen_kappa(["A", "A", "B", "B"], ["A", None, "B", "B"]) == pytest.approx(0.6)
    with pytest.raises(ValueError):
        cohen_kappa(["A"], [])


def test_confusion_matrix_by_hand():
    cm = confusion_matrix(["A", "A", "B", "C", "C", "C"], ["A", "B", "B", "A", None, "C"], ["A", "B", "C"])
    assert cm["labels"] == ["A", "B", "C"]
    assert cm["columns"] == ["A", "B", "C", "none"]
    assert cm["matrix"] == [[1, 1, 0, 0],   # TA A: once A, once B
                            [0, 1, 0, 0],   # TA B: B
                            [1, 0, 1, 1]]   # TA C: A, C, no prediction
    # Letters that never occur still get their row and column, in the criterion's order.
    assert confusion_matrix(["B"], ["B"], ["A", "B", "C"])["matrix"] == [[0, 0, 0], [0, 1, 0], [0, 0, 0]]


def test_confusion_matrices_per_criterion_and_summary():
    matrices = confusion_matrices(PREDICTIONS)
    assert matrices["lab1 / Loop"] == {"labels": ["A", "B"], "columns": ["A", "B", "none"],
                                       "matrix": [[0, 1, 0], [0, 0, 1]]}
    assert matrices["lab1 / Names"]["matrix"] == [[1, 1, 0], [0, 1, 0], [0, 0, 1]]
    summary = summarize(PREDICTIONS)
    assert summary["n_items"] == 8 and summary["no_prediction"] == 1
    assert summary["micro_accuracy"] == 5 / 8
    assert summary["per_criterion"]["lab2 / Names"]["cohen_kappa"] == pytest.approx(1.0)


def test_constant_answer_and_chance_baselines_by_hand():
    constant = majority_baseline(PREDICTIONS)
    # lab1/Names: TA A,B,C,A -> A (2 of 4 right); lab1/Loop: A,B -> tie, A (1 of 2); lab2/Names: A,B -> A (1 of 2).
    assert [p.predicted_option for p in constant] == ["A", "A", "A", "A", "A", "A", "A", "A"]
    assert micro_accuracy(constant) == 4 / 8
    # Chance: six 3-option items and two 2-option items: (6/3 + 2/2) / 8.
    assert chance_accuracy(PREDICTIONS) == pytest.approx((6 / 3 + 2 / 2) / 8)
    # The report's constant-answer row scores it like a model: a constant answer agrees no more than chance.
    assert cohen_kappa([p.true_option for p in constant], [p.predicted_option for p in constant]) == pytest.approx(0.0)


def test_bootstrap_interval_resamples_students_and_contains_the_estimate():
    lo, hi = bootstrap_interval(PREDICTIONS)
    assert lo <= 5 / 8 <= hi and lo < hi
    assert bootstrap_interval(PREDICTIONS) == (lo, hi)  # seeded
    everyone_right = [P("l", f"s{i}", "c", "A", "A") for i in range(5)]
    assert bootstrap_interval(everyone_right) == (1.0, 1.0)


def test_quadratic_weighted_kappa_by_hand():
    # Two items of a 3-rating criterion. TA A, C; model B, C. Positions (0,1), (2,2); k = 3.
    # Observed weighted disagreement: (1/4 + 0) / 2 = 1/8.
    # Expected: TA {0: 1, 2: 1}, model {1: 1, 2: 1}: (w(0,1) + w(0,2) + w(2,1) + w(2,2)) / 4
    #   = (1/4 + 1 + 1/4 + 0) / 4 = 3/8.  QWK = 1 - (1/8)/(3/8) = 2/3.
    preds = [P("l", "s1", "c", "A", "B"), P("l", "s2", "c", "C", "C")]
    assert quadratic_weighted_kappa(preds) == pytest.approx(2 / 3)
    # Off by one is punished less than off by two: the same miss as A->C is worse.
    worse = [P("l", "s1", "c", "A", "C"), P("l", "s2", "c", "C", "C")]
    assert quadratic_weighted_kappa(worse) < quadratic_weighted_kappa(preds)
    # No prediction counts as the furthest rating.
    assert quadratic_weighted_kappa([P("l", "s1", "c", "A", None), P("l", "s2", "c", "C", "C")]) == \
        quadratic_weighted_kappa(worse)


def test_kappas_are_none_where_undefined_without_warnings(recwarn):
    assert cohen_kappa([], []) is None
    # Both sides always C (position 2 of 3): no weighted disagreement to expect, QWK undefined.
    assert quadratic_weighted_kappa([P("l", "s1", "c", "C", "C"), P("l", "s2", "c", "C", "C")]) is None
    # A single-rating criterion: nothing to weigh.
    assert quadratic_weighted_kappa([P("l", "s1", "c", "A", "A", ("A",))]) is None
    assert quadratic_weighted_kappa([]) is None
    # Opposite constant raters: p_o = p_e = 0, kappa 0 (defined).
    assert cohen_kappa(["A", "A"], ["B", "B"]) == pytest.approx(0.0)
    assert confusion_matrix([], [], ["A", "B"]) == {"labels": ["A", "B"], "columns": ["A", "B"],
                                                    "matrix": [[0, 0], [0, 0]]}
    assert confusion_matrix(["A"], ["A"], ["A"])["matrix"] == [[1]]
    assert not recwarn.list, [str(w.message) for w in recwarn.list]
