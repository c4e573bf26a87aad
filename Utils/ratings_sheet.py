"""rubric_ratings.csv, the TAs' ratings sheet: parsing it (header shape, what a cell marks),
writing it (every cell neutralized against spreadsheet formula injection), and comparing its
header with rubrics.json (`rating_differences`). No I/O: `Utils.labs.read_ratings` reads the file.
The rules are listed in Utils/labs.py's docstring (CSV shape, Cells).
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass

from Utils.lab_records import (EMPTY_STUDENT_ID, MALFORMED_ROW, RATINGS_FILE, RUBRIC_FILE, Criterion,
                               LabFormatError, echo, nfc, student_key)

CSV_HEADER_ROWS = 6
NO_COMMENT = "no comments"

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
    rows = _read_rows(text, source)
    header, width = _padded_header(rows[:CSV_HEADER_ROWS])
    errors: list[str] = _header_shape_errors(header, width)
    criteria = _csv_criteria(header, width, errors)
    students = _student_rows(rows[CSV_HEADER_ROWS:], width, errors)
    if errors:
        raise LabFormatError(f"{source}: " + "; ".join(errors))
    return RatingsTable(criteria, students)


def _read_rows(text: str, source: str) -> list[list[str]]:
    """The CSV's rows, each "'=..." cell the toolkit wrote read back; LabFormatError for an unreadable CSV or
    too few header rows."""
    try:
        rows = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as e:
        raise LabFormatError(f"{source}: unreadable CSV: {e}") from None
    if len(rows) < CSV_HEADER_ROWS:
        raise LabFormatError(f"{source}: expected {CSV_HEADER_ROWS} header rows, found {len(rows)} rows")
    return [[unneutralize_cell(c) for c in row] for row in rows]


def _padded_header(header: list[list[str]]) -> tuple[list[list[str]], int]:
    """(the header rows padded to one width, the width without trailing columns that have no header at
    all: export artefacts such as a trailing comma, not criteria)."""
    width = max(len(r) for r in header)
    header = [r + [""] * (width - len(r)) for r in header]
    while width > 1 and not any(header[i][width - 1].strip() for i in range(5)):
        width -= 1
    return header, width


def _csv_criteria(header: list[list[str]], width: int, errors: list[str]) -> list[CsvCriterion]:
    """The criteria of the header, each a run of adjacent columns under one title; what is wrong with them
    (no title, columns apart, rating titles blank or repeated) added to `errors`."""
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
    return criteria


def _student_rows(rows: list[list[str]], width: int, errors: list[str]) -> list[CsvRow]:
    """One CsvRow per non-blank row below the header (a row's own problem in its `error`); a repeated
    header row added to `errors`."""
    students: list[CsvRow] = []
    for index, cells in enumerate(rows, start=CSV_HEADER_ROWS + 1):
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
    return students


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
            found.append(f"letter {letter}: description {echo(description)} in {RATINGS_FILE}, "
                         f"{echo(rating.description)} in {RUBRIC_FILE}")
        if marks.strip() and not _same_marks(marks, rating.marks):
            found.append(f"letter {letter}: marks {echo(marks.strip())} in {RATINGS_FILE}, "
                         f"{_marks(rating.marks) or 'none'} in {RUBRIC_FILE}")
    return found
