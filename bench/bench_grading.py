"""How fast does grade.py grade a whole course lab on this CPU?

    .venv/bin/python -m bench.bench_grading                       # 1,000 students x 4 criteria, embedded model
    .venv/bin/python -m bench.bench_grading --students 200 --adapter_path runs/model_X

Writes one lab of --students submissions with the example generator (lab05_factorial: 4
criteria; seeded), then times `grade.py` itself end to end (model loading included) with each
--methods x --quantizations setting, and greedy generation of the answer on --generate_items
items of the same lab (evaluate.py's generate method) for the ratio. Prints items/second, the
minutes for the whole lab, and the ratio to generation; writes bench/results/<the command>.md
(bench_grading--students-100.md for `--students 100`). The target:
1,000 students x 4 criteria in at most 10 minutes on 2 cores, and at least 10x generation.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
from bench import result_path
from Utils.files import write_text_atomic

PYTHON = str(REPO / ".venv" / "bin" / "python") if (REPO / ".venv" / "bin" / "python").exists() else sys.executable
WORK = REPO / "bench" / ".grading"
LAB = "lab05_factorial"


def ratio(rate: float, generated: float) -> str:
    """How many times generation's speed ('not measured' with --generate_items 0)."""
    return f"{rate / generated:.1f}x" if generated > 0 else "not measured"


def write_lab(students: int) -> Path:
    """One generated lab of `students` submissions, without its TA ratings (as grade.py gets it)."""
    from examples import generate_labs

    parent = WORK / f"labs_{students}"
    if not (parent / LAB).is_dir():
        labs = [lab for lab in generate_labs.build_labs(seed=7, students=students) if lab.name == LAB]
        generate_labs.write_labs(labs, parent, 7, students)
        (parent / LAB / "rubric_ratings.csv").unlink()
    return parent


def grade(parent: Path, method: str, quantization: str, model_flags: list[str]) -> dict:
    out = WORK / f"grades_{method}_{quantization}"
    shutil.rmtree(out, ignore_errors=True)
    start = time.perf_counter()
    result = subprocess.run([PYTHON, "grade.py", "--parent_dir", str(parent), "--output_dir", str(out), "--method", method,
                             "--quantization", quantization, *model_flags], cwd=REPO, capture_output=True, text=True,
                            env={**os.environ, "HF_HUB_OFFLINE": "1"})
    seconds = time.perf_counter() - start
    if result.returncode != 0:
        raise RuntimeError(result.stderr[-3000:])
    summary = json.loads((out / "grade_summary.json").read_text())
    lab = summary["labs"][0]
    return {"method": method, "quantization": quantization, "items": lab["items"], "students": lab["students"],
            "seconds": seconds, "items_per_second": lab["items"] / seconds,
            "scoring_items_per_second": lab["items_per_second"], "queued": lab["needs_review"], "out": out}


def faithfulness(rows: list[dict]) -> dict[tuple[str, str], dict]:
    """Per quantized row, how its suggestions compare with the float32 run of the same method."""
    from Utils.grading import compare_suggestions, read_suggestions

    reference = {r["method"]: r for r in rows if r["quantization"] == "none"}
    return {(r["method"], r["quantization"]): compare_suggestions(read_suggestions(r["out"], LAB),
                                                                  read_suggestions(reference[r["method"]]["out"], LAB))
            for r in rows if r["quantization"] != "none" and r["method"] in reference}


def generation_rate(parent: Path, items: int, model_flags: list[str]) -> float:
    """Items/s of greedy generation (evaluate.py --method generate) on the first `items` items."""
    from Utils.cli import quiet_libraries, read_system_prompt
    from Utils.items import items_to_grade
    from Utils.labs import read_lab
    from Utils.grader import load_for_scoring, resolve_max_length
    from Utils.scoring import score_generate

    quiet_libraries()
    flags = dict(zip(model_flags[::2], model_flags[1::2]))
    loaded = load_for_scoring(model=flags.get("--model"), adapter_path=flags.get("--adapter_path"))
    system, _ = read_system_prompt(None)
    sample = items_to_grade(read_lab(parent / LAB, with_ratings=False), system)[:items]
    run = score_generate(loaded.model, loaded.tokenizer, sample, resolve_max_length(loaded, None)[0],
                         loaded.supports_system, batch_size=8, max_new_tokens=25)
    return run.items_per_second


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--students", type=int, default=1000)
    parser.add_argument("--methods", nargs="+", default=["first_token", "likelihood"])
    parser.add_argument("--quantizations", nargs="+", default=["int8", "none"])
    parser.add_argument("--generate_items", type=int, default=32)
    parser.add_argument("--adapter_path", default=None)
    parser.add_argument("--model", default=None)
    parser.add_argument("--out", default=None, help="default: bench/results/<the command>.md")
    args = parser.parse_args(argv)
    args.out = args.out or result_path("bench_grading", sys.argv[1:] if argv is None else argv)
    model_flags = [x for flag, value in (("--model", args.model), ("--adapter_path", args.adapter_path)) if value
                   for x in (flag, value)]
    WORK.mkdir(parents=True, exist_ok=True)
    parent = write_lab(args.students)
    generated = generation_rate(parent, args.generate_items, model_flags)
    print(f"greedy generation: {generated:.3f} items/s on {args.generate_items} items", flush=True)
    rows = []
    for method in args.methods:
        for quantization in args.quantizations:
            row = grade(parent, method, quantization, model_flags)
            rows.append(row)
            print(f"{method}, {quantization}: {row['items']} items in {row['seconds'] / 60:.1f} min "
                  f"({row['items_per_second']:.2f} items/s end to end, {row['scoring_items_per_second']:.2f} scoring; "
                  f"{ratio(row['scoring_items_per_second'], generated)} generation)", flush=True)
    compared = faithfulness(rows)
    lines = ["# Grading a whole lab (bench/bench_grading.py)", "",
             f"`grade.py` end to end (model loading, reading the lab, scoring, writing the CSV, JSON, review page and "
             f"gradebook) on one generated lab of {args.students} students x 4 criteria, 2 CPU cores, model "
             f"{args.adapter_path or args.model or 'smollm2-135m'}. Greedy generation of the answer "
             f"(batch 8, up to 25 new tokens) on {args.generate_items} of its items: {generated:.3f} items/s. "
             "For a quantized setting, against float32 with the same method: the share of items with the same "
             "suggestion, the share with the same review-queue decision (the same threshold), and the largest "
             "change of an option's probability, averaged over the items.", "",
             "| method | quantization | items | minutes | items/s end to end | items/s scoring | x generation "
             "| same suggestion | same queue decision | mean largest change |",
             "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for r in rows:
        c = compared.get((r["method"], r["quantization"]))
        versus = (f"{100 * c['same_suggestion']:.1f}% | {100 * c['same_queue']:.1f}% | {c['mean_largest_change']:.3f}"
                  if c and c["n"] else "reference | | " if r["quantization"] == "none" else "not compared | |")
        lines.append(f"| {r['method']} | {r['quantization']} | {r['items']} | {r['seconds'] / 60:.1f} | "
                     f"{r['items_per_second']:.2f} | {r['scoring_items_per_second']:.2f} | "
                     f"{ratio(r['scoring_items_per_second'], generated)} | {versus} |")
    write_text_atomic("\n".join(lines) + "\n", args.out)
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
