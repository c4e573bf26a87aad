"""Score items with a model: the model passes behind `evaluate.py` and `grade.py`.

Two methods:

- likelihood (default): the log-probability of each option's full answer text, exactly the
  answer the model was trained on, given the prompt (tokenized by `Utils.prompts.fit_to_model`,
  so over-long code is shortened as in training). The prediction is the most likely option; a
  softmax over the item's options gives each option's probability. All items of one student
  share statement and code, so they are packed into ONE sequence (`Utils.packing.pack_group`)
  and every option of every criterion is scored by one forward pass per student; the start
  every student of a lab shares (system prompt and statement) runs once per lab as a KV cache.
- generate: greedy generation from the rendered prompt; `Utils.replies.parse_rating` reads the
  letter from the reply, and what it cannot read counts as a parse failure.

Items come from `Utils.items` (lab folders) or `Utils.pairs.read_items` (the builder's JSONL).

Under `accelerate launch` (or torchrun) N processes share the work: every process makes the same
plan of batches (whole students, as one process batches them), runs every N-th batch (each with
its lab's cached start) and the scores are gathered, so every process ends with every item's
score, the same, bit for bit, as one process computes (the same batches run the same way).
"""

from __future__ import annotations

import time
from collections import OrderedDict
from dataclasses import dataclass
from typing import Callable

from Utils import distributed
from Utils.calibration import softmax
from Utils.items import Item
from Utils.prompts import TokenizedItem, render_prompt, tokenize_items
from Utils.replies import parse_rating

METHODS = ("likelihood", "first_token", "generate")
ProgressCallback = Callable[[int, int], None]  # (items done, items in all)
DEFAULT_MAX_LENGTH = 1536


@dataclass
class ItemScore:
    """The result for one item. `predicted_option` is None when the item could not be scored
    (`error` says why) or, with --method generate, when the reply could not be parsed."""

    item: Item
    predicted_option: str | None
    logprobs: dict[str, float] | None = None  # likelihood: summed answer log-probability per option
    probabilities: dict[str, float] | None = None  # likelihood: softmax over the item's options
    output_text: str | None = None  # generate: the model's reply
    confidence: float | None = None  # calibrated probability of the predicted option (Utils.calibration)
    shortened: bool = False  # the student's code was shortened to fit max_length
    error: str = ""

    @property
    def parse_failed(self) -> bool:
        return self.output_text is not None and self.predicted_option is None and not self.error


@dataclass
class ScoringRun:
    scores: list[ItemScore]
    method: str
    seconds: float  # tokenizing + packing + model passes (model loading excluded)
    forward_passes: int = 0

    @property
    def items_per_second(self) -> float:
        return len(self.scores) / self.seconds if self.seconds > 0 else float("nan")

    @property
    def parse_failures(self) -> int:
        return sum(s.parse_failed for s in self.scores)


def student_groups(items: list[Item], tokenized: list[TokenizedItem],
                   max_group_tokens: int | None = None) -> list[list[int]]:
    """Indices of the scorable items, grouped by (lab, student) in first-seen order.

    A student's items share the statement and code, so a group packs into one sequence. A group
    whose packed length would pass `max_group_tokens` is split (GPU memory grows with length^2
    because of the attention mask); a single item is never split.
    """
    from Utils.packing import pack_group

    by_student: OrderedDict[tuple[str, str], list[int]] = OrderedDict()
    for i, (item, tok) in enumerate(zip(items, tokenized)):
        if not tok.error:
            by_student.setdefault((item.lab, item.student_id), []).append(i)
    groups = []
    for indices in by_student.values():
        chunk: list[int] = []
        for i in indices:
            candidate = chunk + [i]
            if chunk and max_group_tokens:
                packed = pack_group([tokenized[j].prompt_ids for j in candidate],
                                    [tokenized[j].answers_ids for j in candidate])
                if len(packed.input_ids) > max_group_tokens:
                    groups.append(chunk)
                    candidate = [i]
            chunk = candidate
        if chunk:
            groups.append(chunk)
    return groups


# --------------------------------------------------------------------------- scoring


def model_device(model):
    return next(model.parameters()).device


def score_likelihood(model, tokenizer, items: list[Item], max_length: int | None,
                     supports_system: bool = True, batch_size: int = 4,
                     max_group_tokens: int | None = 8192, progress: ProgressCallback | None = None,
                     first_token: bool = False, lower_layers=None) -> ScoringRun:
    """Per-option log-probabilities, one packed forward pass per student group (batched).

    All students of a lab share the system prompt and the problem statement: that start runs
    once per lab (`encode_prefix`) and every batch of the lab's students attends to its cache.

    With `first_token` (method first_token), an option's score is the log-probability of its
    answer's first own token (the rating letter, after the `{"answer": "` every answer starts
    with), read from ONE position per criterion instead of every token of every answer; an item
    whose options share that token is scored on the full answers.

    `lower_layers` (`Utils.layer_cache.shared_lower_layers`): the output of the lower layers this model
    shares with another, kept per packed row by whichever model scores the items first and read by the
    other, which then runs only its own layers above them (evaluate.py: the base model, then a run that
    trained only its top layers). The same scores as without it.
    """
    from Utils.packing import first_token_split

    start = time.perf_counter()
    device = model_device(model)
    processes = distributed.start(cpu=device.type == "cpu")
    tokenized = tokenize_items(tokenizer, items, max_length, supports_system)
    splits = [first_token_split(t.answers_ids) if first_token and not t.error else None for t in tokenized]
    fallback = [i for i, split in enumerate(splits) if first_token and split is None and not tokenized[i].error]
    labs, plan = _plan(items, tokenized, splits, fallback, max_group_tokens, batch_size)
    mine = distributed.shard_batches(len(plan), processes)
    total = (len(items) if processes.count == 1
             else sum(len(labs[plan[b][0]].groups[k]) for b in mine for k in plan[b][1]))
    local = _score_planned(model, tokenizer, items, tokenized, splits, labs, [plan[b] for b in mine],
                           first_token, progress, total, lower_layers)
    scores = _gathered(local, len(items), processes)
    # Passes of the plan (one per batch, one per lab's cached start), however many processes share them.
    passes = len(plan) + sum(bool(lab.prefix_ids) for lab in labs)
    method = "first_token" if first_token else "likelihood"
    if fallback:  # options that share their first token: scored on their full answers
        rerun = score_likelihood(model, tokenizer, [items[i] for i in fallback], max_length, supports_system,
                                 batch_size, max_group_tokens, lower_layers=lower_layers)
        for i, score in zip(fallback, rerun.scores):
            scores[i] = score
        passes += rerun.forward_passes
    return ScoringRun(_fill_unscored(scores, items, tokenized), method, time.perf_counter() - start, passes)


@dataclass
class _PlannedLab:
    """One lab's student groups (item indices), the start of the prompt they share (cached once; empty
    for one group) and each group packed after that start."""
    groups: list[list[int]]
    prefix_ids: list[int]
    packed: list


def _plan(items: list[Item], tokenized: list[TokenizedItem], splits: list, fallback: list[int],
          max_group_tokens: int | None, batch_size: int) -> tuple[list[_PlannedLab], list[tuple[int, list[int]]]]:
    """(the planned labs, the batches as (lab number, group numbers)): the plan every process makes alike.

    After each prompt is packed every full answer, or (first_token) only the answers' shared start plus
    one next token; the fallback items are left out. Per lab the batches are longest first, so each batch
    holds groups of similar length and an out-of-memory error shows at once. One student alone gains
    nothing from a cache: it packs its whole prompt.
    """
    from Utils.packing import pack_group, shared_prefix_length

    packed_answers = [[split[0] + split[1][:1]] if split else t.answers_ids for t, split in zip(tokenized, splits)]
    groups = [[i for i in group if i not in set(fallback)]
              for group in student_groups(items, tokenized, max_group_tokens)]
    by_lab: OrderedDict[str, list[list[int]]] = OrderedDict()
    for group in groups:
        if group:
            by_lab.setdefault(items[group[0]].lab, []).append(group)
    labs, plan = [], []
    for lab_groups in by_lab.values():
        prompts = [tokenized[i].prompt_ids for group in lab_groups for i in group]
        cached = shared_prefix_length(prompts) if len(lab_groups) > 1 else 0
        packed = [pack_group([tokenized[i].prompt_ids for i in group], [packed_answers[i] for i in group],
                             cached_length=cached) for group in lab_groups]
        order = sorted(range(len(lab_groups)), key=lambda k: -len(packed[k].input_ids))
        plan += [(len(labs), order[b:b + batch_size]) for b in range(0, len(order), batch_size)]
        labs.append(_PlannedLab(lab_groups, prompts[0][:cached], packed))
    return labs, plan


def _score_planned(model, tokenizer, items: list[Item], tokenized: list[TokenizedItem], splits: list,
                   labs: list[_PlannedLab], batches: list[tuple[int, list[int]]], first_token: bool,
                   progress: ProgressCallback | None, total: int, lower_layers=None) -> list[tuple[int, ItemScore]]:
    """(item index, its score) for every item of this process's batches. A lab's shared start is encoded
    once and its cache kept while that lab's batches run (they come together, so one lab's only)."""
    import torch

    from Utils.packing import collate_packed, encode_prefix

    device = model_device(model)
    local: list[tuple[int, ItemScore]] = []
    cached_lab, prefix = None, None
    model.eval()
    with torch.inference_mode():
        for lab_number, chosen in batches:
            lab = labs[lab_number]
            if lab_number != cached_lab:
                cached_lab, prefix = lab_number, encode_prefix(model, lab.prefix_ids) if lab.prefix_ids else None
            batch = collate_packed([lab.packed[k] for k in chosen], tokenizer.pad_token_id)
            batch = {k: v.to(device) for k, v in batch.items()}
            groups = [lab.groups[k] for k in chosen]
            local += _score_batch(model, batch, prefix, groups, items, tokenized, splits, first_token, lower_layers)
            if progress:
                progress(len(local), total)
    return local


def _score_batch(model, batch: dict, prefix, groups: list[list[int]], items: list[Item],
                 tokenized: list[TokenizedItem], splits: list, first_token: bool,
                 lower_layers=None) -> list[tuple[int, ItemScore]]:
    """(item index, its score) for every item of the batch's student groups (one packed row per group)."""
    import torch

    from Utils.packing import answer_logprobs, last_answer_logits

    if first_token:  # per answer slot: the log-softmax at the position that predicts its last token
        next_logps = torch.log_softmax(last_answer_logits(model, batch, prefix, lower_layers).float(), dim=-1).cpu()
    logps = None if first_token else answer_logprobs(model, batch, prefix, lower_layers).float().cpu()
    scored = []
    for row, group in enumerate(groups):
        answer_item = batch["answer_item"][row].cpu()
        if first_token:
            per_item = _first_token_logprobs(next_logps[row], answer_item, [splits[i] for i in group])
        else:
            per_item = _option_logprobs(logps[row], answer_item, batch["answer_option"][row].cpu())
        scored += [(i, _likelihood_score(items[i], per_item[n], tokenized[i].shortened)) for n, i in enumerate(group)]
    return scored


def _first_token_logprobs(next_logps, answer_item, splits) -> dict[int, dict[int, float]]:
    """One packed row (one slot per item) -> {item in the group: {option number: log p(its first own token)}}."""
    per_item: dict[int, dict[int, float]] = {}
    for slot in range(next_logps.shape[0]):
        i = int(answer_item[slot])
        if i >= 0 and splits[i] is not None and i not in per_item:
            per_item[i] = {o: float(next_logps[slot, token]) for o, token in enumerate(splits[i][1])}
    return per_item


def _option_logprobs(logps, answer_item, answer_option) -> dict[int, dict[int, float]]:
    """One packed row's answer slots -> {item in the group: {option number: log-probability}}."""
    per_item: dict[int, dict[int, float]] = {}
    for slot in range(logps.shape[0]):
        i = int(answer_item[slot])
        if i >= 0:
            per_item.setdefault(i, {})[int(answer_option[slot])] = float(logps[slot])
    return per_item


def _likelihood_score(item: Item, option_logps: dict[int, float], shortened: bool) -> ItemScore:
    values = [option_logps[o] for o in range(len(item.options))]
    best = max(range(len(values)), key=values.__getitem__)
    return ItemScore(item, item.options[best], dict(zip(item.options, values)),
                     dict(zip(item.options, softmax(values))), shortened=shortened)


def _fill_unscored(scores: list[ItemScore | None], items: list[Item], tokenized: list[TokenizedItem]
                   ) -> list[ItemScore]:
    """Items that could not be tokenized within max_length keep their place, with the reason."""
    return [s if s is not None else ItemScore(item, None, shortened=tok.shortened, error=tok.error)
            for s, item, tok in zip(scores, items, tokenized)]


def _gathered(local: list[tuple[int, ItemScore]], n_items: int, processes) -> list[ItemScore | None]:
    """Every process's (item index, score) pairs, gathered into one list in item order (None: not scored)."""
    scores: list[ItemScore | None] = [None] * n_items
    for i, score in distributed.gather_objects(local, processes):
        scores[i] = score
    return scores


def score_generate(model, tokenizer, items: list[Item], max_length: int | None,
                   supports_system: bool = True, batch_size: int = 8, max_new_tokens: int = 48,
                   progress: ProgressCallback | None = None) -> ScoringRun:
    """Greedy generation from the rendered prompt (code shortened as in training), then `parse_rating`."""
    import torch

    start = time.perf_counter()
    device = model_device(model)
    processes = distributed.start(cpu=device.type == "cpu")
    tokenized = tokenize_items(tokenizer, items, max_length, supports_system)
    todo = [i for i, t in enumerate(tokenized) if not t.error]
    todo.sort(key=lambda i: -len(tokenized[i].prompt_ids))
    plan = [todo[b:b + batch_size] for b in range(0, len(todo), batch_size)]
    mine = distributed.shard_batches(len(plan), processes)
    total = len(todo) if processes.count == 1 else sum(len(plan[b]) for b in mine)
    local: list[tuple[int, ItemScore]] = []
    padding_side = tokenizer.padding_side
    tokenizer.padding_side = "left"  # generation continues from the last token of every row
    model.eval()
    try:
        with torch.inference_mode():
            for b in mine:
                chosen = plan[b]
                # The rendered text holds the template's special tokens already: add none.
                texts = [render_prompt(tokenizer, tokenized[i].messages) for i in chosen]  # folded already
                enc = tokenizer(texts, add_special_tokens=False, padding=True, return_tensors="pt").to(device)
                out = model.generate(**enc, max_new_tokens=max_new_tokens, do_sample=False,
                                     temperature=None, top_p=None, top_k=None,
                                     pad_token_id=tokenizer.pad_token_id)
                replies = tokenizer.batch_decode(out[:, enc["input_ids"].shape[1]:], skip_special_tokens=True)
                for i, reply in zip(chosen, replies):
                    item = items[i]
                    letter = parse_rating(reply, item.options, item.descriptions)
                    local.append((i, ItemScore(item, letter, output_text=reply, shortened=tokenized[i].shortened)))
                if progress:
                    progress(len(local), total)
    finally:
        tokenizer.padding_side = padding_side
    scores = _gathered(local, len(items), processes)
    return ScoringRun(_fill_unscored(scores, items, tokenized), "generate", time.perf_counter() - start, len(plan))


def score_items(model, tokenizer, items: list[Item], method: str = "likelihood",
                max_length: int | None = DEFAULT_MAX_LENGTH, supports_system: bool = True,
                batch_size: int = 4, max_group_tokens: int | None = 8192,
                max_new_tokens: int = 48, progress: ProgressCallback | None = None,
                lower_layers=None) -> ScoringRun:
    """`lower_layers`: see `score_likelihood` (method generate runs every layer)."""
    if method in ("likelihood", "first_token"):
        return score_likelihood(model, tokenizer, items, max_length, supports_system, batch_size, max_group_tokens,
                                progress, first_token=method == "first_token", lower_layers=lower_layers)
    if method == "generate":
        return score_generate(model, tokenizer, items, max_length, supports_system, batch_size, max_new_tokens,
                              progress)
    raise ValueError(f"--method must be one of {METHODS}, got {method!r}")
