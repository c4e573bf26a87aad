"""What every script's command line shares: one argument style, one way to fail.

Each script declares its options as dataclasses and parses them with transformers'
`HfArgumentParser` (as TRL's scripts do): every option is a `--flag`, its default and help are
stated once, in the dataclass. Boolean flags take `--flag`, `--flag 1/0` or `--flag true/false`
(so the older tooling's `--dpo_reasoning 1` keeps working). List flags accumulate when given
twice (`--lab_names a --lab_names b` means both), so a shell wrapper's own list is never lost
to a flag given after it. Bad input ends with `error: <message>` and exit code 2, never a
traceback.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SYSTEM_PROMPT = REPO_ROOT / "system_prompt.txt"
DEFAULT_REASONING_SYSTEM_PROMPT = REPO_ROOT / "system_prompt_reasoning.txt"
PRESETS_DIR = REPO_ROOT / "configs" / "models"  # one model preset per file (Utils.models.registry)
USAGE_ERROR = 2


class UsageError(ValueError):
    """Bad input a user can fix: the message says what and where."""


def list_field(help: str, **metadata):
    """A list option that accumulates over repeats and takes space- or comma-separated values."""
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


def read_system_prompt(path: str | Path | None, reasoning: bool = False) -> tuple[str, Path]:
    """The system prompt and its file: `path`, else the repo's default (the reasoning one with
    `reasoning`). Raises FileNotFoundError naming the flag."""
    prompt_path = Path(path) if path else (DEFAULT_REASONING_SYSTEM_PROMPT if reasoning else DEFAULT_SYSTEM_PROMPT)
    if not prompt_path.is_file():
        raise FileNotFoundError(f"--system_prompt_path: {prompt_path}: file not found")
    return prompt_path.read_text(encoding="utf-8").strip(), prompt_path


def parse(dataclass_types, argv: list[str] | None, description: str = ""):
    """Parse `argv` into the dataclasses (argparse exits with code 2 and a usage line on a bad flag)."""
    from transformers import HfArgumentParser

    parser = HfArgumentParser(dataclass_types, description=description)
    return parser.parse_args_into_dataclasses(args=argv)


def fail(message: str) -> int:
    """Print `error: message` and return the usage-error exit code."""
    print(f"error: {message}", file=sys.stderr)
    return USAGE_ERROR


def quiet_libraries() -> None:
    """Silence dependency noise a user cannot act on (deprecation notices, "kernels" hints);
    warnings and errors about the user's own settings still show."""
    import os
    import warnings

    os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    warnings.filterwarnings("ignore", category=FutureWarning)
    warnings.filterwarnings("ignore", category=DeprecationWarning)
    warnings.filterwarnings("ignore", message=".*kernels.*")
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
        "help": "auto (4bit on CUDA, none on CPU), 4bit, 8bit, none, or int8 (CPU: dynamic int8 matrix products, "
                "about 1.4x faster scoring; predictions can differ from float32 where options are close: "
                "bench/grading.md)", "choices": ["auto", "4bit", "8bit", "none", "int8"]})
    device: str = field(default="auto", metadata={"help": "auto, cpu, cuda, cuda:1 ..."})
