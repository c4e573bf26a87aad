"""Confidence a TA can trust: temperature scaling of the option scores, and what it buys.

The scorer gives each option of an item a log-probability; a softmax over them is the model's
probability for each rating. Those probabilities are over-confident (a wrong answer at 0.995).
Temperature scaling (Guo et al., 2017) divides the scores by one number T, fitted to minimise
the negative log-likelihood of the TAs' ratings on items the model was not trained on (in-lab
test students); it changes no prediction, only how sure the model says it is.

From calibrated confidences: a reliability table (confidence bins against accuracy), the
expected calibration error, and the coverage curve (at each confidence threshold, the share of
items at or above it and their accuracy), which picks the threshold that reaches a target
accuracy: items above it can be auto-accepted, the rest go to a TA. Pure functions, no torch.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

MIN_T, MAX_T = 0.05, 100.0


def softmax(values: list[float], temperature: float = 1.0) -> list[float]:
    scaled = [v / temperature for v in values]
    top = max(scaled)
    exps = [math.exp(v - top) for v in scaled]
    total = sum(exps)
    return [e / total for e in exps]


def nll(items: list[tuple[list[float], int]], temperature: float) -> float:
    """Mean negative log-likelihood of the true option: items are (option scores, true index)."""
    total = 0.0
    for scores, true in items:
        scaled = [v / temperature for v in scores]
        top = max(scaled)
        total += top + math.log(sum(math.exp(v - top) for v in scaled)) - scaled[true]
    return total / len(items)


def fit_temperature(items: list[tuple[list[float], int]]) -> float:
    """The T in [0.05, 100] that minimises `nll` (scipy's bounded Brent search over log T; NLL is
    convex in 1/T, so the search finds the minimum)."""
    if not items:
        raise ValueError("no items to fit a temperature on")
    from scipy.optimize import minimize_scalar

    found = minimize_scalar(lambda log_t: nll(items, math.exp(log_t)), bounds=(math.log(MIN_T), math.log(MAX_T)),
                            method="bounded", options={"xatol": 1e-8})
    return math.exp(found.x)


@dataclass
class Calibration:
    temperature: float = 1.0
    n_items: int = 0
    fitted_on: str = ""  # which items (e.g. "in-lab test students of lab01, lab02")
    method: str = "likelihood"
    quantization: str | None = None  # the model's precision when fitted (none, int8, 4bit, ...); None: unrecorded

    def confidence(self, scores: list[float]) -> list[float]:
        return softmax(scores, self.temperature)

    def to_dict(self) -> dict:
        return {"temperature": self.temperature, "n_items": self.n_items, "fitted_on": self.fitted_on,
                "method": self.method, "quantization": self.quantization}

    @classmethod
    def from_dict(cls, data: dict | None) -> Calibration | None:
        if not data:
            return None
        method, quantization = setting_of(data)
        return cls(float(data["temperature"]), int(data.get("n_items", 0)), str(data.get("fitted_on", "")),
                   str(method), str(quantization) if quantization is not None else None)


def entry_problems(entry) -> list[str]:
    """What is wrong with one saved calibration (a calibration.json setting), [] when it is sound: the
    temperature must be a finite number > 0, every auto-accept threshold a number in [0, 1] (or null:
    no threshold reached that accuracy), its target accuracy in (0, 1]."""
    if not isinstance(entry, dict):
        return [f"a setting is {type(entry).__name__}, not an object"]
    problems = []

    def number(value) -> bool:
        return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)

    temperature = entry.get("temperature")
    if not number(temperature) or temperature <= 0:
        problems.append(f"temperature must be a finite number above 0, got {str(temperature)[:40]}")
    for key in ("method", "quantization"):
        if entry.get(key) is not None and not isinstance(entry.get(key), str):
            problems.append(f"{key} must be a string, got {str(entry.get(key))[:40]}")
    points = entry.get("auto_accept", [])
    if not isinstance(points, list):
        return problems + ["auto_accept must be a list"]
    for i, point in enumerate(points):
        if not isinstance(point, dict):
            problems.append(f"auto_accept[{i}] is not an object")
            continue
        threshold, target = point.get("threshold"), point.get("target_accuracy")
        if threshold is not None and (not number(threshold) or not 0 <= threshold <= 1):
            problems.append(f"auto_accept[{i}]: threshold must be a number in [0, 1] or null, got {str(threshold)[:40]}")
        if target is not None and (not number(target) or not 0 < target <= 1):
            problems.append(f"auto_accept[{i}]: target_accuracy must be in (0, 1], got {str(target)[:40]}")
    return problems


def setting_of(entry: dict) -> tuple[str, str | None]:
    """(method, quantization) a saved calibration was fitted with; files from before the precision
    was recorded give None for it."""
    return entry.get("method", "likelihood"), entry.get("quantization")


def fits(entry: dict, method: str, quantization: str | None) -> bool:
    """Whether a saved calibration holds for this scoring setting: the same method and precision, or
    the same method and an unrecorded precision."""
    fitted_method, fitted_quantization = setting_of(entry)
    return fitted_method == method and fitted_quantization in (None, quantization)


def setting_name(method: str, quantization: str | None) -> str:
    return f"--method {method} --quantization {quantization if quantization is not None else '(not recorded)'}"


def for_setting(saved: list[dict], method: str, quantization: str) -> tuple[dict | None, str | None]:
    """The saved calibration fitted with this scoring setting (one of recorded precision first), and,
    when the folder has calibrations but none for it, why none is used. Probabilities from another
    method or precision differ (how much: bench/results/bench_grading--students-100--generate_items-16.md),
    so a temperature and thresholds fitted for one setting are never applied to another."""
    matching = sorted((e for e in saved if fits(e, method, quantization)), key=lambda e: setting_of(e)[1] is None)
    if matching or not saved:
        return (matching[0] if matching else None), None
    fitted = "; ".join(setting_name(*setting_of(e)) for e in saved)
    return None, (f"the run's calibration was fitted for {fitted}, not for {setting_name(method, quantization)}, "
                  f"whose probabilities differ; it is not used (run evaluate.py on the run with "
                  f"{setting_name(method, quantization)} to calibrate this setting)")


def reliability(confidences: list[float], correct: list[bool], bins: int = 10) -> dict:
    """Equal-width confidence bins: per bin the items, their mean confidence and accuracy; and the
    expected calibration error (the item-weighted mean gap between confidence and accuracy)."""
    rows = []
    n = len(confidences)
    ece = 0.0
    for b in range(bins):
        lo, hi = b / bins, (b + 1) / bins
        members = [i for i, c in enumerate(confidences) if lo <= c < hi or (b == bins - 1 and c == 1.0)]
        if not members:
            continue
        conf = sum(confidences[i] for i in members) / len(members)
        acc = sum(correct[i] for i in members) / len(members)
        ece += len(members) / n * abs(conf - acc)
        rows.append({"bin": [lo, hi], "n": len(members), "confidence": conf, "accuracy": acc})
    return {"bins": rows, "ece": ece if n else None, "n": n}


def coverage_curve(confidences: list[float], correct: list[bool]) -> list[dict]:
    """For each distinct confidence t (high to low): the share of items with confidence >= t
    (coverage) and their accuracy. Auto-accepting those items gives that accuracy."""
    order = sorted(range(len(confidences)), key=lambda i: -confidences[i])
    curve, right = [], 0
    for k, i in enumerate(order, 1):
        right += correct[i]
        if k == len(order) or confidences[order[k]] < confidences[i]:
            curve.append({"threshold": confidences[i], "coverage": k / len(order), "accuracy": right / k, "n": k})
    return curve


def threshold_for_accuracy(curve: list[dict], target: float, min_items: int = 20) -> dict | None:
    """The lowest threshold whose covered items reach `target` accuracy (at least `min_items` of
    them, so a handful of lucky items does not set it); None when no threshold does."""
    best = None
    for point in curve:
        if point["n"] >= min_items and point["accuracy"] >= target:
            best = point
    return best


def coverage_at(curve: list[dict], targets: tuple[float, ...] = (0.8, 0.85, 0.9, 0.95)) -> list[dict]:
    """For each target accuracy: the threshold, and how many items could be auto-accepted."""
    out = []
    for target in targets:
        point = threshold_for_accuracy(curve, target)
        out.append({"target_accuracy": target, "threshold": point["threshold"] if point else None,
                    "coverage": point["coverage"] if point else 0.0, "n": point["n"] if point else 0})
    return out


def calibrate(scores, calibration: Calibration) -> None:
    """Set each scored item's `confidence`: the calibrated probability of its predicted option
    (items with no option scores, e.g. from generation, keep None)."""
    for score in scores:
        if score.logprobs and score.predicted_option is not None:
            options = list(score.logprobs)
            score.confidence = calibration.confidence([score.logprobs[o] for o in options])[
                options.index(score.predicted_option)]


def fit(scores, fitted_on: str, method: str = "likelihood", quantization: str | None = None) -> Calibration | None:
    """A temperature fitted on scored items with a TA rating (None when there are none)."""
    items = [([s.logprobs[o] for o in s.item.options], list(s.item.options).index(s.item.true_option))
             for s in scores if s.logprobs and s.item.true_option in s.item.options]
    if not items:
        return None
    return Calibration(fit_temperature(items), len(items), fitted_on, method, quantization)
