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
`AutoModelForCausalLM.from_pretrained(<folder>)`. This module writes the folder; Utils/grader.py reads it.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from Utils import runs
from Utils.cli import UsageError, check_output_dir
from Utils.files import umask, write_json_atomic, write_text_atomic
from Utils.grader import (EXPORTED_BY, MANIFEST, check_adapter_fits, check_run_folder, is_export,
                          load_for_scoring)
from Utils.models import check_model_name

SYSTEM_PROMPT = "system_prompt.txt"


def _related(a: Path, b: Path) -> str | None:
    """How folder `a` relates to folder `b` (resolved): 'is', 'lies inside' or 'holds'; None if apart."""
    a, b = a.resolve(), b.resolve()
    if a == b:
        return "is"
    if b in a.parents:
        return "lies inside"
    if a in b.parents:
        return "holds"
    return None


def check_export(run_path: str | Path, output_dir: str | Path, overwrite: bool = False) -> dict:
    """Everything export_grader checks before it loads a model: the run folder is whole (weights,
    arguments, calibration), and --output_dir is neither the run, nor inside it, nor a folder that
    holds it (nor the base model's folder), and is empty, missing, or an earlier export (replaced
    only with --overwrite). Returns check_run_folder's record. Raises UsageError naming the flag."""
    try:
        run = check_run_folder(run_path, "--run")
        spec = check_model_name(run["model"] if isinstance(run["model"], str) else None,
                                run["model_size"] if isinstance(run["model_size"], str) else None)
        check_adapter_fits(run["weights_dir"], spec)
    except (ValueError, FileNotFoundError) as e:
        raise UsageError(str(e)) from None
    out = Path(output_dir)
    protected = [("the run folder --run", run["run_dir"]), ("the weights folder --run", run["weights_dir"])]
    if spec.hub_id and Path(spec.hub_id).expanduser().is_dir():
        protected.append(("the run's base model folder", Path(spec.hub_id).expanduser()))
    for what, folder in protected:
        relation = _related(out, folder)
        if relation:
            raise UsageError(f"--output_dir {out} {relation} {what} {folder}: refusing to write there "
                             "(the export would replace it); choose a folder of its own")
    check_output_dir(out, "--output_dir")
    if out.exists() and any(out.iterdir()):
        if not is_export(out):
            raise UsageError(f"--output_dir {out} exists and is not an exported grader (no {MANIFEST} written by "
                             f"{EXPORTED_BY}): it is never replaced, even with --overwrite; choose another folder")
        if not overwrite:
            raise UsageError(f"--output_dir {out} holds an earlier export: pass --overwrite to replace it, "
                             "or choose another folder")
    return run


def export_grader(run_path: str | Path, output_dir: str | Path, overwrite: bool = False, say=None) -> Path:
    """Merge a training run's weights into a standalone model folder; returns the folder.

    Checks everything first (`check_export`); writes into a new temporary folder beside the target
    and renames it into place, so only a folder this tool wrote (an earlier export) is ever replaced."""
    import torch

    check_export(run_path, output_dir, overwrite)
    out = Path(output_dir)
    loaded = load_for_scoring(adapter_path=str(run_path), quantization="none", device="cpu")
    model = loaded.model.merge_and_unload() if hasattr(loaded.model, "merge_and_unload") else loaded.model
    model = model.to(torch.float32)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(dir=out.parent, prefix=f".{out.name}.partial."))
    try:
        model.save_pretrained(tmp)
        loaded.tokenizer.save_pretrained(tmp)
        system_prompt = runs.system_prompt(loaded.run_dir)
        if system_prompt is not None:
            write_text_atomic(system_prompt + "\n", tmp / SYSTEM_PROMPT)
        elif say:
            say(f"note: the run folder keeps no {runs.SYSTEM_PROMPT_FILE} (trained before it was saved); the grader "
                "folder has none, so grade.py uses --system_prompt_path or its default")
        for calibration in loaded.calibrations:
            runs.write_calibration(tmp, calibration)
        write_json_atomic({"exported_by": EXPORTED_BY, "base_model": loaded.spec.name, "hub_id": loaded.spec.hub_id,
                           "supports_system_message": loaded.supports_system,
                           "max_length": runs.run_max_length(loaded.run_args),
                           "trained_run": str(loaded.run_dir), "weights": str(loaded.weights_dir),
                           "arguments": {k: v for k, v in loaded.run_args.items()
                                         if k in ("model", "use_peft", "loss_type", "learning_rate",
                                                  "num_train_epochs")}},
                          tmp / MANIFEST)
        os.chmod(tmp, 0o777 & ~umask())  # mkdtemp makes it 0700
        _replace_folder(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return out


def _replace_folder(new: Path, out: Path) -> None:
    """Put `new` at `out`: an empty folder there is removed; an earlier export (checked by
    `check_export`, and again here) is moved aside, then removed once the new one is in place."""
    if not out.exists():
        new.rename(out)
        return
    if not any(out.iterdir()):
        out.rmdir()
        new.rename(out)
        return
    if not is_export(out):  # changed since the check: never remove what this tool did not write
        raise UsageError(f"--output_dir {out} is no longer an exported grader; the new export is left in {new}")
    old = Path(tempfile.mkdtemp(dir=out.parent, prefix=f".{out.name}.old."))
    os.replace(out, old / out.name)
    new.rename(out)
    shutil.rmtree(old)
