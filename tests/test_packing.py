"""Packed scoring equals separate forward passes over prompt+answer."""

import pytest
import torch
from transformers import LlamaConfig, LlamaForCausalLM

from Utils.packing import answer_logprobs, collate_packed, pack_item


def tiny_llama(attn="sdpa"):
    torch.manual_seed(0)
    config = LlamaConfig(vocab_size=97, hidden_size=32, intermediate_size=64, num_hidden_layers=2,
                         num_attention_heads=4, num_key_value_heads=2, max_position_embeddings=128,
                         attn_implementation=attn)
    return LlamaForCausalLM(config).eval()


def separate_logprob(model, prompt, answer):
    ids = torch.tensor([prompt + answer])
    logps = torch.log_softmax(model(input_ids=ids).logits.float(), -1)[0]
    return sum(logps[len(prompt) + i - 1, tok].item() for i, tok in enumerate(answer))


@pytest.mark.parametrize("attn", ["sdpa", "eager"])
def test_packed_logprobs_equal_separate_passes(attn):
    model = tiny_llama(attn)
    g = torch.Generator().manual_seed(1)
    items = []
    for prompt_len, answer_lens in [(9, [3, 5]), (4, [2, 2, 6]), (12, [1, 4, 3, 2])]:
        prompt = torch.randint(1, 97, (prompt_len,), generator=g).tolist()
        answers = [torch.randint(1, 97, (n,), generator=g).tolist() for n in answer_lens]
        items.append((prompt, answers))
    batch = collate_packed([pack_item(p, a) for p, a in items], pad_token_id=0)
    with torch.no_grad():
        packed = answer_logprobs(model, batch)
        for b, (prompt, answers) in enumerate(items):
            expected = [separate_logprob(model, prompt, a) for a in answers]
            assert packed[b, :len(answers)].tolist() == pytest.approx(expected, rel=1e-5, abs=1e-5)
            assert (packed[b, len(answers):] == 0).all()


def test_gradients_flow_through_packed_pass():
    model = tiny_llama().train()
    batch = collate_packed([pack_item([5, 6, 7], [[8, 9], [10]])], pad_token_id=0)
    answer_logprobs(model, batch).sum().backward()
    assert model.model.layers[0].self_attn.q_proj.weight.grad.abs().sum() > 0
