"""Scoring: items from JSONL and from lab folders agree; packed likelihood equals a direct forward
pass; over-long code is shortened as in training; the generate-mode parser; adapters; evaluate.sh."""

import json
import math
import subprocess

import pytest
import torch

from fixtures import REPO, SINGLE_THREAD_ENV, save_run_folder, save_tiny_model, tiny_llama, write_lab
from Utils.create_dataset import build_dataset
from Utils.items import filter_labs, read_lab_items
from Utils.grader import load_for_scoring, resolve_max_length
from Utils.pairs import PairsFormatError, read_items, write_pairs
from Utils.prompts import fit_to_model, tokenize_item
from Utils.replies import parse_rating
from Utils.runs import find_weights_dir, read_run_arguments
from Utils.scoring import score_generate, score_likelihood

SYSTEM = (REPO / "system_prompt.txt").read_text()
pytestmark = pytest.mark.usefixtures("one_thread")
LONG_CODE = "#include <iostream>\nint main() {\n" + "".join(
    f"    int value{i} = {i} * {i}; // step {i} of the computation\n" for i in range(80)) + "    return 0;\n}\n"


@pytest.fixture(scope="module")
def tokenizer(smollm_tokenizer):
    return smollm_tokenizer


@pytest.fixture(scope="module")
def model(tokenizer):
    return tiny_llama(len(tokenizer))


@pytest.fixture
def lab_parent(labs_dir):
    grades = {f"s{i}@uni.edu": {"Variable names": "ABC"[i % 3], "Loop bound": "AB"[i % 2]} for i in range(3)}
    codes = {f"s{i}@uni.edu": f"int main() {{ int total{i} = {i}; return total{i}; }}\n" for i in range(3)}
    codes["s2@uni.edu"] = LONG_CODE
    write_lab(labs_dir, "lab1", grades=grades, codes=codes)
    return labs_dir


def direct_logprob(model, prompt_ids, answer_ids):
    """Sum of log p(answer token | everything before it) from one plain forward pass (logits kept
    for the last len(answer) + 1 positions only: the ones that predict answer tokens, plus the last)."""
    ids = torch.tensor([prompt_ids + answer_ids])
    with torch.no_grad():
        logits = model(input_ids=ids, logits_to_keep=len(answer_ids) + 1).logits[0]
    logps = torch.log_softmax(logits.float(), -1)
    return sum(logps[j, t].item() for j, t in enumerate(answer_ids))


def test_jsonl_and_lab_folders_give_identical_items(lab_parent, tmp_path):
    from_labs, problems = read_lab_items(lab_parent, [], SYSTEM)
    assert problems == [] and len(from_labs) == 6
    for reasoning in (False, True):  # reasoning in the answers must not reach the scored answer text
        dataset = build_dataset(lab_parent, SYSTEM, eval_lab_names=["lab1"], dpo_reasoning=reasoning)
        write_pairs(dataset.test, tmp_path / "test.jsonl")
        from_jsonl = read_items(tmp_path / "test.jsonl")
        assert [vars(i) for i in from_jsonl] == [vars(i) for i in from_labs]
    with pytest.raises(ValueError, match="lab9'? \\(did you mean lab1"):
        filter_labs(from_jsonl, ["lab9"], "test.jsonl")
    assert filter_labs(from_jsonl, ["lab1"], "test.jsonl") == from_jsonl
    item = from_labs[0]
    assert item.options == ("A", "B", "C") and item.true_option == "A"
    assert item.answers[1] == '{"answer": "B. Ok variable names"}'


def test_bad_jsonl_rows_are_named(tmp_path):
    good = {"prompt": [{"role": "user", "content": "x"}], "lab": "l", "student_id": "s", "criterion": "c",
            "chosen": [{"role": "assistant", "content": '{"answer": "A. yes"}'}],
            "rejected": [{"role": "assistant", "content": '{"answer": "B. no"}'}],
            "chosen_option": "A", "rejected_option": "B", "options": ["A", "B", "C"], "code_span": [0, 1]}
    path = tmp_path / "t.jsonl"
    path.write_text(json.dumps(good) + "\n" + json.dumps({"lab": "l"}) + "\n")
    with pytest.raises(PairsFormatError) as e:
        read_items(path)
    assert "line 2: missing field(s)" in str(e.value)
    assert "no answer text for option(s) C" in str(e.value)


@pytest.mark.slow
def test_packed_likelihood_equals_direct_forward_pass(lab_parent, tokenizer, model):
    items, _ = read_lab_items(lab_parent, [], SYSTEM)
    run = score_likelihood(model, tokenizer, items, max_length=None, batch_size=2)
    # The lab's shared start (system prompt + statement) once, then 3 students (one packed
    # sequence each, after that cached start), 2 per pass.
    assert run.forward_passes == 1 + 2
    for score in run.scores:
        prompt_ids, answers_ids = tokenize_item(tokenizer, score.item.messages, list(score.item.answers))
        expected = [direct_logprob(model, prompt_ids, a) for a in answers_ids]
        assert list(score.logprobs.values()) == pytest.approx(expected, rel=1e-4)
        assert list(score.logprobs) == list(score.item.options)
        assert sum(score.probabilities.values()) == pytest.approx(1.0)
        best = max(score.logprobs, key=score.logprobs.get)
        assert score.predicted_option == best
        assert score.probabilities[best] == pytest.approx(1 / sum(math.exp(v - score.logprobs[best])
                                                                  for v in score.logprobs.values()))
    # Splitting a student's sequence (GPU memory) changes nothing but the number of passes.
    split = score_likelihood(model, tokenizer, items, max_length=None, batch_size=2, max_group_tokens=1)
    assert split.forward_passes == 1 + 3
    for a, b in zip(run.scores, split.scores):
        assert list(a.logprobs.values()) == pytest.approx(list(b.logprobs.values()), rel=1e-5)


def test_each_lab_scores_after_its_own_cached_start(labs_dir, tokenizer, model):
    """Two labs with different statements, interleaved: each lab's students attend to that lab's
    cached start, never the other's; a lab with one student packs its whole prompt."""
    grades = {f"s{i}@uni.edu": {"Variable names": "ABC"[i % 3], "Loop bound": "AB"[i % 2]} for i in range(2)}
    write_lab(labs_dir, "labA", grades=grades, statement="Read n and print the sum of 1..n.")
    write_lab(labs_dir, "labB", grades=grades, statement="Read a word and print it reversed, letter by letter.")
    write_lab(labs_dir, "labC", grades={"solo@uni.edu": grades["s0@uni.edu"]}, statement="Print hello.")
    items, _ = read_lab_items(labs_dir, [], SYSTEM)
    interleaved = sorted(items, key=lambda i: (i.student_id, i.lab))
    run = score_likelihood(model, tokenizer, interleaved, max_length=None, batch_size=2)
    assert run.forward_passes == (1 + 1) + (1 + 1) + 1  # labA, labB: start + one batch; labC: one pass
    for score in run.scores:
        prompt_ids, answers_ids = tokenize_item(tokenizer, score.item.messages, list(score.item.answers))
        expected = [direct_logprob(model, prompt_ids, a) for a in answers_ids]
        assert list(score.logprobs.values()) == pytest.approx(expected, rel=1e-4)
    assert [s.item for s in run.scores] == interleaved  # results in the order of the items given


@pytest.mark.slow
def test_over_long_code_is_shortened_exactly_as_in_training(lab_parent, tokenizer, model):
    items, _ = read_lab_items(lab_parent, [], SYSTEM)
    max_length = 600  # the long submission needs ~1900 tokens (code alone ~1740); the short ones fit
    run = score_likelihood(model, tokenizer, items, max_length=max_length)
    for score in run.scores:
        fitted = fit_to_model(tokenizer, score.item.messages, score.item.code_span, list(score.item.answers), max_length)
        assert score.shortened == fitted.shortened == (score.item.student_id == "s2") and not fitted.error
        assert len(fitted.prompt_ids) + max(len(a) for a in fitted.answers_ids) <= max_length
        expected = [direct_logprob(model, fitted.prompt_ids, a) for a in fitted.answers_ids]
        assert list(score.logprobs.values()) == pytest.approx(expected, rel=1e-4)
    # A budget too small even without any code: reported per item, not dropped, not guessed.
    tiny = score_likelihood(model, tokenizer, items[:1], max_length=50)
    assert tiny.scores[0].predicted_option is None and "even with the student's code removed" in tiny.scores[0].error


# (model reply, options, expected letter or None for a parse failure)
PARSER_CASES = [
    ('{"answer": "B. Ok variable names"}', "ABC", "B"),
    ('{"answer": "C. Poor naming of variables"}<|im_end|>', "ABC", "C"),
    ('```json\n{"answer": "A. Good variable names"}\n```', "ABC", "A"),
    ('Sure! Here is my rating:\n```\n{"answer": "B. Ok variable names"}\n```\nHope it helps.', "ABC", "B"),
    ('{"answer": "b. ok variable names"}', "ABC", "B"),
    ('{"Answer": "Option C"}', "ABC", "C"),
    ('{"answer": "B. Ok variable names", "reasoning": "names like x1"} The student', "ABC", "B"),
    ('{"answer": "A. Good var', "ABC", "A"),  # cut off by max_new_tokens
    ("B", "ABC", "B"),
    ("b", "ABC", "B"),
    ("B. Ok variable names", "ABC", "B"),
    ("(C) Poor naming of variables", "ABC", "C"),
    ("**A**", "ABC", "A"),
    ("B\nThe variable names are acceptable but could be clearer.", "ABC", "B"),
    ("Answer: B", "ABC", "B"),
    ("answer: c", "ABC", "C"),
    ("The correct answer is B. The names are fine but short.", "ABC", "B"),
    ("I would rate this as option (b).", "ABC", "B"),
    ("Ok variable names", "ABC", "B"),  # quotes exactly one option's description
    # Parse failures:
    ("", "ABC", None),
    ("I cannot determine the rating without running the code.", "ABC", None),
    ("A student should use more descriptive names.", "ABC", None),
    ("The answer is a matter of taste.", "ABC", None),
    ('{"answer": "D. Excellent"}', "ABC", None),  # not an option of this criterion
    ("Answer: D", "ABC", None),
    ("A or B", "ABC", None),
    ('{"answer": 2}', "AB", None),
    ("Good variable names, or maybe Poor naming of variables", "ABC", None),
    # The base model often echoes the option list: not a choice.
    ("A. Good variable names\nB. Ok variable names\nC. Poor naming of variables", "ABC", None),
    ("A. Good variable names\nB. Poor naming of variables", "ABC", None),
    ("A. Good variable names\n\nThe student's names are descriptive.", "ABC", "A"),
]
DESCRIPTIONS = ("Good variable names", "Ok variable names", "Poor naming of variables")


@pytest.mark.parametrize("reply, options, expected", PARSER_CASES)
def test_generate_mode_parser(reply, options, expected):
    assert parse_rating(reply, tuple(options), DESCRIPTIONS[:len(options)]) == expected


def test_generate_mode_counts_what_it_cannot_parse(lab_parent, tokenizer, model):
    items, _ = read_lab_items(lab_parent, [], SYSTEM)
    run = score_generate(model, tokenizer, items[:3], max_length=None, batch_size=2, max_new_tokens=3)
    assert all(s.output_text is not None for s in run.scores)
    assert run.parse_failures == sum(s.predicted_option is None for s in run.scores)
    assert tokenizer.padding_side == "right"  # restored after left-padded generation


@pytest.mark.slow
def test_adapter_run_folder_max_length_and_base_model(lab_parent, tmp_path, tokenizer):
    model_dir = save_tiny_model(tmp_path / "tiny")
    run_dir = save_run_folder(tmp_path / "runs" / "model_20250101-000000", model_dir, max_length=777,
                              in_final_checkpoint=True)
    assert find_weights_dir(run_dir) == run_dir / "final_checkpoint"
    assert find_weights_dir(run_dir / "final_checkpoint") == run_dir / "final_checkpoint"
    with pytest.raises(FileNotFoundError, match="adapter_config.json"):
        find_weights_dir(tmp_path)
    args, path = read_run_arguments(run_dir)
    assert path.name == "arguments.yaml" and args["max_length"] == 777
    # Without --model the run's saved model is used; the base is the same weights, adapter off.
    loaded = load_for_scoring(adapter_path=str(run_dir / "final_checkpoint"))
    assert resolve_max_length(loaded, None) == (777, str(path))
    assert resolve_max_length(loaded, 512) == (512, "--max_length")
    items, _ = read_lab_items(lab_parent, [], SYSTEM)
    tuned = score_likelihood(loaded.model, loaded.tokenizer, items[:2], max_length=777)
    with loaded.model.disable_adapter():
        base = score_likelihood(loaded.model, loaded.tokenizer, items[:2], max_length=777)
    bare = load_for_scoring(model=str(model_dir))
    reference = score_likelihood(bare.model, bare.tokenizer, items[:2], max_length=777)
    for b, r, t in zip(base.scores, reference.scores, tuned.scores):
        assert list(b.logprobs.values()) == pytest.approx(list(r.logprobs.values()), rel=1e-5)
        assert list(t.logprobs.values()) != pytest.approx(list(r.logprobs.values()), rel=1e-3)


@pytest.mark.slow
def test_evaluate_sh_end_to_end(lab_parent, tmp_path):
    model_dir = save_tiny_model(tmp_path / "tiny")
    run_dir = save_run_folder(tmp_path / "runs" / "model_1", model_dir)
    out = tmp_path / "eval"
    result = subprocess.run(
        ["bash", str(REPO / "evaluate.sh"), "--adapter_path", str(run_dir), "--parent_dir", str(lab_parent),
         "--output_dir", str(out)],
        capture_output=True, text=True, timeout=300, env={**SINGLE_THREAD_ENV, "PYTHONPATH": str(REPO)})
    assert result.returncode == 0, result.stderr[-3000:]
    assert {p.name for p in out.iterdir()} == {
        "predictions.jsonl", "report.json", "report.md", "confusion_fine_tuned.png", "confusion_base.png",
        "accuracy_per_lab.png", "training_curves.png", "reliability.png"}
    lines = [json.loads(line) for line in (out / "predictions.jsonl").read_text().splitlines()]
    assert [line["model"] for line in lines] == ["fine_tuned"] * 6 + ["base"] * 6
    assert set(lines[0]) >= {"lab", "student_id", "criterion", "true_option", "predicted_option", "probabilities"}
    report = json.loads((out / "report.json").read_text())
    assert report["max_length"] == 900 and report["max_length_source"].endswith("arguments.yaml")
    for section in (report, report["base"]):
        assert section["n_items"] == 6
        correct = sum(line["predicted_option"] == line["true_option"] for line in lines
                      if line["model"] == section["model"]["label"])
        assert section["micro_accuracy"] == correct / 6
        assert set(section) >= {"per_criterion", "per_lab", "macro_accuracy", "cohen_kappa", "confusion_matrices",
                                "parse_failures", "items_per_second"}
    assert "| all items | 6 |" in (out / "report.md").read_text()
    assert "all items" in result.stdout and "fine-tuned" in result.stdout and "constant" in result.stdout
    # Baselines on the same items, and a temperature fitted on these (in-lab) items, saved for grade.py.
    constant = report["baselines"]["constant_answer"]["all items"]
    assert constant["n"] == 6 and 0 < constant["accuracy"] <= 1
    assert report["baselines"]["chance"]["all items"]["accuracy"] == pytest.approx((3 * 1 / 3 + 3 * 1 / 2) / 6)
    [saved] = json.loads((run_dir / "calibration.json").read_text())["settings"]
    assert saved["n_items"] == 6 and saved["temperature"] > 0
    assert (saved["method"], saved["quantization"]) == ("likelihood", "none")  # the setting grade.py must match
    assert report["calibration"]["temperature"] == pytest.approx(saved["temperature"])
    assert all(0 < line["confidence"] <= 1 for line in lines)


@pytest.mark.slow
def test_training_curves_from_tensorboard_events_when_no_trainer_state(tmp_path):
    from torch.utils.tensorboard import SummaryWriter

    from Utils.report import plot_training_curves, read_training_log

    writer = SummaryWriter(str(tmp_path / "runs" / "Jan01_host"))
    for step, loss in [(1, 0.69), (2, 0.6), (3, 0.5)]:
        writer.add_scalar("train/loss", loss, step)
        writer.add_scalar("train/rewards/accuracies", 1 - loss, step)
    writer.add_scalar("eval/loss", 0.55, 3)
    writer.close()
    log = read_training_log(tmp_path)
    assert [v for _, v in log["series"]["loss"]] == pytest.approx([0.69, 0.6, 0.5])
    assert log["series"]["eval_loss"] == [(3, pytest.approx(0.55))]
    assert plot_training_curves(log, tmp_path / "curves.png") and (tmp_path / "curves.png").stat().st_size > 0
    assert read_training_log(tmp_path / "missing") == {}


@pytest.mark.slow
def test_first_token_method_reads_each_letter_from_one_position(lab_parent, tokenizer, model):
    """method first_token: log p(the option's first own token | prompt + the answer start every
    option shares), equal to a direct forward pass, from fewer packed positions than full answers."""
    from Utils.packing import first_token_split

    items, _ = read_lab_items(lab_parent, [], SYSTEM)
    run = score_likelihood(model, tokenizer, items, max_length=None, batch_size=2, first_token=True)
    full = score_likelihood(model, tokenizer, items, max_length=None, batch_size=2)
    assert run.method == "first_token" and run.forward_passes == full.forward_passes
    for score in run.scores:
        prompt_ids, answers_ids = tokenize_item(tokenizer, score.item.messages, list(score.item.answers))
        shared, letters = first_token_split(answers_ids)
        assert [tokenizer.decode([t]) for t in letters] == list(score.item.options)  # the letters
        ids = torch.tensor([prompt_ids + shared])
        with torch.no_grad():
            logps = torch.log_softmax(model(input_ids=ids).logits[0, -1].float(), -1)
        assert list(score.logprobs.values()) == pytest.approx([logps[t].item() for t in letters], rel=1e-4)
        assert score.predicted_option == max(score.logprobs, key=score.logprobs.get)
    assert first_token_split([[1, 2, 3], [1, 2, 4]]) == ([1, 2], [3, 4])
    assert first_token_split([[1, 2, 3], [1, 2, 3, 5]]) is None  # no token of their own: full answers decide


@pytest.mark.slow
def test_first_token_falls_back_to_full_answers_when_options_share_their_first_token(lab_parent, tokenizer, model,
                                                                                      monkeypatch):
    from Utils import packing

    items, _ = read_lab_items(lab_parent, [], SYSTEM)
    real = packing.first_token_split
    shared = {len(items[0].answers)}  # pretend the items with this many options share their first token
    monkeypatch.setattr(packing, "first_token_split", lambda answers: None if len(answers) in shared else real(answers))
    first = score_likelihood(model, tokenizer, items, max_length=None, first_token=True)
    full = score_likelihood(model, tokenizer, items, max_length=None)
    for a, b in zip(first.scores, full.scores):
        if len(a.item.answers) in shared:
            assert a.logprobs == pytest.approx(b.logprobs)  # scored on the full answers
        else:
            assert a.logprobs != pytest.approx(b.logprobs)


@pytest.mark.slow
def test_int8_scoring_on_cpu_quantizes_the_linear_layers_and_keeps_the_scores_close(lab_parent, tmp_path):
    model_dir = save_tiny_model(tmp_path / "tiny")
    run_dir = save_run_folder(tmp_path / "runs" / "model_1", model_dir)
    items, _ = read_lab_items(lab_parent, [], SYSTEM)
    fp32 = load_for_scoring(adapter_path=str(run_dir), quantization="none")
    int8 = load_for_scoring(adapter_path=str(run_dir), quantization="int8")
    assert type(int8.model.model.layers[0].self_attn.q_proj).__name__ == "Linear"
    assert "quantized" in type(int8.model.model.layers[0].self_attn.q_proj).__module__
    a = score_likelihood(fp32.model, fp32.tokenizer, items, max_length=None)
    b = score_likelihood(int8.model, int8.tokenizer, items, max_length=None)
    for x, y in zip(a.scores, b.scores):
        assert list(y.logprobs.values()) == pytest.approx(list(x.logprobs.values()), rel=0.05)
    with int8.base_model() as base:  # the adapter was merged before quantizing: the base is loaded beside it
        assert base is not int8.model
    from Utils.models import resolve_quantization

    with pytest.raises(ValueError, match="int8 is for the CPU"):
        resolve_quantization("int8", "cuda")


@pytest.mark.slow
def test_bf16_scoring_on_cpu_runs_the_linear_products_in_bf16_and_keeps_the_logits_float32(lab_parent, tmp_path):
    import torch

    from Utils.models import Bf16Linear, resolve_quantization

    model_dir = save_tiny_model(tmp_path / "tiny")
    run_dir = save_run_folder(tmp_path / "runs" / "model_1", model_dir)
    items, _ = read_lab_items(lab_parent, [], SYSTEM)
    fp32 = load_for_scoring(adapter_path=str(run_dir), quantization="none", merge_adapter=True)
    bf16 = load_for_scoring(adapter_path=str(run_dir), quantization="bf16")  # merges the adapter, then rounds
    layer = bf16.model.model.layers[0]
    assert isinstance(layer.self_attn.q_proj, Bf16Linear) and isinstance(layer.mlp.down_proj, Bf16Linear)
    assert layer.self_attn.q_proj.weight.dtype == torch.bfloat16
    assert layer.self_attn.q_proj.weight.float().equal(  # the same weights, rounded once
        fp32.model.model.layers[0].self_attn.q_proj.weight.to(torch.bfloat16).float())
    head = bf16.model.get_output_embeddings()
    assert type(head) is torch.nn.Linear and head.weight.dtype == torch.float32  # the logits: float32
    a = score_likelihood(fp32.model, fp32.tokenizer, items, max_length=None)
    b = score_likelihood(bf16.model, bf16.tokenizer, items, max_length=None)
    assert b.scores[0].logprobs != a.scores[0].logprobs  # computed differently ...
    for x, y in zip(a.scores, b.scores):  # ... to bfloat16's rounding
        assert list(y.logprobs.values()) == pytest.approx(list(x.logprobs.values()), rel=0.05)
    with pytest.raises(ValueError, match="bf16 is for the CPU"):
        resolve_quantization("bf16", "cuda")


def test_a_merged_adapter_scores_as_the_adapter_does(lab_parent, tmp_path):
    """grade.py merges the LoRA adapter into float weights (faster): the same first-token scores, and the base
    model is still there for whoever asks (loaded beside it)."""
    model_dir = save_tiny_model(tmp_path / "tiny")
    run_dir = save_run_folder(tmp_path / "runs" / "model_1", model_dir)
    items, _ = read_lab_items(lab_parent, [], SYSTEM)
    adapter = load_for_scoring(adapter_path=str(run_dir), quantization="none")
    merged = load_for_scoring(adapter_path=str(run_dir), quantization="none", merge_adapter=True)
    assert hasattr(adapter.model, "disable_adapter") and not hasattr(merged.model, "disable_adapter")
    a = score_likelihood(adapter.model, adapter.tokenizer, items, max_length=None, first_token=True)
    b = score_likelihood(merged.model, merged.tokenizer, items, max_length=None, first_token=True)
    assert [x.predicted_option for x in a.scores] == [y.predicted_option for y in b.scores]
    for x, y in zip(a.scores, b.scores):
        assert list(y.logprobs.values()) == pytest.approx(list(x.logprobs.values()), abs=1e-4)
    with merged.base_model() as base:
        assert base is not merged.model


@pytest.mark.parametrize("first_token", [False, True])
def test_a_run_that_trained_its_top_layers_reads_the_base_models_lower_layers(labs_dir, tokenizer, model, first_token):
    """evaluate.py with a run that trained only its top layers: the base model scores first and keeps what the
    layers both share output for each packed row (after each lab's own cached start); the fine-tuned model then
    runs only its own layers on those rows and gets the scores it gets alone. Nothing is shared with the model
    itself, with a model whose first layer differs, or with a PEFT model."""
    import copy

    from peft import LoraConfig, get_peft_model

    from Utils.layer_cache import decoder_layers, shared_lower_layers

    grades = {f"s{i}@uni.edu": {"Variable names": "ABC"[i % 3], "Loop bound": "AB"[i % 2]} for i in range(3)}
    write_lab(labs_dir, "labA", grades=grades, statement="Read n and print the sum of 1..n.")
    write_lab(labs_dir, "labB", grades=grades, statement="Read a word and print it reversed, letter by letter.")
    items, _ = read_lab_items(labs_dir, [], SYSTEM)
    tuned = copy.deepcopy(model)
    torch.manual_seed(1)
    with torch.no_grad():
        for p in decoder_layers(tuned)[-1].parameters():
            p.add_(torch.randn_like(p) * 0.5)
    shared = shared_lower_layers(model, tuned)
    assert shared.start == 1  # the tiny model's 2 layers: the first is the same
    base_alone = score_likelihood(model, tokenizer, items, max_length=None, batch_size=2, first_token=first_token)
    tuned_alone = score_likelihood(tuned, tokenizer, items, max_length=None, batch_size=2, first_token=first_token)
    base_run = score_likelihood(model, tokenizer, items, max_length=None, batch_size=2, first_token=first_token,
                                lower_layers=shared)
    rows = len(shared.rows)
    assert shared.misses == rows == 6 and shared.hits == 0  # one packed row a student, kept
    first_layer_rows = []
    hook = decoder_layers(tuned)[0].register_forward_hook(lambda _m, args, _o: first_layer_rows.append(args[0].shape[1]))
    try:
        tuned_run = score_likelihood(tuned, tokenizer, items, max_length=None, batch_size=2, first_token=first_token,
                                     lower_layers=shared)
    finally:
        hook.remove()
    assert shared.hits == rows and shared.misses == rows
    # The lower layer ran only over each lab's cached start (one pass a lab; alone it also runs 2 + 2 batches).
    assert len(first_layer_rows) == 2 and tuned_alone.forward_passes == 2 + 4
    for run, alone in [(base_run, base_alone), (tuned_run, tuned_alone)]:
        for a, b in zip(run.scores, alone.scores):
            assert a.item == b.item and a.predicted_option == b.predicted_option
            assert list(a.logprobs.values()) == pytest.approx(list(b.logprobs.values()), rel=1e-5, abs=1e-6)
    assert any(list(a.logprobs.values()) != pytest.approx(list(b.logprobs.values()), rel=1e-3)
               for a, b in zip(tuned_run.scores, base_run.scores))  # the top layer does differ

    assert shared_lower_layers(model, model) is None
    other = copy.deepcopy(model)
    with torch.no_grad():
        next(decoder_layers(other)[0].parameters()).add_(1e-3)
    assert shared_lower_layers(model, other) is None
    lora = get_peft_model(copy.deepcopy(model), LoraConfig(r=2, target_modules=["q_proj"]))
    assert shared_lower_layers(model, lora) is None


def test_evaluate_scores_the_base_model_first_when_the_run_shares_its_lower_layers(labs_dir, tokenizer, model):
    """evaluate.score_models: for a run that trained only its top layers, the base model runs first and the
    fine-tuned model's lower layers never run on a student's row; the report's order stays fine-tuned, base."""
    import contextlib
    import copy
    from types import SimpleNamespace

    import evaluate
    from Utils.distributed import Processes
    from Utils.layer_cache import decoder_layers
    from Utils.report import BASE, FINE_TUNED

    write_lab(labs_dir, "labA", grades={f"s{i}@uni.edu": {"Variable names": "ABC"[i % 3]} for i in range(3)})
    items, _ = read_lab_items(labs_dir, [], SYSTEM)
    tuned = copy.deepcopy(model)
    with torch.no_grad():
        for p in decoder_layers(tuned)[-1].parameters():
            p.mul_(1.5)
    order = []
    hooks = [decoder_layers(m)[0].register_forward_pre_hook(lambda _m, args, label=label: order.append(label))
             for label, m in [(BASE, model), (FINE_TUNED, tuned)]]
    entered = []

    @contextlib.contextmanager
    def base_model():  # grader.LoadedModel loads the base weights from disk here, once
        entered.append(1)
        yield model

    loaded = SimpleNamespace(model=tuned, tokenizer=tokenizer, supports_system=True, fine_tuned=True,
                             base_model=base_model)
    args = evaluate.EvaluateArguments(method="first_token", batch_size=2)
    try:
        runs = evaluate.score_models(args, loaded, items, 1536, Processes(), lambda _text: None)
    finally:
        for hook in hooks:
            hook.remove()
    assert list(runs) == [FINE_TUNED, BASE]
    # base: the lab's cached start and 2 batches; fine-tuned: only its own pass over the cached start
    assert order == [BASE] * 3 + [FINE_TUNED] and len(entered) == 1
    # nothing shared (another first layer): both scored whole, the base model still loaded once
    with torch.no_grad():
        next(decoder_layers(tuned)[0].parameters()).add_(1.0)
    order.clear()
    hooks = [decoder_layers(m)[0].register_forward_pre_hook(lambda _m, args, label=label: order.append(label))
             for label, m in [(BASE, model), (FINE_TUNED, tuned)]]
    try:
        runs = evaluate.score_models(args, loaded, items, 1536, Processes(), lambda _text: None)
    finally:
        for hook in hooks:
            hook.remove()
    assert list(runs) == [FINE_TUNED, BASE] and order == [BASE] * 3 + [FINE_TUNED] * 3 and len(entered) == 2
