#!/usr/bin/env bash
# Build the DPO train/test JSONL from lab folders. Edit the settings below per experiment;
# any extra arguments are passed on to Utils/create_dataset.py (and win over these).
#   bash create_dpo_dataset.sh
#   bash create_dpo_dataset.sh --strict --shuffle 1 --seed 7
set -euo pipefail
cd "$(dirname "$0")"

PARENT_DIR="examples/labs"               # folder with one sub-folder per lab
EVAL_LAB_NAMES="lab05_factorial lab06_palindrome"   # shielded labs: test file only (space-separated)
TRAIN_SPLIT=0.7                          # fraction of each other lab's students used for training
SYSTEM_PROMPT_PATH=""                    # empty: system_prompt.txt (system_prompt_reasoning.txt with DPO_REASONING=1)
TRAIN_DATASET_PATH="data/train.jsonl"
TEST_DATASET_PATH="data/test.jsonl"
REPORT_PATH="data/dataset_report.json"
VERBOSE=0                                # 0: modified_ps.txt; 1: ps.txt (else problemStatement.txt)
DPO_REASONING=0                          # 1: answers carry the TA's comment as reasoning
SHUFFLE=0                                # 1: shuffle students (with SEED) before the split
SEED=42

PYTHON="python3"
[ -x .venv/bin/python ] && PYTHON=".venv/bin/python"

args=(--parent_dir "$PARENT_DIR" --train_split "$TRAIN_SPLIT"
      --train_dataset_path "$TRAIN_DATASET_PATH" --test_dataset_path "$TEST_DATASET_PATH"
      --report_path "$REPORT_PATH" --verbose "$VERBOSE" --dpo_reasoning "$DPO_REASONING"
      --shuffle "$SHUFFLE" --seed "$SEED")
# shellcheck disable=SC2206  # lab names are space-separated words on purpose
[ -n "$EVAL_LAB_NAMES" ] && args+=(--eval_lab_names $EVAL_LAB_NAMES)
[ -n "$SYSTEM_PROMPT_PATH" ] && args+=(--system_prompt_path "$SYSTEM_PROMPT_PATH")

exec "$PYTHON" -m Utils.create_dataset "${args[@]}" "$@"
