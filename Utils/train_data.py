"""The training pairs of step 2 (`dpo_train.py`), made ready for the trainer.

Pairs are read from the builder's JSONL (`Utils.create_dataset`, format owned by `Utils.pairs`),
checked, and shortened where needed: when prompt plus the longest answer would exceed
--max_length, only the student's code is cut in its middle (`Utils.prompts.fit_to_model`), so TRL
never truncates an answer or drops a pair. `length_stats` is what the run saves as
dataset_stats.json.
"""

from __future__ import annotations

import random
import statistics
from dataclasses import replace
from pathlib import Path

from Utils.pairs import fit_items, pair_records, read_pairs
from Utils.prompts import TokenizedItem




def pairs_system_prompt(path: str | Path) -> str | None:
    """The system prompt of a pairs file (every row's first message, when it is a system message): the
    one the run trains with, kept in the run folder (`runs.write_run_start`). None when the rows hold
    none or disagree (rows from several builds)."""
    import json

    prompts = set()
    with open(path, encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            messages = json.loads(line).get("prompt") or [{}]
            if messages[0].get("role") != "system":
                return None
            prompts.add(messages[0].get("content", "").strip())
            if len(prompts) > 1:
                return None
    return prompts.pop() if prompts else None


def choose_pairs(rows: list[dict], max_pairs: int | None, seed: int) -> list[dict]:
    """At most `max_pairs` rows, whole students at a time in a seeded random order, in file order.

    Whole students keep each student's criteria together (the grouped trainer shares their
    prompt prefix), and the sample spreads over labs.
    """
    if max_pairs is None or len(rows) <= max_pairs:
        return rows
    by_student: dict[tuple, list[int]] = {}
    for i, row in enumerate(rows):
        key = (row.get("lab"), row.get("student_id")) if "student_id" in row else (i,)
        by_student.setdefault(key, []).append(i)
    order = list(by_student)
    random.Random(seed).shuffle(order)
    chosen: list[int] = []
    for key in order:
        if len(chosen) + len(by_student[key]) <= max_pairs:
            chosen.extend(by_student[key])
    if not chosen:  # every student alone has more pairs than asked for
        chosen = by_student[order[0]][:max_pairs]
    return [rows[i] for i in sorted(chosen)]


def prepare_pairs(rows: list[dict], tokenizer, supports_system: bool, max_length: int | None
                  ) -> tuple[list[dict], dict]:
    """Rows ready for TRL's stock DPOTrainer, and their length statistics.

    Each item's prompt is fitted once (`Utils.prompts.fit_to_model`: system prompt folded where
    the template has no system role, only the code shortened), so every pair of one item sees
    the same code; TRL then never truncates an answer or drops a pair.
    """
    grouped, tokenized = fit_items(rows, tokenizer, supports_system, max_length)
    prepared: list[dict | None] = [None] * len(rows)
    for item, members, tok in zip(grouped.items, grouped.rows, tokenized):
        fitted = replace(item, messages=tok.messages, code_span=tok.code_span)
        for index, record in zip(members, pair_records(fitted)):
            prepared[index] = {**rows[index], **record} if tok.shortened or not supports_system else rows[index]
    return prepared, length_stats(grouped, tokenized, max_length)


def length_stats(grouped, tokenized: list[TokenizedItem], max_length: int | None) -> dict:
    per_pair = [(tok.prompt_ids, tok.answers_ids[c], tok.answers_ids[r], tok.shortened)
                for item, tok in zip(grouped.items, tokenized) for c, r in item.pairs]
    return {
        "pairs": len(per_pair),
        "prompts": len(tokenized),
        "max_length": max_length,
        "shortened_prompts": sum(t.shortened for t in tokenized),
        "shortened_pairs": sum(p[3] for p in per_pair),
        "tokens": {
            "prompt": describe([len(p[0]) for p in per_pair]),
            "prompt_before_shortening": describe([t.prompt_tokens_before for t in tokenized]),
            "chosen": describe([len(p[1]) for p in per_pair]),
            "rejected": describe([len(p[2]) for p in per_pair]),
            "pair": describe([len(p[0]) + max(len(p[1]), len(p[2])) for p in per_pair]),
        },
    }


def describe(values: list[int]) -> dict:
    if not values:
        return {}
    ordered = sorted(values)
    return {"min": ordered[0], "mean": round(statistics.fmean(ordered), 1), "median": statistics.median(ordered),
            "p95": ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))], "max": ordered[-1]}


def format_stats(name: str, stats: dict) -> str:
    pair = stats["tokens"].get("pair", {})
    return (f"{name}: {stats['pairs']} pairs of {stats['pairs_in_file']} in {stats['path']} "
            f"({stats['prompts']} prompts); {stats['shortened_prompts']} prompts shortened "
            f"({stats['shortened_pairs']} pairs) to fit max_length {stats['max_length']}; "
            f"tokens per pair min {pair.get('min')} / median {pair.get('median')} / max {pair.get('max')}")


def read_and_prepare(path: str | Path, tokenizer, supports_system: bool, max_length: int | None,
                     max_pairs: int | None, seed: int, trainer: str = "grouped", group_by: str = "student"):
    """(datasets.Dataset ready for the trainer, stats) for one pairs file: read and checked
    (`Utils.pairs`), whole students chosen, each prompt fitted to max_length once."""
    from datasets import Dataset

    from Utils.grouped_dpo import grouped_dataset

    rows = read_pairs(path, metadata=True)
    chosen = choose_pairs(rows, max_pairs, seed)
    if trainer == "grouped":
        grouped, tokenized = fit_items(chosen, tokenizer, supports_system, max_length, str(path))
        dataset = grouped_dataset(grouped.items, grouped.rows, tokenized, group_by)
        stats = length_stats(grouped, tokenized, max_length)
    else:
        prepared, stats = prepare_pairs(chosen, tokenizer, supports_system, max_length)
        dataset = Dataset.from_list(prepared)
    return dataset, {"path": str(path), "pairs_in_file": len(rows), **stats}


def check_all_pairs_kept(trainer, train_pairs: int, eval_pairs: int | None) -> None:
    """TRL drops pairs whose prompt fills max_length; fitting the code first means it never should."""
    from trl import DPOTrainer

    from Utils.grouped_dpo import GroupedDPOTrainer

    if isinstance(trainer, GroupedDPOTrainer):  # rows regrouped: each group counts its pairs
        def pairs(dataset):
            return sum(dataset["n_pairs"])
    elif type(trainer) is DPOTrainer:
        pairs = len
    else:
        return
    kept = [("train", pairs(trainer.train_dataset), train_pairs)]
    if eval_pairs is not None:
        kept.append(("eval", pairs(trainer.eval_dataset), eval_pairs))
    for name, n, expected in kept:
        if n != expected:
            raise RuntimeError(f"{name}: the trainer kept {n} of {expected} pairs")
