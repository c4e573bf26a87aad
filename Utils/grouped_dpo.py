"""Grouped DPO: read each prompt once per step, not 4(K-1) times per item.

The builder writes K-1 rows per item (lab, student, criterion): the same prompt with the TA's
rating as `chosen` and each other rating as `rejected`. TRL's `DPOTrainer` runs the policy and
the reference over prompt+chosen and prompt+rejected for every row. `GroupedDPOTrainer` regroups
the rows into one prompt with all its answers (the chosen one and each rejected one), packs them
into ONE sequence (`Utils.packing`: each answer attends only to its prompt and itself, position
ids restart after the prompt, only answer positions go through the LM head), and gets the
log-probability of every answer from one policy pass (with gradients) and one reference pass
(adapter disabled, no gradients; or precomputed once). The loss is TRL's sigmoid DPO loss over
exactly the pairs the rows name, averaged over the pairs of the batch as TRL averages, and the
logged metrics are TRL's, weighted so that they equal what TRL logs for the same pairs.

With `group_by="student"` all of one student's items of a lab go into one sequence: statement
and code, shared by every criterion, appear once (`pack_group`). One dataset row, and so one
unit of `per_device_train_batch_size`, is then a student; with `group_by="item"` it is an item.

Everything else (config, optimizer, schedule, logging, checkpointing, callbacks, evaluation) is
TRL's `DPOTrainer`. Options this trainer cannot honour raise a ValueError at construction.

Several processes (`accelerate launch`: DDP, FSDP, DeepSpeed) train as one process with the same
global batch. A step's loss is the sum of the per-pair terms over every pair of the step, on every
process and in every gradient-accumulation micro-batch, divided by the number of those pairs (the
SFT term: by their chosen answers' tokens); counted before the step (`_get_num_items_in_batch`, as
transformers counts tokens) and summed over the processes (`average_tokens_across_devices`). Each
process's loss is scaled by the number of processes, which the engines' gradient averaging undoes.
The groups of an epoch are dealt out whole and once (`Utils.distributed.padded_order`): the last
global batch is filled with padding rows that hold no pair, where accelerate would repeat students
from the epoch's start. The logged metrics are sums over the pairs (and answer tokens) of all
processes divided by their counts, so they too equal one process's.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from typing import Any

import torch
from accelerate.utils import is_peft_model
from datasets import Dataset, concatenate_datasets
from torch.utils.data import DataLoader, Sampler
from transformers import PreTrainedTokenizerBase
from transformers.data.data_collator import DataCollatorMixin
from trl import DPOConfig, DPOTrainer
from trl.models.utils import disable_gradient_checkpointing
from trl.trainer.utils import use_adapter

from Utils import distributed
from Utils.console import Progress
from Utils.items import Item
from Utils.loss import check_loss_options, needs_reference, needs_rejected, preference_loss
from Utils.packing import (answer_logits, collate_packed, first_token_split, logits_at_items, pack_group,
                           sum_per_answer, token_logprobs)
from Utils.pairs import fit_items
from Utils.prompts import TokenizedItem

GROUP_BY = ("item", "student")
DEFAULT_GROUP_BY = "student"  # chosen by bench/bench_training.py (see bench/results/bench_training--pairs-12--old-recipe-pairs-4.md)
GROUPED_COLUMNS = ["prompts_ids", "answers_ids", "pairs", "ref_answer_logps"]  # what the collator reads
SAMPLING = ("random", "sequential")  # train_sampling_strategy values the grouped trainer implements
ANSWERS = ("all", "chosen", "letter")  # what the collator packs after each prompt (`answers_to_pack`)


@dataclass
class GroupedDPOConfig(DPOConfig):
    """`DPOConfig` plus how rows are grouped into one packed sequence."""

    group_by: str = field(default=DEFAULT_GROUP_BY, metadata={
        "help": "Pack one sequence per 'item' (a prompt and all its rating answers) or per 'student' (all of "
                "one student's items of a lab, statement and code once). One group is one unit of the batch size."})
    cache_frozen_layers: bool = field(default=False, metadata={
        "help": "when only the top layers train (--trainable_layers N), keep the output of the frozen layers below "
                "them for each student the first time it is seen (CPU memory: tokens x hidden size x 4 bytes), so "
                "later epochs run only the top layers; the same losses and gradients"})


# --------------------------------------------------------------------------- grouping items (pure)


def group_item_indices(items: list[Item], group_by: str) -> list[list[int]]:
    """Indices of the items of each group, groups and items in order of first appearance."""
    if group_by == "item":
        return [[i] for i in range(len(items))]
    groups: dict[tuple[str, str], list[int]] = {}
    for i, item in enumerate(items):
        groups.setdefault((item.lab, item.student_id), []).append(i)
    return list(groups.values())


def grouped_dataset(items: list[Item], rows: list[list[int]], tokenized: list[TokenizedItem],
                    group_by: str) -> Dataset:
    """The grouped trainer's dataset: one row per group (an item, or a student's items of a lab).

    `items` come from `Utils.pairs.fit_items` (with the row indices of their pairs, `rows`),
    `tokenized` with them (each prompt fitted to max_length once).
    """
    columns = {k: [] for k in ["prompts_ids", "answers_ids", "pairs", "n_pairs", "lab", "student_id",
                               "criteria", "shortened", "rows"]}
    for indices in group_item_indices(items, group_by):
        pairs, offset = [], 0
        for i in indices:
            pairs += [[offset + c, offset + r] for c, r in items[i].pairs]
            offset += len(items[i].answers)
        columns["prompts_ids"].append([tokenized[i].prompt_ids for i in indices])
        columns["answers_ids"].append([tokenized[i].answers_ids for i in indices])
        columns["pairs"].append(pairs)
        columns["n_pairs"].append(len(pairs))
        columns["lab"].append(items[indices[0]].lab)
        columns["student_id"].append(items[indices[0]].student_id)
        columns["criteria"].append([items[i].criterion for i in indices])
        columns["shortened"].append(sum(tokenized[i].shortened for i in indices))
        columns["rows"].append([r for i in indices for r in rows[i]])
    return Dataset.from_dict(columns)


def tokenize_grouped(tokenizer, rows: list[dict], max_length: int | None, group_by: str,
                     supports_system: bool = True, source: str = "pairs") -> Dataset:
    """Builder rows -> the grouped dataset: rows grouped into items, each prompt fitted once
    (only the student's code is shortened; `Utils.pairs.fit_items`); every problem is raised at once."""
    grouped, tokenized = fit_items(rows, tokenizer, supports_system, max_length, source)
    return grouped_dataset(grouped.items, grouped.rows, tokenized, group_by)


def with_padding_rows(dataset: Dataset, n_padding: int, pad_token_id: int) -> Dataset:
    """`dataset` followed by `n_padding` rows that hold no pair (one pad token of prompt, one of answer):
    they fill the last global batch of an epoch, add nothing to the loss or the metrics, and let every
    process run its forward and backward pass, as DDP needs."""
    if n_padding == 0:
        return dataset
    row = dict(dataset[0])
    row.update(prompts_ids=[[pad_token_id]], answers_ids=[[[pad_token_id]]], pairs=[])
    defaults = {"ref_answer_logps": [0.0], "n_pairs": 0, "lab": "", "student_id": "", "criteria": [],
                "shortened": 0, "rows": []}
    row.update({k: v for k, v in defaults.items() if k in row})
    padding = Dataset.from_list([row] * n_padding, features=dataset.features)
    return concatenate_datasets([dataset, padding])


class GroupSampler(Sampler):
    """The rows of an epoch in `Utils.distributed.padded_order`: the real groups (shuffled by seed and
    epoch, or in order), then the padding rows (indices from `n_groups` on) that complete the last
    global batch of `multiple` rows."""

    def __init__(self, n_groups: int, multiple: int, seed: int, shuffle: bool):
        self.n_groups, self.multiple, self.seed, self.shuffle = n_groups, multiple, seed, shuffle
        self.epoch = 0

    def set_epoch(self, epoch: int) -> None:  # accelerate's DataLoaderShard calls it at every epoch
        self.epoch = epoch

    def __iter__(self):
        return iter(distributed.padded_order(self.n_groups, self.multiple, self.seed, self.epoch, self.shuffle))

    def __len__(self) -> int:
        return self.n_groups + (-self.n_groups) % self.multiple


# --------------------------------------------------------------------------- collator


def answers_to_pack(loss_types: list[str]) -> str:
    """What a step needs after each prompt: 'all' answers (a preference term compares the TA's answer
    with each other one), only the TA's 'chosen' answer (sft, with or without choice), or only the
    answer's start up to the TA's 'letter' (choice alone: a classifier reads one position per item)."""
    if needs_rejected(loss_types):
        return "all"
    return "chosen" if "sft" in loss_types else "letter"


def item_layout(example: dict[str, Any]) -> list[tuple[int, int | None]]:
    """Per item of a grouped row: (offset of its first answer in the row's answer slots, the TA's option
    number within the item, or None for a row that holds no pair)."""
    layout, offset = [], 0
    for answers in example["answers_ids"]:
        chosen = {c - offset for c, _ in example["pairs"] if offset <= c < offset + len(answers)}
        layout.append((offset, chosen.pop() if chosen else None))
        offset += len(answers)
    return layout


@dataclass
class DataCollatorForGroupedPreference(DataCollatorMixin):
    """Grouped rows -> one packed sequence per group (`Utils.packing.collate_packed`) plus the pairs.

    Adds `pair_row`, `pair_chosen`, `pair_rejected` [P] (a pair's row and its answer slots in the
    [B, A] answer log-probabilities), `token_count` [B] (real tokens per row; 0 for a padding row
    that holds no pair), per item with a TA rating [I]: `choice_row`, `choice_target` (the index in
    the row's answer tokens of the TA's letter), `choice_label` (the TA's option number) and
    `choice_letters` [I, K] (each option's letter token, -1 past the item's options; an item whose
    options share their first own token has none and `choice_label` -1) and, when the rows
    carry precomputed reference log-probabilities, `ref_answer_logps` [B, A].

    `answers` ('all', 'chosen', 'letter'; see `answers_to_pack`): with 'chosen' or 'letter' only the
    TA's answer (or its start up to the letter) is packed after each prompt, and every pair names that
    one slot as both chosen and rejected (the terms that run then, sft and choice, read no rejected
    answer; the pair count still normalizes sft exactly as with every answer packed).
    """

    pad_token_id: int
    answers: str = "all"
    return_tensors: str = "pt"

    def torch_call(self, examples: list[dict[str, Any]]) -> dict[str, torch.Tensor]:
        if self.answers not in ANSWERS:
            raise ValueError(f"answers must be one of {ANSWERS}, got {self.answers!r}")
        groups, pairs, choices = [], [], []
        for b, e in enumerate(examples):
            per_item, slot_of, t = [], {}, 0  # t: the row's answer tokens so far (the target index)
            splits = [first_token_split(answers) for answers in e["answers_ids"]]
            for (offset, chosen), answers, split in zip(item_layout(e), e["answers_ids"], splits):
                keep = range(len(answers)) if self.answers == "all" or chosen is None else [chosen]
                letter_at = -1  # target index of the TA's letter
                item_answers = []
                for o in keep:
                    slot_of[offset + o] = len(slot_of)
                    answer = answers[o]
                    if split is not None and o == chosen:
                        letter_at = t + len(split[0])
                        if self.answers == "letter":
                            answer = split[0] + [split[1][o]]
                    t += len(answer)
                    item_answers.append(answer)
                per_item.append(item_answers)
                if chosen is not None:
                    letters, label = (split[1], chosen) if split is not None else ([], -1)
                    choices.append((b, letter_at, label, letters))
            groups.append(pack_group(e["prompts_ids"], per_item))
            for c, r in e["pairs"]:
                pairs.append((b, slot_of[c], slot_of[r] if self.answers == "all" else slot_of[c]))
        batch = collate_packed(groups, self.pad_token_id)
        pairs = torch.tensor(pairs, dtype=torch.long).reshape(-1, 3)  # a batch of padding rows has no pair
        batch["pair_row"], batch["pair_chosen"], batch["pair_rejected"] = pairs.T.contiguous()
        width = max([len(letters) for *_, letters in choices] + [1])
        batch["choice_row"] = torch.tensor([b for b, *_ in choices], dtype=torch.long)
        batch["choice_target"] = torch.tensor([t for _, t, *_ in choices], dtype=torch.long)
        batch["choice_label"] = torch.tensor([label for _, _, label, _ in choices], dtype=torch.long)
        batch["choice_letters"] = torch.tensor([letters + [-1] * (width - len(letters)) for *_, letters in choices],
                                               dtype=torch.long).reshape(-1, width)
        # Padding rows (no pair; `with_padding_rows`) are not counted as tokens trained on.
        batch["token_count"] = torch.tensor([len(g.input_ids) if e["pairs"] else 0 for g, e in zip(groups, examples)])
        if "ref_answer_logps" in examples[0]:
            ref = torch.zeros(batch["answer_item"].shape, dtype=torch.float32)
            for b, e in enumerate(examples):
                ref[b, :len(e["ref_answer_logps"])] = torch.tensor(e["ref_answer_logps"])
            batch["ref_answer_logps"] = ref
        return batch


def option_logits(logits: torch.Tensor, inputs: dict[str, torch.Tensor]) -> tuple[torch.Tensor, torch.Tensor]:
    """(the logits of each item's option letters at the position that predicts the TA's letter [I, K],
    -inf past an item's options; the TA's option [I]) for the items that have letters of their own,
    from the logits at every answer token [B, T, V] (`answer_logits`)."""
    keep = inputs["choice_label"] >= 0
    return _letters(logits[inputs["choice_row"][keep], inputs["choice_target"][keep]], inputs, keep)


def option_logits_alone(model, inputs: dict[str, torch.Tensor], layer_cache=None) -> tuple[torch.Tensor, torch.Tensor]:
    """What `option_logits` gives, from a forward pass that runs the LM head only at the positions that
    predict a TA's letter (one per item, run in every row; `Utils.packing.logits_at_items`): all that the choice term
    reads when it is the only loss. The batch must hold at least one item with letters."""
    keep = inputs["choice_label"] >= 0
    rows = inputs["choice_row"][keep]
    positions = inputs["logit_positions"][rows, inputs["choice_target"][keep]]
    return _letters(logits_at_items(model, inputs, rows, positions, layer_cache=layer_cache), inputs, keep)


def _letters(rows: torch.Tensor, inputs: dict[str, torch.Tensor], keep: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """The option letters' logits out of each kept item's row of logits [I, V]."""
    letters = inputs["choice_letters"][keep]
    picked = rows.float().gather(1, letters.clamp(min=0))
    return picked.masked_fill(letters < 0, float("-inf")), inputs["choice_label"][keep]


def check_letters(dataset: Dataset, name: str) -> None:
    """loss_type choice reads each option's own first answer token (its letter): refuse, naming them, items
    whose options share that token (the answer format would not tell the letter apart)."""
    bad = [f"{lab}/{student}/{criterion}" for lab, student, criteria, answers_ids in
           zip(dataset["lab"], dataset["student_id"], dataset["criteria"], dataset["answers_ids"])
           for criterion, answers in zip(criteria, answers_ids) if first_token_split(answers) is None]
    if bad:
        raise ValueError(f"loss_type choice: {len(bad)} item(s) of the {name} dataset have options whose answers "
                         f"share their first own token, so no letter tells them apart: {', '.join(bad[:5])}"
                         + (" ..." if len(bad) > 5 else ""))


# --------------------------------------------------------------------------- trainer


def unsupported_options(args: DPOConfig, peft_config=None, compute_metrics=None, data_collator=None) -> list[str]:
    """Every option of TRL's DPOTrainer that the grouped trainer does not implement, as messages."""
    loss_types = args.loss_type if isinstance(args.loss_type, list) else [args.loss_type]
    problems = check_loss_options(loss_types, args.loss_weights, args.label_smoothing)
    checks = [
        (args.ld_alpha is not None, "ld_alpha (LD-DPO length weighting)"),
        (args.f_divergence_type != "reverse_kl", f"f_divergence_type={args.f_divergence_type!r}"),
        (args.use_weighting, "use_weighting (WPO)"),
        (args.padding_free, "padding_free (grouped sequences are already packed without padding waste)"),
        (args.truncation_mode != "keep_start",
         f"truncation_mode={args.truncation_mode!r} (nothing is truncated: the student's code is shortened "
         "to fit max_length)"),
        (args.pad_to_multiple_of is not None, f"pad_to_multiple_of={args.pad_to_multiple_of}"),
        (args.sync_ref_model, "sync_ref_model"),
        (args.use_liger_kernel, "use_liger_kernel"),
        (compute_metrics is not None, "compute_metrics (there are no per-token logits to pass it)"),
        (data_collator is not None and not isinstance(data_collator, DataCollatorForGroupedPreference),
         "a data_collator other than DataCollatorForGroupedPreference"),
        (peft_config is not None and getattr(peft_config, "is_prompt_learning", False),
         "prompt-learning PEFT methods (their virtual tokens break the packed positions); use LoRA"),
    ]
    problems += [f"{what} is not supported" for bad, what in checks if bad]
    if args.train_sampling_strategy not in SAMPLING:
        problems.append(f"train_sampling_strategy={args.train_sampling_strategy!r}: the grouped trainer deals out "
                        f"whole groups in one of {SAMPLING}")
    group_by = getattr(args, "group_by", DEFAULT_GROUP_BY)
    if group_by not in GROUP_BY:
        problems.append(f"group_by={group_by!r}: must be one of {GROUP_BY}")
    return problems


class GroupedDPOTrainer(DPOTrainer):
    """TRL's DPOTrainer with one packed policy pass and one reference pass per item (or student).

    Same constructor as `DPOTrainer`, plus `group_by` ('item' or 'student'; default
    `args.group_by` when `args` is a `GroupedDPOConfig`, else 'student'). Datasets are the
    builder's conversational rows (prompt, chosen, rejected, lab, student_id, criterion,
    code_span, ...). `args.max_length` bounds prompt + answer: the student's code is shortened in
    its middle to fit (`Utils.prompts.fit_to_model`), never truncated or dropped; the number of
    shortened items per dataset is in `self.shortened`. `per_device_train_batch_size` counts groups.
    """

    def __init__(self, model, ref_model=None, args: DPOConfig | None = None, data_collator=None,
                 train_dataset: Dataset | None = None, eval_dataset=None, processing_class=None,
                 compute_metrics=None, callbacks=None, optimizers=(None, None), quantization_config=None,
                 peft_config=None, group_by: str | None = None):
        if args is None:
            raise ValueError("GroupedDPOTrainer needs args (a DPOConfig or GroupedDPOConfig)")
        if not isinstance(processing_class, PreTrainedTokenizerBase):
            raise ValueError("GroupedDPOTrainer needs processing_class=<the model's tokenizer> (text models only)")
        if group_by is not None:
            args.group_by = group_by  # a DPOConfig gets the attribute; a GroupedDPOConfig is overridden
        problems = unsupported_options(args, peft_config, compute_metrics, data_collator)
        for name, data in [("train_dataset", train_dataset), ("eval_dataset", eval_dataset)]:
            for ds in (data.values() if isinstance(data, dict) else [data]):
                if ds is not None and not isinstance(ds, Dataset):
                    problems.append(f"{name} must be a datasets.Dataset, got {type(ds).__name__}")
                elif ds is not None and {"image", "images", "tools", "chat_template_kwargs"} & set(ds.column_names):
                    problems.append(f"{name}: image/tools/chat_template_kwargs columns are not supported")
        if problems:
            raise ValueError("GroupedDPOTrainer cannot honour these options:\n  " + "\n  ".join(problems))
        self.group_by = getattr(args, "group_by", DEFAULT_GROUP_BY)
        self.shortened: dict[str, int] = {}
        if processing_class.pad_token is None:
            processing_class.pad_token = processing_class.eos_token
        if args.pad_token is not None:
            processing_class.pad_token = args.pad_token
        loss_types = args.loss_type if isinstance(args.loss_type, list) else [args.loss_type]
        if data_collator is None:
            data_collator = DataCollatorForGroupedPreference(pad_token_id=processing_class.pad_token_id,
                                                             answers=answers_to_pack(loss_types))
        if not needs_reference(loss_types) and ref_model is None and not is_peft_model(model) and peft_config is None:
            # No loss term needs a reference (loss_type sft alone): keep TRL from loading a copy of the model
            # as one; with precompute on, it loads none, and `_precompute_ref_logps` computes nothing.
            args.precompute_ref_log_probs = True
        self.layer_cache = None  # set after TRL has wrapped the model (PEFT), below
        super().__init__(model, ref_model=ref_model, args=args, data_collator=data_collator,
                         train_dataset=train_dataset, eval_dataset=eval_dataset, processing_class=processing_class,
                         callbacks=callbacks, optimizers=optimizers, quantization_config=quantization_config,
                         peft_config=peft_config)
        if self.aux_loss_enabled:
            raise ValueError("GroupedDPOTrainer does not compute the MoE router auxiliary loss: set "
                             "router_aux_loss_coef=0 or use the stock DPOTrainer")
        if getattr(args, "cache_frozen_layers", False):
            from Utils.layer_cache import FrozenLayerCache

            self.layer_cache = FrozenLayerCache(self.model)  # raises if nothing below the trained layers is frozen
            if self.ref_model is not None:
                self.layer_cache.check_same_frozen_layers(self.model, self.ref_model)

    # ----------------------------------------------------------------------- data

    def _prepare_dataset(self, dataset, processing_class, args, dataset_name):
        """Conversational rows -> one row per group: prompts_ids, answers_ids, pairs (+ bookkeeping).
        A dataset already grouped (`grouped_dataset`, or evaluate() preparing again) is used as is."""
        if "answers_ids" not in dataset.column_names:
            missing = [c for c in ("prompt", "chosen", "rejected", "lab", "student_id", "criterion")
                       if c not in dataset.column_names]
            if missing:
                raise ValueError(f"{dataset_name} dataset lacks the columns {missing}: GroupedDPOTrainer takes the "
                                 "rows Utils.create_dataset writes (prompt, chosen, rejected, lab, student_id, "
                                 "criterion, options ...)")
            dataset = tokenize_grouped(self._tokenizer, dataset.to_list(), args.max_length, self.group_by,
                                       source=f"{dataset_name} dataset")
        if "choice" in (args.loss_type if isinstance(args.loss_type, list) else [args.loss_type]):
            check_letters(dataset, dataset_name)
        self.shortened[dataset_name] = sum(dataset["shortened"])
        return dataset

    def _set_signature_columns_if_needed(self):
        if self._signature_columns is None:
            self._signature_columns = list(GROUPED_COLUMNS)

    # ----------------------------------------------------------------------- data loaders: whole groups, once

    def _group_loader(self, dataset: Dataset, batch_size: int, shuffle: bool, description: str, **kwargs):
        """A loader over `dataset`'s groups in `GroupSampler` order, padded to whole global batches
        (processes x batch_size rows), which accelerate then deals out batch by batch."""
        multiple = self.args.world_size * batch_size
        padded = with_padding_rows(dataset, (-len(dataset)) % multiple, self.processing_class.pad_token_id)
        seed = self.args.data_seed if self.args.data_seed is not None else self.args.seed
        return self._get_dataloader(dataset=padded, description=description, batch_size=batch_size,
                                    sampler_fn=lambda _: GroupSampler(len(dataset), multiple, seed, shuffle), **kwargs)

    def get_train_dataloader(self) -> DataLoader:
        if self.train_dataset is None:
            raise ValueError("GroupedDPOTrainer: training needs a train_dataset")
        return self._group_loader(self.train_dataset, self._train_batch_size,
                                  self.args.train_sampling_strategy == "random", "Training", is_training=True)

    def get_eval_dataloader(self, eval_dataset: str | Dataset | None = None) -> DataLoader:
        if isinstance(eval_dataset, str):
            eval_dataset = self.eval_dataset[eval_dataset]
        dataset = eval_dataset if eval_dataset is not None else self.eval_dataset
        if dataset is None:
            raise ValueError("GroupedDPOTrainer: evaluation needs an eval_dataset")
        return self._group_loader(dataset, self.args.eval_batch_size, False, "Evaluation")

    # ----------------------------------------------------------------------- reference

    def compute_ref_log_probs(self, model, inputs):
        """Reference log-probability of every answer slot, [B, A] (adapter disabled, or the ref model)."""
        adapter_context = contextlib.nullcontext()
        if self.ref_model is None and is_peft_model(self.model):
            unwrapped = self.accelerator.unwrap_model(self.model)
            adapter_context = use_adapter(unwrapped, adapter_name="ref" if "ref" in unwrapped.peft_config else None)
        with (torch.no_grad(), disable_gradient_checkpointing(self.model, self.args.gradient_checkpointing_kwargs),
              adapter_context, self.accelerator.autocast()):
            return self._answer_logps(model, inputs, self.layer_cache)[0]

    def _precompute_ref_logps(self, dataset: Dataset, name: str, batch_size: int) -> Dataset:
        """Every answer's reference log-probability, once, as a column. The batches are those one process
        would run (in order); with several processes each runs every N-th and the rows are gathered, so
        the values do not depend on the number of processes. Each process runs as many passes (sharded
        models need every process in every pass)."""
        if "ref_answer_logps" in dataset.column_names or not needs_reference(self.loss_types):
            return dataset
        processes = distributed.launched()
        columns = dataset.select_columns(["prompts_ids", "answers_ids", "pairs"])
        starts = list(range(0, len(dataset), batch_size))
        mine = distributed.shard_batches(len(starts), processes)
        passes = -(-len(starts) // processes.count)
        if self.ref_model is None and self.is_deepspeed_enabled:  # ZeRO: an inference engine places the weights
            from trl.models import prepare_deepspeed

            if self._precompute_engine is None:
                self._precompute_engine = prepare_deepspeed(self.model, self.accelerator)
            model = self._precompute_engine
        else:
            model = self.ref_model or self.model
        local = []
        progress = Progress(f"reference log-probabilities, {name}", unit="batches") \
            if self.is_local_process_zero() else (lambda done, total: None)
        for k in range(passes):
            progress(k, passes)
            b = mine[k] if k < len(mine) else mine[-1] if mine else 0  # a repeated batch keeps passes equal
            rows = columns.select(range(starts[b], min(starts[b] + batch_size, len(dataset))))
            batch = self._prepare_inputs(self.data_collator(list(rows)))
            ref = self.compute_ref_log_probs(model, batch).float().cpu().tolist()
            if k < len(mine):
                local.append((b, ref))
        progress(passes, passes)
        values = [row for _, ref in sorted(distributed.gather_objects(local, processes)) for row in ref]
        # Each row keeps only its own answer slots (a batch pads to its widest row).
        n_answers = [sum(len(a) for a in answers) for answers in dataset["answers_ids"]]
        return dataset.add_column("ref_answer_logps", [v[:n] for v, n in zip(values, n_answers)])

    # ----------------------------------------------------------------------- loss

    @staticmethod
    def _answer_logps(model, inputs, layer_cache=None):
        """Summed log-probability per answer slot [B, A], and the per-token logits [B, T, V] and log-probs
        (`layer_cache`: the frozen lower layers' kept output, `Utils.layer_cache`)."""
        logits = answer_logits(model, inputs, layer_cache=layer_cache)
        token_logps, token_logps_all = token_logprobs(logits, inputs)
        return sum_per_answer(token_logps, inputs), logits, token_logps_all

    # The loss is normalized over the whole step (all micro-batches): Trainer must not divide it again.
    loss_is_scaled_for_ga = True

    @staticmethod
    def _batch_counts(inputs) -> torch.Tensor:
        """[pairs, chosen answer tokens over the pairs, items with option letters] of one batch (a chosen
        answer counts once per pair, as TRL sees it once per row; the choice term is a mean over items)."""
        lengths = sum_per_answer((inputs["answer_index"] >= 0).float(), inputs)
        chosen_tokens = lengths[inputs["pair_row"], inputs["pair_chosen"]].sum()
        device = chosen_tokens.device
        return torch.stack([torch.tensor(float(inputs["pair_row"].numel()), device=device), chosen_tokens,
                            (inputs["choice_label"] >= 0).sum().to(device)]).float()

    def _across_processes(self, counts: torch.Tensor) -> torch.Tensor:
        """Counts summed over the processes when the loss is normalized across devices (the default)."""
        if self.args.average_tokens_across_devices and self.args.world_size > 1:
            return self.accelerator.reduce(counts, reduction="sum")
        return counts

    def _loss_scale(self) -> int:
        """DDP, FSDP and DeepSpeed average the processes' gradients; a loss normalized by the counts of all
        processes is multiplied back by their number."""
        return self.args.world_size if self.args.average_tokens_across_devices else 1

    def _get_num_items_in_batch(self, batch_samples: list, device) -> torch.Tensor:
        """[pairs, chosen tokens, items] of a whole optimizer step: every micro-batch, summed over the processes."""
        counts = sum(self._batch_counts(batch) for batch in batch_samples)
        return self._across_processes(counts.to(device))

    def compute_loss(self, model, inputs, return_outputs=False, num_items_in_batch=None):
        """The step's loss share of this micro-batch (normalized by `num_items_in_batch`, [pairs, chosen tokens,
        items] of the whole step); without it, the batch's own mean, as TRL computes it."""
        return self._compute_loss(model, inputs, return_outputs, num_items_in_batch)

    def _compute_loss(self, model, inputs, return_outputs, num_items_in_batch=None):
        if return_outputs:
            raise ValueError("GroupedDPOTrainer has no per-token logits to return (compute_metrics is not supported)")
        mode = "train" if self.model.training else "eval"
        if self.loss_types == ["choice"] and bool((inputs["choice_label"] >= 0).any()):
            return self._choice_alone_loss(model, inputs, mode, num_items_in_batch)
        answer_logps, logits, token_logps_all = self._answer_logps(model, inputs, self.layer_cache)
        row, c, r = inputs["pair_row"], inputs["pair_chosen"], inputs["pair_rejected"]
        lengths = sum_per_answer((inputs["answer_index"] >= 0).float(), inputs)
        ref_chosen = ref_rejected = None
        if needs_reference(self.loss_types):
            if self.precompute_ref_logps:
                ref_answer_logps = inputs["ref_answer_logps"]
            else:
                ref_answer_logps = self.compute_ref_log_probs(self.ref_model or self.model, inputs)
            ref_chosen, ref_rejected = ref_answer_logps[row, c], ref_answer_logps[row, r]
        chosen_logps, rejected_logps = answer_logps[row, c], answer_logps[row, r]
        choice_logits, choice_labels = option_logits(logits, inputs) if "choice" in self.loss_types else (None, None)
        n_pairs = n_chosen_tokens = n_items = None
        scale = 1
        if num_items_in_batch is not None:
            n_pairs, n_chosen_tokens, n_items = num_items_in_batch.to(answer_logps.device).clamp(min=1)
            scale = self._loss_scale()
        loss, _ = preference_loss(chosen_logps, rejected_logps, ref_chosen, ref_rejected,
                                  chosen_lengths=lengths[row, c], rejected_lengths=lengths[row, r], beta=self.beta,
                                  loss_types=self.loss_types, loss_weights=self.loss_weights,
                                  label_smoothing=self.label_smoothing, n_pairs=n_pairs,
                                  n_chosen_tokens=n_chosen_tokens, option_logits=choice_logits,
                                  option_labels=choice_labels, n_items=n_items)
        self._log_metrics(mode, inputs, logits.detach(), token_logps_all.detach(), chosen_logps.detach(),
                          rejected_logps.detach(), ref_chosen, ref_rejected,
                          None if choice_logits is None else (choice_logits.detach(), choice_labels))
        return loss * scale

    def _choice_alone_loss(self, model, inputs, mode, num_items_in_batch=None):
        """loss_type choice alone: the classifier reads one position per item, so only those positions go
        through the LM head (`option_logits_alone`); no answer token's log-probability is computed, and the
        logged metrics are the loss and choice/accuracy (TRL's token metrics need every answer token's
        logits). Same loss and gradients as the general path (tests/test_grouped_dpo.py)."""
        choice_logits, labels = option_logits_alone(model, inputs, self.layer_cache)
        n_items, scale = None, 1
        if num_items_in_batch is not None:
            n_items = num_items_in_batch[2].to(choice_logits.device).clamp(min=1)
            scale = self._loss_scale()
        no_pairs = choice_logits.new_zeros(0)  # no term here reads an answer's log-probability
        loss, _ = preference_loss(no_pairs, no_pairs, None, None, chosen_lengths=no_pairs, rejected_lengths=no_pairs,
                                  beta=self.beta, loss_types=self.loss_types, loss_weights=self.loss_weights,
                                  label_smoothing=self.label_smoothing, option_logits=choice_logits,
                                  option_labels=labels, n_items=n_items)
        self._log_metrics(mode, inputs, None, None, None, None, None, None, (choice_logits.detach(), labels))
        return loss * scale

    def _log_metrics(self, mode, inputs, logits, token_logps_all, chosen_logps, rejected_logps,
                     ref_chosen, ref_rejected, choice=None):
        """TRL's metrics. Token metrics weight each answer by the number of pairs it is in, since TRL
        sees the chosen answer once per pair: the values equal TRL's on the same pairs. Every value is
        a sum over the pairs (or weighted answer tokens) of all processes divided by their count, in
        one reduction, so processes holding different numbers of pairs log what one process would.
        With loss_type choice alone, no answer token's logits are computed (`_choice_alone_loss`) and
        only choice/accuracy is logged, on every process alike (so their reductions match)."""
        pairs = torch.ones_like(inputs["pair_row"], dtype=torch.float32).sum()
        parts = {}  # name -> (sum, count)
        if self.loss_types != ["choice"]:
            parts.update(self._token_metrics(inputs, logits, token_logps_all))
            if ref_chosen is not None:  # TRL's reward metrics (there is no reference with loss_type sft alone)
                chosen_rewards = self.beta * (chosen_logps - ref_chosen.detach())
                rejected_rewards = self.beta * (rejected_logps - ref_rejected.detach())
                parts.update({"rewards/chosen": (chosen_rewards.sum(), pairs),
                              "rewards/rejected": (rejected_rewards.sum(), pairs),
                              "rewards/accuracies": ((chosen_rewards > rejected_rewards).float().sum(), pairs),
                              "rewards/margins": ((chosen_rewards - rejected_rewards).sum(), pairs)})
            parts["logps/chosen"] = (chosen_logps.sum(), pairs)
            if self.data_collator.answers == "all":  # else no rejected answer was packed
                parts.update({"logps/rejected": (rejected_logps.sum(), pairs),
                              # The grader's own pairwise accuracy: the policy ranks the TA's answer above the other one.
                              "logps/accuracies": ((chosen_logps > rejected_logps).float().sum(), pairs)})
        if choice is not None:  # the classifier's accuracy: the TA's letter is the likeliest of the options
            choice_logits, labels = choice
            parts["choice/accuracy"] = ((choice_logits.argmax(-1) == labels).float().sum(),
                                        torch.tensor(float(labels.numel()), device=labels.device))
        values = torch.stack([torch.stack([total.float(), count.float()]) for total, count in parts.values()]
                             + [torch.stack([inputs["token_count"].sum().float(), pairs])])
        if self.args.world_size > 1:
            values = self.accelerator.reduce(values, reduction="sum")
        values = values.tolist()
        metrics = self._metrics[mode]
        for name, (total, count) in zip(parts, values):
            if count > 0:  # nothing to average (e.g. no item with letters in the step): no point in the curve
                metrics[name].append(total / count)
        if mode == "train":
            self._total_train_tokens += int(values[-1][0]) // self._tp_size
        metrics["num_tokens"] = [self._total_train_tokens]

    @staticmethod
    def _token_metrics(inputs, logits, token_logps_all) -> dict[str, tuple[torch.Tensor, torch.Tensor]]:
        """TRL's entropy, mean logits and token accuracy over the answer tokens, each answer weighted by the
        pairs it is chosen (or rejected) in: name -> (sum, count)."""
        row, c, r = inputs["pair_row"], inputs["pair_chosen"], inputs["pair_rejected"]
        n_slots = inputs["answer_item"].shape[1]
        ones = torch.ones_like(row, dtype=torch.float32)
        as_chosen = torch.zeros(inputs["answer_item"].numel(), device=row.device).index_add_(
            0, row * n_slots + c, ones).view_as(inputs["answer_item"])
        as_rejected = torch.zeros_like(as_chosen).view(-1).index_add_(
            0, row * n_slots + r, ones).view_as(inputs["answer_item"])
        slot = inputs["answer_index"].clamp(min=0)
        valid = (inputs["answer_index"] >= 0).float()
        w_chosen, w_rejected = as_chosen.gather(1, slot) * valid, as_rejected.gather(1, slot) * valid
        w_all = w_chosen + w_rejected
        entropy = -(token_logps_all.exp() * token_logps_all).sum(-1)
        mean_logits = logits.float().mean(-1)
        is_top1 = (logits.argmax(-1) == inputs["target_ids"]).float()
        return {"entropy": ((entropy * w_all).sum(), w_all.sum()),
                "logits/chosen": ((mean_logits * w_chosen).sum(), w_chosen.sum()),
                "logits/rejected": ((mean_logits * w_rejected).sum(), w_rejected.sum()),
                "mean_token_accuracy": ((is_top1 * w_chosen).sum(), w_chosen.sum())}

    def prediction_step(self, model, inputs, prediction_loss_only, ignore_keys=None):
        """Evaluation: the batch's loss normalized over the pairs of all processes' batches of this step, so
        Trainer's mean over the processes is the mean over every pair of the step, as with one process."""
        inputs = self._prepare_inputs(inputs)
        counts = self._across_processes(self._batch_counts(inputs))
        with torch.no_grad(), self.compute_loss_context_manager():
            loss = self.compute_loss(model, inputs, num_items_in_batch=counts)
        return loss.detach(), None, None
