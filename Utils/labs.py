"""Read lab folders (format: docs/lab-format.md) into plain Python records.

This is the first step of the data's path and the one every later step reads:
the dataset builder, the evaluator and the grader all see labs through
`read_lab`. Parsing functions take text and return records (no I/O); `read_*`
functions do the I/O. Nothing here imports torch.

Nothing read is lost: every (student, criterion) item is either turned into a
`GradedItem` or reported as a `Problem` with its reason, and broken files raise
`LabFormatError` naming the file (and row) so the caller can skip the lab with
a clear message.

Notices and skips. A `Problem` whose reason is in `NOTICES` (test with
`is_notice(p)`) is a notice: the data was used, with a caveat (bad bytes decoded
with replacement characters, a statement file other than the one asked for).
Every other reason is a skip: that item, student or lab gave no training data.

Rules for what is read (the lab folder is the trust boundary):

- Links. A link is followed only when its resolved target stays inside the lab
  folder (links inside the lab are followed, files and folders alike; a folder
  already walked, or one holding the student's own folder, is not walked, so
  link loops end). A link that leaves the lab is never followed or walked: in a
  submission it skips that student (`LINK_OUTSIDE_LAB`, detail "path: link to
  target ...");
  as the lab's `submissions/`, rubric or CSV it raises `LabFormatError`; as a
  statement file it makes the file unusable (see statements). A lab folder that
  is a link must resolve inside the folder that holds it.
- Only regular files are opened (checked with lstat/stat first, opened with
  O_NONBLOCK and O_NOFOLLOW, checked again with fstat). A source-named entry
  that is a FIFO, socket, device, folder, dangling link, or cannot be opened
  (permission) skips that student (`UNREADABLE_SOURCE`); other non-source files
  are ignored unopened. As a statement, rubric or CSV it is a clear error.
- Size. A student's sources together are read up to `MAX_SOURCE_BYTES` (256 KiB);
  beyond that the student is skipped (`SOURCE_TOO_LARGE`), never cut: the TA
  graded the whole program, and training or grading on a cut one would pair the
  TA's rating with code the TA did not see (such a file is nearly always a
  pasted data blob that wants a person's look). A folder with more than
  `MAX_SUBMISSION_ENTRIES` entries is skipped the same way. Statement, rubric
  and CSV files over `MAX_STATEMENT_BYTES`, `MAX_RUBRIC_BYTES`, `MAX_CSV_BYTES`
  are refused with a message giving the size.
- OS junk is skipped silently, as submission folders and inside them:
  `__MACOSX`, names starting with '.' (`.DS_Store`, `._main.cpp`, `.git/`),
  `Thumbs.db`, `desktop.ini`, editor backups (`*~`, `#*#`).
- Statements. verbose 0 asks for modified_ps.txt; verbose 1 for ps.txt, then
  problemStatement.txt (older exports). When none of those is usable the other
  group is used (0: ps.txt, problemStatement.txt; 1: modified_ps.txt) and the
  lab carries a `STATEMENT_FALLBACK` notice saying which file and why
  (`Lab.statement_file` names the file used). A file is unusable when it is
  missing, empty, binary (NUL bytes or mostly undecodable), too large, not a
  regular file, or a link leaving the lab; a statement with some invalid UTF-8
  is used with a `STATEMENT_NOT_UTF8` notice. Only a lab with no usable
  statement at all raises `LabFormatError`. Lab-level notices are in
  `Lab.lab_notices` (student None) and `collect_items` returns them too.
- CSV shape. Rows 1-5 must have a blank column 0, row 6's column 0 must be
  blank or a header word (Email, Name, ID, Roll No ...), not a student id, and
  hold no marks; row 3's rating titles must be short letter-like titles (A, B,
  A+ ...); row 5's marks must be numbers or blank; no student row may be a
  header word. Otherwise `LabFormatError` names the file and row (a missing or
  extra header row no longer turns a student into a header or the reverse).
- Cells. A number marks the rating iff it equals 1; 0 and negative numbers
  (-1 as "not chosen") do not; any other number (2, 0.5) is not guessed: the
  item is reported `UNCLEAR_CELL`. Blank and null-like words (`NULL_CELLS`:
  nan, none, null, n/a, false, no, -, ...) and text with no letter or digit do
  not mark. `MARK_WORDS` (true, yes, x, check marks) mark with no comment. Any
  other text marks the rating and is the TA's comment, except "No Comments",
  which marks it with no comment.
- Ids. Students match by the part of the id before '@'. An empty part (`@x.in`,
  `@`, a blank folder name) never matches: such rows and folders are
  `EMPTY_STUDENT_ID` (the problem's `student` is the raw id or folder name); a
  row with a blank column 0 stays `MALFORMED_ROW`.
- A student's unreadable file skips that student with a reason, never the lab.
- File names that are not UTF-8 are shown (ids, "// file:" lines, reports) with U+FFFD, so
  everything returned can be written as UTF-8. Lab folder names that are not UTF-8, or that
  differ only in case or Unicode normalization, are reported by `lab_name_problems` (check
  before anything is written).
- Encodings. Statements, rubrics.json and the CSV may be UTF-8 (with or without a BOM) or
  UTF-16/32 with a BOM. A source file that is UTF-16/32 or binary is never used as code: the
  submission keeps it in `Submission.undecodable` (so a grader can queue it) and the builder skips
  the student (`UNDECODABLE_SOURCE`).
- Rubric. Each criterion is checked on its own (`parse_rubric_criteria`): titles and descriptions
  must be text, marks finite numbers (not booleans, not numbers of hundreds of digits), at least
  2 ratings with distinct letters; a malformed criterion is left out and reported
  (`Lab.rubric_problems`, BAD_RUBRIC_CRITERION), the others are used. Values echoed in messages
  are cut short (ECHO_LIMIT). Ratings are sorted naturally (`rating_sort_key`: A, A+, B, ..., AA).
- Labels. The CSV header's descriptions and marks must match rubrics.json letter by letter
  (`rating_differences`); a criterion where they differ is skipped (RATINGS_DIFFER, naming the
  letter and both files), never re-labelled. Student ids and titles are compared in Unicode NFC.
"""

from __future__ import annotations

import csv
import errno
import io
import json
import math
import os
import re
import stat
import unicodedata
from dataclasses import dataclass, field
from dataclasses import replace as dataclass_replace
from pathlib import Path

# Source files a student may hand in, mapped to the fence/comment language.
SOURCE_LANGUAGES = {
    ".cpp": "cpp", ".cc": "cpp", ".cxx": "cpp", ".hpp": "cpp", ".h": "cpp",
    ".c": "c", ".py": "python", ".java": "java",
}
# Statement files asked for by `verbose` (0: short, else long), in order of preference.
STATEMENT_FILES = {0: ("modified_ps.txt",), 1: ("ps.txt", "problemStatement.txt")}
# Used, with a STATEMENT_FALLBACK notice, when none of the asked-for files is usable.
STATEMENT_FALLBACKS = {0: ("ps.txt", "problemStatement.txt"), 1: ("modified_ps.txt",)}
RUBRIC_FILE = "rubrics.json"
RATINGS_FILE = "rubric_ratings.csv"
SUBMISSIONS_DIR = "submissions"
CSV_HEADER_ROWS = 6
NO_COMMENT = "no comments"

# Limits on what is read.
MAX_SOURCE_BYTES = 256 * 1024  # all source files of one student together
MAX_SUBMISSION_ENTRIES = 2000  # files and folders walked in one student's folder
MAX_STATEMENT_BYTES = 256 * 1024
MAX_RUBRIC_BYTES = 4 * 1024 * 1024
MAX_CSV_BYTES = 64 * 1024 * 1024

# OS and editor junk, skipped silently (besides every name starting with '.').
JUNK_NAMES = frozenset({"__macosx", "thumbs.db", "desktop.ini", "ehthumbs.db"})

# CSV cells: words that do not mark a rating, and words that mark it with no comment.
NULL_CELLS = frozenset({"nan", "none", "null", "nil", "n/a", "na", "false", "no", "f", "n", "inf", "-inf",
                        "infinity", "undefined", "#n/a", "#value!", "#ref!", "#div/0!", "#num!", "#name?",
                        "#null!"})
MARK_WORDS = frozenset({"true", "yes", "y", "x", "\u2713", "\u2714", "\u2705"})
NO_COMMENT_WORDS = frozenset({NO_COMMENT, "no comment", "no comments.", "no comment."})
# Words a header cell in column 0 of row 6 may be made of (Email, Student ID, Roll No., ...).
HEADER_WORDS = frozenset({
    "email", "e", "mail", "address", "name", "names", "full", "first", "last", "student", "students",
    "id", "ids", "identifier", "roll", "no", "number", "num", "user", "username", "login", "userid",
    "netid", "uid", "participant", "learner", "candidate", "enrollment", "enrolment",
    "registration", "reg", "s", "sr", "sl", "serial", "of", "the", "and", "or"})

# Reasons an item (lab, student, criterion) cannot become training data.
NO_SUBMISSION = "student in CSV has no submission folder"
NO_CSV_ROW = "submission folder has no row in rubric_ratings.csv"
NO_SOURCE = "submission folder has no source file"
SEVERAL_SUBMISSIONS = "several submission folders for this student"
DUPLICATE_ROW = "student has more than one row in rubric_ratings.csv"
MALFORMED_ROW = "malformed row in rubric_ratings.csv"
EMPTY_STUDENT_ID = "student id is empty before '@'; never matched"
NO_RATING = "no rating marked"
SEVERAL_RATINGS = "more than one rating marked"
UNCLEAR_CELL = "a rating cell holds a number other than 0 or 1"
NOT_IN_RUBRIC = "criterion in rubric_ratings.csv missing from rubrics.json"
NOT_IN_CSV = "criterion in rubrics.json missing from rubric_ratings.csv"
RATINGS_DIFFER = "criterion's ratings differ between rubric_ratings.csv and rubrics.json"
TOO_FEW_RATINGS = "criterion has fewer than 2 ratings"
BAD_RUBRIC_CRITERION = "criterion is malformed in rubrics.json"
UNDECODABLE_SOURCE = "a source file is binary or UTF-16, not UTF-8 text; not used as code"
BAD_LAB_NAME = "lab folder name cannot be used"
LINK_OUTSIDE_LAB = "submission holds a link that leaves the lab folder; not followed"
UNREADABLE_SOURCE = "a source file cannot be read"
SOURCE_TOO_LARGE = "submission is larger than the reading limit"
# Notices: reported, but the data is still used.
NOT_UTF8 = "source is not valid UTF-8; decoded with replacement characters"
STATEMENT_FALLBACK = "asked-for statement file not usable; another statement file used"
STATEMENT_NOT_UTF8 = "statement is not valid UTF-8; decoded with replacement characters"
NOTICES = (NOT_UTF8, STATEMENT_FALLBACK, STATEMENT_NOT_UTF8)


def _text(value: str) -> str:
    """`value` writable as UTF-8: surrogates (file-name bytes that are not UTF-8) become U+FFFD."""
    try:
        value.encode("utf-8")
        return value
    except UnicodeEncodeError:
        try:
            return value.encode("utf-8", errors="surrogateescape").decode("utf-8", errors="replace")
        except UnicodeEncodeError:
            return value.encode("utf-8", errors="replace").decode("utf-8")


writable_text = _text  # public name: any string made writable as UTF-8 (surrogates shown as U+FFFD)


class LabFormatError(ValueError):
    """A lab file that cannot be read at all. The message names the file and row."""

    def __init__(self, message: str = ""):
        super().__init__(_text(str(message)))


@dataclass(frozen=True)
class Problem:
    """Something read that could not be used (or, for notices, was used with a caveat)."""

    lab: str
    reason: str
    student: str | None = None
    criterion: str | None = None
    detail: str = ""

    def __post_init__(self):
        for name in ("lab", "student", "criterion", "detail"):
            value = getattr(self, name)
            if isinstance(value, str):
                object.__setattr__(self, name, _text(value))

    def describe(self) -> str:
        where = "/".join(p for p in (self.lab, self.student, self.criterion) if p)
        return f"{where}: {self.reason}" + (f" ({self.detail})" if self.detail else "")


def is_notice(problem: Problem) -> bool:
    """True for notices (the data was used, with a caveat); False for skips (nothing was used)."""
    return problem.reason in NOTICES


@dataclass(frozen=True)
class Rating:
    letter: str
    description: str
    marks: float | None = None


@dataclass(frozen=True)
class Criterion:
    """One rubric criterion with its ratings, sorted by letter (the JSON may list them in any order)."""

    title: str
    description: str
    ratings: tuple[Rating, ...]

    @property
    def letters(self) -> tuple[str, ...]:
        return tuple(r.letter for r in self.ratings)

    def rating(self, letter: str) -> Rating:
        return _find(self.ratings, lambda r: r.letter == letter, f"criterion {self.title!r} has no rating {letter!r}")


def _find(items, matches, message: str):
    """The first of `items` that `matches`; KeyError(message) when there is none."""
    for item in items:
        if matches(item):
            return item
    raise KeyError(message)


@dataclass(frozen=True)
class CsvCriterion:
    """A criterion as the CSV header describes it: its title and one column per rating."""

    title: str
    description: str
    letters: tuple[str, ...]
    descriptions: tuple[str, ...]
    marks: tuple[str, ...]
    first_column: int


@dataclass(frozen=True)
class Mark:
    """The TA's choice for one criterion: the letter, and a comment if the cell held one."""

    letter: str
    comment: str | None = None


@dataclass
class CsvRow:
    raw_id: str
    student_id: str
    row_number: int  # 1-based line in the CSV as a spreadsheet shows it
    cells: list[str]
    error: str = ""
    reason: str = MALFORMED_ROW  # the Problem reason when `error` is set


@dataclass
class RatingsTable:
    """Parsed rubric_ratings.csv."""

    criteria: list[CsvCriterion]
    rows: list[CsvRow]

    def marks(self, row: CsvRow, criterion: CsvCriterion) -> list[Mark]:
        """Every marked cell of `criterion` in `row` (the caller decides what 0 or 2+ marks mean)."""
        found = []
        for offset, letter in enumerate(criterion.letters):
            column = criterion.first_column + offset
            cell = row.cells[column].strip() if column < len(row.cells) else ""
            mark = _read_cell(cell, letter)
            if mark is not None:
                found.append(mark)
        return found

    def unclear(self, row: CsvRow, criterion: CsvCriterion) -> list[str]:
        """Cells of `criterion` in `row` that hold a number other than 0, 1 or a negative one
        (as 'B=2'): whether they mark the rating is not guessed."""
        found = []
        for offset, letter in enumerate(criterion.letters):
            column = criterion.first_column + offset
            cell = row.cells[column].strip() if column < len(row.cells) else ""
            if _cell_kind(cell)[0] == "unclear":
                found.append(f"{letter}={cell}")
        return found


@dataclass
class Submission:
    student_id: str
    folder_name: str
    code: str
    language: str
    files: tuple[str, ...]
    not_utf8: tuple[str, ...] = ()
    # Source files that are not text (binary, or UTF-16/32): "name (why)". Their bytes are not in
    # `code`; the builder skips such a student (UNDECODABLE_SOURCE) and a grader must queue them.
    undecodable: tuple[str, ...] = ()


@dataclass
class Lab:
    name: str
    path: Path
    statement: str
    rubric: list[Criterion]
    submissions: dict[str, Submission]
    ratings: RatingsTable | None = None
    # Problems of students found while reading (folders with no source, duplicate folders,
    # unreadable files, bad bytes); each has `student` set.
    problems: list[Problem] = field(default_factory=list)
    # The statement file used (one of STATEMENT_FILES or, after a fallback, STATEMENT_FALLBACKS).
    statement_file: str = ""
    # Notices about the lab as a whole (student None): STATEMENT_FALLBACK, STATEMENT_NOT_UTF8.
    lab_notices: list[Problem] = field(default_factory=list)
    # Criteria of rubrics.json that were malformed and left out of `rubric` (BAD_RUBRIC_CRITERION,
    # `criterion` set to its title when it has a usable one): their items are skipped, never guessed.
    rubric_problems: list[Problem] = field(default_factory=list)

    def criterion(self, title: str) -> Criterion:
        return _find(self.rubric, lambda c: c.title == title, f"lab {self.name!r} has no criterion {title!r}")


@dataclass(frozen=True)
class GradedItem:
    """One (lab, student, criterion) with the TA's rating: the unit of training and evaluation."""

    lab: str
    student_id: str
    statement: str
    code: str
    language: str
    criterion: Criterion
    chosen: str
    comment: str | None = None


def nfc(text: str) -> str:
    """Unicode NFC: the same letters typed on macOS (NFD) and elsewhere (NFC) compare equal."""
    return unicodedata.normalize("NFC", text)


def student_key(raw_id: str) -> str:
    """Students are matched by the part of the id before '@', on both sides (NFC-normalized)."""
    return nfc(raw_id.strip().split("@", 1)[0].strip())


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
    if _looks_binary(data, text):
        return "binary (mostly control characters or invalid UTF-8)"
    return None


# --------------------------------------------------------------------------- parsing (no I/O)


# Echoes of rubric values in messages are cut to this many characters (a 4 MB title prints one line).
ECHO_LIMIT = 60
# Rubric problems listed in one message at most (then "... and N more").
MAX_LISTED_PROBLEMS = 20


def _echo(value) -> str:
    """`repr(value)`, cut to ECHO_LIMIT characters, for a message about user input."""
    text = repr(value)
    return text if len(text) <= ECHO_LIMIT else f"{text[:ECHO_LIMIT]}... ({len(text)} characters)"


class _HugeNumber(str):
    """A number in rubrics.json too large to read (thousands of digits): kept as its text, refused
    where a number is needed, ignored where the field is not used (an `id`)."""


def _parse_int(text: str):
    return _HugeNumber(text) if len(text) > 300 else int(text)


def _parse_float(text: str):
    return _HugeNumber(text) if len(text) > 300 else float(text)


def _listed(problems: list[str]) -> str:
    shown = problems[:MAX_LISTED_PROBLEMS]
    more = len(problems) - len(shown)
    return "; ".join(shown) + (f"; ... and {more} more" if more > 0 else "")


def rating_sort_key(letter: str) -> tuple:
    """Natural order of rating titles: A, A+, A-, B, ..., Z, AA (not string order, where AA comes
    before B), A2 before A10. Case-insensitive first, so 'a' sits beside 'A'."""
    match = re.fullmatch(r"([A-Za-z]*)(\d*)(.*)", letter, re.S)
    letters, digits, rest = match.groups()
    return (len(letters), letters.upper(), letters, int(digits) if digits else -1, rest)


def _text_field(value, name: str, where: str, errors: list[str], required: bool = True) -> str | None:
    """A rubric text field: a string (a number is taken as its text); lists, objects, booleans and
    null are refused with a message."""
    if isinstance(value, bool) or not isinstance(value, (str, int, float)) or isinstance(value, _HugeNumber):
        if value is None and not required:
            return None
        kind = "a huge number" if isinstance(value, _HugeNumber) else type(value).__name__
        errors.append(f"{where}: '{name}' must be text, found {kind}" + (f" {_echo(value)}" if value is not None else ""))
        return None
    text = nfc(str(value).strip())
    if not text and required:
        errors.append(f"{where}: '{name}' is empty")
        return None
    return text


def _marks_value(value, where: str, errors: list[str]) -> tuple[bool, float | None]:
    """(ok, marks) of a rating's 'marks': a finite number or numeric text; missing or "" is None."""
    if value is None or value == "":
        return True, None
    if isinstance(value, _HugeNumber):
        errors.append(f"{where}: 'marks' is a number too large to use ({len(value)} digits)")
        return False, None
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        errors.append(f"{where}: 'marks' must be a number, found {type(value).__name__} {_echo(value)}")
        return False, None
    try:
        number = float(value)
    except (TypeError, ValueError, OverflowError):
        errors.append(f"{where}: non-numeric 'marks' {_echo(value)}")
        return False, None
    if not math.isfinite(number):
        errors.append(f"{where}: 'marks' must be a finite number, found {_echo(value)}")
        return False, None
    return True, number


def parse_rubric_criteria(text: str, source: str = RUBRIC_FILE) -> tuple[list[Criterion], list[tuple[str | None, str]]]:
    """Parse rubrics.json criterion by criterion: (usable criteria, [(criterion title or None, what is
    wrong)]). A malformed criterion (a list as title, boolean or huge marks, fewer than 2 ratings,
    repeated letters) is reported and left out; the others are kept. Raises LabFormatError only when
    the file as a whole is unusable (not JSON, not a list). Echoed values are cut short."""
    try:
        data = json.loads(text, parse_int=_parse_int, parse_float=_parse_float,
                          parse_constant=lambda name: float(name))
    except json.JSONDecodeError as e:
        raise LabFormatError(f"{source}: invalid JSON at line {e.lineno} column {e.colno}: {e.msg}") from None
    except RecursionError:
        raise LabFormatError(f"{source}: invalid JSON: nested too deeply") from None
    if not isinstance(data, list):
        raise LabFormatError(f"{source}: expected a JSON list of criteria, found {type(data).__name__}")
    problems: list[tuple[str | None, str]] = []
    criteria: list[Criterion] = []
    counts: dict[str, int] = {}
    for entry in data:
        if isinstance(entry, dict) and isinstance(entry.get("title"), (str, int, float)):
            title = nfc(str(entry["title"]).strip())
            counts[title] = counts.get(title, 0) + 1
    for index, entry in enumerate(data):
        errors: list[str] = []
        where = f"criterion {index}"
        if not isinstance(entry, dict):
            problems.append((None, f"{where}: expected an object, found {type(entry).__name__}"))
            continue
        if entry.get("title") is None or entry.get("title") == "":
            problems.append((None, f"{where}: missing 'title'"))
            continue
        title = _text_field(entry.get("title"), "title", where, errors)
        if title is None:
            problems.append((None, "; ".join(errors)))
            continue
        where = f"criterion {index} ({_echo(title)})"
        if counts.get(title, 0) > 1:
            problems.append((title, f"{where}: title appears more than once"))
            continue
        raw_ratings = entry.get("Ratings", entry.get("ratings"))
        if not isinstance(raw_ratings, list) or not raw_ratings:
            problems.append((title, f"{where}: missing or empty 'Ratings' list"))
            continue
        ratings: list[Rating] = []
        for r_index, raw in enumerate(raw_ratings):
            if not isinstance(raw, dict):
                errors.append(f"{where}: rating {r_index} is not an object")
                continue
            if raw.get("title") is None or raw.get("title") == "":
                errors.append(f"{where}: rating {r_index} has no 'title'")
                continue
            letter = _text_field(raw.get("title"), "title", f"{where}: rating {r_index}", errors)
            if letter is None:
                continue
            rating_where = f"{where}: rating {_echo(letter)}"
            description = raw.get("description")
            if description is None or (isinstance(description, str) and not description.strip()):
                errors.append(f"{rating_where} has no 'description'")
                continue
            if not isinstance(description, str):
                errors.append(f"{rating_where}: 'description' must be text, found {type(description).__name__}")
                continue
            ok, marks = _marks_value(raw.get("marks"), rating_where, errors)
            if ok:
                ratings.append(Rating(letter, nfc(description.strip()), marks))
        letters = [r.letter for r in ratings]
        duplicates = sorted({x for x in letters if letters.count(x) > 1})
        if duplicates:
            errors.append(f"{where}: rating titles repeated: {', '.join(_echo(d)[1:-1] for d in duplicates[:5])}")
        if not errors and len(ratings) < 2:
            errors.append(f"{where}: only {len(ratings)} rating: a criterion needs at least 2 options to choose from")
        if errors:
            problems.append((title, "; ".join(errors[:MAX_LISTED_PROBLEMS])))
            continue
        description = entry.get("description")
        description = nfc(description.strip()) if isinstance(description, str) and description.strip() else title
        criteria.append(Criterion(title, description, tuple(sorted(ratings, key=lambda r: rating_sort_key(r.letter)))))
    return criteria, problems


def parse_rubric(text: str, source: str = RUBRIC_FILE) -> list[Criterion]:
    """Parse rubrics.json. Collects every problem in the file and raises them at once (LabFormatError);
    `parse_rubric_criteria` instead keeps the sound criteria and reports the others."""
    criteria, problems = parse_rubric_criteria(text, source)
    if problems:
        raise LabFormatError(f"{source}: " + _listed([message for _, message in problems]))
    return criteria


_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")
_RATING_TITLE = re.compile(r"[A-Za-z][A-Za-z0-9+\-*]{0,2}")


def _cell_kind(cell: str) -> tuple[str, str | None]:
    """('mark', comment or None), ('none', None) or ('unclear', None) for a stripped cell.

    A number marks iff it equals 1; 0 and negative numbers (-1 as "not chosen") do not; any
    other number is unclear. Blank, NULL_CELLS words and text with no letter or digit do not
    mark; MARK_WORDS and "No Comments" mark with no comment; any other text marks the rating
    and is the TA's comment (as the older tooling read it).
    """
    if not cell:
        return "none", None
    if _NUMBER.fullmatch(cell):
        number = float(cell)
        if number == 1:
            return "mark", None
        if number <= 0:
            return "none", None
        return "unclear", None
    lowered = cell.lower()
    if lowered in MARK_WORDS:
        return "mark", None
    if lowered in NULL_CELLS or not any(ch.isalnum() for ch in cell):
        return "none", None
    if lowered in NO_COMMENT_WORDS:
        return "mark", None
    return "mark", cell


def _read_cell(cell: str, letter: str) -> Mark | None:
    """The Mark a cell gives its rating, or None (see `_cell_kind`; an unclear cell gives none)."""
    kind, comment = _cell_kind(cell)
    return Mark(letter, comment) if kind == "mark" else None


def _looks_like_header(cell: str) -> bool:
    """Column 0 of row 6: blank, or words such as Email, Name, Student ID, Roll No."""
    if not cell:
        return True
    if "@" in cell or any(ch.isdigit() for ch in cell) or len(cell) > 40:
        return False
    words = [w for w in re.split(r"[^a-z]+", cell.lower()) if w]
    return bool(words) and all(w in HEADER_WORDS for w in words)


def _is_header_cell(cell: str) -> bool:
    """A student-row id that is plainly a header (Email, Student ID, Name): an extra header row."""
    words = set(re.split(r"[^a-z]+", cell.lower())) - {""}
    return _looks_like_header(cell) and bool(words & {"email", "mail", "name", "id", "student", "roll",
                                                        "username", "login", "userid", "netid"})


def _is_number_or_blank(cell: str) -> bool:
    return not cell or bool(_NUMBER.fullmatch(cell)) or cell.lower() in NULL_CELLS or cell == "-"


def _header_shape_errors(header: list[list[str]], width: int) -> list[str]:
    """Header rows that are missing, extra or shifted (see the module docstring)."""
    errors = []
    hint = "(a header row missing, extra or out of place?)"
    for i in range(CSV_HEADER_ROWS - 1):
        first = header[i][0].strip().lstrip("\ufeff").strip()
        if first:
            errors.append(f"row {i + 1}, column 1: expected blank in the header rows, found {first!r} {hint}")
    first = header[5][0].strip()
    if not _looks_like_header(first):
        errors.append(f"row 6, column 1: expected a header such as 'Email', found {first!r}, "
                      f"which looks like a student id {hint}")
    marked = [c + 1 for c in range(1, width) if _NUMBER.fullmatch(header[5][c].strip())]
    if marked:
        errors.append(f"row 6, column(s) {marked}: the header row holds numbers, like a student row {hint}")
    titles = [(c + 1, header[2][c].strip()) for c in range(1, width) if header[2][c].strip()]
    bad = [f"{t!r} (column {c})" for c, t in titles if not _RATING_TITLE.fullmatch(t)]
    if bad:
        errors.append(f"row 3: rating titles must be short letters such as A, B, C; found {', '.join(bad[:3])}"
                      + (f" and {len(bad) - 3} more" if len(bad) > 3 else "") + f" {hint}")
    bad = [f"{header[4][c].strip()!r} (column {c + 1})" for c in range(1, width)
           if not _is_number_or_blank(header[4][c].strip())]
    if bad:
        errors.append(f"row 5: marks must be numbers; found {', '.join(bad[:3])}"
                      + (f" and {len(bad) - 3} more" if len(bad) > 3 else "") + f" {hint}")
    return errors


def parse_ratings_csv(text: str, source: str = RATINGS_FILE) -> RatingsTable:
    """Parse rubric_ratings.csv: six header rows, then one row per student."""
    try:
        rows = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as e:
        raise LabFormatError(f"{source}: unreadable CSV: {e}") from None
    if len(rows) < CSV_HEADER_ROWS:
        raise LabFormatError(f"{source}: expected {CSV_HEADER_ROWS} header rows, found {len(rows)} rows")
    rows = [[unneutralize_cell(c) for c in row] for row in rows]  # a "'=..." cell the toolkit wrote
    header = rows[:CSV_HEADER_ROWS]
    width = max(len(r) for r in header)
    header = [r + [""] * (width - len(r)) for r in header]
    # Trailing columns with no header at all are export artefacts (a trailing comma), not criteria.
    while width > 1 and not any(header[i][width - 1].strip() for i in range(5)):
        width -= 1
    errors: list[str] = _header_shape_errors(header, width)
    criteria: list[CsvCriterion] = []
    seen: set[str] = set()
    column = 1
    while column < width:
        title = nfc(header[0][column].strip())
        if not title:
            errors.append(f"row 1, column {column + 1}: rating column with no criterion title")
            column += 1
            continue
        start = column
        while column < width and nfc(header[0][column].strip()) == title:
            column += 1
        if title in seen:
            errors.append(f"row 1: the columns of criterion {title!r} are not adjacent")
            continue
        seen.add(title)
        span = range(start, column)
        letters = tuple(nfc(header[2][c].strip()) for c in span)
        blank = [c + 1 for c in span if not header[2][c].strip()]
        if blank:
            errors.append(f"row 3, column(s) {blank}: criterion {title!r} has a rating with no title")
        if len(set(letters)) != len(letters):
            errors.append(f"row 3: criterion {title!r} repeats a rating title: {', '.join(letters)}")
        criteria.append(CsvCriterion(
            title=title,
            description=nfc(header[1][start].strip()),
            letters=letters,
            descriptions=tuple(nfc(header[3][c].strip()) for c in span),
            marks=tuple(header[4][c].strip() for c in span),
            first_column=start,
        ))
    students: list[CsvRow] = []
    for index, cells in enumerate(rows[CSV_HEADER_ROWS:], start=CSV_HEADER_ROWS + 1):
        if not any(c.strip() for c in cells):
            continue  # blank line, e.g. at the end of the file
        raw_id = cells[0].strip()
        row = CsvRow(raw_id, student_key(raw_id), index, cells)
        extra = [c for c in cells[width:] if c.strip()]
        if not raw_id:
            row.error = f"row {index} has no student id"
        elif not row.student_id:
            row.error, row.reason = f"row {index}: id {raw_id!r}", EMPTY_STUDENT_ID
        elif _is_header_cell(raw_id):
            errors.append(f"row {index}, column 1: {raw_id!r} is a header, not a student "
                          f"(an extra header row?)")
        elif extra:
            row.error = f"row {index} has {len(cells)} cells but the header has {width}"
        students.append(row)
    if errors:
        raise LabFormatError(f"{source}: " + "; ".join(errors))
    return RatingsTable(criteria, students)


# --------------------------------------------------------------------------- writing rubric_ratings.csv


FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_CSV_SPECIAL = re.compile(r'[",\r\n]')


def neutralize_cell(value) -> str:
    """The cell with a leading `'` when it starts with `=`, `+`, `-`, `@`, tab or CR (OWASP's rule
    against spreadsheet formula injection), unless it is a plain number such as `-1`. Idempotent.
    `parse_ratings_csv` strips that quote again, so the toolkit reads back what it wrote."""
    value = "" if value is None else str(value)
    if value and value[0] in FORMULA_TRIGGERS and not _NUMBER.fullmatch(value):
        return "'" + value
    return value


def unneutralize_cell(value: str) -> str:
    """`neutralize_cell` undone: a `'` directly followed by a formula trigger is dropped."""
    if len(value) > 1 and value[0] == "'" and value[1] in FORMULA_TRIGGERS:
        return value[1:]
    return value


def csv_cell(value) -> str:
    """One CSV field as the toolkit writes it: neutralized, then quoted when it holds `,` `"` CR or
    LF or starts with `'` (otherwise exactly as Python's csv module writes it)."""
    text = neutralize_cell(value)
    if _CSV_SPECIAL.search(text) or text.startswith("'"):
        return '"' + text.replace('"', '""') + '"'
    return text


def csv_text(rows: list[list]) -> str:
    """CSV text (`\\n` line ends) with every cell neutralized: every CSV the toolkit writes goes through here."""
    return "".join(",".join(csv_cell(c) for c in row) + "\n" for row in rows)


def _marks(value: float | None) -> str:
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else str(value)


def ratings_csv_header(rubric: list[Criterion]) -> list[list[str]]:
    """The six header rows of rubric_ratings.csv for a rubric (criterion titles, descriptions,
    rating letters, rating descriptions, marks, "Email"), one column per (criterion, rating)."""
    columns = [(c, r) for c in rubric for r in c.ratings]
    return [
        [""] + [c.title for c, _ in columns],
        [""] + [c.description for c, _ in columns],
        [""] + [r.letter for _, r in columns],
        [""] + [r.description for _, r in columns],
        [""] + [_marks(r.marks) for _, r in columns],
        ["Email"] + [""] * len(columns),
    ]


def format_ratings_csv(rubric: list[Criterion], rows: list[tuple[str, dict[str, str | None]]]) -> str:
    """rubric_ratings.csv text: the header from the rubric, then per (raw student id,
    {criterion title: letter or None}) a row with 1 in that rating's column and 0 elsewhere."""
    columns = [(c.title, r.letter) for c in rubric for r in c.ratings]
    body = [[raw_id] + ["1" if chosen.get(title) == letter else "0" for title, letter in columns]
            for raw_id, chosen in rows]
    return csv_text(ratings_csv_header(rubric) + body)


def parse_submission_files(student_id: str, folder_name: str, files: dict[str, bytes]) -> Submission | None:
    """Join a student's source files (path relative to their folder -> bytes) into one text."""
    sources = sorted(name for name in files if os.path.splitext(name)[1].lower() in SOURCE_LANGUAGES)
    if not sources:
        return None
    language = SOURCE_LANGUAGES[os.path.splitext(sources[0])[1].lower()]
    comment = "#" if language == "python" else "//"
    parts, not_utf8, undecodable = [], [], []
    for name in sources:
        why = source_not_text(files[name])
        if why:
            undecodable.append(f"{name} ({why})")
            continue
        text, ok = decode_text(files[name])
        if not ok:
            not_utf8.append(name)
        if len(sources) > 1:
            text = f"{comment} file: {name}\n{text}"
        parts.append(text.rstrip("\n"))
    code = "\n\n".join(parts) + "\n" if parts else ""
    return Submission(student_id, folder_name, code, language, tuple(sources), tuple(not_utf8), tuple(undecodable))


def _same_text(a: str, b: str) -> bool:
    """Equal up to Unicode normalization and runs of whitespace."""
    return " ".join(nfc(a).split()) == " ".join(nfc(b).split())


def _same_marks(csv_marks: str, marks: float | None) -> bool:
    cell = csv_marks.strip()
    if cell.lower() in NULL_CELLS or cell == "-":  # "-" or "nan": no marks
        return marks is None
    try:
        return marks is not None and float(cell) == marks
    except ValueError:
        return False


def rating_differences(csv_criterion: CsvCriterion, criterion: Criterion) -> list[str]:
    """Where rubric_ratings.csv's header and rubrics.json describe a letter differently (its
    description or marks): e.g. the options were reordered in one file, so the TA's column 'A'
    would be trained with the other file's text for 'A' (an inverted label). [] when they agree
    letter by letter; a blank CSV description or mark states nothing and agrees."""
    found = []
    for letter, description, marks in zip(csv_criterion.letters, csv_criterion.descriptions, csv_criterion.marks):
        rating = criterion.rating(letter)
        if description and not _same_text(description, rating.description):
            found.append(f"letter {letter}: description {_echo(description)} in {RATINGS_FILE}, "
                         f"{_echo(rating.description)} in {RUBRIC_FILE}")
        if marks.strip() and not _same_marks(marks, rating.marks):
            found.append(f"letter {letter}: marks {_echo(marks.strip())} in {RATINGS_FILE}, "
                         f"{_marks(rating.marks) or 'none'} in {RUBRIC_FILE}")
    return found


def collect_items(lab: Lab) -> tuple[list[GradedItem], list[Problem]]:
    """Match the CSV with the rubric and the submissions. Every item is returned or reported.

    Items are (student, criterion) for every student row in the CSV and every criterion in
    the union of the CSV's and the rubric's criteria; each becomes a GradedItem or a Problem
    with `criterion` set. Student problems with no CSV row, per-student notices and the lab's
    notices (`Lab.lab_notices`) are returned too, with `criterion` None.
    """
    if lab.ratings is None:
        raise ValueError(f"lab {lab.name!r} was read without {RATINGS_FILE}")
    table = lab.ratings
    rubric = {c.title: c for c in lab.rubric}
    csv_titles = [c.title for c in table.criteria]
    titles = csv_titles + [t for t in rubric if t not in csv_titles]
    criterion_problem: dict[str, tuple[str, str]] = {}
    for c in table.criteria:
        if c.title not in rubric:
            criterion_problem[c.title] = (NOT_IN_RUBRIC, "")
        elif set(c.letters) != set(rubric[c.title].letters):
            ordered = sorted(c.letters, key=rating_sort_key)
            criterion_problem[c.title] = (
                RATINGS_DIFFER, f"{RATINGS_FILE} {','.join(ordered)} vs {RUBRIC_FILE} {','.join(rubric[c.title].letters)}")
        elif len(c.letters) < 2:
            criterion_problem[c.title] = (TOO_FEW_RATINGS, "")
        else:
            differences = rating_differences(c, rubric[c.title])
            if differences:
                criterion_problem[c.title] = (RATINGS_DIFFER, "; ".join(differences))
    rubric_problems = {p.criterion: p for p in lab.rubric_problems if p.criterion is not None}
    for title in titles:
        if title in rubric_problems and title not in rubric:  # a malformed criterion: its own reason
            criterion_problem[title] = (BAD_RUBRIC_CRITERION, rubric_problems[title].detail)
        elif title not in {c.title for c in table.criteria}:
            criterion_problem[title] = (NOT_IN_CSV, "")

    items: list[GradedItem] = []
    problems: list[Problem] = list(lab.lab_notices)
    for p in lab.rubric_problems:  # a malformed criterion the CSV does not rate: reported for the lab
        if p.criterion is None or p.criterion not in csv_titles:
            problems.append(dataclass_replace(p, criterion=None, detail=(
                f"criterion {_echo(p.criterion)}: " if p.criterion is not None else "") + p.detail))
    row_count: dict[str, int] = {}
    for row in table.rows:
        row_count[row.student_id] = row_count.get(row.student_id, 0) + 1
    # The first skip (not a notice) of each student whose folder could not be used.
    folder_problem: dict[str, Problem] = {}
    for p in lab.problems:
        if not is_notice(p) and p.student is not None:
            folder_problem.setdefault(p.student, p)
    csv_criteria = {c.title: c for c in table.criteria}

    for row in table.rows:
        sid = row.student_id
        who = sid or row.raw_id or None
        student_problem = ""
        detail = ""
        if row.error:
            student_problem, detail = row.reason, row.error
        elif row_count[sid] > 1:
            student_problem, detail = DUPLICATE_ROW, f"row {row.row_number}"
        elif sid in folder_problem:
            student_problem, detail = folder_problem[sid].reason, folder_problem[sid].detail
        elif sid not in lab.submissions:
            student_problem = NO_SUBMISSION
        for title in titles:
            if student_problem:
                problems.append(Problem(lab.name, student_problem, who, title, detail))
                continue
            if title in criterion_problem:
                reason, why = criterion_problem[title]
                problems.append(Problem(lab.name, reason, sid, title, why))
                continue
            unclear = table.unclear(row, csv_criteria[title])
            if unclear:
                problems.append(Problem(lab.name, UNCLEAR_CELL, sid, title,
                                        f"row {row.row_number}: {', '.join(unclear)}"))
                continue
            marks = table.marks(row, csv_criteria[title])
            if not marks:
                problems.append(Problem(lab.name, NO_RATING, sid, title, f"row {row.row_number}"))
                continue
            if len(marks) > 1:
                problems.append(Problem(
                    lab.name, SEVERAL_RATINGS, sid, title,
                    f"row {row.row_number}: {', '.join(m.letter for m in marks)}"))
                continue
            submission = lab.submissions[sid]
            items.append(GradedItem(
                lab=lab.name, student_id=sid, statement=lab.statement, code=submission.code,
                language=submission.language, criterion=rubric[title], chosen=marks[0].letter,
                comment=marks[0].comment))

    in_csv = {sid for sid in row_count if sid}
    for sid, submission in sorted(lab.submissions.items()):
        if sid not in in_csv:
            problems.append(Problem(lab.name, NO_CSV_ROW, sid, None, submission.folder_name))
    for p in lab.problems:
        # Notices always pass through; a folder with nothing usable is reported here only
        # when no CSV row exists (otherwise each of that student's items carries the reason).
        if is_notice(p) or p.student not in in_csv:
            problems.append(p)
    return items, problems


# --------------------------------------------------------------------------- I/O


class _Unusable(Exception):
    """A file that cannot be read safely; the message says why (no path)."""


def _refused(shown: Path, why: str) -> LabFormatError:
    """The error for a lab file (statement, rubric, CSV) that exists but cannot be used;
    its `why` attribute says why without the path."""
    error = LabFormatError(f"{shown}: {why}")
    error.why = _text(why)
    return error


def _inside(path: str, root: str) -> bool:
    """Whether the resolved `path` is `root` or below it (both resolved)."""
    try:
        return os.path.commonpath([path, root]) == root
    except ValueError:
        return False


_KINDS = ((stat.S_ISREG, "a file"), (stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a FIFO"),
          (stat.S_ISSOCK, "a socket"), (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"))


def _kind(mode: int) -> str:
    return next((name for test, name in _KINDS if test(mode)), "not a regular file")


def _is_junk(name: str) -> bool:
    """OS and editor junk: hidden names, __MACOSX, Thumbs.db, desktop.ini, backups (*~, #*#)."""
    return (name.startswith(".") or name.lower() in JUNK_NAMES or name.endswith("~")
            or (len(name) > 1 and name.startswith("#") and name.endswith("#")))


def _nonblocking_opener(path, flags):
    return os.open(path, flags | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0))


def _read_regular(path: str, limit: int) -> bytes:
    """Read at most `limit` + 1 bytes of a regular file (one more than the limit shows it is over).

    Never blocks on a FIFO or device: opened non-blocking and not following a final link,
    and checked to be a regular file on the open descriptor before reading.
    """
    try:
        with open(path, "rb", opener=_nonblocking_opener) as f:
            mode = os.fstat(f.fileno()).st_mode
            if not stat.S_ISREG(mode):
                raise _Unusable(f"is {_kind(mode)}, not a regular file")
            return f.read(limit + 1)
    except _Unusable:
        raise
    except OSError as e:
        if e.errno == errno.ELOOP:
            raise _Unusable("is a link (changed while reading)") from None
        raise _Unusable(f"cannot be read: {e.strerror or e}") from None


def _resolve_entry(path: str, root: str) -> tuple[str, os.stat_result]:
    """The real path and stat of `path`, which must stay inside `root` (resolved).

    Raises FileNotFoundError when it does not exist, _Unusable when it is a link that
    leaves `root` (message starting 'link to') or a dangling link.
    """
    st = os.lstat(path)
    if not stat.S_ISLNK(st.st_mode):
        return path, st
    real = os.path.realpath(path)
    if not _inside(real, root):
        raise _Unusable(f"link to {real} leaves the lab folder; not followed")
    try:
        return real, os.stat(real)
    except OSError:
        raise _Unusable(f"dangling link to {real}") from None


def _lab_root(lab_dir: Path) -> str:
    """The resolved lab folder. A lab folder that is a link must resolve inside its parent."""
    lexical = os.path.abspath(lab_dir)
    real = os.path.realpath(lexical)
    if os.path.islink(lexical):
        parent = os.path.realpath(os.path.dirname(lexical))
        if not _inside(real, parent) or real == parent:
            raise LabFormatError(f"{lab_dir}: lab folder is a link to {real}, outside its parent "
                                 f"folder {parent}; refused")
    if not os.path.isdir(real):
        raise LabFormatError(f"{lab_dir}: lab folder not found")
    return real


def _read_lab_file(lab_dir: Path, name: str, limit: int) -> bytes:
    """A file of the lab folder (statement, rubric, CSV): a regular file inside the lab, not over
    `limit` bytes. Raises FileNotFoundError when missing and LabFormatError naming it otherwise."""
    root = _lab_root(lab_dir)
    shown = lab_dir / name
    try:
        real, st = _resolve_entry(os.path.join(root, name), root)
    except _Unusable as e:
        raise _refused(shown, str(e)) from None
    except FileNotFoundError:
        raise
    except OSError as e:
        raise _refused(shown, f"cannot be read: {e.strerror or e}") from None
    if not stat.S_ISREG(st.st_mode):
        raise _refused(shown, f"is {_kind(st.st_mode)}, not a regular file")
    if st.st_size > limit:
        raise _refused(shown, f"{st.st_size} bytes, over the limit of {limit} bytes")
    try:
        data = _read_regular(real, limit)
    except _Unusable as e:
        raise _refused(shown, str(e)) from None
    if len(data) > limit:
        raise _refused(shown, f"over the limit of {limit} bytes")
    return data


def _looks_binary(data: bytes, text: str) -> bool:
    """NUL bytes, or more than a tenth of the characters undecodable or control characters."""
    if b"\x00" in data:
        return True
    bad = sum(1 for ch in text if ch == "\ufffd" or (ord(ch) < 32 and ch not in "\n\t\f\v\x1b"))
    return bad > 0.1 * max(len(text), 1)


def read_statement_file(lab_dir: str | Path, verbose: int = 0, lab_name: str | None = None
                        ) -> tuple[str, str, list[Problem]]:
    """(statement text, file name used, lab notices). See the module docstring for the order.

    Raises LabFormatError, saying why each file was refused, when no statement is usable.
    """
    lab_dir = Path(lab_dir)
    lab_name = lab_name or _text(lab_dir.name)
    group = 1 if verbose else 0
    asked, fallbacks = STATEMENT_FILES[group], STATEMENT_FALLBACKS[group]
    refused: list[str] = []  # "name: why" of files that exist but cannot be used
    for name in asked + fallbacks:
        try:
            data = _read_lab_file(lab_dir, name, MAX_STATEMENT_BYTES)
        except FileNotFoundError:
            continue
        except LabFormatError as e:
            refused.append(f"{name}: {getattr(e, 'why', e)}")
            continue
        text, ok = decode_document(data)
        if not text.strip():
            refused.append(f"{name}: is empty")
            continue
        if _looks_binary(data if unicode_bom(data) is None else text.encode("utf-8"), text):
            refused.append(f"{name}: is binary, not text")
            continue
        notices = []
        if name in fallbacks or refused:
            why = "; ".join(refused) if refused else f"{' and '.join(asked)} missing"
            notices.append(Problem(lab_name, STATEMENT_FALLBACK, None, None, f"used {name}: {why}"))
        if not ok:
            notices.append(Problem(lab_name, STATEMENT_NOT_UTF8, None, None, name))
        return text.strip(), name, notices
    looked = ", ".join(asked + fallbacks)
    why = f": {'; '.join(refused)}" if refused else ""
    raise LabFormatError(f"{lab_dir}: no problem statement (looked for {looked}){why}")


def read_statement(lab_dir: Path, verbose: int = 0) -> str:
    """The statement text (see `read_statement_file`, which also says which file and why)."""
    return read_statement_file(lab_dir, verbose)[0]


def _required_lab_file(lab_dir: Path, name: str, max_bytes: int) -> tuple[Path, str, bool]:
    """(path, text, whether it was valid UTF-8) of a file the lab cannot do without."""
    path = Path(lab_dir) / name
    try:
        data = _read_lab_file(Path(lab_dir), name, max_bytes)
    except FileNotFoundError:
        raise LabFormatError(f"{path}: file not found") from None
    return (path, *decode_document(data))


def read_rubric(lab_dir: Path) -> list[Criterion]:
    path, text, _ = _required_lab_file(lab_dir, RUBRIC_FILE, MAX_RUBRIC_BYTES)
    return parse_rubric(text, str(path))


def read_rubric_criteria(lab_dir: Path, lab_name: str) -> tuple[list[Criterion], list[Problem]]:
    """The sound criteria of rubrics.json and a BAD_RUBRIC_CRITERION problem per malformed one
    (`parse_rubric_criteria`). Raises LabFormatError when the file is unusable or no criterion is sound."""
    path, text, _ = _required_lab_file(lab_dir, RUBRIC_FILE, MAX_RUBRIC_BYTES)
    criteria, problems = parse_rubric_criteria(text, str(path))
    if not criteria:
        raise LabFormatError(f"{path}: no usable criterion" + (f": {_listed([m for _, m in problems])}"
                                                                if problems else " (the list is empty)"))
    return criteria, [Problem(lab_name, BAD_RUBRIC_CRITERION, None, title, f"{RUBRIC_FILE}: {message}")
                      for title, message in problems]


def read_ratings(lab_dir: Path) -> RatingsTable:
    path, text, ok = _required_lab_file(lab_dir, RATINGS_FILE, MAX_CSV_BYTES)
    if not ok:
        raise LabFormatError(f"{path}: not valid UTF-8 (or UTF-16 with a byte-order mark) text")
    if "\x00" in text:
        raise LabFormatError(f"{path}: holds NUL bytes; not a text CSV")
    return parse_ratings_csv(text, str(path))


def _read_student_folder(folder: str, root: str, max_bytes: int
                         ) -> tuple[dict[str, bytes], tuple[str, str] | None]:
    """The source files of one student's folder (resolved path) as {relative path: bytes}, or a
    (reason, detail) that skips the student. Never follows a link out of `root` (the lab)."""
    files: dict[str, bytes] = {}
    stack = [(folder, "")]
    walked = {folder}
    entries = 0
    total = 0
    while stack:
        directory, prefix = stack.pop()
        try:
            with os.scandir(directory) as it:
                names = sorted(e.name for e in it)
        except OSError as e:
            return files, (UNREADABLE_SOURCE, f"{prefix or './'}: folder cannot be listed: {e.strerror or e}")
        for name in names:
            if _is_junk(name):
                continue
            entries += 1
            if entries > MAX_SUBMISSION_ENTRIES:
                return files, (SOURCE_TOO_LARGE, f"more than {MAX_SUBMISSION_ENTRIES} files and folders")
            rel = prefix + _text(name)
            is_source = os.path.splitext(name)[1].lower() in SOURCE_LANGUAGES
            try:
                real, st = _resolve_entry(os.path.join(directory, name), root)
            except _Unusable as e:
                if str(e).startswith("link to"):
                    return files, (LINK_OUTSIDE_LAB, f"{rel}: {e}")
                if is_source:
                    return files, (UNREADABLE_SOURCE, f"{rel}: {e}")
                continue
            except OSError as e:
                if is_source:
                    return files, (UNREADABLE_SOURCE, f"{rel}: cannot be read: {e.strerror or e}")
                continue
            if stat.S_ISDIR(st.st_mode):
                if is_source:
                    return files, (UNREADABLE_SOURCE, f"{rel}: is a folder, not a file")
                real = os.path.realpath(real)
                # A folder reached twice (a link loop) is walked once; a link to a folder that
                # holds this student's folder (the lab, submissions/) is not walked at all.
                if real not in walked and not _inside(folder, real):
                    walked.add(real)
                    stack.append((real, rel + "/"))
                continue
            if not is_source:
                continue  # other files are ignored, never opened
            if not stat.S_ISREG(st.st_mode):
                return files, (UNREADABLE_SOURCE, f"{rel}: is {_kind(st.st_mode)}, not a regular file")
            if total + st.st_size > max_bytes:
                return files, (SOURCE_TOO_LARGE, f"{rel}: sources over the limit of {max_bytes} bytes")
            try:
                data = _read_regular(real, max_bytes - total)
            except _Unusable as e:
                return files, (UNREADABLE_SOURCE, f"{rel}: {e}")
            total += len(data)
            if total > max_bytes:
                return files, (SOURCE_TOO_LARGE, f"{rel}: sources over the limit of {max_bytes} bytes")
            files[rel] = data
    return files, None


def read_submissions(lab_name: str, lab_dir: Path, max_source_bytes: int = MAX_SOURCE_BYTES
                     ) -> tuple[dict[str, Submission], list[Problem]]:
    """Every student's folder under submissions/, and a Problem (student set) per folder not used."""
    lab_dir = Path(lab_dir)
    root = _lab_root(lab_dir)
    shown = lab_dir / SUBMISSIONS_DIR
    try:
        sub_real, st = _resolve_entry(os.path.join(root, SUBMISSIONS_DIR), root)
    except FileNotFoundError:
        raise LabFormatError(f"{shown}: folder not found") from None
    except _Unusable as e:
        raise LabFormatError(f"{shown}: {e}") from None
    if not stat.S_ISDIR(st.st_mode):
        raise LabFormatError(f"{shown}: is {_kind(st.st_mode)}, not a folder")
    sub_real = os.path.realpath(sub_real)
    if sub_real == root:
        raise LabFormatError(f"{shown}: link to the lab folder itself; refused")
    problems: list[Problem] = []
    # student key -> [(folder name, resolved folder or None, (reason, detail) when unusable)]
    by_student: dict[str, list[tuple[str, str | None, tuple[str, str] | None]]] = {}
    try:
        with os.scandir(sub_real) as it:
            names = sorted(e.name for e in it)
    except OSError as e:
        raise LabFormatError(f"{shown}: cannot be listed: {e.strerror or e}") from None
    for raw_name in names:
        if _is_junk(raw_name):
            continue
        name = _text(raw_name)
        try:
            real, st = _resolve_entry(os.path.join(sub_real, raw_name), root)
        except _Unusable as e:
            reason = LINK_OUTSIDE_LAB if str(e).startswith("link to") else UNREADABLE_SOURCE
            entry = (name, None, (reason, f"{name}: {e}"))
        except OSError as e:
            entry = (name, None, (UNREADABLE_SOURCE, f"{name}: {e.strerror or e}"))
        else:
            if not stat.S_ISDIR(st.st_mode):
                continue  # files beside the students' folders are not submissions
            entry = (name, os.path.realpath(real), None)
        sid = student_key(name)
        if not sid:
            problems.append(Problem(lab_name, EMPTY_STUDENT_ID, name, None, f"folder {name!r}"))
            continue
        by_student.setdefault(sid, []).append(entry)
    submissions: dict[str, Submission] = {}
    for sid, folders in by_student.items():
        if len(folders) > 1:
            problems.append(Problem(lab_name, SEVERAL_SUBMISSIONS, sid, None,
                                    ", ".join(f[0] for f in folders)))
            continue
        name, real, unusable = folders[0]
        if unusable is None:
            files, unusable = _read_student_folder(real, root, max_source_bytes)
        if unusable is not None:
            problems.append(Problem(lab_name, unusable[0], sid, None, unusable[1]))
            continue
        submission = parse_submission_files(sid, name, files)
        if submission is None:
            problems.append(Problem(lab_name, NO_SOURCE, sid, None, name))
            continue
        for file_name in submission.not_utf8:
            problems.append(Problem(lab_name, NOT_UTF8, sid, None, file_name))
        if submission.undecodable:  # kept (a grader queues it), but never trained on
            problems.append(Problem(lab_name, UNDECODABLE_SOURCE, sid, None, "; ".join(submission.undecodable)))
        submissions[sid] = submission
    return submissions, problems


def read_lab(lab_dir: str | Path, verbose: int = 0, with_ratings: bool = True,
             max_source_bytes: int = MAX_SOURCE_BYTES) -> Lab:
    """Read one lab folder. Raises LabFormatError (naming the file) when the lab cannot be used.

    `with_ratings=False` reads a lab to be graded: rubric and submissions, no TA ratings needed.
    """
    lab_dir = Path(lab_dir)
    _lab_root(lab_dir)
    name = _text(lab_dir.name)
    statement, statement_file, notices = read_statement_file(lab_dir, verbose, lab_name=name)
    rubric, rubric_problems = read_rubric_criteria(lab_dir, name)
    ratings = read_ratings(lab_dir) if with_ratings else None
    submissions, problems = read_submissions(name, lab_dir, max_source_bytes)
    return Lab(name, lab_dir, statement, rubric, submissions, ratings, problems,
               statement_file=statement_file, lab_notices=notices, rubric_problems=rubric_problems)


def lab_name_problems(lab_dirs: list[Path]) -> dict[Path, str]:
    """Lab folders whose names cannot be used, with why: a name that is not valid UTF-8 (it could
    not be written into reports, pairs or output names as it is; rename the folder), and names that
    differ only in case or Unicode normalization ('Lab1' and 'lab1', 'é' composed or not), which
    name the same output files on many file systems. Check before writing anything."""
    found: dict[Path, str] = {}
    by_key: dict[str, list[Path]] = {}
    for lab_dir in lab_dirs:
        name = lab_dir.name
        if _text(name) != name:
            found[lab_dir] = (f"{BAD_LAB_NAME}: the folder name {_text(name)!r} is not valid UTF-8 "
                              "(rename the folder)")
            continue
        by_key.setdefault(nfc(name).casefold(), []).append(lab_dir)
    for same in by_key.values():
        if len(same) > 1:
            for lab_dir in same:
                others = ", ".join(repr(d.name) for d in same if d != lab_dir)
                found[lab_dir] = (f"{BAD_LAB_NAME}: {lab_dir.name!r} differs from {others} only in case or Unicode "
                                  "normalization, so their outputs would collide (rename one)")
    return found


def list_lab_dirs(parent_dir: str | Path) -> list[Path]:
    """Sub-folders of the parent folder, sorted by name (hidden folders and OS junk ignored).

    A link to a folder is listed (so that `read_lab` refuses it with a reason when it leaves
    the parent folder) but never followed here beyond one stat.
    """
    parent = Path(parent_dir)
    if not parent.is_dir():
        raise FileNotFoundError(f"{parent}: parent folder of labs not found")
    return sorted(p for p in parent.iterdir() if not _is_junk(p.name) and p.is_dir())
