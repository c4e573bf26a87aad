"""Shared-prefix packing: the forward pass behind grouped DPO training and scoring.

An item's prompt (statement + code: nearly all the tokens) is shared by every rating's
answer, and one student's items (one per criterion) share the statement and code too. Instead
of running prompt+answer once per rating, a group of items is laid out as a tree in one
sequence:

    [ shared prefix | item 1 rest | ans A | ans B | item 2 rest | ans A | ans B | ans C ]

Position ids continue each branch from where its parent ends, and a 4D attention mask lets a
token see only its ancestors: an item's rest sees the shared prefix; an answer sees the prefix,
its item's rest and the earlier tokens of itself. Each answer's log-probability then equals a
separate forward pass over prompt+answer, and only the positions that predict an answer token
go through the LM head. With one item per group this is plain per-item packing.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch

from Utils.prompts import common_prefix_length


@dataclass
class PackedGroup:
    input_ids: list[int]
    position_ids: list[int]
    prefix_length: int
    item_spans: list[tuple[int, int]]  # [start, end) of each item's prompt after the shared prefix
    answer_spans: list[list[tuple[int, int]]]  # per item, [start, end) of each answer


def pack_group(prompts_ids: list[list[int]], answers_ids: list[list[list[int]]]) -> PackedGroup:
    """Pack items (prompt ids, answers' ids) that may share a prompt prefix into one sequence."""
    if not prompts_ids or len(prompts_ids) != len(answers_ids):
        raise ValueError("need one list of answers per prompt, and at least one prompt")
    if any(not p for p in prompts_ids) or any(not a for answers in answers_ids for a in answers):
        raise ValueError("prompts and answers need at least one token each")
    prefix = min(common_prefix_length(prompts_ids[0], p) for p in prompts_ids)
    # Keep at least one token of each item's own prompt when items differ, so every item has a
    # last prompt token of its own; one item alone shares nothing.
    if len(prompts_ids) > 1:
        prefix = min([prefix] + [len(p) - 1 for p in prompts_ids])
    else:
        prefix = len(prompts_ids[0])
    input_ids, position_ids = list(prompts_ids[0][:prefix]), list(range(prefix))
    item_spans, answer_spans = [], []
    for prompt, answers in zip(prompts_ids, answers_ids):
        rest = prompt[prefix:]
        item_spans.append((len(input_ids), len(input_ids) + len(rest)))
        input_ids.extend(rest)
        position_ids.extend(range(prefix, len(prompt)))
        spans = []
        for answer in answers:
            spans.append((len(input_ids), len(input_ids) + len(answer)))
            input_ids.extend(answer)
            position_ids.extend(range(len(prompt), len(prompt) + len(answer)))
        answer_spans.append(spans)
    return PackedGroup(input_ids, position_ids, prefix, item_spans, answer_spans)


def pack_item(prompt_ids: list[int], answers_ids: list[list[int]]) -> PackedGroup:
    return pack_group([prompt_ids], [answers_ids])


def collate_packed(groups: list[PackedGroup], pad_token_id: int) -> dict[str, torch.Tensor]:
    """Pad packed groups into a batch. Groups may hold different numbers of items and answers.

    Returns input_ids and position_ids [B, L]; `allowed` [B, L, L] (True where a query may attend
    to a key); for every answer token [B, T]: the position whose logits predict it
    (`logit_positions`), the token (`target_ids`) and its answer's slot in the row
    (`answer_index`, -1 for padding); and per answer slot [B, A]: its item (`answer_item`) and its
    option number within the item (`answer_option`), -1 for padding.
    """
    length = max(len(g.input_ids) for g in groups)
    n_targets = max(sum(e - s for spans in g.answer_spans for s, e in spans) for g in groups)
    n_answers = max(sum(len(spans) for spans in g.answer_spans) for g in groups)
    batch = len(groups)
    input_ids = torch.full((batch, length), pad_token_id, dtype=torch.long)
    position_ids = torch.zeros((batch, length), dtype=torch.long)
    allowed = torch.zeros((batch, length, length), dtype=torch.bool)
    logit_positions = torch.zeros((batch, n_targets), dtype=torch.long)
    target_ids = torch.full((batch, n_targets), pad_token_id, dtype=torch.long)
    answer_index = torch.full((batch, n_targets), -1, dtype=torch.long)
    answer_item = torch.full((batch, n_answers), -1, dtype=torch.long)
    answer_option = torch.full((batch, n_answers), -1, dtype=torch.long)
    causal = torch.ones((length, length), dtype=torch.bool).tril()
    for b, g in enumerate(groups):
        n, p = len(g.input_ids), g.prefix_length
        input_ids[b, :n] = torch.tensor(g.input_ids)
        position_ids[b, :n] = torch.tensor(g.position_ids)
        allowed[b, :p, :p] = causal[:p, :p]
        t = slot = 0
        for i, ((s, e), spans) in enumerate(zip(g.item_spans, g.answer_spans)):
            allowed[b, s:e, :p] = True
            allowed[b, s:e, s:e] = causal[: e - s, : e - s]
            last_prompt_token = e - 1 if e > s else p - 1
            for k, (start, end) in enumerate(spans):
                span = end - start
                allowed[b, start:end, :p] = True
                allowed[b, start:end, s:e] = True
                allowed[b, start:end, start:end] = causal[:span, :span]
                # Token j of an answer is predicted by the logits of the token before it: the
                # item's last prompt token for j = 0, else the previous answer token.
                logit_positions[b, t:t + span] = torch.tensor([last_prompt_token] + list(range(start, end - 1)))
                target_ids[b, t:t + span] = torch.tensor(g.input_ids[start:end])
                answer_index[b, t:t + span] = slot
                answer_item[b, slot], answer_option[b, slot] = i, k
                t += span
                slot += 1
        # Padding rows attend to themselves only, so no softmax row is empty (no NaN).
        pad = torch.arange(n, length)
        allowed[b, pad, pad] = True
    return {"input_ids": input_ids, "position_ids": position_ids, "allowed": allowed,
            "logit_positions": logit_positions, "target_ids": target_ids, "answer_index": answer_index,
            "answer_item": answer_item, "answer_option": answer_option}


def additive_mask(allowed: torch.Tensor, dtype: torch.dtype) -> torch.Tensor:
    """[B, L, L] bool -> [B, 1, L, L] additive float mask, the form eager and SDPA attention both take."""
    mask = torch.zeros(allowed.shape, dtype=dtype, device=allowed.device)
    mask.masked_fill_(~allowed, torch.finfo(dtype).min)
    return mask[:, None]


def answer_logits(model, batch: dict[str, torch.Tensor]) -> torch.Tensor:
    """The logits that predict every answer token, [B, T, V] (rows at padding are arbitrary), from one
    forward pass in which only the positions predicting an answer token go through the LM head."""
    dtype = getattr(model, "module", model).get_input_embeddings().weight.dtype  # .module: under DDP
    if not dtype.is_floating_point:
        dtype = torch.float32
    valid = batch["answer_index"] >= 0
    needed = torch.unique(batch["logit_positions"][valid])  # sorted; the LM head runs only here
    out = model(input_ids=batch["input_ids"], position_ids=batch["position_ids"],
                attention_mask=additive_mask(batch["allowed"], dtype), logits_to_keep=needed,
                use_cache=False)
    logits = out.logits  # [B, len(needed), V]
    where = torch.searchsorted(needed, batch["logit_positions"]).clamp(max=needed.numel() - 1)
    return logits.gather(1, where[..., None].expand(-1, -1, logits.shape[-1]))


def answer_token_logprobs(model, batch: dict[str, torch.Tensor]) -> torch.Tensor:
    """Log-probability of every answer token, [B, T] (0 at padding), from one forward pass."""
    picked = answer_logits(model, batch)
    logps = torch.log_softmax(picked.float(), dim=-1).gather(-1, batch["target_ids"][..., None]).squeeze(-1)
    return logps * (batch["answer_index"] >= 0)


def answer_logprobs(model, batch: dict[str, torch.Tensor]) -> torch.Tensor:
    """Summed log-probability of each answer slot, [B, A] (0 at padding slots; see `answer_item`)."""
    token_logps = answer_token_logprobs(model, batch)
    sums = torch.zeros(batch["answer_item"].shape, dtype=token_logps.dtype, device=token_logps.device)
    return sums.scatter_add(1, batch["answer_index"].clamp(min=0), token_logps)
