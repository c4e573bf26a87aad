"""Run a model's frozen lower layers once per training row, not once per epoch.

When only the top decoder layers train (`--trainable_layers N`, full weights or LoRA), the layers
below them and the embeddings never change: what they output for a packed row is the same in every
epoch. `FrozenLayerCache` keeps that output (the hidden state entering the lowest trainable layer,
every token of the row) the first time a row is seen, keyed by the row's tokens and positions, and
every later pass over the row runs only the top layers from it (`top_layers`: the model's own
forward, with `inputs_embeds` = the kept states and only the top layers in its layer list). Losses
and gradients are the same as a pass over the whole model (tests/test_layer_cache.py); a step over
a row seen before costs the top layers only.

The states live in CPU memory (rows x tokens x hidden size x 4 bytes: about 1 GB for 840 students
of SmolLM2-135M) and are moved to the model's device a batch at a time.
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


@contextlib.contextmanager
def only_layers(model, start: int, stop: int | None = None):
    """The model's decoder runs only its layers [start:stop] while the block is open."""
    decoder = base_model(model).get_decoder()
    layers = decoder.layers
    decoder.layers = torch.nn.ModuleList(list(layers)[start:stop])
    try:
        yield
    finally:
        decoder.layers = layers


def row_key(input_ids: torch.Tensor, position_ids: torch.Tensor) -> bytes:
    """One packed row's identity: its tokens and their positions (the mask follows from the packing)."""
    digest = hashlib.blake2b(digest_size=16)
    digest.update(input_ids.cpu().numpy().tobytes())
    digest.update(position_ids.cpu().numpy().tobytes())
    return digest.digest()


class FrozenLayerCache:
    """The output of a model's frozen layers per packed row (see the module's docstring).

    `states(model, batch, masks)` returns [B, L, H], the hidden state entering layer `self.start`
    for every token of the batch (rows padded as the batch is), running the frozen layers only for
    rows not seen before. `batch` is a packed batch (`Utils.packing.collate_packed`) with
    `row_length` [B], each row's real length.
    """

    def __init__(self, model):
        self.start = first_trainable_layer(model)
        check_deterministic(model, self.start)
        self.rows: dict[bytes, torch.Tensor] = {}
        self.hits = self.misses = 0

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
        return sum(t.numel() * t.element_size() for t in self.rows.values())

    def states(self, model, batch: dict[str, torch.Tensor], masks) -> torch.Tensor:
        lengths = batch["row_length"].tolist()
        keys = [row_key(batch["input_ids"][b, :n], batch["position_ids"][b, :n]) for b, n in enumerate(lengths)]
        missing = [b for b, key in enumerate(keys) if key not in self.rows]
        self.misses += len(missing)
        self.hits += len(keys) - len(missing)
        if missing:
            computed = self._run_frozen(model, batch, masks)
            for b in missing:
                self.rows[keys[b]] = computed[b, :lengths[b]].detach().to("cpu", copy=True)
        device = batch["input_ids"].device
        out = None
        for b, key in enumerate(keys):
            kept = self.rows[key]
            if out is None:
                out = kept.new_zeros((len(keys), batch["input_ids"].shape[1], kept.shape[-1]), device=device)
            out[b, :lengths[b]] = kept.to(device)
        return out

    def _run_frozen(self, model, batch: dict[str, torch.Tensor], masks) -> torch.Tensor:
        """The hidden state entering layer `start` for the whole batch: the embeddings and the layers
        below it, without gradients (the model's own forward, its layer list cut at `start`)."""
        base = base_model(model)
        captured = {}
        last = decoder_layers(model)[self.start - 1]

        def keep(_module, _args, output):
            captured["states"] = output[0] if isinstance(output, tuple) else output

        handle = last.register_forward_hook(keep)
        try:
            with torch.no_grad(), only_layers(model, 0, self.start):
                base.get_decoder()(input_ids=batch["input_ids"], position_ids=batch["position_ids"],
                                   attention_mask=masks, use_cache=False)
        finally:
            handle.remove()
        return captured["states"]
