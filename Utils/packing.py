"""One prompt, all its answers, one sequence: the forward pass behind grouped DPO and scoring.

An item's prompt (statement + code: nearly all the tokens) is shared by every rating's
answer. Instead of running prompt+answer once per rating, the answers are laid out after
one copy of the prompt:

    [ prompt ........ | answer A | answer B | answer C ]
    positions 0..P-1    P..        P..        P..        (each answer restarts after the prompt)

and a 4D attention mask lets each answer token see the prompt and the earlier tokens of its
own answer only. Each answer's log-probability then equals a separate forward pass over
prompt+answer, at the cost of one pass over the prompt. Only the positions that predict an
answer token go through the LM head.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch


@dataclass
class PackedItem:
    input_ids: list[int]
    position_ids: list[int]
    prompt_length: int
    answer_spans: list[tuple[int, int]]  # [start, end) of each answer in input_ids


def pack_item(prompt_ids: list[int], answers_ids: list[list[int]]) -> PackedItem:
    if not prompt_ids:
        raise ValueError("an item needs a non-empty prompt")
    if any(not a for a in answers_ids):
        raise ValueError("every answer needs at least one token")
    input_ids, position_ids, spans = list(prompt_ids), list(range(len(prompt_ids))), []
    for answer in answers_ids:
        spans.append((len(input_ids), len(input_ids) + len(answer)))
        input_ids.extend(answer)
        position_ids.extend(range(len(prompt_ids), len(prompt_ids) + len(answer)))
    return PackedItem(input_ids, position_ids, len(prompt_ids), spans)


def collate_packed(items: list[PackedItem], pad_token_id: int) -> dict[str, torch.Tensor]:
    """Pad packed items into a batch. Items may have different numbers of answers.

    Returns input_ids and position_ids [B, L]; `allowed` [B, L, L] (True where a query may attend
    to a key); and for every answer token: the position whose logits predict it
    (`logit_positions`), the token (`target_ids`) and its answer's index (`answer_index`, -1 for
    padding), each [B, T].
    """
    length = max(len(it.input_ids) for it in items)
    n_targets = max(sum(e - s for s, e in it.answer_spans) for it in items)
    batch = len(items)
    input_ids = torch.full((batch, length), pad_token_id, dtype=torch.long)
    position_ids = torch.zeros((batch, length), dtype=torch.long)
    allowed = torch.zeros((batch, length, length), dtype=torch.bool)
    logit_positions = torch.zeros((batch, n_targets), dtype=torch.long)
    target_ids = torch.full((batch, n_targets), pad_token_id, dtype=torch.long)
    answer_index = torch.full((batch, n_targets), -1, dtype=torch.long)
    causal = torch.ones((length, length), dtype=torch.bool).tril()
    for b, it in enumerate(items):
        n, p = len(it.input_ids), it.prompt_length
        input_ids[b, :n] = torch.tensor(it.input_ids)
        position_ids[b, :n] = torch.tensor(it.position_ids)
        allowed[b, :p, :p] = causal[:p, :p]
        t = 0
        for k, (start, end) in enumerate(it.answer_spans):
            allowed[b, start:end, :p] = True
            allowed[b, start:end, start:end] = causal[: end - start, : end - start]
            span = end - start
            # Token i of the answer is predicted by the logits of the token before it:
            # the prompt's last token for i = 0, else the previous answer token.
            logit_positions[b, t:t + span] = torch.tensor([p - 1] + list(range(start, end - 1)))
            target_ids[b, t:t + span] = torch.tensor(it.input_ids[start:end])
            answer_index[b, t:t + span] = k
            t += span
        # Padding rows attend to themselves only, so no softmax row is empty (no NaN).
        pad = torch.arange(n, length)
        allowed[b, pad, pad] = True
    return {"input_ids": input_ids, "position_ids": position_ids, "allowed": allowed,
            "logit_positions": logit_positions, "target_ids": target_ids, "answer_index": answer_index}


def additive_mask(allowed: torch.Tensor, dtype: torch.dtype) -> torch.Tensor:
    """[B, L, L] bool -> [B, 1, L, L] additive float mask, the form eager and SDPA attention both take."""
    mask = torch.zeros(allowed.shape, dtype=dtype, device=allowed.device)
    mask.masked_fill_(~allowed, torch.finfo(dtype).min)
    return mask[:, None]


def answer_token_logprobs(model, batch: dict[str, torch.Tensor]) -> torch.Tensor:
    """Log-probability of every answer token, [B, T] (0 at padding), from one forward pass."""
    dtype = model.get_input_embeddings().weight.dtype
    if not dtype.is_floating_point:
        dtype = torch.float32
    valid = batch["answer_index"] >= 0
    needed = torch.unique(batch["logit_positions"][valid])  # sorted; the LM head runs only here
    out = model(input_ids=batch["input_ids"], position_ids=batch["position_ids"],
                attention_mask=additive_mask(batch["allowed"], dtype), logits_to_keep=needed,
                use_cache=False)
    logits = out.logits  # [B, len(needed), V]
    where = torch.searchsorted(needed, batch["logit_positions"])
    where = where.clamp(max=needed.numel() - 1)
    picked = logits.gather(1, where[..., None].expand(-1, -1, logits.shape[-1]))
    logps = torch.log_softmax(picked.float(), dim=-1).gather(-1, batch["target_ids"][..., None]).squeeze(-1)
    return logps * valid


def answer_logprobs(model, batch: dict[str, torch.Tensor], n_answers: int | None = None) -> torch.Tensor:
    """Summed log-probability of each answer, [B, K] (K = most answers in the batch; 0 where absent)."""
    token_logps = answer_token_logprobs(model, batch)
    index = batch["answer_index"]
    k = n_answers or int(index.max()) + 1
    sums = torch.zeros(index.shape[0], k, dtype=token_logps.dtype, device=token_logps.device)
    return sums.scatter_add(1, index.clamp(min=0), token_logps)
