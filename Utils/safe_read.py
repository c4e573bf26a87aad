"""Reading files of a lab folder safely, and decoding them.

Only regular files are opened: checked with lstat/stat first, opened with O_NONBLOCK and
O_NOFOLLOW, checked again with fstat, read up to a limit; a link is followed only when its target
stays inside the lab folder. Text is decoded as UTF-8 (BOM or not) or, for statements, rubrics and
CSVs, UTF-16/32 with a byte-order mark; a source file that is binary or UTF-16 is recognized
(`source_not_text`) and never used as code. The rules are listed in Utils/labs.py's docstring.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from Utils.lab_records import LabFormatError, writable_text

# OS and editor junk, skipped silently (besides every name starting with '.').
JUNK_NAMES = frozenset({"__macosx", "thumbs.db", "desktop.ini", "ehthumbs.db"})


def decode_text(data: bytes) -> tuple[str, bool]:
    """Decode bytes as UTF-8 (BOM dropped, line ends normalised). Returns (text, was_valid_utf8)."""
    try:
        text, ok = data.decode("utf-8-sig"), True
    except UnicodeDecodeError:
        text, ok = data.decode("utf-8-sig", errors="replace"), False
    return text.replace("\r\n", "\n").replace("\r", "\n"), ok


# Byte-order marks of the UTF-16/32 encodings (UTF-32 first: its little-endian mark starts like UTF-16's).
_BOMS = ((b"\xff\xfe\x00\x00", "utf-32"), (b"\x00\x00\xfe\xff", "utf-32"), (b"\xff\xfe", "utf-16"),
         (b"\xfe\xff", "utf-16"))


def unicode_bom(data: bytes) -> str | None:
    """'utf-16' or 'utf-32' when `data` starts with that encoding's byte-order mark, else None."""
    return next((codec for bom, codec in _BOMS if data.startswith(bom)), None)


def decode_document(data: bytes) -> tuple[str, bool]:
    """A statement, rubric or CSV: UTF-8 (BOM or not), or UTF-16/32 with a byte-order mark (as
    Windows editors save "Unicode" text). Returns (text, was_valid)."""
    codec = unicode_bom(data)
    if codec is None:
        return decode_text(data)
    try:
        text, ok = data.decode(codec), True
    except UnicodeDecodeError:
        text, ok = data.decode(codec, errors="replace"), False
    return text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n"), ok


def source_not_text(data: bytes) -> str | None:
    """Why a source file's bytes are not program text (None when they are): UTF-16/32 (a byte-order
    mark, or NUL bytes between ASCII letters), or binary (other NUL bytes, mostly control
    characters or undecodable bytes). Such a file is never trained on or graded as code."""
    codec = unicode_bom(data)
    if codec:
        return f"{codec.upper()} text, not UTF-8"
    if b"\x00" in data:
        sample = data[:4096]
        odd, even = sample[1::2], sample[0::2]
        if sample and (odd.count(0) > 0.4 * len(odd) or even.count(0) > 0.4 * len(even)) and \
                sum(32 <= b < 127 or b in (9, 10, 13) for b in sample if b) > 0.9 * sum(1 for b in sample if b):
            return "UTF-16 text without a byte-order mark, not UTF-8"
        return "binary (NUL bytes)"
    text, _ = decode_text(data)
    if looks_binary(data, text):
        return "binary (mostly control characters or invalid UTF-8)"
    return None


def looks_binary(data: bytes, text: str) -> bool:
    """NUL bytes, or more than a tenth of the characters undecodable or control characters."""
    if b"\x00" in data:
        return True
    bad = sum(1 for ch in text if ch == "\ufffd" or (ord(ch) < 32 and ch not in "\n\t\f\v\x1b"))
    return bad > 0.1 * max(len(text), 1)


class Unusable(Exception):
    """A file that cannot be read safely; the message says why (no path)."""


def _refused(shown: Path, why: str) -> LabFormatError:
    """The error for a lab file (statement, rubric, CSV) that exists but cannot be used;
    its `why` attribute says why without the path."""
    error = LabFormatError(f"{shown}: {why}")
    error.why = writable_text(why)
    return error


def is_inside(path: str, root: str) -> bool:
    """Whether the resolved `path` is `root` or below it (both resolved)."""
    try:
        return os.path.commonpath([path, root]) == root
    except ValueError:
        return False


_KINDS = ((stat.S_ISREG, "a file"), (stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a FIFO"),
          (stat.S_ISSOCK, "a socket"), (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"))


def file_kind(mode: int) -> str:
    return next((name for test, name in _KINDS if test(mode)), "not a regular file")


def is_junk(name: str) -> bool:
    """OS and editor junk: hidden names, __MACOSX, Thumbs.db, desktop.ini, backups (*~, #*#)."""
    return (name.startswith(".") or name.lower() in JUNK_NAMES or name.endswith("~")
            or (len(name) > 1 and name.startswith("#") and name.endswith("#")))


def _nonblocking_opener(path, flags):
    return os.open(path, flags | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0))


def read_regular(path: str, limit: int) -> bytes:
    """Read at most `limit` + 1 bytes of a regular file (one more than the limit shows it is over).

    Never blocks on a FIFO or device: opened non-blocking and not following a final link,
    and checked to be a regular file on the open descriptor before reading.
    """
    try:
        with open(path, "rb", opener=_nonblocking_opener) as f:
            mode = os.fstat(f.fileno()).st_mode
            if not stat.S_ISREG(mode):
                raise Unusable(f"is {file_kind(mode)}, not a regular file")
            return f.read(limit + 1)
    except Unusable:
        raise
    except OSError as e:
        if e.errno == errno.ELOOP:
            raise Unusable("is a link (changed while reading)") from None
        raise Unusable(f"cannot be read: {e.strerror or e}") from None


def read_named_file(path: str | Path, limit: int, shown: str, error: type[Exception] = ValueError) -> bytes:
    """A file a user named by a flag (a roster, a final ratings CSV): a regular file (a final link is
    followed), at most `limit` bytes, read without blocking. Raises `error` with a message starting
    with `shown` (e.g. "--roster roster.csv") saying what is wrong: not found, not a regular file,
    over the limit, unreadable."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        raise error(f"{shown}: file not found") from None
    except OSError as e:
        raise error(f"{shown}: cannot be read: {e.strerror or e}") from None
    return _read_checked(os.path.realpath(path), st, limit, lambda why: error(f"{shown}: {why}"))


def _size(n: int) -> str:
    return f"{n / 2**20:.0f} MB" if n >= 2**20 else f"{n} bytes"


def _read_checked(real: str, st: os.stat_result, limit: int, refuse) -> bytes:
    """The end of every checked read: `real` (its `st`) is a regular file of at most `limit` bytes,
    read without blocking; else `refuse(why)` is raised."""
    if not stat.S_ISREG(st.st_mode):
        raise refuse(f"is {file_kind(st.st_mode)}, not a regular file")
    if st.st_size > limit:
        raise refuse(f"{st.st_size} bytes, over the limit of {_size(limit)}")  # exact: 32.4 MB is not "32 MB"
    try:
        data = read_regular(real, limit)
    except Unusable as e:
        raise refuse(str(e)) from None
    if len(data) > limit:  # it grew between the stat and the read
        raise refuse(f"over the limit of {_size(limit)}")
    return data


def resolve_entry(path: str, root: str) -> tuple[str, os.stat_result]:
    """The real path and stat of `path`, which must stay inside `root` (resolved).

    Raises FileNotFoundError when it does not exist, Unusable when it is a link that
    leaves `root` (message starting 'link to') or a dangling link.
    """
    st = os.lstat(path)
    if not stat.S_ISLNK(st.st_mode):
        return path, st
    real = os.path.realpath(path)
    if not is_inside(real, root):
        raise Unusable(f"link to {real} leaves the lab folder; not followed")
    try:
        return real, os.stat(real)
    except OSError:
        raise Unusable(f"dangling link to {real}") from None


def lab_root(lab_dir: Path) -> str:
    """The resolved lab folder. A lab folder that is a link must resolve inside its parent."""
    lexical = os.path.abspath(lab_dir)
    real = os.path.realpath(lexical)
    if os.path.islink(lexical):
        parent = os.path.realpath(os.path.dirname(lexical))
        if not is_inside(real, parent) or real == parent:
            raise LabFormatError(f"{lab_dir}: lab folder is a link to {real}, outside its parent "
                                 f"folder {parent}; refused")
    if not os.path.isdir(real):
        raise LabFormatError(f"{lab_dir}: lab folder not found")
    return real


def read_lab_file(lab_dir: Path, name: str, limit: int) -> bytes:
    """A file of the lab folder (statement, rubric, CSV): a regular file inside the lab, not over
    `limit` bytes. Raises FileNotFoundError when missing and LabFormatError naming it otherwise."""
    root = lab_root(lab_dir)
    shown = lab_dir / name
    try:
        real, st = resolve_entry(os.path.join(root, name), root)
    except Unusable as e:
        raise _refused(shown, str(e)) from None
    except FileNotFoundError:
        raise
    except OSError as e:
        raise _refused(shown, f"cannot be read: {e.strerror or e}") from None
    return _read_checked(real, st, limit, lambda why: _refused(shown, why))


def required_lab_file(lab_dir: Path, name: str, max_bytes: int) -> tuple[Path, str, bool]:
    """(path, text, whether it was valid UTF-8) of a file the lab cannot do without."""
    path = Path(lab_dir) / name
    try:
        data = read_lab_file(Path(lab_dir), name, max_bytes)
    except FileNotFoundError:
        raise LabFormatError(f"{path}: file not found") from None
    return (path, *decode_document(data))
