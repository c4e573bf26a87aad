"""Does a fine-tuned grader learn what the data teaches? Learning curves over students per lab and seeds.

    .venv/bin/python -m bench.learning_curve                          # every recipe, 48/100/200/300 students, 3 seeds
    .venv/bin/python -m bench.learning_curve --students 48 --seeds 0 --recipes choice_lora
    .venv/bin/python -m bench.learning_curve --table                  # only rewrite the table from the results

For each number of students per lab, the example labs are generated anew (`examples/generate_labs.py`,
same criteria and noise, data seed 0), built into pairs with lab05 and lab06 held out (as `make demo`
does), and then, per recipe and per training seed (order and initialisation):

  1. `dpo_train.py` with the recipe's flags on top of configs/train/cpu.yaml (on `--device cuda` the
     same float32 recipe runs on the GPU: `--use_cpu False`, no quantization);
  2. `evaluate.py --method first_token` on the first `--score_students` students of every lab of the test
     file: *in-lab* = new students of the training labs, *held-out* = lab05 and lab06, never trained on.

Beside them, on exactly the same items: the base model, the constant answer (each criterion's most common
TA rating among the scored items: the best any constant does), chance, and the reference grader without a
language model (`bench.learnability`: logistic regression on the code's tokens, trained on the same
training items). Every run appends one JSON line to `--results` as it finishes; the table
(`--out`) gives per recipe the mean and spread (min-max) over seeds, and for a recipe run over several
seeds the same per criterion of each lab beside the reference's and the constant answer's (where the
model trails the reference: the criteria that need the logic read, or a new lab's statement). In-process: each script's `main`
is called, so the libraries load once.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time
from collections import Counter, defaultdict
from pathlib import Path

from bench import EARLIER_CPU_DEFAULT, spread

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")
os.environ.setdefault("TQDM_DISABLE", "1")

REPO = Path(__file__).resolve().parent.parent
WORK = REPO / "bench" / ".curve"  # labs, data, runs and evaluations (ignored by git)
RESULTS = REPO / "bench" / "results" / "learning_curve.jsonl"
TABLE = REPO / "bench" / "results" / "learning_curve.md"
HELD_OUT = ("lab05_factorial", "lab06_palindrome")

ALL = ["--max_train_pairs", "0", "--eval_dataset_path", "none", "--save_strategy", "no", "--report_to", "none"]


def cached_top(layers: int, batch: int, epochs: int, lr: str, *before: str) -> list[str]:
    """The classifier with the top `layers` layers' own weights trained and the ones below cached (the CPU
    default's shape), `batch` students a step; `before`: flags that come first (e.g. --model)."""
    return [*ALL, *before, "--loss_type", "choice", "--use_peft", "False", "--trainable_layers", str(layers),
            "--cache_frozen_layers", "True", "--per_device_train_batch_size", str(batch),
            "--num_train_epochs", str(epochs), "--learning_rate", lr]

# name -> (what it is, dpo_train.py flags on top of configs/train/cpu.yaml and, but for cpu_default, the
# earlier CPU default (bench.EARLIER_CPU_DEFAULT): each recipe means what it did when it was measured)
RECIPES = {
    "cpu_default": ("configs/train/cpu.yaml as it is (what make demo trains)",
                    ALL),
    "choice_lora_40": ("choice, LoRA r16, lr 5e-4, 4 students a step, 300 pairs (about 40 students, 10 steps): "
                       "what fits make demo",
                       ["--loss_type", "choice", "--per_device_train_batch_size", "4", "--max_train_pairs", "300",
                        "--learning_rate", "5e-4", "--eval_dataset_path", "none", "--save_strategy", "no",
                        "--report_to", "none"]),
    "dpo_previous": ("DPO (sigmoid), LoRA r16, lr 5e-4, 1 student a step, 112 pairs: the previous CPU default, "
                     "its settings named (the CPU default changed under it)",
                     ["--loss_type", "sigmoid", "--per_device_train_batch_size", "1", "--max_train_pairs", "112",
                      "--eval_dataset_path", "none", "--save_strategy", "no", "--report_to", "none"]),
    "dpo_demo": ("DPO, LoRA r16, lr 5e-4, 1 student a step, 112 pairs (the previous CPU default)",
                 ["--max_train_pairs", "112", "--eval_dataset_path", "none", "--save_strategy", "no",
                  "--report_to", "none"]),
    "choice_lora": ("choice (cross-entropy over the options' letters), LoRA r16, lr 5e-4, 4 students a step, "
                    "all students, 2 epochs",
                    [*ALL, "--loss_type", "choice", "--per_device_train_batch_size", "4", "--num_train_epochs", "2"]),
    "choice_lora_1ep": ("choice, LoRA r16, lr 5e-4, 4 students a step, all students, 1 epoch",
                        [*ALL, "--loss_type", "choice", "--per_device_train_batch_size", "4"]),
    "choice_lora_fast": ("choice, LoRA r16, lr 1e-3, 1 student a step, all students, 1 epoch (fits make demo's "
                         "10 minutes)",
                         [*ALL, "--loss_type", "choice", "--learning_rate", "1e-3"]),
    "choice_lora_lr2e-3": ("choice, LoRA r16, lr 2e-3, 4 students a step, all students, 2 epochs",
                           [*ALL, "--loss_type", "choice", "--per_device_train_batch_size", "4",
                            "--num_train_epochs", "2", "--learning_rate", "2e-3"]),
    "choice_full": ("choice, full fine-tuning, lr 5e-5, 4 students a step, all students, 2 epochs",
                    [*ALL, "--loss_type", "choice", "--use_peft", "False", "--per_device_train_batch_size", "4",
                     "--num_train_epochs", "2", "--learning_rate", "5e-5"]),
    "choice_top8": ("choice, full fine-tuning of the top 8 of 30 layers (backward stops below them), lr 1e-4, "
                    "4 students a step, all students, 2 epochs",
                    [*ALL, "--loss_type", "choice", "--use_peft", "False", "--trainable_layers", "8",
                     "--per_device_train_batch_size", "4", "--num_train_epochs", "2", "--learning_rate", "1e-4"]),
    "choice_top4_cached": ("choice, full fine-tuning of the top 4 of 30 layers, the 26 below run once per student "
                           "(--cache_frozen_layers), lr 2e-4, 4 students a step, all students, 4 epochs",
                           cached_top(4, 4, 4, "2e-4")),
    "choice_top4_cached_long": ("choice_top4_cached with twice the updates and a larger step: 2 students a step, "
                                "lr 3e-4, 5 epochs (the 4-epoch recipe ends with training accuracy close to its "
                                "test accuracy: it underfits); configs/train/cpu.yaml from 100 students a lab "
                                "up (5 epochs give them its 660 steps)",
                                cached_top(4, 2, 5, "3e-4")),
    "choice_top4_cached_6ep": ("choice_top4_cached_long with a sixth epoch (it ends at 87% training accuracy, still "
                               "rising; an epoch after the first costs about 6-7 minutes)",
                               cached_top(4, 2, 6, "3e-4")),
    "choice_top4_cached_lr1e-3": ("choice_top4_cached_long at lr 1e-3 (at 48 students a lab the 3e-4 recipe ends its "
                                  "5 epochs at 62-65% training accuracy: it underfits)",
                                  cached_top(4, 2, 5, "1e-3")),
    "choice_top4_cached_b1": ("choice_top4_cached_long with 1 student a step (twice the updates, the same work)",
                              cached_top(4, 1, 5, "3e-4")),
    "choice_top4_cached_10ep": ("choice_top4_cached_long with 10 epochs (at 48 students a lab a 3x larger step or "
                                "twice the steps left each epoch's training accuracy where it was: the passes over "
                                "the data, not the updates, set it); configs/train/cpu.yaml on the bundled labs "
                                "(--min_train_steps 660 makes their 66 steps an epoch 10 epochs)",
                                cached_top(4, 2, 10, "3e-4")),
    "choice_top4_cached_8ep": ("choice_top4_cached_10ep with 8 epochs (--min_train_steps 528 on the bundled labs): "
                               "what fits make demo's 10 minutes if it learns as much",
                               cached_top(4, 2, 8, "3e-4")),
    "choice_top4_cached_9ep": ("choice_top4_cached_10ep with 9 epochs (--min_train_steps 594 on the bundled labs): "
                               "8 epochs fit make demo's 10 minutes but gave 60.4% in-lab on its seed",
                               cached_top(4, 2, 9, "3e-4")),
    "choice_top4_cached_15ep": ("choice_top4_cached_10ep with 15 epochs (measured with the rubric before the code, "
                                "bench/results/rubric_first.patch, which learns more slowly)",
                                cached_top(4, 2, 15, "3e-4")),
    "choice_top2_cached_10ep": ("choice_top4_cached_10ep with the top 2 of 30 layers trained (the 28 below cached): "
                                "an epoch after the first costs about half",
                                cached_top(2, 2, 10, "3e-4")),
    "choice_top8_cached_long": ("choice_top4_cached_long with the top 8 of 30 layers trained (the 22 below cached)",
                                cached_top(8, 2, 5, "3e-4")),
    "gemma_choice_top4_cached_long": ("choice_top4_cached_long on Gemma 3 270M (base model, `make setup-gemma`; "
                                      "the top 4 of its 18 layers trained, the 14 below cached)",
                                      cached_top(4, 2, 5, "3e-4", "--model", "gemma3-270m")),
    "choice_lora_top8_cached": ("choice, LoRA r16 on the top 8 of 30 layers only, the 22 below run once per student "
                                "(--cache_frozen_layers), lr 1e-3, 4 students a step, all students, 4 epochs",
                                [*ALL, "--loss_type", "choice", "--trainable_layers", "8", "--cache_frozen_layers",
                                 "True", "--per_device_train_batch_size", "4", "--num_train_epochs", "4",
                                 "--learning_rate", "1e-3"]),
    "sft_lora": ("SFT (NLL of the TA's whole answer), LoRA r16, lr 5e-4, 4 students a step, all students, 2 epochs",
                 [*ALL, "--loss_type", "sft", "--per_device_train_batch_size", "4", "--num_train_epochs", "2"]),
    "sft_choice_lora": ("SFT + choice, LoRA r16, lr 5e-4, 4 students a step, all students, 2 epochs",
                        [*ALL, "--loss_type", "sft", "choice", "--per_device_train_batch_size", "4",
                         "--num_train_epochs", "2"]),
}


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--students", type=int, nargs="+", default=[48, 100, 200, 300], help="students per lab")
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2], help="training seeds")
    parser.add_argument("--recipes", nargs="+", default=["choice_lora"], choices=list(RECIPES))
    parser.add_argument("--score_students", type=int, default=40,
                        help="students scored per lab of the test file (the same for every row)")
    parser.add_argument("--device", default="cpu", help="cpu, or cuda to run the same float32 recipes on a GPU")
    parser.add_argument("--skip_base", action="store_true", help="do not score the base model")
    parser.add_argument("--work", type=Path, default=WORK, help="labs, data, runs and evaluations")
    parser.add_argument("--results", type=Path, default=RESULTS, help="one JSON line per run, appended")
    parser.add_argument("--out", type=Path, default=TABLE, help="the table")
    parser.add_argument("--table", action="store_true", help="only rewrite the table from --results")
    parser.add_argument("--extra", nargs=argparse.REMAINDER, default=[],
                        help="more dpo_train.py flags for every recipe (last; e.g. --max_steps 2 for a smoke test)")
    return parser.parse_args(argv)


# --------------------------------------------------------------------------- data and references


def build_data(students: int, work: Path) -> Path:
    """Generated labs with `students` a lab -> pairs, lab05/lab06 held out. Reused when present."""
    from examples import generate_labs
    from Utils import create_dataset

    labs, data = work / f"labs_{students}", work / f"data_{students}"
    if not (data / "test.jsonl").is_file():
        if not labs.is_dir():
            generate_labs.main(["--out", str(labs), "--students", str(students), "--seed", "0"])
        data.mkdir(parents=True, exist_ok=True)
        code = create_dataset.main(["--parent_dir", str(labs), "--eval_lab_names", *HELD_OUT,
                                    "--train_dataset_path", str(data / "train.jsonl"),
                                    "--test_dataset_path", str(data / "test.jsonl"),
                                    "--report_path", str(data / "dataset_report.json")])
        if code != 0:
            raise SystemExit(f"error: building pairs from {labs} failed (exit code {code})")
    return data


def where(item) -> str:
    return "held_out" if item.lab in HELD_OUT else "in_lab"


def references(data: Path, score_students: int) -> dict:
    """Constant answer, chance and the logistic-regression reference on the items evaluate.py scores."""
    from Utils.items import first_students_per_lab
    from Utils.pairs import read_items
    from Utils.reference import reference_predictions

    train = read_items(data / "train.jsonl")
    test = first_students_per_lab(read_items(data / "test.jsonl"), score_students)
    right, n, chance = Counter(), Counter(), Counter()
    per_criterion = defaultdict(lambda: [0, 0, Counter()])  # lab|criterion -> [reference right, n, TA ratings]
    for item, guess in zip(test, reference_predictions(train, test)):
        w = where(item)
        right[w] += guess.correct
        n[w] += 1
        chance[w] += 1 / len(item.options)
        entry = per_criterion[criterion_key(item.lab, item.criterion)]  # a criterion is a lab's (as in evaluate.py)
        entry[0] += guess.correct
        entry[1] += 1
        entry[2][item.true_option] += 1
    constant = Counter()
    for key, (_, _, ratings) in per_criterion.items():
        constant["held_out" if key.split("|", 1)[0] in HELD_OUT else "in_lab"] += max(ratings.values())
    return {w: {"n": n[w], "logistic_regression": right[w] / n[w], "constant": constant[w] / n[w],
                "chance": chance[w] / n[w]} for w in n} | {
        "train_items": len(train), "train_students": len({(i.lab, i.student_id) for i in train}),
        "per_criterion": {k: {"n": m, "logistic_regression": r / m, "constant": max(c.values()) / m}
                          for k, (r, m, c) in sorted(per_criterion.items())}}


def criterion_key(lab: str, criterion: str) -> str:
    return f"{lab}|{criterion}"


# --------------------------------------------------------------------------- training and scoring


def evaluate(data: Path, out: Path, args, adapter: str | None) -> dict:
    import evaluate as evaluate_script

    argv = ["--test_dataset_path", str(data / "test.jsonl"), "--output_dir", str(out), "--method", "first_token",
            "--max_students_per_lab", str(args.score_students), "--calibration", "none", "--device", args.device]
    argv += ["--adapter_path", adapter, "--skip_base"] if adapter else []
    if evaluate_script.main(argv) != 0:
        raise SystemExit(f"error: evaluate.py {' '.join(argv)} failed")
    report = json.loads((out / "report.json").read_text())
    # How often each letter is answered, and whether the per-criterion prior was learned: a model that
    # answers one letter everywhere misses the prior however its accuracy looks.
    predicted = defaultdict(Counter)
    right, n = Counter(), Counter()  # per lab|criterion
    for line in (out / "predictions.jsonl").read_text().splitlines():
        record = json.loads(line)
        w = "held_out" if record["lab"] in HELD_OUT else "in_lab"
        predicted[w][record["predicted_option"]] += 1
        key = criterion_key(record["lab"], record["criterion"])
        right[key] += record["predicted_option"] == record["true_option"]
        n[key] += 1
    result = {}
    for name, key in (("held-out labs", "held_out"), ("in-lab test students", "in_lab")):
        entry = report["rows"].get(name, {})
        result[key] = {"n": entry.get("n"), "accuracy": entry.get("accuracy"), "kappa": entry.get("cohen_kappa"),
                       "predicted": dict(predicted[key])}
    if adapter:  # with --skip_base every prediction is the fine-tuned model's
        result["per_criterion"] = {k: right[k] / n[k] for k in sorted(n)}
    return result


def recipe_flags(recipe: str) -> list[str]:
    """dpo_train.py flags for the recipe (on top of configs/train/cpu.yaml; later flags win)."""
    return RECIPES[recipe][1] if recipe == "cpu_default" else [*EARLIER_CPU_DEFAULT, *RECIPES[recipe][1]]


def train(data: Path, recipe: str, seed: int, args) -> tuple[str, float]:
    import torch

    import dpo_train

    argv = ["--train_dataset_path", str(data / "train.jsonl"), "--output_dir", str(args.work / "runs" / recipe),
            "--seed", str(seed), "--disable_tqdm", "True", *recipe_flags(recipe)]
    if args.device.startswith("cuda"):
        # the CPU recipe as it is (configs/train/cpu.yaml over the CUDA defaults), float32, on the GPU
        argv += ["--config", str(REPO / "configs" / "train" / "cpu.yaml"), "--device", args.device, "--use_cpu",
                 "False", "--quantization", "none", "--bf16", "False"]
    argv += args.extra
    start = time.perf_counter()
    trainer = dpo_train.train(argv)
    minutes = (time.perf_counter() - start) / 60
    run_dir = str(trainer.args.output_dir)
    del trainer
    if torch.cuda.is_available():
        torch.cuda.empty_cache()
    return run_dir, minutes


def append(path: Path, record: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a", encoding="utf-8") as f:
        f.write(json.dumps(record) + "\n")


# --------------------------------------------------------------------------- the table


def read_records(results: Path) -> list[dict]:
    return [json.loads(line) for line in results.read_text().splitlines() if line.strip()] \
        if results.is_file() else []


def write_table(results: Path, out: Path) -> None:
    from Utils.files import write_text_atomic

    records = read_records(results)
    refs = {r["students"]: r for r in records if r["kind"] == "reference"}
    base = {r["students"]: r for r in records if r["kind"] == "base"}
    newest = {}  # a rerun of a seed (the same students, recipe and device) replaces the earlier record
    for r in records:
        if r["kind"] == "run":
            newest[(r["students"], r["recipe"], r.get("device", "cpu"), r.get("seed"))] = r
    runs = defaultdict(list)
    for r in newest.values():
        runs[(r["students"], r["recipe"], r.get("device", "cpu"))].append(r)
    lines = ["# Learning curves: fine-tuned grader against the reference without a language model "
             "(bench/learning_curve.py)", "",
             "Generated example labs (`examples/generate_labs.py`, data seed 0) with N students a lab; lab05 and lab06 "
             "held out; trained on the builder's training students of lab01-lab04 (70% of each lab); scored with "
             "`--method first_token` on the first students of every lab of the test file. Accuracy in %: the mean over "
             "training seeds [min-max]; *kappa* Cohen's, mean over seeds. *LR* is logistic regression on the code's "
             "tokens (`bench/learnability.py`), *constant* each criterion's most common TA rating among the scored "
             "items, all on the same items. A difference smaller than the spread over seeds is no difference.", "",
             "| students/lab | recipe | device | seeds | train min | in-lab acc (n) | in-lab kappa | LR | constant | "
             "held-out acc (n) | held-out kappa | LR | constant | chance (in/held) |",
             "|---:|---|---|---:|---:|---|---:|---:|---:|---|---:|---:|---:|---|"]
    for students in sorted(refs):
        ref = refs[students]
        rows = []
        if students in base:
            rows.append(("base model (not fine-tuned)", "", [base[students]]))
        rows += [(recipe, device, group) for (s, recipe, device), group in sorted(runs.items()) if s == students]
        for recipe, device, group in rows:
            def acc(w):
                return spread([g[w]["accuracy"] for g in group]) + f" ({group[0][w]['n']})"

            def kappa(w):
                values = [g[w]["kappa"] for g in group if g[w]["kappa"] is not None]
                return f"{statistics.mean(values):.2f}" if values else "n/a"

            timed = [g.get("train_minutes", 0.0) for g in group if g.get("timed", True)]  # not: shared cores
            minutes = (f"{statistics.mean(timed):.1f}" if timed else "n/a") + \
                (f" ({len(timed)} timed)" if len(timed) < len(group) else "")
            lines.append(f"| {students} | {recipe} | {device} | {len(group) if device else ''} | "
                         f"{minutes} | {acc('in_lab')} | {kappa('in_lab')} | "
                         f"{100 * ref['in_lab']['logistic_regression']:.1f} | {100 * ref['in_lab']['constant']:.1f} | "
                         f"{acc('held_out')} | {kappa('held_out')} | "
                         f"{100 * ref['held_out']['logistic_regression']:.1f} | "
                         f"{100 * ref['held_out']['constant']:.1f} | "
                         f"{100 * ref['in_lab']['chance']:.1f} / {100 * ref['held_out']['chance']:.1f} |")
    lines += criterion_tables(refs, runs)
    lines += ["", "Recipes (dpo_train.py flags on top of the CPU default as it was until 2026-12-05: DPO, LoRA r16 on "
              "every layer, lr 5e-4, one student a step, 112 pairs, 1 epoch; `cpu_default` is configs/train/cpu.yaml "
              "as it is):", ""]
    lines += [f"- `{name}`: {what}" for name, (what, _) in RECIPES.items()
              if any(r == name for _, r, _ in runs)]
    write_text_atomic("\n".join(lines) + "\n", out)


def criterion_tables(refs: dict, runs: dict) -> list[str]:
    """Per criterion of each lab, for every recipe whose every seed recorded it: the fine-tuned model's
    accuracy (mean over seeds [min-max]) beside the reference's and the constant answer's."""
    lines = []
    for (students, recipe, device), group in sorted(runs.items()):
        ref = refs.get(students, {}).get("per_criterion")
        if not ref or len(group) < 2 or not all("per_criterion" in g for g in group):
            continue
        lines += ["", f"**Per criterion**, {students} students a lab, `{recipe}` ({device}, {len(group)} seeds; "
                      "the same items as above):", "",
                  "| lab | criterion | items | fine-tuned | LR | constant | fine-tuned - LR |",
                  "|---|---|---:|---|---:|---:|---:|"]
        for key, r in ref.items():
            values = [g["per_criterion"].get(key) for g in group]
            if any(v is None for v in values):
                continue
            lab, criterion = key.split("|", 1)
            held = " (held out)" if lab in HELD_OUT else ""
            lines.append(f"| {lab}{held} | {criterion} | {r['n']} | {spread(values)} | "
                         f"{100 * r['logistic_regression']:.1f} | {100 * r['constant']:.1f} | "
                         f"{100 * (statistics.mean(values) - r['logistic_regression']):+.1f} |")
    return lines


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.table:
        write_table(args.results, args.out)
        print(f"wrote {args.out}")
        return 0
    for students in args.students:
        data = build_data(students, args.work)
        ref = {"kind": "reference", "students": students, **references(data, args.score_students)}
        if ref not in read_records(args.results):  # the same data gives the same reference: recorded once
            append(args.results, ref)
        print(f"[{students} students/lab] reference: " + json.dumps(ref), flush=True)
        if not args.skip_base:
            result = evaluate(data, args.work / "eval" / f"base_{students}", args, None)
            append(args.results, {"kind": "base", "students": students, **result, "device": args.device})
        for recipe in args.recipes:
            for seed in args.seeds:
                run_dir, minutes = train(data, recipe, seed, args)
                result = evaluate(data, args.work / "eval" / f"{recipe}_{students}_{seed}", args, run_dir)
                record = {"kind": "run", "students": students, "recipe": recipe, "seed": seed, "device": args.device,
                          "train_minutes": minutes, **result, "extra": args.extra,
                          "time": time.strftime("%Y-%m-%d %H:%M")}
                append(args.results, record)
                print(f"[{students} students/lab] {recipe} seed {seed}: in-lab "
                      f"{100 * result['in_lab']['accuracy']:.1f}% held-out {100 * result['held_out']['accuracy']:.1f}% "
                      f"({minutes:.1f} min)", flush=True)
                write_table(args.results, args.out)
        write_table(args.results, args.out)
    print(f"wrote {args.results} and {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
