"""Read lab folders (format: shared/lab-format.md) into plain Python records.

This is the first step of the data's path and the one every later step reads:
the dataset builder, the evaluator and the grader all see labs through
`read_lab`. Parsing functions take text and return records (no I/O); `read_*`
functions do the I/O. Nothing here imports torch.

Nothing read is lost: every (student, criterion) item is either turned into a
`GradedItem` or reported as a `Problem` with its reason, and broken files raise
`LabFormatError` naming the file (and row) so the caller can skip the lab with
a clear message.
"""

from __future__ import annotations

import csv
import io
import json
import os
from dataclasses import dataclass, field
from pathlib import Path

# Source files a student may hand in, mapped to the fence/comment language.
SOURCE_LANGUAGES = {
    ".cpp": "cpp", ".cc": "cpp", ".cxx": "cpp", ".hpp": "cpp", ".h": "cpp",
    ".c": "c", ".py": "python", ".java": "java",
}
STATEMENT_FILES = {0: ("modified_ps.txt",), 1: ("ps.txt", "problemStatement.txt")}
RUBRIC_FILE = "rubrics.json"
RATINGS_FILE = "rubric_ratings.csv"
SUBMISSIONS_DIR = "submissions"
CSV_HEADER_ROWS = 6
NO_COMMENT = "no comments"

# Reasons an item (lab, student, criterion) cannot become training data.
NO_SUBMISSION = "student in CSV has no submission folder"
NO_CSV_ROW = "submission folder has no row in rubric_ratings.csv"
NO_SOURCE = "submission folder has no source file"
SEVERAL_SUBMISSIONS = "several submission folders for this student"
DUPLICATE_ROW = "student has more than one row in rubric_ratings.csv"
MALFORMED_ROW = "malformed row in rubric_ratings.csv"
NO_RATING = "no rating marked"
SEVERAL_RATINGS = "more than one rating marked"
NOT_IN_RUBRIC = "criterion in rubric_ratings.csv missing from rubrics.json"
NOT_IN_CSV = "criterion in rubrics.json missing from rubric_ratings.csv"
RATINGS_DIFFER = "criterion's ratings differ between rubric_ratings.csv and rubrics.json"
TOO_FEW_RATINGS = "criterion has fewer than 2 ratings"
# Reported, but the item is still used.
NOT_UTF8 = "source is not valid UTF-8; decoded with replacement characters"


class LabFormatError(ValueError):
    """A lab file that cannot be read at all. The message names the file and row."""


@dataclass(frozen=True)
class Problem:
    """Something read that could not be used (or, for notices, was used with a caveat)."""

    lab: str
    reason: str
    student: str | None = None
    criterion: str | None = None
    detail: str = ""

    def describe(self) -> str:
        where = "/".join(p for p in (self.lab, self.student, self.criterion) if p)
        return f"{where}: {self.reason}" + (f" ({self.detail})" if self.detail else "")


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
        for r in self.ratings:
            if r.letter == letter:
                return r
        raise KeyError(f"criterion {self.title!r} has no rating {letter!r}")


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


@dataclass
class Submission:
    student_id: str
    folder_name: str
    code: str
    language: str
    files: tuple[str, ...]
    not_utf8: tuple[str, ...] = ()


@dataclass
class Lab:
    name: str
    path: Path
    statement: str
    rubric: list[Criterion]
    submissions: dict[str, Submission]
    ratings: RatingsTable | None = None
    # Problems found while reading (folders with no source, duplicate folders, bad bytes).
    problems: list[Problem] = field(default_factory=list)

    def criterion(self, title: str) -> Criterion:
        for c in self.rubric:
            if c.title == title:
                return c
        raise KeyError(f"lab {self.name!r} has no criterion {title!r}")


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


def student_key(raw_id: str) -> str:
    """Students are matched by the part of the id before '@', on both sides."""
    return raw_id.strip().split("@", 1)[0].strip()


def decode_text(data: bytes) -> tuple[str, bool]:
    """Decode bytes as UTF-8 (BOM dropped, line ends normalised). Returns (text, was_valid_utf8)."""
    try:
        text, ok = data.decode("utf-8-sig"), True
    except UnicodeDecodeError:
        text, ok = data.decode("utf-8-sig", errors="replace"), False
    return text.replace("\r\n", "\n").replace("\r", "\n"), ok


# --------------------------------------------------------------------------- parsing (no I/O)


def parse_rubric(text: str, source: str = RUBRIC_FILE) -> list[Criterion]:
    """Parse rubrics.json. Collects every problem in the file and raises them at once."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as e:
        raise LabFormatError(f"{source}: invalid JSON at line {e.lineno} column {e.colno}: {e.msg}") from None
    if not isinstance(data, list):
        raise LabFormatError(f"{source}: expected a JSON list of criteria, found {type(data).__name__}")
    errors: list[str] = []
    criteria: list[Criterion] = []
    seen_titles: set[str] = set()
    for index, entry in enumerate(data):
        where = f"criterion {index}"
        if not isinstance(entry, dict):
            errors.append(f"{where}: expected an object, found {type(entry).__name__}")
            continue
        title = str(entry.get("title") or "").strip()
        if not title:
            errors.append(f"{where}: missing 'title'")
            continue
        where = f"criterion {index} ({title!r})"
        if title in seen_titles:
            errors.append(f"{where}: title appears more than once")
        seen_titles.add(title)
        raw_ratings = entry.get("Ratings", entry.get("ratings"))
        if not isinstance(raw_ratings, list) or not raw_ratings:
            errors.append(f"{where}: missing or empty 'Ratings' list")
            continue
        ratings: list[Rating] = []
        for r_index, raw in enumerate(raw_ratings):
            if not isinstance(raw, dict):
                errors.append(f"{where}: rating {r_index} is not an object")
                continue
            letter = str(raw.get("title") or "").strip()
            description = raw.get("description")
            if not letter:
                errors.append(f"{where}: rating {r_index} has no 'title'")
                continue
            if not isinstance(description, str) or not description.strip():
                errors.append(f"{where}: rating {letter!r} has no 'description'")
                continue
            marks = raw.get("marks")
            try:
                marks = float(marks) if marks not in (None, "") else None
            except (TypeError, ValueError):
                errors.append(f"{where}: rating {letter!r} has non-numeric 'marks' {marks!r}")
                continue
            ratings.append(Rating(letter, description.strip(), marks))
        letters = [r.letter for r in ratings]
        duplicates = sorted({x for x in letters if letters.count(x) > 1})
        if duplicates:
            errors.append(f"{where}: rating titles repeated: {', '.join(duplicates)}")
            continue
        description = str(entry.get("description") or "").strip() or title
        criteria.append(Criterion(title, description, tuple(sorted(ratings, key=lambda r: r.letter))))
    if errors:
        raise LabFormatError(f"{source}: " + "; ".join(errors))
    return criteria


def _read_cell(cell: str, letter: str) -> Mark | None:
    """`1` marks a rating; `0` or blank does not; any other text marks it and is the TA's comment
    (as the older tooling read it), except `No Comments`, which marks it with no comment."""
    if cell in ("", "0"):
        return None
    try:
        number = float(cell)
    except ValueError:
        return Mark(letter, None if cell.lower() == NO_COMMENT else cell)
    if number == 0:
        return None
    return Mark(letter)


def parse_ratings_csv(text: str, source: str = RATINGS_FILE) -> RatingsTable:
    """Parse rubric_ratings.csv: six header rows, then one row per student."""
    try:
        rows = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as e:
        raise LabFormatError(f"{source}: unreadable CSV: {e}") from None
    if len(rows) < CSV_HEADER_ROWS:
        raise LabFormatError(f"{source}: expected {CSV_HEADER_ROWS} header rows, found {len(rows)} rows")
    header = rows[:CSV_HEADER_ROWS]
    width = max(len(r) for r in header)
    header = [r + [""] * (width - len(r)) for r in header]
    # Trailing columns with no header at all are export artefacts (a trailing comma), not criteria.
    while width > 1 and not any(header[i][width - 1].strip() for i in range(5)):
        width -= 1
    errors: list[str] = []
    criteria: list[CsvCriterion] = []
    seen: set[str] = set()
    column = 1
    while column < width:
        title = header[0][column].strip()
        if not title:
            errors.append(f"row 1, column {column + 1}: rating column with no criterion title")
            column += 1
            continue
        start = column
        while column < width and header[0][column].strip() == title:
            column += 1
        if title in seen:
            errors.append(f"row 1: the columns of criterion {title!r} are not adjacent")
            continue
        seen.add(title)
        span = range(start, column)
        letters = tuple(header[2][c].strip() for c in span)
        blank = [c + 1 for c in span if not header[2][c].strip()]
        if blank:
            errors.append(f"row 3, column(s) {blank}: criterion {title!r} has a rating with no title")
        if len(set(letters)) != len(letters):
            errors.append(f"row 3: criterion {title!r} repeats a rating title: {', '.join(letters)}")
        criteria.append(CsvCriterion(
            title=title,
            description=header[1][start].strip(),
            letters=letters,
            descriptions=tuple(header[3][c].strip() for c in span),
            marks=tuple(header[4][c].strip() for c in span),
            first_column=start,
        ))
    if errors:
        raise LabFormatError(f"{source}: " + "; ".join(errors))
    students: list[CsvRow] = []
    for index, cells in enumerate(rows[CSV_HEADER_ROWS:], start=CSV_HEADER_ROWS + 1):
        if not any(c.strip() for c in cells):
            continue  # blank line, e.g. at the end of the file
        raw_id = cells[0].strip()
        row = CsvRow(raw_id, student_key(raw_id), index, cells)
        extra = [c for c in cells[width:] if c.strip()]
        if not raw_id:
            row.error = f"row {index} has no student id"
        elif extra:
            row.error = f"row {index} has {len(cells)} cells but the header has {width}"
        students.append(row)
    return RatingsTable(criteria, students)


def parse_submission_files(student_id: str, folder_name: str, files: dict[str, bytes]) -> Submission | None:
    """Join a student's source files (path relative to their folder -> bytes) into one text."""
    sources = sorted(name for name in files if os.path.splitext(name)[1].lower() in SOURCE_LANGUAGES)
    if not sources:
        return None
    language = SOURCE_LANGUAGES[os.path.splitext(sources[0])[1].lower()]
    comment = "#" if language == "python" else "//"
    parts, not_utf8 = [], []
    for name in sources:
        text, ok = decode_text(files[name])
        if not ok:
            not_utf8.append(name)
        if len(sources) > 1:
            text = f"{comment} file: {name}\n{text}"
        parts.append(text.rstrip("\n"))
    return Submission(student_id, folder_name, "\n\n".join(parts) + "\n", language, tuple(sources), tuple(not_utf8))


def collect_items(lab: Lab) -> tuple[list[GradedItem], list[Problem]]:
    """Match the CSV with the rubric and the submissions. Every item is returned or reported.

    Items are (student, criterion) for every student row in the CSV and every criterion in
    the union of the CSV's and the rubric's criteria.
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
        elif sorted(c.letters) != list(rubric[c.title].letters):
            criterion_problem[c.title] = (
                RATINGS_DIFFER, f"CSV {','.join(sorted(c.letters))} vs JSON {','.join(rubric[c.title].letters)}")
        elif len(c.letters) < 2:
            criterion_problem[c.title] = (TOO_FEW_RATINGS, "")
    for title in titles:
        if title not in {c.title for c in table.criteria}:
            criterion_problem[title] = (NOT_IN_CSV, "")

    items: list[GradedItem] = []
    problems: list[Problem] = []
    row_count: dict[str, int] = {}
    for row in table.rows:
        row_count[row.student_id] = row_count.get(row.student_id, 0) + 1
    bad_folders = {p.student for p in lab.problems if p.reason in (NO_SOURCE, SEVERAL_SUBMISSIONS)}
    csv_criteria = {c.title: c for c in table.criteria}

    for row in table.rows:
        sid = row.student_id
        student_problem = ""
        detail = ""
        if row.error:
            student_problem, detail = MALFORMED_ROW, row.error
        elif row_count[sid] > 1:
            student_problem, detail = DUPLICATE_ROW, f"row {row.row_number}"
        elif sid in bad_folders:
            student_problem = next(p.reason for p in lab.problems if p.student == sid)
        elif sid not in lab.submissions:
            student_problem = NO_SUBMISSION
        for title in titles:
            if student_problem:
                problems.append(Problem(lab.name, student_problem, sid, title, detail))
                continue
            if title in criterion_problem:
                reason, why = criterion_problem[title]
                problems.append(Problem(lab.name, reason, sid, title, why))
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

    in_csv = set(row_count)
    for sid, submission in sorted(lab.submissions.items()):
        if sid not in in_csv:
            problems.append(Problem(lab.name, NO_CSV_ROW, sid, None, submission.folder_name))
    for p in lab.problems:
        # Encoding notices always pass through; a folder with nothing usable is reported here only
        # when no CSV row exists (otherwise each of that student's items carries the reason).
        if p.reason == NOT_UTF8 or p.student not in in_csv:
            problems.append(p)
    return items, problems


# --------------------------------------------------------------------------- I/O


def read_statement(lab_dir: Path, verbose: int = 0) -> str:
    names = STATEMENT_FILES[1 if verbose else 0]
    for name in names:
        path = lab_dir / name
        if path.is_file():
            text, _ = decode_text(path.read_bytes())
            if not text.strip():
                raise LabFormatError(f"{path}: problem statement is empty")
            return text.strip()
    raise LabFormatError(f"{lab_dir}: no problem statement ({' or '.join(names)})")


def read_rubric(lab_dir: Path) -> list[Criterion]:
    path = lab_dir / RUBRIC_FILE
    if not path.is_file():
        raise LabFormatError(f"{path}: file not found")
    text, _ = decode_text(path.read_bytes())
    return parse_rubric(text, str(path))


def read_ratings(lab_dir: Path) -> RatingsTable:
    path = lab_dir / RATINGS_FILE
    if not path.is_file():
        raise LabFormatError(f"{path}: file not found")
    text, ok = decode_text(path.read_bytes())
    if not ok:
        raise LabFormatError(f"{path}: not valid UTF-8 text")
    return parse_ratings_csv(text, str(path))


def read_submissions(lab_name: str, lab_dir: Path) -> tuple[dict[str, Submission], list[Problem]]:
    root = lab_dir / SUBMISSIONS_DIR
    if not root.is_dir():
        raise LabFormatError(f"{root}: folder not found")
    by_student: dict[str, list[Path]] = {}
    for folder in sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith(".")):
        by_student.setdefault(student_key(folder.name), []).append(folder)
    submissions: dict[str, Submission] = {}
    problems: list[Problem] = []
    for sid, folders in by_student.items():
        if len(folders) > 1:
            problems.append(Problem(lab_name, SEVERAL_SUBMISSIONS, sid, None,
                                    ", ".join(f.name for f in folders)))
            continue
        folder = folders[0]
        files = {}
        for root_dir, _, names in os.walk(folder):
            for name in names:
                if os.path.splitext(name)[1].lower() in SOURCE_LANGUAGES:
                    path = os.path.join(root_dir, name)
                    with open(path, "rb") as f:
                        files[os.path.relpath(path, folder).replace(os.sep, "/")] = f.read()
        submission = parse_submission_files(sid, folder.name, files)
        if submission is None:
            problems.append(Problem(lab_name, NO_SOURCE, sid, None, folder.name))
            continue
        for name in submission.not_utf8:
            problems.append(Problem(lab_name, NOT_UTF8, sid, None, name))
        submissions[sid] = submission
    return submissions, problems


def read_lab(lab_dir: str | Path, verbose: int = 0, with_ratings: bool = True) -> Lab:
    """Read one lab folder. Raises LabFormatError (naming the file) when the lab cannot be used.

    `with_ratings=False` reads a lab to be graded: rubric and submissions, no TA ratings needed.
    """
    lab_dir = Path(lab_dir)
    statement = read_statement(lab_dir, verbose)
    rubric = read_rubric(lab_dir)
    ratings = read_ratings(lab_dir) if with_ratings else None
    submissions, problems = read_submissions(lab_dir.name, lab_dir)
    return Lab(lab_dir.name, lab_dir, statement, rubric, submissions, ratings, problems)


def list_lab_dirs(parent_dir: str | Path) -> list[Path]:
    """Sub-folders of the parent folder, sorted by name (hidden folders ignored)."""
    parent = Path(parent_dir)
    if not parent.is_dir():
        raise FileNotFoundError(f"{parent}: parent folder of labs not found")
    return sorted(p for p in parent.iterdir() if p.is_dir() and not p.name.startswith("."))
