"""Benchmark DPO training: TRL's DPOTrainer (older recipe, best stock settings) vs GroupedDPOTrainer.

    bash create_dpo_dataset.sh                       # writes data/train.jsonl
    .venv/bin/python -m bench.bench_training [--pairs 12] [--options 3 4] [--configs ...]   # ~20 min

The embedded model (smollm2-135m, float32, LoRA r16 on all projections) trains on the same
pairs from data/train.jsonl: the first --pairs pairs of criteria with K options (whole items,
students in file order), once per K in --options. Each configuration runs in its own
subprocess (peak memory = its ru_maxrss) for one epoch at batch 1:

  old_recipe      DPOTrainer, gradient checkpointing, reference on the fly (the older scripts)
  stock_best      DPOTrainer, no gradient checkpointing, precompute_ref_log_probs
  grouped_item    GroupedDPOTrainer(group_by="item"), no checkpointing, precomputed reference
  grouped_student GroupedDPOTrainer(group_by="student"), the same

Prints, and writes to --out (markdown), pairs/second end to end (tokenizing, reference
precompute and training; model loading excluded) and for the training loop alone, the ratios to
stock_best, peak memory, and the fraction of this machine's float32 matmul rate reached:

  training FLOPs ~ 6 * N * T_policy + 2 * N * T_reference

with N the non-embedding parameters and T the tokens each pass actually runs (stock: prompt +
answer for chosen and for rejected, per pair; grouped: the packed sequences). The LM head
(tied to the embedding) and attention are not counted; gradient checkpointing's recomputation
is not counted either (it is overhead, not model work).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

from bench import result_path

REPO = Path(__file__).resolve().parent.parent
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")
os.environ.setdefault("TQDM_DISABLE", "1")

CONFIGS = ("old_recipe", "stock_best", "grouped_item", "grouped_student")
BASELINE = "stock_best"
HEADING = "## Training: pairs per second"


# --------------------------------------------------------------------------- machine


def matmul_gflops(n: int = 2048, repeats: int = 5) -> float:
    """Best float32 torch.mm rate on this machine, GFLOP/s (2 n^3 per product)."""
    import torch

    a, b = torch.randn(n, n), torch.randn(n, n)
    torch.mm(a, b)  # warm-up
    best = float("inf")
    for _ in range(repeats):
        t = time.perf_counter()
        torch.mm(a, b)
        best = min(best, time.perf_counter() - t)
    return 2 * n ** 3 / best / 1e9


def machine_description() -> str:
    import torch

    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    mem = next((int(line.split()[1]) // 2**20 for line in Path("/proc/meminfo").read_text().splitlines()
                if line.startswith("MemTotal")), 0)
    return (f"{cpu}, {os.cpu_count()} cores, {mem} GiB RAM, torch {torch.__version__} "
            f"({torch.get_num_threads()} threads), Python {platform.python_version()}")


def load_average() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


# --------------------------------------------------------------------------- data


def read_rows(path: Path) -> list[dict]:
    if not path.is_file():
        raise SystemExit(f"{path} not found: run `bash create_dpo_dataset.sh` first")
    with open(path) as f:
        return [json.loads(line) for line in f if line.strip()]


def select_pairs(rows: list[dict], n_options: int, n_pairs: int) -> list[dict]:
    """The first whole items with `n_options` options, in file order, until at least `n_pairs` pairs."""
    items: dict[tuple, list[dict]] = {}
    for row in rows:
        if len(row["options"]) == n_options:
            items.setdefault((row["lab"], row["student_id"], row["criterion"]), []).append(row)
    chosen = []
    for item_rows in items.values():
        if len(chosen) >= n_pairs:
            break
        chosen += item_rows
    if not chosen:
        raise SystemExit(f"no items with {n_options} options in the training data")
    return chosen


# --------------------------------------------------------------------------- one configuration (subprocess)


def run_config(name: str, rows: list[dict], output_dir: str) -> dict:
    import torch
    from datasets import Dataset, disable_progress_bars
    from peft import LoraConfig
    from trl import DPOConfig, DPOTrainer

    from Utils.grouped_dpo import GroupedDPOTrainer
    from Utils.models import load_model, load_tokenizer, resolve_model
    from Utils.packing import pack_group

    disable_progress_bars()
    spec = resolve_model("smollm2-135m")
    tokenizer = load_tokenizer(spec)
    model = load_model(spec, quantization="none", device="cpu", dtype=torch.float32)
    n_params = sum(p.numel() for p in model.parameters())
    n_non_embedding = n_params - model.get_input_embeddings().weight.numel()
    lora = LoraConfig(r=16, lora_alpha=16, lora_dropout=0.1, target_modules=spec.lora_target_modules,
                      task_type="CAUSAL_LM")
    args = DPOConfig(output_dir=output_dir, bf16=False, use_cpu=True, report_to=[], save_strategy="no",
                     disable_tqdm=True, logging_steps=10**6, per_device_train_batch_size=1,
                     gradient_accumulation_steps=1, num_train_epochs=1, learning_rate=1e-5, max_length=1536,
                     activation_checkpointing=(name == "old_recipe"),
                     precompute_ref_log_probs=(name != "old_recipe"))
    data = Dataset.from_list(rows)
    start = time.perf_counter()
    if name.startswith("grouped"):
        trainer = GroupedDPOTrainer(model=model, args=args, train_dataset=data, processing_class=tokenizer,
                                    peft_config=lora, group_by=name.split("_", 1)[1])
        policy_tokens = sum(len(pack_group(g["prompts_ids"], g["answers_ids"]).input_ids)
                            for g in trainer.train_dataset)
    else:
        trainer = DPOTrainer(model=model, args=args, train_dataset=data, processing_class=tokenizer,
                             peft_config=lora)
        policy_tokens = sum(2 * len(r["prompt_ids"]) + len(r["chosen_ids"]) + len(r["rejected_ids"])
                            for r in trainer.train_dataset)
    prepared = time.perf_counter()
    result = trainer.train()
    done = time.perf_counter()
    train_s, total_s = done - prepared, done - start
    return {"config": name, "pairs": len(rows), "steps": result.global_step, "setup_s": prepared - start,
            "train_s": train_s, "total_s": total_s, "policy_tokens": policy_tokens,
            "flops": (6 * policy_tokens + 2 * policy_tokens) * n_non_embedding, "n_non_embedding": n_non_embedding,
            "loss": result.training_loss, "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def run_subprocess(name: str, n_options: int, args) -> dict:
    pairs = args.old_recipe_pairs if name == "old_recipe" else args.pairs
    command = [sys.executable, __file__, "--worker", name, "--options", str(n_options), "--pairs", str(pairs),
               "--data", str(args.data)]
    proc = subprocess.run(command, capture_output=True, text=True)
    lines = [line for line in proc.stdout.splitlines() if line.startswith("RESULT ")]
    if proc.returncode != 0 or not lines:
        raise SystemExit(f"{name} (K={n_options}) failed:\n{proc.stderr[-3000:]}")
    return json.loads(lines[-1][len("RESULT "):])


# --------------------------------------------------------------------------- report


def write_section(path: Path, heading: str, lines: list[str]) -> None:
    """Replace the section that starts with `heading` in the results file (or append it)."""
    text = path.read_text(encoding="utf-8") if path.is_file() else "# Benchmarks\n\nWritten by the scripts in bench/.\n"
    start = text.find(heading)
    if start < 0:
        text = text.rstrip("\n") + "\n\n" + "\n".join(lines) + "\n"
    else:
        end = text.find("\n## ", start + len(heading))
        text = text[:start] + "\n".join(lines) + "\n" + (text[end + 1:] if end >= 0 else "")
    path.write_text(text, encoding="utf-8")


def table(results: list[dict], peak_gflops: float) -> list[str]:
    base = next((r for r in results if r["config"] == BASELINE), None)
    lines = ["| config | pairs | steps | pairs/s (end to end) | pairs/s (training loop) | x stock_best (end to end)"
             " | x stock_best (loop) | peak RSS MiB | tokens per pair | GFLOP/s | of matmul peak |",
             "|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in results:
        e2e, loop = r["pairs"] / r["total_s"], r["pairs"] / r["train_s"]
        ratio_e2e = f"{e2e / (base['pairs'] / base['total_s']):.2f}" if base else "-"
        ratio_loop = f"{loop / (base['pairs'] / base['train_s']):.2f}" if base else "-"
        gflops = r["flops"] / r["total_s"] / 1e9
        lines.append(f"| {r['config']} | {r['pairs']} | {r['steps']} | {e2e:.3f} | {loop:.3f} | {ratio_e2e} | "
                     f"{ratio_loop} | {r['peak_rss_mib']:.0f} | {r['policy_tokens'] / r['pairs']:.0f} | "
                     f"{gflops:.1f} | {100 * gflops / peak_gflops:.0f}% |")
    return lines


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--pairs", type=int, default=12, help="pairs per run (whole items, so a few more may be used)")
    p.add_argument("--options", type=int, nargs="+", default=[3, 4], help="criteria with this many options")
    p.add_argument("--old-recipe-pairs", type=int, default=4,
                   help="pairs for old_recipe, the slowest by far (its rate is per pair all the same)")
    p.add_argument("--old-recipe-options", type=int, nargs="*", default=[3],
                   help="option counts for which old_recipe runs (it is slow and only a reference point)")
    p.add_argument("--configs", nargs="+", default=list(CONFIGS), choices=CONFIGS)
    p.add_argument("--data", type=Path, default=REPO / "data" / "train.jsonl")
    p.add_argument("--out", type=Path, default=None, help="default: bench/results/<the command>.md")
    p.add_argument("--worker", choices=CONFIGS, help=argparse.SUPPRESS)
    args = p.parse_args()
    args.out = args.out or result_path("bench_training", sys.argv[1:])

    if args.worker:
        import tempfile

        rows = select_pairs(read_rows(args.data), args.options[0], args.pairs)
        with tempfile.TemporaryDirectory() as tmp:
            print("RESULT " + json.dumps(run_config(args.worker, rows, tmp)), flush=True)
        return

    read_rows(args.data)  # fail early when the data is missing
    load_before = load_average()
    peak = matmul_gflops()
    print(f"float32 matmul (2048^3 torch.mm, best of 5): {peak:.1f} GFLOP/s; load average {load_before}")
    report = [f"{HEADING} ({datetime.now():%Y-%m-%d %H:%M})", "",
              f"Machine: {machine_description()}.  ",
              f"Command: `{' '.join(['.venv/bin/python', '-m', 'bench.bench_training'] + sys.argv[1:])}`  ",
              f"float32 matmul rate: {peak:.1f} GFLOP/s (2048x2048 torch.mm, best of 5).  ",
              f"Load average (1, 5, 15 min) before: {load_before}.", ""]
    for k in args.options:
        results = []
        for name in args.configs:
            if name == "old_recipe" and k not in args.old_recipe_options:
                continue
            r = run_subprocess(name, k, args)
            results.append(r)
            print(f"K={k} {name}: {r['pairs']} pairs, end to end {r['total_s']:.1f} s "
                  f"(setup {r['setup_s']:.1f} s, training {r['train_s']:.1f} s), peak {r['peak_rss_mib']:.0f} MiB, "
                  f"loss {r['loss']:.4f}, load {load_average()}", flush=True)
        report += [f"### Criteria with {k} options", ""] + table(results, peak) + [""]
        print("\n".join(table(results, peak)))
    report += [f"Load average after: {load_average()}.",
               "FLOPs: 6 N T_policy + 2 N T_reference, N = non-embedding parameters "
               f"({results[0]['n_non_embedding'] / 1e6:.1f} M); tokens as each trainer runs them.", ""]
    write_section(args.out, HEADING, report)
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
