#!/usr/bin/env bash
# Evaluate a grader against the TAs' ratings. Edit the settings below per experiment (or set them in
# the environment); an empty setting means evaluate.py's default (python evaluate.py --help lists
# them). Extra arguments are passed on and win.
#   bash evaluate.sh --adapter_path runs/model_20250101-120000
#   bash evaluate.sh --method generate --max_items 50
set -euo pipefail
cd "$(dirname "$0")"

MODEL="${MODEL-}"                        # empty: the training run's model (with ADAPTER_PATH), else smollm2-135m
ADAPTER_PATH="${ADAPTER_PATH-}"          # training run folder or its final_checkpoint/; empty: the bare model
TEST_DATASET_PATH="${TEST_DATASET_PATH-}"  # builder test JSONL (data/test.jsonl when no lab folders are given)
PARENT_DIR="${PARENT_DIR-}"              # lab folders to read instead of the JSONL
LAB_NAMES="${LAB_NAMES-}"                # space-separated; empty: all labs
STATEMENT="${STATEMENT-}"                # with PARENT_DIR: modified_ps (default) or ps (ps.txt, else problemStatement.txt)
OUTPUT_DIR="${OUTPUT_DIR-}"              # results/eval
METHOD="${METHOD-}"                      # auto (default: first_token for a choice-trained run), likelihood, first_token, generate
MAX_LENGTH="${MAX_LENGTH-}"              # the run folder's saved max_length, else 1536
BATCH_SIZE="${BATCH_SIZE-}"              # 4
SKIP_BASE="${SKIP_BASE-}"                # 1: with an adapter, do not also score the bare base model

PYTHON="python3"
[ -x .venv/bin/python ] && PYTHON=".venv/bin/python"

args=()
add() { [ -n "$2" ] && args+=("$1" "$2"); return 0; }
add --model "$MODEL"
add --adapter_path "$ADAPTER_PATH"
add --test_dataset_path "$TEST_DATASET_PATH"
add --parent_dir "$PARENT_DIR"
add --statement "$STATEMENT"
add --output_dir "$OUTPUT_DIR"
add --method "$METHOD"
add --max_length "$MAX_LENGTH"
add --batch_size "$BATCH_SIZE"
add --skip_base "$SKIP_BASE"
# shellcheck disable=SC2206  # lab names are space-separated words on purpose
[ -n "$LAB_NAMES" ] && args+=(--lab_names $LAB_NAMES)

exec "$PYTHON" evaluate.py "${args[@]}" "$@"
