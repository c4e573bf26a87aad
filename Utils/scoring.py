"""Score rubric items with a model: the step behind `evaluate.py` and `grade.py`.

An item is one (lab, student, criterion) with its rating options. Two methods:

- likelihood (default): the log-probability of each option's full answer text, exactly the
  answer the model was trained on (`answer_text(rating)`, rendered by the chat template through
  `tokenize_within`, so over-long code is shortened as in training), given the prompt. The
  prediction is the most likely option; a softmax over the item's options gives each option's
  probability. All items of one student share statement and code, so they are packed into ONE
  sequence (`Utils.packing.pack_group`) and every option of every criterion is scored by one
  forward pass per student; the start every student of a lab shares (system prompt and
  statement) runs once per lab and is kept as a KV cache.
- generate: greedy generation from the rendered prompt, and `parse_rating` reads the letter
  from the reply; what it cannot read counts as a parse failure.

Items come from the builder's test JSONL (`items_from_jsonl`) or straight from lab folders
(`items_from_lab`); both give the same prompts for the same item.
"""

from __future__ import annotations

import json
import math
import re
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from Utils.labs import GradedItem, Lab, LabFormatError, Problem, Rating, collect_items, list_lab_dirs, read_lab
from Utils.prompts import Messages, answer_text, build_prompt, render_prompt, tokenize_within

METHODS = ("likelihood", "generate")
Progress = Callable[[int, int], None]  # (items done, items in all)
DEFAULT_MAX_LENGTH = 1536
# Files that a training run folder holds and that are not its resolved arguments.
NOT_ARGUMENT_FILES = {"adapter_config.json", "trainer_state.json", "tokenizer.json", "tokenizer_config.json",
                      "special_tokens_map.json", "generation_config.json", "config.json", "vocab.json",
                      "added_tokens.json", "chat_template.json"}
ADAPTER_CONFIG = "adapter_config.json"
FINAL_CHECKPOINT = "final_checkpoint"


@dataclass(kw_only=True)
class ScoringModelArguments:
    """The model flags evaluate.py and grade.py share (each script adds its own)."""

    model: str | None = field(default=None, metadata={
        "help": "registry name (smollm2-135m, codellama-7b, codestral-22b, qwen2.5-coder-7b), local folder or hub "
                "id; default: the training run's model when --adapter_path is given, else smollm2-135m"})
    model_size: str | None = field(default=None, metadata={"help": "older name for --model: 7b or 22b"})
    adapter_path: str | None = field(default=None, metadata={
        "help": "training run folder (<output_dir>/model_<timestamp>/) or its final_checkpoint/; "
                "default: score the bare model"})
    max_length: int | None = field(default=None, metadata={
        "help": "prompt + answer tokens; longer code is shortened as in training. Default: the run folder's "
                "saved max_length, else 1536"})
    max_group_tokens: int = field(default=8192, metadata={
        "help": "split a student's packed sequence above this many tokens (GPU memory)"})
    quantization: str = field(default="auto", metadata={
        "help": "auto (4bit on CUDA, none on CPU), 4bit, 8bit or none", "choices": ["auto", "4bit", "8bit", "none"]})
    device: str = field(default="auto", metadata={"help": "auto, cpu, cuda, cuda:1 ..."})


class DatasetFormatError(ValueError):
    """A test JSONL that cannot be scored. The message names the file, the lines and the fields."""


@dataclass
class ScoringItem:
    """One (lab, student, criterion) to score: its prompt and one training answer per option."""

    lab: str
    student_id: str
    criterion: str
    options: tuple[str, ...]  # rating letters, in the order of `answers`
    answers: tuple[str, ...]  # the training answer of each option, e.g. {"answer": "B. Ok variable names"}
    messages: Messages
    code_span: tuple[int, int] | None
    true_option: str | None = None  # the TA's rating; None when grading

    @property
    def key(self) -> tuple[str, str, str]:
        return self.lab, self.student_id, self.criterion


@dataclass
class ItemScore:
    """The result for one item. `predicted_option` is None when the item could not be scored
    (`error` says why) or, with --method generate, when the reply could not be parsed."""

    item: ScoringItem
    predicted_option: str | None
    logprobs: dict[str, float] | None = None  # likelihood: summed answer log-probability per option
    probabilities: dict[str, float] | None = None  # likelihood: softmax over the item's options
    output_text: str | None = None  # generate: the model's reply
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


# --------------------------------------------------------------------------- items (pure)


def item_from_graded(item: GradedItem, system_prompt: str) -> ScoringItem:
    """An item read from a lab folder, with the prompt and answers the builder writes for it."""
    messages, code_span = build_prompt(system_prompt, item.statement, item.code, item.language, item.criterion)
    return ScoringItem(item.lab, item.student_id, item.criterion.title, item.criterion.letters,
                       tuple(answer_text(r) for r in item.criterion.ratings), messages, code_span, item.chosen)


def items_to_grade(lab: Lab, system_prompt: str) -> list[ScoringItem]:
    """Every readable submission x every rubric criterion of a lab read with `with_ratings=False`."""
    items = []
    for student_id, submission in sorted(lab.submissions.items()):
        for criterion in lab.rubric:
            messages, code_span = build_prompt(system_prompt, lab.statement, submission.code,
                                               submission.language, criterion)
            items.append(ScoringItem(lab.name, student_id, criterion.title, criterion.letters,
                                     tuple(answer_text(r) for r in criterion.ratings), messages, code_span))
    return items


def training_answer(content: str, letter: str) -> str:
    """The answer without reasoning, as `answer_text` writes it, from a builder answer message.

    A dataset built with --dpo_reasoning 1 carries the TA's comment as reasoning in the chosen
    answer only; scoring such texts would hand the model the TA's verdict, so only the
    rating itself is kept. Raises ValueError when the content is not such an answer.
    """
    try:
        data = json.loads(content)
    except json.JSONDecodeError:
        raise ValueError(f"answer is not JSON: {content[:80]!r}") from None
    label = data.get("answer") if isinstance(data, dict) else None
    if not isinstance(label, str) or not label.startswith(f"{letter}. "):
        raise ValueError(f"answer does not name option {letter!r}: {content[:80]!r}")
    return answer_text(Rating(letter, label[len(letter) + 2:]))


def items_from_records(records: list[tuple[int, dict]], source: str = "test JSONL") -> list[ScoringItem]:
    """Group builder rows (line number, row) by (lab, student_id, criterion) into items.

    The item's options are the row's `options`, the TA's rating its `chosen_option`, and each
    option's answer text comes from the chosen/rejected messages. Every problem is collected
    and raised at once, naming the lines.
    """
    required = ("prompt", "chosen", "rejected", "lab", "student_id", "criterion", "chosen_option",
                "rejected_option", "options")
    errors: list[str] = []
    groups: OrderedDict[tuple, list[tuple[int, dict]]] = OrderedDict()
    for line, row in records:
        missing = [k for k in required if k not in row]
        if missing:
            errors.append(f"line {line}: missing field(s) {', '.join(missing)}")
            continue
        groups.setdefault((row["lab"], str(row["student_id"]), row["criterion"]), []).append((line, row))
    items = []
    for (lab, student_id, criterion), rows in groups.items():
        lines = ", ".join(str(n) for n, _ in rows)
        where = f"lines {lines} ({lab}/{student_id}/{criterion})"
        first = rows[0][1]
        options = tuple(str(o) for o in first["options"])
        answers: dict[str, str] = {}
        problems = []
        for line, row in rows:
            if row["prompt"] != first["prompt"] or list(row["options"]) != list(options):
                problems.append(f"line {line}: prompt or options differ from line {rows[0][0]}")
            if row["chosen_option"] != first["chosen_option"]:
                problems.append(f"line {line}: chosen_option differs from line {rows[0][0]}")
            for side, letter in (("chosen", row["chosen_option"]), ("rejected", row["rejected_option"])):
                message = row[side]
                if not (isinstance(message, list) and message and isinstance(message[-1], dict)
                        and message[-1].get("role") == "assistant"):
                    problems.append(f"line {line}: '{side}' is not a list ending with an assistant message")
                    continue
                try:
                    answers.setdefault(letter, training_answer(message[-1].get("content", ""), letter))
                except ValueError as e:
                    problems.append(f"line {line}: '{side}': {e}")
        missing = [o for o in options if o not in answers]
        if missing and not problems:
            problems.append(f"no answer text for option(s) {', '.join(missing)}")
        if first["chosen_option"] not in options:
            problems.append(f"chosen_option {first['chosen_option']!r} is not among options {list(options)}")
        span = first.get("code_span")
        if problems:
            errors.append(f"{where}: " + "; ".join(problems))
            continue
        items.append(ScoringItem(lab, student_id, criterion, options, tuple(answers[o] for o in options),
                                 first["prompt"], tuple(span) if span is not None else None,
                                 first["chosen_option"]))
    if errors:
        shown = errors[:20] + ([f"... and {len(errors) - 20} more"] if len(errors) > 20 else [])
        raise DatasetFormatError(f"{source}: " + "\n  ".join([""] + shown).lstrip("\n"))
    return items


# --------------------------------------------------------------------------- items (I/O)


def read_test_items(path: str | Path) -> list[ScoringItem]:
    """Items of a builder test JSONL. Raises DatasetFormatError naming the file and lines."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"{path}: test dataset not found (build it with `bash create_dpo_dataset.sh`)")
    records, errors = [], []
    with open(path, encoding="utf-8") as f:
        for number, text in enumerate(f, start=1):
            if not text.strip():
                continue
            try:
                row = json.loads(text)
            except json.JSONDecodeError as e:
                errors.append(f"line {number}: invalid JSON at column {e.colno}: {e.msg}")
                continue
            if not isinstance(row, dict):
                errors.append(f"line {number}: expected a JSON object")
                continue
            records.append((number, row))
    if errors:
        raise DatasetFormatError(f"{path}: " + "; ".join(errors[:20]))
    return items_from_records(records, str(path))


def select_lab_dirs(parent_dir: str | Path, lab_names: list[str]) -> list[Path]:
    """The lab folders to read: those named (an unknown name is an error with close matches), else all."""
    from Utils.create_dataset import unknown_lab_names

    lab_dirs = list_lab_dirs(parent_dir)
    if not lab_names:
        return lab_dirs
    unknown = unknown_lab_names(lab_names, [d.name for d in lab_dirs])
    if unknown:
        raise ValueError(f"--lab_names: no lab folder in {parent_dir} named {'; '.join(unknown)}")
    return [d for d in lab_dirs if d.name in set(lab_names)]


def read_lab_items(parent_dir: str | Path, lab_names: list[str], system_prompt: str, verbose: int = 0
                   ) -> tuple[list[ScoringItem], list[Problem]]:
    """Items with the TA's ratings straight from lab folders (as the builder reads them).

    Returns the items and every problem: items the reader could not use and labs that could
    not be read, each with its reason, so nothing is lost without a word.
    """
    items: list[ScoringItem] = []
    problems: list[Problem] = []
    for lab_dir in select_lab_dirs(parent_dir, lab_names):
        try:
            lab = read_lab(lab_dir, verbose=verbose)
        except LabFormatError as e:
            problems.append(Problem(lab_dir.name, "lab could not be read", detail=str(e)))
            continue
        graded, lab_problems = collect_items(lab)
        items.extend(item_from_graded(g, system_prompt) for g in graded)
        problems.extend(lab_problems)
    return items, problems


def first_students_per_lab(items: list[ScoringItem], n: int) -> list[ScoringItem]:
    """The items of the first `n` students (sorted by id) of each lab, in their original order."""
    students: dict[str, set[str]] = {}
    for item in items:
        students.setdefault(item.lab, set()).add(item.student_id)
    keep = {(lab, sid) for lab, ids in students.items() for sid in sorted(ids)[:n]}
    return [item for item in items if (item.lab, item.student_id) in keep]


def filter_labs(items: list[ScoringItem], lab_names: list[str], source: str) -> list[ScoringItem]:
    """Items of the named labs (all when none is named); a name with no item is an error."""
    if not lab_names:
        return items
    from Utils.create_dataset import unknown_lab_names

    unknown = unknown_lab_names(lab_names, sorted({i.lab for i in items}))
    if unknown:
        raise ValueError(f"--lab_names: {source} has no items of lab {'; '.join(unknown)}")
    return [i for i in items if i.lab in set(lab_names)]


# --------------------------------------------------------------------------- rating parser (pure)

_FENCE = re.compile(r"```[A-Za-z]*[ \t]*\n?(.*?)(?:```|$)", re.S)
_JSON_OBJECT = re.compile(r"\{[^{}]*\}", re.S)
_ANSWER_KEYS = ("answer", "rating", "option", "choice", "grade")
# A letter standing as an option at the start of a text: "B", "B. Ok ...", "(B)", "**B**", "B - Ok".
_LEADING_LETTER = re.compile(r"^[\s\"'*(\[]*([A-Za-z])[\"'*)\]]*[ \t]*(?:[.):,\-]|\n|$)")
_SEP = r"[\s\"'*:=(\[\-]*"
# "answer is B", "Answer: B", "The correct option would be (b).", '"answer": "B. Ok' (cut-off JSON).
_KEYWORD_LETTER = re.compile(
    r"\b(?:answer|rating|option|choice|grade)\b" + _SEP + r"(?:(?:is|would be|should be|will be)\b" + _SEP
    + r")?(?:(?:option|rating)\b" + _SEP + r")?([A-Za-z])(?![A-Za-z])", re.I)
_STANDS_APART = re.compile(r"[\"'*)\]]*[ \t]*(?:[.):,]|\n|$)")
_OPTION_LINE = re.compile(r"^[\s\"'*(\[]*([A-Za-z])[.)][ \t]", re.M)


def _letter_from_label(value: str, options: tuple[str, ...]) -> str | None:
    match = _LEADING_LETTER.match(value)
    if match and match.group(1).upper() in options:
        return match.group(1).upper()
    return None


def _letter_after_keyword(text: str, options: tuple[str, ...]) -> str | None:
    for match in _KEYWORD_LETTER.finditer(text):
        letter = match.group(1)
        # A lowercase letter followed by more words is the article "a" ("the answer is a loop"),
        # not option A; it counts only when it stands apart: "answer: b", "answer is b.".
        if letter.islower() and not _STANDS_APART.match(text, match.end()):
            continue
        if letter.upper() in options:
            return letter.upper()
    return None


def parse_rating(text: str, options: tuple[str, ...], descriptions: tuple[str, ...] = ()) -> str | None:
    """Read the rating letter from a model's reply; None when it cannot be read.

    Tries, in order, on the inside of a markdown code fence (if any) and then on the whole
    reply: a JSON object with an "answer" (or rating/option/choice/grade) key; a reply that
    starts with the letter ("B", "B. Ok ...", "(B)", "**B**"), unless it goes on to list other
    options line by line (an echo of the prompt's options, not a choice); the letter after a keyword
    ("Answer: B", "The correct answer is B.", '"answer": "B. Ok' cut off); and last, a reply
    that quotes exactly one option's description. The letter must be one of `options`; the
    first readable one wins.
    """
    options = tuple(o.upper() for o in options)
    body = text.strip()
    fenced = _FENCE.search(body)
    candidates = ([fenced.group(1).strip()] if fenced else []) + [body]
    for candidate in candidates:
        for blob in _JSON_OBJECT.findall(candidate):
            try:
                data = json.loads(blob)
            except json.JSONDecodeError:
                continue
            lowered = {str(k).lower(): v for k, v in data.items()}
            for key in _ANSWER_KEYS:
                if isinstance(lowered.get(key), str):
                    letter = _letter_from_label(lowered[key], options)
                    if letter:
                        return letter
    for candidate in candidates:
        # A reply that lists several options line by line ("A. ...\nB. ...") echoes the prompt:
        # its first line is not a choice.
        listed = {m.group(1).upper() for m in _OPTION_LINE.finditer(candidate)} & set(options)
        letter = (_letter_from_label(candidate, options) if len(listed) < 2 else None) \
            or _letter_after_keyword(candidate, options)
        if letter:
            return letter
    lowered_body = body.lower()
    quoted = [o for o, d in zip(options, descriptions) if d and d.lower() in lowered_body]
    return quoted[0] if len(quoted) == 1 else None


def option_descriptions(item: ScoringItem) -> tuple[str, ...]:
    """Each option's description, read back from its answer text ({"answer": "B. Ok ..."})."""
    return tuple(json.loads(a)["answer"][len(o) + 2:] for o, a in zip(item.options, item.answers))


# --------------------------------------------------------------------------- tokenizing and packing


@dataclass
class TokenizedItem:
    messages: Messages  # as used: code shortened when it had to be
    prompt_ids: list[int] = field(default_factory=list)
    answers_ids: list[list[int]] = field(default_factory=list)
    shortened: bool = False
    error: str = ""


def tokenize_items(tokenizer, items: list[ScoringItem], max_length: int | None,
                   supports_system: bool = True) -> list[TokenizedItem]:
    """Tokenize each item as training does (`tokenize_within`). An item whose prompt does not fit
    even without its code gets an `error` instead of ids; it is reported, not dropped."""
    out = []
    for item in items:
        try:
            messages, prompt_ids, answers_ids, shortened = tokenize_within(
                tokenizer, item.messages, item.code_span, list(item.answers), max_length, supports_system)
        except ValueError as e:
            out.append(TokenizedItem(item.messages, error=str(e)))
            continue
        out.append(TokenizedItem(messages, prompt_ids, answers_ids, shortened))
    return out


def student_groups(items: list[ScoringItem], tokenized: list[TokenizedItem],
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


def softmax(values: list[float]) -> list[float]:
    top = max(values)
    exps = [math.exp(v - top) for v in values]
    total = sum(exps)
    return [e / total for e in exps]


def _unscored(item: ScoringItem, tok: TokenizedItem) -> ItemScore:
    return ItemScore(item, None, shortened=tok.shortened, error=tok.error)


# --------------------------------------------------------------------------- scoring


def model_device(model):
    return next(model.parameters()).device


def score_likelihood(model, tokenizer, items: list[ScoringItem], max_length: int | None,
                     supports_system: bool = True, batch_size: int = 4,
                     max_group_tokens: int | None = 8192, progress: Progress | None = None) -> ScoringRun:
    """Per-option log-probabilities, one packed forward pass per student group (batched).

    All students of a lab share the system prompt and the problem statement: that start runs
    once per lab (`encode_prefix`) and every batch of the lab's students attends to its cache.
    """
    import torch

    from Utils.packing import answer_logprobs, collate_packed, encode_prefix, pack_group, shared_prefix_length

    start = time.perf_counter()
    tokenized = tokenize_items(tokenizer, items, max_length, supports_system)
    groups = student_groups(items, tokenized, max_group_tokens)
    by_lab: OrderedDict[str, list[int]] = OrderedDict()
    for k, group in enumerate(groups):
        by_lab.setdefault(items[group[0]].lab, []).append(k)
    scores: list[ItemScore | None] = [None] * len(items)
    device = model_device(model)
    passes = 0
    model.eval()
    with torch.inference_mode():
        for lab_groups in by_lab.values():
            prompts = [tokenized[i].prompt_ids for k in lab_groups for i in groups[k]]
            # One student alone gains nothing from a cache: it packs its whole prompt.
            cached = shared_prefix_length(prompts) if len(lab_groups) > 1 else 0
            prefix = encode_prefix(model, prompts[0][:cached]) if cached else None
            passes += prefix is not None
            packed = {k: pack_group([tokenized[i].prompt_ids for i in groups[k]],
                                    [tokenized[i].answers_ids for i in groups[k]], cached_length=cached)
                      for k in lab_groups}
            # Longest first, so each batch holds groups of similar length (little padding) and an
            # out-of-memory error shows at once.
            order = sorted(lab_groups, key=lambda k: -len(packed[k].input_ids))
            for b in range(0, len(order), batch_size):
                chosen = order[b:b + batch_size]
                batch = collate_packed([packed[k] for k in chosen], tokenizer.pad_token_id)
                batch = {k: v.to(device) for k, v in batch.items()}
                logps = answer_logprobs(model, batch, prefix).float().cpu()
                passes += 1
                answer_item, answer_option = batch["answer_item"].cpu(), batch["answer_option"].cpu()
                for row, k in enumerate(chosen):
                    per_item: dict[int, dict[int, float]] = {}
                    for slot in range(logps.shape[1]):
                        i = int(answer_item[row, slot])
                        if i >= 0:
                            per_item.setdefault(i, {})[int(answer_option[row, slot])] = float(logps[row, slot])
                    for local, i in enumerate(groups[k]):
                        item = items[i]
                        values = [per_item[local][o] for o in range(len(item.options))]
                        probs = softmax(values)
                        best = max(range(len(values)), key=values.__getitem__)
                        scores[i] = ItemScore(item, item.options[best], dict(zip(item.options, values)),
                                              dict(zip(item.options, probs)), shortened=tokenized[i].shortened)
                if progress:
                    progress(sum(s is not None for s in scores), len(items))
    for i, (item, tok) in enumerate(zip(items, tokenized)):
        if scores[i] is None:
            scores[i] = _unscored(item, tok)
    return ScoringRun(scores, "likelihood", time.perf_counter() - start, passes)


def score_generate(model, tokenizer, items: list[ScoringItem], max_length: int | None,
                   supports_system: bool = True, batch_size: int = 8, max_new_tokens: int = 48,
                   progress: Progress | None = None) -> ScoringRun:
    """Greedy generation from the rendered prompt (code shortened as in training), then `parse_rating`."""
    import torch

    start = time.perf_counter()
    tokenized = tokenize_items(tokenizer, items, max_length, supports_system)
    scores: list[ItemScore | None] = [None] * len(items)
    todo = [i for i, t in enumerate(tokenized) if not t.error]
    todo.sort(key=lambda i: -len(tokenized[i].prompt_ids))
    device = model_device(model)
    padding_side = tokenizer.padding_side
    tokenizer.padding_side = "left"  # generation continues from the last token of every row
    passes = 0
    model.eval()
    try:
        with torch.inference_mode():
            for b in range(0, len(todo), batch_size):
                chosen = todo[b:b + batch_size]
                # The rendered text holds the template's special tokens already: add none.
                texts = [render_prompt(tokenizer, tokenized[i].messages, supports_system) for i in chosen]
                enc = tokenizer(texts, add_special_tokens=False, padding=True, return_tensors="pt").to(device)
                out = model.generate(**enc, max_new_tokens=max_new_tokens, do_sample=False,
                                     temperature=None, top_p=None, top_k=None,
                                     pad_token_id=tokenizer.pad_token_id)
                passes += 1
                replies = tokenizer.batch_decode(out[:, enc["input_ids"].shape[1]:], skip_special_tokens=True)
                for i, reply in zip(chosen, replies):
                    item = items[i]
                    letter = parse_rating(reply, item.options, option_descriptions(item))
                    scores[i] = ItemScore(item, letter, output_text=reply, shortened=tokenized[i].shortened)
                if progress:
                    progress(b + len(chosen), len(todo))
    finally:
        tokenizer.padding_side = padding_side
    for i, (item, tok) in enumerate(zip(items, tokenized)):
        if scores[i] is None:
            scores[i] = _unscored(item, tok)
    return ScoringRun(scores, "generate", time.perf_counter() - start, passes)


def score_items(model, tokenizer, items: list[ScoringItem], method: str = "likelihood",
                max_length: int | None = DEFAULT_MAX_LENGTH, supports_system: bool = True,
                batch_size: int = 4, max_group_tokens: int | None = 8192,
                max_new_tokens: int = 48, progress: Progress | None = None) -> ScoringRun:
    if method == "likelihood":
        return score_likelihood(model, tokenizer, items, max_length, supports_system, batch_size, max_group_tokens,
                                progress)
    if method == "generate":
        return score_generate(model, tokenizer, items, max_length, supports_system, batch_size, max_new_tokens,
                              progress)
    raise ValueError(f"--method must be one of {METHODS}, got {method!r}")


# --------------------------------------------------------------------------- models and run folders (I/O)


def find_adapter_dir(adapter_path: str | Path) -> Path:
    """A training run folder (holding adapter_config.json) or its final_checkpoint/ -> adapter folder."""
    path = Path(adapter_path)
    if not path.is_dir():
        raise FileNotFoundError(f"--adapter_path {path}: folder not found")
    for candidate in (path, path / FINAL_CHECKPOINT):
        if (candidate / ADAPTER_CONFIG).is_file():
            return candidate
    raise FileNotFoundError(
        f"--adapter_path {path}: no {ADAPTER_CONFIG} there or in {FINAL_CHECKPOINT}/ "
        "(pass a training run folder <output_dir>/model_<timestamp>/ or its final_checkpoint/)")


def run_dir_of(adapter_dir: Path) -> Path:
    """The training run folder of an adapter folder (its parent when it is final_checkpoint/)."""
    return adapter_dir.parent if adapter_dir.name == FINAL_CHECKPOINT else adapter_dir


def _find_key(data, key: str, depth: int = 2):
    """`data[key]`, or the key in a nested mapping up to `depth` levels down (e.g. {"training": {...}})."""
    if not isinstance(data, dict):
        return None
    if key in data:
        return data[key]
    if depth > 0:
        for value in data.values():
            found = _find_key(value, key, depth - 1)
            if found is not None:
                return found
    return None


def read_run_arguments(run_dir: Path) -> tuple[dict, Path | None]:
    """The resolved arguments a training run saved (a YAML or JSON file in its folder), if any.

    The file's name is not fixed; files named like arguments come first, then any other YAML or
    JSON mapping that is not a model, tokenizer or trainer-state file.
    """
    import yaml

    candidates = [p for p in sorted(run_dir.iterdir()) if p.is_file() and p.suffix in (".yaml", ".yml", ".json")
                  and p.name not in NOT_ARGUMENT_FILES and not p.name.startswith("tokenizer")]
    candidates.sort(key=lambda p: (not any(w in p.name.lower() for w in ("arg", "config", "param")), p.name))
    for path in candidates:
        text = path.read_text(encoding="utf-8", errors="replace")
        try:
            data = json.loads(text) if path.suffix == ".json" else yaml.safe_load(text)
        except (json.JSONDecodeError, yaml.YAMLError):
            continue  # not an arguments file; the run's real one is looked for in the others
        if isinstance(data, dict) and _find_key(data, "max_length") is not None:
            return data, path
    return {}, None


def run_max_length(run_args: dict) -> int | None:
    value = _find_key(run_args, "max_length")
    try:
        return int(value) if value is not None else None
    except (TypeError, ValueError):
        return None


@dataclass
class LoadedModel:
    spec: object  # Utils.models.ModelSpec
    tokenizer: object
    model: object  # a PeftModel when an adapter was loaded
    adapter_dir: Path | None = None
    run_dir: Path | None = None
    run_args: dict = field(default_factory=dict)
    run_args_path: Path | None = None


def load_for_scoring(model: str | None = None, model_size: str | None = None, adapter_path: str | None = None,
                     quantization: str = "auto", device: str = "auto") -> LoadedModel:
    """The model as in training (`Utils.models`), with the training run's LoRA adapter when given.

    Without --model, a run folder's saved `model` argument is used, else the embedded default.
    The base model stays reachable through `model.disable_adapter()`.
    """
    from Utils.models import load_model, load_tokenizer, resolve_model

    adapter_dir = run_dir = args_path = None
    run_args: dict = {}
    if adapter_path:
        adapter_dir = find_adapter_dir(adapter_path)
        run_dir = run_dir_of(adapter_dir)
        run_args, args_path = read_run_arguments(run_dir)
        if not model and not model_size:
            saved = _find_key(run_args, "model")
            model = saved if isinstance(saved, str) else None
            size = _find_key(run_args, "model_size")
            model_size = size if isinstance(size, str) and not model else None
    spec = resolve_model(model, model_size)
    tokenizer = load_tokenizer(spec)
    net = load_model(spec, quantization, device)
    if adapter_dir is not None:
        from peft import PeftModel

        net = PeftModel.from_pretrained(net, str(adapter_dir), is_trainable=False)
    net.eval()
    return LoadedModel(spec, tokenizer, net, adapter_dir, run_dir, run_args, args_path)


def resolve_max_length(loaded: LoadedModel, requested: int | None) -> tuple[int, str]:
    """max_length and where it came from: --max_length, else the run folder's saved value, else the default."""
    if requested is not None:
        return requested, "--max_length"
    saved = run_max_length(loaded.run_args)
    if saved is not None:
        return saved, str(loaded.run_args_path)
    return DEFAULT_MAX_LENGTH, "default"
