#!/usr/bin/env bash
# Build the DPO train/test JSONL from lab folders. Edit the settings below per experiment (or set
# them in the environment); an empty setting means the default of Utils/create_dataset.py
# (python -m Utils.create_dataset --help lists every flag with its default). Extra arguments are
# passed on and win; list flags add up, so `--eval_lab_names X` shields X as well as the labs here.
#   bash create_dpo_dataset.sh
#   bash create_dpo_dataset.sh --strict --shuffle 1 --seed 7
#   EVAL_LAB_NAMES="" bash create_dpo_dataset.sh --parent_dir my_labs --eval_lab_names lab9
set -euo pipefail
cd "$(dirname "$0")"

PARENT_DIR="${PARENT_DIR-examples/labs}"                               # one sub-folder per lab
EVAL_LAB_NAMES="${EVAL_LAB_NAMES-lab05_factorial lab06_palindrome}"    # shielded labs: test file only
TRAIN_SPLIT="${TRAIN_SPLIT-}"                  # fraction of each other lab's students used for training (0.7)
SYSTEM_PROMPT_PATH="${SYSTEM_PROMPT_PATH-}"    # system_prompt.txt (system_prompt_reasoning.txt with DPO_REASONING=1)
TRAIN_DATASET_PATH="${TRAIN_DATASET_PATH-}"    # data/train.jsonl
TEST_DATASET_PATH="${TEST_DATASET_PATH-}"      # data/test.jsonl
REPORT_PATH="${REPORT_PATH-}"                  # dataset_report.json beside the train file
STATEMENT="${STATEMENT-}"                      # modified_ps: modified_ps.txt (default); ps: ps.txt, else problemStatement.txt
VERBOSE="${VERBOSE-}"                          # older name for STATEMENT: 0 is modified_ps, 1 is ps
DPO_REASONING="${DPO_REASONING-}"              # 1: answers carry the TA's comment as reasoning
SHUFFLE="${SHUFFLE-}"                          # 1: shuffle students (with SEED) before the split
SEED="${SEED-}"                                # 42

PYTHON="python3"
[ -x .venv/bin/python ] && PYTHON=".venv/bin/python"

args=()
add() { [ -n "$2" ] && args+=("$1" "$2"); return 0; }
add --parent_dir "$PARENT_DIR"
add --train_split "$TRAIN_SPLIT"
add --system_prompt_path "$SYSTEM_PROMPT_PATH"
add --train_dataset_path "$TRAIN_DATASET_PATH"
add --test_dataset_path "$TEST_DATASET_PATH"
add --report_path "$REPORT_PATH"
add --statement "$STATEMENT"
add --verbose "$VERBOSE"
add --dpo_reasoning "$DPO_REASONING"
add --shuffle "$SHUFFLE"
add --seed "$SEED"
# shellcheck disable=SC2206  # lab names are space-separated words on purpose
[ -n "$EVAL_LAB_NAMES" ] && args+=(--eval_lab_names $EVAL_LAB_NAMES)

exec "$PYTHON" -m Utils.create_dataset "${args[@]}" "$@"
