"""predictions.jsonl: one line per scored item and model, written by evaluate.py. This module alone
writes and reads it.

    {"model": "fine_tuned", "lab": ..., "student_id": ..., "criterion": ...,
     "true_option": "B", "predicted_option": "B", "probabilities": {"A": 0.21, ...},
     "logprobs": {"A": -14.2, ...}, "confidence": 0.64}
    (+ "output_text" with --method generate, "shortened": true, "error": "...")
"""

from __future__ import annotations

import json
from pathlib import Path

from Utils.files import write_lines_atomic
from Utils.metrics import Prediction


def prediction_record(score, model_label: str) -> dict:
    """One line of predictions.jsonl for a `Utils.scoring.ItemScore`."""
    item = score.item
    record = {"model": model_label, "lab": item.lab, "student_id": item.student_id, "criterion": item.criterion,
              "true_option": item.true_option, "predicted_option": score.predicted_option,
              "probabilities": score.probabilities, "logprobs": score.logprobs}
    if score.confidence is not None:
        record["confidence"] = score.confidence
    if score.output_text is not None:
        record["output_text"] = score.output_text
    if score.shortened:
        record["shortened"] = True
    if score.error:
        record["error"] = score.error
    return record


def write_predictions(path: str | Path, runs: dict) -> Path:
    """All models' scores ({label: ScoringRun}) into one file, model by model."""
    lines = [json.dumps(prediction_record(score, label), ensure_ascii=False) + "\n"
             for label, run in runs.items() for score in run.scores]
    return write_lines_atomic(lines, path)


def predictions_of(records_or_run) -> list[Prediction]:
    """Metric inputs from a ScoringRun or from predictions.jsonl records of one model."""
    if hasattr(records_or_run, "scores"):
        return [Prediction(s.item.lab, s.item.student_id, s.item.criterion, s.item.true_option,
                           s.predicted_option, s.item.options) for s in records_or_run.scores]
    return [Prediction(r["lab"], r["student_id"], r["criterion"], r["true_option"], r["predicted_option"],
                       tuple(r.get("probabilities") or {})) for r in records_or_run]
