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

import sys
import time

from Utils.cli import UsageError, fail, quiet_libraries

quiet_libraries()

from Utils.console import quiet_trainer  # noqa: E402
from Utils import distributed, runs, train_args, train_data, train_model  # noqa: E402
from Utils.finite_guard import FiniteGuard, NonFiniteTraining  # noqa: E402
from Utils.models import check_model_name, load_tokenizer, resolve_quantization, supports_system  # noqa: E402


def main(argv=None):
    from trl import DPOTrainer

    from Utils.grouped_dpo import GroupedDPOConfig, GroupedDPOTrainer

    say = distributed.main_console(distributed.launched())
    try:
        # 1. Arguments: defaults < configs/train/<device>.yaml < resumed run's arguments < --config < flags.
        script_args, training_args = train_args.parse_arguments(argv, config_class=GroupedDPOConfig)
        train_args.check_training_arguments(script_args, training_args)
        spec = check_model_name(script_args.model, script_args.model_size)
        device = distributed.process_device(script_args.device)
        quantization = resolve_quantization(script_args.quantization, device)
        train_args.check_combination(device, quantization, training_args, script_args.use_peft)
        if script_args.trainer == "stock" and "choice" in training_args.loss_type:
            raise ValueError("--loss_type choice (a classifier over each item's options) needs --trainer grouped: "
                             "TRL's DPOTrainer has no such term")
        distributed.check_engine(train_model.launch_type(training_args), device)
        if training_args.ddp_find_unused_parameters is None:
            # Every trainable weight (LoRA on the target modules, or the top layers) takes part in every
            # forward pass: DDP need not search the graph for unused ones.
            training_args.ddp_find_unused_parameters = False
        if script_args.eval_dataset_path is None and training_args.eval_strategy != "no":
            say("no evaluation set: evaluation is off")
            training_args.eval_strategy = "no"
        say(f"model {spec.name} on {device}, quantization {quantization}, trainer {script_args.trainer}")

        # 2. Data: read and check the pairs, choose whole students, fit each prompt to max_length once
        #    (only the student's code is shortened), so nothing is truncated or dropped.
        start = time.perf_counter()
        tokenizer = load_tokenizer(spec)
        system_role = supports_system(spec, tokenizer)
        group_by = getattr(training_args, "group_by", "student")
        train_dataset, train_stats = train_data.read_and_prepare(
            script_args.train_dataset_path, tokenizer, system_role, training_args.max_length,
            script_args.max_train_pairs, training_args.seed, script_args.trainer, group_by)
        say(train_data.format_stats("train", train_stats))
        eval_dataset, eval_stats = None, None
        if script_args.eval_dataset_path:
            eval_dataset, eval_stats = train_data.read_and_prepare(
                script_args.eval_dataset_path, tokenizer, system_role, training_args.max_length,
                script_args.max_eval_pairs, training_args.seed, script_args.trainer, group_by)
            say(train_data.format_stats("eval", eval_stats))
    except (ValueError, FileNotFoundError) as e:
        raise UsageError(str(e)) from e
    data_seconds = time.perf_counter() - start

    # The run folder, once the data is known to be usable (or the run folder to resume).
    output_root = training_args.output_dir
    run_dir, resume_checkpoint = runs.shared_run_dir(training_args, output_root)
    training_args.output_dir = str(run_dir)  # checkpoints and tensorboard logs go into the run folder
    say(f"run folder {run_dir}" + (f", resuming from {resume_checkpoint}" if resume_checkpoint else ""))

    # 3. Model: base weights in the chosen precision; LoRA on the registry's target modules, or the
    #    model's own top layers (--use_peft False).
    model = train_model.load_training_model(spec, quantization, device)
    if quantization in ("4bit", "8bit") and train_args.sharding_engine() is None:
        # (under FSDP, PEFT's preparation would cast the norms to float32 beside bf16 shards; the recipe's
        # --activation_checkpointing still applies)
        model = train_model.prepare_quantized(model, training_args)
    peft_config = None
    if script_args.use_peft:
        peft_config = train_model.lora_config(script_args, spec, model)
    else:
        counts = train_model.freeze_below(model, script_args.trainable_layers)
        say(f"full fine-tuning: {counts['trainable'] / 1e6:.1f}M of {counts['total'] / 1e6:.1f}M parameters train")

    # 4. Trainer: the one place where the trainer class is chosen.
    trainer_class = GroupedDPOTrainer if script_args.trainer == "grouped" else DPOTrainer
    trainer = trainer_class(model=model, args=training_args, train_dataset=train_dataset,
                            eval_dataset=eval_dataset, processing_class=tokenizer, peft_config=peft_config)
    train_data.check_all_pairs_kept(trainer, train_stats["pairs"], None if eval_stats is None else eval_stats["pairs"])
    trainer.add_callback(FiniteGuard())  # a NaN loss or weight ends the run before anything is saved
    quiet_trainer(trainer)  # one progress line per logging step instead of raw metric dicts
    say(train_model.describe_processes(trainer, script_args.trainer))
    if trainer.is_world_process_zero():
        stats = {"model": spec.name, "system_message_folded": not system_role, "train": train_stats,
                 "eval": eval_stats}
        arguments = train_args.arguments_record(script_args, training_args, output_root)
        arguments.update(model=script_args.model or spec.name, device=device, quantization=quantization)
        if script_args.use_peft:
            arguments["lora_target_modules"] = list(script_args.lora_target_modules or spec.lora_target_modules)
        runs.write_run_start(run_dir, arguments, stats, script_args.train_dataset_path,
                             resumed=resume_checkpoint is not None,
                             system_prompt=train_data.pairs_system_prompt(script_args.train_dataset_path))

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
        print(f"wrote {run_dir}/: {'the LoRA adapter, ' if script_args.use_peft else ''}tokenizer, arguments.yaml, "
              f"dataset_stats.json, TensorBoard logs (tensorboard --logdir {run_dir})\n"
              f"final checkpoint: {final}\nnext: bash evaluate.sh --adapter_path {run_dir}")
    return trainer


class TrainingFailed(RuntimeError):
    """Training ran but produced nothing usable (a non-finite loss or weights); exit code 1."""


if __name__ == "__main__":
    try:
        main()
    except UsageError as e:  # every process meets the same bad setting: the main process says it
        sys.exit(fail(str(e)) if distributed.launched().is_main else 2)
    except TrainingFailed as e:
        if distributed.launched().is_main:
            print(f"error: {e}", file=sys.stderr)
        sys.exit(1)
