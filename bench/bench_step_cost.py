"""What a training step costs by loss: every answer packed (DPO) against only what the loss reads.

    .venv/bin/python -m bench.bench_step_cost [--data data/train.jsonl] [--students 8] [--repeats 3]

The embedded model (float32, LoRA r16 on every projection) takes optimizer-free training steps
(forward and backward) over the same `--students` students, one student a step (`--students_per_step`),
as the grouped trainer packs them for each loss:

  sft, every answer packed   what an SFT step cost before: the TA's answer and every other rating's
                             answer after each prompt (the SFT term reads only the TA's)
  sft                        only the TA's answer after each prompt (now)
  choice                     only the answer's start up to the TA's letter (the classifier's one position)
  sigmoid (DPO)              every answer, plus the reference pass (adapter off, no gradients)

With `--trainable_layers K`, three more rows for the choice loss with full fine-tuning of the top K
layers only (`--use_peft False --trainable_layers K`): without the cache, and with
`--cache_frozen_layers` on a student's first pass (the frozen layers run and are kept) and on later
passes (epochs after the first: only the top K layers run).

Prints tokens per step and seconds per step (median over --repeats passes over the students) and
writes the table to bench/results/ (named by the command). The loss values of the first two rows are
printed too: the same loss, whatever is packed.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")

REPO = Path(__file__).resolve().parent.parent

MODES = [("sft, every answer packed", ["sft"], "all"), ("sft", ["sft"], None), ("choice", ["choice"], None),
         ("sigmoid (DPO)", ["sigmoid"], None)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", default=str(REPO / "data" / "train.jsonl"), help="builder train pairs")
    parser.add_argument("--students", type=int, default=8, help="students timed")
    parser.add_argument("--students_per_step", type=int, default=1,
                        help="students a step (the CPU default trains 2: rows that share a start run it once)")
    parser.add_argument("--repeats", type=int, default=3, help="passes over the students; the median is reported")
    parser.add_argument("--trainable_layers", type=int, default=None,
                        help="also time the choice loss training only the top K layers, without and with the cache")
    parser.add_argument("--losses", nargs="+", default=None, help="only these rows of the table (by name)")
    args = parser.parse_args(argv)

    import torch
    from datasets import Dataset
    from peft import LoraConfig

    from bench import result_path
    from Utils.files import write_text_atomic
    from Utils.grouped_dpo import DataCollatorForGroupedPreference, GroupedDPOConfig, GroupedDPOTrainer
    from Utils.models import load_model, load_tokenizer, resolve_model
    from Utils.pairs import read_pairs
    from Utils.train_model import freeze_below

    torch.manual_seed(0)
    spec = resolve_model("smollm2-135m")
    tokenizer = load_tokenizer(spec)
    rows = read_pairs(args.data)
    students = list(dict.fromkeys((r["lab"], r["student_id"]) for r in rows))[:args.students]
    rows = [r for r in rows if (r["lab"], r["student_id"]) in set(students)]
    lines = ["| loss | tokens a step (mean) | seconds a step (median of passes) | loss of the first step |",
             "|---|---:|---:|---:|"]
    modes = [(name, loss_types, answers, None, False) for name, loss_types, answers in MODES]
    if args.trainable_layers:
        k = args.trainable_layers
        modes += [(f"choice, top {k} layers", ["choice"], None, k, False),
                  (f"choice, top {k} layers, cached", ["choice"], None, k, True)]
    if args.losses:
        modes = [m for m in modes if m[0] in args.losses]
    for name, loss_types, answers, top, cache in modes:
        config = GroupedDPOConfig(output_dir="/tmp/unused", bf16=False, activation_checkpointing=False, report_to=[],
                                  use_cpu=True, per_device_train_batch_size=1, loss_type=loss_types,
                                  precompute_ref_log_probs=False, max_length=1536, disable_tqdm=True,
                                  cache_frozen_layers=cache)
        model = load_model(spec, "none", "cpu")
        lora = LoraConfig(r=16, lora_alpha=32, lora_dropout=0.0, task_type="CAUSAL_LM",
                          target_modules=list(spec.lora_target_modules))
        if top:
            freeze_below(model, top)
            lora = None
        trainer = GroupedDPOTrainer(model=model, args=config, train_dataset=Dataset.from_list(rows),
                                    processing_class=tokenizer, peft_config=lora)
        if answers:
            trainer.data_collator = DataCollatorForGroupedPreference(tokenizer.pad_token_id, answers=answers)
        k = args.students_per_step
        data = trainer.train_dataset
        batches = [trainer.data_collator([data[j] for j in range(i, min(i + k, len(data)))]) for i in range(0, len(data), k)]
        trainer.model.train()
        passes, first_loss = [], None
        for _ in range(args.repeats):
            start = time.perf_counter()
            for batch in batches:
                loss = trainer.compute_loss(trainer.model, batch)
                loss.backward()
                trainer.model.zero_grad()
                first_loss = loss.item() if first_loss is None else first_loss
            passes.append((time.perf_counter() - start) / len(batches))
        tokens = statistics.mean(b["input_ids"].numel() for b in batches)
        if cache:  # the first pass fills the cache, the later ones read it
            lines.append(f"| {name}: a student's first pass | {tokens:.0f} | {passes[0]:.2f} | {first_loss:.4f} |")
            print(lines[-1], flush=True)
            passes = passes[1:]
            name += ": later passes"
        lines.append(f"| {name} | {tokens:.0f} | {statistics.median(passes):.2f} | {first_loss:.4f} |")
        print(lines[-1], flush=True)
        del trainer, model
    data = Path(args.data).resolve()
    shown = data.relative_to(REPO) if data.is_relative_to(REPO) else data
    per_step = "one" if args.students_per_step == 1 else str(args.students_per_step)
    text = "\n".join([f"# Training step cost by loss (bench/bench_step_cost.py, {len(students)} students of "
                      f"{shown}, {per_step} a step, LoRA r16 on every layer unless the row says 'top K layers' (full fine-tuning of those), "
                      f"float32, {torch.get_num_threads()} threads)", "", *lines, ""])
    out = result_path("bench_step_cost", sys.argv[1:] if argv is None else argv)
    write_text_atomic(text, out)
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
