"""A trained grader on disk: a training run folder (Utils/runs.py owns its layout) or an exported
grader folder (export_grader.py writes it, `grader.json` marks it), checked without loading a model
and loaded for scoring with its weights, saved system prompt, max_length and calibration.

    check_run_folder, check_adapter_fits   a run folder is whole and fits its base model (no weights loaded)
    check_model_arguments                  --model / --adapter_path of evaluate.py and grade.py, checked
    read_manifest, is_export               an exported grader folder's grader.json
    load_for_scoring, resolve_max_length   the model to score with and its max_length
"""

from __future__ import annotations

import contextlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from Utils import models, runs
from Utils.cli import Checks, ModelArguments
from Utils.files import read_json_object

MANIFEST = "grader.json"
EXPORTED_BY = "export_grader.py"  # grader.json's mark: a folder holding it is one this tool wrote


# --------------------------------------------------------------------------- an exported grader folder


def is_export(folder: Path) -> bool:
    """Whether `folder` is a grader folder this tool wrote (its grader.json has the mark, or, from
    before the mark, the keys only an export writes)."""
    try:
        manifest = read_manifest(folder)
    except ValueError:
        return False
    return isinstance(manifest, dict) and (manifest.get("exported_by") == EXPORTED_BY
                                           or {"base_model", "trained_run", "weights"} <= set(manifest))


def read_manifest(folder: Path) -> dict | None:
    """grader.json of an exported grader folder (None for any other folder). Raises ValueError
    naming the file when it is not a JSON object."""
    path = Path(folder) / MANIFEST
    return read_json_object(path) if path.is_file() else None


# --------------------------------------------------------------------------- checking before a model loads


def check_safetensors(path: Path) -> dict:
    """The tensor header ({name: {"dtype", "shape", "data_offsets"}}) of a .safetensors file, read
    without loading it. Raises ValueError naming the file when it is truncated or not safetensors."""
    try:
        size = path.stat().st_size
        with open(path, "rb") as f:
            head = f.read(8)
            n = int.from_bytes(head, "little") if len(head) == 8 else -1
            if n < 2 or 8 + n > size or n > 100 * 1024 * 1024:
                raise ValueError(f"{path}: not a safetensors file (bad header; truncated or another format)")
            header = json.loads(f.read(n).decode("utf-8"))
    except OSError as e:
        raise ValueError(f"{path}: cannot be read: {e.strerror or e}") from None
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise ValueError(f"{path}: not a safetensors file (unreadable header; truncated?)") from None
    if not isinstance(header, dict):
        raise ValueError(f"{path}: not a safetensors file (bad header)")
    tensors = {k: v for k, v in header.items() if k != "__metadata__"}
    try:
        end = max((int(v["data_offsets"][1]) for v in tensors.values()), default=0)
    except (TypeError, KeyError, IndexError, ValueError):
        raise ValueError(f"{path}: not a safetensors file (bad tensor entries)") from None
    if 8 + n + end > size:
        raise ValueError(f"{path}: truncated: {size} bytes, its header describes {8 + n + end} (copy it again)")
    return tensors


def check_run_folder(path: str | Path, flag: str = "--adapter_path") -> dict:
    """Check a run folder (or its final_checkpoint/) without loading a model: its weights files are
    whole, its arguments.yaml and calibration.json sound. Returns {"weights_dir", "run_dir", "model",
    "model_size"} (the model the run saved). Raises ValueError/FileNotFoundError naming the file."""
    weights_dir = runs.find_weights_dir(path, flag)
    run_dir = runs.run_dir_of(weights_dir)
    run_args, _ = runs.read_run_arguments(run_dir)
    if runs.is_adapter(weights_dir):
        read_json_object(weights_dir / runs.ADAPTER_CONFIG)
    else:
        read_json_object(weights_dir / runs.MODEL_CONFIG)
    weights = sorted(weights_dir.glob("*.safetensors"))
    if not weights and not any(weights_dir.glob("*.bin")):
        raise FileNotFoundError(f"{flag} {weights_dir}: no weights file (*.safetensors) beside its "
                                f"{runs.ADAPTER_CONFIG if runs.is_adapter(weights_dir) else runs.MODEL_CONFIG}")
    for file in weights:
        check_safetensors(file)
    runs.read_calibrations(run_dir)
    runs.system_prompt(run_dir)
    return {"weights_dir": weights_dir, "run_dir": run_dir, "model": run_args.get("model"),
            "model_size": run_args.get("model_size")}


def base_model_config(spec) -> dict | None:
    """The base model's config.json for a ModelSpec when it is on this machine (a folder, the
    converted cache of a packaged model, the local hub cache); None otherwise. Loads no weights."""
    candidates = []
    if spec.gguf_package:
        candidates.append(models.cache_dir() / spec.name / runs.MODEL_CONFIG)
    elif spec.hub_id:
        candidates.append(Path(spec.hub_id).expanduser() / runs.MODEL_CONFIG)
        if not Path(spec.hub_id).expanduser().exists():
            try:
                from huggingface_hub import try_to_load_from_cache

                cached = try_to_load_from_cache(spec.hub_id, runs.MODEL_CONFIG)
                if isinstance(cached, str):
                    candidates.append(Path(cached))
            except ValueError:
                pass
    for candidate in candidates:
        if candidate.is_file():
            try:
                return read_json_object(candidate)
            except ValueError:
                return None
    return None


# Module name -> (which side of the LoRA pair holds a model dimension, that dimension's config key).
_LORA_DIMENSIONS = {"q_proj": ("lora_A", "hidden_size"), "k_proj": ("lora_A", "hidden_size"),
                    "v_proj": ("lora_A", "hidden_size"), "gate_proj": ("lora_A", "hidden_size"),
                    "up_proj": ("lora_A", "hidden_size"), "o_proj": ("lora_B", "hidden_size"),
                    "down_proj": ("lora_B", "hidden_size")}


def check_adapter_fits(weights_dir: Path, spec) -> None:
    """Refuse a LoRA adapter trained on another base model than `spec`, from the shapes in the
    adapter's header and the base model's config.json (no weights loaded): each adapted projection
    must meet the base model's hidden size, and its layer must exist. Skipped when the base
    model's config is not on this machine."""
    weights_dir = Path(weights_dir)
    if not runs.is_adapter(weights_dir):
        return
    config = base_model_config(spec)
    adapter_file = weights_dir / "adapter_model.safetensors"
    if config is None or not adapter_file.is_file():
        return
    config = config.get("text_config", config) if isinstance(config.get("text_config"), dict) else config
    trained_on = read_json_object(weights_dir / runs.ADAPTER_CONFIG).get("base_model_name_or_path")
    layers = config.get("num_hidden_layers")
    problems = []
    for name, info in check_safetensors(adapter_file).items():
        match = re.search(r"layers\.(\d+)\..*?(\w+_proj)\.(lora_[AB])\.", name)
        if not match:
            continue
        layer, module, side = int(match.group(1)), match.group(2), match.group(3)
        if isinstance(layers, int) and layer >= layers:
            problems.append(f"it adapts layer {layer}, the base model has {layers} layers")
            break
        if module in _LORA_DIMENSIONS and _LORA_DIMENSIONS[module][0] == side:
            key = _LORA_DIMENSIONS[module][1]
            shape = info.get("shape") or []
            size = shape[1] if side == "lora_A" and len(shape) == 2 else shape[0] if shape else None
            if isinstance(config.get(key), int) and size != config[key]:
                problems.append(f"its {module} expects {key} {size}, the base model has {config[key]}")
                break
    if problems:
        raise ValueError(f"--adapter_path {weights_dir}: the adapter was trained on another base model "
                         f"({trained_on or 'unrecorded'}) than {spec.name}: {problems[0]}; give the run's own "
                         "--model (or none: the run's saved model is used)")


def check_model_arguments(args: ModelArguments, checks: Checks | None = None) -> Checks:
    """The shared model flags of evaluate.py and grade.py, checked without loading anything: --model
    is a registry name, a local folder or (online) a hub id, --adapter_path a readable run folder whose adapter fits the base model and
    whose arguments.yaml and calibration.json are sound, --device there and --quantization possible on it.
    Returns the Checks (raise_if_any to report).
    (--max_length and --max_group_tokens are counts: `Checks.positive`.)"""
    checks = checks or Checks()
    model, model_size = args.model, args.model_size
    if args.adapter_path:
        run = checks.run(check_run_folder, args.adapter_path)
        if run is not None and not model and not model_size:
            model, model_size = run.get("model"), run.get("model_size")
            model = model if isinstance(model, str) else None
            model_size = model_size if isinstance(model_size, str) and not model else None
        spec = checks.run(models.check_model_name, model, model_size)
        if run is not None and spec is not None:
            checks.run(check_adapter_fits, run["weights_dir"], spec)
    else:
        checks.run(models.check_model_name, model, model_size)
        if model and Path(model).is_dir():  # an exported grader folder carries a calibration.json
            checks.run(runs.read_calibrations, Path(model))
    device = checks.run(models.resolve_device, args.device)  # e.g. --device cuda on a machine without one
    if device is not None:  # e.g. --quantization int8 or bf16 on CUDA
        checks.run(models.resolve_quantization, args.quantization, device)
    return checks


# --------------------------------------------------------------------------- loading for scoring


@dataclass
class LoadedModel:
    """A model to score with: the base model, with a training run's LoRA adapter or full weights."""

    spec: models.ModelSpec
    tokenizer: object
    model: object  # a PeftModel when an adapter was loaded
    supports_system: bool
    weights_dir: Path | None = None  # the run's adapter or full-weights folder
    run_dir: Path | None = None
    run_args: dict = field(default_factory=dict)
    run_args_path: Path | None = None
    calibrations: list[dict] = field(default_factory=list)  # per scoring setting (Utils.calibration.for_setting)
    quantization: str = "auto"
    device: str = "auto"
    system_prompt: str | None = None  # the one the run or exported grader folder was trained with
    evaluation: dict | None = None  # the run's saved held-out agreement (runs.read_evaluation), if any

    @property
    def fine_tuned(self) -> bool:
        return self.weights_dir is not None

    @property
    def precision(self) -> str:
        """The precision it scores in: --quantization, `auto` resolved for the device (a calibration
        holds for the precision it was fitted in)."""
        return models.resolve_quantization(self.quantization, models.resolve_device(self.device))

    @contextlib.contextmanager
    def base_model(self):
        """The base model the run started from: the same weights with the adapter switched off, or,
        for a fully fine-tuned run, the base weights loaded beside it (freed afterwards)."""
        if self.weights_dir is None:
            yield self.model
        elif hasattr(self.model, "disable_adapter"):
            with self.model.disable_adapter():
                yield self.model
        else:
            base = models.load_model(self.spec, self.quantization, self.device).eval()
            try:
                yield base
            finally:
                del base


def load_for_scoring(model: str | None = None, model_size: str | None = None, adapter_path: str | None = None,
                     quantization: str = "auto", device: str = "auto", merge_adapter: bool = False) -> LoadedModel:
    """The model as in training, with the training run's weights when `adapter_path` is given.

    Without --model, a run folder's saved `model` argument is used, else the embedded default. With
    `merge_adapter`, a LoRA adapter on unquantized weights is merged into them (the same scores to
    float rounding, about 9% faster on 2 CPU cores: no extra adapter products per layer);
    `base_model()` then loads the base weights beside it, so evaluation, which scores the base too,
    keeps the adapter separate.
    """
    weights_dir = run_dir = args_path = None
    run_args: dict = {}
    if adapter_path:
        weights_dir = check_run_folder(adapter_path)["weights_dir"]  # whole files, sound YAML/JSON, first
        run_dir = runs.run_dir_of(weights_dir)
        run_args, args_path = runs.read_run_arguments(run_dir)
        if not model and not model_size:
            saved = run_args.get("model")
            model = saved if isinstance(saved, str) else None
            size = run_args.get("model_size")
            model_size = size if isinstance(size, str) and not model else None
    spec = models.check_model_name(model, model_size)
    if weights_dir is not None:
        check_adapter_fits(weights_dir, spec)
    manifest = read_manifest(Path(spec.hub_id)) if spec.hub_id and Path(spec.hub_id).is_dir() else None
    if manifest is not None and weights_dir is None:  # an exported grader folder (export_grader.py)
        folder = Path(spec.hub_id)
        spec = models.ModelSpec(name=f"{folder.name} (from {manifest.get('base_model')})", hub_id=str(folder),
                                supports_system_message=manifest.get("supports_system_message"))
        run_args, args_path = {"max_length": manifest.get("max_length")}, folder / MANIFEST
        calibrations = runs.read_calibrations(folder)
    else:
        calibrations = runs.read_calibrations(run_dir)
    evaluation = runs.read_evaluation(run_dir)  # checked, like the calibration, before any weights load
    tokenizer = models.load_tokenizer(spec)
    if weights_dir is not None and not runs.is_adapter(weights_dir):
        net = models.load_model(models.ModelSpec(name=spec.name, hub_id=str(weights_dir)), quantization, device)
    elif weights_dir is not None and quantization in models.CPU_PRECISIONS:  # merge the adapter, then convert
        from peft import PeftModel

        merged = PeftModel.from_pretrained(models.load_model(spec, "none", device), str(weights_dir)).merge_and_unload()
        net = models.cpu_products(merged, quantization)
    else:
        net = models.load_model(spec, quantization, device)
        if weights_dir is not None:
            from peft import PeftModel

            net = PeftModel.from_pretrained(net, str(weights_dir), is_trainable=False)
            if merge_adapter and models.resolve_quantization(quantization, models.resolve_device(device)) == "none":
                net = net.merge_and_unload()
    net.eval()
    # the prompt it was trained with: an exported grader's, else the training run's (runs.system_prompt)
    system_prompt = runs.system_prompt(spec.hub_id if manifest is not None else run_dir)
    return LoadedModel(spec, tokenizer, net, models.supports_system(spec, tokenizer), weights_dir, run_dir, run_args,
                       args_path, calibrations, quantization, device, system_prompt, evaluation)


def resolve_max_length(loaded: LoadedModel, requested: int | None, default: int = 1536) -> tuple[int, str]:
    """max_length and where it came from: --max_length, else the run folder's saved value, else the default."""
    if requested is not None:
        return requested, "--max_length"
    saved = runs.run_max_length(loaded.run_args)
    if saved is not None:
        return saved, str(loaded.run_args_path)
    return default, "default"
