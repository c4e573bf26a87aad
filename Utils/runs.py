"""The training run folder: its layout, written by training and read by evaluation and grading.

    <output_dir>/model_<YYYYmmdd_HHMMSS>/
        arguments.yaml          resolved arguments (reuse with --config); written once, kept on resume
        dataset_stats.json      token lengths, pairs used, shortened prompts
        dataset_report.json     the builder's accounting of the training data (copied)
        system_prompt.txt       the system prompt the run was trained with (from its training pairs);
                                evaluation, grading and export read it here (`system_prompt`)
        adapter_model.safetensors, adapter_config.json, tokenizer files   the LoRA adapter and tokenizer
                                (a fully fine-tuned model, --use_peft False, is saved in final_checkpoint/ only)
        calibration.json        per scoring setting (method, quantization): a temperature fitted on in-lab
                                test students and the auto-accept thresholds (evaluate.py; grade.py reads it)
        evaluation.json         the fine-tuned model's agreement with the TAs on held-out labs, with its interval
                                and baselines, from the latest evaluate.py run (grade.py's review page shows it)
        checkpoint-N/           Trainer checkpoints (for --resume_from_checkpoint)
        runs/                   TensorBoard logs
        trainer_state.json      the log history
        final_checkpoint/       the same weights and time.txt; appears last (renamed into place),
                                so a folder without it is a run that did not finish

This module alone knows these names.

With several processes (`accelerate launch`), the main process alone creates the run folder (its
name is broadcast: `shared_run_dir`) and writes every file of it; Trainer's checkpoints also hold
one `rng_state_<process>.pth` per process, which an exact resume needs.
"""

from __future__ import annotations

import json
import os
import shutil
from datetime import datetime
from pathlib import Path

import yaml

from Utils.calibration import entry_problems, fits, setting_of
from Utils.files import write_json_atomic, write_text_atomic

RUN_PREFIX = "model_"
FINAL_CHECKPOINT = "final_checkpoint"
ARGUMENTS_FILE = "arguments.yaml"
STATS_FILE = "dataset_stats.json"
DATASET_REPORT = "dataset_report.json"
CALIBRATION_FILE = "calibration.json"
EVALUATION_FILE = "evaluation.json"
TIME_FILE = "time.txt"
SYSTEM_PROMPT_FILE = "system_prompt.txt"
ADAPTER_CONFIG = "adapter_config.json"
MODEL_CONFIG = "config.json"


# --------------------------------------------------------------------------- writing (training)


def create_run_dir(output_dir: str | Path, now: datetime | None = None) -> Path:
    """A new folder `model_<YYYYmmdd_HHMMSS>` (with _1, _2 ... when taken) under output_dir.

    `mkdir` fails when the folder exists, so two runs started in the same second never share one.
    """
    root = Path(output_dir)
    root.mkdir(parents=True, exist_ok=True)
    stamp = (now or datetime.now()).strftime("%Y%m%d_%H%M%S")
    n = 0
    while True:
        path = root / (f"{RUN_PREFIX}{stamp}" if n == 0 else f"{RUN_PREFIX}{stamp}_{n}")
        try:
            path.mkdir()
            return path
        except FileExistsError:
            n += 1


def resume_target(resume: str, output_dir: str | Path) -> tuple[Path, str]:
    """(run folder, checkpoint) for --resume_from_checkpoint.

    Accepts a checkpoint folder (`.../model_X/checkpoint-N`), a run folder (its last
    checkpoint), or `latest` (the newest run folder under output_dir that has a checkpoint).
    """
    from transformers.trainer_utils import get_last_checkpoint

    path = Path(resume)
    if resume.lower() in ("latest", "last", "true"):
        runs = sorted((p for p in Path(output_dir).glob(f"{RUN_PREFIX}*") if p.is_dir()), key=os.path.getmtime)
        for run in reversed(runs):
            last = get_last_checkpoint(str(run))
            if last:
                return run, last
        raise ValueError(f"--resume_from_checkpoint {resume}: no run folder with a checkpoint in {output_dir}")
    if path.is_dir() and (path / "trainer_state.json").is_file():
        return path.parent, str(path)
    if path.is_dir():
        last = get_last_checkpoint(str(path))
        if last:
            return path, last
    raise ValueError(f"--resume_from_checkpoint {resume}: not a checkpoint folder (checkpoint-N with "
                     "trainer_state.json) nor a run folder holding one")


def shared_run_dir(training_args, output_dir: str) -> tuple[Path, str | None]:
    """The run folder (created by the main process, the same for all) and the checkpoint to resume."""
    from accelerate.utils import broadcast_object_list

    resume = training_args.resume_from_checkpoint
    result = [None, None]
    if training_args.process_index == 0:
        if resume:
            run_dir, checkpoint = resume_target(resume, output_dir)
            result = [str(run_dir), checkpoint]
        else:
            result = [str(create_run_dir(output_dir)), None]
    if training_args.world_size > 1:
        broadcast_object_list(result, from_process=0)
    return Path(result[0]), result[1]


def write_run_start(run_dir: Path, arguments: dict, stats: dict, train_path: str | Path, resumed: bool = False,
                    system_prompt: str | None = None) -> list[Path]:
    """Resolved arguments, dataset statistics, the builder's accounting and the system prompt of the
    training pairs (`system_prompt`, None when the pairs hold none), before training starts.

    A resumed run keeps what its first start wrote (the record of how the run was made); only
    files that are missing are written. Returns the files written.
    """
    written = []
    arguments_path = run_dir / ARGUMENTS_FILE
    if not (resumed and arguments_path.is_file()):
        write_text_atomic("# Resolved arguments of this run; reuse with: bash dpo_train.sh --config <this file>\n"
                          + yaml.safe_dump(arguments, sort_keys=False, allow_unicode=True), arguments_path)
        written.append(arguments_path)
    if not (resumed and (run_dir / STATS_FILE).is_file()):
        written.append(write_json_atomic(stats, run_dir / STATS_FILE))
    if system_prompt is not None and not (resumed and (run_dir / SYSTEM_PROMPT_FILE).is_file()):
        written.append(write_text_atomic(system_prompt + "\n", run_dir / SYSTEM_PROMPT_FILE))
    report = Path(train_path).parent / DATASET_REPORT
    if report.is_file() and not (resumed and (run_dir / DATASET_REPORT).is_file()):
        shutil.copyfile(report, run_dir / DATASET_REPORT)
        written.append(run_dir / DATASET_REPORT)
    return written


def save_final(trainer, run_dir: Path, data_seconds: float, train_seconds: float) -> Path:
    """Adapter and tokenizer in the run folder; final_checkpoint/ (weights, time.txt) appears last.

    final_checkpoint is written under a temporary name and renamed at the very end, so a run
    that dies leaves no folder that looks complete. Call on every process (save_model gathers
    sharded weights); only the main process writes files.
    """
    partial = run_dir / f".{FINAL_CHECKPOINT}.partial"
    final = run_dir / FINAL_CHECKPOINT
    main = trainer.is_world_process_zero()
    if main and partial.exists():
        shutil.rmtree(partial)
    trainer.accelerator.wait_for_everyone()
    if hasattr(trainer.model, "peft_config"):  # a LoRA adapter is small: in the run folder too
        trainer.save_model(str(run_dir))
    elif main:  # a whole model only once, in final_checkpoint/; the run folder keeps the tokenizer
        trainer.processing_class.save_pretrained(str(run_dir))
    trainer.save_model(str(partial))
    trainer.save_state()
    if main:
        (partial / TIME_FILE).write_text(f"Data loading time: {data_seconds:.2f} seconds\n"
                                         f"Training time: {train_seconds:.2f} seconds\n", encoding="utf-8")
        if final.exists():  # a resumed run that had finished before
            shutil.rmtree(final)
        os.replace(partial, final)
    trainer.accelerator.wait_for_everyone()
    return final


# --------------------------------------------------------------------------- reading (evaluation, grading)


def find_weights_dir(path: str | Path, flag: str = "--adapter_path") -> Path:
    """A training run folder or its final_checkpoint/ -> the folder holding the trained weights
    (a LoRA adapter, adapter_config.json; or full weights, config.json)."""
    path = Path(path)
    if not path.is_dir():
        raise FileNotFoundError(f"{flag} {path}: folder not found")
    for candidate in (path, path / FINAL_CHECKPOINT):
        if (candidate / ADAPTER_CONFIG).is_file() or (candidate / MODEL_CONFIG).is_file():
            return candidate
    raise FileNotFoundError(
        f"{flag} {path}: no {ADAPTER_CONFIG} (nor {MODEL_CONFIG}) there or in {FINAL_CHECKPOINT}/ "
        "(pass a training run folder <output_dir>/model_<timestamp>/ or its final_checkpoint/)")


def is_adapter(weights_dir: Path) -> bool:
    return (weights_dir / ADAPTER_CONFIG).is_file()


def run_dir_of(weights_dir: Path) -> Path:
    """The training run folder of a weights folder (its parent when it is final_checkpoint/)."""
    return weights_dir.parent if weights_dir.name == FINAL_CHECKPOINT else weights_dir


def read_run_arguments(run_dir: Path) -> tuple[dict, Path | None]:
    """The resolved arguments the run saved in arguments.yaml ({}, None when it has none).
    Raises ValueError naming the file when it is not a YAML mapping."""
    from Utils.cli import read_yaml_file

    path = run_dir / ARGUMENTS_FILE
    if not path.is_file():
        return {}, None
    data = read_yaml_file(path, "the run's")
    if not isinstance(data, dict):
        raise ValueError(f"{path}: expected a mapping of flag names to values")
    return data, path


def system_prompt(run_dir: str | Path | None) -> str | None:
    """The system prompt a training run (or an exported grader folder) was trained with, from its
    system_prompt.txt; None when the folder keeps none (runs from before it was saved)."""
    if run_dir is None:
        return None
    path = Path(run_dir) / SYSTEM_PROMPT_FILE
    if not path.is_file():
        return None
    try:
        return path.read_bytes().decode("utf-8-sig").strip()
    except UnicodeDecodeError:
        raise ValueError(f"{path}: not UTF-8 text") from None


def run_system_prompt_of(path: str | Path) -> str | None:
    """`system_prompt` of the run that an --adapter_path (a run folder or its final_checkpoint/) names."""
    return system_prompt(run_dir_of(find_weights_dir(path)))


def run_max_length(run_args: dict) -> int | None:
    value = run_args.get("max_length")
    try:
        return int(value) if value is not None else None
    except (TypeError, ValueError):
        return None


def write_calibration(run_dir: Path, calibration: dict) -> Path:
    """Save one scoring setting's calibration (its `method` and `quantization` keys name the setting),
    replacing that setting's earlier one (and a same-method one of unrecorded precision) and keeping
    the others': a probability from first-token scoring or an int8 model is not one from the full
    answers in float32 (bench/results/bench_grading--students-100--generate_items-16.md)."""
    kept = [e for e in read_calibrations(run_dir) if not fits(e, *setting_of(calibration))]
    return write_json_atomic({"settings": kept + [calibration]}, run_dir / CALIBRATION_FILE)


def read_calibrations(run_dir: Path | None) -> list[dict]:
    """The calibrations saved in a run (or exported grader) folder, one per scoring setting; a file
    from before settings were recorded (one object with a temperature) is one likelihood setting of
    unrecorded quantization. Raises ValueError naming the file and every problem when it is not
    sound JSON (truncated) or holds an impossible value (temperature 0, a NaN threshold)."""
    path = run_dir / CALIBRATION_FILE if run_dir is not None else None
    if path is None or not path.is_file():
        return []
    fix = "delete it and run evaluate.py on the run again"
    try:
        data = json.loads(path.read_bytes().decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise ValueError(f"{path}: not UTF-8 text; {fix}") from None
    except json.JSONDecodeError as e:
        raise ValueError(f"{path}: invalid JSON at line {e.lineno} column {e.colno} ({e.msg}; truncated?); "
                         f"{fix}") from None
    if isinstance(data, dict) and isinstance(data.get("settings"), list):
        entries = data["settings"]
    else:
        entries = [data]
    problems = [f"setting {i + 1}: {problem}" if len(entries) > 1 else problem
                for i, entry in enumerate(entries) for problem in entry_problems(entry)]
    if problems:
        raise ValueError(f"{path}: not a calibration file ({'; '.join(problems[:6])}"
                         f"{f'; and {len(problems) - 6} more' if len(problems) > 6 else ''}); {fix}")
    return entries


def _normalise_tag(tag: str) -> str:
    """TensorBoard tags ('train/loss', 'eval/rewards/accuracies') -> trainer_state names."""
    if tag.startswith("train/"):
        return tag[len("train/"):]
    if tag.startswith("eval/"):
        return "eval_" + tag[len("eval/"):]
    return tag


def read_training_log(run_dir: str | Path | None) -> dict:
    """{"source": file, "series": {name: [(step, value)]}} from a run folder's trainer_state.json
    (the one with the longest history, checkpoints included), else its TensorBoard event files;
    {} when there is neither."""
    if run_dir is None or not Path(run_dir).is_dir():
        return {}
    run_dir = Path(run_dir)
    best: tuple[int, Path, list] | None = None
    for path in run_dir.rglob("trainer_state.json"):
        history = json.loads(path.read_text(encoding="utf-8")).get("log_history", [])
        if best is None or len(history) > best[0]:
            best = (len(history), path, history)
    series: dict[str, list[tuple[float, float]]] = {}
    if best and best[0]:
        for entry in best[2]:
            for key, value in entry.items():
                if key not in ("step", "epoch") and isinstance(value, (int, float)) and "step" in entry:
                    series.setdefault(key, []).append((entry["step"], float(value)))
        return {"source": str(best[1]), "series": series}
    event_files = sorted(run_dir.rglob("events.out.tfevents.*"))
    if not event_files:
        return {}
    from tensorboard.backend.event_processing.event_accumulator import EventAccumulator

    for path in event_files:
        accumulator = EventAccumulator(str(path), size_guidance={"scalars": 0})
        accumulator.Reload()
        for tag in accumulator.Tags().get("scalars", []):
            series.setdefault(_normalise_tag(tag), []).extend((e.step, e.value) for e in accumulator.Scalars(tag))
    return {"source": str(event_files[0].parent), "series": {k: sorted(v) for k, v in series.items()}} if series else {}


def write_evaluation(run_dir: Path, agreement: dict) -> Path:
    """Save the run's measured agreement on held-out labs (`Utils.grading.measured_agreement`), replacing
    an earlier evaluation's."""
    return write_json_atomic(agreement, Path(run_dir) / EVALUATION_FILE)


def read_evaluation(run_dir: Path | None) -> dict | None:
    """The run's saved agreement on held-out labs, or None when no evaluation saved one. Raises ValueError
    naming the file when it is not what evaluate.py writes (truncated, edited)."""
    path = Path(run_dir) / EVALUATION_FILE if run_dir is not None else None
    if path is None or not path.is_file():
        return None
    fix = "delete it and run evaluate.py on the run again, or pass --evaluation_report"
    try:
        data = json.loads(path.read_bytes().decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as e:
        raise ValueError(f"{path}: not JSON written by evaluate.py ({str(e)[:120]}); {fix}") from None
    accuracy = data.get("accuracy") if isinstance(data, dict) else None
    if (not isinstance(data, dict) or data.get("measured") is not True or isinstance(accuracy, bool)
            or not isinstance(accuracy, (int, float)) or not 0 <= accuracy <= 1):
        raise ValueError(f"{path}: no measured agreement (an accuracy between 0 and 1) in it; {fix}")
    return data
