"""Stop a training run whose loss or weights stop being finite numbers, before it saves them.

A learning rate of inf, a NaN beta that slipped past the flag checks, or an overflow in half
precision turn the loss into NaN; one optimizer step later every trained weight is NaN, and a
run that "finished" would save a grader that suggests the same rating for everything with
confidence NaN. `FiniteGuard` checks the logged loss and, after every optimizer step, the
trainable weights; on the first non-finite value it raises `NonFiniteTraining`, which ends
`trainer.train()` before the next checkpoint is written (Trainer saves after `on_step_end`
and after logging), so no checkpoint and no final_checkpoint/ holds such weights.
"""

from __future__ import annotations

import math

from transformers import TrainerCallback


class NonFiniteTraining(RuntimeError):
    """Training produced a non-finite loss or weight; the message says which and at which step."""


class FiniteGuard(TrainerCallback):
    """Raise NonFiniteTraining on a non-finite logged loss or trainable weight (checked every
    optimizer step: one reduction per weight tensor, cheap next to the step itself)."""

    LOSS_KEYS = ("loss", "train_loss", "eval_loss")

    def on_log(self, args, state, control, logs=None, **kwargs):
        for key in self.LOSS_KEYS:
            value = (logs or {}).get(key)
            if isinstance(value, (int, float)) and not math.isfinite(value):
                raise NonFiniteTraining(
                    f"the {key.replace('_', ' ')} became {value} at step {state.global_step}: training stopped and "
                    "nothing was saved as final (lower --learning_rate, check --beta, or train in float32)")

    def on_step_end(self, args, state, control, model=None, **kwargs):
        bad = first_non_finite(model)
        if bad is not None:
            raise NonFiniteTraining(
                f"the trained weight {bad} holds NaN or infinite values after step {state.global_step}: training "
                "stopped and nothing was saved as final (lower --learning_rate, check --beta, or train in float32)")


def first_non_finite(model) -> str | None:
    """The name of the first trainable parameter holding a NaN or infinity, else None."""
    if model is None:
        return None
    import torch

    with torch.no_grad():
        for name, param in model.named_parameters():
            if param.requires_grad and param.numel() and param.is_floating_point() \
                    and not bool(torch.isfinite(param).all()):
                return name
    return None
