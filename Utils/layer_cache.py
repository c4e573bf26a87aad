"""Run a model's frozen lower layers once per training row, not once per epoch.

When only the top decoder layers train (`--trainable_layers N`, full weights or LoRA), the layers
below them and the embeddings never change: what they output for a packed row is the same in every
epoch. `FrozenLayerCache` keeps that output (the hidden state entering the lowest trainable layer,
every token of the row) the first time a row is seen, keyed by the row's tokens and positions, and
every later pass over the row runs only the top layers from it (`only_layers`: the model's own
forward, with `inputs_embeds` = the kept states and only the top layers in its layer list). Losses
and gradients are the same as a pass over the whole model (tests/test_layer_cache.py); a step over
a row seen before costs the top layers only.

The states live in CPU memory (rows x tokens x hidden size x 4 bytes: about 1 GB for 840 students
of SmolLM2-135M) and are moved to the model's device a batch at a time. Rows computed together run
the start they share (the system prompt, a lab's statement) once; up to 256 MB of such starts (their
states, keys and values) are kept on the model's device for later batches.

Evaluation uses the same cache across two models (`shared_lower_layers`): a run that trained only its
top layers has the base model's embeddings and lower layers, weight for weight, so the base model's
scoring pass keeps what those layers output for each packed row (after the lab's cached start, which
is part of the key) and the fine-tuned model's pass runs only its own layers from it.
"""

from __future__ import annotations

import contextlib
import hashlib

import torch


def base_model(model):
    """The transformers model under DDP/FSDP wrappers and PEFT."""
    model = getattr(model, "module", model)
    get_base = getattr(model, "get_base_model", None)
    return get_base() if callable(get_base) else model


def decoder_layers(model) -> torch.nn.ModuleList:
    return base_model(model).get_decoder().layers


def first_trainable_layer(model) -> int:
    """The index of the lowest decoder layer with a trainable parameter (the number of frozen layers
    below it). Raises ValueError when nothing below a trainable layer is frozen, or nothing trains."""
    base = base_model(model)
    if any(p.requires_grad for p in base.get_input_embeddings().parameters()):
        raise ValueError("the input embeddings train, so no layer's output is fixed: nothing to cache")
    layers = decoder_layers(model)
    for i, layer in enumerate(layers):
        if any(p.requires_grad for p in layer.parameters()):
            if i == 0:
                raise ValueError("every decoder layer trains, so no layer's output is fixed: nothing to cache "
                                 "(train only the top layers: --trainable_layers N)")
            return i
    raise ValueError("no decoder layer has a trainable parameter: nothing trains above the cache")


def check_deterministic(model, below: int) -> None:
    """The frozen layers must give the same output each time: no dropout in them (TRL's default
    `disable_dropout` sets every dropout to 0)."""
    config = getattr(base_model(model), "config", None)
    active = [name for name, module in decoder_layers(model)[:below].named_modules()
              if isinstance(module, torch.nn.Dropout) and module.p > 0]
    if getattr(config, "attention_dropout", 0.0) or active:
        raise ValueError("the frozen layers use dropout, so their output changes from pass to pass; set "
                         "--disable_dropout True (the default) to cache them")


def shared_start(batch: dict[str, torch.Tensor], min_length: int) -> int:
    """Tokens that every row of a packed batch (two rows or more, no cached prefix) starts with, at
    positions 0, 1, ... and each seeing all before it (the system prompt, a lab's statement), when
    there are at least `min_length` of them and every row goes on after them; else 0."""
    ids, lengths = batch["input_ids"], batch["row_length"]
    if ids.shape[0] < 2 or batch["allowed"].shape[-1] != ids.shape[1]:
        return 0
    same = (ids == ids[:1]).all(0).long()
    shared = min(int(same.cumprod(0).sum()), int(lengths.min()) - 1)
    if shared < min_length:
        return 0
    causal = torch.ones(shared, shared, dtype=torch.bool, device=ids.device).tril()
    order = torch.arange(shared, device=ids.device)
    if not ((batch["position_ids"][:, :shared] == order).all() and (batch["allowed"][:, :shared, :shared] == causal).all()):
        return 0
    return shared


def rows_after(masks, shared: int):
    """The attention mask(s) of a packed batch for its queries after the first `shared` tokens."""
    return {name: mask[:, :, shared:] for name, mask in masks.items()} if isinstance(masks, dict) else masks[:, :, shared:]


@contextlib.contextmanager
def only_layers(model, start: int, stop: int | None = None):
    """The model's decoder runs only its layers [start:stop] while the block is open. A decoder that
    picks each layer's mask and rotary embedding by its place in the list (Gemma 3: `config.layer_types[i]`
    for the i-th layer it runs) gets the same slice of `layer_types`, so every layer keeps its own kind
    (sliding or full attention, local or global rotary base)."""
    decoder = base_model(model).get_decoder()
    layers = decoder.layers
    config = getattr(decoder, "config", None)
    types = getattr(config, "layer_types", None)
    decoder.layers = torch.nn.ModuleList(list(layers)[start:stop])
    if types is not None:
        config.layer_types = list(types)[start:stop]
    try:
        yield
    finally:
        decoder.layers = layers
        if types is not None:
            config.layer_types = types


def row_key(input_ids: torch.Tensor, position_ids: torch.Tensor) -> bytes:
    """One packed row's identity: its tokens and their positions (the mask follows from the packing)."""
    digest = hashlib.blake2b(digest_size=16)
    digest.update(input_ids.cpu().numpy().tobytes())
    digest.update(position_ids.cpu().numpy().tobytes())
    return digest.digest()


class FrozenLayerCache:
    """The output of a model's frozen layers per packed row (see the module's docstring).

    `states(model, batch, masks, prefix=None)` returns [B, L, H], the hidden state entering layer
    `self.start` for every token of the batch (rows padded as the batch is), running the frozen layers
    only for rows it does not hold (not seen before, or not kept: past `max_bytes`). `batch` is a packed batch (`Utils.packing.collate_packed`) with
    `row_length` [B], each row's real length.
    """

    # Rows computed together that start with this many tokens in common run those tokens once: their
    # output (and keys and values) is kept, up to PREFIX_MAX_BYTES of them, and each row runs only the
    # rest, attending to it (the system prompt every row starts with, a lab's statement).
    MIN_SHARED_PREFIX = 32
    PREFIX_MAX_BYTES = 256 * 1024 ** 2

    def __init__(self, model, start: int | None = None, max_bytes: int | None = None, check: bool = True):
        """`start`: the first layer not cached (default: the lowest trainable layer of `model`);
        `max_bytes`: rows past this much kept memory are computed on every pass instead of kept;
        `check`: refuse lower layers with dropout (off for models that only score, in eval mode)."""
        self.start = first_trainable_layer(model) if start is None else start
        if check:
            check_deterministic(model, self.start)
        self.max_bytes = max_bytes
        self.prefix_bytes = 0
        self.rows: dict[bytes, torch.Tensor] = {}
        self.prefixes: dict[bytes, tuple] = {}  # start's key -> (its PrefixCache of the cached layers, states [1, P, H])
        self.hits = self.misses = 0
        self._bytes = 0

    def check_same_frozen_layers(self, model, other) -> None:
        """Another model that reads this cache (a separate reference model) must have the same frozen
        embeddings and lower layers as `model`, weight for weight."""
        mine, theirs = base_model(model), base_model(other)
        pairs = [(mine.get_input_embeddings(), theirs.get_input_embeddings())]
        pairs += list(zip(decoder_layers(mine)[:self.start], decoder_layers(theirs)[:self.start]))
        for a, b in pairs:
            for (name, p), (_, q) in zip(a.named_parameters(), b.named_parameters()):
                if p.shape != q.shape or not torch.equal(p.detach().cpu(), q.detach().cpu()):
                    raise ValueError(f"the reference model's frozen weights differ from the model's ({name}): "
                                     "their lower layers cannot share one cache")

    @property
    def nbytes(self) -> int:
        """Memory kept: the rows' states (CPU) and the shared starts (the model's device)."""
        return self._bytes + self.prefix_bytes

    def states(self, model, batch: dict[str, torch.Tensor], masks, prefix=None) -> torch.Tensor:
        """[B, L, H]: what enters layer `start` at every token of the batch. With `prefix` (a
        `Utils.packing.PrefixCache`: the batch was packed after its tokens), the rows attend to it."""
        lengths = batch["row_length"].tolist()
        start = row_key(torch.tensor(prefix.ids), torch.arange(len(prefix.ids))) if prefix is not None else b""
        keys = [start + row_key(batch["input_ids"][b, :n], batch["position_ids"][b, :n]) for b, n in enumerate(lengths)]
        missing = [b for b, key in enumerate(keys) if key not in self.rows]
        self.misses += len(missing)
        self.hits += len(keys) - len(missing)
        computed = None
        if missing:
            shared = self._shared_start(batch, missing) if prefix is None else 0
            computed = (self._run_after_start(model, batch, masks, shared) if shared
                        else self._run_frozen(model, batch, masks, prefix))
        for b in missing:
            if keys[b] in self.rows:  # the same row twice in one batch
                continue
            kept = computed[b, :lengths[b]].detach().to("cpu", copy=True)
            size = kept.numel() * kept.element_size()
            if self.max_bytes is None or self._bytes + size <= self.max_bytes:
                self.rows[keys[b]] = kept
                self._bytes += size
        device = batch["input_ids"].device
        out = None
        for b, key in enumerate(keys):
            kept = self.rows[key] if key in self.rows else computed[b, :lengths[b]]
            if out is None:
                out = kept.new_zeros((len(keys), batch["input_ids"].shape[1], kept.shape[-1]), device=device)
            out[b, :lengths[b]] = kept.to(device)
        return out

    def _run_frozen(self, model, batch: dict[str, torch.Tensor], masks, prefix=None, past=None) -> torch.Tensor:
        """The hidden state entering layer `start` for the whole batch: the embeddings and the layers
        below it, without gradients (the model's own forward, its layer list cut at `start`). The rows
        attend to `prefix` (a PrefixCache) if given; `past`: a cache the pass fills."""
        base = base_model(model)
        captured = {}
        last = decoder_layers(model)[self.start - 1]

        def keep(_module, _args, output):
            captured["states"] = output[0] if isinstance(output, tuple) else output

        handle = last.register_forward_hook(keep)
        if past is None and prefix is not None:
            past = prefix.for_batch(batch["input_ids"].shape[0])
        try:
            with torch.no_grad(), only_layers(model, 0, self.start):
                base.get_decoder()(input_ids=batch["input_ids"], position_ids=batch["position_ids"],
                                   attention_mask=masks, past_key_values=past, use_cache=past is not None)
        finally:
            handle.remove()
        return captured["states"]

    def _shared_start(self, batch: dict[str, torch.Tensor], missing: list[int]) -> int:
        """`shared_start` of the batch when all its rows are to be computed, else 0."""
        if len(missing) != batch["input_ids"].shape[0]:
            return 0
        return shared_start(batch, self.MIN_SHARED_PREFIX)

    def _run_after_start(self, model, batch: dict[str, torch.Tensor], masks, shared: int) -> torch.Tensor:
        """What `_run_frozen` gives, with the rows' common first `shared` tokens run once (or read from
        `prefixes`) and each row's rest run after them, attending to their keys and values."""
        from Utils.packing import PrefixCache

        ids = batch["input_ids"][0, :shared]
        key = row_key(ids, batch["position_ids"][0, :shared])
        if key in self.prefixes:
            cache, states = self.prefixes[key]
        else:
            from transformers import DynamicCache

            past = DynamicCache()  # plain layers: every key kept (as `Utils.packing.encode_prefix` does)
            states = self._run_frozen(model, {"input_ids": ids[None], "position_ids": batch["position_ids"][:1, :shared]},
                                      None, past=past).detach()
            cache = PrefixCache(ids.tolist(), [(k, v) for k, v, *_ in past])
            size = sum(t.numel() * t.element_size() for pair in cache.layers for t in pair) + states.numel() * states.element_size()
            if self.prefix_bytes + size <= self.PREFIX_MAX_BYTES:  # else used for this batch only
                self.prefixes[key] = (cache, states)
                self.prefix_bytes += size
        rest = {"input_ids": batch["input_ids"][:, shared:], "position_ids": batch["position_ids"][:, shared:]}
        after = self._run_frozen(model, rest, rows_after(masks, shared), cache)
        return torch.cat([states.to(after.device, after.dtype).expand(after.shape[0], -1, -1), after], dim=1)


# Rows a shared cache keeps at most (float32 states: about 370 tokens a student on SmolLM2-135M makes
# 0.85 MB, so 2 GB hold about 2,500 students); past it, the second model runs those rows whole.
SHARED_MAX_BYTES = 2 * 1024 ** 3


def shared_lower_layers(model, other, max_bytes: int | None = SHARED_MAX_BYTES) -> FrozenLayerCache | None:
    """A cache the two models can both read: they have the same input embeddings and the same first K
    decoder layers, weight for weight (a run that trained only its top layers, and its base model),
    so what those layers output is the same for both; None when they share no layer or every layer
    (nothing to gain), are the same model or share parameter objects, or either is a PEFT model (an
    adapter switched off and on is one set of modules)."""
    if model is other or any(hasattr(getattr(m, "module", m), "peft_config") for m in (model, other)):
        return None
    mine, theirs = base_model(model), base_model(other)
    if {id(p) for p in mine.parameters()} & {id(p) for p in theirs.parameters()}:
        return None
    if not _same_weights(mine.get_input_embeddings(), theirs.get_input_embeddings()):
        return None
    layers, other_layers = decoder_layers(mine), decoder_layers(theirs)
    same = 0
    while same < min(len(layers), len(other_layers)) and _same_weights(layers[same], other_layers[same]):
        same += 1
    if same == 0 or same == len(layers):
        return None
    return FrozenLayerCache(model, start=same, max_bytes=max_bytes, check=False)  # scoring: eval mode, no dropout


def _same_weights(a: torch.nn.Module, b: torch.nn.Module) -> bool:
    """Every tensor of the two modules' state (parameters and buffers) the same; False for state that is
    not a plain tensor (a dynamically quantized layer's packed weights) or a quantized tensor."""
    ours, theirs = a.state_dict(), b.state_dict()
    if ours.keys() != theirs.keys():
        return False
    for name, value in ours.items():
        other = theirs[name]
        if not (isinstance(value, torch.Tensor) and isinstance(other, torch.Tensor)) or value.is_quantized:
            return False
        if value.shape != other.shape or value.dtype != other.dtype or not torch.equal(value, other):
            return False
    return True
