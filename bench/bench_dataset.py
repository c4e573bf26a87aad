"""Benchmark the dataset builder: 100 labs x 200 students x 4 criteria (3 ratings each).

    .venv/bin/python -m bench.bench_dataset [--labs 100 --students 200]

Writes synthetic labs to a temporary folder (not timed), then times reading them and
writing the train/test JSONL, and prints the seconds. Target: under 10 s on 2 CPU cores.
"""

import argparse
import csv
import json
import os
import tempfile
import time
from pathlib import Path

from Utils.create_dataset import build_dataset
from Utils.pairs import write_pairs

CODE = "\n".join(["#include <iostream>", "using namespace std;", "int main() {", "    int n, total = 0;",
                  "    cin >> n;"] + [f"    total += n * {i}; // step {i}" for i in range(25)] +
                 ["    cout << total << endl;", "    return 0;", "}"])


def write_labs(parent: Path, n_labs: int, n_students: int, n_criteria: int = 4) -> None:
    letters = ["A", "B", "C"]
    rubric = [{"id": c, "title": f"Criterion {c}", "description": f"Is property {c} satisfied?",
               "Ratings": [{"id": 10 * c + i, "title": x, "description": f"Level {x} for property {c}", "marks": 2 - i}
                           for i, x in enumerate(letters)]} for c in range(n_criteria)]
    columns = [(c, r) for c in rubric for r in c["Ratings"]]
    statement = "Read an integer n and print a weighted sum. " * 20
    for lab in range(n_labs):
        d = parent / f"lab{lab:03d}"
        (d / "submissions").mkdir(parents=True)
        (d / "modified_ps.txt").write_text(statement)
        (d / "rubrics.json").write_text(json.dumps(rubric))
        with open(d / "rubric_ratings.csv", "w", newline="") as f:
            w = csv.writer(f)
            w.writerow([""] + [c["title"] for c, _ in columns])
            w.writerow([""] + [c["description"] for c, _ in columns])
            w.writerow([""] + [r["title"] for _, r in columns])
            w.writerow([""] + [r["description"] for _, r in columns])
            w.writerow([""] + [r["marks"] for _, r in columns])
            w.writerow(["Email"] + [""] * len(columns))
            for s in range(n_students):
                w.writerow([f"{s:05d}@uni.edu"] + ["1" if r["title"] == letters[(s + c["id"]) % 3] else "0"
                                                   for c, r in columns])
        for s in range(n_students):
            sub = d / "submissions" / f"{s:05d}@uni.edu"
            sub.mkdir()
            (sub / "main.cpp").write_text(CODE.replace("total", f"total{s}"))


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--labs", type=int, default=100)
    p.add_argument("--students", type=int, default=200)
    args = p.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        parent, out = Path(tmp) / "labs", Path(tmp) / "out"
        write_labs(parent, args.labs, args.students)
        t0 = time.perf_counter()
        data = build_dataset(parent, "You grade code.", eval_lab_names=["lab000"], train_split=0.7,
                             workers=os.cpu_count() or 1)
        t1 = time.perf_counter()
        write_pairs(data.train, out / "train.jsonl")
        write_pairs(data.test, out / "test.jsonl")
        t2 = time.perf_counter()
        size = sum(f.stat().st_size for f in out.iterdir()) / 2**20
        items = sum(s.items_written for s in data.labs)
        print(f"labs={args.labs} students={args.students} items={items} "
              f"pairs={len(data.train) + len(data.test)} output={size:.0f} MiB")
        print(f"read+build: {t1 - t0:.2f} s   write: {t2 - t1:.2f} s   total: {t2 - t0:.2f} s (target < 10 s)")


if __name__ == "__main__":
    main()
