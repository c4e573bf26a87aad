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
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass, field
from typing import Any

import torch
from accelerate.utils import is_peft_model, tqdm
from datasets import Dataset
from torch.utils.data import DataLoader
from transformers import PreTrainedTokenizerBase
from transformers.data.data_collator import DataCollatorMixin
from trl import DPOConfig, DPOTrainer
from trl.models.utils import disable_gradient_checkpointing
from trl.trainer.utils import use_adapter

from Utils.items import Item
from Utils.loss import check_loss_options, needs_reference, preference_loss
from Utils.packing import answer_logits, collate_packed, pack_group, sum_per_answer, token_logprobs
from Utils.pairs import group_items
from Utils.prompts import TokenizedItem, tokenize_items

GROUP_BY = ("item", "student")
DEFAULT_GROUP_BY = "student"  # chosen by bench/bench_training.py (see bench/results.md)
GROUPED_COLUMNS = ["prompts_ids", "answers_ids", "pairs", "ref_answer_logps"]  # what the collator reads


@dataclass
class GroupedDPOConfig(DPOConfig):
    """`DPOConfig` plus how rows are grouped into one packed sequence."""

    group_by: str = field(default=DEFAULT_GROUP_BY, metadata={
        "help": "Pack one sequence per 'item' (a prompt and all its rating answers) or per 'student' (all of "
                "one student's items of a lab, statement and code once). One group is one unit of the batch size."})


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

    `items` come from `Utils.pairs.group_items` (with the row indices of their pairs, `rows`),
    `tokenized` from `Utils.prompts.tokenize_items` (each prompt fitted to max_length once).
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
    (only the student's code is shortened); every problem is raised at once."""
    grouped = group_items(rows, source)
    tokenized = tokenize_items(tokenizer, grouped.items, max_length, supports_system)
    problems = [f"{source}: rows {[r + 1 for r in rows_]} ({'/'.join(item.key)}): {tok.error}"
                for item, rows_, tok in zip(grouped.items, grouped.rows, tokenized) if tok.error]
    if problems:
        raise ValueError(f"{len(problems)} prompt(s) do not fit max_length={max_length} even with the student's "
                         "code removed:\n  " + "\n  ".join(problems))
    return grouped_dataset(grouped.items, grouped.rows, tokenized, group_by)


# --------------------------------------------------------------------------- collator


@dataclass
class DataCollatorForGroupedPreference(DataCollatorMixin):
    """Grouped rows -> one packed sequence per group (`Utils.packing.collate_packed`) plus the pairs.

    Adds `pair_row`, `pair_chosen`, `pair_rejected` [P] (a pair's row and its answer slots in the
    [B, A] answer log-probabilities), `token_count` [B] (real tokens per row) and, when the rows
    carry precomputed reference log-probabilities, `ref_answer_logps` [B, A].
    """

    pad_token_id: int
    return_tensors: str = "pt"

    def torch_call(self, examples: list[dict[str, Any]]) -> dict[str, torch.Tensor]:
        groups = [pack_group(e["prompts_ids"], e["answers_ids"]) for e in examples]
        batch = collate_packed(groups, self.pad_token_id)
        pairs = [(b, c, r) for b, e in enumerate(examples) for c, r in e["pairs"]]
        batch["pair_row"], batch["pair_chosen"], batch["pair_rejected"] = torch.tensor(pairs).T.contiguous()
        batch["token_count"] = torch.tensor([len(g.input_ids) for g in groups])
        if "ref_answer_logps" in examples[0]:
            ref = torch.zeros(batch["answer_item"].shape, dtype=torch.float32)
            for b, e in enumerate(examples):
                ref[b, :len(e["ref_answer_logps"])] = torch.tensor(e["ref_answer_logps"])
            batch["ref_answer_logps"] = ref
        return batch


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
    its middle to fit (`Utils.prompts.tokenize_within`), never truncated or dropped; the number of
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
        if data_collator is None:
            data_collator = DataCollatorForGroupedPreference(pad_token_id=processing_class.pad_token_id)
        loss_types = args.loss_type if isinstance(args.loss_type, list) else [args.loss_type]
        if not needs_reference(loss_types) and ref_model is None and not is_peft_model(model) and peft_config is None:
            # No loss term needs a reference (loss_type sft alone): keep TRL from loading a copy of the model
            # as one; with precompute on, it loads none, and `_precompute_ref_logps` computes nothing.
            args.precompute_ref_log_probs = True
        super().__init__(model, ref_model=ref_model, args=args, data_collator=data_collator,
                         train_dataset=train_dataset, eval_dataset=eval_dataset, processing_class=processing_class,
                         callbacks=callbacks, optimizers=optimizers, quantization_config=quantization_config,
                         peft_config=peft_config)
        if self.aux_loss_enabled:
            raise ValueError("GroupedDPOTrainer does not compute the MoE router auxiliary loss: set "
                             "router_aux_loss_coef=0 or use the stock DPOTrainer")

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
        self.shortened[dataset_name] = sum(dataset["shortened"])
        return dataset

    def _set_signature_columns_if_needed(self):
        if self._signature_columns is None:
            self._signature_columns = list(GROUPED_COLUMNS)

    # ----------------------------------------------------------------------- reference

    def compute_ref_log_probs(self, model, inputs):
        """Reference log-probability of every answer slot, [B, A] (adapter disabled, or the ref model)."""
        adapter_context = contextlib.nullcontext()
        if self.ref_model is None and is_peft_model(self.model):
            unwrapped = self.accelerator.unwrap_model(self.model)
            adapter_context = use_adapter(unwrapped, adapter_name="ref" if "ref" in unwrapped.peft_config else None)
        with (torch.no_grad(), disable_gradient_checkpointing(self.model, self.args.gradient_checkpointing_kwargs),
              adapter_context, self.accelerator.autocast()):
            return self._answer_logps(model, inputs)[0]

    def _precompute_ref_logps(self, dataset: Dataset, name: str, batch_size: int) -> Dataset:
        if "ref_answer_logps" in dataset.column_names or not needs_reference(self.loss_types):
            return dataset
        loader = self.accelerator.prepare(DataLoader(
            dataset.select_columns(["prompts_ids", "answers_ids", "pairs"]), batch_size=batch_size,
            collate_fn=self.data_collator, num_workers=self.args.dataloader_num_workers, shuffle=False))
        model = self.ref_model or self.model
        values = []
        for batch in tqdm(loader, desc=f"Computing reference log probs for {name} dataset",
                          disable=bool(os.environ.get("TQDM_DISABLE", ""))):
            ref = self.accelerator.gather_for_metrics(self.compute_ref_log_probs(model, batch)).cpu()
            values += ref.tolist()
        # Each row keeps only its own answer slots (a batch pads to its widest row).
        n_answers = [sum(len(a) for a in answers) for answers in dataset["answers_ids"]]
        return dataset.add_column("ref_answer_logps", [v[:n] for v, n in zip(values, n_answers)])

    # ----------------------------------------------------------------------- loss

    @staticmethod
    def _answer_logps(model, inputs):
        """Summed log-probability per answer slot [B, A], and the per-token logits [B, T, V] and log-probs."""
        logits = answer_logits(model, inputs)
        token_logps, token_logps_all = token_logprobs(logits, inputs)
        return sum_per_answer(token_logps, inputs), logits, token_logps_all

    def _compute_loss(self, model, inputs, return_outputs):
        if return_outputs:
            raise ValueError("GroupedDPOTrainer has no per-token logits to return (compute_metrics is not supported)")
        mode = "train" if self.model.training else "eval"
        answer_logps, logits, token_logps_all = self._answer_logps(model, inputs)
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
        loss, _ = preference_loss(chosen_logps, rejected_logps, ref_chosen, ref_rejected,
                                  chosen_lengths=lengths[row, c], rejected_lengths=lengths[row, r], beta=self.beta,
                                  loss_types=self.loss_types, loss_weights=self.loss_weights,
                                  label_smoothing=self.label_smoothing)
        self._log_metrics(mode, inputs, logits.detach(), token_logps_all.detach(), chosen_logps.detach(),
                          rejected_logps.detach(), ref_chosen, ref_rejected)
        return loss

    def _log_metrics(self, mode, inputs, logits, token_logps_all, chosen_logps, rejected_logps,
                     ref_chosen, ref_rejected):
        """TRL's metrics. Token metrics weight each answer by the number of pairs it is in, since TRL
        sees the chosen answer once per pair: the values equal TRL's on the same pairs."""
        gather = self.accelerator.gather_for_metrics
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

        def weighted_mean(values, weights):
            total, count = gather((values * weights).sum()).sum(), gather(weights.sum()).sum()
            return (total / count).item() if count > 0 else 0.0

        entropy = -(token_logps_all.exp() * token_logps_all).sum(-1)
        mean_logits = logits.float().mean(-1)
        is_top1 = (logits.argmax(-1) == inputs["target_ids"]).float()
        metrics = self._metrics[mode]
        metrics["entropy"].append(weighted_mean(entropy, w_all))
        if mode == "train":
            self._total_train_tokens += gather(inputs["token_count"].sum()).sum().item() // self._tp_size
        metrics["num_tokens"] = [self._total_train_tokens]
        metrics["logits/chosen"].append(weighted_mean(mean_logits, w_chosen))
        metrics["logits/rejected"].append(weighted_mean(mean_logits, w_rejected))
        metrics["mean_token_accuracy"].append(weighted_mean(is_top1, w_chosen))
        if ref_chosen is not None:  # TRL's reward metrics (there is no reference with loss_type sft alone)
            chosen_rewards = self.beta * (chosen_logps - ref_chosen.detach())
            rejected_rewards = self.beta * (rejected_logps - ref_rejected.detach())
            metrics["rewards/chosen"].append(gather(chosen_rewards).mean().item())
            metrics["rewards/rejected"].append(gather(rejected_rewards).mean().item())
            metrics["rewards/accuracies"].append(gather((chosen_rewards > rejected_rewards).float()).mean().item())
            metrics["rewards/margins"].append(gather(chosen_rewards - rejected_rewards).mean().item())
        metrics["logps/chosen"].append(gather(chosen_logps).mean().item())
        metrics["logps/rejected"].append(gather(rejected_logps).mean().item())
        # The grader's own pairwise accuracy: the policy ranks the TA's answer above the other one.
        metrics["logps/accuracies"].append(gather((chosen_logps > rejected_logps).float()).mean().item())

    def prediction_step(self, model, inputs, prediction_loss_only, ignore_keys=None):
        inputs = self._prepare_inputs(inputs)
        with torch.no_grad(), self.compute_loss_context_manager():
            loss = self.compute_loss(model, inputs)
        return loss.detach(), None, None
