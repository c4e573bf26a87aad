"""Gradebook files an LMS imports: plain, Canvas and Moodle CSVs of the marks that were decided.

A gradebook holds only decided marks: what a TA decided on the review page, or what a calibrated
threshold auto-accepted at grading time (`Utils.grading`). An item still awaiting a TA has no
marks, and a student with any such item has no total. Students are identified by their
submission folder name (`<id>@<domain>` in the lab format), or by the matching row of a roster.

Formats (`--gradebook`):

- `plain`: id, Total, one column per criterion and a Status column saying where the marks come
  from. Every graded student has a row (blank total when undecided). For people, not for an
  import: in Canvas every extra column would become an assignment.
- `canvas`: what Canvas's gradebook importer requires (instructure/canvas-lms,
  app/models/gradebook_importer.rb, `GradebookImporter#header?` and `#update_column_count`): the
  header's first cell matches /Student/, the second /ID/; with "SIS User ID" third and "SIS Login
  ID" fourth the fifth must match /Section/ (the importer raises InvalidHeaderRow otherwise).
  Every later column is an assignment, matched by "Title (id)" or exact title, else created
  (`#parse_assignments`), so the file has exactly ONE assignment column, named by the user. A
  row whose first cell matches /Points Possible/ sets the assignments' points
  (`#check_for_non_student_row`, `#process_pp`). Students are matched by Canvas ID (second
  column), else SIS User ID, else SIS Login ID, else by name (`#process_student`); an unmatched
  row is a "missing student" the teacher must resolve. Rows are written only for students with a
  decided total: an empty cell would read as a change wherever Canvas already holds a grade.
- `moodle`: what Moodle's CSV grade import reads (moodle/moodle,
  grade/import/csv/classes/load_data.php): a header row of column names; the teacher maps one
  column to a user field (id, idnumber, email or username: `map_user_data_with_value`) and the
  grade column to a grade item (or a new one named by the header). A line with one cell or less
  is skipped, and one identifier Moodle cannot find aborts the whole import
  (`usermappingerrorusernotfound`), so the file has two columns (identifier, grade), only
  students with a decided total, and, given a roster, only students the roster knows.

A roster (`--roster`, e.g. the LMS's own gradebook export) is a CSV whose header names the
identifier column; graded students are looked up in it by folder name or by the id before '@'
(case-insensitive, NFC). Students it does not know are listed (console, grade_summary.json), not
silently dropped, and left out of the Canvas and Moodle files; with a Canvas export as roster
the Student, ID, SIS and Section cells are copied from it, so Canvas matches by its own ID.
"""

from __future__ import annotations

import csv
import io
import math
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from Utils.files import foreign
from Utils.ratings_sheet import csv_text
from Utils.safe_read import decode_document, read_named_file

FORMATS = ("plain", "canvas", "moodle")
CANVAS_STUDENT_COLUMNS = ("Student", "ID", "SIS User ID", "SIS Login ID", "Section")
CANVAS_ID_COLUMNS = ("SIS Login ID", "SIS User ID")  # where our identifier can go (ID is Canvas's own number)
POINTS_POSSIBLE = "Points Possible"
DEFAULT_ID_HEADER = {"plain": "Student ID", "canvas": "SIS Login ID", "moodle": "Email address"}
FILE_PART = {"plain": "gradebook", "canvas": "canvas_gradebook", "moodle": "moodle_gradebook"}
MAX_ROSTER_BYTES = 32 * 1024 * 1024


class RosterError(ValueError):
    """A roster that cannot be used; the message names the file (and row)."""


@dataclass
class StudentMarks:
    """One graded (or not gradable) student: per criterion the decided marks (None: undecided)."""

    raw_id: str  # the submission folder name: the id an LMS knows
    student_id: str
    marks: list[float | None]
    status: str  # where the marks come from, or why there is no total
    graded: bool = True

    @property
    def total(self) -> float | None:
        if not self.graded or any(m is None for m in self.marks):
            return None
        return sum(self.marks)


@dataclass
class Roster:
    path: Path
    header: list[str]
    id_column: int
    rows: dict[str, list[str]]  # normalized identifier -> roster row
    n_students: int

    def find(self, raw_id: str, student_id: str) -> list[str] | None:
        return self.rows.get(_key(raw_id)) or self.rows.get(_key(student_id))


@dataclass
class Gradebook:
    text: str
    with_total: int = 0  # students written with a total
    without_total: list[str] = field(default_factory=list)  # graded students awaiting a TA
    unknown_to_roster: list[str] = field(default_factory=list)
    roster_without_submission: int = 0


def _key(value: str) -> str:
    return unicodedata.normalize("NFC", str(value)).strip().casefold()


def format_marks(x: float) -> str:
    """Marks as the review page writes them: rounded to 6 decimals, integers without `.0`."""
    r = round(x, 6)
    return str(int(r)) if float(r).is_integer() else repr(r)


def gradebook_suffix(fmt: str, decided_by: str) -> str:
    """`_<format>_<decided_by>.csv`, e.g. `_canvas_gradebook_auto_accepted.csv`: the name says what
    decided the marks in it (grade.py: `auto_accepted`; the review page: the TA)."""
    return f"_{FILE_PART[fmt]}_{decided_by}.csv"


def check_gradebook_flags(fmt: str, id_header: str | None, assignment: str | None) -> str:
    """The id column's header for `fmt` (its default when None); raises ValueError naming the flag."""
    if fmt not in FORMATS:
        raise ValueError(f"--gradebook must be one of {', '.join(FORMATS)}, got {fmt!r}")
    header = DEFAULT_ID_HEADER[fmt] if id_header is None else id_header
    if not header.strip():
        raise ValueError("--gradebook_id_header must not be empty")
    if fmt == "canvas" and header not in CANVAS_ID_COLUMNS:
        raise ValueError(f"--gradebook_id_header {header!r}: with --gradebook canvas the folder name goes into "
                         f"{' or '.join(repr(c) for c in CANVAS_ID_COLUMNS)} (Canvas's importer matches students by "
                         "its own ID, then SIS User ID, then SIS Login ID, then name)")
    if assignment is not None and (not assignment.strip() or re.search(r"[\r\n]", assignment)):
        raise ValueError("--gradebook_assignment must be a non-empty name on one line")
    if fmt == "canvas" and assignment is not None and re.search(
            r"Current Score|Current Points|Current Grade|Final Score|Final Points|Final Grade|Points Possible",
            assignment):
        raise ValueError(f"--gradebook_assignment {assignment!r}: Canvas drops or misreads a column with this name")
    return header


def read_roster(path: str | Path, id_header: str) -> Roster:
    """A roster CSV whose header row has a column named `id_header` (case-insensitive). Canvas
    exports hold a "Points Possible" row and "Student, Test": both are skipped."""
    path = Path(path)
    raw = read_named_file(path, MAX_ROSTER_BYTES, f"--roster {path}", RosterError)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise RosterError(f"--roster {path}: not UTF-8 text (byte {e.start}); save it as CSV UTF-8") from None
    try:
        table = [row for row in csv.reader(io.StringIO(text, newline="")) if any(c.strip() for c in row)]
    except csv.Error as e:
        raise RosterError(f"--roster {path}: not a CSV file ({e})") from None
    if not table:
        raise RosterError(f"--roster {path}: empty")
    header = [c.strip() for c in table[0]]
    wanted = [i for i, c in enumerate(header) if c.casefold() == id_header.strip().casefold()]
    if not wanted:
        raise RosterError(f"--roster {path}: its header row has no column {id_header!r} (the id column named by "
                          f"--gradebook_id_header); it has: {', '.join(repr(c) for c in header[:12])}")
    column = wanted[0]
    rows: dict[str, list[str]] = {}
    n = 0
    for number, row in enumerate(table[1:], start=2):
        if row and re.search(POINTS_POSSIBLE, row[0]):
            continue
        value = row[column].strip() if column < len(row) else ""
        if not value:
            continue
        n += 1
        if _key(value) in rows:
            raise RosterError(f"--roster {path}: row {number}: {id_header} {value!r} appears twice")
        rows[_key(value)] = row + [""] * (len(header) - len(row))
    return Roster(path, header, column, rows, n)


def build_gradebook(fmt: str, students: list[StudentMarks], criteria: list[tuple[str, float | None]], *,
                    id_header: str, assignment: str, points_possible: bool = False,
                    roster: Roster | None = None) -> Gradebook:
    """The gradebook text in `fmt` and what it left out. `criteria` is (title, highest marks)."""
    book = Gradebook("")
    known: set[str] = set()
    rows: list[list[str]] = []
    for s in sorted(students, key=lambda s: s.raw_id):
        roster_row = roster.find(s.raw_id, s.student_id) if roster else None
        if roster and roster_row is None:
            book.unknown_to_roster.append(s.raw_id)
        elif roster_row is not None:
            known.add(_key(roster_row[roster.id_column]))
        total = s.total
        if s.graded and total is None:
            book.without_total.append(s.raw_id)
        if fmt == "plain":
            rows.append([s.raw_id, format_marks(total) if total is not None else ""]
                        + [format_marks(m) if m is not None else "" for m in s.marks] + [s.status])
            book.with_total += total is not None
            continue
        if total is None or (roster and roster_row is None):
            continue  # never imported: an empty grade or an unknown id is a change or an abort in the LMS
        book.with_total += 1
        if fmt == "canvas":
            cells = {c: "" for c in CANVAS_STUDENT_COLUMNS}
            cells["Student"] = s.student_id
            cells[id_header] = s.raw_id
            if roster_row is not None:  # the LMS's own cells: Canvas matches its ID first
                for c in CANVAS_STUDENT_COLUMNS:
                    if c in roster.header:
                        cells[c] = roster_row[roster.header.index(c)].strip()
            rows.append([cells[c] for c in CANVAS_STUDENT_COLUMNS] + [format_marks(total)])
        else:
            ident = roster_row[roster.id_column].strip() if roster_row is not None else s.raw_id
            rows.append([ident, format_marks(total)])
    if roster:
        book.roster_without_submission = roster.n_students - len(known)
    highest = [m for _, m in criteria]
    possible = sum(highest) if all(m is not None for m in highest) else None
    if fmt == "plain":
        book.text = csv_text([[id_header, "Total"] + [t for t, _ in criteria] + ["Status"]] + rows)
        return book
    if fmt == "canvas":
        header = list(CANVAS_STUDENT_COLUMNS) + [assignment]
        head = [header]
        if points_possible and possible is not None:
            head.append([POINTS_POSSIBLE, "", "", "", "", format_marks(possible)])
    else:
        head = [[id_header, assignment]]
    book.text = csv_text(head + rows)  # every cell neutralized against spreadsheet formulas
    return book


def rubric_criteria(rubric) -> list[tuple[str, float | None]]:
    """(title, highest marks) of each criterion of a lab's rubric, as `build_gradebook` takes them."""
    from Utils.files import finite

    return [(c.title, highest_marks([finite(r.marks) for r in c.ratings])) for c in rubric]


def highest_marks(ratings_marks: list[float | None]) -> float | None:
    finite = [m for m in ratings_marks if m is not None and math.isfinite(m)]
    return max(finite) if finite and len(finite) == len(ratings_marks) else None


# --------------------------------------------------------------------------- from the TA's final ratings

TA_REVIEWED = "ta_reviewed"  # the file name's word for marks a TA decided on the review page
MAX_FINAL_CSV_BYTES = 64 * 1024 * 1024


def marks_from_final_ratings(table, rubric, source: str) -> tuple[list[StudentMarks], list[str]]:
    """Each row of a final ratings CSV (the review page's `<lab>_final_ratings.csv`, the rubric_ratings.csv
    layout, a `Utils.ratings_sheet.RatingsTable`) as the marks of the rating marked for each criterion of
    `rubric` (the lab's `Criterion` list): None where no rating, or more than one, is marked, so that
    student gets no total. Returns the students and the problems, each naming the file and row."""
    from Utils.files import finite
    from Utils.lab_records import nfc

    def key(title: str) -> str:
        return nfc(title).strip().casefold()

    in_csv = {key(c.title): c for c in table.criteria}
    problems = [f"{source}: no columns for criterion {c.title!r} of the rubric: its marks stay undecided"
                for c in rubric if key(c.title) not in in_csv]
    in_rubric = {key(c.title) for c in rubric}
    extra = [c.title for c in table.criteria if key(c.title) not in in_rubric]
    if extra:
        problems.append(f"{source}: criteria not in the lab's rubric, left out: {', '.join(map(repr, extra))}")
    students = []
    for row in table.rows:
        if row.error:
            problems.append(f"{source} row {row.row_number}: {row.error}")
            continue
        marks = []
        for criterion in rubric:
            column = in_csv.get(key(criterion.title))
            chosen = table.marks(row, column) if column is not None else []
            rating = next((r for r in criterion.ratings if len(chosen) == 1 and r.letter == chosen[0].letter), None)
            if len(chosen) > 1:
                problems.append(f"{source} row {row.row_number} ({row.raw_id}): {criterion.title!r} has "
                                f"{len(chosen)} ratings marked: none taken")
            elif chosen and rating is None:
                problems.append(f"{source} row {row.row_number} ({row.raw_id}): {criterion.title!r} marks rating "
                                f"{chosen[0].letter!r}, which the rubric does not have: none taken")
            marks.append(finite(rating.marks) if rating is not None else None)
        waiting = sum(m is None for m in marks)
        status = f"{waiting} of {len(marks)} items undecided: no total" if waiting else "decided by a TA"
        students.append(StudentMarks(row.raw_id, row.student_id, marks, status))
    return students, problems


def read_final_ratings(path: Path):
    """A final ratings CSV (at most MAX_FINAL_CSV_BYTES, UTF-8 or UTF-16 with a BOM) as a RatingsTable;
    ValueError naming the file."""
    from Utils.ratings_sheet import parse_ratings_csv

    data = read_named_file(path, MAX_FINAL_CSV_BYTES, f"--final_ratings {path}")
    text, ok = decode_document(data)
    if not ok or "\x00" in text:
        raise ValueError(f"--final_ratings {path}: not UTF-8 text")
    return parse_ratings_csv(text, str(path))


def is_gradebook_file(path: Path, fmt: str) -> bool:
    """Whether `path` holds a gradebook in `fmt` as `build_gradebook` writes it: the header row (Canvas:
    its five student columns and one assignment; Moodle: identifier and grade; plain: id, Total, the
    criteria, Status) and every row as wide as it. Anything else is a file this command did not make."""
    try:
        text = read_named_file(path, MAX_FINAL_CSV_BYTES, str(path)).decode("utf-8")
        rows = list(csv.reader(io.StringIO(text, newline="")))
    except (ValueError, csv.Error):  # unreadable, too big, not UTF-8, not CSV
        return False
    if not rows or any(len(row) != len(rows[0]) for row in rows):
        return False
    header = rows[0]
    if fmt == "canvas":
        return len(header) == len(CANVAS_STUDENT_COLUMNS) + 1 and tuple(header[:5]) == CANVAS_STUDENT_COLUMNS
    if fmt == "moodle":
        return len(header) == 2
    return len(header) >= 3 and header[1] == "Total" and header[-1] == "Status"


def check_replaceable(out: Path, fmt: str, overwrite: bool) -> None:
    """`out` may be written: it does not exist, or it is a gradebook this command wrote and `overwrite`
    is set. A file of any other kind at that name is never replaced, even with --overwrite."""
    if foreign(out, lambda path: is_gradebook_file(path, fmt)):
        raise ValueError(f"{out} exists and is not a {fmt} gradebook this command wrote; it is never replaced, "
                         "even with --overwrite: move it away or choose another --output_dir")
    if out.exists() and not overwrite:
        raise ValueError(f"{out} exists; pass --overwrite to replace it, or choose another --output_dir")


def _parser():
    import argparse

    parser = argparse.ArgumentParser(description=(
        "Write the gradebook file an LMS imports (Canvas, Moodle or plain) from the final ratings a TA downloaded "
        "from the review page (<lab>_final_ratings.csv): the marks the TA decided, a total only for students "
        "with every criterion decided."))
    parser.add_argument("--lab_dir", required=True, help="the lab folder that was graded (its rubric gives the marks)")
    parser.add_argument("--final_ratings", required=True, help="the <lab>_final_ratings.csv the review page saved")
    parser.add_argument("--gradebook", default="canvas", choices=FORMATS, help="the LMS layout (default canvas)")
    parser.add_argument("--gradebook_id_header", default=None,
                        help=f"the id column's name (default: {', '.join(f'{k}: {v}' for k, v in DEFAULT_ID_HEADER.items())})")
    parser.add_argument("--gradebook_assignment", default=None, help="the assignment column's name (default: the lab's)")
    parser.add_argument("--gradebook_points_possible", action="store_true",
                        help="Canvas: add the Points Possible row (the rubric's highest total)")
    parser.add_argument("--roster", default=None, help="the course's roster CSV (e.g. the LMS's gradebook export)")
    parser.add_argument("--output_dir", default=None, help="default: the folder of --final_ratings")
    parser.add_argument("--overwrite", action="store_true",
                        help="replace this command's earlier file of the same name (never a file of another layout)")
    return parser


def main(argv: list[str] | None = None) -> int:
    """python -m Utils.gradebooks: the LMS gradebook of a lab from the TA's final ratings (the review page's download)."""
    import sys

    from Utils.cli import fail
    from Utils.files import output_path, write_text_atomic
    from Utils.labs import read_rubric

    args = _parser().parse_args(argv)
    try:
        id_header = check_gradebook_flags(args.gradebook, args.gradebook_id_header, args.gradebook_assignment)
        roster = read_roster(args.roster, id_header) if args.roster else None
        lab_dir = Path(args.lab_dir)
        rubric = read_rubric(lab_dir)
        source = Path(args.final_ratings)
        students, problems = marks_from_final_ratings(read_final_ratings(source), rubric, str(source))
        lab_name = lab_dir.resolve().name
        book = build_gradebook(args.gradebook, students, rubric_criteria(rubric), id_header=id_header,
                               assignment=args.gradebook_assignment or lab_name,
                               points_possible=args.gradebook_points_possible, roster=roster)
        out_dir = Path(args.output_dir) if args.output_dir else source.resolve().parent
        out = output_path(out_dir, lab_name, gradebook_suffix(args.gradebook, TA_REVIEWED))
        check_replaceable(out, args.gradebook, args.overwrite)
        write_text_atomic(book.text, out)
    except (ValueError, OSError) as e:  # LabFormatError, RosterError and the CSV's format errors are ValueErrors
        return fail(str(e))
    for problem in problems:
        print(f"note: {problem}", file=sys.stderr)
    print(f"{out}: {book.with_total} of {len(students)} students with a total"
          + (f"; {len(book.without_total)} await a TA (no total)" if book.without_total else "")
          + (f"; {len(book.unknown_to_roster)} unknown to the roster, left out: {', '.join(book.unknown_to_roster[:10])}"
             if book.unknown_to_roster else ""))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
