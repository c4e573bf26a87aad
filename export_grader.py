"""Export a trained grader as one standalone model folder (the LoRA adapter merged in).

    python export_grader.py --run runs/model_20250101-120000 --output_dir graders/cs101

The folder loads with plain transformers (no PEFT) and with `grade.py --model <folder>`, which
then uses the system prompt, max_length and calibration stored with it (layout: Utils/export.py).
Everything is checked before the model loads (the run's files, the output folder); the export
never replaces a folder it did not write (an earlier export, with --overwrite, is the only one),
nor the run, a folder holding it, or the base model's folder.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field

from Utils.cli import fail, parse, quiet_libraries
from Utils.export import export_grader


@dataclass
class ExportArguments:
    run: str = field(metadata={"help": "training run folder (<output_dir>/model_<timestamp>/) or its final_checkpoint/ "
                                       "(--adapter_path as in evaluate.py and grade.py)",
                               "aliases": ["--adapter_path"]})
    output_dir: str = field(metadata={"help": "the grader folder to write"})
    overwrite: bool = field(default=False, metadata={
        "help": "replace an earlier export in --output_dir (any other folder that is not empty is refused)"})


def main(argv: list[str] | None = None) -> int:
    quiet_libraries()
    try:
        (args,) = parse(ExportArguments, argv, __doc__.split("\n\n")[0])
        folder = export_grader(args.run, args.output_dir, args.overwrite, say=print)
    except (ValueError, FileNotFoundError, FileExistsError) as e:
        return fail(str(e))
    print(f"wrote the grader to {folder}/ (model, tokenizer, system prompt, calibration, grader.json); "
          f"use it with: bash grade.sh --model {folder} --parent_dir <labs>")
    return 0


if __name__ == "__main__":
    sys.exit(main())
