"""Training: the recipe end to end on tiny models, its arguments, data preparation and run folders."""

import json
import os
import re
import subprocess
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from pathlib import Path

import pytest
import torch
import yaml

from fixtures import FAST, REPO, data_args, lora_b_tensors, run_folders, tiny_llama
import dpo_train
from Utils import runs, train_args, train_data
from Utils.pairs import METADATA, check_pairs
from Utils.lab_records import Criterion, Rating
from Utils.prompts import answer_text, build_prompt, tokenize_item

ALL_PROJECTIONS = {"q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"}
QUIET = ["--eval_dataset_path", "none", "--report_to", "none", "--save_strategy", "no"]
pytestmark = pytest.mark.usefixtures("one_thread")


def tiny_run(model_dir, pairs, out, *extra):
    return dpo_train.train(["--model", str(model_dir), *data_args(pairs, out), *FAST, *extra])


# ------------------------------------------------------------------------------ end to end


@pytest.mark.slow
def test_tiny_model_trains_end_to_end_through_the_shell_script(tmp_path, tiny_model_dir, pairs_dir):
    out = tmp_path / "runs"
    result = subprocess.run(["bash", str(REPO / "dpo_train.sh"), "--model", str(tiny_model_dir),
                             *data_args(pairs_dir, out), *FAST], capture_output=True, text=True, timeout=600,
                            env={**os.environ, "HF_HUB_OFFLINE": "1", "OMP_NUM_THREADS": "1"})
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-4000:]
    [run] = run_folders(out)
    assert re.fullmatch(r"model_\d{8}_\d{6}", run.name)
    assert f"final checkpoint: {run / 'final_checkpoint'}" in result.stdout
    for name in ("adapter_model.safetensors", "adapter_config.json", "tokenizer_config.json", "arguments.yaml",
                 "dataset_stats.json", "dataset_report.json", "trainer_state.json"):
        assert (run / name).is_file(), name
    final = run / "final_checkpoint"
    assert (final / "adapter_model.safetensors").is_file()
    data_line, train_line = (final / "time.txt").read_text().splitlines()
    assert re.fullmatch(r"Data loading time: \d+\.\d\d seconds", data_line)
    assert re.fullmatch(r"Training time: \d+\.\d\d seconds", train_line)
    assert list((run / "runs").rglob("events.out.tfevents.*")), "tensorboard logs"
    # LoRA B starts at zero: every adapted matrix moved, on every projection.
    trained = lora_b_tensors(final)
    assert trained and all(w.abs().sum() > 0 for w in trained.values())
    assert set(json.loads((run / "adapter_config.json").read_text())["target_modules"]) == ALL_PROJECTIONS
    arguments = yaml.safe_load((run / "arguments.yaml").read_text())
    assert (arguments["model"], arguments["quantization"], arguments["device"]) == (str(tiny_model_dir), "none", "cpu")
    assert (arguments["optim"], arguments["bf16"], arguments["activation_checkpointing"]) == (
        "adamw_torch_fused", False, False)
    stats = json.loads((run / "dataset_stats.json").read_text())
    assert (stats["train"]["pairs"], stats["eval"]["pairs"], stats["train"]["shortened_prompts"]) == (18, 12, 0)
    # Evaluation ran half-way and at the end, on pairs that carry the builder's extra columns.
    history = json.loads((run / "trainer_state.json").read_text())["log_history"]
    assert [h["step"] for h in history if "eval_loss" in h] == [1, 2]


@pytest.mark.parametrize("trainer_name", ["stock", "grouped"])
@pytest.mark.slow
def test_saved_adapter_reloads_to_the_same_logprobs(tmp_path, tiny_model_dir, pairs_dir, trainer_name):
    from peft import PeftModel
    from transformers import AutoModelForCausalLM

    # TRL's stock trainer has no choice term (the CPU default): it trains DPO here
    loss = ["--loss_type", "sigmoid"] if trainer_name == "stock" else []
    trainer = tiny_run(tiny_model_dir, pairs_dir, tmp_path, *QUIET, "--trainer", trainer_name, *loss)
    if trainer_name == "stock":  # TRL keeps the builder's columns in its dataset (and out of its batches)
        assert {*METADATA, "code_span"} <= set(trainer.train_dataset.column_names)
    reloaded = PeftModel.from_pretrained(AutoModelForCausalLM.from_pretrained(tiny_model_dir),
                                         Path(trainer.args.output_dir) / "final_checkpoint").eval()
    model = trainer.model.eval()
    row = json.loads((pairs_dir / "train.jsonl").read_text().splitlines()[0])
    prompt, answers = tokenize_item(trainer.processing_class, row["prompt"],
                                    [row["chosen"][0]["content"], row["rejected"][0]["content"]])
    for answer in answers:
        ids = torch.tensor([prompt + answer])
        with torch.no_grad():
            in_memory = torch.log_softmax(model(input_ids=ids).logits, -1)
            from_disk = torch.log_softmax(reloaded(input_ids=ids).logits, -1)
            with reloaded.disable_adapter():
                base = torch.log_softmax(reloaded(input_ids=ids).logits, -1)
        torch.testing.assert_close(from_disk, in_memory, rtol=1e-5, atol=1e-5)
        assert (base - in_memory).abs().max() > 1e-3  # the adapter matters


@pytest.mark.slow
def test_a_run_that_dies_looks_incomplete_and_resumes_in_its_own_folder(tmp_path, tiny_model_dir, pairs_dir,
                                                                         monkeypatch):
    from trl import DPOTrainer

    argv = ["--max_steps", "3", "--save_steps", "1", "--eval_dataset_path", "none", "--report_to", "none"]
    save_checkpoint = DPOTrainer._save_checkpoint

    def save_then_die(self, *args, **kwargs):
        save_checkpoint(self, *args, **kwargs)
        if self.state.global_step == 2:
            raise RuntimeError("power cut")

    monkeypatch.setattr(DPOTrainer, "_save_checkpoint", save_then_die)
    with pytest.raises(RuntimeError, match="power cut"):
        tiny_run(tiny_model_dir, pairs_dir, tmp_path, *argv)
    monkeypatch.undo()
    [run] = run_folders(tmp_path)
    assert not (run / "final_checkpoint").exists() and not list(run.rglob("time.txt"))
    assert (run / "arguments.yaml").is_file() and (run / "dataset_stats.json").is_file()
    assert sorted(p.name for p in run.glob("checkpoint-*")) == ["checkpoint-1", "checkpoint-2"]

    # The run folder alone says what to continue: its arguments.yaml supplies every setting, and the
    # record of how the run was made stays as its first start wrote it.
    first_start = {name: (run / name).read_bytes() for name in ("arguments.yaml", "dataset_stats.json",
                                                                "dataset_report.json")}
    trainer = dpo_train.train(["--resume_from_checkpoint", str(run)])
    assert {name: (run / name).read_bytes() for name in first_start} == first_start
    assert run_folders(tmp_path) == [run] and Path(trainer.args.output_dir) == run
    assert trainer.state.global_step == 3
    assert [h["step"] for h in trainer.state.log_history if "loss" in h] == [1, 2, 3]
    assert (run / "final_checkpoint" / "time.txt").is_file()


@pytest.mark.slow
def test_4bit_quantized_training_runs_on_cpu(tmp_path, tiny_model_dir, pairs_dir):
    trainer = tiny_run(tiny_model_dir, pairs_dir, tmp_path, *QUIET, "--quantization", "4bit", "--max_steps", "1")
    q_proj = trainer.model.get_base_model().model.layers[0].self_attn.q_proj
    assert type(q_proj.base_layer).__name__ == "Linear4bit" and q_proj.base_layer.weight.quant_type == "nf4"
    run = Path(trainer.args.output_dir)
    assert yaml.safe_load((run / "arguments.yaml").read_text())["quantization"] == "4bit"
    assert all(w.abs().sum() > 0 for w in lora_b_tensors(run / "final_checkpoint").values())


@pytest.mark.slow
def test_embedded_model_runs_two_steps_of_the_cpu_default(tmp_path, pairs_dir):
    """configs/train/cpu.yaml on the embedded model: the classifier loss, the top 4 layers' own weights, the
    26 below cached; the run folder holds the whole model."""
    trainer = dpo_train.train(["--model", "smollm2-135m", *data_args(pairs_dir, tmp_path), *QUIET,
                              "--max_steps", "2", "--max_length", "192", "--disable_tqdm", "True"])
    assert trainer.state.global_step == 2 and trainer.args.loss_type == ["choice"]
    assert trainer.args.cache_frozen_layers is True
    losses = [h["loss"] for h in trainer.state.log_history if "loss" in h]
    assert len(losses) == 2 and all(0 < loss < 5 for loss in losses)
    final = Path(trainer.args.output_dir) / "final_checkpoint"
    assert (final / "model.safetensors").is_file() and not (final / "adapter_model.safetensors").exists()


@pytest.mark.slow
def test_the_choice_loss_trains_a_classifier_over_the_options(tmp_path, tiny_model_dir, pairs_dir):
    """--loss_type choice: only the answers' start up to the TA's letter is packed, no reference pass runs,
    the classifier's accuracy is logged, and --method auto scores the run by its letters."""
    from evaluate import auto_method

    trainer = tiny_run(tiny_model_dir, pairs_dir, tmp_path, *QUIET, "--loss_type", "choice")
    assert trainer.loss_types == ["choice"] and trainer.data_collator.answers == "letter"
    assert "ref_answer_logps" not in trainer.train_dataset.column_names
    logs = [h for h in trainer.state.log_history if "loss" in h]
    assert len(logs) == 2 and all(torch.isfinite(torch.tensor(h["loss"])) for h in logs)
    assert "choice/accuracy" in logs[-1] and "rewards/chosen" not in logs[-1]
    run_args = yaml.safe_load((Path(trainer.args.output_dir) / "arguments.yaml").read_text())
    assert run_args["loss_type"] == ["choice"] and auto_method(run_args) == "first_token"
    assert auto_method({"loss_type": ["sigmoid"]}) == auto_method(None) == "likelihood"


def test_min_train_steps_gives_a_small_training_set_more_epochs(tmp_path, tiny_model_dir, pairs_dir):
    """--min_train_steps raises --num_train_epochs to the whole epochs that many steps need (recorded in the
    run folder), leaves a large enough set alone, and counting the steps does not change the training."""
    from Utils.train_args import epochs_for_min_steps

    assert epochs_for_min_steps(5, 66, 660) == 10 and epochs_for_min_steps(5, 140, 660) == 5
    assert epochs_for_min_steps(1, 3, 7) == 3 and epochs_for_min_steps(2, 3, 0) == 2

    def run(name, min_steps):
        return tiny_run(tiny_model_dir, pairs_dir, tmp_path / name, *QUIET, "--loss_type", "choice",
                        "--max_steps", "-1", "--num_train_epochs", "1", "--min_train_steps", str(min_steps))

    plain = run("plain", 0)
    per_epoch = plain.state.max_steps
    same = run("same", per_epoch)  # one epoch already gives that many steps
    more = run("more", 2 * per_epoch + 1)
    losses = [[h["loss"] for h in t.state.log_history if "loss" in h] for t in (plain, same)]
    assert losses[0] == losses[1] and same.args.num_train_epochs == 1
    assert more.args.num_train_epochs == 3 and more.state.max_steps == 3 * per_epoch
    run_args = yaml.safe_load((Path(more.args.output_dir) / "arguments.yaml").read_text())
    assert run_args["num_train_epochs"] == 3 and run_args["min_train_steps"] == 2 * per_epoch + 1


# ------------------------------------------------------------------------------ tokens and lengths


CRIT = Criterion("Loop bound", "Is the loop bound correct?",
                 (Rating("A", "Correct bound"), Rating("B", "Off by one"), Rating("C", "No loop")))
LONG_CODE = "\n".join(f"int x{i} = {i} * {i}; // line {i}" for i in range(80))


def item_rows(code, student, system="Grade the code."):
    """The builder's rows for one item: the TA chose A; B and C are rejected."""
    messages, span = build_prompt(system, "Print 1..n.", code, "cpp", CRIT)
    chosen = [{"role": "assistant", "content": answer_text(CRIT.ratings[0])}]
    return [{"prompt": messages, "chosen": chosen,
             "rejected": [{"role": "assistant", "content": answer_text(r)}],
             "lab": "lab1", "student_id": student, "criterion": CRIT.title, "chosen_option": "A",
             "rejected_option": r.letter, "options": ["A", "B", "C"], "code_span": list(span)}
            for r in CRIT.ratings[1:]]


def pair_lengths(tokenizer, row, supports_system=True):
    prompt, answers = tokenize_item(tokenizer, row["prompt"], [row["chosen"][0]["content"],
                                                               row["rejected"][0]["content"]], supports_system)
    return len(prompt), max(len(a) for a in answers)


def test_long_code_is_shortened_to_fit_and_counted_and_no_pair_is_dropped(smollm_tokenizer):
    rows = item_rows(LONG_CODE, "s1") + item_rows("int main() {}", "s2")
    short_prompt, answer = pair_lengths(smollm_tokenizer, rows[2])
    long_prompt, _ = pair_lengths(smollm_tokenizer, rows[0])
    max_length = short_prompt + answer + 200
    assert long_prompt + answer > max_length
    prepared, stats = train_data.prepare_pairs(rows, smollm_tokenizer, True, max_length)
    assert len(prepared) == 4 and (stats["shortened_prompts"], stats["shortened_pairs"]) == (1, 2)
    assert stats["tokens"]["pair"]["max"] <= max_length
    assert stats["tokens"]["prompt_before_shortening"]["max"] == long_prompt
    for row in prepared:
        prompt, longest = pair_lengths(smollm_tokenizer, row)
        assert prompt + longest <= max_length
    first, second = prepared[0], prepared[1]
    assert first["prompt"] == second["prompt"]  # both pairs of one item see the same code
    user = first["prompt"][1]["content"]
    start, end = first["code_span"]
    code = user[start:end]
    assert code.startswith("int x0 = 0") and code.endswith("// line 79")
    assert "lines of the student's code omitted" in code and "line 40" not in code
    assert user.endswith("## Options\nA. Correct bound\nB. Off by one\nC. No loop")
    assert prepared[2:] == rows[2:]  # short prompts untouched
    assert [r["rejected"] for r in prepared] == [r["rejected"] for r in rows]


def test_prompts_that_cannot_fit_are_all_named(smollm_tokenizer):
    rows = item_rows(LONG_CODE, "s1") + item_rows(LONG_CODE + "\n// other", "s2")
    with pytest.raises(ValueError, match=r"2 prompts \(4 pairs\) do not fit --max_length 40.*\n"
                                         r"  row 1 \(lab1, s1, Loop bound\): .*\n  row 3 \(lab1, s2, Loop bound\)"):
        train_data.prepare_pairs(rows, smollm_tokenizer, True, 40)


def test_system_prompt_is_folded_for_templates_without_system_role(smollm_tokenizer):
    rows = item_rows(LONG_CODE, "s1", system="SYSTEM TEXT")
    prepared, _ = train_data.prepare_pairs(rows, smollm_tokenizer, False, 2000)
    messages = prepared[0]["prompt"]
    assert [m["role"] for m in messages] == ["user"] and messages[0]["content"].startswith("SYSTEM TEXT\n\n## Problem")
    start, end = prepared[0]["code_span"]
    assert messages[0]["content"][start:end] == LONG_CODE


def test_llama_style_prompt_has_exactly_one_bos_in_what_trl_trains_on(tmp_path, smollm_tokenizer):
    """A tokenizer that adds BOS itself and a template that starts with it: still one BOS."""
    from peft import LoraConfig
    from transformers import AutoTokenizer
    from trl import DPOConfig, DPOTrainer
    from datasets import Dataset

    smollm_tokenizer.save_pretrained(tmp_path / "tok")
    tokenizer = AutoTokenizer.from_pretrained(tmp_path / "tok")
    tokenizer.add_special_tokens({"bos_token": "<s>"})
    tokenizer.add_bos_token = True
    tokenizer.chat_template = (  # CodeLlama-Instruct's layout
        "{{ bos_token }}{% for m in messages %}{% if m['role'] == 'system' %}{{ '<<SYS>>\\n' + m['content'] + "
        "'\\n<</SYS>>\\n\\n' }}{% elif m['role'] == 'user' %}{{ '[INST] ' + m['content'] + ' [/INST]' }}"
        "{% else %}{{ ' ' + m['content'] + ' ' + eos_token }}{% endif %}{% endfor %}")
    bos = tokenizer.bos_token_id
    assert tokenizer("x").input_ids[0] == bos  # the hazard: plain tokenizing adds a BOS too
    rows = item_rows("int main() { return 0; }", "s1")
    prepared, _ = train_data.prepare_pairs(rows, tokenizer, True, 1024)
    model = tiny_llama(len(tokenizer), tokenizer=tokenizer).train()
    trainer = DPOTrainer(model=model, processing_class=tokenizer, train_dataset=Dataset.from_list(prepared),
                         peft_config=LoraConfig(r=2, target_modules=["q_proj"], task_type="CAUSAL_LM"),
                         args=DPOConfig(output_dir=str(tmp_path / "out"), bf16=False, use_cpu=True,
                                        activation_checkpointing=False, report_to=[], max_length=1024))
    for row, trained in zip(rows, trainer.train_dataset):
        prompt_ids, (chosen_ids, rejected_ids) = tokenize_item(
            tokenizer, row["prompt"], [row["chosen"][0]["content"], row["rejected"][0]["content"]])
        assert trained["prompt_ids"].count(bos) == 1 and trained["prompt_ids"][0] == bos
        assert (trained["prompt_ids"], trained["chosen_ids"], trained["rejected_ids"]) == (
            prompt_ids, chosen_ids, rejected_ids)
        assert chosen_ids[-1] == tokenizer.eos_token_id
    batch = next(iter(trainer.get_train_dataloader()))
    assert ((batch["input_ids"] == bos).sum(-1) == 1).all()


# ------------------------------------------------------------------------------ arguments, folders, choices


def test_flags_win_over_config_file_which_wins_over_device_defaults(tmp_path):
    config = tmp_path / "exp.yaml"
    config.write_text("beta: 0.3\nlearning_rate: 1.0e-3\nlora_r: 4\ngradient_checkpointing: true\n"
                      "report_to: [none]\ntrainer: stock\n")
    script, training = train_args.parse_arguments(["--config", str(config), "--beta", "0.5", "--lora_alpha", "8"])
    assert (training.beta, script.lora_alpha) == (0.5, 8)  # flags
    assert (training.learning_rate, script.lora_r, training.report_to) == (1e-3, 4, [])  # config file ("none")
    assert training.activation_checkpointing is True  # the older name still works
    _, negated = train_args.parse_arguments(["--config", str(config), "--no_gradient_checkpointing"])
    assert negated.activation_checkpointing is False
    assert train_args.parse_arguments(["--max_train_pairs", "0"])[0].max_train_pairs is None  # 0: all pairs
    # configs/train/cpu.yaml
    assert (training.optim, training.bf16, training.use_cpu, training.lr_scheduler_type) == (
        "adamw_torch_fused", False, True, "cosine")
    assert script.device == "cpu" and training.output_dir == "runs"
    # The resolved arguments of a run read back to the same values.
    record = train_args.arguments_record(script, training, "runs")
    (tmp_path / "arguments.yaml").write_text(yaml.safe_dump(record))
    again = train_args.arguments_record(*train_args.parse_arguments(["--config", str(tmp_path / "arguments.yaml")]), "runs")
    assert again == record


def test_unknown_or_invalid_settings_are_refused(tmp_path):
    config = tmp_path / "bad.yaml"
    config.write_text("beta: 0.3\nbetta: 0.2\nlora_rank: 4\n")
    with pytest.raises(ValueError, match=r"unknown keys \['betta', 'lora_rank'\]"):
        train_args.parse_arguments(["--config", str(config)])
    with pytest.raises(ValueError, match="--trainer must be one of"):
        train_args.parse_arguments(["--trainer", "fancy"])
    with pytest.raises(ValueError, match="--quantization must be one of"):
        train_args.parse_arguments(["--quantization", "2bit"])
    with pytest.raises(ValueError, match="--min_train_steps"):
        train_args.parse_arguments(["--min_train_steps", "-5"])
    _, training = train_args.parse_arguments(["--fp16", "True"])
    with pytest.raises(ValueError, match="--fp16 works only on CUDA"):
        train_args.check_combination("cpu", "none", training)


def test_cuda_defaults_are_the_published_recipe():
    recipe = yaml.safe_load(train_args.device_config_path("cuda").read_text())
    assert recipe == {**recipe, "per_device_train_batch_size": 1, "gradient_accumulation_steps": 16,
                      "learning_rate": 1e-5, "lr_scheduler_type": "cosine", "warmup_steps": 100,
                      "num_train_epochs": 1, "beta": 0.1, "lora_r": 16, "lora_alpha": 16, "lora_dropout": 0.1,
                      "max_length": 1536, "eval_strategy": "steps", "eval_steps": 0.5, "report_to": ["tensorboard"],
                      "bf16": True, "activation_checkpointing": True, "optim": "paged_adamw_32bit"}
    # Every key is a flag (parsing on CPU would refuse bf16, so check names only).
    from transformers import HfArgumentParser
    from trl import DPOConfig

    flags = {a.dest for a in HfArgumentParser((train_args.RecipeArguments, DPOConfig))._actions}
    assert set(recipe) <= flags


def test_run_folders_are_unique_even_within_one_second(tmp_path):
    now = datetime(2025, 3, 1, 9, 30, 5)
    with ThreadPoolExecutor(8) as pool:
        made = list(pool.map(lambda _: runs.create_run_dir(tmp_path, now), range(8)))
    assert len(set(made)) == 8
    assert sorted(p.name for p in made) == sorted(["model_20250301_093005"] +
                                                  [f"model_20250301_093005_{i}" for i in range(1, 8)])


def test_pairs_are_chosen_as_whole_students_with_a_seed():
    rows = [{"lab": "l", "student_id": f"s{s}", "criterion": c, "n": i}
            for i, (s, c) in enumerate((s, c) for s in range(10) for c in range(3))]
    chosen = train_data.choose_pairs(rows, 10, seed=1)
    students = {r["student_id"] for r in chosen}
    assert len(chosen) == 9 and len(students) == 3  # at most 10 pairs, 3 per student
    assert [r["n"] for r in chosen] == sorted(r["n"] for r in chosen)  # file order
    assert chosen == train_data.choose_pairs(rows, 10, seed=1) and chosen != train_data.choose_pairs(rows, 10, seed=2)
    assert train_data.choose_pairs(rows, None, seed=1) == rows


def test_bad_rows_are_all_reported_with_line_and_field(tmp_path):
    good = item_rows("int main() {}", "s1")[0]
    rows = [good, {**good, "chosen": []}, {**good, "rejected": [{"role": "user", "content": "x"}]},
            {**good, "code_span": [5, 10_000]}]
    with pytest.raises(ValueError) as error:
        check_pairs(rows, "train.jsonl")
    message = str(error.value)
    assert "3 problems in train.jsonl" in message
    assert "train.jsonl line 2: field 'chosen' must be a non-empty list" in message
    assert "train.jsonl line 3: field 'rejected' message role 'user'" in message
    assert "train.jsonl line 4: field 'code_span' [5, 10000]" in message


@pytest.mark.slow
def test_full_fine_tuning_of_the_top_layers_with_the_sft_loss(tmp_path, tiny_model_dir, pairs_dir):
    """--use_peft False --trainable_layers 1 --loss_type sft: only the top layer and the final norm move, no
    reference model is loaded, and the run folder holds a whole model that scoring loads (base beside it)."""
    from safetensors.torch import load_file
    from transformers import AutoModelForCausalLM

    from Utils.grader import load_for_scoring

    trainer = tiny_run(tiny_model_dir, pairs_dir, tmp_path, *QUIET, "--use_peft", "False", "--trainable_layers", "1",
                       "--loss_type", "sft")
    assert trainer.ref_model is None
    run = Path(trainer.args.output_dir)
    final = run / "final_checkpoint"
    assert (final / "config.json").is_file() and not (final / "adapter_config.json").exists()
    before = AutoModelForCausalLM.from_pretrained(tiny_model_dir).state_dict()
    after = load_file(str(final / "model.safetensors"))
    moved = {k for k in after if not torch.equal(after[k], before[k])}
    assert moved and all(k.startswith(("model.layers.1.", "model.norm.")) for k in moved)
    assert any(k.startswith("model.layers.1.mlp") for k in moved)
    assert yaml.safe_load((run / "arguments.yaml").read_text())["use_peft"] is False
    loaded = load_for_scoring(adapter_path=str(run))
    assert loaded.fine_tuned and loaded.weights_dir == final
    ids = torch.tensor([[1, 2, 3, 4]])
    with torch.no_grad(), loaded.base_model() as base:
        base_logits = base(input_ids=ids).logits
        reference = AutoModelForCausalLM.from_pretrained(tiny_model_dir)(input_ids=ids).logits
        torch.testing.assert_close(base_logits, reference)
        assert (loaded.model(input_ids=ids).logits - reference).abs().max() > 1e-4


@pytest.mark.slow
def test_an_sft_stage_then_dpo_from_its_weights(tmp_path, tiny_model_dir, pairs_dir):
    """The two-stage recipe (TRL: SFT before DPO): a DPO run's --model is the SFT run's final_checkpoint,
    so the SFT model is both where DPO starts and its reference (first loss ln 2), and it is the base
    that evaluation scores beside the DPO adapter."""
    from transformers import AutoModelForCausalLM

    from Utils.grader import load_for_scoring

    sft = tiny_run(tiny_model_dir, pairs_dir, tmp_path / "sft", *QUIET, "--use_peft", "False", "--loss_type", "sft")
    sft_model = Path(sft.args.output_dir) / "final_checkpoint"
    dpo = tiny_run(sft_model, pairs_dir, tmp_path / "dpo", *QUIET, "--loss_type", "sigmoid",
                   "--precompute_ref_log_probs", "True")
    assert [h["loss"] for h in dpo.state.log_history if "loss" in h][0] == pytest.approx(0.6931, abs=1e-3)
    run = Path(dpo.args.output_dir)
    assert yaml.safe_load((run / "arguments.yaml").read_text())["model"] == str(sft_model)
    loaded = load_for_scoring(adapter_path=str(run))
    ids = torch.tensor([[1, 2, 3, 4]])
    with torch.no_grad(), loaded.base_model() as base:
        torch.testing.assert_close(base(input_ids=ids).logits,
                                   AutoModelForCausalLM.from_pretrained(sft_model)(input_ids=ids).logits)


def test_quantized_weights_cannot_be_fully_fine_tuned():
    _, training = train_args.parse_arguments(["--use_peft", "False"])
    with pytest.raises(ValueError, match="needs --use_peft True"):
        train_args.check_combination("cpu", "4bit", training, use_peft=False)
    with pytest.raises(ValueError, match=r"--trainable_layers takes a number of layers \(0: all\), got -1"):
        train_args.parse_arguments(["--trainable_layers", "-1"])
    assert train_args.parse_arguments(["--trainable_layers", "0"])[0].trainable_layers is None  # 0: every layer
    assert train_args.parse_arguments(["--trainable_layers", "3"])[0].trainable_layers == 3


@pytest.mark.slow
def test_lora_on_the_top_layers_with_the_frozen_layers_cached(tmp_path, tiny_model_dir, pairs_dir):
    """--trainable_layers 1 with LoRA: adapters on the top layer only (saved so scoring rebuilds them), and
    --cache_frozen_layers runs the layer below once per student."""
    from Utils.grader import load_for_scoring

    trainer = tiny_run(tiny_model_dir, pairs_dir, tmp_path, *QUIET, "--trainable_layers", "1", "--cache_frozen_layers",
                       "True", "--loss_type", "choice")
    assert trainer.layer_cache.start == 1 and trainer.layer_cache.misses > 0
    final = Path(trainer.args.output_dir) / "final_checkpoint"
    assert json.loads((final / "adapter_config.json").read_text())["layers_to_transform"] == [1]
    names = list(lora_b_tensors(final))
    assert names and all(".layers.1." in n for n in names)
    loaded = load_for_scoring(adapter_path=str(Path(trainer.args.output_dir)))
    assert loaded.fine_tuned
