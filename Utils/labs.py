"""Read lab folders (format: docs/lab-format.md) into plain Python records, and match each
student's ratings with their submission (`collect_items`).

The jobs are split by module: `Utils.lab_records` (the records and the reason constants),
`Utils.rubric` (rubrics.json), `Utils.ratings_sheet` (rubric_ratings.csv: reading, writing,
formula neutralizing), `Utils.safe_read` (no-follow, non-blocking reading of regular files inside
the lab, and decoding); this module reads a lab folder with them.

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

import os
import stat
from dataclasses import dataclass, field
from dataclasses import replace as dataclass_replace
from pathlib import Path

from Utils.lab_records import (BAD_LAB_NAME, BAD_RUBRIC_CRITERION, DUPLICATE_ROW, EMPTY_STUDENT_ID,
                               LINK_OUTSIDE_LAB, NO_CSV_ROW, NO_RATING, NO_SOURCE, NO_SUBMISSION, NOT_IN_CSV,
                               NOT_IN_RUBRIC, NOT_UTF8, RATINGS_DIFFER, RATINGS_FILE, RUBRIC_FILE,
                               SEVERAL_RATINGS, SEVERAL_SUBMISSIONS, SOURCE_LANGUAGES, SOURCE_TOO_LARGE,
                               STATEMENT_FALLBACK, STATEMENT_FALLBACKS, STATEMENT_FILES, STATEMENT_NOT_UTF8,
                               SUBMISSIONS_DIR, TOO_FEW_RATINGS, UNCLEAR_CELL, UNDECODABLE_SOURCE,
                               UNREADABLE_SOURCE, Criterion, GradedItem, LabFormatError, Problem, Submission,
                               echo, find_one, is_notice, nfc, student_key, writable_text)
from Utils.ratings_sheet import CsvCriterion, CsvRow, RatingsTable, parse_ratings_csv, rating_differences
from Utils.rubric import join_problems, parse_rubric, parse_rubric_criteria, rating_sort_key
from Utils.safe_read import (Unusable, decode_document, decode_text, file_kind, is_inside, is_junk, lab_root,
                             looks_binary, read_lab_file, read_regular, required_lab_file, resolve_entry,
                             source_not_text, unicode_bom)

# Limits on what is read.
MAX_SOURCE_BYTES = 256 * 1024  # all source files of one student together
MAX_SUBMISSION_ENTRIES = 2000  # files and folders walked in one student's folder
MAX_STATEMENT_BYTES = 256 * 1024
MAX_RUBRIC_BYTES = 4 * 1024 * 1024
MAX_CSV_BYTES = 64 * 1024 * 1024


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
        return find_one(self.rubric, lambda c: c.title == title, f"lab {self.name!r} has no criterion {title!r}")


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
    csv_criteria = {c.title: c for c in table.criteria}
    csv_titles = [c.title for c in table.criteria]
    titles = csv_titles + [t for t in rubric if t not in csv_titles]
    criterion_problem = _criterion_problems(lab, titles)
    problems: list[Problem] = list(lab.lab_notices) + _unrated_rubric_problems(lab, csv_titles)
    row_count: dict[str, int] = {}
    for row in table.rows:
        row_count[row.student_id] = row_count.get(row.student_id, 0) + 1
    folder_problem = _folder_problems(lab)
    items: list[GradedItem] = []
    for row in table.rows:
        student_problem, detail = _row_problem(lab, row, row_count, folder_problem)
        if student_problem:
            who = row.student_id or row.raw_id or None
            problems += [Problem(lab.name, student_problem, who, title, detail) for title in titles]
            continue
        for title in titles:
            found = (Problem(lab.name, criterion_problem[title][0], row.student_id, title, criterion_problem[title][1])
                     if title in criterion_problem else _rated_item(lab, row, rubric[title], csv_criteria[title]))
            (items if isinstance(found, GradedItem) else problems).append(found)
    return items, problems + _unmatched_problems(lab, set(row_count))


def _criterion_problems(lab: Lab, titles: list[str]) -> dict[str, tuple[str, str]]:
    """{criterion title: (reason, detail)} for each criterion no item of which can be used: not in the
    rubric, rated with other letters or wordings, fewer than two ratings, malformed, or not in the CSV."""
    rubric = {c.title: c for c in lab.rubric}
    criterion_problem: dict[str, tuple[str, str]] = {}
    for c in lab.ratings.criteria:
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
        elif title not in {c.title for c in lab.ratings.criteria}:
            criterion_problem[title] = (NOT_IN_CSV, "")
    return criterion_problem


def _unrated_rubric_problems(lab: Lab, csv_titles: list[str]) -> list[Problem]:
    """The rubric's problems that no CSV column carries (lab-wide ones, and malformed criteria the CSV does
    not rate), as problems of the lab (criterion None, the criterion named in the detail)."""
    return [dataclass_replace(p, criterion=None, detail=(
                f"criterion {echo(p.criterion)}: " if p.criterion is not None else "") + p.detail)
            for p in lab.rubric_problems if p.criterion is None or p.criterion not in csv_titles]


def _folder_problems(lab: Lab) -> dict[str, Problem]:
    """{student id: the first skip (not a notice) of that student's folder} for folders that could not be used."""
    folder_problem: dict[str, Problem] = {}
    for p in lab.problems:
        if not is_notice(p) and p.student is not None:
            folder_problem.setdefault(p.student, p)
    return folder_problem


def _row_problem(lab: Lab, row: CsvRow, row_count: dict[str, int],
                 folder_problem: dict[str, Problem]) -> tuple[str, str]:
    """(reason, detail) that makes every item of this CSV row unusable: a bad row, a repeated student, an
    unusable or missing submission folder; ("", "") for a usable row."""
    sid = row.student_id
    if row.error:
        return row.reason, row.error
    if row_count[sid] > 1:
        return DUPLICATE_ROW, f"row {row.row_number}"
    if sid in folder_problem:
        return folder_problem[sid].reason, folder_problem[sid].detail
    if sid not in lab.submissions:
        return NO_SUBMISSION, ""
    return "", ""


def _rated_item(lab: Lab, row: CsvRow, criterion: Criterion, csv_criterion: CsvCriterion) -> GradedItem | Problem:
    """The GradedItem for one cell group of a usable row and criterion, or the Problem with it (an unclear
    cell, no rating, several ratings)."""
    sid = row.student_id
    unclear = lab.ratings.unclear(row, csv_criterion)
    if unclear:
        return Problem(lab.name, UNCLEAR_CELL, sid, criterion.title, f"row {row.row_number}: {', '.join(unclear)}")
    marks = lab.ratings.marks(row, csv_criterion)
    if not marks:
        return Problem(lab.name, NO_RATING, sid, criterion.title, f"row {row.row_number}")
    if len(marks) > 1:
        return Problem(lab.name, SEVERAL_RATINGS, sid, criterion.title,
                       f"row {row.row_number}: {', '.join(m.letter for m in marks)}")
    submission = lab.submissions[sid]
    return GradedItem(lab=lab.name, student_id=sid, statement=lab.statement, code=submission.code,
                      language=submission.language, criterion=criterion, chosen=marks[0].letter,
                      comment=marks[0].comment)


def _unmatched_problems(lab: Lab, csv_students: set[str]) -> list[Problem]:
    """Submissions with no CSV row, and the lab's own problems: notices always, and a folder with nothing
    usable only when no CSV row exists (otherwise each of that student's items carries the reason)."""
    in_csv = {sid for sid in csv_students if sid}
    problems = [Problem(lab.name, NO_CSV_ROW, sid, None, submission.folder_name)
                for sid, submission in sorted(lab.submissions.items()) if sid not in in_csv]
    return problems + [p for p in lab.problems if is_notice(p) or p.student not in in_csv]


def read_statement_file(lab_dir: str | Path, verbose: int = 0, lab_name: str | None = None
                        ) -> tuple[str, str, list[Problem]]:
    """(statement text, file name used, lab notices). See the module docstring for the order.

    Raises LabFormatError, saying why each file was refused, when no statement is usable.
    """
    lab_dir = Path(lab_dir)
    lab_name = lab_name or writable_text(lab_dir.name)
    group = 1 if verbose else 0
    asked, fallbacks = STATEMENT_FILES[group], STATEMENT_FALLBACKS[group]
    refused: list[str] = []  # "name: why" of files that exist but cannot be used
    for name in asked + fallbacks:
        try:
            data = read_lab_file(lab_dir, name, MAX_STATEMENT_BYTES)
        except FileNotFoundError:
            continue
        except LabFormatError as e:
            refused.append(f"{name}: {getattr(e, 'why', e)}")
            continue
        text, ok = decode_document(data)
        if not text.strip():
            refused.append(f"{name}: is empty")
            continue
        if looks_binary(data if unicode_bom(data) is None else text.encode("utf-8"), text):
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


def read_rubric(lab_dir: Path) -> list[Criterion]:
    path, text, _ = required_lab_file(lab_dir, RUBRIC_FILE, MAX_RUBRIC_BYTES)
    return parse_rubric(text, str(path))


def read_rubric_criteria(lab_dir: Path, lab_name: str) -> tuple[list[Criterion], list[Problem]]:
    """The sound criteria of rubrics.json and a BAD_RUBRIC_CRITERION problem per malformed one
    (`parse_rubric_criteria`). Raises LabFormatError when the file is unusable or no criterion is sound."""
    path, text, _ = required_lab_file(lab_dir, RUBRIC_FILE, MAX_RUBRIC_BYTES)
    criteria, problems = parse_rubric_criteria(text, str(path))
    if not criteria:
        raise LabFormatError(f"{path}: no usable criterion" + (f": {join_problems([m for _, m in problems])}"
                                                                if problems else " (the list is empty)"))
    return criteria, [Problem(lab_name, BAD_RUBRIC_CRITERION, None, title, f"{RUBRIC_FILE}: {message}")
                      for title, message in problems]


def read_ratings(lab_dir: Path) -> RatingsTable:
    path, text, ok = required_lab_file(lab_dir, RATINGS_FILE, MAX_CSV_BYTES)
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
            if is_junk(name):
                continue
            entries += 1
            if entries > MAX_SUBMISSION_ENTRIES:
                return files, (SOURCE_TOO_LARGE, f"more than {MAX_SUBMISSION_ENTRIES} files and folders")
            rel = prefix + writable_text(name)
            is_source = os.path.splitext(name)[1].lower() in SOURCE_LANGUAGES
            try:
                real, st = resolve_entry(os.path.join(directory, name), root)
            except Unusable as e:
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
                if real not in walked and not is_inside(folder, real):
                    walked.add(real)
                    stack.append((real, rel + "/"))
                continue
            if not is_source:
                continue  # other files are ignored, never opened
            data, unusable = _read_source(real, st, rel, total, max_bytes)
            if unusable is not None:
                return files, unusable
            total += len(data)
            files[rel] = data
    return files, None


def _read_source(real: str, st: os.stat_result, rel: str, total: int, max_bytes: int
                 ) -> tuple[bytes, tuple[str, str] | None]:
    """(the source file's bytes, None), or (b"", the (reason, detail) that skips the student): not a regular
    file, unreadable, or the sources over max_bytes with it (`total`: the bytes read before it)."""
    if not stat.S_ISREG(st.st_mode):
        return b"", (UNREADABLE_SOURCE, f"{rel}: is {file_kind(st.st_mode)}, not a regular file")
    if total + st.st_size > max_bytes:
        return b"", (SOURCE_TOO_LARGE, f"{rel}: sources over the limit of {max_bytes} bytes")
    try:
        data = read_regular(real, max_bytes - total)
    except Unusable as e:
        return b"", (UNREADABLE_SOURCE, f"{rel}: {e}")
    if total + len(data) > max_bytes:
        return b"", (SOURCE_TOO_LARGE, f"{rel}: sources over the limit of {max_bytes} bytes")
    return data, None


def read_submissions(lab_name: str, lab_dir: Path, max_source_bytes: int = MAX_SOURCE_BYTES
                     ) -> tuple[dict[str, Submission], list[Problem]]:
    """Every student's folder under submissions/, and a Problem (student set) per folder not used."""
    lab_dir = Path(lab_dir)
    root = lab_root(lab_dir)
    sub_real = _submissions_folder(lab_dir, root)
    problems: list[Problem] = []
    by_student = _student_folders(lab_name, lab_dir / SUBMISSIONS_DIR, sub_real, root, problems)
    submissions: dict[str, Submission] = {}
    for sid, folders in by_student.items():
        submission = _read_submission(lab_name, sid, folders, root, max_source_bytes, problems)
        if submission is not None:
            submissions[sid] = submission
    return submissions, problems


def _submissions_folder(lab_dir: Path, root: str) -> str:
    """The resolved submissions/ folder of the lab (LabFormatError when it is missing, not a folder, or a
    link out of the lab or to the lab itself)."""
    shown = lab_dir / SUBMISSIONS_DIR
    try:
        sub_real, st = resolve_entry(os.path.join(root, SUBMISSIONS_DIR), root)
    except FileNotFoundError:
        raise LabFormatError(f"{shown}: folder not found") from None
    except Unusable as e:
        raise LabFormatError(f"{shown}: {e}") from None
    if not stat.S_ISDIR(st.st_mode):
        raise LabFormatError(f"{shown}: is {file_kind(st.st_mode)}, not a folder")
    sub_real = os.path.realpath(sub_real)
    if sub_real == root:
        raise LabFormatError(f"{shown}: link to the lab folder itself; refused")
    return sub_real


def _student_folders(lab_name: str, shown: Path, sub_real: str, root: str, problems: list[Problem]
                     ) -> dict[str, list[tuple[str, str | None, tuple[str, str] | None]]]:
    """{student key: [(folder name, resolved folder or None, (reason, detail) when unusable)]} for the
    folders under submissions/ (files beside them are not submissions); a folder whose name gives no
    student id is added to `problems`."""
    by_student: dict[str, list[tuple[str, str | None, tuple[str, str] | None]]] = {}
    try:
        with os.scandir(sub_real) as it:
            names = sorted(e.name for e in it)
    except OSError as e:
        raise LabFormatError(f"{shown}: cannot be listed: {e.strerror or e}") from None
    for raw_name in names:
        if is_junk(raw_name):
            continue
        name = writable_text(raw_name)
        try:
            real, st = resolve_entry(os.path.join(sub_real, raw_name), root)
        except Unusable as e:
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
    return by_student


def _read_submission(lab_name: str, sid: str, folders: list, root: str, max_source_bytes: int,
                     problems: list[Problem]) -> Submission | None:
    """The student's submission, or None when it cannot be used (several folders, unreadable, no source);
    why, and its non-UTF-8 or undecodable files, added to `problems`."""
    if len(folders) > 1:
        problems.append(Problem(lab_name, SEVERAL_SUBMISSIONS, sid, None, ", ".join(f[0] for f in folders)))
        return None
    name, real, unusable = folders[0]
    if unusable is None:
        files, unusable = _read_student_folder(real, root, max_source_bytes)
    if unusable is not None:
        problems.append(Problem(lab_name, unusable[0], sid, None, unusable[1]))
        return None
    submission = parse_submission_files(sid, name, files)
    if submission is None:
        problems.append(Problem(lab_name, NO_SOURCE, sid, None, name))
        return None
    for file_name in submission.not_utf8:
        problems.append(Problem(lab_name, NOT_UTF8, sid, None, file_name))
    if submission.undecodable:  # kept (a grader queues it), but never trained on
        problems.append(Problem(lab_name, UNDECODABLE_SOURCE, sid, None, "; ".join(submission.undecodable)))
    return submission


def read_lab(lab_dir: str | Path, verbose: int = 0, with_ratings: bool = True,
             max_source_bytes: int = MAX_SOURCE_BYTES) -> Lab:
    """Read one lab folder. Raises LabFormatError (naming the file) when the lab cannot be used.

    `with_ratings=False` reads a lab to be graded: rubric and submissions, no TA ratings needed.
    """
    lab_dir = Path(lab_dir)
    lab_root(lab_dir)
    name = writable_text(lab_dir.name)
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
        if writable_text(name) != name:
            found[lab_dir] = (f"{BAD_LAB_NAME}: the folder name {writable_text(name)!r} is not valid UTF-8 "
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
    return sorted(p for p in parent.iterdir() if not is_junk(p.name) and p.is_dir())
