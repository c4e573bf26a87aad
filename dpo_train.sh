#!/usr/bin/env bash
# Fine-tune a model with DPO + LoRA on the dataset from create_dpo_dataset.sh. Edit the settings
# below per experiment; any extra arguments are passed on to dpo_train.py (and win over these).
# Non-empty settings are passed as flags, so they also win over a CONFIG file; empty ones fall
# back to CONFIG, then to configs/train/<cuda|cpu>.yaml (the per-device defaults).
#   bash dpo_train.sh
#   bash dpo_train.sh --model qwen2.5-coder-7b --learning_rate 5e-6
#   ACCELERATE=1 bash dpo_train.sh --model codellama-7b      # every visible GPU, one process each
set -euo pipefail
cd "$(dirname "$0")"

TRAIN_DATASET_PATH="data/train.jsonl"
EVAL_DATASET_PATH="data/test.jsonl"      # "none": no evaluation
OUTPUT_DIR="runs"                        # each run writes OUTPUT_DIR/model_<YYYYmmdd_HHMMSS>/
MODEL=""                                 # registry name, local folder or hub id (empty: smollm2-135m)
TRAINER=""                               # stock (TRL's DPOTrainer) or grouped (empty: default)
DEVICE=""                                # auto, cpu, cuda, cuda:N (empty: auto)
QUANTIZATION=""                          # auto (4bit on CUDA, none on CPU), 4bit, 8bit, none (empty: auto)
CONFIG=""                                # YAML with flag names as keys, e.g. an earlier run's arguments.yaml
ACCELERATE="${ACCELERATE:-0}"            # 1: launch through `accelerate launch` (several GPUs)
NUM_PROCESSES="${NUM_PROCESSES:-}"       # with ACCELERATE=1: number of processes (empty: accelerate's config)

PYTHON="python3"
[ -x .venv/bin/python ] && PYTHON=".venv/bin/python"
export HF_HUB_DISABLE_TELEMETRY="${HF_HUB_DISABLE_TELEMETRY:-1}"

args=()
[ -n "$TRAIN_DATASET_PATH" ] && args+=(--train_dataset_path "$TRAIN_DATASET_PATH")
[ -n "$EVAL_DATASET_PATH" ] && args+=(--eval_dataset_path "$EVAL_DATASET_PATH")
[ -n "$OUTPUT_DIR" ] && args+=(--output_dir "$OUTPUT_DIR")
[ -n "$MODEL" ] && args+=(--model "$MODEL")
[ -n "$TRAINER" ] && args+=(--trainer "$TRAINER")
[ -n "$DEVICE" ] && args+=(--device "$DEVICE")
[ -n "$QUANTIZATION" ] && args+=(--quantization "$QUANTIZATION")
[ -n "$CONFIG" ] && args+=(--config "$CONFIG")

if [ "$ACCELERATE" = "1" ]; then
    launch=("$PYTHON" -m accelerate.commands.launch)
    [ -n "$NUM_PROCESSES" ] && launch+=(--num_processes "$NUM_PROCESSES")
    exec "${launch[@]}" dpo_train.py "${args[@]}" "$@"
fi
exec "$PYTHON" dpo_train.py "${args[@]}" "$@"
