"""The pairs JSONL: the builder's output, read by training and evaluation. This module alone writes,
reads, checks and regroups it.

One line is one DPO pair in TRL's conversational preference format, plus the builder's columns:

    {"prompt": [system, user], "chosen": [assistant], "rejected": [assistant],
     "lab", "student_id", "criterion", "chosen_option", "rejected_option", "options", "code_span"}

An item (lab, student, criterion) with K ratings gives K-1 lines: the TA's rating against each
other rating, all with the same prompt. `group_items` turns the lines back into `Item`s (the
unit every consumer works with); `check_pairs` names every malformed line and field at once, so
no consumer needs checks of its own and none meets a bad row after a model is loaded.
Nothing here imports torch.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from Utils.files import write_lines_atomic
from Utils.items import Item
from Utils.prompts import TokenizedItem, tokenize_items

METADATA = ("lab", "student_id", "criterion", "chosen_option", "rejected_option", "options")
MAX_SHOWN = 30
Problems = list[tuple[int, str]]  # (line the problem is about, message), sorted by line when raised


class PairsFormatError(ValueError):
    """A pairs file that cannot be used. The message names the file, the lines and the fields."""


# --------------------------------------------------------------------------- writing


def pair_records(item: Item) -> list[dict]:
    """The K-1 lines of one item: the TA's rating against each other rating (`item.pairs`)."""
    records = []
    for chosen, rejected in item.pairs:
        records.append({
            "prompt": item.messages,
            "chosen": [{"role": "assistant", "content": item.answers[chosen]}],
            "rejected": [{"role": "assistant", "content": item.answers[rejected]}],
            "lab": item.lab,
            "student_id": item.student_id,
            "criterion": item.criterion,
            "chosen_option": item.options[chosen],
            "rejected_option": item.options[rejected],
            "options": list(item.options),
            "code_span": list(item.code_span) if item.code_span is not None else None,
        })
    return records


def encode_records(records: list[dict]) -> list[str]:
    """JSONL lines. The K-1 pairs of an item share one prompt: it is encoded once."""
    encode = json.JSONEncoder(ensure_ascii=False).encode
    lines = []
    shared: tuple[int, str] = (0, "")
    for record in records:
        prompt = record["prompt"]
        if shared[0] != id(prompt):
            shared = (id(prompt), encode(prompt))
        rest = encode({k: v for k, v in record.items() if k != "prompt"})
        lines.append('{"prompt": ' + shared[1] + ", " + rest[1:] + "\n")
    return lines


def write_pairs(lines: list[str], path: str | Path) -> None:
    """Write JSONL lines atomically: a crash never leaves a half-written file that looks complete."""
    write_lines_atomic(lines, path)


# --------------------------------------------------------------------------- reading and checking


def _read_rows(path: str | Path) -> tuple[list[tuple[int, dict]], Problems]:
    """(line number, row) for every line that is a JSON object, and a message for each that is not."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"{path}: pairs file not found (build it with `bash create_dpo_dataset.sh`)")
    rows, errors = [], []
    with open(path, encoding="utf-8", errors="strict") as f:
        try:
            for number, text in enumerate(f, start=1):
                if not text.strip():
                    continue
                try:
                    row = json.loads(text)
                except json.JSONDecodeError as e:
                    errors.append((number, f"{path} line {number}: invalid JSON at column {e.colno}: {e.msg}"))
                    continue
                if not isinstance(row, dict):
                    errors.append((number, f"{path} line {number}: expected a JSON object, found {type(row).__name__}"))
                    continue
                rows.append((number, row))
        except UnicodeDecodeError as e:
            raise PairsFormatError(f"{path}: not UTF-8 text (byte {e.start} of a line)") from None
    return rows, errors


def _message_problem(value, roles: tuple[str, ...], exactly_one: bool) -> str | None:
    if not isinstance(value, list) or not value:
        return "must be a non-empty list of chat messages"
    if exactly_one and len(value) != 1:
        return f"must hold exactly one message, has {len(value)}"
    for message in value:
        if not isinstance(message, dict) or not isinstance(message.get("content"), str):
            return "each message needs a string 'content'"
        if message.get("role") not in roles:
            return f"message role {message.get('role')!r} is not one of {list(roles)}"
    return None


def row_problems(row: dict, metadata: bool) -> list[str]:
    """What is wrong with one row, field by field ("field 'chosen' must be ..."); [] when usable."""
    checks = {"prompt": _message_problem(row.get("prompt"), ("system", "user", "assistant"), False),
              "chosen": _message_problem(row.get("chosen"), ("assistant",), True),
              "rejected": _message_problem(row.get("rejected"), ("assistant",), True)}
    problems = [f"field '{name}' {problem}" for name, problem in checks.items() if problem]
    prompt = row.get("prompt")
    if not checks["prompt"] and prompt[-1]["role"] != "user":
        problems.append("field 'prompt' must end with a user message")
    span = row.get("code_span")
    if span is not None and not checks["prompt"]:
        user = prompt[-1]["content"]
        if (not isinstance(span, list) or len(span) != 2 or not all(type(x) is int for x in span)
                or not 0 <= span[0] <= span[1] <= len(user)):
            problems.append(f"field 'code_span' {span!r} is not [start, end) within the user message "
                            f"({len(user)} characters)")
    if metadata:
        missing = [k for k in METADATA if k not in row]
        if missing:
            problems.append(f"missing field(s) {', '.join(missing)}")
        for name in ("lab", "student_id", "criterion", "chosen_option", "rejected_option"):
            if name in row and not (isinstance(row[name], str) and row[name].strip()):
                problems.append(f"field '{name}' must be a non-empty string, got {row[name]!r}")
        options = row.get("options")
        if "options" in row and not (isinstance(options, list) and len(options) >= 2
                                     and all(isinstance(o, str) and o for o in options)
                                     and len(set(options)) == len(options)):
            problems.append(f"field 'options' must be a list of at least 2 distinct letters, got {options!r}")
        elif isinstance(options, list) and not problems:
            for name in ("chosen_option", "rejected_option"):
                if row[name] not in options:
                    problems.append(f"field '{name}' {row[name]!r} is not among options {options}")
            if row["chosen_option"] == row["rejected_option"]:
                problems.append("chosen_option and rejected_option are the same")
    return problems


def check_pairs(rows: list[dict] | list[tuple[int, dict]], source: str | Path, metadata: bool = False,
                earlier: Problems = ()) -> None:
    """Every problem of the rows at once, each with its line and field; raises PairsFormatError.

    `rows` are rows (numbered from 1) or (line number, row) as `_read_rows` gives them. With
    `metadata`, the builder's columns (lab, student_id, criterion, options ...) are required too.
    """
    numbered = rows if rows and isinstance(rows[0], tuple) else list(enumerate(rows, 1))
    problems = [(line, f"{source} line {line}: {problem}") for line, row in numbered
                for problem in row_problems(row, metadata)]
    raise_problems([*earlier, *problems], source)


def raise_problems(problems: Problems | list[str], source: str | Path) -> None:
    if not problems:
        return
    if isinstance(problems[0], tuple):
        problems = [message for _, message in sorted(problems, key=lambda p: p[0])]
    shown = "\n  ".join(problems[:MAX_SHOWN])
    more = f"\n  ... and {len(problems) - MAX_SHOWN} more" if len(problems) > MAX_SHOWN else ""
    raise PairsFormatError(f"{len(problems)} problems in {source}:\n  {shown}{more}")


def read_pairs(path: str | Path, metadata: bool = False) -> list[dict]:
    """The rows of a pairs file, checked (`check_pairs`); every problem of the file at once."""
    numbered, problems = _read_rows(path)
    check_pairs(numbered, path, metadata, problems)
    return [row for _, row in numbered]


# --------------------------------------------------------------------------- grouping into items


@dataclass
class Grouped:
    items: list[Item]
    rows: list[list[int]]  # per item, the indices (into the rows given) of its pairs, in order


def group_items(rows: list[dict] | list[tuple[int, dict]], source: str | Path = "pairs",
                complete: bool = False, earlier: Problems = ()) -> Grouped:
    """Group checked rows (with the builder's columns) into items; raises PairsFormatError.

    An item is the rows sharing lab, student_id, criterion, prompt and chosen_option (the builder
    writes K-1 such rows per rated criterion); each row is one of its pairs, a repeated row a
    repeated pair. Rows of one criterion whose prompt differs form separate items. With
    `complete` (scoring), every option must have its answer text and each (lab, student,
    criterion) must be one item.
    """
    numbered = rows if rows and isinstance(rows[0], tuple) else list(enumerate(rows, 1))
    problems: Problems = list(earlier)
    members = _item_members(numbered, source, problems)
    items = []
    first_line: dict[tuple[str, str, str], int] = {}
    for indices in members:
        lines = [numbered[i][0] for i in indices]
        first = numbered[indices[0]][1]
        where = f"{source} line{'s' * (len(lines) > 1)} {', '.join(map(str, lines))} " \
                f"({first['lab']}/{first['student_id']}/{first['criterion']})"
        options = tuple(first["options"])
        texts, pairs, item_problems = _answers_and_pairs([numbered[i] for i in indices], options)
        key3 = (first["lab"], first["student_id"], first["criterion"])
        if complete:
            missing = [o for o in options if o not in texts]
            if missing:
                item_problems.append(f"no answer text for option(s) {', '.join(missing)}")
            if key3 in first_line:
                item_problems.append(f"prompt or chosen_option differ from line {first_line[key3]} of the same "
                                     "lab, student and criterion")
        first_line.setdefault(key3, lines[0])
        if item_problems:
            problems.append((lines[0], f"{where}: " + "; ".join(item_problems)))
            continue
        present = tuple(o for o in options if o in texts)
        items.append(Item(first["lab"], first["student_id"], first["criterion"], present,
                          tuple(texts[o] for o in present), first["prompt"],
                          tuple(first["code_span"]) if first.get("code_span") is not None else None,
                          first["chosen_option"], tuple((present.index(c), present.index(r)) for c, r in pairs)))
    raise_problems(problems, source)  # so every member list became an item
    return Grouped(items, members)


def _item_members(numbered: list[tuple[int, dict]], source: str | Path, problems: Problems) -> list[list[int]]:
    """The indices into `numbered` of each item's rows (rows sharing lab, student_id, criterion, prompt and
    chosen_option), in first-seen order. Malformed rows are named in `problems` and left out of the
    grouping, so every problem is reported at once."""
    keys: dict[tuple, int] = {}
    members: list[list[int]] = []
    for index, (line, row) in enumerate(numbered):
        found = row_problems(row, metadata=True)
        if found:
            problems += [(line, f"{source} line {line}: {problem}") for problem in found]
            continue
        key = (row["lab"], row["student_id"], row["criterion"],
               json.dumps(row["prompt"], sort_keys=True, ensure_ascii=False), row["chosen_option"])
        if key not in keys:
            keys[key] = len(members)
            members.append([])
        members[keys[key]].append(index)
    return members


def _answers_and_pairs(numbered_rows: list[tuple[int, dict]], options: tuple
                       ) -> tuple[dict[str, str], list[tuple[str, str]], list[str]]:
    """({option letter: its answer text}, the (chosen, rejected) letters of each row, what is wrong) for one
    item's rows: a row with other options, or an option whose answer differs from an earlier row's."""
    texts: dict[str, str] = {}
    pairs, item_problems = [], []
    for line, row in numbered_rows:
        if list(row["options"]) != list(options):
            item_problems.append(f"line {line}: options {row['options']} differ from {list(options)}")
            continue
        for side, letter in (("chosen", row["chosen_option"]), ("rejected", row["rejected_option"])):
            text = row[side][0]["content"]
            if texts.setdefault(letter, text) != text:
                item_problems.append(f"line {line}: the {side} answer of option {letter} differs from "
                                     "an earlier line's")
        pairs.append((row["chosen_option"], row["rejected_option"]))
    return texts, pairs, item_problems


def fit_items(rows: list[dict], tokenizer, supports_system: bool, max_length: int | None, source: str = "pairs"
              ) -> tuple[Grouped, list[TokenizedItem]]:
    """Rows -> (items with their row indices, each item's prompt fitted once), for training (the stock
    and the grouped trainer alike). Raises ValueError, naming every item by its first row, when a prompt
    does not fit even without its code."""
    grouped = group_items(rows, source)
    tokenized = tokenize_items(tokenizer, grouped.items, max_length, supports_system)
    problems = [f"row {members[0] + 1} ({item.lab}, {item.student_id}, {item.criterion}): {tok.error}"
                for item, members, tok in zip(grouped.items, grouped.rows, tokenized) if tok.error]
    if problems:
        shown = "\n  ".join(problems[:30])
        more = f"\n  ... and {len(problems) - 30} more" if len(problems) > 30 else ""
        pairs = sum(len(item.pairs) for item, tok in zip(grouped.items, tokenized) if tok.error)
        raise ValueError(f"{len(problems)} prompts ({pairs} pairs) do not fit --max_length {max_length} even with "
                         f"the student's code removed; raise --max_length:\n  {shown}{more}")
    return grouped, tokenized


def read_items(path: str | Path) -> list[Item]:
    """The items of a pairs file, as scored (plain answers, no reasoning); raises PairsFormatError
    naming the file and lines, before any model is loaded."""
    numbered, problems = _read_rows(path)
    grouped = group_items(numbered, path, complete=True, earlier=problems)
    items, problems = [], []
    for item, indices in zip(grouped.items, grouped.rows):
        try:
            items.append(item.scoring_view())
        except ValueError as e:
            lines = [numbered[i][0] for i in indices]
            problems.append((lines[0], f"{path} lines {', '.join(map(str, lines))} ({'/'.join(item.key)}): {e}"))
    raise_problems(problems, path)
    return items
