#!/usr/bin/env bash
# Suggest ratings for new submissions. Edit the settings below per experiment; any extra
# arguments are passed on to grade.py (and win over these).
#   bash grade.sh --adapter_path runs/model_20250101-120000 --parent_dir new_labs
set -euo pipefail
cd "$(dirname "$0")"

MODEL=""                                 # empty: the training run's model (with ADAPTER_PATH), else smollm2-135m
ADAPTER_PATH=""                          # training run folder or its final_checkpoint/; empty: the bare model
PARENT_DIR="examples/labs"               # one sub-folder per lab: statement, rubrics.json, submissions/
LAB_NAMES=""                             # space-separated; empty: every lab in PARENT_DIR
OUTPUT_DIR="results/grades"
REVIEW_THRESHOLD=0.5                     # flag items whose top probability is below this for a TA
MAX_LENGTH=""                            # empty: the run folder's saved max_length, else 1536
BATCH_SIZE=4
VERBOSE=0                                # 0: modified_ps.txt; 1: ps.txt (else problemStatement.txt)

PYTHON="python3"
[ -x .venv/bin/python ] && PYTHON=".venv/bin/python"

args=(--parent_dir "$PARENT_DIR" --output_dir "$OUTPUT_DIR" --review_threshold "$REVIEW_THRESHOLD"
      --batch_size "$BATCH_SIZE" --verbose "$VERBOSE")
[ -n "$MODEL" ] && args+=(--model "$MODEL")
[ -n "$ADAPTER_PATH" ] && args+=(--adapter_path "$ADAPTER_PATH")
# shellcheck disable=SC2206  # lab names are space-separated words on purpose
[ -n "$LAB_NAMES" ] && args+=(--lab_names $LAB_NAMES)
[ -n "$MAX_LENGTH" ] && args+=(--max_length "$MAX_LENGTH")

exec "$PYTHON" grade.py "${args[@]}" "$@"
