#!/usr/bin/env bash
# Evaluate a grader against the TAs' ratings. Edit the settings below per experiment; any extra
# arguments are passed on to evaluate.py (and win over these).
#   bash evaluate.sh --adapter_path runs/model_20250101-120000
#   bash evaluate.sh --method generate --max_items 50
set -euo pipefail
cd "$(dirname "$0")"

MODEL=""                                 # empty: the training run's model (with ADAPTER_PATH), else smollm2-135m
ADAPTER_PATH=""                          # training run folder or its final_checkpoint/; empty: the bare model
TEST_DATASET_PATH="data/test.jsonl"      # builder test JSONL (ignored when PARENT_DIR is set)
PARENT_DIR=""                            # set to read lab folders directly instead of the JSONL
LAB_NAMES=""                             # space-separated; empty: all labs
OUTPUT_DIR="results/eval"
METHOD="likelihood"                      # likelihood | generate
MAX_LENGTH=""                            # empty: the run folder's saved max_length, else 1536
BATCH_SIZE=4
SKIP_BASE=0                              # 1: with an adapter, do not also score the bare base model

PYTHON="python3"
[ -x .venv/bin/python ] && PYTHON=".venv/bin/python"

# The input is PARENT_DIR, else TEST_DATASET_PATH, unless the extra arguments name one themselves.
input_given=0
for arg in "$@"; do
  case "$arg" in --parent_dir|--parent-dir|--parent_dir=*|--parent-dir=*|--test_dataset_path*|--test-dataset-path*) input_given=1 ;; esac
done

args=(--output_dir "$OUTPUT_DIR" --method "$METHOD" --batch_size "$BATCH_SIZE")
if [ "$input_given" = 0 ]; then
  if [ -n "$PARENT_DIR" ]; then args+=(--parent_dir "$PARENT_DIR"); else args+=(--test_dataset_path "$TEST_DATASET_PATH"); fi
fi
[ -n "$MODEL" ] && args+=(--model "$MODEL")
[ -n "$ADAPTER_PATH" ] && args+=(--adapter_path "$ADAPTER_PATH")
# shellcheck disable=SC2206  # lab names are space-separated words on purpose
[ -n "$LAB_NAMES" ] && args+=(--lab_names $LAB_NAMES)
[ -n "$MAX_LENGTH" ] && args+=(--max_length "$MAX_LENGTH")
[ "$SKIP_BASE" = 1 ] && args+=(--skip_base)

exec "$PYTHON" evaluate.py "${args[@]}" "$@"
