"""The benchmark tables report seeds honestly: several seeds as mean [min-max], one seed marked as such."""

import json

from bench import spread
from bench.quality import write_table


def test_spread_gives_mean_and_range_and_marks_a_single_seed():
    assert spread([0.5, 0.6, 0.7]) == "60.0 [50.0-70.0]"
    assert spread([0.625]) == "62.5 (1 seed)"
    assert spread([None, 0.5]) == "50.0 (1 seed)"
    assert spread([]) == "n/a"


def _record(variant, seed, held, in_lab, step="final", method="first_token", students=12):
    part = lambda acc, n: {"n": n, "accuracy": acc, "interval_95": [acc - 0.1, acc + 0.1], "cohen_kappa": 0.3,
                           "qwk": 0.4, "constant": 0.5, "chance": 0.35}
    record = {"variant": variant, "description": f"{variant} recipe", "method": method, "step": step,
              "n_students": students,
              "train_minutes": 10.0 + (seed or 0), "held_out": part(held, 84), "in_lab": part(in_lab, 192), "ece": None}
    if seed is not None:
        record["seed"] = seed
    return record


def test_quality_table_aggregates_seeds_and_keeps_the_newest_run_of_each(tmp_path):
    results, table = tmp_path / "quality.jsonl", tmp_path / "quality.md"
    records = [_record("sft_lora", 0, 0.40, 0.50),  # superseded by the rerun of seed 0 below
               _record("sft_lora", 0, 0.50, 0.60), _record("sft_lora", 1, 0.55, 0.70), _record("sft_lora", 2, 0.60, 0.65),
               _record("dpo_lora", None, 0.45, 0.55)]  # a record from before seeds were recorded
    results.write_text("".join(json.dumps(r) + "\n" for r in records))
    write_table(results, table)
    rows = {line.split(" | ")[0].strip("| "): line for line in table.read_text().splitlines()
            if line.startswith("| sft_lora") or line.startswith("| dpo_lora")}
    cells = [c.strip() for c in rows["sft_lora"].split("|")]
    assert cells[3] == "3" and cells[4] == "11.0"  # seeds; mean minutes
    assert cells[5] == "55.0 [50.0-60.0] (84)" and cells[10] == "65.0 [60.0-70.0] (192)"
    dpo = [c.strip() for c in rows["dpo_lora"].split("|")]
    assert dpo[3] == "1" and dpo[5] == "45.0 [35-55] (1 seed) (84)"


def test_a_record_without_a_seed_is_the_default_seed_and_other_item_sets_are_other_rows(tmp_path):
    results, table = tmp_path / "quality.jsonl", tmp_path / "quality.md"
    records = [_record("dpo_lora", None, 0.45, 0.55),  # written before seeds were recorded: dpo_train's seed 42
               _record("dpo_lora", 42, 0.50, 0.60),  # the same seed run again: replaces it, not a second seed
               _record("dpo_lora", 1, 0.40, 0.50, students=24),  # scored on other students: its own row
               _record("dpo_lora", 42, 0.30, 0.40, step="checkpoint-10"), _record("dpo_lora", 1, 0.35, 0.45, step="checkpoint-10")]
    results.write_text("".join(json.dumps(r) + "\n" for r in records))
    write_table(results, table)
    text = table.read_text()
    rows = [[c.strip() for c in line.split("|")] for line in text.split("## As training goes")[0].splitlines()
            if line.startswith("| dpo_lora")]
    assert sorted((r[3], r[5]) for r in rows) == [("1", "40.0 [30-50] (1 seed) (84)"), ("1", "50.0 [40-60] (1 seed) (84)")]
    curve = [[c.strip() for c in line.split("|")] for line in text.split("## As training goes")[1].splitlines()
             if line.startswith("| dpo_lora")]
    assert [(r[3], r[4]) for r in curve] == [("1", "checkpoint-10"), ("1", "final"), ("42", "checkpoint-10"), ("42", "final")]


def test_learning_curve_table_counts_a_rerun_of_a_seed_once_with_its_newest_numbers(tmp_path):
    """bench/learning_curve.py: a recipe's seed run again (after a fix) replaces its earlier record."""
    from bench import learning_curve

    part = lambda acc: {"n": 192, "accuracy": acc, "kappa": 0.2, "predicted": {"A": 192}}
    reference = {"kind": "reference", "students": 48, "train_items": 528, "train_students": 132,
                 "in_lab": {"n": 192, "logistic_regression": 0.667, "constant": 0.568, "chance": 0.354},
                 "held_out": {"n": 84, "logistic_regression": 0.5, "constant": 0.476, "chance": 0.357}}
    run = lambda seed, acc: {"kind": "run", "students": 48, "recipe": "choice_top4_cached_long", "seed": seed,
                             "device": "cpu", "train_minutes": 7.0, "in_lab": part(acc), "held_out": part(acc)}
    results, table = tmp_path / "curve.jsonl", tmp_path / "curve.md"
    results.write_text("".join(json.dumps(r) + "\n" for r in [reference, run(0, 0.51), run(1, 0.60), run(0, 0.55)]))
    learning_curve.write_table(results, table)
    row = next(line for line in table.read_text().splitlines() if line.startswith("| 48 | choice_top4_cached_long"))
    cells = [c.strip() for c in row.split("|")]
    assert cells[4] == "2" and cells[6] == "57.5 [55.0-60.0] (192)"  # seeds 0 (the rerun's 55.0) and 1
