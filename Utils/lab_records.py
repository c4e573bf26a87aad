"""The records a lab folder is read into (Utils/labs.py reads it), and the reasons an item is
skipped or used with a notice: plain data, no I/O. Format: docs/lab-format.md."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

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

# Echoes of rubric values in messages are cut to this many characters (a 4 MB title prints one line).
ECHO_LIMIT = 60


def echo(value) -> str:
    """`repr(value)`, cut to ECHO_LIMIT characters, for a message about user input."""
    text = repr(value)
    return text if len(text) <= ECHO_LIMIT else f"{text[:ECHO_LIMIT]}... ({len(text)} characters)"


def writable_text(value: str) -> str:
    """`value` writable as UTF-8: surrogates (file-name bytes that are not UTF-8) become U+FFFD."""
    try:
        value.encode("utf-8")
        return value
    except UnicodeEncodeError:
        try:
            return value.encode("utf-8", errors="surrogateescape").decode("utf-8", errors="replace")
        except UnicodeEncodeError:
            return value.encode("utf-8", errors="replace").decode("utf-8")



class LabFormatError(ValueError):
    """A lab file that cannot be read at all. The message names the file and row."""

    def __init__(self, message: str = ""):
        super().__init__(writable_text(str(message)))


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
                object.__setattr__(self, name, writable_text(value))

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
        return find_one(self.ratings, lambda r: r.letter == letter, f"criterion {self.title!r} has no rating {letter!r}")


def find_one(items, matches, message: str):
    """The first of `items` that `matches`; KeyError(message) when there is none."""
    for item in items:
        if matches(item):
            return item
    raise KeyError(message)


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
