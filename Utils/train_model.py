"""The model of step 2 (`dpo_train.py`): loading it for training, LoRA (`lora_config`), freezing
the lower layers (`freeze_below`), k-bit preparation, and how the processes are launched."""

from __future__ import annotations

from Utils.models import ModelSpec
from Utils.train_args import RecipeArguments, sharding_engine


def load_training_model(spec: ModelSpec, quantization: str, device: str):
    """The base model to train (`Utils.models.load_model`, told whether FSDP shards it)."""
    from Utils.models import load_model

    return load_model(spec, quantization, device, fsdp=quantization == "4bit" and sharding_engine() == "FSDP")


def launch_type(training_args):
    """The processes' distributed type (NO, MULTI_CPU, MULTI_GPU ...). Reading `device` first makes
    transformers join the launch's processes (accelerate's state) if it has not yet."""
    if training_args.device is None:
        raise RuntimeError("transformers set up no device for training")
    return training_args.distributed_state.distributed_type


def describe_processes(trainer, trainer_name: str) -> str:
    """One line: how many processes train, with which engine, and the global batch of a step."""
    args = trainer.args
    per_step = args.per_device_train_batch_size * args.gradient_accumulation_steps * args.world_size
    unit = ("group" if trainer_name == "grouped" else "pair") + ("" if per_step == 1 else "s")
    engine = str(getattr(trainer.accelerator.distributed_type, "value", trainer.accelerator.distributed_type))
    if args.world_size == 1:
        return f"1 process; {per_step} {unit} per optimizer step"
    return (f"{args.world_size} processes ({engine}, data parallel); {per_step} {unit} per optimizer step "
            f"({args.per_device_train_batch_size} per process x {args.gradient_accumulation_steps} accumulated "
            f"x {args.world_size} processes)")


def missing_target_modules(model, targets: list[str]) -> list[str]:
    names = {name.rsplit(".", 1)[-1] for name, _ in model.named_modules()}
    return [t for t in targets if t not in names]


def top_layer_indices(model, top: int, name: str = "the model") -> list[int]:
    """The indices of the model's top `top` decoder layers (--trainable_layers); ValueError when it has fewer."""
    n_layers = len(model.get_decoder().layers)
    if top > n_layers:
        raise ValueError(f"--trainable_layers {top}: {name} has only {n_layers} layers")
    return list(range(n_layers - top, n_layers))


def lora_config(script_args: RecipeArguments, spec: ModelSpec, model):
    """LoRA on the registry's target modules (or --lora_target_modules), checked against the model."""
    from peft import LoraConfig

    targets = list(script_args.lora_target_modules or spec.lora_target_modules)
    missing = missing_target_modules(model, targets)
    if missing:
        raise ValueError(f"model {spec.name!r} ({type(model).__name__}) has no modules named {missing}; "
                         f"set --lora_target_modules to names it has")
    top = script_args.trainable_layers  # LoRA on the top N decoder layers only, when set
    layers = top_layer_indices(model, top, f"model {spec.name!r}") if top is not None else None
    return LoraConfig(r=script_args.lora_r, lora_alpha=script_args.lora_alpha, lora_dropout=script_args.lora_dropout,
                      target_modules=targets, bias="none", task_type="CAUSAL_LM", layers_to_transform=layers)


def freeze_below(model, trainable_layers: int | None) -> dict:
    """Full fine-tuning of the top `trainable_layers` decoder layers and the final norm only (all
    layers when None). Returns {"trainable": parameters, "total": parameters}. The embeddings (tied
    to the LM head in small models) stay frozen either way: with hundreds of examples they would
    only memorise, and they are most of a small model's parameters."""
    layers = model.get_decoder().layers
    keep = top_layer_indices(model, trainable_layers if trainable_layers is not None else len(layers))
    for param in model.parameters():
        param.requires_grad_(False)
    for i in keep:
        for param in layers[i].parameters():
            param.requires_grad_(True)
    norm = getattr(model.get_decoder(), "norm", None)
    if norm is not None:
        for param in norm.parameters():
            param.requires_grad_(True)
    return {"trainable": sum(p.numel() for p in model.parameters() if p.requires_grad),
            "total": sum(p.numel() for p in model.parameters())}


def prepare_quantized(model, training_args):
    """PEFT's preparation of a 4/8-bit model for training (norms in fp32, input grads)."""
    from peft import prepare_model_for_kbit_training

    return prepare_model_for_kbit_training(
        model, use_gradient_checkpointing=bool(training_args.activation_checkpointing),
        gradient_checkpointing_kwargs=training_args.activation_checkpointing_kwargs)
