"""Suggest ratings for new submissions, for TAs to decide; only decisions become grades.

    python grade.py --adapter_path runs/model_20250101-120000 --parent_dir new_labs --output_dir results/grades

Reads lab folders (statement, rubrics.json, submissions; no TA ratings needed), scores every
option of every criterion for every student (one packed forward pass per student), and writes
per lab the suggestions (JSON, and an unreviewed CSV with no marks), a self-contained HTML review
page on which a TA decides every item, and the files a grading system imports, which hold only
what a calibrated threshold auto-accepted (layout: Utils/grading.py, Utils/gradebooks.py).
Without a calibration for the scoring setting every item goes to a TA.

Under `accelerate launch --num_processes N grade.py ...` the N processes share each lab's
students (Utils/scoring.py) and the main process alone writes the same files as one process
would, and prints.
"""

from __future__ import annotations

import math
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path

from Utils import calibration as calib, distributed, gradebooks
from Utils.console import Progress
from Utils.cli import (STATEMENTS, Checks, ModelArguments, UsageError, check_output_dir, check_statement, fail,
                       list_field, parse, quiet_libraries, read_system_prompt, split_names, statement_field,
                       verbose_field)
from Utils.files import FolderLock, check_outputs, safe_filename
from Utils.grading import (DEFAULT_TARGET_ACCURACY, SUMMARY_FILE, GradebookOptions, ReviewPolicy, choose_threshold,
                           files_of_earlier_run, lab_suggestions, measured_agreement, previous_run, read_evaluation_report, write_lab_outputs,
                           write_summary)
from Utils.items import items_to_grade, select_lab_dirs
from Utils.lab_records import LabFormatError
from Utils.labs import Lab, read_lab
from Utils.grader import LoadedModel, check_model_arguments, load_for_scoring, resolve_max_length
from Utils.models import resolve_device
from Utils.scoring import score_likelihood

METHODS = ("first_token", "likelihood")  # fastest first (bench/results/bench_grading--students-100--generate_items-16.md)


@dataclass(kw_only=True)
class GradeArguments(ModelArguments):
    parent_dir: str = field(metadata={"help": "folder with one sub-folder per lab to grade"})
    lab_names: list[str] = list_field("only these labs (space- or comma-separated; repeated flags add up); "
                                      "default: every lab in --parent_dir")
    output_dir: str = field(default="results/grades", metadata={"help": "where the files go"})
    overwrite: bool = field(default=False, metadata={
        "help": "replace the files of an earlier grading run in --output_dir (refused without it: a TA may have "
                "edited them)"})
    statement: str = statement_field()
    verbose: int | None = verbose_field()
    system_prompt_path: str | None = field(default=None, metadata={
        "help": "system prompt file (default: the one the run was trained with, else system_prompt.txt of the repo)"})
    target_accuracy: float = field(default=DEFAULT_TARGET_ACCURACY, metadata={
        "help": "auto-accept items at or above the confidence at which the run's calibration (evaluate.py on the "
                "run, same --method and --quantization) reached this accuracy on held-out items; without such a "
                "calibration every item goes to a TA"})
    review_threshold: float | None = field(default=None, metadata={
        "help": "instead of --target_accuracy: queue items whose confidence is below this (0-1; 1 queues every "
                "item); nothing is auto-accepted, a TA decides every item on the review page"})
    method: str = field(default="auto", metadata={
        "help": "auto: the method the run is calibrated for (so the calibration applies), else first_token for a "
                "trained grader and likelihood for a bare model; first_token: each option's letter, one position "
                "per criterion (fastest; what --loss_type choice trains); likelihood: each option's full answer",
        "choices": ["auto", *METHODS]})
    batch_size: int = field(default=4, metadata={"help": "students per forward pass"})
    gradebook: str = field(default="plain", metadata={
        "help": "layout of <lab>_<format>_gradebook_auto_accepted.csv: plain (id, total, marks per criterion, "
                "status), canvas (Canvas's gradebook import: Student, ID, SIS User ID, SIS Login ID, Section, one "
                "assignment column), moodle (Moodle's CSV grade import: identifier, one grade column)",
        "choices": list(gradebooks.FORMATS)})
    gradebook_id_header: str | None = field(default=None, metadata={
        "help": "the column that holds the student's submission folder name (e.g. s1@uni.edu). canvas: 'SIS Login "
                "ID' (default) or 'SIS User ID' (Canvas matches by its own ID, then SIS User ID, then SIS Login ID, "
                "then name); moodle: any header, default 'Email address' (map it to email, username or ID number "
                "when importing); plain: default 'Student ID'. With --roster: the roster's column to match"})
    gradebook_assignment: str | None = field(default=None, metadata={
        "help": "canvas/moodle: the name of the one grade column (default: the lab's name). Canvas matches an "
                "existing assignment by 'Title (canvas id)' or exact title, else creates one"})
    gradebook_points_possible: bool = field(default=False, metadata={
        "help": "canvas: add a 'Points Possible' row with the rubric's highest total"})
    roster: str | None = field(default=None, metadata={
        "help": "CSV of the course's students (e.g. the LMS's gradebook export) with a --gradebook_id_header "
                "column: students it does not know are listed and left out of canvas/moodle files"})
    evaluation_report: str | None = field(default=None, metadata={
        "help": "evaluate.py's report.json of this run: the page and suggestions state its measured agreement on "
                "held-out labs (default: the agreement the latest evaluate.py run saved in the run folder, "
                "evaluation.json; without one, say it was never measured)"})


def check_args(args: GradeArguments) -> GradeArguments:
    """Every flag, before any model loads: all problems at once (UsageError naming each flag)."""
    args.lab_names = split_names(args.lab_names, "--lab_names")
    checks = Checks()
    checks.probability("--review_threshold", args.review_threshold)
    checks.number("--target_accuracy", args.target_accuracy, above=0, maximum=1)
    checks.positive("--batch_size", args.batch_size)
    checks.positive("--max_length", args.max_length)
    checks.positive("--max_group_tokens", args.max_group_tokens)
    check_statement(checks, args)
    header = checks.run(gradebooks.check_gradebook_flags, args.gradebook, args.gradebook_id_header,
                        args.gradebook_assignment)
    if header is not None:
        args.gradebook_id_header = header
    if args.gradebook_points_possible and args.gradebook != "canvas":
        checks.add("--gradebook_points_possible is for --gradebook canvas (Moodle takes the maximum from the grade "
                   "item)")
    checks.run(check_output_dir, args.output_dir, "--output_dir")
    check_model_arguments(args, checks)
    checks.raise_if_any()
    return args


def choose_method(method: str, calibrations: list[dict], precision: str, trained: bool = True) -> str:
    """--method auto: the method the run is calibrated for in this precision (the fastest when it is
    calibrated for both), so the calibration applies; else first_token for a trained grader and likelihood
    for a bare model (the measurements behind this choice: bench/results/README.md)."""
    if method != "auto":
        return method
    for m in METHODS:
        if calib.for_setting(calibrations, m, precision)[0] is not None:
            return m
    return METHODS[0] if trained else "likelihood"


def plural(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


@dataclass
class Inputs:
    """What grading reads before it scores: the checked flags, the lab folders, the earlier run's files,
    the roster and evaluation report (--evaluation_report, else the agreement evaluate.py saved in the run
    folder), and the loaded model."""
    args: GradeArguments
    system_prompt: str
    lab_dirs: list[Path]
    output_dir: Path
    earlier_files: set
    roster: gradebooks.Roster | None
    report: dict | None
    loaded: LoadedModel
    lock: FolderLock | None = None  # held by the main process while it writes into output_dir


@dataclass
class Setting:
    """How the labs are scored and queued: the prompt, max_length, method, calibration, review policy, and
    the model's description that every output carries."""
    system_prompt: str
    max_length: int
    method: str
    calibration: calib.Calibration | None
    policy: ReviewPolicy
    model: dict


def main(argv: list[str] | None = None) -> int:
    quiet_libraries()
    processes = distributed.launched()
    say = distributed.main_console(processes)
    try:
        inputs = read_inputs(argv, processes)
    except (ValueError, FileNotFoundError) as e:
        return fail(str(e)) if processes.is_main else 2
    try:
        return grade_labs(inputs, processes, say)
    finally:
        if inputs.lock:
            inputs.lock.release()


def grade_labs(inputs: Inputs, processes, say) -> int:
    """Score and write every lab (the main process writes), then the summary; returns the exit code."""
    setting = scoring_setting(inputs, say)
    announce(inputs, setting, processes, say)
    args = inputs.args
    summary = {"arguments": asdict(args), "model": setting.model, "review_threshold": setting.policy.threshold,
               "review_threshold_source": setting.policy.source, "review_policy": setting.policy.to_dict(),
               "labs": [], "labs_not_read": []}
    options = GradebookOptions(args.gradebook, args.gradebook_id_header, args.gradebook_assignment,
                               args.gradebook_points_possible, inputs.roster)
    file_names: dict[str, str] = {}  # safe file name (case-folded) -> lab, so two labs never write the same file
    for lab_dir in inputs.lab_dirs:
        try:
            lab = read_lab_once(lab_dir, args.statement, file_names)
        except LabFormatError as e:
            skip_lab(lab_dir, e, summary, inputs.output_dir, processes.is_main, say)
            continue
        entry = grade_lab(lab, inputs, setting, options, processes.is_main)
        if entry is not None:  # the main process: it wrote the lab's files
            summary["labs"].append(entry)
            write_summary(summary, inputs.output_dir / SUMMARY_FILE)  # it always describes the files that exist
    return finish(summary, inputs.output_dir, processes.is_main)


def read_inputs(argv: list[str] | None, processes) -> Inputs:
    """The checked flags and everything read before scoring, the model loaded last (ValueError or
    FileNotFoundError, UsageError among them, for what is wrong)."""
    (args,) = parse(GradeArguments, argv, __doc__.split("\n\n")[0])
    check_args(args)
    system_prompt, prompt_path = read_system_prompt(args.system_prompt_path)
    lab_dirs = select_lab_dirs(args.parent_dir, args.lab_names)
    output_dir = Path(args.output_dir)
    check_outputs({"--output_dir": output_dir}, inputs={"--system_prompt_path": prompt_path},
                  input_dirs={"--parent_dir": args.parent_dir, "--adapter_path": args.adapter_path})
    lock = FolderLock(output_dir, "grade.py").acquire() if processes.is_main else None
    try:
        earlier = previous_run(output_dir, [d.name for d in lab_dirs])
        earlier_files = files_of_earlier_run(output_dir) if earlier else set()
        if earlier and not args.overwrite:
            raise UsageError(f"{output_dir} already holds a grading run ({', '.join(p.name for p in earlier[:4])}"
                             f"{' ...' if len(earlier) > 4 else ''}); a TA may have edited those files. Choose "
                             "another --output_dir, or pass --overwrite to replace them")
        roster = gradebooks.read_roster(args.roster, args.gradebook_id_header) if args.roster else None
        report = read_evaluation_report(args.evaluation_report) if args.evaluation_report else None
        device = distributed.join_for_scoring(resolve_device(args.device), processes)
        # grading scores only the fine-tuned model: its adapter is merged (faster, same scores)
        loaded = load_for_scoring(args.model, args.model_size, args.adapter_path, args.quantization, device,
                                  merge_adapter=True)
    except BaseException:
        if lock:
            lock.release()
        raise
    return Inputs(args, system_prompt, lab_dirs, output_dir, earlier_files, roster, report, loaded, lock)


def scoring_setting(inputs: Inputs, say) -> Setting:
    """The prompt (the run's own unless --system_prompt_path), max_length, method, the saved calibration
    for that setting (a note when there is none) and the review policy, with the model's description."""
    args, loaded = inputs.args, inputs.loaded
    system_prompt = inputs.system_prompt
    if loaded.system_prompt is not None and args.system_prompt_path is None:
        system_prompt = loaded.system_prompt  # the prompt the run (or exported grader) was trained with
    max_length, max_length_source = resolve_max_length(loaded, args.max_length)
    # trained: a run's weights, or an exported grader folder (it carries its system prompt)
    method = choose_method(args.method, loaded.calibrations, loaded.precision,
                           trained=loaded.fine_tuned or loaded.system_prompt is not None)
    saved, why_not = calib.for_setting(loaded.calibrations, method, loaded.precision)
    calibration = calib.Calibration.from_dict(saved)
    if why_not:
        say(f"note: {why_not}")
    policy = choose_threshold(args.review_threshold, args.target_accuracy, saved)
    # the report passed, else what the latest evaluate.py run saved in the run folder, else "never measured"
    agreement = ((loaded.evaluation if inputs.report is None else None)
                 or measured_agreement(inputs.report, loaded.weights_dir))
    model = {"name": loaded.spec.name, "hub_id": loaded.spec.hub_id,
             "adapter_path": str(loaded.weights_dir) if loaded.weights_dir else None,
             "max_length": max_length, "max_length_source": max_length_source, "method": method,
             "quantization": loaded.precision, "calibrated": calibration is not None,
             "temperature": calibration.temperature if calibration else None,
             "calibration": {**calibration.to_dict(), "auto_accept": saved.get("auto_accept", [])} if calibration else None,
             "calibration_note": why_not, "review_policy": policy.to_dict(), "agreement": agreement}
    return Setting(system_prompt, max_length, method, calibration, policy, model)


def announce(inputs: Inputs, setting: Setting, processes, say) -> None:
    """Says what is about to be graded and how, and whether the model's agreement was ever measured."""
    loaded, policy = inputs.loaded, setting.policy
    say(f"grading {plural(len(inputs.lab_dirs), 'lab')} with {loaded.spec.name}"
        + (f" + trained weights {loaded.weights_dir}" if loaded.weights_dir else "")
        + f"; --method {setting.method}; max_length {setting.max_length}; review threshold {policy.threshold:.3g} "
        f"({policy.source})"
        + (f"; {processes.count} processes share each lab's students" if processes.count > 1 else ""))
    agreement = setting.model["agreement"]
    if not agreement["measured"]:
        say(f"note: {agreement['note']}")


def read_lab_once(lab_dir: Path, statement: str, file_names: dict[str, str]) -> Lab:
    """The lab (without TA ratings), its output file name recorded in file_names; LabFormatError when it
    cannot be read or another lab already writes files of that name."""
    key = safe_filename(lab_dir.name).casefold()
    lab = read_lab(lab_dir, verbose=STATEMENTS[statement], with_ratings=False)
    if key in file_names:
        raise LabFormatError(f"{lab_dir}: its output file name {safe_filename(lab_dir.name)!r} is already "
                             f"used by lab {file_names[key]!r}; rename one folder")
    file_names[key] = lab_dir.name
    return lab


def skip_lab(lab_dir: Path, error: LabFormatError, summary: dict, output_dir: Path, main_process: bool, say) -> None:
    """Says the lab was skipped and why, and records it in the summary (written at once by the main process)."""
    say(f"SKIPPED {lab_dir.name}: {error}", file=sys.stderr)
    summary["labs_not_read"].append({"lab": lab_dir.name, "error": str(error)})
    if main_process:
        output_dir.mkdir(parents=True, exist_ok=True)
        write_summary(summary, output_dir / SUMMARY_FILE)


def grade_lab(lab: Lab, inputs: Inputs, setting: Setting, options: GradebookOptions, main_process: bool) -> dict | None:
    """Scores the lab's items; on the main process writes its files, prints what they hold and returns the
    summary's entry for it (None on the other processes: every process holds the scores, the main one writes)."""
    loaded = inputs.loaded
    run = score_likelihood(loaded.model, loaded.tokenizer, items_to_grade(lab, setting.system_prompt),
                           setting.max_length, loaded.supports_system, inputs.args.batch_size,
                           inputs.args.max_group_tokens, progress=Progress(lab.name) if main_process else None,
                           first_token=setting.method == "first_token")
    if not main_process:
        return None
    if setting.calibration:
        calib.calibrate(run.scores, setting.calibration)
    data = lab_suggestions(lab, run.scores, setting.policy, setting.model)
    inputs.output_dir.mkdir(parents=True, exist_ok=True)
    paths, book, removed = write_lab_outputs(inputs.output_dir, lab, data, options, inputs.earlier_files)
    print(f"{lab.name}: {plural(data['n_students'], 'student')}, {plural(data['n_items'], 'item')} "
          f"({run.items_per_second:.1f} items/s); {data['n_needs_review']} queued for a TA, "
          f"{data['n_auto_accepted']} auto-accepted, {plural(data['n_flagged_students'], 'submission')} flagged, "
          f"{len(data['not_graded'])} not readable; {paths['gradebook'].name}: "
          f"{plural(book.with_total, 'student')} with a total")
    for p in data["not_graded"]:
        print(f"  not graded: {p['student_id']}: {p['reason']}" + (f" ({p['detail']})" if p["detail"] else ""))
    if book.unknown_to_roster:
        print(f"  not in the roster {inputs.roster.path.name} (left out of the {inputs.args.gradebook} gradebook): "
              + ", ".join(book.unknown_to_roster))
    for p in removed:
        print(f"  removed {p.name} of the earlier run (--overwrite)")
    ips = run.items_per_second
    return {"lab": lab.name, **{k: p.name for k, p in paths.items()},
            "students": data["n_students"], "items": data["n_items"],
            "needs_review": data["n_needs_review"], "auto_accepted": data["n_auto_accepted"],
            "flagged_students": data["n_flagged_students"], "not_graded": len(data["not_graded"]),
            "gradebook_students_with_total": book.with_total,
            "unknown_to_roster": book.unknown_to_roster if inputs.roster else None,
            "items_per_second": ips if math.isfinite(ips) else None}


def finish(summary: dict, output_dir: Path, main_process: bool) -> int:
    """The exit status (1 when a lab could not be read); the main process writes the summary and says
    what was written."""
    if not main_process:
        return 1 if summary["labs_not_read"] else 0
    summary_path = output_dir / SUMMARY_FILE
    output_dir.mkdir(parents=True, exist_ok=True)
    write_summary(summary, summary_path)
    print(f"wrote {plural(len(summary['labs']), 'lab')} to {output_dir}/ (per lab: *_review.html for a TA to decide "
          f"every item; *_suggestions.json and *_suggestions_unreviewed.csv: suggestions, not grades; "
          f"*_auto_accepted_ratings.csv and *_gradebook_auto_accepted.csv: only auto-accepted items) and "
          f"{summary_path.name}")
    if summary["labs_not_read"]:
        print(f"error: {plural(len(summary['labs_not_read']), 'lab')} could not be read; see above", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
