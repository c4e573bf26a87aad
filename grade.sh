#!/usr/bin/env bash
# Suggest ratings for new submissions. Edit the settings below per experiment (or set them in the
# environment); an empty setting means grade.py's default (python grade.py --help lists them).
# Extra arguments are passed on and win.
#   bash grade.sh --adapter_path runs/model_20250101-120000 --parent_dir new_labs
set -euo pipefail
cd "$(dirname "$0")"

MODEL="${MODEL-}"                        # empty: the training run's model (with ADAPTER_PATH), else smollm2-135m
ADAPTER_PATH="${ADAPTER_PATH-}"          # training run folder or its final_checkpoint/; empty: the bare model
PARENT_DIR="${PARENT_DIR-examples/labs}" # one sub-folder per lab: statement, rubrics.json, submissions/
LAB_NAMES="${LAB_NAMES-}"                # space-separated; empty: every lab in PARENT_DIR
OUTPUT_DIR="${OUTPUT_DIR-}"              # results/grades
TARGET_ACCURACY="${TARGET_ACCURACY-}"    # 0.9: auto-accept items at or above the calibrated confidence that reached
                                         # it on held-out labs; without a calibration every item goes to a TA
REVIEW_THRESHOLD="${REVIEW_THRESHOLD-}"  # instead: queue items below this (orders the TA's work; accepts nothing)
METHOD="${METHOD-}"                      # auto: first_token unless the run is calibrated only for likelihood
GRADEBOOK="${GRADEBOOK-}"                # plain, canvas or moodle (docs/guide.md: importing into the LMS)
GRADEBOOK_ASSIGNMENT="${GRADEBOOK_ASSIGNMENT-}"  # canvas/moodle: the grade column's name (default: the lab's)
ROSTER="${ROSTER-}"                      # the LMS's export of the course: unknown students are listed, left out
EVALUATION_REPORT="${EVALUATION_REPORT-}"  # evaluate.py's report.json of this run: the page states its agreement
MAX_LENGTH="${MAX_LENGTH-}"              # the run folder's saved max_length, else 1536
BATCH_SIZE="${BATCH_SIZE-}"              # 4
STATEMENT="${STATEMENT-}"                # modified_ps: modified_ps.txt (default); ps: ps.txt, else problemStatement.txt
VERBOSE="${VERBOSE-}"                    # older name for STATEMENT: 0 is modified_ps, 1 is ps

PYTHON="python3"
[ -x .venv/bin/python ] && PYTHON=".venv/bin/python"

args=()
add() { [ -n "$2" ] && args+=("$1" "$2"); return 0; }
add --model "$MODEL"
add --adapter_path "$ADAPTER_PATH"
add --parent_dir "$PARENT_DIR"
add --output_dir "$OUTPUT_DIR"
add --target_accuracy "$TARGET_ACCURACY"
add --review_threshold "$REVIEW_THRESHOLD"
add --method "$METHOD"
add --gradebook "$GRADEBOOK"
add --gradebook_assignment "$GRADEBOOK_ASSIGNMENT"
add --roster "$ROSTER"
add --evaluation_report "$EVALUATION_REPORT"
add --max_length "$MAX_LENGTH"
add --batch_size "$BATCH_SIZE"
add --statement "$STATEMENT"
add --verbose "$VERBOSE"
# shellcheck disable=SC2206  # lab names are space-separated words on purpose
[ -n "$LAB_NAMES" ] && args+=(--lab_names $LAB_NAMES)

exec "$PYTHON" grade.py "${args[@]}" "$@"
