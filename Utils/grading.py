"""Grading outputs: suggested ratings as a rubric_ratings.csv to import, and a JSON for review.

Per lab, `grade.py` writes:

- `<lab>_suggested_ratings.csv`: exactly the layout of rubric_ratings.csv (six header rows
  built from rubrics.json, then one row per student with `1` in the suggested rating's column
  and `0` elsewhere), so the grading system (and `Utils.labs.read_lab`) reads it back. A
  student whose submission could not be read, or an item that could not be scored, gets `0`
  in every column of that criterion: no rating is suggested, and the JSON says why.
- `<lab>_suggestions.json`: per student and criterion the suggestion, its confidence (the
  calibrated probability when the run folder holds a calibration) and every option's
  probability; the review queue (items below the review threshold, items that could not be
  scored, and every item of a submission with text that addresses the grader); the students
  not graded.
- `<lab>_review.html`: the review page (`Utils.review_page`): the TA accepts or changes each
  suggestion and downloads the final CSV and a gradebook.
- `<lab>_gradebook.csv`: student, total marks and each criterion's marks, from the
  suggestions, for Moodle or Canvas (the page writes the same from the TA's decisions).
- `grade_summary.json`: the arguments, the model, the threshold and one line per lab, rewritten
  after every lab, so it always describes the files that exist.

Every CSV cell is neutralized against spreadsheet formula injection (`Utils.labs.csv_text`).
Student ids are written into the files, never used as paths; lab names become file names only
through `safe_filename`. A folder that already holds a grading run is never written over
without --overwrite: a TA may have edited its files.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from Utils.files import write_json_atomic, write_text_atomic
from Utils.injection import suspicious_text
from Utils.labs import NO_SOURCE, Lab, Problem, format_ratings_csv, is_notice
from Utils.scoring import ItemScore

CSV_SUFFIX = "_suggested_ratings.csv"
JSON_SUFFIX = "_suggestions.json"
HTML_SUFFIX = "_review.html"
GRADEBOOK_SUFFIX = "_gradebook.csv"
SUMMARY_FILE = "grade_summary.json"
SUFFIXES = (CSV_SUFFIX, JSON_SUFFIX, HTML_SUFFIX, GRADEBOOK_SUFFIX)
DEFAULT_TARGET_ACCURACY = 0.9
UNCALIBRATED_THRESHOLD = 0.8  # without a calibration: flag items whose top probability is below this
SUSPICIOUS = "the submission holds text that addresses the grader (possible prompt injection)"


def safe_filename(name: str) -> str:
    """A name usable as one file name inside the output folder: no separators, no leading dots."""
    cleaned = re.sub(r"[^A-Za-z0-9._@+-]", "_", name).lstrip(".")
    return cleaned[:150] or "unnamed"


def output_path(output_dir: Path, name: str, suffix: str) -> Path:
    """`output_dir/<safe name><suffix>`, checked to lie inside `output_dir`."""
    path = (output_dir / (safe_filename(name) + suffix)).resolve()
    if path.parent != output_dir.resolve():
        raise ValueError(f"refusing to write {path}: outside {output_dir}")
    return path


def lab_suggestions(lab: Lab, scores: list[ItemScore], review_threshold: float, model: dict
                    ) -> tuple[str, dict]:
    """The CSV text and the JSON data of one graded lab (pure: no files touched)."""
    by_student: dict[str, dict[str, ItemScore]] = {}
    for s in scores:
        by_student.setdefault(s.item.student_id, {})[s.item.criterion] = s
    not_graded = [p for p in lab.problems if not is_notice(p)]
    notices = list(lab.lab_notices) + [p for p in lab.problems if is_notice(p)]
    students, review, csv_rows = [], [], []
    for student_id, submission in sorted(lab.submissions.items()):
        criteria = []
        suggested: dict[str, str | None] = {}
        flags = [f"{SUSPICIOUS}: {line}" for line in suspicious_text(submission.code)]
        for criterion in lab.rubric:
            score = by_student.get(student_id, {}).get(criterion.title)
            entry = {"criterion": criterion.title}
            if score is None or score.predicted_option is None:
                entry.update(suggested_option=None, needs_review=True,
                             reason=score.error if score is not None else "not scored")
            else:
                top = max(score.probabilities.values())
                confidence = score.confidence if score.confidence is not None else top
                entry.update(suggested_option=score.predicted_option, top_probability=top, confidence=confidence,
                             calibrated=score.confidence is not None, probabilities=score.probabilities,
                             needs_review=review_threshold >= 1.0 or confidence < review_threshold)
                if flags:
                    entry.update(needs_review=True, reason=SUSPICIOUS)
                if score.shortened:
                    entry["shortened"] = True
            suggested[criterion.title] = entry["suggested_option"]
            if entry["needs_review"]:
                review.append({"student_id": student_id, "criterion": criterion.title,
                               "suggested_option": entry["suggested_option"],
                               "top_probability": entry.get("top_probability"),
                               **({"reason": entry["reason"]} if "reason" in entry else {})})
            criteria.append(entry)
        students.append({"student_id": student_id, "submission": submission.folder_name, "criteria": criteria,
                         **({"flags": flags} if flags else {})})
        csv_rows.append((submission.folder_name, suggested))
    for p in not_graded:  # listed in the CSV too, with no rating marked, so no student goes missing
        # The folder name is the full id (<id>@<domain>) when there is exactly one folder.
        csv_rows.append((p.detail if p.reason == NO_SOURCE and p.detail else p.student, {}))
    csv_rows.sort(key=lambda r: r[0])
    data = {
        "lab": lab.name,
        "model": model,
        "review_threshold": review_threshold,
        "n_students": len(students),
        "n_items": sum(len(s["criteria"]) for s in students),
        "n_needs_review": len(review),
        "n_flagged_students": sum(bool(s.get("flags")) for s in students),
        "needs_review": review,
        "not_graded": [_problem(p) for p in not_graded],
        "notices": [_problem(p) for p in notices],
        "students": students,
    }
    return format_ratings_csv(lab.rubric, csv_rows), data


def _problem(p: Problem) -> dict:
    return {"student_id": p.student, "reason": p.reason, "detail": p.detail}


def lab_outputs(output_dir: Path, lab_name: str) -> list[Path]:
    """The files grading one lab writes, in the output folder."""
    return [output_path(output_dir, lab_name, suffix) for suffix in SUFFIXES]


def previous_run(output_dir: Path, lab_names: list[str]) -> list[Path]:
    """Files of an earlier grading run that this run would write over (a TA may have edited them)."""
    if not output_dir.is_dir():
        return []
    candidates = [output_dir / SUMMARY_FILE] + [p for name in lab_names for p in lab_outputs(output_dir, name)]
    return [p for p in candidates if p.exists()]


def write_lab_outputs(output_dir: Path, lab: Lab, csv_text: str, data: dict, gradebook_id_header: str
                      ) -> dict[str, Path]:
    """The lab's suggested CSV, suggestions JSON, review page and gradebook, each written atomically."""
    from Utils.review_page import gradebook_csv, page_data, render_review_page

    paths = dict(zip(("csv", "json", "html", "gradebook"), lab_outputs(output_dir, lab.name)))
    write_text_atomic(csv_text, paths["csv"])
    write_json_atomic(data, paths["json"])
    write_text_atomic(render_review_page(lab, data, gradebook_id_header=gradebook_id_header), paths["html"])
    suggested = {s["student_id"]: {c["criterion"]: c["suggested_option"] for c in s["criteria"]
                                   if c.get("suggested_option")} for s in data["students"]}
    page = page_data(lab, data, gradebook_id_header=gradebook_id_header)
    write_text_atomic(gradebook_csv(page, suggested), paths["gradebook"])
    return paths


def read_suggestions(output_dir: Path, lab_name: str) -> dict[tuple[str, str], dict]:
    """A lab's suggestions JSON as {(student id, criterion): its record} (to compare two runs)."""
    data = json.loads(output_path(output_dir, lab_name, JSON_SUFFIX).read_text(encoding="utf-8"))
    return {(s["student_id"], c["criterion"]): c for s in data["students"] for c in s["criteria"]}


def compare_suggestions(run: dict[tuple[str, str], dict], reference: dict[tuple[str, str], dict]) -> dict:
    """How far a grading run (e.g. int8) is from a reference run (float32) on the items both scored:
    the share with the same suggestion, the share with the same review-queue decision, and the
    largest change of an option's probability, averaged over the items."""
    both = [k for k in reference if k in run and run[k].get("probabilities") and reference[k].get("probabilities")]
    if not both:
        return {"n": 0, "same_suggestion": None, "same_queue": None, "mean_largest_change": None}
    change = [max(abs(run[k]["probabilities"].get(o, 0.0) - p) for o, p in reference[k]["probabilities"].items())
              for k in both]
    return {"n": len(both),
            "same_suggestion": sum(run[k]["suggested_option"] == reference[k]["suggested_option"] for k in both) / len(both),
            "same_queue": sum(bool(run[k]["needs_review"]) == bool(reference[k]["needs_review"]) for k in both) / len(both),
            "mean_largest_change": sum(change) / len(change)}


def choose_threshold(review_threshold: float | None, target_accuracy: float, calibration: dict | None
                     ) -> tuple[float, str]:
    """The confidence below which an item goes to a TA, and why: --review_threshold when given;
    else the threshold that reached --target_accuracy on the held-out labs when the run folder's
    calibration has one, or 1 (every item queued) when its evaluation found that no confidence
    reached it; else UNCALIBRATED_THRESHOLD. A threshold of 1 queues every item."""
    if review_threshold is not None:
        return review_threshold, "--review_threshold"
    for point in (calibration or {}).get("auto_accept", []):
        if abs(point["target_accuracy"] - target_accuracy) >= 1e-9:
            continue
        where = point.get("evaluated_on", "evaluated")
        if point.get("threshold") is None:
            return 1.0, (f"calibrated: no confidence reached {100 * target_accuracy:.0f}% accuracy on the {where} "
                         "items, so every item goes to a TA")
        return point["threshold"], (f"calibrated: {100 * point['coverage']:.0f}% of the {where} items reached "
                                    f"{100 * target_accuracy:.0f}% accuracy above it")
    return UNCALIBRATED_THRESHOLD, ("no calibration for this target and this scoring setting in the run folder (run "
                                    "evaluate.py on the run with grade.py's --method and --quantization first): a "
                                    "fixed threshold on the raw probability")
