"""What a long run prints: one progress line per phase with an ETA and the numbers that matter.

Training replaces transformers' raw metric dicts with `TrainingProgress` (step, loss, the TA's
answer ranked first, learning rate, time left); scoring uses `Progress` (items done, items/s,
time left). Lines go to stderr, at most every few seconds, so logs stay short; the closing
summaries (what was written where) go to stdout.

Why not tqdm (installed, and what transformers' own bars use): a run's output is mostly read later,
from a CI log, a SLURM file or `tee`, where a bar redrawn with carriage returns becomes hundreds of
fragments or one line that is only ever the latest; these are whole lines, one every few seconds, that read
the same in a terminal and in a file, and the training line carries the grader's own numbers (loss, the
classifier's or the pairs' accuracy, learning rate) that a bar's postfix would crowd.
"""

from __future__ import annotations

import sys
import time

from transformers import TrainerCallback


def duration(seconds: float) -> str:
    seconds = max(0, int(seconds))
    if seconds < 60:
        return f"{seconds} s"
    if seconds < 3600:
        return f"{seconds // 60} min {seconds % 60:02d} s"
    return f"{seconds // 3600} h {seconds % 3600 // 60:02d} min"


class Progress:
    """Call with (done, total): prints `label: done/total (pct), rate, ETA` at most every `every` seconds
    and once at the end."""

    def __init__(self, label: str, unit: str = "items", every: float = 10.0, stream=None):
        self.label, self.unit, self.every = label, unit, every
        self.stream = stream or sys.stderr
        self.start = time.perf_counter()
        self.last = -every

    def __call__(self, done: int, total: int) -> None:
        now = time.perf_counter()
        if now - self.last < self.every and done < total:
            return
        self.last = now
        elapsed = now - self.start
        rate = done / elapsed if elapsed > 0 else 0.0
        eta = (total - done) / rate if rate > 0 else float("nan")
        left = f", {duration(eta)} left" if done < total and rate > 0 else ""
        print(f"  {self.label}: {done}/{total} {self.unit} ({100 * done / max(total, 1):.0f}%), "
              f"{rate:.2f} {self.unit}/s{left}", file=self.stream, flush=True)


class TrainingProgress(TrainerCallback):
    """One line per logging step: `step 12/132 (9%): loss 0.083, TA's answer first 75%, lr 4.3e-05,
    2.1 s/step, 4 min left`; evaluation lines likewise; and a closing line."""

    KEYS = (("loss", "loss {:.3g}"), ("logps/accuracies", "TA's answer first {:.0%}"),
            ("choice/accuracy", "TA's letter first {:.0%}"), ("rewards/accuracies", "reward acc {:.0%}"),
            ("learning_rate", "lr {:.2g}"))

    def __init__(self, stream=None):
        self.stream = stream or sys.stderr
        self.start = None

    def on_train_begin(self, args, state, control, **kwargs):
        self.start = time.perf_counter()
        if state.is_world_process_zero:
            print(f"training: {state.max_steps} optimizer steps", file=self.stream, flush=True)

    def on_log(self, args, state, control, logs=None, **kwargs):
        if not state.is_world_process_zero or not logs or self.start is None:
            return
        if "train_runtime" in logs:  # the closing summary transformers logs
            print(f"training done: {state.global_step} steps in {duration(logs['train_runtime'])}, "
                  f"mean loss {logs.get('train_loss', float('nan')):.3g}", file=self.stream, flush=True)
            return
        step, total = state.global_step, max(state.max_steps, 1)
        elapsed = time.perf_counter() - self.start
        per_step = elapsed / max(step, 1)
        evaluation = any(k.startswith("eval_") for k in logs)
        prefix = "eval_" if evaluation else ""
        parts = [fmt.format(logs[prefix + key]) for key, fmt in self.KEYS if prefix + key in logs]
        timing = "" if evaluation else f", {per_step:.1f} s/step, {duration(per_step * (total - step))} left"
        label = "evaluation at step" if evaluation else "step"
        print(f"  {label} {step}/{total} ({100 * step / total:.0f}%): {', '.join(parts)}{timing}",
              file=self.stream, flush=True)


def quiet_trainer(trainer) -> None:
    """Swap transformers' console callbacks (raw metric dicts, a bar that scrolls logs away) for
    `TrainingProgress`. The logs still reach TensorBoard and trainer_state.json."""
    from transformers.trainer_callback import PrinterCallback, ProgressCallback

    trainer.remove_callback(PrinterCallback)
    trainer.remove_callback(ProgressCallback)
    trainer.add_callback(TrainingProgress())
