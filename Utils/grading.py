"""Grading outputs: suggested ratings as a rubric_ratings.csv to import, and a JSON for review.

Per lab, `grade.py` writes:

- `<lab>_suggested_ratings.csv`: exactly the layout of rubric_ratings.csv (six header rows
  built from rubrics.json, then one row per student with `1` in the suggested rating's column
  and `0` elsewhere), so the grading system (and `Utils.labs.read_lab`) reads it back. A
  student whose submission could not be read, or an item that could not be scored, gets `0`
  in every column of that criterion: no rating is suggested, and the JSON says why.
- `<lab>_suggestions.json`: each option's probability per student and criterion, the items
  whose top probability is below the review threshold, and the students not graded.

Student ids are written into the files, never used as paths; lab names become file names only
through `safe_filename`.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from Utils.labs import NO_SOURCE, Lab, Problem, format_ratings_csv, is_notice
from Utils.scoring import ItemScore

CSV_SUFFIX = "_suggested_ratings.csv"
JSON_SUFFIX = "_suggestions.json"


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
        for criterion in lab.rubric:
            score = by_student.get(student_id, {}).get(criterion.title)
            entry = {"criterion": criterion.title}
            if score is None or score.predicted_option is None:
                entry.update(suggested_option=None, needs_review=True,
                             reason=score.error if score is not None else "not scored")
            else:
                top = max(score.probabilities.values())
                entry.update(suggested_option=score.predicted_option, top_probability=top,
                             probabilities=score.probabilities, needs_review=top < review_threshold)
                if score.shortened:
                    entry["shortened"] = True
            suggested[criterion.title] = entry["suggested_option"]
            if entry["needs_review"]:
                review.append({"student_id": student_id, "criterion": criterion.title,
                               "suggested_option": entry["suggested_option"],
                               "top_probability": entry.get("top_probability"),
                               **({"reason": entry["reason"]} if "reason" in entry else {})})
            criteria.append(entry)
        students.append({"student_id": student_id, "submission": submission.folder_name, "criteria": criteria})
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
        "needs_review": review,
        "not_graded": [_problem(p) for p in not_graded],
        "notices": [_problem(p) for p in notices],
        "students": students,
    }
    return format_ratings_csv(lab.rubric, csv_rows), data


def _problem(p: Problem) -> dict:
    return {"student_id": p.student, "reason": p.reason, "detail": p.detail}


def write_lab_suggestions(output_dir: str | Path, lab_name: str, csv_text: str, data: dict) -> tuple[Path, Path]:
    out = Path(output_dir)
    out.mkdir(parents=True, exist_ok=True)
    csv_path, json_path = output_path(out, lab_name, CSV_SUFFIX), output_path(out, lab_name, JSON_SUFFIX)
    csv_path.write_text(csv_text, encoding="utf-8")
    json_path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return csv_path, json_path
