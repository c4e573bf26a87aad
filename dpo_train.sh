#!/usr/bin/env bash
# Fine-tune a model on the dataset from create_dpo_dataset.sh. Edit the settings below per experiment
# (or set them in the environment); any extra arguments are passed on to dpo_train.py (and win).
# Non-empty settings are passed as flags, so they also win over a CONFIG file; empty ones fall
# back to CONFIG, then to configs/train/<cuda|cpu>.yaml (the per-device defaults).
#   bash dpo_train.sh
#   bash dpo_train.sh --model qwen2.5-coder-7b --learning_rate 5e-6
#   ACCELERATE=1 bash dpo_train.sh --model codellama-7b       # every visible GPU, one process each (DDP)
#   ACCELERATE=1 NUM_PROCESSES=2 bash dpo_train.sh            # 2 data-parallel processes (gloo on a CPU machine)
#   ACCELERATE=1 ACCELERATE_CONFIG=configs/accelerate/fsdp_lora.yaml bash dpo_train.sh --model codestral-22b
# Which accelerate config for which model and GPUs, and SLURM: docs/distributed.md.
set -euo pipefail
cd "$(dirname "$0")"

# An empty setting means dpo_train.py's default (docs/flags.md; configs/train/<cuda|cpu>.yaml).
TRAIN_DATASET_PATH="${TRAIN_DATASET_PATH-}"  # data/train.jsonl
EVAL_DATASET_PATH="${EVAL_DATASET_PATH-}"    # data/test.jsonl; "none": no evaluation
OUTPUT_DIR="${OUTPUT_DIR-}"              # runs: each run writes OUTPUT_DIR/model_<YYYYmmdd_HHMMSS>/
MODEL="${MODEL-}"                        # registry name, local folder or hub id (smollm2-135m)
TRAINER="${TRAINER-}"                    # grouped (GroupedDPOTrainer) or stock (TRL's DPOTrainer)
DEVICE="${DEVICE-}"                      # auto, cpu, cuda, cuda:N
QUANTIZATION="${QUANTIZATION-}"          # auto (4bit on CUDA, none on CPU), 4bit, 8bit, none
CONFIG="${CONFIG-}"                      # YAML with flag names as keys, e.g. an earlier run's arguments.yaml
# Several processes (ACCELERATE=1): `accelerate launch` with an accelerate config (configs/accelerate/).
ACCELERATE="${ACCELERATE:-0}"            # 1: launch NUM_PROCESSES data-parallel processes
ACCELERATE_CONFIG="${ACCELERATE_CONFIG:-configs/accelerate/ddp.yaml}"   # DDP; fsdp_*.yaml, deepspeed_*.yaml, multinode.yaml
NUM_PROCESSES="${NUM_PROCESSES:-}"       # processes in all (all machines); empty: every GPU of every machine (1 without GPUs)
NUM_MACHINES="${NUM_MACHINES:-}"         # several machines: their number (empty: the config's)
MACHINE_RANK="${MACHINE_RANK:-}"         # several machines: this machine's number, 0 on the main one
MAIN_PROCESS_IP="${MAIN_PROCESS_IP:-}"   # several machines: the main machine's address
MAIN_PROCESS_PORT="${MAIN_PROCESS_PORT:-}"   # rendezvous port (empty: the config's)

PYTHON="python3"
[ -x .venv/bin/python ] && PYTHON=".venv/bin/python"
export HF_HUB_DISABLE_TELEMETRY="${HF_HUB_DISABLE_TELEMETRY:-1}"

# A resumed run continues with the settings in its arguments.yaml: the settings above are not passed
# then (arguments given on the command line still win).
resuming=0
for arg in "$@"; do
    case "$arg" in --resume_from_checkpoint|--resume_from_checkpoint=*) resuming=1 ;; esac
done

args=()
if [ "$resuming" = "0" ]; then
[ -n "$TRAIN_DATASET_PATH" ] && args+=(--train_dataset_path "$TRAIN_DATASET_PATH")
[ -n "$EVAL_DATASET_PATH" ] && args+=(--eval_dataset_path "$EVAL_DATASET_PATH")
[ -n "$OUTPUT_DIR" ] && args+=(--output_dir "$OUTPUT_DIR")
[ -n "$MODEL" ] && args+=(--model "$MODEL")
[ -n "$TRAINER" ] && args+=(--trainer "$TRAINER")
[ -n "$DEVICE" ] && args+=(--device "$DEVICE")
[ -n "$QUANTIZATION" ] && args+=(--quantization "$QUANTIZATION")
[ -n "$CONFIG" ] && args+=(--config "$CONFIG")
fi

if [ "$ACCELERATE" = "1" ]; then
    if [ ! -f "$ACCELERATE_CONFIG" ]; then
        echo "error: ACCELERATE_CONFIG=$ACCELERATE_CONFIG: file not found (see configs/accelerate/)" >&2
        exit 2
    fi
    if [ -z "$NUM_PROCESSES" ]; then
        gpus="$("$PYTHON" -c 'import torch; print(max(torch.cuda.device_count(), 1))')"
        NUM_PROCESSES=$((gpus * ${NUM_MACHINES:-1}))
    fi
    launch=("$PYTHON" -m accelerate.commands.launch --config_file "$ACCELERATE_CONFIG" --num_processes "$NUM_PROCESSES")
    [ -n "$NUM_MACHINES" ] && launch+=(--num_machines "$NUM_MACHINES")
    [ -n "$MACHINE_RANK" ] && launch+=(--machine_rank "$MACHINE_RANK")
    [ -n "$MAIN_PROCESS_IP" ] && launch+=(--main_process_ip "$MAIN_PROCESS_IP")
    [ -n "$MAIN_PROCESS_PORT" ] && launch+=(--main_process_port "$MAIN_PROCESS_PORT")
    exec "${launch[@]}" dpo_train.py "${args[@]}" "$@"
fi
exec "$PYTHON" dpo_train.py "${args[@]}" "$@"
