"""What every script's command line shares: one argument style, one way to check, one way to fail.

Arguments. Each script declares its options as dataclasses and parses them with `parse` (transformers'
`HfArgumentParser`, as TRL's scripts do): every option is a `--flag`, its default and help are
stated once, in the dataclass. Boolean flags take `--flag`, `--flag 1/0` or `--flag true/false`
(so the older tooling's `--dpo_reasoning 1` keeps working). List flags (`list_field`) accumulate
when given twice (`--lab_names a --lab_names b` means both) and take comma-separated names, split
by `parse`, so a shell wrapper's own list is never lost to a flag given after it.

Validation: a module-level `check_args(args)` in each script (dpo_train's is
`Utils.train_args.check_training_arguments`), run right after parsing and before anything loads,
collects every problem with `Checks` and raises one `UsageError` listing them all. The argument
dataclasses hold declarations only (no `__post_init__` checks), so one problem never hides the next.

Errors: a script's `main(argv) -> int` returns its exit code; what a user can fix (UsageError,
and the ValueError/FileNotFoundError of the readers, whose messages name the file and field) is
caught there and ends as `return fail(message)`: `error: <message>` on stderr and exit code 2,
never a traceback. `if __name__ == "__main__": sys.exit(main())`. dpo_train.py follows it too; its
`train(argv)` is the run itself for in-process callers (tests, bench): it returns the trainer and raises
UsageError, which its `main` turns into that line and exit code 2.
"""

from __future__ import annotations

import math
import os
import sys
from dataclasses import dataclass, field, fields
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SYSTEM_PROMPT = REPO_ROOT / "system_prompt.txt"
DEFAULT_REASONING_SYSTEM_PROMPT = REPO_ROOT / "system_prompt_reasoning.txt"
MAX_SETTINGS_BYTES = 1 << 20  # a system prompt, config or preset file: far more than any holds
PRESETS_DIR = REPO_ROOT / "configs" / "models"  # one model preset per file (Utils.models.registry)
USAGE_ERROR = 2


class UsageError(ValueError):
    """Bad input a user can fix: the message says what and where."""


def list_field(help: str, **metadata):
    """A list option that accumulates over repeats and takes space- or comma-separated values
    (`parse` splits them with `split_names`)."""
    return field(default_factory=list, metadata={"help": help, "action": "extend", **metadata})


def split_names(values: list[str], flag: str) -> list[str]:
    """Names given as separate arguments, comma-separated, or both: ["a,b", "c"] -> [a, b, c].

    An empty name ("", "a,,b", " ") is an error: it would silently select nothing."""
    names = []
    for value in values:
        for name in value.split(","):
            if not name.strip():
                raise UsageError(f"{flag}: empty name in {value!r}")
            names.append(name.strip())
    return list(dict.fromkeys(names))


# --statement: which statement file a lab's prompts quote; the value's number is the group of
# Utils.lab_records.STATEMENT_FILES that `read_lab(verbose=...)` asks for (a lab without it falls back
# to the other group, with a notice). --verbose 0/1 is its older name.
STATEMENTS = {"modified_ps": 0, "ps": 1}
STATEMENT_HELP = ("modified_ps: modified_ps.txt; ps: ps.txt, else problemStatement.txt (a lab without the "
                  "asked-for file falls back to the one it has, with a notice)")
VERBOSE_HELP = "older name for --statement: 0 is modified_ps, 1 is ps"


def statement_field(help_prefix: str = ""):
    """The --statement flag of a script's arguments dataclass (see `check_statement`)."""
    return field(default="modified_ps", metadata={"help": help_prefix + STATEMENT_HELP, "choices": list(STATEMENTS)})


def verbose_field():
    """--verbose, the older name for --statement (see `check_statement`)."""
    return field(default=None, metadata={"help": VERBOSE_HELP})


def add_statement_flags(parser) -> None:
    """--statement and --verbose on a plain argparse parser, as `statement_field`/`verbose_field`."""
    parser.add_argument("--statement", default="modified_ps", choices=list(STATEMENTS), help=STATEMENT_HELP)
    parser.add_argument("--verbose", type=int, default=None, help=VERBOSE_HELP)


def check_statement(checks: "Checks", args) -> None:
    """Map --verbose (0/1, when given) onto args.statement; a problem for any other value or one that
    contradicts --statement. `STATEMENTS[args.statement]` is then what `read_lab(verbose=...)` takes."""
    if args.verbose is None:
        return
    older = {number: name for name, number in STATEMENTS.items()}
    if args.verbose not in older:
        checks.add(f"--verbose (older name for --statement) must be 0 (modified_ps) or 1 (ps), got {args.verbose}")
    elif args.statement != "modified_ps" and args.statement != older[args.verbose]:
        checks.add(f"--verbose {args.verbose} (older name for --statement {older[args.verbose]}) contradicts "
                   f"--statement {args.statement}; give one")
    else:
        args.statement = older[args.verbose]


def read_system_prompt(path: str | Path | None, reasoning: bool = False) -> tuple[str, Path]:
    """The system prompt and its file: `path`, else the repo's default (the reasoning one with
    `reasoning`). Raises FileNotFoundError naming the flag."""
    prompt_path = Path(path) if path else (DEFAULT_REASONING_SYSTEM_PROMPT if reasoning else DEFAULT_SYSTEM_PROMPT)
    from Utils.safe_read import read_named_file

    data = read_named_file(prompt_path, MAX_SETTINGS_BYTES, f"--system_prompt_path: {prompt_path}", FileNotFoundError)
    try:
        return data.decode("utf-8").strip(), prompt_path
    except UnicodeDecodeError:
        raise FileNotFoundError(f"--system_prompt_path: {prompt_path}: not UTF-8 text") from None


def parse(dataclass_types, argv: list[str] | None, description: str = ""):
    """Parse `argv` into the dataclasses (argparse exits with code 2 and a usage line on a bad flag);
    list flags split into names (UsageError for an empty name)."""
    from transformers import HfArgumentParser

    parser = HfArgumentParser(dataclass_types, description=description)
    parsed = parser.parse_args_into_dataclasses(args=argv)
    for args in parsed:
        for f in fields(args):
            if f.metadata.get("action") == "extend":  # a list_field
                setattr(args, f.name, split_names(getattr(args, f.name), f"--{f.name}"))
    return parsed


def fail(message: str) -> int:
    """Print `error: message` and return the usage-error exit code."""
    print(f"error: {message}", file=sys.stderr)
    return USAGE_ERROR


def safe_console() -> None:
    """A console that cannot encode a character (LANG=C, a cp1252 Windows console) shows it escaped
    instead of ending the run with UnicodeEncodeError at its last print."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.reconfigure(errors="backslashreplace")
        except (AttributeError, ValueError, OSError):  # a replaced stream (pytest's capture) or closed
            pass


# Loggers whose warnings no user can act on. bitsandbytes' CPU backend logs "Failed to load CPU
# gemm_4bit_forward from kernels-community ... pip install kernels" when it is imported on a CPU with
# AVX512-BF16 (bitsandbytes/backends/cpu/ops.py) and falls back to its own kernel. It is imported
# with transformers' Trainer, often before a script's main() runs, so Utils/__init__.py calls
# quiet_dependency_logs() when the package is first imported.
QUIET_LOGGERS = ("bitsandbytes.backends.cpu.ops",)


def quiet_dependency_logs() -> None:
    import logging

    for name in QUIET_LOGGERS:
        logging.getLogger(name).setLevel(logging.ERROR)


def quiet_libraries() -> None:
    """Silence dependency noise a user cannot act on (deprecation notices, "kernels" hints);
    warnings and errors about the user's own settings still show. Also makes the console safe for
    any character (`safe_console`)."""
    import warnings

    safe_console()

    os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    warnings.filterwarnings("ignore", category=FutureWarning)
    warnings.filterwarnings("ignore", category=DeprecationWarning)
    warnings.filterwarnings("ignore", message=".*kernels.*")
    quiet_dependency_logs()
    try:
        from transformers.utils import logging as hf_logging

        hf_logging.set_verbosity_error()
        hf_logging.disable_progress_bar()  # "Loading weights", "Writing model shards": ours say what happens
    except ImportError:  # the builder runs without transformers
        pass
    os.environ.setdefault("HF_DATASETS_DISABLE_PROGRESS_BARS", "1")


def preset_names() -> list[str]:
    """The registry's model names: one preset per file in configs/models/ (named as its file)."""
    return sorted(p.stem for p in PRESETS_DIR.glob("*.yaml"))


@dataclass(kw_only=True)
class ModelArguments:
    """The model flags evaluate.py and grade.py share."""

    model: str | None = field(default=None, metadata={
        "help": f"registry name ({', '.join(preset_names())}), local folder or hub "
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
        "help": "auto (4bit on CUDA, none on CPU), 4bit, 8bit, none, int8 or bf16 (CPU only: int8 or bfloat16 "
                "matrix products, faster scoring; a suggestion can differ from float32's where options are close: "
                "bench/results/README.md)", "choices": ["auto", "4bit", "8bit", "none", "int8", "bf16"]})
    device: str = field(default="auto", metadata={"help": "auto, cpu, cuda, cuda:1 ..."})


# ---------------------------------------------------------------------------------------------
# Checks before work: every script validates its flags, input files and output paths with these
# before a model loads, collects every problem, and reports them at once (UsageError, exit 2).


class Checks:
    """Collects problems with flags and files; `raise_if_any` reports them all in one UsageError.

        checks = Checks()
        checks.positive("--batch_size", args.batch_size)
        checks.finite("--beta", args.beta)
        checks.raise_if_any()
    """

    def __init__(self):
        self.problems: list[str] = []

    def add(self, problem: str) -> None:
        self.problems.append(problem)

    def number(self, flag: str, value, *, minimum=None, maximum=None, above=None, below=None,
               integer: bool = False, optional: bool = True) -> bool:
        """`value` must be a finite number (an integer with `integer`) within the bounds
        (`minimum`/`maximum` inclusive, `above`/`below` exclusive); None passes when `optional`."""
        if value is None:
            if not optional:
                self.add(f"{flag} must be given")
            return optional
        bad = isinstance(value, bool) or not isinstance(value, (int, float))
        if not bad and not (isinstance(value, int) or math.isfinite(value)):
            self.add(f"{flag} must be a finite number, got {value}")
            return False
        if bad or (integer and not float(value).is_integer()):
            self.add(f"{flag} must be {'an integer' if integer else 'a number'}, got {shorten(repr(value))}")
            return False
        for bound, ok, words in ((minimum, lambda b: value >= b, "at least"), (maximum, lambda b: value <= b, "at most"),
                                 (above, lambda b: value > b, "more than"), (below, lambda b: value < b, "less than")):
            if bound is not None and not ok(bound):
                self.add(f"{flag} must be {words} {bound}, got {value}")
                return False
        return True

    def positive(self, flag: str, value, integer: bool = True, optional: bool = True) -> bool:
        """A count (integer >= 1) or, with integer=False, a finite number > 0."""
        if integer:
            return self.number(flag, value, minimum=1, integer=True, optional=optional)
        return self.number(flag, value, above=0, optional=optional)

    def finite(self, flag: str, value, optional: bool = True) -> bool:
        return self.number(flag, value, optional=optional)

    def probability(self, flag: str, value, optional: bool = True) -> bool:
        """A finite number in [0, 1]."""
        return self.number(flag, value, minimum=0, maximum=1, optional=optional)

    def run(self, check, *args, **kwargs):
        """Call a check that raises ValueError/FileNotFoundError; its message becomes one problem."""
        try:
            return check(*args, **kwargs)
        except (ValueError, FileNotFoundError, OSError) as e:
            self.add(str(e))
            return None

    def raise_if_any(self, heading: str = "") -> None:
        if len(self.problems) == 1 and not heading:
            raise UsageError(self.problems[0])
        if self.problems:
            raise UsageError((heading or f"{len(self.problems)} problems") + ":\n  " + "\n  ".join(self.problems))


def shorten(text: str, limit: int = 120) -> str:
    """`text` cut to `limit` characters with a note of how much was left out: an echo of user
    input in a message stays short however large the input (a 4 MB rubric prints a line, not 4 MB)."""
    text = str(text)
    if len(text) <= limit:
        return text
    return f"{text[:limit]}... ({len(text) - limit} more characters)"


def check_output_dir(path: str | Path | None, flag: str) -> None:
    """A folder to write into: raises UsageError when a file (or anything but a folder) stands at
    `path` or at one of its parents, or when the folder (or the nearest existing parent that would
    hold it) cannot be written."""
    if path is None:
        return
    path = Path(path)
    _check_writable_parent(path, flag)


def check_output_file(path: str | Path | None, flag: str) -> None:
    """A file to write: raises UsageError when a folder stands at `path`, a file at one of its
    parents, or the folder that would hold it cannot be written."""
    if path is None:
        return
    path = Path(path)
    if path.is_dir():
        raise UsageError(f"{flag} {path}: is a folder; give a file path")
    if path.exists() and not os.access(path, os.W_OK):
        raise UsageError(f"{flag} {path}: the file cannot be written (permissions)")
    _check_writable_parent(path.parent, flag, shown=path)


def _check_writable_parent(path: Path, flag: str, shown: Path | None = None) -> None:
    """The nearest existing one of `path` and its parents must be a folder that can be written."""
    shown = shown or path
    probe = path
    while not (probe.exists() or probe.is_symlink()) and probe.parent != probe:
        probe = probe.parent
    if not probe.exists():
        return
    if not probe.is_dir():
        what = "a file" if probe.is_file() else "a special file"
        raise UsageError(f"{flag} {shown}: is {what}, not a folder" if probe == shown
                         else f"{flag} {shown}: {probe} is {what}, not a folder")
    if not os.access(probe, os.W_OK | os.X_OK):
        raise UsageError(f"{flag} {shown}: {probe} cannot be written (permissions)")


def read_yaml_file(path: str | Path, flag: str):
    """A YAML file's data; UsageError naming `flag` and the file (with line) when it is missing,
    unreadable or not YAML."""
    import yaml

    from Utils.safe_read import read_named_file

    path = Path(path)
    data = read_named_file(path, MAX_SETTINGS_BYTES, f"{flag} {path}", UsageError)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UsageError(f"{flag} {path}: not UTF-8 text") from None
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = f" at line {mark.line + 1} column {mark.column + 1}" if mark is not None else ""
        problem = getattr(e, "problem", None) or str(e).splitlines()[0]
        raise UsageError(f"{flag} {path}: invalid YAML{where}: {shorten(problem)}") from None
    except RecursionError:
        raise UsageError(f"{flag} {path}: invalid YAML: nested too deeply") from None

