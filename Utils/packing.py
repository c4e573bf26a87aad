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

Scoring goes one step further: all students of a lab share the system prompt and the problem
statement. `encode_prefix` runs that shared start once and keeps its keys and values; each
student's tree is then packed without it (`cached_length`) and attends to the cache.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass

import torch

from Utils.prompts import common_prefix_length


@dataclass
class PackedGroup:
    input_ids: list[int]
    position_ids: list[int]
    prefix_length: int  # tokens of the shared prefix in this sequence (after the cached ones)
    item_spans: list[tuple[int, int]]  # [start, end) of each item's prompt after the shared prefix
    answer_spans: list[list[tuple[int, int]]]  # per item, [start, end) of each answer
    cached_length: int = 0  # prompt tokens left out because a KV cache (`encode_prefix`) holds them


def shared_prefix_length(prompts_ids: list[list[int]]) -> int:
    """Tokens every prompt starts with, leaving at least one token of each prompt its own."""
    prefix = min(common_prefix_length(prompts_ids[0], p) for p in prompts_ids)
    return min([prefix] + [len(p) - 1 for p in prompts_ids])


def first_token_split(answers_ids: list[list[int]]) -> tuple[list[int], list[int]] | None:
    """(the tokens every answer starts with, each answer's next token), or None when two answers
    share that token too (then only the full answers tell them apart)."""
    prefix = 0
    while all(len(a) > prefix + 1 for a in answers_ids) and len({a[prefix] for a in answers_ids}) == 1:
        prefix += 1
    distinct = [a[prefix] for a in answers_ids if len(a) > prefix]
    if len(distinct) != len(answers_ids) or len(set(distinct)) != len(distinct):
        return None
    return answers_ids[0][:prefix], distinct


def pack_group(prompts_ids: list[list[int]], answers_ids: list[list[list[int]]],
               cached_length: int = 0) -> PackedGroup:
    """Pack items (prompt ids, answers' ids) that may share a prompt prefix into one sequence.

    With `cached_length`, the first tokens of every prompt are already in a KV cache (the same
    tokens for all: checked), so the sequence starts after them and its positions continue theirs.
    """
    if not prompts_ids or len(prompts_ids) != len(answers_ids):
        raise ValueError("need one list of answers per prompt, and at least one prompt")
    if any(not p for p in prompts_ids) or any(not a for answers in answers_ids for a in answers):
        raise ValueError("prompts and answers need at least one token each")
    # Keep at least one token of each item's own prompt when items differ, so every item has a
    # last prompt token of its own; one item alone shares nothing.
    prefix = shared_prefix_length(prompts_ids) if len(prompts_ids) > 1 else len(prompts_ids[0])
    if cached_length:
        if any(len(p) <= cached_length or p[:cached_length] != prompts_ids[0][:cached_length] for p in prompts_ids):
            raise ValueError(f"cached_length {cached_length}: every prompt must start with the same "
                             f"{cached_length} tokens and go on after them")
        prefix = max(prefix, cached_length)
    input_ids, position_ids = list(prompts_ids[0][cached_length:prefix]), list(range(cached_length, prefix))
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
    return PackedGroup(input_ids, position_ids, prefix - cached_length, item_spans, answer_spans, cached_length)


def pack_item(prompt_ids: list[int], answers_ids: list[list[int]]) -> PackedGroup:
    return pack_group([prompt_ids], [answers_ids])


def collate_packed(groups: list[PackedGroup], pad_token_id: int) -> dict[str, torch.Tensor]:
    """Pad packed groups into a batch. Groups may hold different numbers of items and answers.

    Returns input_ids and position_ids [B, L]; `row_length` [B] (each row's real tokens); `allowed` [B, L, C + L] (True where a query may
    attend to a key; the first C = cached_length keys are the cached prefix, which every query
    sees, so all groups of a batch must share one `cached_length`); for every answer token
    [B, T]: the position whose logits predict it (`logit_positions`), the token (`target_ids`) and its answer's slot in the row
    (`answer_index`, -1 for padding); and per answer slot [B, A]: its item (`answer_item`) and its
    option number within the item (`answer_option`), -1 for padding.
    """
    cached = {g.cached_length for g in groups}
    if len(cached) > 1:
        raise ValueError(f"groups of one batch must share one cached prefix; got cached_length {sorted(cached)}")
    c = cached.pop()
    length = max(len(g.input_ids) for g in groups)
    n_targets = max(sum(e - s for spans in g.answer_spans for s, e in spans) for g in groups)
    n_answers = max(sum(len(spans) for spans in g.answer_spans) for g in groups)
    batch = len(groups)
    input_ids = torch.full((batch, length), pad_token_id, dtype=torch.long)
    position_ids = torch.zeros((batch, length), dtype=torch.long)
    allowed = torch.zeros((batch, length, c + length), dtype=torch.bool)
    allowed[:, :, :c] = True
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
        own = allowed[b, :, c:]  # a view: the keys of this sequence, after the cached ones
        own[:p, :p] = causal[:p, :p]
        t = slot = 0
        for i, ((s, e), spans) in enumerate(zip(g.item_spans, g.answer_spans)):
            own[s:e, :p] = True
            own[s:e, s:e] = causal[: e - s, : e - s]
            last_prompt_token = e - 1 if e > s else p - 1
            for k, (start, end) in enumerate(spans):
                span = end - start
                own[start:end, :p] = True
                own[start:end, s:e] = True
                own[start:end, start:end] = causal[:span, :span]
                # Token j of an answer is predicted by the logits of the token before it: the
                # item's last prompt token for j = 0, else the previous answer token.
                logit_positions[b, t:t + span] = torch.tensor([last_prompt_token] + list(range(start, end - 1)))
                target_ids[b, t:t + span] = torch.tensor(g.input_ids[start:end])
                answer_index[b, t:t + span] = slot
                answer_item[b, slot], answer_option[b, slot] = i, k
                t += span
                slot += 1
        # Padding rows attend to themselves (and any cached prefix), so no softmax row is empty (no NaN).
        pad = torch.arange(n, length)
        own[pad, pad] = True
    return {"input_ids": input_ids, "position_ids": position_ids, "allowed": allowed,
            "row_length": torch.tensor([len(g.input_ids) for g in groups], dtype=torch.long),
            "logit_positions": logit_positions, "target_ids": target_ids, "answer_index": answer_index,
            "answer_item": answer_item, "answer_option": answer_option}


def additive_mask(allowed: torch.Tensor, dtype: torch.dtype) -> torch.Tensor:
    """[B, L, K] bool -> [B, 1, L, K] additive float mask, the form eager and SDPA attention both take."""
    mask = torch.zeros(allowed.shape, dtype=dtype, device=allowed.device)
    mask.masked_fill_(~allowed, torch.finfo(dtype).min)
    return mask[:, None]


def attention_masks(model, batch: dict[str, torch.Tensor], dtype: torch.dtype):
    """The additive mask for `batch`, or, for a model with sliding-window layers (Gemma 2 and 3), one
    mask per layer type: transformers uses a 4D mask as is in every layer, so the window has to be in
    it. A sliding layer's query at position q sees an allowed key at position k only if q - k < window,
    positions being the branch's (`position_ids`) and 0..C-1 for the C cached prefix tokens, exactly
    as in a separate forward pass over prompt + answer."""
    mask = additive_mask(batch["allowed"], dtype)
    config = getattr(getattr(model, "module", model), "config", None)
    window = getattr(config, "sliding_window", None)
    if not window or "sliding_attention" not in (getattr(config, "layer_types", None) or ()):
        return mask
    positions = batch["position_ids"]
    cached = batch["allowed"].shape[-1] - positions.shape[1]
    keys = torch.cat([torch.arange(cached, device=positions.device).expand(positions.shape[0], -1), positions], 1)
    near = (positions[:, :, None] - keys[:, None, :]) < window
    return {"full_attention": mask, "sliding_attention": additive_mask(batch["allowed"] & near, dtype)}


@dataclass
class PrefixCache:
    """Keys and values of a prompt start that many packed sequences share (`encode_prefix`)."""

    ids: list[int]
    layers: list[tuple[torch.Tensor, torch.Tensor]]  # per layer: keys, values [1, heads, len(ids), head_dim]

    def for_batch(self, batch_size: int):
        """A fresh cache for one forward pass over `batch_size` rows: the pass appends its own keys
        and values to the cache it gets, so the prefix's tensors are shared (expanded), not reused."""
        from transformers import DynamicCache

        # Plain (full-attention) layers: the 4D mask alone says what each position sees, as in an
        # uncached packed pass.
        return DynamicCache([(k.expand(batch_size, -1, -1, -1), v.expand(batch_size, -1, -1, -1))
                             for k, v in self.layers])


def encode_prefix(model, prefix_ids: list[int]) -> PrefixCache:
    """Run a shared prompt start once (no logits needed) and keep its keys and values."""
    from transformers import DynamicCache

    device = next(model.parameters()).device
    # A plain cache keeps every layer's keys: the model's own would keep only the last window of a
    # sliding-window layer (Gemma), and the packed pass masks per layer itself (`attention_masks`).
    out = model(input_ids=torch.tensor([prefix_ids], device=device), use_cache=True, logits_to_keep=1,
                past_key_values=DynamicCache())
    return PrefixCache(list(prefix_ids), [(k, v) for k, v, *_ in out.past_key_values])


def answer_logits(model, batch: dict[str, torch.Tensor], prefix: PrefixCache | None = None,
                  layer_cache=None) -> torch.Tensor:
    """The logits that predict every answer token, [B, T, V] (rows at padding are arbitrary), from one
    forward pass in which only the positions predicting an answer token go through the LM head.
    With `prefix`, the batch was packed with `cached_length=len(prefix.ids)` and attends to it. With
    `layer_cache` (`Utils.layer_cache.FrozenLayerCache`), the frozen lower layers' output for rows
    seen before is taken from it and only the layers above run."""
    return _logits_at(model, batch, batch["logit_positions"], batch["answer_index"] >= 0, prefix, layer_cache)


def last_answer_logits(model, batch: dict[str, torch.Tensor], prefix: PrefixCache | None = None,
                       layer_cache=None) -> torch.Tensor:
    """[B, A, V]: per answer slot, the logits that predict its answer's LAST token (rows of empty slots
    are arbitrary). Only those positions go through the LM head: first-token scoring packs each item's
    answer start plus one token and reads one position per item, where `answer_logits` runs the head
    at every answer token of the batch (SmolLM2's head is a 49,152-word product: the profile of a
    first-token pass lost about 2.5% of its time, the same scores to the last bit)."""
    index = batch["answer_index"]
    t = torch.arange(index.shape[1], device=index.device).expand_as(index)
    last = torch.zeros(batch["answer_item"].shape, dtype=torch.long, device=index.device)
    last = last.scatter_reduce(1, index.clamp(min=0), torch.where(index >= 0, t, 0), reduce="amax")
    positions = batch["logit_positions"].gather(1, last)
    return _logits_at(model, batch, positions, batch["answer_item"] >= 0, prefix, layer_cache)


@contextlib.contextmanager
def last_layer_only_at(model, positions: torch.Tensor):
    """While open, the last decoder layer's attention output projection and MLP run only at `positions`
    (sorted sequence indices, [N], the same for every row) and give zeros elsewhere.

    Nothing reads the last layer's output but the final norm and the LM head, and `_forward_at` keeps
    the logits at `positions` only: the rest of that layer's work was thrown away. Its keys and values
    still come from every position (they are computed before these two). Exact: the same products on
    the same rows. SmolLM2-135M scoring a lab: about 2% of the work (the MLP of 1 layer in 30, 75% of a
    layer's products), inside the spread of whole-lab runs; a later training pass of the top 4 layers:
    0.34-0.38 s a student against 0.39-0.40 (bench/results/README.md). Off under gradient checkpointing,
    whose recomputation in the backward pass would run the whole layer."""
    from Utils.layer_cache import decoder_layers

    if _checkpointing(model):
        yield
        return
    layer = decoder_layers(model)[-1]
    targets = [module for module in (getattr(getattr(layer, "self_attn", None), "o_proj", None),
                                     getattr(layer, "mlp", None)) if module is not None]
    lengths: list[int] = []

    def take(_module, args):
        x = args[0] if args else None
        if not isinstance(x, torch.Tensor) or x.dim() != 3:
            lengths.append(-1)  # called some other way: run as it is
            return None
        lengths.append(x.shape[1])
        return (x.index_select(1, positions), *args[1:])

    def spread(_module, _args, output):
        length = lengths.pop()
        if length < 0:
            return None
        full = output.new_zeros((output.shape[0], length, output.shape[2]))
        return full.index_copy(1, positions, output)

    handles = [h for module in targets
               for h in (module.register_forward_pre_hook(take), module.register_forward_hook(spread))]
    try:
        yield
    finally:
        for handle in handles:
            handle.remove()


def _checkpointing(model) -> bool:
    """Whether the model recomputes activations in the backward pass (transformers names the flag
    `is_activation_checkpointing` from 5.x on, `is_gradient_checkpointing` before)."""
    from Utils.layer_cache import base_model

    base = base_model(model)
    name = "is_activation_checkpointing" if hasattr(type(base), "is_activation_checkpointing") else "is_gradient_checkpointing"
    return bool(getattr(base, name, False))


def _logits_at(model, batch: dict[str, torch.Tensor], positions: torch.Tensor, valid: torch.Tensor,
               prefix: PrefixCache | None = None, layer_cache=None) -> torch.Tensor:
    """One forward pass over the batch; the logits at `positions` [B, N] (where `valid`; elsewhere
    arbitrary), [B, N, V]. The LM head runs only at the positions some row asks for."""
    needed = torch.unique(positions[valid])  # sorted; the LM head runs only here
    logits = _forward_at(model, batch, needed, prefix, layer_cache)  # [B, len(needed), V]
    where = torch.searchsorted(needed, positions).clamp(max=needed.numel() - 1)
    return logits.gather(1, where[..., None].expand(-1, -1, logits.shape[-1]))


def logits_at_items(model, batch: dict[str, torch.Tensor], rows: torch.Tensor, positions: torch.Tensor,
                    prefix: PrefixCache | None = None, layer_cache=None) -> torch.Tensor:
    """[I, V]: the logits at sequence position `positions[i]` of batch row `rows[i]`, from one forward
    pass in which the LM head (and the last layer's output projection and MLP) run only at those
    sequence positions, in every row of the batch (B x the distinct positions). For a loss that reads
    one position per item (the choice term): `answer_logits` would run the head at every answer token
    and give [B, T, V]."""
    if positions.numel() == 0:
        raise ValueError("logits_at_items: no position to read")
    needed = torch.unique(positions)
    logits = _forward_at(model, batch, needed, prefix, layer_cache)
    return logits[rows, torch.searchsorted(needed, positions)]


def _forward_at(model, batch: dict[str, torch.Tensor], needed: torch.Tensor, prefix: PrefixCache | None = None,
                layer_cache=None) -> torch.Tensor:
    """One forward pass over the batch; the logits at the sorted sequence positions `needed` of every
    row, [B, len(needed), V]."""
    dtype = getattr(model, "module", model).get_input_embeddings().weight.dtype  # .module: under DDP
    if not dtype.is_floating_point:
        dtype = torch.float32
    batch_size, length = batch["input_ids"].shape
    cached = batch["allowed"].shape[-1] - length
    if cached != (len(prefix.ids) if prefix is not None else 0):
        raise ValueError(f"the batch was packed after {cached} cached tokens, but the prefix cache holds "
                         f"{len(prefix.ids) if prefix is not None else 0}")
    masks = attention_masks(model, batch, dtype)
    common = dict(position_ids=batch["position_ids"], attention_mask=masks, logits_to_keep=needed)
    past = prefix.for_batch(batch_size) if prefix is not None else None  # the layers above a cache read it too
    if layer_cache is None:
        with last_layer_only_at(model, needed):
            out = model(input_ids=batch["input_ids"], past_key_values=past, use_cache=past is not None, **common)
    else:
        from Utils.layer_cache import only_layers

        states = layer_cache.states(model, batch, masks, prefix)
        shared = _shared_start_above(model, layer_cache, batch, needed) if prefix is None else 0
        if shared:
            return _top_layers_after_start(model, layer_cache.start, batch, states, masks, needed, shared)
        with only_layers(model, layer_cache.start), last_layer_only_at(model, needed):
            out = model(inputs_embeds=states, past_key_values=past, use_cache=past is not None, **common)
    return out.logits


def _shared_start_above(model, layer_cache, batch: dict[str, torch.Tensor], needed: torch.Tensor) -> int:
    """The start the rows share (`Utils.layer_cache.shared_start`) that the layers above the cache can run
    once for the whole batch: not with several processes (DDP/FSDP: the pass would bypass the wrapper's
    forward) or under gradient checkpointing (which turns the cache the rows read off), and only before
    every read position."""
    from Utils.layer_cache import shared_start

    distributed = torch.distributed.is_available() and torch.distributed.is_initialized()
    if hasattr(model, "module") or distributed or _checkpointing(model) or needed.numel() == 0:
        return 0
    shared = shared_start(batch, layer_cache.MIN_SHARED_PREFIX)
    return shared if shared and int(needed.min()) >= shared else 0


def _top_layers_after_start(model, start: int, batch: dict[str, torch.Tensor], states: torch.Tensor, masks,
                            needed: torch.Tensor, shared: int) -> torch.Tensor:
    """The layers from `start` up, with the first `shared` tokens every row starts with run once (one row,
    gradients flowing) and each row's rest attending to their keys and values; the logits at `needed`
    (all after the shared tokens), [B, len(needed), V]. The same as one pass over the whole rows: the
    shared tokens see only each other, so their keys and values are the same in every row."""
    from transformers import DynamicCache

    from Utils.layer_cache import base_model, only_layers, rows_after

    start_cache = DynamicCache()  # plain layers: every key kept
    with only_layers(model, start):
        base_model(model).get_decoder()(inputs_embeds=states[:1, :shared], position_ids=batch["position_ids"][:1, :shared],
                                        past_key_values=start_cache, use_cache=True)
    rows = batch["input_ids"].shape[0]
    past = DynamicCache()
    for layer in range(start, len(start_cache.layers)):
        keys, values = start_cache.layers[layer].keys, start_cache.layers[layer].values
        past.update(keys.expand(rows, -1, -1, -1), values.expand(rows, -1, -1, -1), layer)
    after = needed - shared
    with only_layers(model, start), last_layer_only_at(model, after):
        out = model(inputs_embeds=states[:, shared:], position_ids=batch["position_ids"][:, shared:],
                    attention_mask=rows_after(masks, shared), past_key_values=past, use_cache=True, logits_to_keep=after)
    return out.logits


def token_logprobs(logits: torch.Tensor, batch: dict[str, torch.Tensor]) -> tuple[torch.Tensor, torch.Tensor]:
    """(log-probability of every answer token [B, T], 0 at padding; the full log-softmax [B, T, V])."""
    logps_all = torch.log_softmax(logits.float(), dim=-1)
    picked = logps_all.gather(-1, batch["target_ids"][..., None]).squeeze(-1)
    return picked * (batch["answer_index"] >= 0), logps_all


def sum_per_answer(token_values: torch.Tensor, batch: dict[str, torch.Tensor]) -> torch.Tensor:
    """Per-token values [B, T] summed over each answer slot -> [B, A] (0 at padding slots)."""
    sums = torch.zeros(batch["answer_item"].shape, dtype=token_values.dtype, device=token_values.device)
    return sums.scatter_add(1, batch["answer_index"].clamp(min=0), token_values * (batch["answer_index"] >= 0))


def answer_logprobs(model, batch: dict[str, torch.Tensor], prefix: PrefixCache | None = None,
                    layer_cache=None) -> torch.Tensor:
    """Summed log-probability of each answer slot, [B, A] (0 at padding slots; see `answer_item`)."""
    return sum_per_answer(token_logprobs(answer_logits(model, batch, prefix, layer_cache), batch)[0], batch)
