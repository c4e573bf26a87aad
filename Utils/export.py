"""A deployable grader folder: one training run merged into a plain model folder.

    <folder>/
        config.json, model.safetensors, generation_config.json   the base model with the run's LoRA
                                                                  adapter merged in (plain transformers)
        tokenizer files, chat_template.jinja                      the tokenizer, with its chat template
        system_prompt.txt      the system prompt the run was trained with
        calibration.json       the run's temperature and auto-accept thresholds (when evaluated)
        grader.json            what grade.py needs: the base model, max_length, the run it came from

`grade.py --model <folder>` and `evaluate.py --model <folder>` use it as is (no PEFT needed, the
system prompt, max_length and calibration come with it), and so does
`AutoModelForCausalLM.from_pretrained(<folder>)`. This module alone writes and reads the folder.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from Utils import runs
from Utils.files import write_json_atomic, write_text_atomic

MANIFEST = "grader.json"
SYSTEM_PROMPT = "system_prompt.txt"


def run_system_prompt(run_dir: Path) -> str | None:
    """The system prompt a run was trained with, from the builder's report the run copied (the
    prompt is also in every training row; the report names its file)."""
    import json

    report = run_dir / runs.DATASET_REPORT
    if report.is_file():
        path = json.loads(report.read_text(encoding="utf-8")).get("arguments", {}).get("system_prompt_path")
        if path and Path(path).is_file():
            return Path(path).read_text(encoding="utf-8").strip()
    return None


def export_grader(run_path: str | Path, output_dir: str | Path, overwrite: bool = False) -> Path:
    """Merge a training run's weights into a standalone model folder; returns the folder."""
    import torch

    from Utils.models import load_for_scoring

    out = Path(output_dir)
    if out.exists() and any(out.iterdir()) and not overwrite:
        raise FileExistsError(f"{out} exists and is not empty: choose another folder or pass --overwrite")
    loaded = load_for_scoring(adapter_path=str(run_path), quantization="none", device="cpu")
    model = loaded.model.merge_and_unload() if hasattr(loaded.model, "merge_and_unload") else loaded.model
    model = model.to(torch.float32)
    tmp = out.with_name(f".{out.name}.partial")
    if tmp.exists():
        shutil.rmtree(tmp)
    tmp.mkdir(parents=True)
    model.save_pretrained(tmp)
    loaded.tokenizer.save_pretrained(tmp)
    system_prompt = run_system_prompt(loaded.run_dir)
    if system_prompt is not None:
        write_text_atomic(system_prompt + "\n", tmp / SYSTEM_PROMPT)
    for calibration in loaded.calibrations:
        runs.write_calibration(tmp, calibration)
    write_json_atomic({"base_model": loaded.spec.name, "hub_id": loaded.spec.hub_id,
                       "supports_system_message": loaded.supports_system,
                       "max_length": runs.run_max_length(loaded.run_args),
                       "trained_run": str(loaded.run_dir), "weights": str(loaded.weights_dir),
                       "arguments": {k: v for k, v in loaded.run_args.items()
                                     if k in ("model", "use_peft", "loss_type", "learning_rate", "num_train_epochs")}},
                      tmp / MANIFEST)
    if out.exists():
        shutil.rmtree(out)
    tmp.rename(out)
    return out


def read_manifest(folder: Path) -> dict | None:
    """grader.json of an exported grader folder (None for any other folder)."""
    import json

    path = Path(folder) / MANIFEST
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else None


def folder_system_prompt(folder: Path) -> str | None:
    path = Path(folder) / SYSTEM_PROMPT
    return path.read_text(encoding="utf-8").strip() if path.is_file() else None
