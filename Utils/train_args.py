"""The arguments of training (step 2, `dpo_train.py`): the recipe's own `RecipeArguments` (named
apart from TRL's `ScriptArguments`) plus every field of TRL's `DPOConfig`, each a command-line
flag, checked before anything loads.
Values resolve in this order, later winning:

    DPOConfig / RecipeArguments defaults
    < configs/train/<cuda|cpu>.yaml   (per-device defaults: the published recipe on CUDA,
                                       a few minutes' run of the embedded model on CPU)
    < the resumed run's arguments.yaml (with --resume_from_checkpoint)
    < the YAML file given with --config (same keys as the flags)
    < flags on the command line

The layering uses TRL's `TrlParser` (an HfArgumentParser) and its `set_defaults_with_config`,
once per layer. Its `parse_args_and_config` is not used, as it reads only the `--config` layer and
differs from what this recipe needs: the --config file has to be read before parsing, since its
`device` and `resume_from_checkpoint` choose the two layers below it; it reads the file with a
bare `open`/`yaml.safe_load` (a YAML error is a traceback without the flag or line, a UTF-8 BOM or
`--config=path` is not understood); it does not rename the older key `gradient_checkpointing`;
and its `env:` key would set environment variables, which no flag of this script does.

Each run writes into its own folder `<output_dir>/model_<YYYYmmdd_HHMMSS>/` (Utils/runs.py);
`arguments_record` is what it saves as arguments.yaml.
"""

from __future__ import annotations

import argparse
import math
import os
import sys
from dataclasses import dataclass, field, fields
from enum import Enum
from pathlib import Path

from Utils import distributed
from Utils.cli import REPO_ROOT, preset_names
from Utils.models import MODEL_SIZES, QUANTIZATIONS
from Utils.runs import resume_target


TRAIN_CONFIGS_DIR = REPO_ROOT / "configs" / "train"
TRAINERS = ("stock", "grouped")

# Older name -> current name. transformers 5 keeps `gradient_checkpointing` as a deprecated
# alias that is ignored once `activation_checkpointing` is set (as the per-device defaults do).
ALIASES = {"gradient_checkpointing": "activation_checkpointing",
           "gradient_checkpointing_kwargs": "activation_checkpointing_kwargs"}
SECRET_FIELDS = ("hub_token",)


@dataclass
class RecipeArguments:
    """The recipe's own flags (every DPOConfig field is a flag as well)."""

    model: str | None = field(default=None, metadata={
        "help": f"registry name ({', '.join(preset_names())}), local folder or "
                "hub id; default smollm2-135m, the embedded model"})
    model_size: str | None = field(default=None, metadata={
        "help": "older flag: 7b = codellama-7b, 22b = codestral-22b (used when --model is not given)"})
    device: str = field(default="auto", metadata={"help": "auto (cuda when available), cpu, cuda, cuda:N"})
    quantization: str = field(default="auto", metadata={
        "help": "auto (4bit on CUDA, none on CPU), 4bit (NF4, double quantization), 8bit, none"})
    use_peft: bool = field(default=True, metadata={
        "help": "train a LoRA adapter (True); False: fine-tune the model's own weights (small models; see "
                "--trainable_layers). A fully fine-tuned run folder holds the whole model"})
    trainable_layers: int | None = field(default=None, metadata={
        "help": "train only the top N transformer layers: their LoRA adapters, or with --use_peft False their "
                "weights and the final norm (the rest, embeddings included, stay frozen, and backward stops below "
                "them; --cache_frozen_layers then runs the frozen ones once per student); 0: all "
                "(configs/train/cpu.yaml trains the top 4)"})
    lora_r: int = field(default=16, metadata={"help": "LoRA rank"})
    lora_alpha: int = field(default=16, metadata={"help": "LoRA scaling alpha"})
    lora_dropout: float = field(default=0.1, metadata={
        "help": "dropout on the LoRA input (note: TRL's --disable_dropout, on by default, sets it to 0)"})
    lora_target_modules: list[str] | None = field(default=None, metadata={
        "help": "module names that get LoRA adapters (default: the model registry's, all attention and MLP "
                "projections)"})
    train_dataset_path: str = field(default="data/train.jsonl", metadata={"help": "train pairs (JSONL)"})
    eval_dataset_path: str | None = field(default="data/test.jsonl", metadata={
        "help": "evaluation pairs (JSONL); empty or 'none': no evaluation"})
    max_train_pairs: int | None = field(default=None, metadata={
        "help": "use at most this many train pairs, whole students in a seeded random order (0: all)"})
    max_eval_pairs: int | None = field(default=None, metadata={
        "help": "use at most this many evaluation pairs, chosen the same way (0: all)"})
    min_train_steps: int = field(default=0, metadata={
        "help": "train at least this many optimizer steps: a training set too small for them in "
                "--num_train_epochs epochs gets more epochs (as many as they need, whole epochs); 0: off. "
                "configs/train/cpu.yaml asks 660, which gives the bundled labs 10 epochs and a course 5"})
    trainer: str = field(default="grouped", metadata={
        "help": "grouped: Utils.grouped_dpo.GroupedDPOTrainer (one packed pass per student or item, shown "
                "equal to the stock loss); stock: TRL's DPOTrainer as is"})




def check_recipe_arguments(args: RecipeArguments) -> RecipeArguments:
    """The recipe's own values, all problems at once (UsageError). Values from YAML files bypass
    argparse's `choices`, so `parse_arguments` checks here whatever their source; 0 pairs and an
    empty or 'none' evaluation path become None (all pairs, no evaluation)."""
    from Utils.cli import Checks

    checks = Checks()
    if args.model_size is not None and args.model_size not in MODEL_SIZES:
        checks.add(f"--model_size must be one of {sorted(MODEL_SIZES)}, got {args.model_size!r}")
    if args.quantization not in QUANTIZATIONS:
        checks.add(f"--quantization must be one of {list(QUANTIZATIONS)}, got {args.quantization!r}")
    if args.trainer not in TRAINERS:
        checks.add(f"--trainer must be one of {list(TRAINERS)}, got {args.trainer!r}")
    for name in ("max_train_pairs", "max_eval_pairs"):
        if checks.number(f"--{name}", getattr(args, name), minimum=0, integer=True) and getattr(args, name) == 0:
            setattr(args, name, None)
    checks.number("--min_train_steps", args.min_train_steps, minimum=0, integer=True)
    if args.trainable_layers == 0:  # every layer, as --max_train_pairs 0 is every pair
        args.trainable_layers = None
    if args.trainable_layers is not None and args.trainable_layers < 0:
        checks.add(f"--trainable_layers takes a number of layers (0: all), got {args.trainable_layers}")
    if isinstance(args.eval_dataset_path, str) and args.eval_dataset_path.strip().lower() in ("", "none"):
        args.eval_dataset_path = None
    checks.raise_if_any()
    return args


def epochs_for_min_steps(epochs: float, steps_per_epoch: int, min_steps: int) -> float:
    """--num_train_epochs, raised to the whole number of epochs that `min_steps` optimizer steps need when
    `epochs` give fewer (a small training set gets more passes over it, a large one its epochs as set)."""
    if min_steps <= 0 or steps_per_epoch <= 0 or epochs * steps_per_epoch >= min_steps:
        return epochs
    return float(math.ceil(min_steps / steps_per_epoch))


def device_config_path(device: str) -> Path:
    return TRAIN_CONFIGS_DIR / ("cuda.yaml" if device.startswith("cuda") else "cpu.yaml")


def read_yaml_mapping(path: str | Path, flag: str = "--config") -> dict:
    """A YAML file of flag names to values; ValueError naming `flag` and the file (and the line of
    a YAML error) when it is missing, not YAML, or not a mapping."""
    from Utils.cli import read_yaml_file

    path = Path(path)
    data = read_yaml_file(path, flag) or {}
    if not isinstance(data, dict):
        raise ValueError(f"{flag} {path}: expected a mapping of flag names to values, got {type(data).__name__}")
    both = [f"{old}/{new}" for old, new in ALIASES.items() if old in data and new in data]
    if both:
        raise ValueError(f"{path}: give only one of {both} (the first is the older name of the second)")
    return {ALIASES.get(key, key): value for key, value in data.items()}


def rename_alias_flags(argv: list[str]) -> list[str]:
    out = []
    for token in argv:
        name, eq, value = token.partition("=")
        if name.startswith("--no_") and name[5:] in ALIASES:  # HfArgumentParser's negation of a True default
            out += [f"--{ALIASES[name[5:]]}", "False"]
            continue
        if name.startswith("--") and name[2:] in ALIASES:
            token = f"--{ALIASES[name[2:]]}{eq}{value}"
        out.append(token)
    return out


def parse_arguments(argv: list[str] | None = None, config_class=None):
    """(RecipeArguments, DPOConfig) from defaults, configs/train/<device>.yaml, --config and flags.

    `config_class` is DPOConfig or a subclass with more fields (each becomes a flag too); by default the
    grouped trainer's (dpo_train.py's), whose fields configs/train/cpu.yaml sets.
    """
    from trl import TrlParser

    from Utils.models import resolve_device

    if config_class is None:
        from Utils.grouped_dpo import GroupedDPOConfig as config_class
    argv = rename_alias_flags(list(argv) if argv is not None else sys.argv[1:])
    # First look only for the flags that choose which files give the defaults.
    pre = argparse.ArgumentParser(add_help=False)
    for name in ("--config", "--device", "--resume_from_checkpoint", "--output_dir"):
        pre.add_argument(name, default=None)
    known, _ = pre.parse_known_args(argv)
    user_config = read_yaml_mapping(known.config) if known.config else {}
    # A resumed run continues with the arguments it saved (--config and flags still win).
    resume = known.resume_from_checkpoint or user_config.get("resume_from_checkpoint")
    run_arguments, run_arguments_path = {}, None
    if resume:
        output_dir = (known.output_dir or user_config.get("output_dir")
                      or read_yaml_mapping(device_config_path(resolve_device("auto"))).get("output_dir", "."))
        run_arguments_path = resume_target(resume, output_dir)[0] / "arguments.yaml"
        if run_arguments_path.is_file():
            run_arguments = read_yaml_mapping(run_arguments_path, "--resume_from_checkpoint: the run's")
            run_arguments.pop("resume_from_checkpoint", None)
            if distributed.launched().is_main:
                print(f"resuming with the settings in {run_arguments_path} (--config and flags win)")
    device = resolve_device(known.device or user_config.get("device") or run_arguments.get("device") or "auto")
    defaults_path = device_config_path(device)
    defaults = read_yaml_mapping(defaults_path, "the device defaults")

    parser = TrlParser((RecipeArguments, config_class))
    parser.add_argument("--config", default=None, help="YAML file with the same keys as the flags; flags win")
    # Each layer only sets defaults (TRL's own set_defaults_with_config), later layers over earlier
    # ones, so flags still win; it returns the keys no flag takes, as "--key value" strings.
    for source, values in ((defaults_path, defaults), (run_arguments_path, run_arguments), (known.config, user_config)):
        unknown = sorted(key[2:] for key in parser.set_defaults_with_config(**values)[0::2])
        if unknown:
            raise ValueError(f"{source}: unknown keys {unknown}: each key must be a flag name of dpo_train.py")
    # HfArgumentParser returns the --config namespace after the dataclasses, and unknown strings last.
    try:
        script_args, training_args, *_, rest = parser.parse_args_into_dataclasses(
            args=argv, return_remaining_strings=True)
    except TypeError as e:  # a YAML value of the wrong type (a list where a number belongs)
        raise ValueError(f"a setting has the wrong type: {str(e)[:200]} (check --config)") from None
    if rest:
        raise ValueError(f"unknown arguments: {rest} (see python dpo_train.py --help)")
    check_recipe_arguments(script_args)
    script_args.device = device
    return script_args, training_args


def check_training_arguments(script_args: RecipeArguments, training_args) -> None:
    """Refuse, all at once and before anything loads, values that cannot train: non-finite or
    impossible numbers (--learning_rate inf or -1, --beta nan, a batch size or --lora_r of 0,
    --max_length 0), and an --output_dir that cannot hold run folders. Raises UsageError."""
    from Utils.cli import Checks, check_output_dir

    checks = Checks()
    a = training_args
    checks.positive("--learning_rate", a.learning_rate, integer=False)
    checks.positive("--beta", getattr(a, "beta", None), integer=False)
    for name in ("per_device_train_batch_size", "per_device_eval_batch_size", "gradient_accumulation_steps",
                 "max_length", "max_prompt_length", "max_completion_length"):
        checks.positive(f"--{name}", getattr(a, name, None))
    checks.number("--num_train_epochs", a.num_train_epochs, above=0)
    checks.number("--max_steps", a.max_steps, integer=True, minimum=-1)
    checks.number("--warmup_ratio", getattr(a, "warmup_ratio", None), minimum=0, maximum=1)
    checks.number("--warmup_steps", a.warmup_steps, minimum=0)
    checks.number("--weight_decay", a.weight_decay, minimum=0)
    checks.number("--max_grad_norm", a.max_grad_norm, minimum=0)
    checks.positive("--adam_epsilon", a.adam_epsilon, integer=False)
    checks.number("--adam_beta1", a.adam_beta1, minimum=0, below=1)
    checks.number("--adam_beta2", a.adam_beta2, minimum=0, below=1)
    checks.number("--label_smoothing", getattr(a, "label_smoothing", None), minimum=0, maximum=0.5)
    checks.finite("--rpo_alpha", getattr(a, "rpo_alpha", None))
    checks.number("--seed", a.seed, integer=True)
    for name in ("logging_steps", "save_steps", "eval_steps"):
        checks.number(f"--{name}", getattr(a, name, None), above=0)
    checks.positive("--lora_r", script_args.lora_r)
    checks.positive("--lora_alpha", script_args.lora_alpha, integer=False)
    checks.number("--lora_dropout", script_args.lora_dropout, minimum=0, below=1)
    checks.run(check_output_dir, a.output_dir, "--output_dir")
    for flag, path in (("--train_dataset_path", script_args.train_dataset_path),
                       ("--eval_dataset_path", script_args.eval_dataset_path)):
        if path is not None and not Path(path).is_file():
            checks.add(f"{flag} {path}: {'is a folder, not a file' if Path(path).is_dir() else 'file not found'}")
    checks.raise_if_any("these settings cannot train")


def sharding_engine(environ=None) -> str | None:
    """'FSDP' or 'DeepSpeed' when the accelerate launch asks for one (its environment), else None."""
    environ = os.environ if environ is None else environ
    return next((engine for variable, engine in distributed.ENGINE_ENV.items()
                 if environ.get(variable, "false").lower() == "true"), None)


def check_combination(device: str, quantization: str, training_args, use_peft: bool = True) -> None:
    """Refuse settings that cannot work together, all problems at once."""
    import importlib.util

    import torch

    problems = []
    on_cuda = device.startswith("cuda")
    if quantization in ("4bit", "8bit") and not use_peft:
        problems.append(f"--quantization {quantization} needs --use_peft True: quantized weights cannot be trained")
    if quantization in ("4bit", "8bit") and importlib.util.find_spec("bitsandbytes") is None:
        problems.append(f"--quantization {quantization} needs the bitsandbytes package (pip install bitsandbytes)")
    if training_args.fp16 and not on_cuda:
        # accelerate silently trains in float32 then; say so rather than pretend.
        problems.append(f"--fp16 works only on CUDA (on {device} it would silently train in float32): "
                        "drop it, or use --bf16 True")
    if not on_cuda and not training_args.use_cpu and torch.cuda.is_available():
        # Without use_cpu, Trainer moves the model to the visible GPU.
        problems.append(f"--device {device} needs --use_cpu True")
    if on_cuda and training_args.use_cpu:
        problems.append(f"--use_cpu True contradicts --device {device}")
    engine = sharding_engine()
    if quantization == "8bit" and engine:
        problems.append(f"--quantization 8bit cannot be sharded by {engine}: use configs/accelerate/ddp.yaml, or "
                        "--quantization 4bit with fsdp_qlora.yaml")
    if quantization == "4bit" and engine == "DeepSpeed":
        problems.append("--quantization 4bit with DeepSpeed is not supported by this recipe: use "
                        "configs/accelerate/ddp.yaml (each GPU holds the 4-bit model) or fsdp_qlora.yaml")
    if problems:
        raise ValueError("these settings cannot work together:\n  " + "\n  ".join(problems))


def arguments_record(script_args: RecipeArguments, training_args, output_dir: str) -> dict:
    """All resolved arguments as flat YAML-able data: usable again with --config."""
    record = {f.name: getattr(script_args, f.name) for f in fields(script_args)}
    for f in fields(training_args):
        if not f.init or f.name in SECRET_FIELDS or f.name in ALIASES:  # aliases mirror their new names
            continue
        record[f.name] = plain(getattr(training_args, f.name))
    record["output_dir"] = output_dir
    return record


def plain(value):
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if hasattr(value, "to_dict"):
        return plain(value.to_dict())
    return value
