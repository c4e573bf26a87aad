"""Several processes: data-parallel training and scoring under `accelerate launch` (or torchrun).

Every process runs the same script on its own device. Training shares the steps through
accelerate (DDP, FSDP or DeepSpeed, chosen by the accelerate config; `configs/accelerate/`);
scoring splits the work by whole batches of students and gathers the results. This module
holds what both need: which process this is, the order of the groups an epoch feeds to the
processes, the split of a scoring plan, gathering Python objects, and the checks that refuse an
engine that would silently not run.

The pure functions come first (no torch.distributed): `padded_order`, `shard_batches`,
`process_device`. The launcher's environment (RANK, WORLD_SIZE, LOCAL_RANK) says how many
processes take part; without it, everything here is the single-process path.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

ENGINE_ENV = {"ACCELERATE_USE_FSDP": "FSDP", "ACCELERATE_USE_DEEPSPEED": "DeepSpeed"}


@dataclass(frozen=True)
class Processes:
    """This process's place among the processes of one launch."""

    index: int = 0  # global rank
    count: int = 1  # world size
    local_index: int = 0  # rank on this machine (its GPU number)

    @property
    def is_main(self) -> bool:
        return self.index == 0


def launched() -> Processes:
    """From the launcher's environment (torchrun, `accelerate launch`): one process when absent."""
    count = int(os.environ.get("WORLD_SIZE", "1") or 1)
    index = int(os.environ.get("RANK", "0") or 0)
    local = int(os.environ.get("LOCAL_RANK", "0") or 0)
    if count < 1 or not 0 <= index < count:
        raise ValueError(f"RANK={index} and WORLD_SIZE={count} from the launcher do not fit together")
    return Processes(index, count, local)


def process_device(device: str, processes: Processes | None = None) -> str:
    """Under a launcher each process works on its own GPU: `cuda` -> `cuda:<LOCAL_RANK>`."""
    processes = processes or launched()
    if device == "cuda" and (processes.count > 1 or "LOCAL_RANK" in os.environ):
        return f"cuda:{processes.local_index}"
    return device


# --------------------------------------------------------------------------- the order of the groups (pure)


def padded_order(n_groups: int, multiple: int, seed: int, epoch: int, shuffle: bool = True) -> list[int]:
    """The order in which an epoch feeds its `n_groups` dataset rows, padded to a multiple of `multiple`.

    The real rows come first, shuffled by (seed, epoch) or in order; then `n_groups, n_groups + 1,
    ...`: indices of padding rows that hold no pair. With `multiple` = processes x per-device batch,
    accelerate's batch sharding (`BatchSamplerShard`, batch i of each global step to process
    i mod N) hands every process a full batch without going back to the epoch's start, so no
    student is trained on twice, and the padding rows add nothing to the loss. The order does not
    depend on the number of processes: N processes with batch B see, step by step, the same groups
    as one process with batch N x B.
    """
    import torch

    if n_groups < 1 or multiple < 1:
        raise ValueError(f"padded_order needs at least one group and a positive multiple, got {n_groups}, {multiple}")
    if shuffle:
        generator = torch.Generator().manual_seed(seed + epoch)
        order = torch.randperm(n_groups, generator=generator).tolist()
    else:
        order = list(range(n_groups))
    return order + list(range(n_groups, n_groups + (-n_groups) % multiple))


def shard_batches(n_batches: int, processes: Processes) -> list[int]:
    """The batches (numbers of a plan every process computes alike) this process runs: round robin,
    so long and short batches spread evenly (a plan sorts its batches longest first)."""
    return list(range(processes.index, n_batches, processes.count))


# --------------------------------------------------------------------------- collectives


def start(cpu: bool) -> Processes:
    """Join the launch's process group (gloo on CPU, NCCL on GPUs) when there are several processes."""
    processes = launched()
    if processes.count > 1:
        from accelerate import PartialState

        state = PartialState(cpu=cpu)
        if state.num_processes != processes.count:
            raise RuntimeError(f"the launcher started {processes.count} processes but accelerate joined "
                               f"{state.num_processes} (distributed type {state.distributed_type})")
    return processes


def gather_objects(local: list, processes: Processes) -> list:
    """Every process's list, concatenated in process order, on every process (one list alone without
    a launch)."""
    if processes.count == 1:
        return list(local)
    from accelerate.utils import gather_object

    return gather_object(list(local))


def wait_for_everyone(processes: Processes) -> None:
    if processes.count > 1:
        from accelerate import PartialState

        PartialState().wait_for_everyone()


def quiet_progress_bars() -> None:
    """No progress bars from this process (the main process shows them)."""
    import datasets
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()
    datasets.disable_progress_bars()


def main_console(processes: Processes):
    """`print` on the main process; on the others a function that prints nothing, and their progress
    bars off: one console for the whole launch."""
    if processes.is_main:
        return print
    quiet_progress_bars()
    return lambda *args, **kwargs: None


def join_for_scoring(device: str, processes: Processes) -> str:
    """This process's device (its own GPU under a launcher), after joining the launch's process group."""
    device = process_device(device, processes)
    start(cpu=not device.startswith("cuda"))
    return device


# --------------------------------------------------------------------------- engines that would not run


def check_engine(distributed_type, device: str, environ=None) -> None:
    """Refuse an FSDP or DeepSpeed launch that accelerate would quietly turn into something else.

    accelerate 1.15 honours FSDP and DeepSpeed only for several GPU processes: on CPU processes
    (gloo) an FSDP config trains as plain DDP with every weight on every process, and one process
    alone runs unsharded; neither is what the config's user asked for. `distributed_type` is the
    processes' (`TrainingArguments.distributed_state`) or the accelerator's.
    """
    environ = os.environ if environ is None else environ
    kind = str(getattr(distributed_type, "value", distributed_type)).upper()
    for variable, engine in ENGINE_ENV.items():
        if environ.get(variable, "false").lower() == "true" and kind in ("NO", "MULTI_CPU"):
            where = "one process" if kind == "NO" else "CPU processes"
            raise ValueError(
                f"the accelerate config asks for {engine}, but this launch runs {where} ({kind}) on {device}: "
                f"accelerate shards with {engine} only over several GPU processes (here it would train unsharded, "
                "as plain DDP). Launch on GPUs, or use configs/accelerate/ddp.yaml")
