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

import json
import os
import random
import sys
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

from Utils.cli import (DEFAULT_REASONING_SYSTEM_PROMPT, DEFAULT_SYSTEM_PROMPT, STATEMENTS, Checks, check_output_file,
                       check_statement, fail, list_field, parse, read_system_prompt, safe_console, statement_field,
                       verbose_field)
from Utils.files import check_outputs, foreign, write_json_atomic
from Utils.injection import inject
from Utils.items import item_from_graded, unknown_lab_names
from Utils.lab_records import STATEMENT_FALLBACK, LabFormatError, Problem, is_notice, writable_text
from Utils.labs import Lab, collect_items, lab_name_problems, list_lab_dirs, read_lab
from Utils.pairs import encode_records, pair_records, write_pairs


@dataclass
class LabSummary:
    lab: str
    split: str = "train+test"  # or "test" (shielded), or "skipped" (lab could not be read)
    statement_file: str = ""  # the statement file used (another than --statement asks for: see notices)
    students_in_csv: int = 0
    submissions: int = 0
    students_train: int = 0
    students_test: int = 0
    students_injected: int = 0  # training students whose code got a planted instruction (--inject_share)
    items_read: int = 0
    items_written: int = 0
    pairs_train: int = 0
    pairs_test: int = 0
    skipped: Counter = field(default_factory=Counter)  # items (student, criterion) by reason
    students_skipped: Counter = field(default_factory=Counter)  # submissions with no CSV row etc.
    criteria_skipped: Counter = field(default_factory=Counter)  # malformed rubric criteria the CSV does not rate
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


@dataclass(frozen=True)
class BuildOptions:
    system_prompt: str
    train_split: float = 0.7
    verbose: int = 0
    dpo_reasoning: bool = False
    shuffle: bool = False
    seed: int = 0
    inject_share: float = 0.0


def build_lab_records(lab: Lab, shielded: bool, options: BuildOptions
                      ) -> tuple[list[dict], list[dict], LabSummary, list[Problem]]:
    """Train records, test records, summary and problems of one lab that was read."""
    items, problems = collect_items(lab)
    summary = LabSummary(lab.name, split="test" if shielded else "train+test", statement_file=lab.statement_file,
                         students_in_csv=len({r.student_id for r in lab.ratings.rows}),
                         submissions=len(lab.submissions))
    students = [item.student_id for item in items]
    if shielded:
        train_ids, test_ids = set(), set(students)
    else:
        train_ids, test_ids = split_students(students, options.train_split, options.shuffle, options.seed)
    injected = injected_students(lab.name, sorted(train_ids), options.inject_share, options.seed)
    train, test = [], []
    for graded in items:
        if graded.student_id in injected:
            graded = replace(graded, code=injected_code(graded, options.seed))
        records = pair_records(item_from_graded(graded, options.system_prompt, options.dpo_reasoning))
        (train if graded.student_id in train_ids else test).extend(records)
    item_problems = [p for p in problems if p.criterion is not None]
    summary.students_train, summary.students_test = len(train_ids), len(test_ids)
    summary.students_injected = len(injected)
    summary.items_written = len(items)
    summary.items_read = len(items) + len(item_problems)
    summary.pairs_train, summary.pairs_test = len(train), len(test)
    for p in problems:
        counter = summary.notices if is_notice(p) else (
            summary.skipped if p.criterion is not None else
            summary.students_skipped if p.student is not None else summary.criteria_skipped)
        counter[p.reason] += 1
    return train, test, summary, problems


def injected_students(lab: str, train_ids: list[str], share: float, seed: int) -> set[str]:
    """The training students whose code gets a planted instruction (`--inject_share`), seeded per lab."""
    if share <= 0 or not train_ids:
        return set()
    rng = random.Random(f"{seed}:{lab}:inject")
    return set(rng.sample(train_ids, round(share * len(train_ids))))


def injected_code(item, seed: int) -> str:
    """The student's code with one instruction to the grader planted in it (the same for all of the
    student's criteria); the TA's ratings are kept, so the grader learns to ignore it."""
    rng = random.Random(f"{seed}:{item.lab}:{item.student_id}")
    ratings = item.criterion.ratings
    return inject(item.code, item.language, tuple(r.letter for r in ratings), tuple(r.description for r in ratings),
                  rng)


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
                  "criteria_skipped_by_reason": dict(sorted(s.criteria_skipped.items())),
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
        for reason, n in sorted(s.criteria_skipped.items()):
            lines.append(f"{'':<4}{n:>5} rubric criteria: {reason}")
        for reason, n in sorted(s.notices.items()):
            lines.append(f"{'':<4}{n:>5} notices (items still used): {reason}")
    totals = build_report(dataset, {})["totals"]
    lines.append(f"total: {totals['items_read']} items read, {totals['items_written']} written, "
                 f"{totals['items_skipped']} skipped; {totals['pairs_train']} train pairs, "
                 f"{totals['pairs_test']} test pairs; {totals['labs_skipped']} labs skipped")
    return "\n".join(lines)


# --------------------------------------------------------------------------- I/O


def build_lab(lab_dir: Path, shielded: bool, options: BuildOptions
              ) -> tuple[list[str], list[str], LabSummary, list[Problem]]:
    """Read one lab and build its JSONL lines; a lab that cannot be read becomes a reported skip."""
    try:
        lab = read_lab(lab_dir, verbose=options.verbose)
    except LabFormatError as e:
        return skipped_lab(lab_dir, str(e))
    train, test, summary, problems = build_lab_records(lab, shielded, options)
    return encode_records(train), encode_records(test), summary, problems


def skipped_lab(lab_dir: Path, why: str) -> tuple[list[str], list[str], LabSummary, list[Problem]]:
    """A lab that gave no data: a reported skip (its name shown writable, whatever its bytes)."""
    name = writable_text(lab_dir.name)
    return [], [], LabSummary(name, split="skipped", error=why), [Problem(name, "lab could not be read", detail=why)]


def build_dataset(parent_dir: str | Path, system_prompt: str, eval_lab_names: list[str] = (),
                  train_split: float = 0.7, verbose: int = 0, dpo_reasoning: bool = False,
                  shuffle: bool = False, seed: int = 0, workers: int = 1, inject_share: float = 0.0) -> Dataset:
    """Read every lab under `parent_dir` and build the train and test pairs (labs in parallel)."""
    lab_dirs = list_lab_dirs(parent_dir)
    unknown = unknown_lab_names(list(eval_lab_names), [d.name for d in lab_dirs])
    if unknown:
        raise ValueError(f"--eval_lab_names: no lab folder in {parent_dir} named {'; '.join(unknown)}")
    options = BuildOptions(system_prompt, train_split, verbose, dpo_reasoning, shuffle, seed, inject_share)
    # Names that are not UTF-8 or that collide (case, Unicode normalization) are skipped, reported.
    bad_names = lab_name_problems(lab_dirs)
    readable = [d for d in lab_dirs if d not in bad_names]
    shielded = [d.name in set(eval_lab_names) for d in readable]
    if workers > 1 and len(readable) > 1:
        with ProcessPoolExecutor(min(workers, len(readable))) as pool:
            built = list(pool.map(build_lab, readable, shielded, [options] * len(readable), chunksize=4))
    else:
        built = list(map(build_lab, readable, shielded, [options] * len(readable)))
    by_dir = dict(zip(readable, built))
    results = [by_dir[d] if d in by_dir else skipped_lab(d, bad_names[d]) for d in lab_dirs]
    dataset = Dataset([], [], [], [])
    for train, test, summary, problems in results:
        dataset.train.extend(train)
        dataset.test.extend(test)
        dataset.labs.append(summary)
        dataset.problems.extend(problems)
    return dataset


@dataclass
class BuildArguments:
    """Step 1's flags. Every default is stated here once; create_dpo_dataset.sh only sets flags."""

    parent_dir: str = field(metadata={"help": "folder holding one sub-folder per lab"})
    eval_lab_names: list[str] = list_field(
        "labs that go wholly to the test file (space- or comma-separated; repeated flags add up)")
    train_split: float = field(default=0.7, metadata={
        "help": "fraction of each other lab's students (sorted by id) used for training"})
    system_prompt_path: str | None = field(default=None, metadata={
        "help": f"system prompt file (default: {DEFAULT_SYSTEM_PROMPT.name}, or "
                f"{DEFAULT_REASONING_SYSTEM_PROMPT.name} with --dpo_reasoning 1)"})
    train_dataset_path: str = field(default="data/train.jsonl", metadata={"help": "train pairs (JSONL)"})
    test_dataset_path: str = field(default="data/test.jsonl", metadata={"help": "test pairs (JSONL)"})
    report_path: str | None = field(default=None, metadata={
        "help": "JSON accounting of every item (default: dataset_report.json beside the train file)"})
    statement: str = statement_field()
    verbose: int | None = verbose_field()
    dpo_reasoning: bool = field(default=False, metadata={
        "help": "answers also carry the TA's comment (or the rating's description) as reasoning (1/0)"})
    shuffle: bool = field(default=False, metadata={
        "help": "shuffle each lab's students (with --seed) before the split (1/0)"})
    seed: int = field(default=42, metadata={"help": "seed for --shuffle and --inject_share"})
    inject_share: float = field(default=0.0, metadata={
        "help": "share of each lab's training students whose code gets a planted instruction to the grader "
                "(varied wording and place; the TA's ratings kept), so the grader learns to ignore such text"})
    strict: bool = field(default=False, metadata={
        "help": "exit 1 when any item, student or lab was skipped, a statement fell back, or no lab was found"})
    workers: int = field(default=os.cpu_count() or 1, metadata={"help": "labs read in parallel processes"})


def check_args(args: BuildArguments) -> BuildArguments:
    """The flags' values, all problems at once (UsageError); the default --report_path filled in."""
    checks = Checks()
    checks.probability("--inject_share", args.inject_share)
    checks.probability("--train_split", args.train_split)
    checks.positive("--workers", args.workers)
    check_statement(checks, args)
    checks.raise_if_any()
    if args.report_path is None:
        args.report_path = str(Path(args.train_dataset_path).parent / "dataset_report.json")
    return args


def check_output_paths(args: BuildArguments) -> None:
    """Each output can be written (no folder where the file goes, no file where a folder must be, the
    folder writable) and, when it exists, is one the builder wrote: a pairs JSONL (or empty), a
    report with the builder's keys; any other file is never overwritten."""
    checks = Checks()
    for flag, path, ours in (("--train_dataset_path", args.train_dataset_path, _looks_like_pairs),
                             ("--test_dataset_path", args.test_dataset_path, _looks_like_pairs),
                             ("--report_path", args.report_path, _looks_like_report)):
        if checks.run(check_output_file, path, flag) is None and foreign(Path(path), ours):
            checks.add(f"{flag} {path}: the file exists and is not one the builder wrote; refusing to overwrite it "
                       "(remove it or choose another path)")
    checks.raise_if_any()


def _first_line(path: Path) -> str:
    with open(path, "rb") as f:
        return f.readline(1 << 20).decode("utf-8", errors="replace").strip()


def _looks_like_pairs(path: Path) -> bool:
    line = _first_line(path)
    try:
        return not line or (isinstance(row := json.loads(line), dict) and "prompt" in row and "chosen" in row)
    except json.JSONDecodeError:
        return False


def _looks_like_report(path: Path) -> bool:
    try:
        data = json.loads(path.read_bytes().decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        return path.stat().st_size == 0
    return isinstance(data, dict) and {"arguments", "totals", "labs"} <= set(data)


def main(argv: list[str] | None = None) -> int:
    safe_console()
    try:
        (args,) = parse(BuildArguments, argv, __doc__.split("\n\n")[0])
        check_args(args)
        system_prompt, prompt_path = read_system_prompt(args.system_prompt_path, args.dpo_reasoning)
        check_outputs({"--train_dataset_path": args.train_dataset_path, "--test_dataset_path": args.test_dataset_path,
                       "--report_path": args.report_path},
                      inputs={"--system_prompt_path": prompt_path}, input_dirs={"--parent_dir": args.parent_dir})
        check_output_paths(args)
        dataset = build_dataset(args.parent_dir, system_prompt, args.eval_lab_names, args.train_split,
                                STATEMENTS[args.statement], args.dpo_reasoning, args.shuffle, args.seed, args.workers,
                                args.inject_share)
    except (ValueError, FileNotFoundError) as e:
        return fail(str(e))
    write_pairs(dataset.train, args.train_dataset_path)
    write_pairs(dataset.test, args.test_dataset_path)
    resolved = {**asdict(args), "system_prompt_path": str(prompt_path)}
    write_json_atomic(build_report(dataset, resolved), args.report_path)
    print(format_summary(dataset))
    print(f"wrote {args.train_dataset_path}, {args.test_dataset_path} and {args.report_path}")
    if args.strict:
        problems = strict_problems(dataset)
        if problems:
            print(f"error: --strict: {'; '.join(problems)}; see {args.report_path}", file=sys.stderr)
            return 1
    return 0


def strict_problems(dataset: Dataset) -> list[str]:
    """What --strict refuses: skipped items, students or labs; statement fall-backs; no lab at all."""
    problems = []
    skipped = [p for p in dataset.problems if not is_notice(p)]
    if skipped:
        problems.append(f"{len(skipped)} items, students or labs were skipped")
    fallbacks = sorted({p.lab for p in dataset.problems if p.reason == STATEMENT_FALLBACK})
    if fallbacks:
        problems.append(f"{len(fallbacks)} labs used another statement file than --statement asks for "
                        f"({', '.join(fallbacks)})")
    if not dataset.labs:
        problems.append("no lab folder was found")
    return problems


if __name__ == "__main__":
    sys.exit(main())
