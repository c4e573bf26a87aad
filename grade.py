"""Suggest ratings for new submissions, for TAs to accept or overrule.

    python grade.py --adapter_path runs/model_20250101-120000 --parent_dir new_labs --output_dir results/grades

Reads lab folders (statement, rubrics.json, submissions; no TA ratings needed), scores every
option of every criterion for every student (one packed forward pass per student), and writes
per lab the suggested ratings in the rubric_ratings.csv layout, a JSON with every option's
probability and the review queue, a self-contained HTML review page, and a gradebook CSV
(layout: Utils/grading.py). Items whose confidence is below the review threshold, and every item
of a submission with text that addresses the grader, are queued for a TA.

Under `accelerate launch --num_processes N grade.py ...` the N processes share each lab's
students (Utils/scoring.py) and the main process alone writes the same files as one process
would, and prints.
"""

from __future__ import annotations

import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path

from Utils import calibration as calib, distributed
from Utils.console import Progress
from Utils.cli import ModelArguments, UsageError, fail, list_field, parse, quiet_libraries, read_system_prompt, split_names
from Utils.files import check_outputs, write_json_atomic
from Utils.grading import (DEFAULT_TARGET_ACCURACY, SUMMARY_FILE, choose_threshold, lab_suggestions, previous_run,
                           safe_filename, write_lab_outputs)
from Utils.items import items_to_grade, select_lab_dirs
from Utils.labs import LabFormatError, read_lab
from Utils.models import load_for_scoring, resolve_device, resolve_max_length
from Utils.review_page import GRADEBOOK_ID_HEADER
from Utils.scoring import score_likelihood


@dataclass(kw_only=True)
class GradeArguments(ModelArguments):
    parent_dir: str = field(metadata={"help": "folder with one sub-folder per lab to grade"})
    lab_names: list[str] = list_field("only these labs (space- or comma-separated; repeated flags add up); "
                                      "default: every lab in --parent_dir")
    output_dir: str = field(default="results/grades", metadata={"help": "where the files go"})
    overwrite: bool = field(default=False, metadata={
        "help": "replace the files of an earlier grading run in --output_dir (refused without it: a TA may have "
                "edited them)"})
    verbose: int = field(default=0, metadata={"help": "0 reads modified_ps.txt, 1 ps.txt (else problemStatement.txt)"})
    system_prompt_path: str | None = field(default=None, metadata={
        "help": "system prompt file (default: system_prompt.txt of the repo; use the one the model was trained with)"})
    target_accuracy: float = field(default=DEFAULT_TARGET_ACCURACY, metadata={
        "help": "queue for a TA every item below the confidence at which the run's held-out evaluation reached "
                "this accuracy (needs evaluate.py run on the training run first)"})
    review_threshold: float | None = field(default=None, metadata={
        "help": "instead of --target_accuracy: queue items whose confidence (calibrated probability of the "
                "suggestion) is below this; 1 queues every item"})
    gradebook_id_header: str = field(default=GRADEBOOK_ID_HEADER, metadata={
        "help": "first column of the gradebook CSV (Canvas matches 'SIS Login ID' or 'ID')"})
    method: str = field(default="likelihood", metadata={
        "help": "likelihood: each option's full answer; first_token: each option's letter, one position per "
                "criterion (faster)", "choices": ["likelihood", "first_token"]})
    batch_size: int = field(default=4, metadata={"help": "students per forward pass"})


def check_args(args: GradeArguments) -> GradeArguments:
    args.lab_names = split_names(args.lab_names, "--lab_names")
    if args.review_threshold is not None and not 0.0 <= args.review_threshold <= 1.0:
        raise UsageError(f"--review_threshold must be between 0 and 1, got {args.review_threshold}")
    if not 0.0 < args.target_accuracy <= 1.0:
        raise UsageError(f"--target_accuracy must be in (0, 1], got {args.target_accuracy}")
    return args


def main(argv: list[str] | None = None) -> int:
    quiet_libraries()
    processes = distributed.launched()
    main_process = processes.is_main
    say = distributed.main_console(processes)
    try:
        (args,) = parse(GradeArguments, argv, __doc__.split("\n\n")[0])
        check_args(args)
        system_prompt, prompt_path = read_system_prompt(args.system_prompt_path)
        lab_dirs = select_lab_dirs(args.parent_dir, args.lab_names)
        output_dir = Path(args.output_dir)
        check_outputs({"--output_dir": output_dir}, inputs={"--system_prompt_path": prompt_path},
                      input_dirs={"--parent_dir": args.parent_dir, "--adapter_path": args.adapter_path})
        earlier = previous_run(output_dir, [d.name for d in lab_dirs])
        if earlier and not args.overwrite:
            raise UsageError(f"{output_dir} already holds a grading run ({', '.join(p.name for p in earlier[:4])}"
                             f"{' ...' if len(earlier) > 4 else ''}); a TA may have edited those files. Choose "
                             "another --output_dir, or pass --overwrite to replace them")
        device = distributed.join_for_scoring(resolve_device(args.device), processes)
        loaded = load_for_scoring(args.model, args.model_size, args.adapter_path, args.quantization, device)
    except (ValueError, FileNotFoundError) as e:
        return fail(str(e)) if main_process else 2
    if loaded.system_prompt is not None and args.system_prompt_path is None:
        system_prompt = loaded.system_prompt  # an exported grader folder carries the prompt it was trained with
    max_length, max_length_source = resolve_max_length(loaded, args.max_length)
    saved, why_not = calib.for_setting(loaded.calibrations, args.method, loaded.precision)
    calibration = calib.Calibration.from_dict(saved)
    if why_not:
        say(f"note: {why_not}")
    threshold, threshold_source = choose_threshold(args.review_threshold, args.target_accuracy, saved)
    model = {"name": loaded.spec.name, "hub_id": loaded.spec.hub_id,
             "adapter_path": str(loaded.weights_dir) if loaded.weights_dir else None,
             "max_length": max_length, "max_length_source": max_length_source, "method": args.method,
             "quantization": loaded.precision, "temperature": calibration.temperature if calibration else None,
             "calibration_note": why_not}
    say(f"grading {len(lab_dirs)} labs with {loaded.spec.name}"
        + (f" + trained weights {loaded.weights_dir}" if loaded.weights_dir else "")
        + f"; max_length {max_length}; review threshold {threshold:.3g} ({threshold_source})"
        + (f"; {processes.count} processes share each lab's students" if processes.count > 1 else ""))

    summary = {"arguments": asdict(args), "model": model, "review_threshold": threshold,
               "review_threshold_source": threshold_source, "labs": [], "labs_not_read": []}
    summary_path = output_dir / SUMMARY_FILE
    file_names: dict[str, str] = {}  # safe file name -> lab, so two labs never write the same file
    for lab_dir in lab_dirs:
        try:
            lab = read_lab(lab_dir, verbose=args.verbose, with_ratings=False)
            if safe_filename(lab_dir.name) in file_names:
                raise LabFormatError(f"{lab_dir}: its output file name {safe_filename(lab_dir.name)!r} is already "
                                     f"used by lab {file_names[safe_filename(lab_dir.name)]!r}; rename one folder")
        except LabFormatError as e:
            say(f"SKIPPED {lab_dir.name}: {e}", file=sys.stderr)
            summary["labs_not_read"].append({"lab": lab_dir.name, "error": str(e)})
            if main_process:
                write_json_atomic(summary, summary_path)
            continue
        file_names[safe_filename(lab_dir.name)] = lab_dir.name
        run = score_likelihood(loaded.model, loaded.tokenizer, items_to_grade(lab, system_prompt), max_length,
                               loaded.supports_system, args.batch_size, args.max_group_tokens,
                               progress=Progress(lab.name) if main_process else None,
                               first_token=args.method == "first_token")
        if not main_process:  # every process holds the lab's scores; the main one writes them
            continue
        if calibration:
            calib.calibrate(run.scores, calibration)
        csv_text, data = lab_suggestions(lab, run.scores, threshold, model)
        paths = write_lab_outputs(output_dir, lab, csv_text, data, args.gradebook_id_header)
        print(f"{lab.name}: {data['n_students']} students, {data['n_items']} items "
              f"({run.items_per_second:.1f} items/s); {data['n_needs_review']} queued for a TA, "
              f"{data['n_flagged_students']} submissions flagged, {len(data['not_graded'])} not readable")
        for p in data["not_graded"]:
            print(f"  not graded: {p['student_id']}: {p['reason']}" + (f" ({p['detail']})" if p["detail"] else ""))
        summary["labs"].append({"lab": lab.name, **{k: p.name for k, p in paths.items()},
                                "students": data["n_students"], "items": data["n_items"],
                                "needs_review": data["n_needs_review"], "flagged_students": data["n_flagged_students"],
                                "not_graded": len(data["not_graded"]), "items_per_second": run.items_per_second})
        write_json_atomic(summary, summary_path)  # after every lab: it always describes the files that exist
    if not main_process:
        return 1 if summary["labs_not_read"] else 0
    write_json_atomic(summary, summary_path)
    print(f"wrote {len(summary['labs'])} labs to {output_dir}/ (per lab: *_review.html to review, "
          f"*_suggested_ratings.csv to import, *_gradebook.csv, *_suggestions.json) and {summary_path.name}")
    if summary["labs_not_read"]:
        print(f"error: {len(summary['labs_not_read'])} lab(s) could not be read; see above", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
