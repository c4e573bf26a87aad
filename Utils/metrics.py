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
- confusion matrix (per criterion): rows are the TA's rating, columns the prediction, in the
  criterion's letter order, with a last column for "no prediction" when there is any.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Callable, Iterable

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


def cohen_kappa(true: list[str], predicted: list[str | None]) -> float | None:
    """Cohen's kappa of two raters over the same items; None (no prediction) is a category."""
    if len(true) != len(predicted):
        raise ValueError(f"{len(true)} true ratings but {len(predicted)} predictions")
    n = len(true)
    if n == 0:
        return None
    predicted = [NO_PREDICTION if p is None else p for p in predicted]
    observed = sum(t == p for t, p in zip(true, predicted)) / n
    true_counts, predicted_counts = Counter(true), Counter(predicted)
    expected = sum(true_counts[c] * predicted_counts[c] for c in true_counts) / (n * n)
    if expected == 1:
        return None
    return (observed - expected) / (1 - expected)


def confusion_matrix(true: list[str], predicted: list[str | None], labels: list[str]) -> dict:
    """{"labels": rows (TA), "columns": labels (+ "none" when needed), "matrix": counts[row][column]}."""
    predicted = [NO_PREDICTION if p is None else p for p in predicted]
    rows = list(labels) + sorted(set(true) - set(labels))
    columns = rows + sorted(set(predicted) - set(rows) - {NO_PREDICTION})
    if NO_PREDICTION in predicted:
        columns.append(NO_PREDICTION)
    matrix = [[0] * len(columns) for _ in rows]
    for t, p in zip(true, predicted):
        matrix[rows.index(t)][columns.index(p)] += 1
    return {"labels": rows, "columns": columns, "matrix": matrix}


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


def summarize(predictions: list[Prediction]) -> dict:
    """Every metric of the report, JSON-ready."""
    per_criterion = accuracy_per_criterion(predictions)
    for key, entry in per_criterion.items():
        group = [p for p in predictions if p.criterion_key == key]
        entry["cohen_kappa"] = cohen_kappa([p.true_option for p in group], [p.predicted_option for p in group])
    return {
        "n_items": len(predictions),
        "micro_accuracy": micro_accuracy(predictions),
        "macro_accuracy": macro_accuracy(predictions),
        "cohen_kappa": cohen_kappa([p.true_option for p in predictions], [p.predicted_option for p in predictions]),
        "no_prediction": sum(p.predicted_option is None for p in predictions),
        "per_lab": accuracy_per_lab(predictions),
        "per_criterion": per_criterion,
        "confusion_matrices": confusion_matrices(predictions),
    }
