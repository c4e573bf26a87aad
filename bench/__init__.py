"""Benchmark tools. Each runs from the repository root as a module, `python -m bench.NAME`, and
writes its result into bench/results/, named by the command that wrote it (see `result_path`).
The tools print numbers; the tests never run them (except gpu_recipe's refusal without CUDA)."""

from __future__ import annotations

import re
import statistics
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"

# DPO with LoRA on every layer, over what configs/train/cpu.yaml sets (the classifier, the top 4 layers cached).
LORA_DPO = ["--loss_type", "sigmoid", "--use_peft", "True", "--trainable_layers", "0", "--cache_frozen_layers", "False"]
# The CPU recipe that configs/train/cpu.yaml held until 2026-12-05 (DPO, LoRA r16 on every layer, lr 5e-4,
# one student a step, 112 pairs, 1 epoch, no minimum of steps), as flags: the benchmarks' recipes are written
# on top of it, so each keeps meaning what it measured when cpu.yaml moved to the classifier recipe.
EARLIER_CPU_DEFAULT = [*LORA_DPO, "--max_train_pairs", "112",
                       "--per_device_train_batch_size", "1", "--learning_rate", "5e-4", "--num_train_epochs", "1",
                       "--save_steps", "0.25", "--min_train_steps", "0"]


def result_path(script: str, argv: list[str], suffix: str = ".md", ignore: tuple[str, ...] = ("--out",)) -> Path:
    """bench/results/<script>[--flag-value ...]<suffix>: the file is named by the command that writes
    it, e.g. `bench_grading --students 100` -> bench/results/bench_grading--students-100.md. Flags in
    `ignore` and flags given a path (inputs, not settings) are left out of the name."""
    groups: list[list[str]] = [[]]
    for arg in argv:
        if arg.startswith("--"):
            groups.append(arg.split("=", 1))
        else:
            groups[-1].append(arg)
    kept = [g for g in groups[1:] if g[0] not in ignore and not any("/" in value for value in g[1:])]
    name = script + "".join("-".join(g) for g in kept)
    return RESULTS / (re.sub(r"[^A-Za-z0-9._-]+", "_", name) + suffix)


def spread(values: list[float | None]) -> str:
    """Fractions over training seeds as a table cell in %: 'mean [min-max]', or 'x (1 seed)' for one seed:
    a single run is a hint, and the cell says so."""
    values = [v for v in values if v is not None]
    if not values:
        return "n/a"
    mean = 100 * statistics.mean(values)
    if len(values) == 1:
        return f"{mean:.1f} (1 seed)"
    return f"{mean:.1f} [{100 * min(values):.1f}-{100 * max(values):.1f}]"
