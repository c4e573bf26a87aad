"""Packed scoring equals separate forward passes over prompt+answer."""

import pytest
import torch

from fixtures import tiny_llama as make_tiny_llama

from Utils.packing import (answer_logits, answer_logprobs, collate_packed, encode_prefix, last_answer_logits,
                           pack_group, pack_item)


def tiny_llama(attn="sdpa"):
    return make_tiny_llama(97, attn_implementation=attn, max_position_embeddings=256)


def separate_logprob(model, prompt, answer):
    ids = torch.tensor([prompt + answer])
    logps = torch.log_softmax(model(input_ids=ids).logits.float(), -1)[0]
    return sum(logps[len(prompt) + i - 1, tok].item() for i, tok in enumerate(answer))


def rand(g, n):
    return torch.randint(1, 97, (n,), generator=g).tolist()


def lab_students(g, lab, code_lengths, criteria):
    """One student per code length, all starting with `lab`: each student's code, then per criterion
    (prompt-tail length, answer lengths) a prompt and its answers, as (prompt, answers) items."""
    students = []
    for n_code in code_lengths:
        code = lab + rand(g, n_code)
        students.append([(code + rand(g, tail), [rand(g, n) for n in answers]) for tail, answers in criteria])
    return students


def two_students_batch(seed: int, lab_length: int) -> dict:
    """A packed batch of two students of one lab (codes of 7 and 12 tokens after the lab's `lab_length`,
    two criteria each), one row per student, for training-pass comparisons."""
    g = torch.Generator().manual_seed(seed)
    students = lab_students(g, rand(g, lab_length), (7, 12), [(4, [3, 5]), (6, [2, 4, 3])])
    return collate_packed([pack_group([p for p, _ in items], [a for _, a in items]) for items in students],
                          pad_token_id=0)


def check(model, groups, batch, prefix=None):
    packed = answer_logprobs(model, batch, prefix)
    for b, items in enumerate(groups):
        expected = [separate_logprob(model, prompt, a) for prompt, answers in items for a in answers]
        assert packed[b, :len(expected)].tolist() == pytest.approx(expected, rel=1e-5, abs=1e-5)
        assert (packed[b, len(expected):] == 0).all()
        assert batch["answer_item"][b, :len(expected)].tolist() == [
            i for i, (_, answers) in enumerate(items) for _ in answers]


@pytest.mark.parametrize("attn", ["sdpa", "eager"])
@pytest.mark.slow
def test_packed_items_equal_separate_passes(attn):
    model = tiny_llama(attn)
    g = torch.Generator().manual_seed(1)
    groups = [[(rand(g, p), [rand(g, n) for n in lens])] for p, lens in [(9, [3, 5]), (4, [2, 2, 6]), (12, [1, 4, 3, 2])]]
    batch = collate_packed([pack_item(*items[0]) for items in groups], pad_token_id=0)
    with torch.no_grad():
        check(model, groups, batch)


@pytest.mark.parametrize("attn", ["sdpa", "eager"])
@pytest.mark.slow
def test_items_sharing_a_prefix_pack_into_one_row(attn):
    """One student's criteria share statement and code: one row, each answer still exact."""
    model = tiny_llama(attn)
    g = torch.Generator().manual_seed(2)
    shared = rand(g, 20)
    student = [(shared + rand(g, 5), [rand(g, 3), rand(g, 4)]), (shared + rand(g, 7), [rand(g, 2)] * 3),
               (shared + rand(g, 1), [rand(g, 6), rand(g, 1)])]
    other = [(rand(g, 8), [rand(g, 2), rand(g, 2)])]
    packed = [pack_group([p for p, _ in items], [a for _, a in items]) for items in (student, other)]
    assert packed[0].prefix_length == 20
    assert len(packed[0].input_ids) == 20 + (5 + 3 + 4) + (7 + 3 * 2) + (1 + 6 + 1)  # prefix once
    batch = collate_packed(packed, pad_token_id=0)
    with torch.no_grad():
        check(model, [student, other], batch)


def test_gradients_flow_through_packed_pass():
    model = tiny_llama().train()
    batch = collate_packed([pack_item([5, 6, 7], [[8, 9], [10]])], pad_token_id=0)
    answer_logprobs(model, batch).sum().backward()
    assert model.model.layers[0].self_attn.q_proj.weight.grad.abs().sum() > 0


@pytest.mark.parametrize("attn", ["sdpa", "eager"])
def test_students_packed_after_a_cached_lab_prefix_equal_separate_passes(attn):
    """Scoring runs a lab's shared start (system prompt + statement) once and packs each student
    after it; a batch of such students still gives every answer exactly."""
    model = tiny_llama(attn)
    g = torch.Generator().manual_seed(3)
    lab = rand(g, 15)
    students = lab_students(g, lab, (6, 9), [(4, [3, 2]), (5, [1, 1, 4])])
    alone = [(lab + rand(g, 3), [rand(g, 2), rand(g, 5)])]  # a student with one criterion
    groups = students + [alone]
    packed = [pack_group([p for p, _ in items], [a for _, a in items], cached_length=15) for items in groups]
    assert packed[0].input_ids[:6] == students[0][0][0][15:21]  # starts with the code: the lab start is cached
    assert packed[0].position_ids[0] == 15
    batch = collate_packed(packed, pad_token_id=0)
    with torch.no_grad():
        prefix = encode_prefix(model, lab)
        check(model, groups, batch, prefix)
        check(model, groups, batch, prefix)  # the cache is not changed by a pass that uses it
        with pytest.raises(ValueError, match="cached"):
            answer_logprobs(model, batch)  # packed after a cache, scored without it


def test_last_answer_logits_run_the_head_only_where_an_answer_ends():
    """First-token scoring reads, per answer, the logits that predict its last token: the same numbers as
    the logits of every answer token, from far fewer positions through the LM head."""
    model = tiny_llama()
    g = torch.Generator().manual_seed(4)
    lab = rand(g, 10)
    students = lab_students(g, lab, (7, 12), [(4, [5]), (6, [5]), (3, [5])])
    batch = collate_packed([pack_group([p for p, _ in items], [a for _, a in items], cached_length=10)
                            for items in students], pad_token_id=0)
    rows = []
    model.lm_head.register_forward_hook(lambda module, args, out: rows.append(args[0].shape[0] * args[0].shape[1]))
    with torch.no_grad():
        prefix = encode_prefix(model, lab)
        every = answer_logits(model, batch, prefix)
        last = last_answer_logits(model, batch, prefix)
    assert last.shape == (2, 3, every.shape[-1])
    ends = [[4, 9, 14], [4, 9, 14]]  # each answer is 5 tokens: its last is answer token 5k + 4 of the row
    for b in range(2):
        for slot, t in enumerate(ends[b]):
            assert torch.equal(last[b, slot], every[b, t])
    assert rows[-1] <= 2 * 6 < rows[-2]  # 3 positions a row (6 at most for the batch) against 15 a row


@pytest.mark.parametrize("make", ["llama", "gemma3"])
def test_the_last_layer_runs_its_mlp_only_where_logits_are_read(make, monkeypatch):
    """`last_layer_only_at`: the last layer's attention output and MLP run only at the positions whose
    logits are kept; the logits there and every gradient are what the whole layer gives."""
    import contextlib

    from Utils import packing

    batch = two_students_batch(seed=5, lab_length=10)

    def run(trim: bool):
        model = tiny_llama() if make == "llama" else tiny_gemma3()
        model.train()
        rows = []
        last = model.model.layers[-1]
        last.mlp.register_forward_hook(lambda module, args, out: rows.append(args[0].shape[1]))
        if not trim:
            monkeypatch.setattr(packing, "last_layer_only_at", lambda *_: contextlib.nullcontext())
        logits = answer_logits(model, batch)
        monkeypatch.undo()
        real = batch["answer_index"] >= 0
        logits[real].float().logsumexp(-1).sum().backward()
        grads = {n: p.grad.clone() for n, p in model.named_parameters() if p.grad is not None}
        return logits[real], grads, rows[-1]

    trimmed, trimmed_grads, trimmed_rows = run(True)
    whole, whole_grads, whole_rows = run(False)
    assert trimmed_rows == torch.unique(batch["logit_positions"][batch["answer_index"] >= 0]).numel()
    assert trimmed_rows < whole_rows == batch["input_ids"].shape[1]
    torch.testing.assert_close(trimmed, whole, rtol=1e-5, atol=1e-5)
    assert trimmed_grads.keys() == whole_grads.keys()
    for name in whole_grads:
        torch.testing.assert_close(trimmed_grads[name], whole_grads[name], rtol=1e-4, atol=1e-6, msg=name)


def test_the_last_layer_runs_whole_under_gradient_checkpointing():
    from Utils.packing import last_layer_only_at

    model = tiny_llama().train()
    enable = getattr(model, "activation_checkpointing_enable", None) or model.gradient_checkpointing_enable
    enable()
    rows = []
    model.model.layers[-1].mlp.register_forward_hook(lambda module, args, out: rows.append(args[0].shape[1]))
    batch = collate_packed([pack_item([5, 6, 7, 8], [[9, 10], [11]])], pad_token_id=0)
    with last_layer_only_at(model, torch.tensor([3])):
        model(input_ids=batch["input_ids"], position_ids=batch["position_ids"])
    assert rows == [batch["input_ids"].shape[1]]


def test_cached_prefix_must_be_shared_and_leave_each_prompt_a_token():
    with pytest.raises(ValueError, match="same 3 tokens"):
        pack_group([[1, 2, 3, 4], [1, 2, 9, 4]], [[[5]], [[6]]], cached_length=3)
    with pytest.raises(ValueError, match="go on after them"):
        pack_group([[1, 2, 3]], [[[5]]], cached_length=3)
    with pytest.raises(ValueError, match="share one cached prefix"):
        collate_packed([pack_item([1, 2, 3], [[4]]), pack_group([[1, 2, 3]], [[[4]]], cached_length=2)], 0)


def tiny_gemma3(attn="sdpa", window=8):
    from transformers import Gemma3ForCausalLM, Gemma3TextConfig

    torch.manual_seed(0)
    config = Gemma3TextConfig(vocab_size=97, hidden_size=32, intermediate_size=64, num_hidden_layers=2,
                              num_attention_heads=4, num_key_value_heads=1, head_dim=8, max_position_embeddings=256,
                              sliding_window=window, layer_types=["sliding_attention", "full_attention"],
                              attn_implementation=attn)
    return Gemma3ForCausalLM(config).eval()


@pytest.mark.parametrize("attn", ["sdpa", "eager"])
def test_sliding_window_layers_see_only_their_window_in_packed_and_cached_passes(attn):
    """Gemma's sliding layers (window 8 here, 512 in Gemma 3 270M): prompts much longer than the
    window, packed per student after a cached lab start longer than the window, still give every
    answer as a separate forward pass (where the model applies its window itself) does."""
    model = tiny_gemma3(attn)
    g = torch.Generator().manual_seed(4)
    lab = rand(g, 13)
    groups = lab_students(g, lab, (6, 11), [(4, [3, 9]), (10, [1, 4])])
    with torch.no_grad():
        plain = [pack_group([p for p, _ in items], [a for _, a in items]) for items in groups]
        check(model, groups, collate_packed(plain, pad_token_id=0))
        cached = [pack_group([p for p, _ in items], [a for _, a in items], cached_length=13) for items in groups]
        check(model, groups, collate_packed(cached, pad_token_id=0), encode_prefix(model, lab))


@pytest.mark.parametrize("make", ["llama", "gemma3", "gemma3, the trained layer sliding"])
def test_rows_that_share_a_start_run_it_once_with_the_logits_and_gradients_of_whole_rows(make, monkeypatch):
    """Training over the frozen-layer cache: the lab start both students' rows begin with (13 tokens, longer
    than Gemma's window of 8) runs once in the frozen layer and once in the trained one, each row's rest
    attending to it; the logits and every gradient are those of whole rows through the whole model. With
    Gemma the masks and rotary bases are per layer type, so the trained layer is a full one or, reversed, a
    sliding one: the layers above the cache keep their own kind (`only_layers` slices `layer_types`; before,
    Gemma gave the i-th layer run the kind of layer i, and these logits differed by up to 0.3)."""
    from Utils.layer_cache import FrozenLayerCache

    monkeypatch.setattr(FrozenLayerCache, "MIN_SHARED_PREFIX", 4)
    batch = two_students_batch(seed=6, lab_length=13)

    def run(cache: bool):
        if make == "llama":
            model = tiny_llama()
        else:
            model = tiny_gemma3()
            if "sliding" in make:
                model.config.layer_types = ["full_attention", "sliding_attention"]
                for i, layer in enumerate(model.model.layers):
                    layer.attention_type = model.config.layer_types[i]
                    layer.self_attn.sliding_window = model.config.sliding_window if i == 1 else None
                    layer.self_attn.is_sliding = i == 1
        model.train()
        model.get_input_embeddings().weight.requires_grad_(False)
        for p in model.model.layers[0].parameters():
            p.requires_grad_(False)
        lengths = []
        model.model.layers[1].register_forward_pre_hook(
            lambda _m, args, kwargs: lengths.append(tuple((kwargs.get("hidden_states", args[0] if args else None)).shape[:2])),
            with_kwargs=True)
        logits = answer_logits(model, batch, layer_cache=FrozenLayerCache(model) if cache else None)
        real = batch["answer_index"] >= 0
        logits[real].float().logsumexp(-1).sum().backward()
        grads = {n: p.grad.clone() for n, p in model.named_parameters() if p.grad is not None}
        return logits[real], grads, lengths

    once, once_grads, once_lengths = run(True)
    whole, whole_grads, whole_lengths = run(False)
    rows, length = batch["input_ids"].shape
    assert whole_lengths == [(rows, length)] and once_lengths == [(1, 13), (rows, length - 13)]
    torch.testing.assert_close(once, whole, rtol=1e-5, atol=1e-5)
    assert once_grads.keys() == whole_grads.keys() and all(n.startswith(("model.layers.1.", "lm_head")) or "norm" in n
                                                           for n in once_grads)
    for name in whole_grads:
        torch.testing.assert_close(once_grads[name], whole_grads[name], rtol=1e-4, atol=1e-6, msg=name)
