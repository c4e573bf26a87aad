"""Helpers the tests share: lab folders written from plain Python data (so each test shows its
input), tiny random models, run folders. Plain functions; the pytest fixtures built from them
live in conftest.py."""

from __future__ import annotations

import csv
import io
import json
import os
from pathlib import Path

from bench import LORA_DPO

REPO = Path(__file__).resolve().parent.parent

# Tiny models' matrices are so small that a second thread only adds waiting (10x slower on a busy
# 2-core machine); subprocess runs of the shell scripts get the same setting.
SINGLE_THREAD_ENV = {**os.environ, "OMP_NUM_THREADS": "1", "HF_HUB_OFFLINE": "1"}
# The recipe most training tests exercise, named: DPO with LoRA on every layer (bench.LORA_DPO; configs/train/cpu.yaml
# trains a classifier over the options with the top 4 layers cached; tests/test_layer_cache.py covers it).
# Per-test training settings: that recipe, few small steps, large learning rate, no warm-up, quiet.
FAST = [*LORA_DPO, "--max_steps", "2", "--per_device_train_batch_size", "2", "--per_device_eval_batch_size", "4",
        "--gradient_accumulation_steps", "1", "--learning_rate", "1e-2", "--warmup_steps", "0",
        "--logging_steps", "1", "--disable_tqdm", "True"]
SHORT_SYSTEM_PROMPT = "Grade the student's code. Reply with JSON."

RUBRIC = [
    {"id": 1, "title": "Variable names", "description": "Quality of variable names",
     "Ratings": [{"id": 11, "title": "A", "description": "Good variable names", "marks": 2},
                 {"id": 12, "title": "B", "description": "Ok variable names", "marks": 1},
                 {"id": 13, "title": "C", "description": "Poor naming of variables", "marks": 0}]},
    {"id": 2, "title": "Loop bound", "description": "Is the loop bound correct?",
     "Ratings": [{"id": 21, "title": "A", "description": "Correct bound", "marks": 1},
                 {"id": 22, "title": "B", "description": "Off by one", "marks": 0}]},
]


def ratings_csv(rubric: list[dict], grades: dict[str, dict[str, str]], cell=None) -> str:
    """rubric_ratings.csv text: six header rows, then one row per student.

    `grades` maps a raw student id to {criterion title: chosen letter}; `cell(student, title,
    letter, chosen)` may override what a cell holds (default '1' for chosen, '0' otherwise).
    """
    columns = [(c, r) for c in rubric for r in c["Ratings"]]
    header = [
        [""] + [c["title"] for c, _ in columns],
        [""] + [c["description"] for c, _ in columns],
        [""] + [r["title"] for _, r in columns],
        [""] + [r["description"] for _, r in columns],
        [""] + [str(r.get("marks", "")) for _, r in columns],
        ["Email"] + [""] * len(columns),
    ]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerows(header)
    for student, chosen in grades.items():
        row = [student]
        for c, r in columns:
            is_chosen = chosen.get(c["title"]) == r["title"]
            value = cell(student, c["title"], r["title"], is_chosen) if cell else None
            row.append(value if value is not None else ("1" if is_chosen else "0"))
        writer.writerow(row)
    return out.getvalue()


def write_lab(parent: Path, name: str, *, rubric=RUBRIC, grades=None, codes=None, cell=None,
              statement="Read n and print the sum of 1..n.", csv_text=None) -> Path:
    """Write a lab folder. `codes` maps a submission folder name to its main.cpp text (or bytes)."""
    lab = parent / name
    (lab / "submissions").mkdir(parents=True)
    (lab / "modified_ps.txt").write_text(statement)
    (lab / "ps.txt").write_text("LONG: " + statement)
    (lab / "rubrics.json").write_text(json.dumps(rubric) if not isinstance(rubric, str) else rubric)
    if grades is None:
        grades = {f"s{i:02d}@uni.edu": {"Variable names": "A", "Loop bound": "B" if i % 3 else "A"}
                  for i in range(10)}
    (lab / "rubric_ratings.csv").write_text(csv_text if csv_text is not None else ratings_csv(rubric, grades, cell))
    if codes is None:
        codes = {sid: f"int main() {{ /* {sid} */ }}\n" for sid in grades}
    for folder, code in codes.items():
        d = lab / "submissions" / folder
        d.mkdir()
        (d / "main.cpp").write_bytes(code if isinstance(code, bytes) else code.encode())
    return lab


# --------------------------------------------------------------------------- models


def tiny_llama(vocab_size: int, *, seed: int = 0, tokenizer=None, **overrides):
    """The one tiny random Llama of the tests (2 layers, hidden 32, float32), in eval mode.

    With `tokenizer`, its special tokens become the model's; `overrides` go into the LlamaConfig
    (e.g. attn_implementation="eager")."""
    import torch
    from transformers import LlamaConfig, LlamaForCausalLM

    kwargs = dict(vocab_size=vocab_size, hidden_size=32, intermediate_size=64, num_hidden_layers=2,
                  num_attention_heads=4, num_key_value_heads=2, max_position_embeddings=4096,
                  bos_token_id=1, eos_token_id=2, pad_token_id=2)
    if tokenizer is not None:
        kwargs.update(bos_token_id=tokenizer.bos_token_id, eos_token_id=tokenizer.eos_token_id,
                      pad_token_id=tokenizer.pad_token_id)
    kwargs.update(overrides)
    torch.manual_seed(seed)
    return LlamaForCausalLM(LlamaConfig(**kwargs)).eval()


def smollm2_tokenizer():
    """The embedded model's tokenizer (prompts tokenize exactly as with the real model)."""
    from Utils.models import load_tokenizer, resolve_model

    return load_tokenizer(resolve_model("smollm2-135m"))


def save_tiny_model(folder: Path) -> Path:
    """A model folder (weights + the SmolLM2 tokenizer) that `Utils.models.resolve_model` accepts."""
    tokenizer = smollm2_tokenizer()
    tiny_llama(len(tokenizer)).save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    return folder


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


# --------------------------------------------------------------------------- run folders


def save_run_folder(run_dir: Path, model_dir: Path, max_length: int = 900, in_final_checkpoint: bool = False) -> Path:
    """A training run folder as `dpo_train.py` leaves it: a LoRA adapter (non-zero, so it changes
    the scores), the resolved arguments in arguments.yaml, and a trainer_state.json log."""
    import torch
    from peft import LoraConfig, get_peft_model
    from transformers import LlamaForCausalLM

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
