"""The published GPU recipe end to end on the embedded model: training, then scoring, timed.

    .venv/bin/python -m bench.gpu_recipe                    # one CUDA GPU; about 10 minutes
    .venv/bin/python -m bench.gpu_recipe --train_pairs 256 --eval_items 400 --write

Needs a CUDA GPU (it refuses, exit code 2, without one). Steps:

  1. data: the bundled example labs (examples/labs/) into DPO pairs, lab05_factorial and
     lab06_palindrome held out, as `make demo` builds them (or --train_dataset_path/--test_dataset_path);
  2. training: `dpo_train.py --device cuda` with the published recipe (configs/train/cuda.yaml: 4-bit
     NF4 with double quantization, bf16 compute, paged AdamW 32-bit, gradient checkpointing, LoRA r16
     on every projection, 1 student per micro-batch x 16 accumulated, grouped trainer) on the
     embedded SmolLM2-135M, --train_pairs pairs (whole students), no evaluation during training;
  3. scoring: `evaluate.py` on the held-out items (likelihood, packed per student with the lab's
     cached start), fine-tuned and base.

Prints pairs/second (training loop and end to end), items/second of scoring, and the peak GPU
memory of each step (torch.cuda.max_memory_allocated), with the GPU's name; --write puts the table
into bench/results/gpu_recipe.md under "## GPU: the published recipe".
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

from bench.bench_training import write_section

REPO = Path(__file__).resolve().parent.parent
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")

HEADING = "## GPU: the published recipe"
EXAMPLE_LABS = REPO / "examples" / "labs"
HELD_OUT = ("lab05_factorial", "lab06_palindrome")


def parse_args(argv: list[str] | None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", default="smollm2-135m", help="registry name, folder or hub id (default: embedded)")
    parser.add_argument("--train_dataset_path", default=None, help="pairs to train on (default: built from examples/labs)")
    parser.add_argument("--test_dataset_path", default=None, help="items to score (default: built from examples/labs)")
    parser.add_argument("--train_pairs", type=int, default=256, help="train pairs, whole students (0: all)")
    parser.add_argument("--eval_items", type=int, default=0, help="score only the first N items (0: all)")
    parser.add_argument("--output_dir", default=None, help="where runs and results go (default: a temporary folder)")
    parser.add_argument("--write", action="store_true", help="put the table into bench/results/gpu_recipe.md")
    return parser.parse_args(argv)


def cuda_problem() -> str | None:
    """Why this machine cannot run the GPU recipe, or None."""
    import torch

    if not torch.cuda.is_available():
        return (f"bench/gpu_recipe.py needs a CUDA GPU: torch.cuda.is_available() is False here (torch "
                f"{torch.__version__}, CUDA build {torch.version.cuda or 'none'}). Install the CUDA build of torch "
                "into .venv on a GPU machine (README: On a GPU machine)")
    import importlib.util

    if importlib.util.find_spec("bitsandbytes") is None:
        return "bench/gpu_recipe.py needs bitsandbytes for the 4-bit recipe (pip install bitsandbytes)"
    return None


def build_data(folder: Path) -> tuple[Path, Path]:
    from Utils import create_dataset

    train, test = folder / "train.jsonl", folder / "test.jsonl"
    code = create_dataset.main(["--parent_dir", str(EXAMPLE_LABS), "--eval_lab_names", *HELD_OUT,
                                "--train_dataset_path", str(train), "--test_dataset_path", str(test)])
    if code != 0:
        raise SystemExit(f"error: building the pairs from {EXAMPLE_LABS} failed (exit code {code})")
    return train, test


def peak_gb() -> float:
    import torch

    return torch.cuda.max_memory_allocated() / 1e9


def train_step(args, train: Path, out: Path) -> dict:
    import torch

    import dpo_train

    torch.cuda.reset_peak_memory_stats()
    start = time.perf_counter()
    trainer = dpo_train.train(["--model", args.model, "--device", "cuda", "--train_dataset_path", str(train),
                              "--eval_dataset_path", "none", "--output_dir", str(out / "runs"),
                              "--max_train_pairs", str(args.train_pairs), "--save_strategy", "no",
                              "--report_to", "none", "--disable_tqdm", "True"])
    seconds = time.perf_counter() - start
    pairs = sum(trainer.train_dataset["n_pairs"]) if "n_pairs" in trainer.train_dataset.column_names \
        else len(trainer.train_dataset)
    metrics = trainer.state.log_history[-1]
    run_dir = Path(trainer.args.output_dir)
    train_seconds = float(re.search(r"Training time: ([\d.]+)", (run_dir / "final_checkpoint" / "time.txt")
                                    .read_text()).group(1))
    result = {"run_dir": str(run_dir), "pairs": pairs, "steps": trainer.state.global_step,
              "train_seconds": train_seconds, "seconds": seconds, "pairs_per_second": pairs / train_seconds,
              "pairs_per_second_end_to_end": pairs / seconds, "peak_gb": peak_gb(),
              "train_loss": metrics.get("train_loss")}
    del trainer
    torch.cuda.empty_cache()
    return result


def score_step(args, run_dir: str, test: Path, out: Path) -> dict:
    import torch

    import evaluate

    torch.cuda.reset_peak_memory_stats()
    argv = ["--adapter_path", run_dir, "--test_dataset_path", str(test), "--output_dir", str(out / "eval"),
            "--device", "cuda", "--calibration", "none"]
    if args.eval_items:
        argv += ["--max_items", str(args.eval_items)]
    if evaluate.main(argv) != 0:
        raise SystemExit("error: evaluate.py failed (see above)")
    report = json.loads((out / "eval" / "report.json").read_text())
    return {"items": report["n_items"], "items_per_second": report["items_per_second"],
            "base_items_per_second": report["base"]["items_per_second"], "peak_gb": peak_gb(),
            "micro_accuracy": report["micro_accuracy"], "base_micro_accuracy": report["base"]["micro_accuracy"]}


def table(gpu: str, trained: dict, scored: dict) -> str:
    return "\n".join([
        f"{HEADING} ({datetime.now():%Y-%m-%d %H:%M}, {gpu})", "",
        "`bench/gpu_recipe.py`: SmolLM2-135M, 4-bit NF4 + bf16 compute, paged AdamW 32-bit, gradient checkpointing, "
        "LoRA r16 on every projection, grouped trainer, 1 student x 16 accumulated per step.", "",
        "| step | amount | time | throughput | peak GPU memory |",
        "|---|---|---|---|---|",
        f"| training | {trained['pairs']} pairs, {trained['steps']} steps | {trained['train_seconds']:.0f} s "
        f"({trained['seconds']:.0f} s end to end) | {trained['pairs_per_second']:.2f} pairs/s "
        f"({trained['pairs_per_second_end_to_end']:.2f} end to end) | {trained['peak_gb']:.2f} GB |",
        f"| scoring (fine-tuned; base) | {scored['items']} items | | {scored['items_per_second']:.1f}; "
        f"{scored['base_items_per_second']:.1f} items/s | {scored['peak_gb']:.2f} GB |", "",
        f"Micro accuracy on the scored items: base {100 * scored['base_micro_accuracy']:.1f}%, fine-tuned "
        f"{100 * scored['micro_accuracy']:.1f}%.", ""])


def write_results(text: str) -> Path:
    """Replace the earlier GPU section of bench/results/gpu_recipe.md (or append it)."""
    path = REPO / "bench" / "results" / "gpu_recipe.md"
    write_section(path, HEADING, text.rstrip("\n").split("\n"))
    return path


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    problem = cuda_problem()
    if problem:
        print(f"error: {problem}", file=sys.stderr)
        return 2
    import torch

    out = Path(args.output_dir or tempfile.mkdtemp(prefix="gpu_recipe_"))
    if args.train_dataset_path and args.test_dataset_path:
        train, test = Path(args.train_dataset_path), Path(args.test_dataset_path)
    else:
        train, test = build_data(out / "data")
    gpu = torch.cuda.get_device_name(0)
    trained = train_step(args, train, out)
    scored = score_step(args, trained["run_dir"], test, out)
    text = table(gpu, trained, scored)
    print("\n" + text)
    if args.write:
        print(f"wrote {write_results(text)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
