"""--cache_frozen_layers: the frozen lower layers run once per row, and the training signal is unchanged.

A tiny random Llama of 4 layers with the embedded model's tokenizer; the top 2 layers train (their
full weights, or LoRA adapters on them only). Loss and gradients with the cache, on a row's first
pass (the cache filled) and on later passes (read from it), equal a pass through the whole model.
"""

import copy
import os

import pytest
import torch
from datasets import Dataset
from fixtures import tiny_llama
from peft import LoraConfig
from test_grouped_dpo import CRITERIA, item_rows

from Utils.grouped_dpo import GroupedDPOConfig, GroupedDPOTrainer
from Utils.layer_cache import FrozenLayerCache, decoder_layers, first_trainable_layer, only_layers, shared_start
from Utils.train_model import freeze_below

os.environ.setdefault("HF_HUB_OFFLINE", "1")

RTOL = 1e-5
TARGETS = ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"]


@pytest.fixture(scope="module")
def tokenizer(smollm_tokenizer):
    return smollm_tokenizer


@pytest.fixture(scope="module")
def base_model(tokenizer):
    return tiny_llama(len(tokenizer), tokenizer=tokenizer, num_hidden_layers=4, max_position_embeddings=1024,
                      tie_word_embeddings=True)


def rows():
    return (item_rows("s1", CRITERIA[3], "B") + item_rows("s1", CRITERIA[2], "A")
            + item_rows("s2", CRITERIA[3], "C", code="int main() { return 2; }") + item_rows("s2", CRITERIA[4], "D"))


def config(**kwargs):
    return GroupedDPOConfig(**{"output_dir": "unused", "bf16": False, "activation_checkpointing": False,
                               "report_to": [], "save_strategy": "no", "use_cpu": True, "disable_tqdm": True,
                               "max_length": 1024, "per_device_train_batch_size": 2, "beta": 0.1, **kwargs})


def trainer_pair(base_model, tokenizer, lora: bool, **kwargs):
    """Two trainers over the same weights (the top 2 of 4 layers train), without and with the cache."""
    made = []
    for cache in (False, True):
        model = copy.deepcopy(base_model)
        peft = ref = None
        if lora:
            peft = LoraConfig(r=4, lora_alpha=8, lora_dropout=0.0, target_modules=TARGETS, task_type="CAUSAL_LM",
                              init_lora_weights=False, layers_to_transform=[2, 3])
        else:
            freeze_below(model, 2)
            if "sigmoid" in kwargs.get("loss_type", []):
                ref = copy.deepcopy(base_model)  # full fine-tuning: the reference is the model as it started
        torch.manual_seed(0)
        made.append(GroupedDPOTrainer(model=model, ref_model=ref, args=config(cache_frozen_layers=cache, **kwargs),
                                      train_dataset=Dataset.from_list(rows()), processing_class=tokenizer,
                                      peft_config=peft))
    made[1].model.load_state_dict(made[0].model.state_dict())
    return made


def loss_and_grads(trainer, batch):
    trainer.model.train()
    trainer.model.zero_grad()
    loss = trainer.compute_loss(trainer.model, batch)
    loss.backward()
    return loss.item(), {n: p.grad.clone() for n, p in trainer.model.named_parameters() if p.requires_grad}


@pytest.mark.parametrize("lora", [False, True], ids=["top layers", "LoRA on the top layers"])
@pytest.mark.parametrize("loss_type", [["choice"], ["sft"], ["sigmoid"]])
@pytest.mark.parametrize("start_once", [False, True], ids=["whole rows", "the rows' common start once"])
def test_cached_passes_give_the_loss_and_gradients_of_whole_passes(base_model, tokenizer, lora, loss_type, start_once,
                                                                    monkeypatch):
    """With `start_once`, the tokens both rows start with run once, in the frozen layers and in the trained
    ones above (gradients flowing through them), and each row's rest attends to them."""
    if start_once:
        monkeypatch.setattr(FrozenLayerCache, "MIN_SHARED_PREFIX", 4)
    plain, cached = trainer_pair(base_model, tokenizer, lora, loss_type=loss_type,
                                 precompute_ref_log_probs=False)
    assert cached.layer_cache.start == 2 and plain.layer_cache is None
    batch = plain.data_collator([plain.train_dataset[i] for i in range(len(plain.train_dataset))])
    loss, grads = loss_and_grads(plain, batch)
    assert grads and all(g.norm() > 0 for g in grads.values())
    assert all(".layers.2." in n or ".layers.3." in n or "norm" in n for n in grads)
    lengths = []  # what the lowest trained layer runs over
    hook = decoder_layers(cached.model)[2].register_forward_pre_hook(
        lambda _module, args, kwargs: lengths.append((kwargs.get("hidden_states", args[0] if args else None)).shape[:2]),
        with_kwargs=True)
    for attempt in range(2):  # first pass: the frozen layers run and are kept; second: read back
        loss_c, grads_c = loss_and_grads(cached, batch)
        assert loss_c == pytest.approx(loss, rel=RTOL), attempt
        assert grads_c.keys() == grads.keys()
        for name, g in grads.items():
            assert ((grads_c[name] - g).norm() / g.norm()).item() < 1e-4, (attempt, name)
    hook.remove()
    rows_in_batch, length = batch["input_ids"].shape
    common = shared_start(batch, 4)
    assert common > 0  # the two rows start alike
    if start_once:
        assert lengths[0] == (1, common) and lengths[1] == (rows_in_batch, length - common)
    else:
        assert set(lengths) == {(rows_in_batch, length)}
    cache = cached.layer_cache
    # a DPO step reads the cache twice (the policy, then the reference with the adapter off or the ref model)
    passes = 2 if loss_type == ["sigmoid"] else 1
    assert cache.misses == rows_in_batch and cache.hits == rows_in_batch * (2 * passes - 1)
    assert len(cache.rows) == rows_in_batch and cache.nbytes > 0


def test_rows_are_kept_by_their_content_whatever_batch_they_come_in(base_model, tokenizer):
    """A row padded in a longer batch, or alone, is the same row: one entry, and the same states."""
    _, cached = trainer_pair(base_model, tokenizer, lora=False, loss_type=["choice"])
    data = cached.train_dataset
    together = cached.data_collator([data[0], data[1]])
    alone = cached.data_collator([data[1]])
    model = cached.model.eval()
    from Utils.packing import attention_masks

    with torch.no_grad():
        states_together = cached.layer_cache.states(model, together, attention_masks(model, together, torch.float32))
        states_alone = cached.layer_cache.states(model, alone, attention_masks(model, alone, torch.float32))
    n = int(alone["row_length"][0])
    assert len(cached.layer_cache.rows) == 2 and cached.layer_cache.hits == 1
    torch.testing.assert_close(states_together[1, :n], states_alone[0, :n])
    # the kept states are what the whole model's layers 0-1 give (a hook on layer 1, no cache)
    captured = {}
    handle = model.model.layers[1].register_forward_hook(lambda m, a, out: captured.setdefault("h", out))
    with torch.no_grad():
        model(input_ids=alone["input_ids"], position_ids=alone["position_ids"],
              attention_mask=attention_masks(model, alone, torch.float32))
    handle.remove()
    hidden = captured["h"][0] if isinstance(captured["h"], tuple) else captured["h"]
    torch.testing.assert_close(states_alone[0, :n], hidden[0, :n])


def test_rows_computed_together_run_their_common_start_once(base_model, tokenizer, monkeypatch):
    """Rows filled in one batch that start alike (the system prompt, a lab's statement) run that start once:
    it is kept (states, keys and values) and each row runs only its rest after it; the states are what the
    whole model's lower layers give, and a later batch with the same start reads it back."""
    from Utils.packing import attention_masks

    monkeypatch.setattr(FrozenLayerCache, "MIN_SHARED_PREFIX", 4)
    _, cached = trainer_pair(base_model, tokenizer, lora=False, loss_type=["choice"])
    data = cached.train_dataset
    batch = cached.data_collator([data[0], data[1]])
    ids, n = batch["input_ids"], batch["row_length"]
    common = int((ids[0, :n.min()] == ids[1, :n.min()]).long().cumprod(0).sum())
    assert 4 <= common < int(n.min())  # the rows share a start, then differ
    model = cached.model.eval()
    cache = cached.layer_cache
    with torch.no_grad():
        states = cache.states(model, batch, attention_masks(model, batch, torch.float32))
    assert len(cache.prefixes) == 1 and len(next(iter(cache.prefixes.values()))[0].ids) == common
    captured = {}
    handle = model.model.layers[1].register_forward_hook(lambda m, a, out: captured.setdefault("h", out))
    with torch.no_grad():
        model(input_ids=ids, position_ids=batch["position_ids"], attention_mask=attention_masks(model, batch, torch.float32))
    handle.remove()
    hidden = captured["h"][0] if isinstance(captured["h"], tuple) else captured["h"]
    for b in range(2):
        torch.testing.assert_close(states[b, :n[b]], hidden[b, :n[b]], rtol=1e-5, atol=1e-5)
    cache.rows.clear()  # the rows again, as if new: the kept start is read back, not run again
    runs = []
    handle = model.model.layers[0].register_forward_hook(lambda m, a, out: runs.append(a[0].shape[1]))
    with torch.no_grad():
        again = cache.states(model, batch, attention_masks(model, batch, torch.float32))
    handle.remove()
    assert runs == [ids.shape[1] - common] and len(cache.prefixes) == 1
    torch.testing.assert_close(again, states)


def test_training_with_the_cache_reads_each_row_once_from_the_frozen_layers(base_model, tokenizer):
    _, cached = trainer_pair(base_model, tokenizer, lora=False, loss_type=["choice"], num_train_epochs=3,
                             learning_rate=1e-2, logging_steps=1)
    before = {n: p.detach().clone() for n, p in cached.model.named_parameters()}
    cached.train()
    n_rows = len(cached.train_dataset)  # 2 students
    assert cached.layer_cache.misses == n_rows and cached.layer_cache.hits == 2 * n_rows
    moved = {n for n, p in cached.model.named_parameters() if not torch.equal(p, before[n])}
    assert moved and all(n.startswith(("model.layers.2.", "model.layers.3.", "model.norm.")) for n in moved)


def test_the_cache_is_refused_when_nothing_below_the_trained_layers_is_frozen(base_model, tokenizer):
    model = copy.deepcopy(base_model)
    freeze_below(model, None)  # every layer trains
    with pytest.raises(ValueError, match="every decoder layer trains"):
        FrozenLayerCache(model)
    freeze_below(model, 1)
    model.get_input_embeddings().weight.requires_grad_(True)
    with pytest.raises(ValueError, match="input embeddings train"):
        first_trainable_layer(model)


def test_the_cache_is_refused_with_dropout_in_the_frozen_layers(tokenizer):
    model = tiny_llama(len(tokenizer), tokenizer=tokenizer, num_hidden_layers=3, attention_dropout=0.1)
    freeze_below(model, 1)
    with pytest.raises(ValueError, match="dropout"):
        FrozenLayerCache(model)


def test_only_layers_restores_the_layer_list_even_on_error(base_model):
    model = copy.deepcopy(base_model)
    layers = model.model.layers
    with pytest.raises(RuntimeError):
        with only_layers(model, 2):
            assert len(model.model.layers) == 2
            raise RuntimeError("boom")
    assert model.model.layers is layers and len(layers) == 4


def test_a_reference_model_with_other_frozen_weights_is_refused(base_model, tokenizer):
    model = copy.deepcopy(base_model)
    freeze_below(model, 2)
    other = tiny_llama(len(tokenizer), tokenizer=tokenizer, seed=1, num_hidden_layers=4, max_position_embeddings=1024,
                       tie_word_embeddings=True)
    with pytest.raises(ValueError, match="reference model's frozen weights differ"):
        GroupedDPOTrainer(model=model, ref_model=other, args=config(cache_frozen_layers=True, loss_type=["sigmoid"]),
                          train_dataset=Dataset.from_list(rows()), processing_class=tokenizer)


def test_dpo_train_refuses_the_cache_without_frozen_layers(pairs_dir):
    import dpo_train

    files = ["--train_dataset_path", str(pairs_dir / "train.jsonl"), "--eval_dataset_path", "none"]
    with pytest.raises(ValueError, match="--cache_frozen_layers needs --trainer grouped and --trainable_layers N"):
        dpo_train.read_recipe(files + ["--cache_frozen_layers", "True", "--trainable_layers", "0"], print)
    with pytest.raises(ValueError, match="--cache_frozen_layers needs"):
        dpo_train.read_recipe(files + ["--cache_frozen_layers", "True", "--trainable_layers", "2", "--trainer", "stock",
                                       "--loss_type", "sigmoid"], print)


def test_the_cpu_default_is_the_course_recipe_and_the_earlier_default_is_flags_away():
    """configs/train/cpu.yaml resolves to the classifier recipe measured at course scale; the benchmarks'
    earlier recipes (bench.EARLIER_CPU_DEFAULT on top of it) still resolve to DPO with LoRA on every layer."""
    from bench import EARLIER_CPU_DEFAULT
    from Utils import train_args

    script, training = train_args.parse_arguments(["--device", "cpu"], config_class=GroupedDPOConfig)
    assert (script.use_peft, script.trainable_layers, script.max_train_pairs) == (False, 4, None)
    assert training.cache_frozen_layers is True and training.loss_type == ["choice"]
    assert training.num_train_epochs == 5 and training.learning_rate == 3e-4 and script.min_train_steps == 660
    assert training.per_device_train_batch_size == 2
    script, training = train_args.parse_arguments(["--device", "cpu", *EARLIER_CPU_DEFAULT],
                                                  config_class=GroupedDPOConfig)
    assert (script.use_peft, script.trainable_layers, script.max_train_pairs) == (True, None, 112)
    assert training.cache_frozen_layers is False and training.loss_type == ["sigmoid"]
    assert training.num_train_epochs == 1 and training.learning_rate == 5e-4 and script.min_train_steps == 0
    assert training.per_device_train_batch_size == 1
