"""Fine-tune a code model with DPO and LoRA on the builder's pairs (step 2 of the toolkit).

    python dpo_train.py                                   # embedded model, per-device defaults
    python dpo_train.py --model qwen2.5-coder-7b --config my.yaml --learning_rate 5e-6

Every flag: python dpo_train.py --help (the recipe's own, then every DPOConfig field).
Values resolve as: defaults < configs/train/<cuda|cpu>.yaml < a resumed run's arguments.yaml
< --config YAML < flags.
The run writes <output_dir>/model_<YYYYmmdd_HHMMSS>/ (see Utils/runs.py for its layout) and
final_checkpoint/ last.

Under `accelerate launch` (ACCELERATE=1 bash dpo_train.sh) N processes train data-parallel: the
main process alone creates the run folder and writes to it and to the console; the others train.
"""

import math
import sys
import time
from dataclasses import dataclass
from typing import Any

from Utils.cli import UsageError, fail, quiet_libraries

quiet_libraries()

from Utils.console import quiet_trainer  # noqa: E402
from Utils import distributed, runs, train_args, train_data, train_model  # noqa: E402
from Utils.finite_guard import FiniteGuard, NonFiniteTraining  # noqa: E402
from Utils.models import (ModelSpec, check_model_name, load_tokenizer, resolve_quantization,  # noqa: E402
                          supports_system)
from Utils.train_args import RecipeArguments  # noqa: E402


@dataclass
class Recipe:
    """The checked settings of a run: the recipe's own flags, the trainer's config, the model, device and
    quantization."""
    script_args: RecipeArguments
    training_args: Any  # GroupedDPOConfig (imported with TRL, inside the functions)
    spec: ModelSpec
    device: str
    quantization: str


@dataclass
class Data:
    """The prepared training (and evaluation) pairs, their statistics and the tokenizer that fitted them."""
    tokenizer: Any
    system_role: bool
    train_dataset: Any
    train_stats: dict
    eval_dataset: Any = None
    eval_stats: dict | None = None


def train(argv=None):
    """The whole run; returns the trainer (UsageError for bad settings, TrainingFailed for a non-finite run)."""
    say = distributed.main_console(distributed.launched())
    try:
        recipe = read_recipe(argv, say)
        start = time.perf_counter()
        data = prepare_data(recipe, say)
    except (ValueError, FileNotFoundError) as e:
        raise UsageError(str(e)) from e
    data_seconds = time.perf_counter() - start

    # The run folder, once the data is known to be usable (or the run folder to resume).
    training_args = recipe.training_args
    output_root = training_args.output_dir
    run_dir, resume_checkpoint = runs.shared_run_dir(training_args, output_root)
    training_args.output_dir = str(run_dir)  # checkpoints and tensorboard logs go into the run folder
    say(f"run folder {run_dir}" + (f", resuming from {resume_checkpoint}" if resume_checkpoint else ""))

    model, peft_config = load_model(recipe, say)
    trainer = build_trainer(recipe, data, model, peft_config, say)
    if trainer.is_world_process_zero():
        write_run_start(recipe, data, run_dir, output_root, resumed=resume_checkpoint is not None)

    # 5. Train, then save: weights + tokenizer, and final_checkpoint/ with time.txt last.
    start = time.perf_counter()
    try:
        trainer.train(resume_from_checkpoint=resume_checkpoint)
    except NonFiniteTraining as e:
        raise TrainingFailed(f"{e}; the unfinished run is {run_dir}") from None
    train_seconds = time.perf_counter() - start
    final = runs.save_final(trainer, run_dir, data_seconds, train_seconds)
    if trainer.is_world_process_zero():
        print(f"data loading {data_seconds:.1f} s, training {train_seconds:.1f} s")
        print(f"wrote {run_dir}/: {'the LoRA adapter, ' if recipe.script_args.use_peft else ''}tokenizer, "
              f"arguments.yaml, dataset_stats.json, TensorBoard logs (tensorboard --logdir {run_dir})\n"
              f"final checkpoint: {final}\nnext: bash evaluate.sh --adapter_path {run_dir}")
    return trainer


def read_recipe(argv, say) -> Recipe:
    """1. The checked arguments (defaults < configs/train/<device>.yaml < resumed run's arguments < --config
    < flags), the model's registry entry, device and quantization; ValueError for what cannot work."""
    from Utils.grouped_dpo import GroupedDPOConfig

    script_args, training_args = train_args.parse_arguments(argv, config_class=GroupedDPOConfig)
    train_args.check_training_arguments(script_args, training_args)
    spec = check_model_name(script_args.model, script_args.model_size)
    device = distributed.process_device(script_args.device)
    quantization = resolve_quantization(script_args.quantization, device)
    train_args.check_combination(device, quantization, training_args, script_args.use_peft)
    if script_args.trainer == "stock" and "choice" in training_args.loss_type:
        raise ValueError("--loss_type choice (a classifier over each item's options) needs --trainer grouped: "
                         "TRL's DPOTrainer has no such term")
    if training_args.cache_frozen_layers and (script_args.trainer == "stock" or script_args.trainable_layers is None
                                              or train_args.sharding_engine() is not None):
        raise ValueError("--cache_frozen_layers needs --trainer grouped and --trainable_layers N (only the top N "
                         "layers train, so the ones below give the same output every epoch), without FSDP or "
                         "DeepSpeed sharding")
    distributed.check_engine(train_model.launch_type(training_args), device)
    if training_args.ddp_find_unused_parameters is None:
        # Every trainable weight (LoRA on the target modules, or the top layers) takes part in every
        # forward pass: DDP need not search the graph for unused ones.
        training_args.ddp_find_unused_parameters = False
    if script_args.eval_dataset_path is None and training_args.eval_strategy != "no":
        say("no evaluation set: evaluation is off")
        training_args.eval_strategy = "no"
    say(f"model {spec.name} on {device}, quantization {quantization}, trainer {script_args.trainer}")
    return Recipe(script_args, training_args, spec, device, quantization)


def prepare_data(recipe: Recipe, say) -> Data:
    """2. The pairs read and checked, whole students chosen, each prompt fitted to max_length once (only
    the student's code is shortened), so nothing is truncated or dropped."""
    script_args, training_args = recipe.script_args, recipe.training_args
    tokenizer = load_tokenizer(recipe.spec)
    system_role = supports_system(recipe.spec, tokenizer)
    group_by = getattr(training_args, "group_by", "student")

    def prepare(path, max_pairs):
        return train_data.read_and_prepare(path, tokenizer, system_role, training_args.max_length, max_pairs,
                                           training_args.seed, script_args.trainer, group_by)

    data = Data(tokenizer, system_role, *prepare(script_args.train_dataset_path, script_args.max_train_pairs))
    say(train_data.format_stats("train", data.train_stats))
    if script_args.eval_dataset_path:
        data.eval_dataset, data.eval_stats = prepare(script_args.eval_dataset_path, script_args.max_eval_pairs)
        say(train_data.format_stats("eval", data.eval_stats))
    return data


def load_model(recipe: Recipe, say) -> tuple[Any, Any]:
    """3. (the model, the LoRA config or None): base weights in the chosen precision; LoRA on the registry's
    target modules, or the model's own top layers unfrozen (--use_peft False)."""
    script_args = recipe.script_args
    model = train_model.load_training_model(recipe.spec, recipe.quantization, recipe.device)
    if recipe.quantization in ("4bit", "8bit") and train_args.sharding_engine() is None:
        # (under FSDP, PEFT's preparation would cast the norms to float32 beside bf16 shards; the recipe's
        # --activation_checkpointing still applies)
        model = train_model.prepare_quantized(model, recipe.training_args)
    if script_args.use_peft:
        return model, train_model.lora_config(script_args, recipe.spec, model)
    counts = train_model.freeze_below(model, script_args.trainable_layers)
    say(f"full fine-tuning: {counts['trainable'] / 1e6:.1f}M of {counts['total'] / 1e6:.1f}M parameters train")
    return model, None


def build_trainer(recipe: Recipe, data: Data, model, peft_config, say):
    """4. The trainer (the one place where its class is chosen), every pair checked as kept, with the
    finite-loss guard and one progress line per logging step."""
    from trl import DPOTrainer

    from Utils.grouped_dpo import GroupedDPOTrainer

    trainer_class = GroupedDPOTrainer if recipe.script_args.trainer == "grouped" else DPOTrainer
    trainer = trainer_class(model=model, args=recipe.training_args, train_dataset=data.train_dataset,
                            eval_dataset=data.eval_dataset, processing_class=data.tokenizer, peft_config=peft_config)
    train_data.check_all_pairs_kept(trainer, data.train_stats["pairs"],
                                    None if data.eval_stats is None else data.eval_stats["pairs"])
    set_epochs(trainer, recipe.script_args.min_train_steps, say)
    trainer.add_callback(FiniteGuard())  # a NaN loss or weight ends the run before anything is saved
    quiet_trainer(trainer)  # one progress line per logging step instead of raw metric dicts
    say(train_model.describe_processes(trainer, recipe.script_args.trainer))
    return trainer


def set_epochs(trainer, min_train_steps: int, say) -> None:
    """--min_train_steps: more epochs when --num_train_epochs give fewer optimizer steps (the run folder's
    arguments.yaml records the epochs the run trains). Steps per epoch as the Trainer counts them: this
    process's batches, whole optimizer steps (a last partial one counts)."""
    args = trainer.args
    if min_train_steps <= 0 or args.max_steps > 0:
        return
    batches = len(trainer.get_train_dataloader())
    steps_per_epoch = max(math.ceil(batches / args.gradient_accumulation_steps), 1)
    epochs = train_args.epochs_for_min_steps(args.num_train_epochs, steps_per_epoch, min_train_steps)
    if epochs != args.num_train_epochs:
        say(f"{steps_per_epoch} optimizer steps an epoch: {epochs:g} epochs instead of {args.num_train_epochs:g}, "
            f"for at least {min_train_steps} steps (--min_train_steps)")
        args.num_train_epochs = epochs


def write_run_start(recipe: Recipe, data: Data, run_dir, output_root, resumed: bool) -> None:
    """Writes the run folder's arguments, dataset statistics and system prompt before training starts."""
    script_args, spec = recipe.script_args, recipe.spec
    stats = {"model": spec.name, "system_message_folded": not data.system_role, "train": data.train_stats,
             "eval": data.eval_stats}
    arguments = train_args.arguments_record(script_args, recipe.training_args, output_root)
    arguments.update(model=script_args.model or spec.name, device=recipe.device, quantization=recipe.quantization)
    if script_args.use_peft:
        arguments["lora_target_modules"] = list(script_args.lora_target_modules or spec.lora_target_modules)
    runs.write_run_start(run_dir, arguments, stats, script_args.train_dataset_path, resumed=resumed,
                         system_prompt=train_data.pairs_system_prompt(script_args.train_dataset_path))


class TrainingFailed(RuntimeError):
    """Training ran but produced nothing usable (a non-finite loss or weights); exit code 1."""


def main(argv=None) -> int:
    """The command line: 0 when the run finished; 2 (one `error:` line) for bad settings; 1 when training
    stopped on a non-finite loss or weight (nothing saved as final)."""
    try:
        train(argv)
    except UsageError as e:  # every process meets the same bad setting: the main process says it
        return fail(str(e)) if distributed.launched().is_main else 2
    except TrainingFailed as e:
        if distributed.launched().is_main:
            print(f"error: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
