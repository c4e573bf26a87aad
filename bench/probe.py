"""Does the model's representation already carry the rating? A linear probe at the letter position.

    .venv/bin/python -m bench.probe [--model smollm2-135m] [--adapter_path RUN]

For every item of the builder's train and test files (bench/.quality/data by default), the final
hidden state at the position that predicts the rating letter (after `{"answer": "`) is taken from
one packed pass per student. Per criterion title (pooled over the labs that use it), an
L2-regularised logistic regression on those states is trained on the training students and
scored on the in-lab test students and on the held-out labs. High probe accuracy with a
fine-tuned model that still answers the prior means the features are there and training fails
to use them; low probe accuracy means the representation lacks them. Prints a table and writes
bench/results/<the command>.md (probe.md by default).
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import defaultdict
from pathlib import Path

import torch

REPO = Path(__file__).resolve().parent.parent
from bench import result_path
from Utils.files import write_text_atomic


def letter_states(model, tokenizer, items, supports_system, max_length):
    """[N, H] final hidden states at each item's letter-predicting position (items in order)."""
    from Utils.packing import attention_masks, collate_packed, pack_group
    from Utils.prompts import tokenize_items
    from Utils.packing import first_token_split

    tokenized = tokenize_items(tokenizer, items, max_length, supports_system)
    by_student = defaultdict(list)
    for i, item in enumerate(items):
        by_student[(item.lab, item.student_id)].append(i)
    states = torch.zeros(len(items), model.config.hidden_size)
    base = model.get_decoder()
    with torch.inference_mode():
        for indices in by_student.values():
            splits = [first_token_split(tokenized[i].answers_ids) for i in indices]
            group = pack_group([tokenized[i].prompt_ids for i in indices],
                               [[split[0] + split[1][:1]] for split in splits])
            batch = collate_packed([group], tokenizer.pad_token_id)
            hidden = base(input_ids=batch["input_ids"], position_ids=batch["position_ids"],
                          attention_mask=attention_masks(base, batch, torch.float32)).last_hidden_state[0]
            for slot, i in enumerate(indices):
                targets = (batch["answer_index"][0] == slot).nonzero().flatten()
                states[i] = hidden[batch["logit_positions"][0, targets[-1]]]  # after the final norm
    return states


def question_first(item):
    """The item with the criterion and its options moved before the student's code (and a short
    reminder after it), so the code is read knowing what is asked."""
    from dataclasses import replace

    user = item.messages[-1]["content"]
    code_at, criterion_at = user.index("## Student's code\n"), user.index("\n\n## Criterion\n")
    statement, code, question = user[:code_at], user[code_at:criterion_at], user[criterion_at + 2:]
    title = question.split("\n", 2)[1].split(":", 1)[0]
    content = f"{statement}{question}\n\n{code}\n\nRate the code above on: {title}"
    return replace(item, messages=[*item.messages[:-1], {**item.messages[-1], "content": content}], code_span=None)


def probe(train_x, train_y, test_x, classes, steps=300, l2=1e-2, eps=1e-5):
    """Multinomial logistic regression (standardised inputs, L2), fitted with LBFGS; returns the
    predicted class indices of `test_x`. `eps` keeps a feature constant in training finite."""
    mean, std = train_x.mean(0), train_x.std(0) + eps
    xs, xt = (train_x - mean) / std, (test_x - mean) / std
    w = torch.zeros(xs.shape[1], len(classes), requires_grad=True)
    b = torch.zeros(len(classes), requires_grad=True)
    y = torch.tensor(train_y)
    opt = torch.optim.LBFGS([w, b], max_iter=steps, line_search_fn="strong_wolfe")

    def closure():
        opt.zero_grad()
        loss = torch.nn.functional.cross_entropy(xs @ w + b, y) + l2 * (w ** 2).sum()
        loss.backward()
        return loss
    opt.step(closure)
    with torch.no_grad():
        return (xt @ w + b).argmax(1).tolist()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", default=str(REPO / "bench" / ".quality" / "data"))
    parser.add_argument("--model", default=None)
    parser.add_argument("--adapter_path", default=None)
    parser.add_argument("--layout", default="as_trained", choices=["as_trained", "question_first"],
                        help="question_first: the criterion and options before the code")
    parser.add_argument("--out", default=None, help="default: bench/results/<the command>.md")
    args = parser.parse_args(argv)
    args.out = args.out or result_path("probe", sys.argv[1:] if argv is None else argv)
    from evaluate import held_out_labs
    from Utils.cli import quiet_libraries
    from Utils.grader import load_for_scoring, resolve_max_length
    from Utils.pairs import read_items

    quiet_libraries()

    start = time.perf_counter()
    loaded = load_for_scoring(args.model, None, args.adapter_path, "none", "cpu")
    max_length, _ = resolve_max_length(loaded, None)
    train = read_items(Path(args.data) / "train.jsonl")
    test = read_items(Path(args.data) / "test.jsonl")
    held = set(held_out_labs(str(Path(args.data) / "test.jsonl")))
    if args.layout == "question_first":
        train, test = [question_first(i) for i in train], [question_first(i) for i in test]
    xs = letter_states(loaded.model, loaded.tokenizer, train, loaded.supports_system, max_length)
    xt = letter_states(loaded.model, loaded.tokenizer, test, loaded.supports_system, max_length)
    rows, totals = [], defaultdict(lambda: [0, 0, 0])
    for title in sorted({i.criterion for i in train}):
        tr = [k for k, i in enumerate(train) if i.criterion == title]
        te = [k for k, i in enumerate(test) if i.criterion == title]
        if not te:
            continue
        classes = sorted({train[k].true_option for k in tr} | {test[k].true_option for k in te})
        predicted = probe(xs[tr], [classes.index(train[k].true_option) for k in tr], xt[te], classes)
        for k, p in zip(te, predicted):
            where = "held-out labs" if test[k].lab in held else "in-lab test students"
            totals[where][0] += classes[p] == test[k].true_option
            totals[where][1] += 1
            majority = max(classes, key=lambda c: sum(test[j].true_option == c for j in te if test[j].lab == test[k].lab
                                                      and test[j].criterion == title))
            totals[where][2] += majority == test[k].true_option
        right = sum(classes[p] == test[k].true_option for k, p in zip(te, predicted))
        rows.append(f"| {title} | {len(tr)} | {len(te)} | {100 * right / len(te):.1f}% |")
    summary = [f"| {where} | {n} | {100 * r / n:.1f}% | {100 * m / n:.1f}% |" for where, (r, n, m) in totals.items()]
    model = args.adapter_path or args.model or "smollm2-135m"
    lines = ["# Linear probe at the letter position (bench/probe.py)", "",
             f"Model `{model}`, prompt layout {args.layout}; the final hidden state where the rating letter is predicted; one logistic regression "
             f"per criterion title, trained on the training students of every lab using it. {time.perf_counter() - start:.0f} s.",
             "", "| items | n | probe accuracy | constant answer |", "|---|---:|---:|---:|", *summary, "",
             "| criterion | train items | test items | probe accuracy |", "|---|---:|---:|---:|", *rows]
    write_text_atomic("\n".join(lines) + "\n", args.out)
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
