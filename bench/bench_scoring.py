"""Benchmark scoring: grouped likelihood (one packed pass per item, student or lab) vs generation.

    bash create_dpo_dataset.sh                       # writes data/test.jsonl
    .venv/bin/python -m bench.bench_scoring [--items 48] [--max-new-tokens 25]   # ~9 min

The embedded model (smollm2-135m, float32, eval mode) scores the first --items test items (whole
students, file order). Batch 1, prompts tokenized beforehand:

  likelihood_item     every option's answer packed after the prompt (Utils.packing.pack_item),
                      one forward pass per item, logits only at answer positions
  likelihood_student  all of a student's items in one sequence (pack_group), statement and
                      code once, one forward pass per student
  likelihood_lab      as likelihood_student, after the lab's shared start (system prompt and
                      statement) has run once (encode_prefix): each student runs its code, its
                      criteria and their answers only
  generate            greedy model.generate of the answer (--max-new-tokens, stops at end of turn),
                      one item at a time

and as evaluate.py runs them (tokenizing included, at its default batch sizes):

  evaluate_likelihood Utils.scoring.score_likelihood, 4 students per pass (the lab start cached)
  evaluate_generate   Utils.scoring.score_generate, 8 items per generate call (left padding)

Prints items/second and the ratios to generation, and writes them to --out (markdown).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from datetime import datetime
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")

from bench import result_path  # noqa: E402
from bench.bench_training import load_average, machine_description, matmul_gflops, read_rows, write_section  # noqa: E402

HEADING = "## Scoring: items per second"


def test_items(rows: list[dict], n_items: int) -> list[dict]:
    """Items (prompt, code_span, one answer per option in option order) from the builder's rows."""
    items: dict[tuple, dict] = {}
    for row in rows:
        key = (row["lab"], row["student_id"], row["criterion"])
        item = items.setdefault(key, {"key": key, "prompt": row["prompt"], "code_span": row["code_span"],
                                      "options": row["options"], "answers": {}})
        item["answers"][row["chosen_option"]] = row["chosen"][0]["content"]
        item["answers"][row["rejected_option"]] = row["rejected"][0]["content"]
    chosen = list(items.values())[:n_items]
    for item in chosen:
        item["answers"] = [item["answers"][letter] for letter in item["options"]]
    return chosen


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--items", type=int, default=48)
    p.add_argument("--max-new-tokens", type=int, default=25)
    p.add_argument("--max-length", type=int, default=1536)
    p.add_argument("--data", type=Path, default=REPO / "data" / "test.jsonl")
    p.add_argument("--out", type=Path, default=None, help="default: bench/results/<the command>.md")
    args = p.parse_args()
    args.out = args.out or result_path("bench_scoring", sys.argv[1:])

    import torch

    from Utils.models import load_model, load_tokenizer, resolve_model
    from Utils.packing import answer_logprobs, collate_packed, encode_prefix, pack_group, pack_item, shared_prefix_length
    from Utils.prompts import fit_to_model, render_prompt
    from Utils.pairs import read_items
    from Utils.scoring import score_generate, score_likelihood

    items = test_items(read_rows(args.data), args.items)
    load_before = load_average()
    peak = matmul_gflops()
    spec = resolve_model("smollm2-135m")
    tokenizer = load_tokenizer(spec)
    model = load_model(spec, quantization="none", device="cpu", dtype=torch.float32).eval()
    for item in items:
        fitted = fit_to_model(tokenizer, item["prompt"], tuple(item["code_span"]), item["answers"], args.max_length)
        if fitted.error:
            raise SystemExit(f"{item['key']}: {fitted.error}")
        item["messages"], item["prompt_ids"], item["answers_ids"] = fitted.messages, fitted.prompt_ids, fitted.answers_ids
    students: dict[tuple, list[dict]] = {}
    for item in items:
        students.setdefault(item["key"][:2], []).append(item)

    # Each batch-1 method returns how many token positions it ran through the model.
    def by_item():
        tokens = 0
        for item in items:
            packed = pack_item(item["prompt_ids"], item["answers_ids"])
            answer_logprobs(model, collate_packed([packed], tokenizer.pad_token_id))
            tokens += len(packed.input_ids)
        return tokens

    def by_student():
        tokens = 0
        for group in students.values():
            packed = pack_group([i["prompt_ids"] for i in group], [i["answers_ids"] for i in group])
            answer_logprobs(model, collate_packed([packed], tokenizer.pad_token_id))
            tokens += len(packed.input_ids)
        return tokens

    def by_lab():
        tokens = 0
        for lab in dict.fromkeys(key[0] for key in students):
            groups = [group for key, group in students.items() if key[0] == lab]
            cached = shared_prefix_length([i["prompt_ids"] for group in groups for i in group])
            prefix = encode_prefix(model, groups[0][0]["prompt_ids"][:cached])
            tokens += cached
            for group in groups:
                packed = pack_group([i["prompt_ids"] for i in group], [i["answers_ids"] for i in group], cached)
                answer_logprobs(model, collate_packed([packed], tokenizer.pad_token_id), prefix)
                tokens += len(packed.input_ids)
        return tokens

    new_tokens = []

    def generate():
        for item in items:
            text = render_prompt(tokenizer, item["messages"])
            enc = tokenizer(text, add_special_tokens=False, return_tensors="pt")
            out = model.generate(**enc, max_new_tokens=args.max_new_tokens, do_sample=False, temperature=None,
                                 top_p=None, top_k=None, pad_token_id=tokenizer.pad_token_id)
            new_tokens.append(out.shape[1] - enc["input_ids"].shape[1])
        return sum(len(i["prompt_ids"]) for i in items) + sum(new_tokens)

    keys = {item["key"] for item in items}
    scoring_items = [i for i in read_items(args.data) if i.key in keys]

    def evaluate_likelihood():
        score_likelihood(model, tokenizer, scoring_items, args.max_length, batch_size=4)

    def evaluate_generate():
        score_generate(model, tokenizer, scoring_items, args.max_length, batch_size=8,
                       max_new_tokens=args.max_new_tokens)

    results, tokens = {}, {}
    with torch.inference_mode():
        answer_logprobs(model, collate_packed([pack_item(items[0]["prompt_ids"], items[0]["answers_ids"])],
                                              tokenizer.pad_token_id))  # warm-up
        for name, run in [("likelihood_item", by_item), ("likelihood_student", by_student), ("likelihood_lab", by_lab),
                          ("generate", generate), ("evaluate_likelihood", evaluate_likelihood),
                          ("evaluate_generate", evaluate_generate)]:
            start = time.perf_counter()
            tokens[name] = run()
            results[name] = time.perf_counter() - start
            print(f"{name}: {len(items)} items in {results[name]:.1f} s ({len(items) / results[name]:.2f} items/s), "
                  f"load {load_average()}", flush=True)

    prompt_tokens = sum(len(i["prompt_ids"]) for i in items) / len(items)
    lines = [f"{HEADING} ({datetime.now():%Y-%m-%d %H:%M})", "",
             f"Machine: {machine_description()}.  ",
             f"Command: `{' '.join(['.venv/bin/python', '-m', 'bench.bench_scoring'] + sys.argv[1:])}`  ",
             f"float32 matmul rate: {peak:.1f} GFLOP/s. Load average before: {load_before}, after: {load_average()}.  ",
             f"{len(items)} test items of {len(students)} students, {prompt_tokens:.0f} prompt tokens per item on "
             f"average; generation produced {sum(new_tokens) / len(new_tokens):.1f} new tokens per item "
             f"(at most {args.max_new_tokens}).", "",
             "| method | seconds | items/s | x generate | token positions per item |", "|---|---|---|---|---|"]
    for name, seconds in results.items():
        per_item = f"{tokens[name] / len(items):.0f}" if tokens[name] else "-"
        lines.append(f"| {name} | {seconds:.1f} | {len(items) / seconds:.2f} | {results['generate'] / seconds:.1f} | "
                     f"{per_item} |")
    lines += ["", "Token positions: what each batch-1 method runs through the model (a generated token is one "
              "position, run alone, with the whole model read for it)."]
    print("\n".join(lines[-10:]))
    write_section(args.out, HEADING, lines + [""])
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
