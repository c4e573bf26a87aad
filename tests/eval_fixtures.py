"""Helpers for the evaluation and grading tests: a tiny random Llama with the real SmolLM2
tokenizer (so prompts tokenize exactly as with the embedded model), saved as a model folder
that `--model` accepts, and a training run folder holding a LoRA adapter."""

from __future__ import annotations

import json
import os
from pathlib import Path

import torch
from transformers import LlamaConfig, LlamaForCausalLM

from Utils.models import load_tokenizer, resolve_model


# The tiny models' matrices are so small that a second thread only adds waiting (10x slower on a
# busy 2-core machine); the subprocess runs of evaluate.sh and grade.sh get the same setting.
SINGLE_THREAD_ENV = {**os.environ, "OMP_NUM_THREADS": "1"}


def one_thread():
    """Generator for a module fixture: torch on one thread for the module's tests, then restored."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


def smollm2_tokenizer():
    return load_tokenizer(resolve_model("smollm2-135m"))


def tiny_llama(vocab_size: int, seed: int = 0) -> LlamaForCausalLM:
    torch.manual_seed(seed)
    config = LlamaConfig(vocab_size=vocab_size, hidden_size=32, intermediate_size=64, num_hidden_layers=2,
                         num_attention_heads=4, num_key_value_heads=2, max_position_embeddings=4096,
                         bos_token_id=1, eos_token_id=2, pad_token_id=2)
    return LlamaForCausalLM(config).eval()


def save_tiny_model(folder: Path) -> Path:
    """A model folder (weights + the SmolLM2 tokenizer) that `Utils.models.resolve_model` accepts."""
    tokenizer = smollm2_tokenizer()
    tiny_llama(len(tokenizer)).save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    return folder


def save_run_folder(run_dir: Path, model_dir: Path, max_length: int = 900, in_final_checkpoint: bool = False) -> Path:
    """A training run folder as `dpo_train.py` leaves it: a LoRA adapter (non-zero, so it changes
    the scores), the resolved arguments in arguments.yaml, and a trainer_state.json log."""
    from peft import LoraConfig, get_peft_model

    torch.manual_seed(1)
    base = LlamaForCausalLM.from_pretrained(model_dir)
    peft_model = get_peft_model(base, LoraConfig(r=4, lora_alpha=8, target_modules=["q_proj", "v_proj"],
                                                 init_lora_weights=False, task_type="CAUSAL_LM"))
    adapter_dir = run_dir / "final_checkpoint" if in_final_checkpoint else run_dir
    peft_model.save_pretrained(adapter_dir)
    run_dir.mkdir(parents=True, exist_ok=True)
    (run_dir / "arguments.yaml").write_text(f"model: {model_dir}\nmax_length: {max_length}\nbeta: 0.1\n")
    history = [{"step": s, "epoch": s / 4, "loss": 0.69 - 0.05 * s, "rewards/accuracies": 0.5 + 0.1 * s,
                "rewards/margins": 0.1 * s} for s in range(1, 5)] + [{"step": 4, "eval_loss": 0.5}]
    (run_dir / "trainer_state.json").write_text(json.dumps({"log_history": history}))
    return run_dir
