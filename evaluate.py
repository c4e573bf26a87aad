"""Evaluate a grader: how often does the model pick the TA's rating?

    python evaluate.py --adapter_path runs/model_20250101-120000 --test_dataset_path data/test.jsonl
    python evaluate.py --model smollm2-135m --parent_dir examples/labs --lab_names lab05_factorial

Scores every item (lab, student, criterion) of a builder test JSONL or of lab folders with
the model, bare or with a training run's LoRA adapter; with an adapter the bare base model is
scored too (unless --skip_base) and both are reported side by side. Writes predictions.jsonl,
report.json, report.md and PNG plots to --output_dir and ends with a table of the agreement.
The steps live in Utils/scoring.py (scoring), Utils/metrics.py and Utils/report.py.

Under `accelerate launch --num_processes N evaluate.py ...` the N processes share the scoring
(whole students, see Utils/scoring.py) and the main process alone writes the same files as one
process would (only the timings differ) and prints.
"""

from __future__ import annotations

import json
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path

from Utils.console import Progress
from Utils.cli import (STATEMENTS, Checks, ModelArguments, UsageError, check_output_dir, check_statement, fail,
                       list_field, parse, quiet_libraries, read_system_prompt, statement_field, verbose_field)
from Utils.items import filter_labs, first_students_per_lab, read_lab_items
from Utils.grader import check_model_arguments, load_for_scoring, resolve_max_length
from Utils.models import resolve_device
from Utils.pairs import read_items
from Utils import calibration as calib, distributed, runs as run_folder
from Utils.files import check_outputs, read_json_object
from Utils.predictions import predictions_of
from Utils.report import (BASE, FINE_TUNED, baseline_section, build_report, comparison_rows, format_table,
                          model_section, verdict, write_evaluation)
from Utils.scoring import METHODS, score_items

DEFAULT_TEST_DATASET = "data/test.jsonl"


@dataclass(kw_only=True)
class EvaluateArguments(ModelArguments):
    skip_base: bool = field(default=False, metadata={
        "help": "with --adapter_path: do not also score the bare base model"})
    test_dataset_path: str | None = field(default=None, metadata={
        "help": f"builder test JSONL (default {DEFAULT_TEST_DATASET} when --parent_dir is not given)"})
    parent_dir: str | None = field(default=None, metadata={
        "help": "read items straight from lab folders under this folder instead of a JSONL"})
    lab_names: list[str] = list_field("only these labs (space- or comma-separated; repeated flags add up); "
                                      "default: all")
    statement: str = statement_field("with --parent_dir: ")
    verbose: int | None = verbose_field()
    system_prompt_path: str | None = field(default=None, metadata={
        "help": "with --parent_dir: system prompt file (default: system_prompt.txt of the repo)"})
    output_dir: str = field(default="results/eval", metadata={"help": "where the outputs are written"})
    method: str = field(default="auto", metadata={
        "help": "likelihood: most likely option's answer text; first_token: most likely option letter (what "
                "--loss_type choice trains); generate: greedy generation, parsed; auto: first_token for a run "
                "trained with the choice loss, else likelihood",
        "choices": ["auto", *METHODS]})
    batch_size: int = field(default=4, metadata={
        "help": "likelihood: student groups per forward pass; generate: prompts per generate call"})
    max_new_tokens: int = field(default=48, metadata={"help": "generate: tokens generated per item"})
    max_items: int | None = field(default=None, metadata={"help": "score only the first N items (quick checks)"})
    max_students_per_lab: int | None = field(default=None, metadata={
        "help": "score only the first N students (sorted by id) of each lab: a fixed sample of every lab"})
    calibration: str = field(default="fit", metadata={
        "help": "fit: fit a temperature on the in-lab test students (labs not held out) and, with "
                "--adapter_path, save it in the run folder for grade.py; saved: use the run folder's; none",
        "choices": ["fit", "saved", "none"]})
    held_out_labs: list[str] = list_field(
        "labs never trained on (default: those the builder's dataset_report.json beside the test JSONL lists)")
    reference_train_dataset_path: str = field(default="auto", metadata={
        "help": "training pairs (JSONL) of the reference grader reported beside the models (logistic regression on "
                "the code's tokens, Utils/reference.py); auto: the run's own training pairs; none: no reference"})


def check_args(args: EvaluateArguments) -> EvaluateArguments:
    """The flags' values (names, counts), all problems at once (UsageError); `check_inputs` checks
    the files they name."""
    if args.test_dataset_path and args.parent_dir:
        raise UsageError("give --test_dataset_path or --parent_dir, not both")
    if not args.parent_dir and not args.test_dataset_path:
        args.test_dataset_path = DEFAULT_TEST_DATASET
    checks = Checks()
    if args.skip_base and not args.adapter_path:
        checks.add("--skip_base needs --adapter_path (without an adapter only the base model is scored)")
    checks.positive("--max_students_per_lab", args.max_students_per_lab)
    checks.positive("--max_items", args.max_items)
    checks.positive("--batch_size", args.batch_size)
    checks.positive("--max_new_tokens", args.max_new_tokens)
    checks.positive("--max_length", args.max_length)
    checks.positive("--max_group_tokens", args.max_group_tokens)
    check_statement(checks, args)
    checks.raise_if_any()
    return args


def check_inputs(args: EvaluateArguments) -> Checks:
    """The input files and folders (test JSONL or lab folders, model, run folder, adapter, calibration)
    and the output folder, checked before anything is loaded. Returns the problems found (the caller
    adds those of reading the items and reports all at once)."""
    checks = Checks()
    if args.test_dataset_path and not Path(args.test_dataset_path).is_file():
        checks.add(f"--test_dataset_path {args.test_dataset_path}: file not found")
    if args.parent_dir and not Path(args.parent_dir).is_dir():
        checks.add(f"--parent_dir {args.parent_dir}: folder not found")
    check_model_arguments(args, checks)
    checks.run(check_output_dir, args.output_dir, "--output_dir")
    checks.run(check_earlier_evaluation, Path(args.output_dir))
    return checks


EVALUATION_FILES = ("predictions.jsonl", "report.json", "report.md")


def check_earlier_evaluation(output_dir: Path) -> None:
    """--output_dir may hold an earlier evaluation (replaced), but no other file of the names
    evaluate.py writes: those it did not write are never overwritten."""
    taken = [name for name in EVALUATION_FILES if (output_dir / name).exists()]
    if not taken:
        return
    try:
        report = json.loads((output_dir / "report.json").read_text(encoding="utf-8"))
        ours = isinstance(report, dict) and {"method", "test_data"} <= set(report)
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        ours = False
    if not ours:
        raise UsageError(f"--output_dir {output_dir}: holds {', '.join(taken)} that evaluate.py did not write "
                         "(no evaluation report.json); refusing to overwrite them: choose another folder")


def trained_on(adapter_path: str | None) -> dict | None:
    """The builder's report the run copied (which labs and how many of their students it trained on),
    None without a run or when the run keeps none."""
    if not adapter_path:
        return None
    report = run_folder.run_dir_of(run_folder.find_weights_dir(adapter_path)) / run_folder.DATASET_REPORT
    if not report.is_file():
        return None
    return read_json_object(report)


def leave_out_training_students(items: list, report: dict | None) -> tuple[list, list[str], list[str]]:
    """Items read from lab folders (--parent_dir) without those of the run's training students.

    The run trained on the first share of the students of each lab it did not hold out (the
    builder's split, `split_students`, redone with the run's train_split/shuffle/seed); those
    students' items are left out, so the in-lab rows and the calibration fitted on them see only
    students the run never saw. A lab whose students no longer add up to the run's counts is left out
    whole. Returns (items, held-out labs, notes)."""
    from Utils.create_dataset import split_students

    if report is None:
        return items, [], []
    arguments = report.get("arguments") or {}
    labs = {lab.get("lab"): lab for lab in report.get("labs", []) if isinstance(lab, dict)}
    held_out = sorted(name for name, lab in labs.items() if lab.get("split") == "test")
    by_lab: dict[str, set[str]] = {}
    for item in items:
        by_lab.setdefault(item.lab, set()).add(item.student_id)
    keep: dict[str, set[str]] = {}
    notes = []
    for lab, students in by_lab.items():
        summary = labs.get(lab)
        if summary is None or summary.get("split") != "train+test":
            keep[lab] = students
            continue
        train_ids, test_ids = split_students(sorted(students), float(arguments.get("train_split", 0.7)),
                                             bool(arguments.get("shuffle", False)), int(arguments.get("seed", 42)))
        if (len(train_ids), len(test_ids)) != (summary.get("students_train"), summary.get("students_test")):
            notes.append(f"lab {lab}: the run trained on some of its students, and the lab's students no longer "
                         f"match the run's split ({summary.get('students_train')} train / "
                         f"{summary.get('students_test')} test): left out")
            keep[lab] = set()
            continue
        notes.append(f"lab {lab}: the run trained on {len(train_ids)} of its students: their items are left out; "
                     f"its {len(test_ids)} test students are scored")
        keep[lab] = test_ids
    return [i for i in items if i.student_id in keep[i.lab]], held_out, notes


def held_out_labs(test_dataset_path: str | None) -> list[str]:
    """Labs the builder put wholly in the test file (from dataset_report.json beside it, if any)."""
    if not test_dataset_path:
        return []
    report = Path(test_dataset_path).parent / "dataset_report.json"
    if not report.is_file():
        return []
    labs = json.loads(report.read_text(encoding="utf-8")).get("labs", [])
    return [lab["lab"] for lab in labs if isinstance(lab, dict) and lab.get("split") == "test"]


def main(argv: list[str] | None = None) -> int:
    quiet_libraries()
    processes = distributed.launched()
    say = distributed.main_console(processes)
    # 1. Items: a builder test JSONL, or lab folders read as the builder reads them.
    try:
        args = read_arguments(argv)
        items, skipped, source, run_held_out = items_to_score(args, say)
    except (ValueError, FileNotFoundError) as e:
        return fail(str(e)) if processes.is_main else 2
    if not items:
        say(f"error: no items to score in {source}", file=sys.stderr)
        return 2

    # 2. The model as in training, with the run's trained weights when given.
    try:
        check_outputs({"--output_dir": args.output_dir}, inputs={"--test_dataset_path": args.test_dataset_path},
                      input_dirs={"--parent_dir": args.parent_dir, "--adapter_path": args.adapter_path})
        device = distributed.join_for_scoring(resolve_device(args.device), processes)
        loaded = load_for_scoring(args.model, args.model_size, args.adapter_path, args.quantization, device)
    except (ValueError, FileNotFoundError) as e:
        return fail(str(e)) if processes.is_main else 2
    max_length, max_length_source = resolve_max_length(loaded, args.max_length)
    if args.method == "auto":
        args.method = auto_method(loaded.run_args if loaded.run_dir is not None else None)
    say(f"{len(items)} items from {source}; model {loaded.spec.name}"
        + (f" + trained weights {loaded.weights_dir}" if loaded.weights_dir else "")
        + f"; method {args.method}; max_length {max_length} ({max_length_source})"
        + (f"; {processes.count} processes share the items" if processes.count > 1 else ""))

    # 3. Score: the fine-tuned model, then the base model (the same weights, adapter disabled).
    runs = score_models(args, loaded, items, max_length, processes, say)
    if not processes.is_main:  # every process holds every score; the main one reports
        return 0

    # 4. Confidence: a temperature fitted on the in-lab test students (never on the held-out labs),
    #    saved in the run folder for grade.py; or the run folder's own.
    held_out = (args.held_out_labs or held_out_labs(args.test_dataset_path)
                or run_held_out)
    calibrations = calibrate(args, runs, loaded, held_out, say)

    # 5. Metrics, next to the constant answer, chance and the reference grader on the same items; the report.
    sections = model_sections(runs, loaded, held_out, calibrations)
    save_calibration(args, sections, calibrations, loaded)
    reference, reference_source = reference_grader(args, loaded, items, say)
    context = {"method": args.method, "max_length": max_length, "max_length_source": max_length_source,
               "test_data": source, "held_out_labs": held_out,
               "baselines": baseline_section(predictions_of(next(iter(runs.values()))), held_out, reference,
                                             reference_source),
               "skipped_items": [p.describe() for p in skipped], "arguments": asdict(args)}
    report = build_report(sections, context)
    written = write_evaluation(args.output_dir, report, runs, loaded.run_dir)
    print(f"wrote {', '.join(str(p) for p in written)}")
    save_agreement(args, report, loaded)
    print()
    print(format_table(*comparison_rows(report)))
    print(verdict(report))
    return 0


def read_arguments(argv: list[str] | None) -> EvaluateArguments:
    """The checked flags; the input files' problems and the test file's own reported together, before
    any model loads (ValueError, UsageError among them)."""
    (args,) = parse(EvaluateArguments, argv, __doc__.split("\n\n")[0])
    check_args(args)
    checks = check_inputs(args)
    if checks.problems:
        if args.test_dataset_path and Path(args.test_dataset_path).is_file():
            checks.run(read_items, args.test_dataset_path)
        checks.raise_if_any()
    return args


def model_sections(runs: dict, loaded, held_out: list[str], calibrations: dict) -> dict:
    """{label: the report's section for that model's run}: its metrics, in-lab and held-out, with its
    calibration."""
    sections = {}
    for label, run in runs.items():
        description = {"label": label, "name": loaded.spec.name, "hub_id": loaded.spec.hub_id,
                       "adapter_path": str(loaded.weights_dir) if label == FINE_TUNED else None}
        sections[label] = model_section(run, description, held_out, calibrations[label])
    return sections


def auto_method(run_args: dict | None) -> str:
    """--method auto: the letter alone for a run trained to pick the letter (loss_type choice), else the
    whole answer."""
    loss_types = (run_args or {}).get("loss_type") or []
    return "first_token" if "choice" in (loss_types if isinstance(loss_types, list) else [loss_types]) else "likelihood"


def items_to_score(args: EvaluateArguments, say) -> tuple[list, list, str, list[str]]:
    """(the items to score, the problems of those that could not be read, where they came from, the labs the
    run's builder report held out): a test JSONL, or lab folders without the run's training students;
    the first --max_students_per_lab students of each lab and the first --max_items items."""
    skipped, run_held_out = [], []
    if args.parent_dir:
        # the prompt the run was trained with (its run folder keeps it), unless one is given
        saved_prompt = None if args.system_prompt_path else (
            run_folder.run_system_prompt_of(args.adapter_path) if args.adapter_path else None)
        system_prompt = saved_prompt or read_system_prompt(args.system_prompt_path)[0]
        items, skipped = read_lab_items(args.parent_dir, args.lab_names, system_prompt, STATEMENTS[args.statement])
        report = trained_on(args.adapter_path)
        if args.adapter_path and report is None:
            say(f"note: the run folder keeps no {run_folder.DATASET_REPORT}, so which students it trained on "
                "is unknown: if these labs were trained on, the in-lab rows and the fitted temperature include "
                "training students (the builder's test JSONL, --test_dataset_path, has none)")
        items, run_held_out, notes = leave_out_training_students(items, report)
        for note in notes:
            say(f"note: {note}")
        source = args.parent_dir
    else:
        items = filter_labs(read_items(args.test_dataset_path), args.lab_names, args.test_dataset_path)
        source = args.test_dataset_path
    for problem in skipped:
        say(f"skipped: {problem.describe()}", file=sys.stderr)
    if args.max_students_per_lab:
        items = first_students_per_lab(items, args.max_students_per_lab)
    if args.max_items:
        items = items[:args.max_items]
    return items, skipped, source, run_held_out


def score_models(args: EvaluateArguments, loaded, items: list, max_length: int, processes, say) -> dict:
    """{label: ScoringRun}: the fine-tuned model (with an adapter), and the base model unless --skip_base.
    A run that trained only its top layers shares the base model's lower layers weight for weight: the
    base model is then scored first and keeps what those layers output, and the fine-tuned model runs
    only its own layers from there (`Utils.layer_cache.shared_lower_layers`; the same scores)."""
    def score(label: str, model, lower_layers=None):
        shown = label if processes.count == 1 else f"{label} (this process's share)"
        run = score_items(model, loaded.tokenizer, items, args.method, max_length, loaded.supports_system,
                          args.batch_size, args.max_group_tokens, args.max_new_tokens,
                          Progress(shown) if processes.is_main else None, lower_layers)
        say(f"{label}: {len(items)} items in {run.seconds:.1f} s ({run.items_per_second:.2f} items/s)")
        return run

    from Utils.layer_cache import shared_lower_layers

    runs = {}
    if loaded.fine_tuned and not args.skip_base and not hasattr(loaded.model, "disable_adapter"):
        # Whole weights (no adapter to switch off): the base model is loaded beside the fine-tuned one.
        with loaded.base_model() as base:
            shared = shared_lower_layers(base, loaded.model) if args.method != "generate" else None
            runs[BASE] = score(BASE, base, shared)
            runs[FINE_TUNED] = score(FINE_TUNED, loaded.model, shared)
    else:
        if loaded.fine_tuned:
            runs[FINE_TUNED] = score(FINE_TUNED, loaded.model)
        if not args.skip_base:
            with loaded.base_model() as base:
                runs[BASE] = score(BASE, base)
    return {label: runs[label] for label in (FINE_TUNED, BASE) if label in runs}


def calibrate(args: EvaluateArguments, runs: dict, loaded, held_out: list[str], say) -> dict:
    """{label: Calibration or None}, applied to the runs' scores: fitted on the in-lab test students (--calibration
    fit; never on the held-out labs), or the run folder's entry for this scoring setting (saved)."""
    calibrations = {}
    for label, run in runs.items():
        calibration = None
        if label == FINE_TUNED and args.calibration == "saved":
            saved, why_not = calib.for_setting(loaded.calibrations, args.method, loaded.precision)
            calibration = calib.Calibration.from_dict(saved)
            if why_not:
                say(f"note: {why_not}")
        if args.calibration == "fit":  # None for generation: it gives no option scores
            in_lab = [s for s in run.scores if s.item.lab not in set(held_out)]
            calibration = calib.fit(in_lab, f"in-lab test students of {', '.join(sorted({s.item.lab for s in in_lab}))}",
                                    args.method, loaded.precision)
        if calibration:
            calib.calibrate(run.scores, calibration)
        calibrations[label] = calibration
    return calibrations


def save_calibration(args: EvaluateArguments, sections: dict, calibrations: dict, loaded) -> None:
    """With --calibration fit and a run folder: the temperature and the thresholds that reached each target
    accuracy on items it was not fitted on, saved for grade.py."""
    fitted = sections.get(FINE_TUNED, {}).get("calibration")
    if args.calibration != "fit" or not fitted or loaded.run_dir is None:
        return
    auto_accept = [{**point, "evaluated_on": fitted["evaluated_on"]} for point in fitted["coverage"]]
    path = run_folder.write_calibration(loaded.run_dir, {**calibrations[FINE_TUNED].to_dict(),
                                                         "auto_accept": auto_accept})
    print(f"temperature {fitted['temperature']:.3g} fitted on {fitted['n_items']} in-lab items; saved with the "
          f"auto-accept thresholds in {path}, for grade.py {calib.setting_name(args.method, loaded.precision)}")


def save_agreement(args: EvaluateArguments, report: dict, loaded) -> None:
    """With a run folder: the fine-tuned model's agreement with the TAs on the held-out labs, with its interval
    and baselines, saved as the run's evaluation.json; grade.py's review page states it."""
    from Utils.grading import measured_agreement

    if loaded.run_dir is None or loaded.weights_dir is None:
        return
    source = str((Path(args.output_dir) / "report.json").resolve())
    agreement = measured_agreement({**report, "_path": source}, loaded.weights_dir)
    if agreement.get("measured"):
        path = run_folder.write_evaluation(loaded.run_dir, agreement)
        print(f"held-out agreement saved in {path}: grade.py's review page states it")


def reference_grader(args: EvaluateArguments, loaded, items: list, say) -> tuple[list | None, str | None]:
    """The reference grader's answers on the scored items (`Utils.reference`), trained on
    --reference_train_dataset_path (auto: the run's own training pairs), or (None, None)."""
    from Utils.reference import reference_predictions

    path = args.reference_train_dataset_path
    if path == "none":
        return None, None
    if path == "auto":
        trained = ((loaded.run_args or {}).get("train_dataset_path") if loaded.run_dir is not None else None)
        path = trained if trained and Path(trained).is_file() else None
        if path is None:
            say("note: no reference grader: no training pairs known (give --reference_train_dataset_path)")
            return None, None
    try:
        return reference_predictions(read_items(path), items), path
    except (ValueError, FileNotFoundError) as e:
        say(f"note: no reference grader: {e}")
        return None, None


if __name__ == "__main__":
    sys.exit(main())
