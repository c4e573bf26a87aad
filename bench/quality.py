"""Does the grader grade? Train recipe variants on the bundled labs and measure agreement with the TAs.

    .venv/bin/python -m bench.quality                          # every variant below (hours on 2 cores)
    .venv/bin/python -m bench.quality --variants sft_full dpo_lora --curve sft_full
    .venv/bin/python -m bench.quality --variants dpo_lora --seeds 42 1 2   # one training run per seed
    .venv/bin/python -m bench.quality --table                  # only rewrite bench/results/quality.md from the results

Each variant is `bash dpo_train.sh <flags>` on the builder's pairs of examples/labs (trained on
lab01-lab04's first 70% of students), then `evaluate.py` on a fixed sample of the test file: the
first --students_per_lab students of every lab, i.e. new students of the training labs ("in-lab")
and the two labs never trained on ("held-out"). Beside each variant the table shows, on the same
items, the base model, the constant answer (each criterion's most common TA rating among these
items) and chance. Accuracy is micro accuracy: with --seeds (each variant trains once per seed:
training order and initialisation) a row gives the mean over seeds and their [min-max]; a row measured
with one seed gives its 95% bootstrap interval over students and says "(1 seed)": a hint, not a result.
With --curve, the checkpoints saved during training are evaluated too (accuracy as training goes).

Every run appends to bench/results/quality.jsonl; bench/results/quality.md is rewritten from it.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
from bench import EARLIER_CPU_DEFAULT, spread  # noqa: E402
from Utils.files import write_text_atomic  # noqa: E402
WORK = REPO / "bench" / ".quality"  # data, runs and evaluations (ignored by git)
RESULTS = REPO / "bench" / "results" / "quality.jsonl"
TABLE = REPO / "bench" / "results" / "quality.md"
PYTHON = str(REPO / ".venv" / "bin" / "python") if (REPO / ".venv" / "bin" / "python").exists() else sys.executable

ALL = ["--max_train_pairs", "0"]
FULL = ["--use_peft", "False"]
# name -> (what it tests, dpo_train.py flags on top of configs/train/cpu.yaml and the earlier CPU default,
# bench.EARLIER_CPU_DEFAULT: each variant means what it did when it was measured)
VARIANTS = {
    "dpo_lora_demo": ("the previous CPU default: DPO, LoRA r16, lr 5e-4, 112 pairs", ["--max_train_pairs", "112"]),
    "dpo_lora": ("DPO, LoRA r16, lr 5e-4, all pairs, 1 epoch", [*ALL]),
    "dpo_lora_item": ("DPO, LoRA r16, lr 1e-4, all pairs, one item per step, 1 epoch",
                      [*ALL, "--group_by", "item", "--learning_rate", "1e-4", "--precompute_ref_log_probs", "True"]),
    "dpo_lora_r64": ("DPO, LoRA r64 alpha 128, lr 1e-4, all pairs, 2 epochs",
                     [*ALL, "--lora_r", "64", "--lora_alpha", "128", "--learning_rate", "1e-4", "--num_train_epochs", "2"]),
    "sft_lora": ("SFT (NLL of the TA's answer), LoRA r16, lr 5e-4, 2 epochs",
                 [*ALL, "--loss_type", "sft", "--num_train_epochs", "2"]),
    "sft_full": ("SFT, full fine-tuning (embeddings frozen), lr 1e-4, 2 epochs",
                 [*ALL, *FULL, "--loss_type", "sft", "--learning_rate", "1e-4", "--num_train_epochs", "2"]),
    "sft_full_1ep": ("SFT, full fine-tuning (embeddings frozen), lr 1e-4, 1 epoch",
                     [*ALL, *FULL, "--loss_type", "sft", "--learning_rate", "1e-4", "--num_train_epochs", "1"]),
    "sft_top8": ("SFT, top 8 of 30 layers, lr 1e-4, 2 epochs",
                 [*ALL, *FULL, "--trainable_layers", "8", "--loss_type", "sft", "--learning_rate", "1e-4",
                  "--num_train_epochs", "2"]),
    "sft_top8_item": ("SFT, top 8 layers, lr 1e-4, 1 epoch, one item per step (4x the optimizer steps)",
                      [*ALL, *FULL, "--trainable_layers", "8", "--loss_type", "sft", "--group_by", "item",
                       "--learning_rate", "1e-4", "--num_train_epochs", "1"]),
    "dpo_sft_full": ("DPO + SFT term (weights 1, 1), full fine-tuning, lr 1e-4, 2 epochs",
                     [*ALL, *FULL, "--loss_type", "sigmoid", "sft", "--loss_weights", "1", "1",
                      "--learning_rate", "1e-4", "--num_train_epochs", "2", "--precompute_ref_log_probs", "True"]),
    "gemma_dpo_lora_demo": ("Gemma 3 270M (base model, `make setup-gemma`): DPO, LoRA r16, lr 5e-4, 112 pairs",
                            ["--model", "gemma3-270m", "--max_train_pairs", "112"]),
    "robust_full": ("robust DPO (label smoothing 0.1 for noisy TA labels) + SFT, full, lr 1e-4, 2 epochs",
                    [*ALL, *FULL, "--loss_type", "robust", "sft", "--loss_weights", "1", "1", "--label_smoothing",
                     "0.1", "--learning_rate", "1e-4", "--num_train_epochs", "2", "--precompute_ref_log_probs", "True"]),
}


def run(cmd: list[str], log: Path) -> float:
    """Run a command with its output in `log`; returns the minutes it took. Raises on failure."""
    start = time.perf_counter()
    log.parent.mkdir(parents=True, exist_ok=True)
    with open(log, "w") as out:
        code = subprocess.run(cmd, cwd=REPO, stdout=out, stderr=subprocess.STDOUT,
                              env={**os.environ, "HF_HUB_OFFLINE": "1", "TQDM_DISABLE": "1"}).returncode
    if code != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed (exit {code}); see {log}")
    return (time.perf_counter() - start) / 60


def build_data() -> Path:
    data = WORK / "data"
    if not (data / "test.jsonl").is_file():
        data.mkdir(parents=True, exist_ok=True)
        run(["bash", "create_dpo_dataset.sh", "--train_dataset_path", str(data / "train.jsonl"),
             "--test_dataset_path", str(data / "test.jsonl")], WORK / "dataset.log")
    return data


def evaluate(data: Path, out: Path, method: str, students: int, adapter: Path | None,
             model: str | None = None) -> tuple[dict, float]:
    cmd = [PYTHON, "evaluate.py", "--test_dataset_path", str(data / "test.jsonl"), "--output_dir", str(out),
           "--method", method, "--max_students_per_lab", str(students)]
    cmd += ["--model", model] if model else []
    cmd += ["--adapter_path", str(adapter), "--skip_base"] if adapter else []
    minutes = run(cmd, out.parent / f"{out.name}.log")
    return json.loads((out / "report.json").read_text()), minutes


def summary(report: dict) -> dict:
    rows = report["rows"]
    baselines = report["baselines"]
    out = {}
    for name, key in (("held-out labs", "held_out"), ("in-lab test students", "in_lab")):
        entry = rows.get(name, {})
        out[key] = {"n": entry.get("n"), "accuracy": entry.get("accuracy"), "interval_95": entry.get("interval_95"),
                    "cohen_kappa": entry.get("cohen_kappa"), "qwk": entry.get("quadratic_weighted_kappa"),
                    "constant": baselines["constant_answer"].get(name, {}).get("accuracy"),
                    "chance": baselines["chance"].get(name, {}).get("accuracy")}
    calibration = report.get("calibration") or {}
    out["ece"] = (calibration.get("reliability") or {}).get("ece")
    out["items_per_second"] = report.get("items_per_second")
    return out


def run_variant(name: str, data: Path, args, seed: int) -> list[dict]:
    description, flags = VARIANTS[name]
    runs_dir = WORK / "runs" / name / f"seed_{seed}"
    curve = name in args.curve
    cmd = ["bash", "dpo_train.sh", "--train_dataset_path", str(data / "train.jsonl"), "--eval_dataset_path", "none",
           "--output_dir", str(runs_dir), "--report_to", "none", *EARLIER_CPU_DEFAULT, *flags, "--seed", str(seed)]
    cmd += ["--save_strategy", "steps", "--save_steps", "0.25", "--save_total_limit", "8"] if curve else \
        ["--save_strategy", "no"]
    train_minutes = run(cmd, WORK / f"train_{name}_seed_{seed}.log")
    run_dir = sorted(runs_dir.glob("model_*"))[-1]
    records = []
    for method in args.methods:
        targets = [(run_dir / "final_checkpoint", "final")]
        if curve and method == args.methods[0]:  # the checkpoints with the first method only
            targets = [(p, p.name) for p in sorted(run_dir.glob("checkpoint-*"), key=lambda p: int(p.name.split("-")[1]))]
            targets.append((run_dir / "final_checkpoint", "final"))
        for weights, step in targets:
            report, eval_minutes = evaluate(data, WORK / "eval" / f"{name}_seed_{seed}_{method}_{step}", method,
                                            args.students_per_lab, weights)
            record = {"variant": name, "description": description, "flags": flags, "seed": seed,
                      "method": method, "step": step,
                      "n_students": args.students_per_lab,
                      "train_minutes": train_minutes, "eval_minutes": eval_minutes, **summary(report),
                      "run_dir": str(run_dir.relative_to(REPO)), "time": time.strftime("%Y-%m-%d %H:%M")}
            records.append(record)
            with open(RESULTS, "a") as f:
                f.write(json.dumps(record) + "\n")
            write_table(RESULTS, TABLE)
    return records


BASE_MODELS = {"smollm2-135m": ("base", "the embedded SmolLM2-135M-Instruct, not fine-tuned"),
               "gemma3-270m": ("base_gemma3-270m", "Gemma 3 270M (base model, `make setup-gemma`), not fine-tuned")}


def run_base(data: Path, args, model: str = "smollm2-135m") -> None:
    variant, description = BASE_MODELS[model]
    for method in args.methods:
        report, minutes = evaluate(data, WORK / "eval" / f"{variant}_{method}", method, args.students_per_lab, None,
                                   model)
        record = {"variant": variant, "description": description, "flags": ["--model", model],
                  "method": method, "step": "final", "train_minutes": 0.0, "eval_minutes": minutes, **summary(report),
                  "time": time.strftime("%Y-%m-%d %H:%M")}
        with open(RESULTS, "a") as f:
            f.write(json.dumps(record) + "\n")
        write_table(RESULTS, TABLE)


def _pct(value, interval=None) -> str:
    if value is None:
        return "n/a"
    text = f"{100 * value:.1f}"
    return text + (f" [{100 * interval[0]:.0f}-{100 * interval[1]:.0f}]" if interval else "")


def _num(value) -> str:
    return "n/a" if value is None else f"{value:.2f}"


def _mean(values: list) -> float | None:
    values = [v for v in values if v is not None]
    return sum(values) / len(values) if values else None


DEFAULT_SEED = 42  # dpo_train.py's --seed when none is given: the seed of records written before seeds were recorded


def seed_of(record: dict) -> int:
    return record.get("seed", DEFAULT_SEED)


def newest(records: list[dict]) -> list[dict]:
    """The newest record of each (variant, method, checkpoint, students scored, training seed): a rerun
    replaces the run it repeats."""
    latest = {(r["variant"], r["method"], r["step"], r.get("n_students"), seed_of(r)): r for r in records}
    return list(latest.values())


def final_rows(records: list[dict]) -> list[dict]:
    """One row per (variant, method, students scored) from the final checkpoints of `newest` records, with
    each number over their seeds (runs scored on other items are other rows)."""
    by_row: dict[tuple, list[dict]] = {}
    for r in records:
        if r["step"] == "final":
            by_row.setdefault((r["variant"], r["method"], r.get("n_students")), []).append(r)
    rows = []
    for (variant, method, _students), runs in by_row.items():
        row = {"variant": variant, "method": method, "description": runs[-1]["description"], "seeds": len(runs),
               "train_minutes": _mean([r["train_minutes"] for r in runs]), "ece": _mean([r.get("ece") for r in runs])}
        for part in ("held_out", "in_lab"):
            one = runs[0][part]
            row[part] = {"n": one["n"], "constant": one["constant"], "chance": one["chance"],
                         "accuracies": [r[part]["accuracy"] for r in runs],
                         "interval_95": one["interval_95"] if len(runs) == 1 else None,
                         "cohen_kappa": _mean([r[part]["cohen_kappa"] for r in runs]),
                         "qwk": _mean([r[part]["qwk"] for r in runs])}
        rows.append(row)
    return rows


def _accuracy(part: dict, trained: bool = True) -> str:
    """Over seeds: mean [min-max]; one seed: its accuracy with the bootstrap interval over students (a base
    model, trained on nothing, has no seed)."""
    if len(part["accuracies"]) > 1:
        return spread(part["accuracies"])
    return _pct(part["accuracies"][0], part["interval_95"]) + (" (1 seed)" if trained else "")


def write_table(results: Path, table: Path) -> None:
    """`table` (bench/results/quality.md) from every record in `results` (bench/results/quality.jsonl)."""
    if not results.is_file():
        return
    records = [json.loads(line) for line in results.read_text().splitlines() if line.strip()]
    latest = newest(records)
    curves = [r for r in latest if r["step"] != "final"]
    finals = final_rows(latest)
    any_r = records[-1]
    lines = ["# Agreement with TAs by training recipe (bench/quality.py)", "",
             "Embedded SmolLM2-135M-Instruct (Gemma 3 270M where the row says so) on the bundled example labs, 2 CPU cores, float32. Trained on the "
             "builder's pairs of lab01-lab04 (first 70% of students); evaluated on the first "
             f"{any_r.get('n_students', 12)} students of every lab: *in-lab* = new students of the training labs, "
             "*held-out* = lab05 and lab06, never trained on. Accuracy in %: over several training seeds the mean "
             "[min-max]; a row measured with one seed says \"(1 seed)\" and gives the 95% bootstrap interval over "
             "students instead: one run is a hint, not a result (in learning_curve_cpu.md seeds move a run by up to 12 points). "
             "*constant* = each criterion's most common TA rating among the same items (the best any "
             "constant answer can do), *chance* = a random option. Kappa is Cohen's, QWK quadratic-weighted, ECE "
             "the expected calibration error after temperature scaling (fitted on in-lab students, checked on "
             "held-out labs), each the mean over seeds. Minutes are wall-clock on this machine (shared with other "
             "jobs at times).", "",
             "The recipes offered as defaults, with 3 seeds each and the reference grader without a language model "
             "beside them, are in [learning_curve_cpu.md](learning_curve_cpu.md) (its 48 students a lab are these "
             "labs).", "",
             "| variant | method | seeds | train min | held-out acc (n) | constant | chance | kappa | QWK | "
             "in-lab acc (n) | constant | ECE | what |", "|---|---|---:|---:|---|---:|---:|---:|---:|---|---:|---:|---|"]
    order = [variant for variant, _ in BASE_MODELS.values()] + list(VARIANTS)
    for r in sorted(finals, key=lambda r: (order.index(r["variant"]) if r["variant"] in order else 99, r["method"])):
        ho, il = r["held_out"], r["in_lab"]
        trained = r["variant"] not in order[:len(BASE_MODELS)]
        lines.append(f"| {r['variant']} | {r['method']} | {r['seeds'] if trained else ''} | "
                     f"{r['train_minutes']:.1f} | {_accuracy(ho, trained)} ({ho['n']}) | {_pct(ho['constant'])} | "
                     f"{_pct(ho['chance'])} | {_num(ho['cohen_kappa'])} | {_num(ho['qwk'])} | "
                     f"{_accuracy(il, trained)} ({il['n']}) | {_pct(il['constant'])} | "
                     f"{_num(r.get('ece'))} | {r['description']} |")
    if curves:
        lines += ["", "## As training goes (checkpoints)", "",
                  "| variant | method | seed | checkpoint | held-out acc | in-lab acc | held-out kappa |",
                  "|---|---|---:|---|---:|---:|---:|"]
        finals_of_curves = [r for r in latest
                            if r["step"] == "final" and any(c["variant"] == r["variant"] for c in curves)]
        for r in sorted(curves + finals_of_curves,
                        key=lambda r: (r["variant"], r["method"], seed_of(r), 10 ** 9 if r["step"] == "final" else
                                       int(r["step"].split("-")[1]))):
            lines.append(f"| {r['variant']} | {r['method']} | {seed_of(r)} | {r['step']} | "
                         f"{_pct(r['held_out']['accuracy'])} | "
                         f"{_pct(r['in_lab']['accuracy'])} | {_num(r['held_out']['cohen_kappa'])} |")
    write_text_atomic("\n".join(lines) + "\n", table)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--variants", nargs="+", default=list(VARIANTS), choices=list(VARIANTS))
    parser.add_argument("--methods", nargs="+", default=["likelihood", "first_token"],
                        choices=["likelihood", "first_token"])
    parser.add_argument("--students_per_lab", type=int, default=12)
    parser.add_argument("--curve", nargs="*", default=[], help="variants whose checkpoints are evaluated too")
    parser.add_argument("--skip_base", action="store_true", help="do not (re)score the base models")
    parser.add_argument("--base_models", nargs="+", default=["smollm2-135m"], choices=list(BASE_MODELS),
                        help="base models scored beside the variants")
    parser.add_argument("--seeds", nargs="+", type=int, default=[DEFAULT_SEED],
                        help="training seeds: each variant trains once per seed (3 make a result, 1 a hint)")
    parser.add_argument("--table", action="store_true", help="only rewrite bench/results/quality.md")
    args = parser.parse_args(argv)
    if args.table:
        write_table(RESULTS, TABLE)
        return 0
    WORK.mkdir(parents=True, exist_ok=True)
    data = build_data()
    if not args.skip_base:
        for model in args.base_models:
            run_base(data, args, model)
    for name in args.variants:
        print(f"{name}: {VARIANTS[name][0]}", flush=True)
        for r in (r for seed in args.seeds for r in run_variant(name, data, args, seed)):
            print(f"  seed {r['seed']} {r['method']} {r['step']}: held-out {_pct(r['held_out']['accuracy'])} "
                  f"(constant {_pct(r['held_out']['constant'])}), in-lab {_pct(r['in_lab']['accuracy'])}, "
                  f"train {r['train_minutes']:.1f} min", flush=True)
    print(f"wrote {TABLE}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
