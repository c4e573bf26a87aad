"""Writing outputs safely: atomically, and never over an input or another output of the same run.

Every file the toolkit writes goes through here: a temporary file in the same folder, renamed
over the target at the end, so a crash never leaves a half-written file that looks complete.
`check_outputs` refuses, before anything is written, output paths that are one of the inputs or
that clash with each other. Files written keep normal permissions (the target's own, or what
the umask allows a new file), not the 0600 of a temporary file.
"""

from __future__ import annotations

import json
import math
import os
import re
import tempfile
from pathlib import Path
from typing import Callable, Iterable


def umask() -> int:
    """The process's umask (read by setting it and setting it back)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def new_file_mode(path: Path) -> int:
    """The mode a file written at `path` gets: the existing file's, else 0666 less the umask (as
    `open` would create it; mkstemp's temporary files are 0600)."""
    try:
        return path.stat().st_mode & 0o7777
    except OSError:
        return 0o666 & ~umask()


def write_lines_atomic(lines: Iterable[str], path: str | Path) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="", buffering=1 << 20) as f:
            f.writelines(lines)
            os.fchmod(f.fileno(), new_file_mode(path))
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise
    return path


def write_text_atomic(text: str, path: str | Path) -> Path:
    return write_lines_atomic([text], path)


def write_json_atomic(data, path: str | Path) -> Path:
    return write_text_atomic(json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n", path)


def read_json_object(path: str | Path) -> dict:
    """A JSON file holding one object (UTF-8, a BOM allowed). Raises ValueError naming the file when
    it is not valid JSON (truncated) or not an object."""
    path = Path(path)
    try:
        data = json.loads(path.read_bytes().decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise ValueError(f"{path}: not valid JSON ({str(e)[:80]})") from None
    if not isinstance(data, dict):
        raise ValueError(f"{path}: expected a JSON object")
    return data


def same_file(a: Path, b: Path) -> bool:
    """Whether two paths name the same file (also through links or `..`), existing or not."""
    try:
        if a.exists() and b.exists():
            return os.path.samefile(a, b)
    except OSError:
        pass
    return a.resolve() == b.resolve()


def foreign(path: Path, is_ours: Callable[[Path], bool]) -> bool:
    """Whether `path` holds something this toolkit must never write over: a link, a folder, or a file
    that `is_ours` does not recognise as one the command wrote. Nothing there: False."""
    if path.is_symlink():
        return True
    return path.exists() and (not path.is_file() or not is_ours(path))


def check_outputs(outputs: dict[str, str | Path], inputs: dict[str, str | Path | None] = None,
                  input_dirs: dict[str, str | Path | None] = None) -> None:
    """Refuse, all problems at once, outputs that equal an input file, lie inside an input folder,
    or equal another output. Keys are the flags that name each path (for the message)."""
    problems = []
    outs = [(flag, Path(p)) for flag, p in outputs.items() if p is not None]
    for flag, path in outs:
        for in_flag, in_path in (inputs or {}).items():
            if in_path is not None and same_file(path, Path(in_path)):
                problems.append(f"{flag} {path} is the input {in_flag}: refusing to overwrite it")
        for in_flag, folder in (input_dirs or {}).items():
            if folder is not None and Path(folder).resolve() in path.resolve().parents:
                problems.append(f"{flag} {path} lies inside the input folder {in_flag} {folder}: "
                                "refusing to write into it")
    for i, (flag, path) in enumerate(outs):
        for other_flag, other in outs[i + 1:]:
            if same_file(path, other):
                problems.append(f"{flag} and {other_flag} are the same file {path}")
    if problems:
        raise ValueError("output paths clash with inputs or each other:\n  " + "\n  ".join(problems))


# --------------------------------------------------------------------------- output names and JSON numbers


def safe_filename(name: str) -> str:
    """A name usable as one file name inside the output folder: no separators, no leading dots."""
    cleaned = re.sub(r"[^A-Za-z0-9._@+-]", "_", name).lstrip(".")
    return cleaned[:150] or "unnamed"


def output_path(output_dir: Path, name: str, suffix: str) -> Path:
    """`output_dir/<safe name><suffix>`, checked to lie inside `output_dir`."""
    path = (output_dir / (safe_filename(name) + suffix)).resolve()
    if path.parent != output_dir.resolve():
        raise ValueError(f"refusing to write {path}: outside {output_dir}")
    return path


def finite(x) -> float | None:
    """`x` as a float when it is a finite number, else None (JSON has no NaN)."""
    try:
        x = float(x)
    except (TypeError, ValueError):
        return None
    return x if math.isfinite(x) else None


LOCK_FILE = ".grading.lock"


class FolderLock:
    """An exclusive lock file in an output folder for as long as a run writes there, so two runs into one
    folder are refused instead of racing. A lock left by a run that no longer exists on this machine (it was
    killed) is taken over; any other is reported with its owner and the file to delete."""

    def __init__(self, folder: str | Path, command: str):
        self.path = Path(folder) / LOCK_FILE
        self.command = command
        self.held = False
        self.made_folder = False  # the lock made the folder: released with nothing else in it, it goes too

    def acquire(self) -> FolderLock:
        """Take the lock (ValueError naming the other run when it is held)."""
        import socket
        import time

        self.made_folder = not self.path.parent.exists()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        owner = json.dumps({"pid": os.getpid(), "host": socket.gethostname(), "command": self.command,
                            "started": time.strftime("%Y-%m-%d %H:%M:%S")})
        for _ in range(2):
            try:
                fd = os.open(self.path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
            except FileExistsError:
                holder = self._holder()
                if holder is None or not _alive(holder, socket.gethostname()):
                    self.path.unlink(missing_ok=True)  # a run that died left it: take it over
                    continue
                raise ValueError(
                    f"{self.path.parent}: another {holder.get('command', 'run')} is writing there (process "
                    f"{holder.get('pid')} on {holder.get('host')}, started {holder.get('started')}); wait for it, "
                    f"or choose another folder. If no such run is going on, delete {self.path}") from None
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                f.write(owner)
            self.held = True
            return self
        raise ValueError(f"{self.path}: could not take the lock (another run keeps replacing it)")

    def _holder(self) -> dict | None:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError):
            return None  # half-written or unreadable: its writer died between creating and writing it
        return data if isinstance(data, dict) else None

    def release(self) -> None:
        if self.held:
            self.path.unlink(missing_ok=True)
            self.held = False
            if self.made_folder and not any(self.path.parent.iterdir()):
                self.path.parent.rmdir()

    def __enter__(self) -> FolderLock:
        return self.acquire()

    def __exit__(self, *exc) -> None:
        self.release()


def _alive(holder: dict, host: str) -> bool:
    """Whether the lock's process still runs (a lock of another machine, sharing the folder, counts as alive)."""
    if holder.get("host") != host:
        return True
    try:
        os.kill(int(holder.get("pid", -1)), 0)
    except ProcessLookupError:
        return False
    except (PermissionError, ValueError, TypeError, OverflowError):
        return True
    return True
