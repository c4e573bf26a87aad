"""Suggest ratings for new submissions, for TAs to accept or overrule.

    python grade.py --adapter_path runs/model_20250101-120000 --parent_dir new_labs --output_dir results/grades

Reads lab folders (statement, rubrics.json, submissions; no TA ratings needed), scores every
option of every criterion for every student (one packed forward pass per student), and
writes per lab `<lab>_suggested_ratings.csv` in the rubric_ratings.csv layout, to import into
the grading system, and `<lab>_suggestions.json` with each option's probability and the items
whose top probability is below --review_threshold flagged for a TA. Students whose submission
cannot be read are listed, not dropped. The steps live in Utils/scoring.py and Utils/grading.py.
"""

from __future__ import annotations

import json
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path

from Utils.cli import ModelArguments, UsageError, fail, list_field, parse, quiet_libraries, read_system_prompt, split_names
from Utils.grading import lab_suggestions, output_path, safe_filename, write_lab_suggestions
from Utils.items import items_to_grade, select_lab_dirs
from Utils.labs import LabFormatError, read_lab
from Utils.models import load_for_scoring, resolve_max_length
from Utils.scoring import score_likelihood


@dataclass(kw_only=True)
class GradeArguments(ModelArguments):
    parent_dir: str = field(metadata={"help": "folder with one sub-folder per lab to grade"})
    lab_names: list[str] = list_field("only these labs (space- or comma-separated; repeated flags add up); "
                                      "default: every lab in --parent_dir")
    output_dir: str = field(default="results/grades", metadata={"help": "where the CSV and JSON files go"})
    verbose: int = field(default=0, metadata={"help": "0 reads modified_ps.txt, 1 ps.txt (else problemStatement.txt)"})
    system_prompt_path: str | None = field(default=None, metadata={
        "help": "system prompt file (default: system_prompt.txt of the repo; use the one the model was trained with)"})
    review_threshold: float = field(default=0.5, metadata={
        "help": "items whose most likely rating has a probability below this are flagged for a TA"})
    batch_size: int = field(default=4, metadata={"help": "students per forward pass"})


def check_args(args: GradeArguments) -> GradeArguments:
    args.lab_names = split_names(args.lab_names, "--lab_names")
    if not 0.0 <= args.review_threshold <= 1.0:
        raise UsageError(f"--review_threshold must be between 0 and 1, got {args.review_threshold}")
    return args


def main(argv: list[str] | None = None) -> int:
    quiet_libraries()
    try:
        (args,) = parse(GradeArguments, argv, __doc__.split("\n\n")[0])
        check_args(args)
        system_prompt, _ = read_system_prompt(args.system_prompt_path)
        lab_dirs = select_lab_dirs(args.parent_dir, args.lab_names)
        loaded = load_for_scoring(args.model, args.model_size, args.adapter_path, args.quantization, args.device)
    except (ValueError, FileNotFoundError) as e:
        return fail(str(e))
    max_length, max_length_source = resolve_max_length(loaded, args.max_length)
    model = {"name": loaded.spec.name, "hub_id": loaded.spec.hub_id,
             "adapter_path": str(loaded.weights_dir) if loaded.weights_dir else None,
             "max_length": max_length, "max_length_source": max_length_source}
    print(f"grading {len(lab_dirs)} labs with {loaded.spec.name}"
          + (f" + trained weights {loaded.weights_dir}" if loaded.weights_dir else "") + f"; max_length {max_length}")

    summary = {"arguments": asdict(args), "model": model, "labs": [], "labs_not_read": []}
    file_names: dict[str, str] = {}  # safe file name -> lab, so two labs never write the same file
    for lab_dir in lab_dirs:
        try:
            lab = read_lab(lab_dir, verbose=args.verbose, with_ratings=False)
            if safe_filename(lab_dir.name) in file_names:
                raise LabFormatError(f"{lab_dir}: its output file name {safe_filename(lab_dir.name)!r} is already "
                                     f"used by lab {file_names[safe_filename(lab_dir.name)]!r}; rename one folder")
        except LabFormatError as e:
            print(f"SKIPPED {lab_dir.name}: {e}", file=sys.stderr)
            summary["labs_not_read"].append({"lab": lab_dir.name, "error": str(e)})
            continue
        file_names[safe_filename(lab_dir.name)] = lab_dir.name
        items = items_to_grade(lab, system_prompt)
        run = score_likelihood(loaded.model, loaded.tokenizer, items, max_length,
                               loaded.supports_system, args.batch_size, args.max_group_tokens)
        csv_text, data = lab_suggestions(lab, run.scores, args.review_threshold, model)
        csv_path, json_path = write_lab_suggestions(args.output_dir, lab.name, csv_text, data)
        print(f"{lab.name}: {data['n_students']} students, {data['n_items']} items "
              f"({run.items_per_second:.1f} items/s), {data['n_needs_review']} flagged for review, "
              f"{len(data['not_graded'])} submissions not readable -> {csv_path.name}, {json_path.name}")
        for p in data["not_graded"]:
            print(f"  not graded: {p['student_id']}: {p['reason']}" + (f" ({p['detail']})" if p["detail"] else ""))
        summary["labs"].append({"lab": lab.name, "csv": csv_path.name, "json": json_path.name,
                                "students": data["n_students"], "items": data["n_items"],
                                "needs_review": data["n_needs_review"], "not_graded": len(data["not_graded"]),
                                "items_per_second": run.items_per_second})
    summary_path = output_path(Path(args.output_dir), "grade_summary", ".json")
    summary_path.parent.mkdir(parents=True, exist_ok=True)
    summary_path.write_text(json.dumps(summary, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {summary_path}")
    if summary["labs_not_read"]:
        print(f"error: {len(summary['labs_not_read'])} lab(s) could not be read; see above", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
