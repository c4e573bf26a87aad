"""Agreement with TAs: pure functions over predictions (no I/O, no torch).

Definitions used in every report:

- micro accuracy: the fraction of items (lab, student, criterion) whose predicted rating is
  the TA's. Items with no prediction (a generated reply that could not be parsed, or an item
  too long to score) count as wrong: every test item is in the denominator.
- per-criterion accuracy: the same, over the items of one criterion of one lab. A criterion is
  named "<lab> / <criterion title>", because titles such as "Variable names" recur across labs
  with different ratings.
- macro accuracy: the unweighted mean of the per-criterion accuracies, so a criterion with few
  students counts as much as one with many.
- Cohen's kappa: agreement corrected for chance, (p_o - p_e) / (1 - p_e), over all items, with
  the rating letters as categories and "no prediction" as one more category. It is None when
  p_e = 1 (both sides always give the same single letter), where kappa is undefined.
- quadratic-weighted kappa: Cohen's kappa with disagreements weighted by the squared distance
  between the ratings (ratings are ordinal: A, B, C ...), pooled over all items with the rating's
  position in its criterion (A = 0, B = 1 ...) as the scale; an item with no prediction counts
  as the rating furthest from the TA's.
- confusion matrix (per criterion): rows are the TA's rating, columns the prediction, in the
  criterion's letter order, with a last column for "no prediction" when there is any.

Baselines, on the same items, so nobody mistakes a prior for grading:

- constant answer: each criterion (lab / title) answered with its most common TA rating among
  these items. It is told the answer distribution of the very items it is scored on, so it is
  the best any constant answer can do: a grader that does not beat it has not read the code.
- chance: the expected accuracy of picking an option uniformly at random (mean of 1/K).

Bootstrap 95% intervals resample students (all items of a student together, since a student's
criteria are not independent), 1000 times with a fixed seed.
"""

from __future__ import annotations

import math
import random
import warnings
from collections import Counter
from dataclasses import dataclass
from typing import Callable, Iterable

from sklearn.exceptions import UndefinedMetricWarning
from sklearn.metrics import cohen_kappa_score
from sklearn.metrics import confusion_matrix as sklearn_confusion_matrix

NO_PREDICTION = "none"  # the category of items with no predicted rating


@dataclass(frozen=True)
class Prediction:
    lab: str
    student_id: str
    criterion: str
    true_option: str
    predicted_option: str | None
    options: tuple[str, ...] = ()  # the criterion's letters (for confusion-matrix labels)

    @property
    def correct(self) -> bool:
        return self.predicted_option == self.true_option

    @property
    def criterion_key(self) -> str:
        return criterion_key(self.lab, self.criterion)


def criterion_key(lab: str, criterion: str) -> str:
    return f"{lab} / {criterion}"


def accuracy(predictions: Iterable[Prediction]) -> float | None:
    predictions = list(predictions)
    if not predictions:
        return None
    return sum(p.correct for p in predictions) / len(predictions)


def micro_accuracy(predictions: Iterable[Prediction]) -> float | None:
    """Fraction of items predicted as the TA rated them (no prediction = wrong)."""
    return accuracy(predictions)


def accuracy_by(predictions: Iterable[Prediction], key: Callable[[Prediction], str]) -> dict[str, dict]:
    """{group: {"accuracy", "correct", "n"}} for the groups `key` defines, in first-seen order."""
    groups: dict[str, list[Prediction]] = {}
    for p in predictions:
        groups.setdefault(key(p), []).append(p)
    return {k: {"accuracy": accuracy(v), "correct": sum(p.correct for p in v), "n": len(v)}
            for k, v in groups.items()}


def accuracy_per_criterion(predictions: Iterable[Prediction]) -> dict[str, dict]:
    return accuracy_by(predictions, lambda p: p.criterion_key)


def accuracy_per_lab(predictions: Iterable[Prediction]) -> dict[str, dict]:
    return accuracy_by(predictions, lambda p: p.lab)


def macro_accuracy(predictions: Iterable[Prediction]) -> float | None:
    """Unweighted mean of the per-criterion accuracies (criterion = lab + criterion title)."""
    per = accuracy_per_criterion(predictions)
    if not per:
        return None
    return sum(v["accuracy"] for v in per.values()) / len(per)


def _kappa(true: list, predicted: list, labels: list, weights: str | None = None) -> float | None:
    """scikit-learn's Cohen's kappa, None where it is undefined (p_e = 1, or no weighted
    disagreement to expect) instead of nan and a warning."""
    with warnings.catch_warnings():
        # Undefined (nan) and single-label warnings: both are the documented None case here.
        warnings.simplefilter("ignore", UndefinedMetricWarning)
        warnings.filterwarnings("ignore", message="A single label was found", category=UserWarning)
        value = float(cohen_kappa_score(true, predicted, labels=labels, weights=weights))
    return None if math.isnan(value) else value


def cohen_kappa(true: list[str], predicted: list[str | None]) -> float | None:
    """Cohen's kappa of two raters over the same items; None (no prediction) is a category."""
    if len(true) != len(predicted):
        raise ValueError(f"{len(true)} true ratings but {len(predicted)} predictions")
    if not true:
        return None
    predicted = [NO_PREDICTION if p is None else p for p in predicted]
    return _kappa(true, predicted, sorted(set(true) | set(predicted)))


def confusion_matrix(true: list[str], predicted: list[str | None], labels: list[str]) -> dict:
    """{"labels": rows (TA), "columns": labels (+ "none" when needed), "matrix": counts[row][column]}."""
    predicted = [NO_PREDICTION if p is None else p for p in predicted]
    rows = list(labels) + sorted(set(true) - set(labels))
    columns = rows + sorted(set(predicted) - set(rows) - {NO_PREDICTION})
    if NO_PREDICTION in predicted:
        columns.append(NO_PREDICTION)
    if not true:
        return {"labels": rows, "columns": columns, "matrix": [[0] * len(columns) for _ in rows]}
    # Square over the columns (the rows are their first part); the TA never gives the extra columns.
    with warnings.catch_warnings():  # a one-letter criterion is a 1 x 1 matrix, as asked
        warnings.filterwarnings("ignore", message="A single label was found", category=UserWarning)
        square = sklearn_confusion_matrix(true, predicted, labels=columns)
    return {"labels": rows, "columns": columns, "matrix": square[: len(rows)].tolist()}


def confusion_matrices(predictions: Iterable[Prediction]) -> dict[str, dict]:
    """One confusion matrix per criterion (lab / title), rows and columns in the letter order."""
    groups: dict[str, list[Prediction]] = {}
    for p in predictions:
        groups.setdefault(p.criterion_key, []).append(p)
    out = {}
    for key, group in groups.items():
        labels = list(group[0].options) or sorted({p.true_option for p in group})
        out[key] = confusion_matrix([p.true_option for p in group], [p.predicted_option for p in group], labels)
    return out


def majority_baseline(predictions: list[Prediction]) -> list[Prediction]:
    """The same items answered by the constant answer: each criterion's most common TA rating
    among them (ties broken by letter order)."""
    counts: dict[str, Counter] = {}
    for p in predictions:
        counts.setdefault(p.criterion_key, Counter())[p.true_option] += 1
    constant = {k: min(c, key=lambda letter: (-c[letter], letter)) for k, c in counts.items()}
    return [Prediction(p.lab, p.student_id, p.criterion, p.true_option, constant[p.criterion_key], p.options)
            for p in predictions]


def chance_accuracy(predictions: list[Prediction]) -> float | None:
    """Expected accuracy of a uniformly random option: the mean of 1/K over the items."""
    if not predictions:
        return None
    return sum(1 / max(1, len(p.options) or 1) for p in predictions) / len(predictions)


def bootstrap_interval(predictions: list[Prediction], statistic=micro_accuracy, n: int = 1000, seed: int = 0,
                       level: float = 0.95) -> tuple[float, float] | None:
    """A percentile bootstrap interval of `statistic`, resampling students (lab, student) with
    all their items, so correlated criteria of one student are not counted as independent."""
    by_student: dict[tuple[str, str], list[Prediction]] = {}
    for p in predictions:
        by_student.setdefault((p.lab, p.student_id), []).append(p)
    students = list(by_student.values())
    if not students:
        return None
    rng = random.Random(seed)
    values = []
    for _ in range(n):
        sample = [p for _ in students for p in students[rng.randrange(len(students))]]
        value = statistic(sample)
        if value is not None:
            values.append(value)
    values.sort()
    lo = values[int((1 - level) / 2 * len(values))]
    hi = values[min(len(values) - 1, int((1 + level) / 2 * len(values)))]
    return lo, hi


def quadratic_weighted_kappa(predictions: list[Prediction]) -> float | None:
    """Quadratic-weighted kappa over all items, ratings placed by their position in the criterion
    (A = 0, B = 1, ...); no prediction counts as the position furthest from the TA's rating."""
    pairs = []
    for p in predictions:
        options = list(p.options) or sorted({p.true_option})
        if p.true_option not in options:
            continue
        t = options.index(p.true_option)
        if p.predicted_option in options:
            q = options.index(p.predicted_option)
        else:
            q = 0 if t >= len(options) / 2 else len(options) - 1
        pairs.append((t, q))
    if not pairs:
        return None
    k = max(max(t, q) for t, q in pairs) + 1
    if k == 1:
        return None
    return _kappa([t for t, _ in pairs], [q for _, q in pairs], list(range(k)), weights="quadratic")


def summarize(predictions: list[Prediction]) -> dict:
    """Every metric of the report, JSON-ready."""
    per_criterion = accuracy_per_criterion(predictions)
    for key, entry in per_criterion.items():
        group = [p for p in predictions if p.criterion_key == key]
        entry["cohen_kappa"] = cohen_kappa([p.true_option for p in group], [p.predicted_option for p in group])
    return {
        "n_items": len(predictions),
        "micro_accuracy": micro_accuracy(predictions),
        "micro_accuracy_interval_95": bootstrap_interval(predictions),
        "macro_accuracy": macro_accuracy(predictions),
        "quadratic_weighted_kappa": quadratic_weighted_kappa(predictions),
        "cohen_kappa": cohen_kappa([p.true_option for p in predictions], [p.predicted_option for p in predictions]),
        "no_prediction": sum(p.predicted_option is None for p in predictions),
        "per_lab": accuracy_per_lab(predictions),
        "per_criterion": per_criterion,
        "confusion_matrices": confusion_matrices(predictions),
    }
