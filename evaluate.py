"""Evaluate a grader: how often does the model pick the TA's rating?

    python evaluate.py --adapter_path runs/model_20250101-120000 --test_dataset_path data/test.jsonl
    python evaluate.py --model smollm2-135m --parent_dir examples/labs --lab_names lab05_factorial

Scores every item (lab, student, criterion) of a builder test JSONL or of lab folders with
the model, bare or with a training run's LoRA adapter; with an adapter the bare base model is
scored too (unless --skip_base) and both are reported side by side. Writes predictions.jsonl,
report.json, report.md and PNG plots to --output_dir and ends with a table of the agreement.
The steps live in Utils/scoring.py (scoring), Utils/metrics.py and Utils/report.py.
"""

from __future__ import annotations

import json
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path

from transformers import HfArgumentParser

from Utils.create_dataset import read_system_prompt, split_lab_names
from Utils.report import BASE, FINE_TUNED, build_report, comparison_rows, format_table, model_section, \
    write_evaluation
from Utils.scoring import (METHODS, DatasetFormatError, ScoringModelArguments, filter_labs, first_students_per_lab, load_for_scoring,
                           read_lab_items,
                           read_test_items, resolve_max_length, score_items)

DEFAULT_TEST_DATASET = "data/test.jsonl"


@dataclass(kw_only=True)
class EvaluateArguments(ScoringModelArguments):
    skip_base: bool = field(default=False, metadata={
        "help": "with --adapter_path: do not also score the bare base model"})
    test_dataset_path: str | None = field(default=None, metadata={
        "help": f"builder test JSONL (default {DEFAULT_TEST_DATASET} when --parent_dir is not given)"})
    parent_dir: str | None = field(default=None, metadata={
        "help": "read items straight from lab folders under this folder instead of a JSONL"})
    lab_names: list[str] = field(default_factory=list, metadata={
        "help": "only these labs (space- or comma-separated); default: all"})
    verbose: int = field(default=0, metadata={
        "help": "with --parent_dir: 0 reads modified_ps.txt, 1 ps.txt (else problemStatement.txt)"})
    system_prompt_path: str | None = field(default=None, metadata={
        "help": "with --parent_dir: system prompt file (default: system_prompt.txt of the repo)"})
    output_dir: str = field(default="results/eval", metadata={"help": "where the outputs are written"})
    method: str = field(default="likelihood", metadata={
        "help": "likelihood: most likely option's answer text; generate: greedy generation, parsed",
        "choices": list(METHODS)})
    batch_size: int = field(default=4, metadata={
        "help": "likelihood: student groups per forward pass; generate: prompts per generate call"})
    max_new_tokens: int = field(default=48, metadata={"help": "generate: tokens generated per item"})
    max_items: int | None = field(default=None, metadata={"help": "score only the first N items (quick checks)"})
    max_students_per_lab: int | None = field(default=None, metadata={
        "help": "score only the first N students (sorted by id) of each lab: a fixed sample of every lab"})


def parse_args(argv: list[str] | None = None) -> EvaluateArguments:
    parser = HfArgumentParser(EvaluateArguments, description=__doc__.split("\n\n")[0])
    (args,) = parser.parse_args_into_dataclasses(args=argv)
    args.lab_names = split_lab_names(args.lab_names)
    if args.test_dataset_path and args.parent_dir:
        parser.error("give --test_dataset_path or --parent_dir, not both")
    if not args.parent_dir and not args.test_dataset_path:
        args.test_dataset_path = DEFAULT_TEST_DATASET
    if args.skip_base and not args.adapter_path:
        parser.error("--skip_base needs --adapter_path (without an adapter only the base model is scored)")
    if args.max_students_per_lab is not None and args.max_students_per_lab < 1:
        parser.error("--max_students_per_lab must be at least 1")
    if args.max_items is not None and args.max_items < 1:
        parser.error("--max_items must be at least 1")
    return args


def held_out_labs(test_dataset_path: str | None) -> list[str]:
    """Labs the builder put wholly in the test file (from dataset_report.json beside it, if any)."""
    if not test_dataset_path:
        return []
    report = Path(test_dataset_path).parent / "dataset_report.json"
    if not report.is_file():
        return []
    labs = json.loads(report.read_text(encoding="utf-8")).get("labs", [])
    return [lab["lab"] for lab in labs if isinstance(lab, dict) and lab.get("split") == "test"]


def print_progress(label: str):
    last = [-1]

    def show(done: int, total: int) -> None:
        step = 100 * done // max(total, 1) // 10
        if step != last[0]:
            last[0] = step
            print(f"  {label}: {done}/{total} items", file=sys.stderr, flush=True)
    return show


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)

    # 1. Items: a builder test JSONL, or lab folders read as the builder reads them.
    skipped = []
    try:
        if args.parent_dir:
            system_prompt, _ = read_system_prompt(args.system_prompt_path)
            items, skipped = read_lab_items(args.parent_dir, args.lab_names, system_prompt, args.verbose)
            source = args.parent_dir
        else:
            items = filter_labs(read_test_items(args.test_dataset_path), args.lab_names, args.test_dataset_path)
            source = args.test_dataset_path
    except (DatasetFormatError, ValueError, FileNotFoundError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    for problem in skipped:
        print(f"skipped: {problem.describe()}", file=sys.stderr)
    if args.max_students_per_lab:
        items = first_students_per_lab(items, args.max_students_per_lab)
    if args.max_items:
        items = items[:args.max_items]
    if not items:
        print(f"error: no items to score in {source}", file=sys.stderr)
        return 2

    # 2. The model as in training, with the run's adapter when given.
    try:
        loaded = load_for_scoring(args.model, args.model_size, args.adapter_path, args.quantization, args.device)
    except (ValueError, FileNotFoundError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    max_length, max_length_source = resolve_max_length(loaded, args.max_length)
    supports_system = loaded.spec.supports_system_message
    print(f"{len(items)} items from {source}; model {loaded.spec.name}"
          + (f" + adapter {loaded.adapter_dir}" if loaded.adapter_dir else "")
          + f"; method {args.method}; max_length {max_length} ({max_length_source})")

    # 3. Score: the fine-tuned model, then the base model (the same weights, adapter disabled).
    def score(label: str):
        run = score_items(loaded.model, loaded.tokenizer, items, args.method, max_length, supports_system,
                          args.batch_size, args.max_group_tokens, args.max_new_tokens, print_progress(label))
        print(f"{label}: {len(items)} items in {run.seconds:.1f} s ({run.items_per_second:.2f} items/s)")
        return run

    runs = {}
    if loaded.adapter_dir is not None:
        runs[FINE_TUNED] = score(FINE_TUNED)
        if not args.skip_base:
            with loaded.model.disable_adapter():
                runs[BASE] = score(BASE)
    else:
        runs[BASE] = score(BASE)

    # 4. Metrics and report.
    held_out = held_out_labs(args.test_dataset_path)
    sections = {}
    for label, run in runs.items():
        description = {"label": label, "name": loaded.spec.name, "hub_id": loaded.spec.hub_id,
                       "adapter_path": str(loaded.adapter_dir) if label == FINE_TUNED else None}
        sections[label] = model_section(run, description, held_out)
    context = {"method": args.method, "max_length": max_length, "max_length_source": max_length_source,
               "test_data": source, "held_out_labs": held_out,
               "skipped_items": [p.describe() for p in skipped], "arguments": asdict(args)}
    report = build_report(sections, context)
    written = write_evaluation(args.output_dir, report, runs, loaded.run_dir)
    print(f"wrote {', '.join(str(p) for p in written)}")
    print()
    print(format_table(*comparison_rows(report)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
