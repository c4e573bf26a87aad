"""Grouped DPO equals TRL's DPOTrainer on the same pairs, and trains end to end.

A tiny random Llama with the embedded model's tokenizer, LoRA with random A and B (so the policy
differs from the reference and every LoRA weight gets a gradient), float32 on CPU.
"""

import copy
import os

import pytest
import torch
from datasets import Dataset
from fixtures import tiny_llama
from peft import LoraConfig
from trl import DPOTrainer

from Utils.grouped_dpo import DataCollatorForGroupedPreference, GroupedDPOConfig, GroupedDPOTrainer
from Utils.pairs import PairsFormatError, group_items
from Utils.lab_records import Criterion, Rating
from Utils.prompts import SHORTENED_MARKER, answer_text, build_prompt

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")

RTOL = 1e-4
STATEMENT = "Print n."
CRITERIA = {k: Criterion(f"Criterion {k}", f"Is property {k} met?",
                         tuple(Rating(letter, f"Level {letter} of property {k}") for letter in "ABCD"[:k]))
            for k in (2, 3, 4)}
LORA = dict(r=4, lora_alpha=8, lora_dropout=0.0, target_modules=["q_proj", "k_proj", "v_proj", "o_proj",
                                                                    "gate_proj", "up_proj", "down_proj"],
            task_type="CAUSAL_LM", init_lora_weights=False)


@pytest.fixture(scope="module")
def tokenizer(smollm_tokenizer):
    return smollm_tokenizer


@pytest.fixture(scope="module")
def base_model(tokenizer):
    return tiny_llama(len(tokenizer), tokenizer=tokenizer, max_position_embeddings=1024, tie_word_embeddings=True).train()


def item_rows(student, criterion, chosen, code=None):
    """The builder's rows for one item: K-1 pairs, the TA's rating against each other rating."""
    code = code or f"int main() {{ /* {student} */ }}"
    messages, span = build_prompt("Grade.", STATEMENT, code, "cpp", criterion)
    good = next(r for r in criterion.ratings if r.letter == chosen)
    return [{"prompt": messages, "chosen": [{"role": "assistant", "content": answer_text(good)}],
             "rejected": [{"role": "assistant", "content": answer_text(r)}], "lab": "lab01", "student_id": student,
             "criterion": criterion.title, "chosen_option": chosen, "rejected_option": r.letter,
             "options": [x.letter for x in criterion.ratings], "code_span": list(span)}
            for r in criterion.ratings if r.letter != chosen]


def config(**kwargs):
    kwargs = {"output_dir": "unused", "bf16": False, "activation_checkpointing": False, "report_to": [],
              "save_strategy": "no", "use_cpu": True, "disable_tqdm": True, "max_length": 1024,
              "per_device_train_batch_size": 8, "beta": 0.1, **kwargs}
    return GroupedDPOConfig(**kwargs)


def trainers(base_model, tokenizer, rows, group_by=("item",), **kwargs):
    """TRL's DPOTrainer and a GroupedDPOTrainer per grouping, all with the same LoRA weights."""
    data = Dataset.from_list(rows)
    lora = LoraConfig(**LORA)
    stock = DPOTrainer(model=copy.deepcopy(base_model), args=config(**kwargs), train_dataset=data,
                       processing_class=tokenizer, peft_config=lora)
    grouped = []
    for how in group_by:
        grouped.append(GroupedDPOTrainer(model=copy.deepcopy(base_model), args=config(**kwargs), train_dataset=data,
                                         processing_class=tokenizer, peft_config=lora, group_by=how))
        grouped[-1].model.load_state_dict(stock.model.state_dict())
    return stock, *grouped


def loss_and_grads(trainer):
    """compute_loss on one batch holding the whole dataset, from the trainer's own collator."""
    trainer.model.train()
    trainer.model.zero_grad()
    trainer._metrics["train"].clear()
    batch = trainer.data_collator([trainer.train_dataset[i] for i in range(len(trainer.train_dataset))])
    loss = trainer.compute_loss(trainer.model, batch)
    loss.backward()
    grads = {n: p.grad.clone() for n, p in trainer.model.named_parameters() if p.requires_grad}
    return loss.item(), grads, {k: v[-1] for k, v in trainer._metrics["train"].items()}


def assert_same_training_signal(stock, *grouped_trainers, rewards=True):
    loss_s, grads_s, metrics_s = loss_and_grads(stock)
    assert metrics_s["rewards/margins"] != 0  # the policy differs from the reference
    assert len(grads_s) == 2 * 7 * 2  # A and B, 7 modules, 2 layers
    for grouped in grouped_trainers:
        loss_g, grads_g, metrics_g = loss_and_grads(grouped)
        assert loss_g == pytest.approx(loss_s, rel=RTOL)
        assert grads_s.keys() == grads_g.keys()
        for name, g in grads_s.items():
            assert g.norm() > 0, name
            assert ((grads_g[name] - g).norm() / g.norm()).item() < RTOL, name
        if not rewards:  # no reference pass, so no reward metrics (loss_type sft alone)
            continue
        for key in ["logps/chosen", "logps/rejected", "entropy", "logits/chosen", "logits/rejected",
                    "mean_token_accuracy", "rewards/accuracies"]:
            assert metrics_g[key] == pytest.approx(metrics_s[key], rel=RTOL, abs=1e-6), key
        for key in ["rewards/chosen", "rewards/rejected", "rewards/margins"]:  # beta x differences of logps ~ -120
            assert metrics_g[key] == pytest.approx(metrics_s[key], rel=RTOL, abs=1e-5), key


@pytest.mark.parametrize("k", [2, 3, 4])
@pytest.mark.slow
def test_grouped_loss_and_lora_gradients_equal_stock(base_model, tokenizer, k):
    """One item, K-1 pairs (batches of several items: the next test)."""
    rows = item_rows("s1", CRITERIA[k], "B")
    stock, grouped = trainers(base_model, tokenizer, rows)
    assert len(stock.train_dataset) == k - 1 and len(grouped.train_dataset) == 1  # one row per item
    assert_same_training_signal(stock, grouped)


@pytest.mark.slow
def test_mixed_option_counts_batch_together(base_model, tokenizer):
    """Items with 2, 3 and 4 options in one batch, grouped by item, and by student (one student's
    three items in one sequence, statement and code once)."""
    rows = (item_rows("s1", CRITERIA[2], "A") + item_rows("s1", CRITERIA[3], "C") + item_rows("s1", CRITERIA[4], "B")
            + item_rows("s2", CRITERIA[2], "B"))
    stock, by_item, by_student = trainers(base_model, tokenizer, rows, group_by=("item", "student"))
    assert len(by_item.train_dataset) == 4 and len(by_student.train_dataset) == 2
    for grouped in (by_item, by_student):
        assert sum(grouped.train_dataset["n_pairs"]) == len(rows) == 1 + 2 + 3 + 1
    assert_same_training_signal(stock, by_item, by_student)


@pytest.mark.parametrize("loss", [
    {"loss_type": ["sigmoid", "sft"], "loss_weights": [1.0, 0.5]},  # DPO + NLL on the TA's answer
    {"loss_type": ["robust"], "label_smoothing": 0.1},  # noisy TA labels
    {"loss_type": ["exo_pair"], "label_smoothing": 1e-3},
    {"loss_type": ["hinge"]},
    {"loss_type": ["ipo"]},
    {"loss_type": ["sft"]},
], ids=lambda loss: "+".join(loss["loss_type"]))
@pytest.mark.slow
def test_other_loss_terms_equal_stock(base_model, tokenizer, loss):
    """TRL's other loss terms, in lists with weights: the same loss and LoRA gradients as TRL."""
    rows = item_rows("s1", CRITERIA[3], "B") + item_rows("s1", CRITERIA[4], "A") + item_rows("s2", CRITERIA[2], "A")
    stock, by_item, by_student = trainers(base_model, tokenizer, rows, group_by=("item", "student"), **loss)
    assert_same_training_signal(stock, by_item, by_student, rewards=loss["loss_type"] != ["sft"])


@pytest.mark.slow
def test_packed_answer_logprobs_equal_separate_passes(base_model, tokenizer):
    """Each answer's log-probability from the packed student sequence equals a plain forward pass."""
    rows = item_rows("s1", CRITERIA[3], "B") + item_rows("s1", CRITERIA[4], "A")
    _, grouped = trainers(base_model, tokenizer, rows, group_by=("student",))
    group = grouped.train_dataset[0]
    batch = grouped.data_collator([group])
    model = grouped.model.eval()
    with torch.no_grad():
        packed = grouped._answer_logps(model, batch)[0][0]
        expected = []
        for prompt, answers in zip(group["prompts_ids"], group["answers_ids"]):
            for answer in answers:
                logits = model(input_ids=torch.tensor([prompt + answer])).logits[0]
                logps = torch.log_softmax(logits.float(), -1)[len(prompt) - 1:-1]
                expected.append(logps.gather(-1, torch.tensor(answer)[:, None]).sum().item())
    assert packed.tolist() == pytest.approx(expected, rel=1e-5)
    assert len(expected) == 3 + 4


@pytest.mark.slow
def test_precomputed_reference_equals_stock_precompute(base_model, tokenizer):
    rows = item_rows("s1", CRITERIA[3], "A") + item_rows("s2", CRITERIA[4], "C")
    stock, grouped = trainers(base_model, tokenizer, rows, group_by=("student",), precompute_ref_log_probs=True)
    for g in grouped.train_dataset:
        ref = g["ref_answer_logps"]
        assert len(ref) == sum(len(a) for a in g["answers_ids"])
        for (c, r), row in zip(g["pairs"], g["rows"]):
            assert ref[c] == pytest.approx(stock.train_dataset[row]["ref_chosen_logps"], rel=1e-5)
            assert ref[r] == pytest.approx(stock.train_dataset[row]["ref_rejected_logps"], rel=1e-5)
    assert_same_training_signal(stock, grouped)


@pytest.mark.parametrize("precompute", [False, True])
@pytest.mark.slow
def test_train_end_to_end_changes_lora_weights(base_model, tokenizer, tmp_path, precompute):
    """A few steps of trainer.train(), reference on the fly (with activation checkpointing, as on a GPU)
    or precomputed; then evaluate()."""
    rows = [r for s in range(2) for k, c in [(3, "B"), (2, "A"), (4, "C")] for r in item_rows(f"s{s}", CRITERIA[k], c)]
    data = Dataset.from_list(rows)
    args = config(output_dir=str(tmp_path), max_steps=3, learning_rate=1e-2, logging_steps=1,
                  per_device_train_batch_size=2, precompute_ref_log_probs=precompute, eval_strategy="no",
                  activation_checkpointing=not precompute)
    trainer = GroupedDPOTrainer(model=copy.deepcopy(base_model), args=args, train_dataset=data,
                                eval_dataset=Dataset.from_list(rows[:5]), processing_class=tokenizer,
                                peft_config=LoraConfig(**{**LORA, "init_lora_weights": True}))
    before = {n: p.detach().clone() for n, p in trainer.model.named_parameters() if p.requires_grad}
    trainer.train()
    logs = [h for h in trainer.state.log_history if "loss" in h]
    assert len(logs) == 3 and all(torch.isfinite(torch.tensor(h["loss"])) for h in logs)
    assert logs[0]["loss"] == pytest.approx(0.6931, abs=1e-3)  # policy == reference at the first step
    assert {"rewards/chosen", "rewards/margins", "logps/rejected", "entropy"} <= logs[-1].keys()
    changed = [n for n, p in trainer.model.named_parameters() if p.requires_grad and not torch.equal(p, before[n])]
    assert len(changed) == len(before)
    metrics = trainer.evaluate()
    assert "eval_rewards/accuracies" in metrics and torch.isfinite(torch.tensor(metrics["eval_loss"]))


def test_long_code_is_shortened_to_fit_never_dropped(base_model, tokenizer):
    long_code = "\n".join(f"  int v{i} = {i} * n; // line {i}" for i in range(80))
    rows = item_rows("s1", CRITERIA[3], "A", code=long_code) + item_rows("s2", CRITERIA[3], "B")
    trainer = GroupedDPOTrainer(model=copy.deepcopy(base_model), args=config(max_length=300),
                                processing_class=tokenizer, train_dataset=Dataset.from_list(rows),
                                peft_config=LoraConfig(**LORA), group_by="item")
    data = trainer.train_dataset
    assert sum(data["n_pairs"]) == len(rows) and data["shortened"] == [1, 0] and trainer.shortened["train"] == 1
    prompt, answers = data[0]["prompts_ids"][0], data[0]["answers_ids"][0]
    assert len(prompt) + max(len(a) for a in answers) <= 300
    text = tokenizer.decode(prompt)
    assert SHORTENED_MARKER.split("{n}")[1].strip() in text and "line 0\n" in text and "line 79\n" in text
    assert text.rstrip().endswith("<|im_start|>assistant")


def test_unsupported_options_are_refused_all_at_once(base_model, tokenizer):
    rows = item_rows("s1", CRITERIA[2], "A")
    args = config(loss_type=["nca_pair"], padding_free=True, use_weighting=True)
    with pytest.raises(ValueError) as err:
        GroupedDPOTrainer(model=copy.deepcopy(base_model), args=args, train_dataset=Dataset.from_list(rows),
                          processing_class=tokenizer, peft_config=LoraConfig(**LORA), group_by="criterion")
    message = str(err.value)
    for what in ["loss_type 'nca_pair'", "padding_free", "use_weighting", "group_by='criterion'"]:
        assert what in message


def test_group_items_keeps_every_pair():
    rows = item_rows("s1", CRITERIA[3], "A") + item_rows("s1", CRITERIA[3], "A")[:1]  # a repeated pair
    rows += item_rows("s2", CRITERIA[2], "B")
    other_prompt = dict(rows[-1], prompt=[{"role": "user", "content": "shortened differently"}], code_span=None)
    grouped = group_items(rows + [other_prompt])
    items = grouped.items
    assert [len(i.pairs) for i in items] == [3, 1, 1]  # the repeat stays a pair; a different prompt is an item
    assert items[0].answers == tuple(answer_text(r) for r in CRITERIA[3].ratings)
    assert items[0].pairs == ((0, 1), (0, 2), (0, 1))
    assert grouped.rows == [[0, 1, 2], [3], [4]]
    bad = dict(rows[0], chosen="not a message list")
    with pytest.raises(PairsFormatError, match=r"pairs line 6: field 'chosen' must be a non-empty list"):
        group_items(rows + [other_prompt, bad])


def test_collator_pairs_point_at_their_answer_slots():
    examples = [{"prompts_ids": [[1, 2, 3]], "answers_ids": [[[4], [5, 6], [7]]], "pairs": [[0, 1], [0, 2]]},
                {"prompts_ids": [[1, 2, 9], [1, 2, 8]], "answers_ids": [[[4], [5]], [[6], [7]]],
                 "pairs": [[0, 1], [2, 3]]}]
    batch = DataCollatorForGroupedPreference(pad_token_id=0)(examples)
    assert batch["pair_row"].tolist() == [0, 0, 1, 1]
    assert batch["pair_chosen"].tolist() == [0, 0, 0, 2] and batch["pair_rejected"].tolist() == [1, 2, 1, 3]
    assert batch["answer_item"].tolist() == [[0, 0, 0, -1], [0, 0, 1, 1]]
    assert batch["token_count"].tolist() == [7, 2 + 1 + 2 + 1 + 2]  # shared prefix [1, 2] once


@pytest.mark.parametrize("loss_type", [["choice"], ["sft", "choice"], ["sigmoid", "choice"]])
@pytest.mark.slow
def test_choice_term_equals_a_classifier_over_separate_passes(base_model, tokenizer, loss_type):
    """loss_type choice: per item, cross-entropy over the options' letter logits at the position that
    predicts the letter, equal to plain forward passes over prompt + the answer start; choice alone packs
    only that start (sft: only the TA's answer; a preference term: every answer), and the loss is the same
    whatever is packed and however items are grouped."""
    from Utils.grouped_dpo import answers_to_pack
    from Utils.packing import first_token_split

    rows = item_rows("s1", CRITERIA[3], "B") + item_rows("s1", CRITERIA[4], "A") + item_rows("s2", CRITERIA[2], "B")
    kwargs = {"loss_type": loss_type, "precompute_ref_log_probs": "sigmoid" in loss_type}
    _, by_item, by_student = trainers(base_model, tokenizer, rows, group_by=("item", "student"), **kwargs)
    assert by_item.data_collator.answers == answers_to_pack(loss_type) == {
        ("choice",): "letter", ("sft", "choice"): "chosen", ("sigmoid", "choice"): "all"}[tuple(loss_type)]
    model = by_item.model.train()
    expected = []
    with torch.no_grad():
        for group in by_item.train_dataset:
            (prompt,), (answers,), pairs = group["prompts_ids"], group["answers_ids"], group["pairs"]
            shared, letters = first_token_split(answers)
            logits = model(input_ids=torch.tensor([prompt + shared])).logits[0, -1].float()
            logps = torch.log_softmax(logits[letters], -1)
            expected.append(-logps[pairs[0][0]].item())
    choice = sum(expected) / len(expected)
    for trainer in (by_item, by_student):
        batch = trainer.data_collator([trainer.train_dataset[i] for i in range(len(trainer.train_dataset))])
        assert batch["choice_label"].tolist() in ([1, 0, 1], [1, 0, 1])  # the TA's options B, A, B
        with torch.no_grad():
            logits = trainer._answer_logps(model, batch)[1]
            from Utils.grouped_dpo import option_logits
            z, labels = option_logits(logits, batch)
        assert z.shape == (3, 4) and torch.isinf(z[0, 3]) and torch.isinf(z[2, 2:]).all()
        loss_terms = torch.nn.functional.cross_entropy(z, labels).item()
        assert loss_terms == pytest.approx(choice, rel=1e-4)
        if loss_type == ["choice"]:
            # only the answer start and the TA's letter follow each prompt
            assert batch["target_ids"].shape[1] <= (len(shared) + 1) * (3 if trainer is by_student else 1) + 2
            loss_g, grads_g, metrics = loss_and_grads(trainer)
            assert loss_g == pytest.approx(choice, rel=1e-4)
            assert all(g.norm() > 0 for g in grads_g.values())
            assert "choice/accuracy" in metrics and "logps/rejected" not in metrics


def test_choice_alone_runs_the_head_only_where_a_letter_is_predicted(base_model, tokenizer):
    """loss_type choice alone: the LM head runs at one position per item (not at every token of the answers'
    start), with the loss and gradients of the general path (the logits at every answer token, then the
    letters at the position that predicts the TA's letter), under the step's normalization too."""
    from Utils.grouped_dpo import option_logits
    from Utils.layer_cache import base_model as unwrapped
    from Utils.loss import choice_loss
    from Utils.packing import answer_logits

    rows = (item_rows("s1", CRITERIA[3], "B") + item_rows("s1", CRITERIA[4], "A") + item_rows("s2", CRITERIA[2], "B")
            + item_rows("s3", CRITERIA[4], "D"))
    _, trainer = trainers(base_model, tokenizer, rows, group_by=("student",), loss_type=["choice"])
    batch = trainer.data_collator([trainer.train_dataset[i] for i in range(len(trainer.train_dataset))])
    n_rows, n_items = batch["input_ids"].shape[0], int((batch["choice_label"] >= 0).sum())
    assert (n_rows, n_items) == (3, 4) and batch["target_ids"].shape[1] > 2 * n_items  # answers' starts: several tokens
    head_rows = []
    hook = unwrapped(trainer.model).get_output_embeddings().register_forward_hook(
        lambda _module, args, _output: head_rows.append(args[0].shape[:-1].numel()))
    try:
        loss, grads, metrics = loss_and_grads(trainer)
    finally:
        hook.remove()
    positions = batch["logit_positions"][batch["choice_row"], batch["choice_target"]]
    assert head_rows == [n_rows * positions.unique().numel()]  # every row at the items' positions, nothing more
    assert set(metrics) == {"choice/accuracy", "num_tokens"}

    model = trainer.model
    model.zero_grad()
    z, labels = option_logits(answer_logits(model, batch), batch)
    expected = choice_loss(z, labels).mean()
    expected.backward()
    assert loss == pytest.approx(expected.item(), rel=1e-5)
    for name, p in model.named_parameters():
        if p.requires_grad:
            assert grads[name].norm() > 0, name
            assert ((grads[name] - p.grad).norm() / p.grad.norm()).item() < 1e-4, name
    step_items = torch.tensor([1.0, 1.0, 10.0])  # a step of 10 items: this batch's share
    with torch.no_grad():
        share = trainer.compute_loss(model, batch, num_items_in_batch=step_items)
    assert share.item() == pytest.approx(expected.item() * n_items / 10, rel=1e-5)


def test_choice_refuses_options_without_a_letter_of_their_own(base_model, tokenizer):
    """Answers that share their first own token cannot be told apart by one letter: refused with the item."""
    from Utils.grouped_dpo import check_letters

    rows = item_rows("s1", CRITERIA[2], "A")
    _, trainer = trainers(base_model, tokenizer, rows, loss_type=["choice"])
    data = trainer.train_dataset
    same = Dataset.from_dict({"lab": data["lab"], "student_id": data["student_id"], "criteria": data["criteria"],
                              "answers_ids": [[[[1, 2, 7], [1, 2, 7, 8]]]]})
    with pytest.raises(ValueError, match="lab01/s1/Criterion 2"):
        check_letters(same, "train")
    check_letters(data, "train")  # the builder's answers: one letter token each
