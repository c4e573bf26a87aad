"""Shared fixtures: small lab folders written from plain Python data, so each test shows its input."""

from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

RUBRIC = [
    {"id": 1, "title": "Variable names", "description": "Quality of variable names",
     "Ratings": [{"id": 11, "title": "A", "description": "Good variable names", "marks": 2},
                 {"id": 12, "title": "B", "description": "Ok variable names", "marks": 1},
                 {"id": 13, "title": "C", "description": "Poor naming of variables", "marks": 0}]},
    {"id": 2, "title": "Loop bound", "description": "Is the loop bound correct?",
     "Ratings": [{"id": 21, "title": "A", "description": "Correct bound", "marks": 1},
                 {"id": 22, "title": "B", "description": "Off by one", "marks": 0}]},
]


def ratings_csv(rubric: list[dict], grades: dict[str, dict[str, str]], cell=None) -> str:
    """rubric_ratings.csv text: six header rows, then one row per student.

    `grades` maps a raw student id to {criterion title: chosen letter}; `cell(student, title,
    letter, chosen)` may override what a cell holds (default '1' for chosen, '0' otherwise).
    """
    columns = [(c, r) for c in rubric for r in c["Ratings"]]
    header = [
        [""] + [c["title"] for c, _ in columns],
        [""] + [c["description"] for c, _ in columns],
        [""] + [r["title"] for _, r in columns],
        [""] + [r["description"] for _, r in columns],
        [""] + [str(r.get("marks", "")) for _, r in columns],
        ["Email"] + [""] * len(columns),
    ]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerows(header)
    for student, chosen in grades.items():
        row = [student]
        for c, r in columns:
            is_chosen = chosen.get(c["title"]) == r["title"]
            value = cell(student, c["title"], r["title"], is_chosen) if cell else None
            row.append(value if value is not None else ("1" if is_chosen else "0"))
        writer.writerow(row)
    return out.getvalue()


def write_lab(parent: Path, name: str, *, rubric=RUBRIC, grades=None, codes=None, cell=None,
              statement="Read n and print the sum of 1..n.", csv_text=None) -> Path:
    """Write a lab folder. `codes` maps a submission folder name to its main.cpp text (or bytes)."""
    lab = parent / name
    (lab / "submissions").mkdir(parents=True)
    (lab / "modified_ps.txt").write_text(statement)
    (lab / "ps.txt").write_text("LONG: " + statement)
    (lab / "rubrics.json").write_text(json.dumps(rubric) if not isinstance(rubric, str) else rubric)
    if grades is None:
        grades = {f"s{i:02d}@uni.edu": {"Variable names": "A", "Loop bound": "B" if i % 3 else "A"}
                  for i in range(10)}
    (lab / "rubric_ratings.csv").write_text(csv_text if csv_text is not None else ratings_csv(rubric, grades, cell))
    if codes is None:
        codes = {sid: f"int main() {{ /* {sid} */ }}\n" for sid in grades}
    for folder, code in codes.items():
        d = lab / "submissions" / folder
        d.mkdir()
        (d / "main.cpp").write_bytes(code if isinstance(code, bytes) else code.encode())
    return lab


@pytest.fixture
def labs_dir(tmp_path):
    parent = tmp_path / "labs"
    parent.mkdir()
    return parent
