"""Build DPO preference pairs from lab folders (step 1 of the toolkit).

    python -m Utils.create_dataset --parent_dir examples/labs --eval_lab_names lab05 lab06

For every (lab, student, criterion) the TA rated: the prompt is the problem
statement, the student's code, the criterion and its options (`Utils.prompts`);
`chosen` is the TA's rating and each other rating is one `rejected`, so a
criterion with K ratings gives K-1 pairs. Output is JSONL in TRL's
conversational preference format, plus a JSON report that accounts for every
item read (written + skipped == read).

The split is by student within each lab, so no student's code is on both sides;
labs named in --eval_lab_names go wholly to the test file. Imports no torch.
"""

from __future__ import annotations

import argparse
import difflib
import json
import os
import random
import sys
import tempfile
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from Utils.labs import (GradedItem, Lab, LabFormatError, NOT_UTF8, Problem, collect_items,
                        list_lab_dirs, read_lab)
from Utils.prompts import answer_text, build_prompt

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SYSTEM_PROMPT = REPO_ROOT / "system_prompt.txt"
DEFAULT_REASONING_SYSTEM_PROMPT = REPO_ROOT / "system_prompt_reasoning.txt"


@dataclass
class LabSummary:
    lab: str
    split: str = "train+test"  # or "test" (shielded), or "skipped" (lab could not be read)
    students_in_csv: int = 0
    submissions: int = 0
    students_train: int = 0
    students_test: int = 0
    items_read: int = 0
    items_written: int = 0
    pairs_train: int = 0
    pairs_test: int = 0
    skipped: Counter = field(default_factory=Counter)  # items (student, criterion) by reason
    students_skipped: Counter = field(default_factory=Counter)  # submissions with no CSV row etc.
    notices: Counter = field(default_factory=Counter)  # used, with a caveat (e.g. bad bytes)
    error: str = ""


@dataclass
class Dataset:
    """Train and test pairs as JSONL lines (encoded where they were built, so labs build in parallel)."""

    train: list[str]
    test: list[str]
    labs: list[LabSummary]
    problems: list[Problem]  # items or students skipped, labs that could not be read, notices

    def records(self, split: str) -> list[dict]:
        return [json.loads(line) for line in getattr(self, split)]


# --------------------------------------------------------------------------- pure functions


def split_students(student_ids: list[str], train_split: float, shuffle: bool = False,
                   seed: int = 0) -> tuple[set[str], set[str]]:
    """First `train_split` of the students (sorted by id, or shuffled with `seed`) train, the rest test."""
    order = sorted(set(student_ids))
    if shuffle:
        random.Random(seed).shuffle(order)
    n_train = int(len(order) * train_split)
    return set(order[:n_train]), set(order[n_train:])


def item_records(item: GradedItem, system_prompt: str, dpo_reasoning: bool = False) -> list[dict]:
    """The K-1 DPO pairs of one item: the TA's rating against each other rating."""
    messages, code_span = build_prompt(system_prompt, item.statement, item.code, item.language, item.criterion)
    chosen = item.criterion.rating(item.chosen)
    reasoning = (item.comment or chosen.description) if dpo_reasoning else None
    chosen_message = [{"role": "assistant", "content": answer_text(chosen, reasoning)}]
    records = []
    for rating in item.criterion.ratings:
        if rating.letter == item.chosen:
            continue
        rejected_reasoning = rating.description if dpo_reasoning else None
        records.append({
            "prompt": messages,
            "chosen": chosen_message,
            "rejected": [{"role": "assistant", "content": answer_text(rating, rejected_reasoning)}],
            "lab": item.lab,
            "student_id": item.student_id,
            "criterion": item.criterion.title,
            "chosen_option": item.chosen,
            "rejected_option": rating.letter,
            "options": list(item.criterion.letters),
            "code_span": list(code_span),
        })
    return records


def build_lab_records(lab: Lab, system_prompt: str, shielded: bool, train_split: float,
                      shuffle: bool = False, seed: int = 0, dpo_reasoning: bool = False
                      ) -> tuple[list[dict], list[dict], LabSummary, list[Problem]]:
    """Train records, test records, summary and problems of one lab that was read."""
    items, problems = collect_items(lab)
    summary = LabSummary(lab.name, split="test" if shielded else "train+test",
                         students_in_csv=len({r.student_id for r in lab.ratings.rows}),
                         submissions=len(lab.submissions))
    students = [item.student_id for item in items]
    if shielded:
        train_ids, test_ids = set(), set(students)
    else:
        train_ids, test_ids = split_students(students, train_split, shuffle, seed)
    train, test = [], []
    for item in items:
        records = item_records(item, system_prompt, dpo_reasoning)
        (train if item.student_id in train_ids else test).extend(records)
    item_problems = [p for p in problems if p.criterion is not None]
    summary.students_train, summary.students_test = len(train_ids), len(test_ids)
    summary.items_written = len(items)
    summary.items_read = len(items) + len(item_problems)
    summary.pairs_train, summary.pairs_test = len(train), len(test)
    for p in problems:
        counter = summary.notices if p.reason == NOT_UTF8 else (
            summary.skipped if p.criterion is not None else summary.students_skipped)
        counter[p.reason] += 1
    return train, test, summary, problems


def encode_records(records: list[dict]) -> list[str]:
    """JSONL lines. The K-1 pairs of an item share one prompt and one chosen answer: encode them once."""
    encode = json.JSONEncoder(ensure_ascii=False).encode
    lines = []
    shared: tuple[int, str, int, str] = (0, "", 0, "")
    for record in records:
        prompt, chosen = record["prompt"], record["chosen"]
        if shared[0] != id(prompt) or shared[2] != id(chosen):
            shared = (id(prompt), encode(prompt), id(chosen), encode(chosen))
        rest = encode({k: v for k, v in record.items() if k not in ("prompt", "chosen")})
        lines.append('{"prompt": ' + shared[1] + ', "chosen": ' + shared[3] + ", " + rest[1:] + "\n")
    return lines


def read_system_prompt(path: str | Path | None, reasoning: bool = False) -> tuple[str, Path]:
    """The system prompt and its file: `path`, else the repo's default (the reasoning one with
    `reasoning`). Raises FileNotFoundError naming the flag."""
    prompt_path = Path(path) if path else (DEFAULT_REASONING_SYSTEM_PROMPT if reasoning else DEFAULT_SYSTEM_PROMPT)
    if not prompt_path.is_file():
        raise FileNotFoundError(f"--system_prompt_path: {prompt_path}: file not found")
    return prompt_path.read_text(encoding="utf-8").strip(), prompt_path


def split_lab_names(values: list[str]) -> list[str]:
    """Lab names given as separate arguments, comma-separated, or both: ["a,b", "c"] -> [a, b, c]."""
    return [n.strip() for names in values for n in names.split(",") if n.strip()]


def unknown_lab_names(requested: list[str], available: list[str]) -> list[str]:
    """Messages for requested lab names that match no lab folder, with close matches."""
    messages = []
    for name in requested:
        if name not in available:
            close = difflib.get_close_matches(name, available, n=3)
            messages.append(f"{name!r}" + (f" (did you mean {', '.join(close)}?)" if close else ""))
    return messages


def build_report(dataset: Dataset, args: dict) -> dict:
    """The full accounting as JSON-ready data."""
    skipped = Counter()
    for s in dataset.labs:
        skipped.update(s.skipped)
    items_read = sum(s.items_read for s in dataset.labs)
    items_written = sum(s.items_written for s in dataset.labs)
    return {
        "arguments": args,
        "totals": {
            "labs": len(dataset.labs),
            "labs_skipped": sum(1 for s in dataset.labs if s.split == "skipped"),
            "items_read": items_read,
            "items_written": items_written,
            "items_skipped": items_read - items_written,
            "pairs_train": len(dataset.train),
            "pairs_test": len(dataset.test),
            "skipped_by_reason": dict(sorted(skipped.items())),
        },
        "labs": [{**{k: v for k, v in vars(s).items() if not isinstance(v, Counter)},
                  "skipped_by_reason": dict(sorted(s.skipped.items())),
                  "students_skipped_by_reason": dict(sorted(s.students_skipped.items())),
                  "notices": dict(sorted(s.notices.items()))} for s in dataset.labs],
        "problems": [vars(p) for p in dataset.problems],
    }


def format_summary(dataset: Dataset) -> str:
    """A short table, one line per lab, with skip reasons under each lab that had any."""
    lines = [f"{'lab':<32} {'split':<10} {'students':>8} {'subs':>5} {'items':>6} {'written':>7} "
             f"{'pairs train/test':>17} {'skipped':>7}"]
    for s in dataset.labs:
        if s.split == "skipped":
            lines.append(f"{s.lab:<32} SKIPPED: {s.error}")
            continue
        lines.append(f"{s.lab:<32} {s.split:<10} {s.students_in_csv:>8} {s.submissions:>5} {s.items_read:>6} "
                     f"{s.items_written:>7} {f'{s.pairs_train}/{s.pairs_test}':>17} "
                     f"{s.items_read - s.items_written:>7}")
        for reason, n in sorted(s.skipped.items()):
            lines.append(f"{'':<4}{n:>5} items: {reason}")
        for reason, n in sorted(s.students_skipped.items()):
            lines.append(f"{'':<4}{n:>5} students: {reason}")
        for reason, n in sorted(s.notices.items()):
            lines.append(f"{'':<4}{n:>5} notices (items still used): {reason}")
    totals = build_report(dataset, {})["totals"]
    lines.append(f"total: {totals['items_read']} items read, {totals['items_written']} written, "
                 f"{totals['items_skipped']} skipped; {totals['pairs_train']} train pairs, "
                 f"{totals['pairs_test']} test pairs; {totals['labs_skipped']} labs skipped")
    return "\n".join(lines)


# --------------------------------------------------------------------------- I/O


@dataclass(frozen=True)
class BuildOptions:
    system_prompt: str
    train_split: float = 0.7
    verbose: int = 0
    dpo_reasoning: bool = False
    shuffle: bool = False
    seed: int = 0


def build_lab(lab_dir: Path, shielded: bool, options: BuildOptions
              ) -> tuple[list[str], list[str], LabSummary, list[Problem]]:
    """Read one lab and build its JSONL lines; a lab that cannot be read becomes a reported skip."""
    try:
        lab = read_lab(lab_dir, verbose=options.verbose)
    except LabFormatError as e:
        return [], [], LabSummary(lab_dir.name, split="skipped", error=str(e)), [
            Problem(lab_dir.name, "lab could not be read", detail=str(e))]
    train, test, summary, problems = build_lab_records(
        lab, options.system_prompt, shielded, options.train_split, options.shuffle, options.seed,
        options.dpo_reasoning)
    return encode_records(train), encode_records(test), summary, problems


def build_dataset(parent_dir: str | Path, system_prompt: str, eval_lab_names: list[str] = (),
                  train_split: float = 0.7, verbose: int = 0, dpo_reasoning: bool = False,
                  shuffle: bool = False, seed: int = 0, workers: int = 1) -> Dataset:
    """Read every lab under `parent_dir` and build the train and test pairs (labs in parallel)."""
    lab_dirs = list_lab_dirs(parent_dir)
    unknown = unknown_lab_names(list(eval_lab_names), [d.name for d in lab_dirs])
    if unknown:
        raise ValueError(f"--eval_lab_names: no lab folder in {parent_dir} named {'; '.join(unknown)}")
    options = BuildOptions(system_prompt, train_split, verbose, dpo_reasoning, shuffle, seed)
    shielded = [d.name in set(eval_lab_names) for d in lab_dirs]
    if workers > 1 and len(lab_dirs) > 1:
        with ProcessPoolExecutor(min(workers, len(lab_dirs))) as pool:
            results = list(pool.map(build_lab, lab_dirs, shielded, [options] * len(lab_dirs), chunksize=4))
    else:
        results = list(map(build_lab, lab_dirs, shielded, [options] * len(lab_dirs)))
    dataset = Dataset([], [], [], [])
    for train, test, summary, problems in results:
        dataset.train.extend(train)
        dataset.test.extend(test)
        dataset.labs.append(summary)
        dataset.problems.extend(problems)
    return dataset


def write_jsonl(lines: list[str], path: str | Path) -> None:
    """Write atomically, so a crash never leaves a half-written dataset that looks complete."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", buffering=1 << 20) as f:
            f.writelines(lines)
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise


def write_json(data: dict, path: str | Path) -> None:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    p.add_argument("--parent_dir", required=True, help="folder holding one sub-folder per lab")
    p.add_argument("--eval_lab_names", nargs="*", default=[],
                   help="labs that go wholly to the test file (space- or comma-separated)")
    p.add_argument("--train_split", type=float, default=0.7,
                   help="fraction of each other lab's students (sorted by id) used for training")
    p.add_argument("--system_prompt_path", default=None,
                   help=f"system prompt file (default: {DEFAULT_SYSTEM_PROMPT.name}, or "
                        f"{DEFAULT_REASONING_SYSTEM_PROMPT.name} with --dpo_reasoning 1)")
    p.add_argument("--train_dataset_path", default="data/train.jsonl")
    p.add_argument("--test_dataset_path", default="data/test.jsonl")
    p.add_argument("--report_path", default=None,
                   help="JSON accounting of every item (default: dataset_report.json beside the train file)")
    p.add_argument("--verbose", type=int, choices=(0, 1), default=0,
                   help="0: modified_ps.txt; 1: ps.txt, else problemStatement.txt")
    p.add_argument("--dpo_reasoning", type=int, choices=(0, 1), default=0,
                   help="1: answers also carry the TA's comment (or the rating's description) as reasoning")
    p.add_argument("--shuffle", type=int, choices=(0, 1), default=0,
                   help="1: shuffle each lab's students (with --seed) before the split")
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--strict", action="store_true", help="exit non-zero when any item or lab was skipped")
    p.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="labs read in parallel processes")
    args = p.parse_args(argv)
    args.eval_lab_names = split_lab_names(args.eval_lab_names)
    if not 0.0 <= args.train_split <= 1.0:
        p.error(f"--train_split must be between 0 and 1, got {args.train_split}")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        system_prompt, prompt_path = read_system_prompt(args.system_prompt_path, bool(args.dpo_reasoning))
    except FileNotFoundError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    try:
        dataset = build_dataset(args.parent_dir, system_prompt, args.eval_lab_names, args.train_split,
                                args.verbose, bool(args.dpo_reasoning), bool(args.shuffle), args.seed,
                                args.workers)
    except (ValueError, FileNotFoundError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    write_jsonl(dataset.train, args.train_dataset_path)
    write_jsonl(dataset.test, args.test_dataset_path)
    report_path = args.report_path or Path(args.train_dataset_path).parent / "dataset_report.json"
    resolved = {**vars(args), "system_prompt_path": str(prompt_path)}
    write_json(build_report(dataset, resolved), report_path)
    print(format_summary(dataset))
    print(f"wrote {args.train_dataset_path}, {args.test_dataset_path} and {report_path}")
    skipped = [p for p in dataset.problems if p.reason != NOT_UTF8]
    if args.strict and skipped:
        print(f"error: --strict: {len(skipped)} items, students or labs were skipped; see {report_path}",
              file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
