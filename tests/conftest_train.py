"""Fixtures for the training tests: a small DPO dataset built by the real builder from a fixture
lab, and a tiny random Llama model saved with a chat tokenizer. Import the fixtures by name.

The tiny model's tokenizer is a byte-level BPE with a 512-token vocabulary trained on the
fixture's own text: on CPU, TRL 1.16 scores every position through the LM head (it compacts
to the answer positions only with Triton), so a 49k vocabulary would dominate the test time.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")

from conftest import REPO, write_lab  # noqa: E402

# Per-test settings: few small steps, large learning rate, no warm-up, quiet.
FAST = ["--max_steps", "2", "--per_device_train_batch_size", "2", "--per_device_eval_batch_size", "4",
        "--gradient_accumulation_steps", "1", "--learning_rate", "1e-2", "--warmup_steps", "0",
        "--logging_steps", "1", "--disable_tqdm", "True"]
SHORT_SYSTEM_PROMPT = "Grade the student's code. Reply with JSON."


@pytest.fixture
def one_thread():
    """Tiny models' ops are too small to split: a second thread only adds synchronisation, which
    costs a lot when the machine is shared. Restored afterwards for other tests."""
    import torch

    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


def tiny_llama_config(tokenizer, **overrides):
    from transformers import LlamaConfig

    kwargs = dict(vocab_size=len(tokenizer), hidden_size=32, intermediate_size=64, num_hidden_layers=2,
                  num_attention_heads=4, num_key_value_heads=2, max_position_embeddings=2048,
                  bos_token_id=tokenizer.bos_token_id, eos_token_id=tokenizer.eos_token_id,
                  pad_token_id=tokenizer.pad_token_id, tie_word_embeddings=True)
    kwargs.update(overrides)
    return LlamaConfig(**kwargs)


def small_bpe_tokenizer(texts: list[str], chat_template: str, vocab_size: int = 512):
    """A byte-level BPE chat tokenizer (ChatML specials) trained on `texts` in about a second."""
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import PreTrainedTokenizerFast

    bpe = Tokenizer(models.BPE())
    bpe.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    bpe.decoder = decoders.ByteLevel()
    bpe.train_from_iterator(texts, trainers.BpeTrainer(
        vocab_size=vocab_size, special_tokens=["<|endoftext|>", "<|im_start|>", "<|im_end|>"],
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(), show_progress=False))
    tokenizer = PreTrainedTokenizerFast(tokenizer_object=bpe, bos_token="<|im_start|>", eos_token="<|im_end|>",
                                        pad_token="<|im_end|>", unk_token="<|endoftext|>")
    tokenizer.chat_template = chat_template
    return tokenizer


def message_texts(jsonl: Path) -> list[str]:
    rows = [json.loads(line) for line in jsonl.read_text().splitlines()]
    return [m["content"] for r in rows for side in ("prompt", "chosen", "rejected") for m in r[side]]


@pytest.fixture(scope="session")
def smollm_tokenizer():
    from Utils.models import load_tokenizer, resolve_model

    return load_tokenizer(resolve_model("smollm2-135m"))


@pytest.fixture(scope="session")
def pairs_dir(tmp_path_factory) -> Path:
    """train.jsonl (18 pairs), test.jsonl (12 pairs) and dataset_report.json, from one fixture lab."""
    from Utils import create_dataset

    root = tmp_path_factory.mktemp("pairs")
    (root / "labs").mkdir()
    write_lab(root / "labs", "lab1")
    (root / "system.txt").write_text(SHORT_SYSTEM_PROMPT)
    code = create_dataset.main(["--parent_dir", str(root / "labs"), "--train_split", "0.6", "--workers", "1",
                                "--system_prompt_path", str(root / "system.txt"),
                                "--train_dataset_path", str(root / "data" / "train.jsonl"),
                                "--test_dataset_path", str(root / "data" / "test.jsonl")])
    assert code == 0
    return root / "data"


@pytest.fixture(scope="session")
def tiny_model_dir(tmp_path_factory, pairs_dir, smollm_tokenizer) -> Path:
    """A random 2-layer Llama and a small ChatML tokenizer, saved like a hub model."""
    import torch
    from transformers import LlamaForCausalLM

    tokenizer = small_bpe_tokenizer(message_texts(pairs_dir / "train.jsonl"), smollm_tokenizer.chat_template)
    torch.manual_seed(0)
    path = tmp_path_factory.mktemp("tiny-llama")
    LlamaForCausalLM(tiny_llama_config(tokenizer)).save_pretrained(path)
    tokenizer.save_pretrained(path)
    return path


def data_args(pairs: Path, output_dir: Path) -> list[str]:
    return ["--train_dataset_path", str(pairs / "train.jsonl"), "--eval_dataset_path", str(pairs / "test.jsonl"),
            "--output_dir", str(output_dir)]


def run_folders(output_dir: Path) -> list[Path]:
    return sorted(p for p in Path(output_dir).glob("model_*") if p.is_dir())


def lora_b_tensors(adapter_dir: Path) -> dict:
    """LoRA B matrices of a saved adapter: zero at initialisation, so non-zero means trained."""
    from safetensors.torch import load_file

    weights = load_file(str(Path(adapter_dir) / "adapter_model.safetensors"))
    return {k: v for k, v in weights.items() if "lora_B" in k}
