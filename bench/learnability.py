"""How much of the TA's rating can be learned from the code at all? A non-neural reference grader.

    .venv/bin/python -m bench.learnability [--data bench/.quality/data] [--out bench/results/learnability.md]

Per criterion title (pooled over the labs that grade it), an L2-regularised logistic regression
on surface features of the student's code (word and symbol tokens and their bigrams, clipped
counts; leading-whitespace widths; mean identifier length; single-letter identifiers) is trained
on the training items of the builder's train file and scored on its test file: new students of
the training labs ("in-lab") and the labs never trained on ("held-out", from dataset_report.json).
No language model is involved: it says how far the training labs' ratings can be told apart by
what is written in the code, and how far that carries to other labs, for this much data. A
fine-tuned model that stays below it is not using what the data offers; a target above it on
held-out labs needs understanding that word counts do not give. Seconds on a CPU.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter, defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", default=str(REPO / "bench" / ".quality" / "data"),
                        help="folder with the builder's train.jsonl, test.jsonl and dataset_report.json")
    parser.add_argument("--out", default=str(REPO / "bench" / "results" / "learnability.md"))
    args = parser.parse_args(argv)
    from evaluate import held_out_labs
    from Utils.files import write_text_atomic
    from Utils.pairs import read_items
    from Utils.reference import fit_predict

    data = Path(args.data)
    shown = data.resolve().relative_to(REPO) if data.resolve().is_relative_to(REPO) else data
    train, test = read_items(data / "train.jsonl"), read_items(data / "test.jsonl")
    held = set(held_out_labs(str(data / "test.jsonl")))
    by_title = defaultdict(lambda: ([], []))
    for item in train:
        by_title[item.criterion][0].append(item)
    for item in test:
        by_title[item.criterion][1].append(item)
    totals = defaultdict(Counter)  # where -> right, n, constant
    rows = []
    for title, (tr, te) in sorted(by_title.items()):
        if not te:
            continue
        predicted = fit_predict(tr, te) if tr else [None] * len(te)
        per = defaultdict(Counter)
        for item, guess in zip(te, predicted):
            where = "held-out labs" if item.lab in held else "in-lab test students"
            per[where]["right"] += guess == item.true_option
            per[where]["n"] += 1
            per[where][f"rating {item.true_option}"] += 1
        for where, c in per.items():
            constant = max(v for k, v in c.items() if k.startswith("rating "))
            totals[where].update(right=c["right"], n=c["n"], constant=constant)
            rows.append(f"| {title} | {where} | {len(tr)} | {c['n']} | {100 * c['right'] / c['n']:.1f}% | "
                        f"{100 * constant / c['n']:.1f}% |")
    summary = [f"| {where} | {c['n']} | {100 * c['right'] / c['n']:.1f}% | {100 * c['constant'] / c['n']:.1f}% |"
               for where, c in sorted(totals.items())]
    lines = ["# Reference grader without a language model (bench/learnability.py)", "",
             f"Data `{shown}`: {len(train)} training items, {len(test)} test items; held-out labs: "
             f"{', '.join(sorted(held)) or 'none'}. Logistic regression on surface features of the code, one per "
             "criterion title; *constant* = each criterion's most common TA rating among the same test items.", "",
             "| items | n | accuracy | constant answer |", "|---|---:|---:|---:|", *summary, "",
             "| criterion | items | train items | test items | accuracy | constant |", "|---|---|---:|---:|---:|---:|",
             *rows, ""]
    text = "\n".join(lines)
    write_text_atomic(text, args.out)
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
