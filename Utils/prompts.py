"""Build grading prompts and answers: the one place where prompt text is written.

Training, evaluation and grading all call `build_prompt` and `answer_text`, and
render with `render_prompt`, so the three cannot drift apart. Prompts are chat
messages; the model's own chat template turns them into tokens, so no special
tokens or template text appear here. Nothing here imports torch.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Callable

from Utils.lab_records import Criterion, Rating

ANSWER_KEY = "answer"
REASONING_KEY = "reasoning"
SHORTENED_MARKER = "... [{n} lines of the student's code omitted to fit the context] ..."

Messages = list[dict[str, str]]


def option_label(rating: Rating) -> str:
    """How an option is shown in the prompt and named in the answer: 'B. Ok variable names'."""
    return f"{rating.letter}. {rating.description}"


@lru_cache(maxsize=4096)  # the same few answers recur across thousands of students
def answer_text(rating: Rating, reasoning: str | None = None) -> str:
    """The assistant's answer as JSON, e.g. {"answer": "B. Ok variable names"}."""
    answer = {ANSWER_KEY: option_label(rating)}
    if reasoning is not None:
        answer[REASONING_KEY] = reasoning
    return json.dumps(answer, ensure_ascii=False)


def plain_answer(content: str, letter: str) -> str:
    """The answer without reasoning, as `answer_text` writes it, from an answer text of option `letter`.

    A dataset built with reasoning carries the TA's comment in the chosen answer only; scoring
    such texts would hand the model the TA's verdict, so only the rating itself is kept.
    Raises ValueError when the content is not such an answer.
    """
    try:
        data = json.loads(content)
    except json.JSONDecodeError:
        raise ValueError(f"answer is not JSON: {content[:80]!r}") from None
    label = data.get(ANSWER_KEY) if isinstance(data, dict) else None
    if not isinstance(label, str) or not label.startswith(f"{letter}. "):
        raise ValueError(f"answer does not name option {letter!r}: {content[:80]!r}")
    return answer_text(Rating(letter, label[len(letter) + 2:]))


def option_description(answer: str, letter: str) -> str:
    """The option's description, read back from its answer text ({"answer": "B. Ok ..."})."""
    return json.loads(answer)[ANSWER_KEY][len(letter) + 2:]


def code_fence(code: str) -> str:
    """A markdown fence the code cannot close: one backtick longer than its longest run of backticks
    (at least three). A student's code is data; nothing in it can end the code block early and
    pass itself off as part of the prompt."""
    longest = max((len(run) for run in re.findall(r"`+", code)), default=0)
    return "`" * max(3, longest + 1)


def build_user_message(statement: str, code: str, language: str, criterion: Criterion) -> tuple[str, tuple[int, int]]:
    """The user turn, and the character span of the student's code inside it.

    The span lets a later step shorten only the code when a prompt is too long for the
    model; statement, criterion and options are never cut.
    """
    code = code.rstrip("\n")
    fence = code_fence(code)
    head = f"## Problem statement\n{statement.strip()}\n\n## Student's code\n{fence}{language}\n"
    options = "\n".join(option_label(r) for r in criterion.ratings)
    tail = (
        f"\n{fence}\n\n"
        f"## Criterion\n{criterion.title}: {criterion.description}\n\n"
        f"## Options\n{options}"
    )
    return head + code + tail, (len(head), len(head) + len(code))


def build_prompt(system_prompt: str, statement: str, code: str, language: str,
                 criterion: Criterion) -> tuple[Messages, tuple[int, int]]:
    """Chat messages (system, user) for one item, and the code span in the user message."""
    user, span = build_user_message(statement, code, language, criterion)
    return [{"role": "system", "content": system_prompt.strip()}, {"role": "user", "content": user}], span


def replace_code(messages: Messages, code_span: tuple[int, int], new_code: str) -> tuple[Messages, tuple[int, int]]:
    """Messages with the student's code (at `code_span` of the last message) replaced."""
    start, end = code_span
    user = messages[-1]["content"]
    content = user[:start] + new_code + user[end:]
    return messages[:-1] + [{**messages[-1], "content": content}], (start, start + len(new_code))


def shorten_middle(code: str, keep_lines: int) -> str:
    """Keep the first and last lines of the code (`keep_lines` in all) with a visible marker between."""
    lines = code.split("\n")
    if keep_lines >= len(lines):
        return code
    head = (keep_lines + 1) // 2
    tail = keep_lines - head
    marker = SHORTENED_MARKER.format(n=len(lines) - keep_lines)
    return "\n".join(lines[:head] + [marker] + (lines[len(lines) - tail:] if tail else []))


def fit_prompt(messages: Messages, code_span: tuple[int, int], count_tokens: Callable[[Messages], int],
               budget: int) -> tuple[Messages, tuple[int, int]]:
    """Shorten the student's code in its middle until `count_tokens(messages) <= budget`.

    Returns (messages, code span in them). Raises ValueError when the prompt does not fit even
    with all code lines removed: the rest of the prompt is never cut.
    """
    if count_tokens(messages) <= budget:
        return messages, code_span
    start, end = code_span
    code = messages[-1]["content"][start:end]
    n_lines = code.count("\n") + 1
    lo, hi = 0, n_lines - 1  # the most lines that fit lies in [lo, hi]
    if count_tokens(replace_code(messages, code_span, shorten_middle(code, 0))[0]) > budget:
        raise ValueError(f"prompt needs more than {budget} tokens even with the student's code removed")
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if count_tokens(replace_code(messages, code_span, shorten_middle(code, mid))[0]) <= budget:
            lo = mid
        else:
            hi = mid - 1
    return replace_code(messages, code_span, shorten_middle(code, lo))


def fold_system_message(messages: Messages) -> Messages:
    """For chat templates without a system role: the system prompt opens the first user message."""
    return fold_system(messages)[0]


def fold_system(messages: Messages, code_span: tuple[int, int] | None = None
                ) -> tuple[Messages, tuple[int, int] | None]:
    """`fold_system_message`, and the code span moved with the text it points into (the last message)."""
    if not messages or messages[0]["role"] != "system":
        return messages, code_span
    system, rest = messages[0]["content"], list(messages[1:])
    if rest and rest[0]["role"] == "user":
        head = f"{system}\n\n"
        rest[0] = {**rest[0], "content": head + rest[0]["content"]}
        if code_span is not None and len(rest) == 1:  # the code sits in the user message that now opens with head
            code_span = (code_span[0] + len(head), code_span[1] + len(head))
        return rest, code_span
    return [{"role": "user", "content": system}] + rest, code_span


def _check_template(tokenizer) -> None:
    if getattr(tokenizer, "chat_template", None) is None:
        raise ValueError(
            f"tokenizer {getattr(tokenizer, 'name_or_path', '')!r} has no chat template; "
            "use an instruction-tuned model or set tokenizer.chat_template")


def render_prompt(tokenizer, messages: Messages, supports_system: bool = True) -> str:
    """The prompt as text in the model's chat template, ending where the assistant's answer begins."""
    _check_template(tokenizer)
    if not supports_system:
        messages = fold_system_message(messages)
    return tokenizer.apply_chat_template(messages, tokenize=False, add_generation_prompt=True)


def _chat_ids(tokenizer, messages: Messages, **kwargs) -> list[int]:
    return list(tokenizer.apply_chat_template(messages, tokenize=True, return_dict=True, **kwargs)["input_ids"])


def common_prefix_length(a: list[int], b: list[int]) -> int:
    n = 0
    for x, y in zip(a, b):
        if x != y:
            break
        n += 1
    return n


def tokenize_item(tokenizer, messages: Messages, answers: list[str],
                  supports_system: bool = True) -> tuple[list[int], list[list[int]]]:
    """Token ids of the prompt and of each answer (its assistant turn, end-of-turn tokens included).

    Exactly as TRL's DPOTrainer tokenizes conversational pairs: the chat template renders the
    prompt (with the generation prompt) and prompt+answer, and the answer is what follows their
    common prefix. The template supplies BOS where the model wants one, and nothing adds a
    second.
    """
    _check_template(tokenizer)
    if not supports_system:
        messages = fold_system_message(messages)
    prompt_ids = _chat_ids(tokenizer, messages, add_generation_prompt=True)
    full = [_chat_ids(tokenizer, messages + [{"role": "assistant", "content": a}]) for a in answers]
    prompt_length = min([len(prompt_ids)] + [common_prefix_length(prompt_ids, ids) for ids in full])
    return prompt_ids[:prompt_length], [ids[prompt_length:] for ids in full]


@dataclass
class TokenizedItem:
    """A prompt and its answers as the model sees them. Training, evaluation and grading all get
    theirs from `fit_to_model`, so all three see the same tokens for the same item."""

    messages: Messages  # system prompt folded where the template has no system role; code shortened to fit
    code_span: tuple[int, int] | None  # where the (possibly shortened) code sits in messages[-1]
    prompt_ids: list[int] = field(default_factory=list)
    answers_ids: list[list[int]] = field(default_factory=list)
    shortened: bool = False
    prompt_tokens_before: int = 0  # prompt tokens before the code was shortened
    error: str = ""  # why the item cannot be tokenized within max_length (then no ids)


def fit_to_model(tokenizer, messages: Messages, code_span: tuple[int, int] | None, answers: list[str],
                 max_length: int | None, supports_system: bool = True) -> TokenizedItem:
    """Fold the system prompt (once, where the template has no system role), tokenize, and
    shorten only the student's code until prompt + longest answer <= max_length.

    An item that does not fit even with all its code removed, or that has no `code_span` to
    shorten, comes back with `error` set and no ids: reported by the caller, never dropped
    silently. The answers are never cut.
    """
    if not supports_system:
        messages, code_span = fold_system(messages, code_span)
    prompt_ids, answers_ids = tokenize_item(tokenizer, messages, answers)
    before = len(prompt_ids)
    longest = max(len(a) for a in answers_ids)
    if max_length is None or before + longest <= max_length:
        return TokenizedItem(messages, code_span, prompt_ids, answers_ids, False, before)
    if code_span is None:
        return TokenizedItem(messages, code_span, prompt_tokens_before=before, error=(
            f"prompt + answer need {before + longest} tokens > max_length {max_length}, "
            "and there is no code_span to shorten the code with"))

    def count(candidate: Messages) -> int:
        return len(_chat_ids(tokenizer, candidate, add_generation_prompt=True))

    try:
        fitted, code_span = fit_prompt(messages, code_span, count, max_length - longest)
    except ValueError as e:
        return TokenizedItem(messages, code_span, prompt_tokens_before=before, error=str(e))
    prompt_ids, answers_ids = tokenize_item(tokenizer, fitted, answers)
    return TokenizedItem(fitted, code_span, prompt_ids, answers_ids, True, before)


def tokenize_items(tokenizer, items, max_length: int | None, supports_system: bool = True) -> list[TokenizedItem]:
    """`fit_to_model` for each item (anything with messages, code_span and answers)."""
    return [fit_to_model(tokenizer, item.messages, item.code_span, list(item.answers), max_length, supports_system)
            for item in items]
