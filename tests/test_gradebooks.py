"""The LMS gradebook files, read the way each importer reads them.

`canvas_import` follows Canvas's GradebookImporter (instructure/canvas-lms,
app/models/gradebook_importer.rb: `header?`, `update_column_count`, `strip_non_assignment_columns`,
`parse_assignments`, `check_for_non_student_row`, `process_pp`, `process_student`);
`moodle_import` follows Moodle's CSV grade import (moodle/moodle,
grade/import/csv/classes/load_data.php: `prepare_import_grade_data`, `map_user_data_with_value`,
`check_user_exists`, `update_grade_item`). Each takes the course as the LMS knows it.
"""

import csv
import io
import re

import pytest

from Utils import gradebooks
from Utils.gradebooks import RosterError, StudentMarks, build_gradebook, check_gradebook_flags, read_roster

CRITERIA = [("Variable names", 2.0), ("Loop bound", 1.0)]
STUDENTS = [StudentMarks("s1@uni.edu", "s1", [2.0, 1.0], "auto-accepted"),
            StudentMarks("s2@uni.edu", "s2", [1.0, None], "1 of 2 items await a TA: no total"),
            StudentMarks("s3@uni.edu", "s3", [0.0, 1.0], "auto-accepted"),
            StudentMarks("new@uni.edu", "new", [1.0, 0.0], "auto-accepted"),
            StudentMarks("s9@uni.edu", "s9", [None, None], "not graded", graded=False)]
# The course as the LMS knows it: Canvas id, name, SIS user id, login id (= email), section.
COURSE = [(101, "Ada One", "U1", "s1@uni.edu", "Sec A"), (102, "Bo Two", "U2", "s2@uni.edu", "Sec A"),
          (103, "Cy Three", "U3", "s3@uni.edu", "Sec B"), (109, "Di Nine", "U9", "s9@uni.edu", "Sec B")]


class InvalidHeaderRow(Exception):
    pass


def canvas_import(text: str, course=COURSE, assignments=("Lab 1",)) -> dict:
    rows = [r for r in csv.reader(io.StringIO(text)) if not re.fullmatch(r"[;, ]*", ",".join(r))]
    header = rows[0]
    if not (len(header) > 3 and re.search("Student", header[0]) and re.search("ID", header[1])):
        raise InvalidHeaderRow(header)
    student_columns, sis_user, sis_login = 3, None, None
    if re.search(r"SIS\s+Login\s+ID", header[2]):
        sis_login, student_columns = 2, 4
    elif re.search(r"SIS\s+User\s+ID", header[2]) and re.search(r"SIS\s+Login\s+ID", header[3]):
        sis_user, sis_login, student_columns = 2, 3, 5
    if not re.search("Section", header[student_columns - 1]):
        raise InvalidHeaderRow(header)
    names = header[student_columns:]
    while names and re.search("Current Score|Current Points|Current Grade|Final Score|Final Points|Final Grade",
                              names[-1]):
        names.pop()
    new_assignments = [n for n in names if n not in assignments and not re.search(r"\((\d+)\)$", n)]
    points, students, missing = {}, {}, []
    for row in rows[1:]:
        if re.search("Points Possible", row[0]):
            points = dict(zip(names, row[student_columns:]))
            continue
        if all(re.fullmatch(r"(?i)muted|", c.strip()) for c in row):
            continue
        found = next((c for c in course if row[1].strip() and str(c[0]) == row[1].strip()), None)
        if found is None and sis_user is not None and row[sis_user]:
            found = next((c for c in course if c[2] == row[sis_user]), None)
        if found is None and sis_login is not None and row[sis_login]:
            found = next((c for c in course if c[3] == row[sis_login]), None)
        if found is None and row[0]:
            found = next((c for c in course if c[1] == row[0]), None)
        if found is None:
            missing.append(row[0])
            continue
        students[found[0]] = dict(zip(names, row[student_columns:]))
    return {"assignments": names, "new_assignments": new_assignments, "points": points, "grades": students,
            "missing_students": missing}


def moodle_import(text: str, map_from: int, field: str, users: list[dict]) -> dict:
    """{user id: grade or None}; raises like Moodle when a user cannot be found (the whole import aborts)."""
    rows = list(csv.reader(io.StringIO(text)))
    header = [h.strip() for h in rows[0]]
    grades = {}
    for line in rows[1:]:
        if len(line) <= 1:
            continue
        value = line[map_from].strip()
        user = next((u for u in users if u[field] == value), None) if value else None
        if user is None:
            raise LookupError(f"usermappingerror: {field} {value!r}")
        for key, cell in enumerate(line):
            if key == map_from:
                continue
            cell = cell.strip()
            grades.setdefault(user["id"], {})[header[key]] = None if cell in ("", "-") else float(cell)
    return grades


def test_canvas_file_passes_the_importers_header_check_and_matches_by_sis_login(tmp_path):
    book = build_gradebook("canvas", STUDENTS, CRITERIA, id_header="SIS Login ID", assignment="Lab 1",
                           points_possible=True)
    imported = canvas_import(book.text)
    assert imported["assignments"] == ["Lab 1"] and imported["new_assignments"] == []  # one column, no extra
    assert imported["points"] == {"Lab 1": "3"}
    # Only students with a decided total; nobody Canvas cannot match except the one not in its course.
    assert imported["grades"] == {101: {"Lab 1": "3"}, 103: {"Lab 1": "1"}}
    assert imported["missing_students"] == ["new"]
    assert book.with_total == 3 and book.without_total == ["s2@uni.edu"]
    header = next(csv.reader(io.StringIO(book.text)))
    assert header == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", "Lab 1"]
    # The same with SIS User ID is refused for the wrong column, and a bad header is what Canvas rejects.
    with pytest.raises(InvalidHeaderRow):
        canvas_import("Student ID,Total,Variable names\ns1@uni.edu,3,2\n")


def test_canvas_roster_fills_the_lms_ids_and_lists_unknown_students(tmp_path):
    export = tmp_path / "canvas_export.csv"
    lines = ["Student,ID,SIS User ID,SIS Login ID,Section,Lab 1 (55),Current Score",
             "    Points Possible,,,,,3,(read only)"]
    lines += [f"{name},{cid},{uid},{login},{section},," for cid, name, uid, login, section in COURSE]
    export.write_text("\n".join(lines) + "\n", encoding="utf-8-sig")  # Canvas writes a BOM
    roster = read_roster(export, "SIS Login ID")
    assert roster.n_students == 4
    book = build_gradebook("canvas", STUDENTS, CRITERIA, id_header="SIS Login ID", assignment="Lab 1 (55)",
                           roster=roster)
    rows = list(csv.reader(io.StringIO(book.text)))
    assert rows[1] == ["Ada One", "101", "U1", "s1@uni.edu", "Sec A", "3"]
    imported = canvas_import(book.text, assignments=())
    assert imported["missing_students"] == [] and imported["new_assignments"] == []  # "Title (id)": existing
    assert imported["grades"] == {101: {"Lab 1 (55)": "3"}, 103: {"Lab 1 (55)": "1"}}
    assert book.unknown_to_roster == ["new@uni.edu"] and book.roster_without_submission == 0


def test_moodle_file_imports_with_email_mapping_and_a_roster_keeps_unknown_ids_out(tmp_path):
    users = [{"id": cid, "email": login, "username": login.split("@")[0]} for cid, _, _, login, _ in COURSE]
    book = build_gradebook("moodle", STUDENTS, CRITERIA, id_header="Email address", assignment="Lab 1")
    rows = list(csv.reader(io.StringIO(book.text)))
    assert rows[0] == ["Email address", "Lab 1"] and all(len(r) == 2 for r in rows)
    # Without a roster the student Moodle does not know aborts the whole import, as in Moodle ...
    with pytest.raises(LookupError, match="new@uni.edu"):
        moodle_import(book.text, 0, "email", users)
    # ... so with one, unknown students are listed and left out, and the import goes through.
    roster_file = tmp_path / "moodle_roster.csv"
    roster_file.write_text("First name,Last name,Email address\n"
                           + "".join(f"{n.split()[0]},{n.split()[1]},{login.upper()}\n" for _, n, _, login, _ in COURSE))
    roster = read_roster(roster_file, "email address")
    book = build_gradebook("moodle", STUDENTS, CRITERIA, id_header="Email address", assignment="Lab 1", roster=roster)
    assert book.unknown_to_roster == ["new@uni.edu"]
    users_upper = [{**u, "email": u["email"].upper()} for u in users]  # the roster's own spelling is written
    assert moodle_import(book.text, 0, "email", users_upper) == {101: {"Lab 1": 3.0}, 103: {"Lab 1": 1.0}}


def test_plain_file_has_every_student_and_says_where_marks_come_from():
    book = build_gradebook("plain", STUDENTS, CRITERIA, id_header="Student ID", assignment="x")
    rows = list(csv.reader(io.StringIO(book.text)))
    assert rows[0] == ["Student ID", "Total", "Variable names", "Loop bound", "Status"]
    by_id = {r[0]: r for r in rows[1:]}
    assert by_id["s1@uni.edu"] == ["s1@uni.edu", "3", "2", "1", "auto-accepted"]
    assert by_id["s2@uni.edu"][1:4] == ["", "1", ""] and "no total" in by_id["s2@uni.edu"][4]
    assert by_id["s9@uni.edu"][1] == "" and len(rows) == 1 + len(STUDENTS)


def test_gradebook_flags_and_rosters_are_checked_with_the_flag_named(tmp_path):
    assert check_gradebook_flags("canvas", None, None) == "SIS Login ID"
    assert check_gradebook_flags("moodle", None, None) == "Email address"
    with pytest.raises(ValueError, match="--gradebook_id_header"):
        check_gradebook_flags("canvas", "Student ID", None)
    with pytest.raises(ValueError, match="--gradebook_assignment"):
        check_gradebook_flags("moodle", None, "two\nlines")
    path = tmp_path / "roster.csv"
    path.write_text("Name,Email\na,x@u\nb,x@u\n")
    with pytest.raises(RosterError, match="appears twice"):
        read_roster(path, "email")
    with pytest.raises(RosterError, match="no column 'SIS Login ID'"):
        read_roster(path, "SIS Login ID")
    path.write_bytes(b"Email\n\xff\xfe\n")
    with pytest.raises(RosterError, match="not UTF-8"):
        read_roster(path, "Email")
    assert gradebooks.gradebook_suffix("canvas", "auto_accepted") == "_canvas_gradebook_auto_accepted.csv"


def test_the_ta_final_ratings_become_an_lms_gradebook(tmp_path, capsys):
    """python -m Utils.gradebooks: the review page's final ratings -> the Canvas file, which imports as the
    TA decided: a total only for students with every criterion decided, nothing overwritten unasked."""
    from fixtures import RUBRIC, ratings_csv, write_lab

    lab = write_lab(tmp_path, "lab01", grades={f"s{i}@uni.edu": {} for i in (1, 2, 3)})
    final = tmp_path / "out" / "lab01_final_ratings.csv"
    final.parent.mkdir()
    # s1 fully decided (A=2 + A=1), s2 one criterion undecided, s3 two ratings marked in one criterion
    final.write_text(ratings_csv(RUBRIC, {"s1@uni.edu": {"Variable names": "A", "Loop bound": "A"},
                                          "s2@uni.edu": {"Variable names": "B"},
                                          "s3@uni.edu": {"Variable names": "C", "Loop bound": "B"}},
                                 cell=lambda s, t, letter, chosen: "1" if s == "s3@uni.edu" and t == "Loop bound"
                                 else None))
    argv = ["--lab_dir", str(lab), "--final_ratings", str(final), "--gradebook", "canvas",
            "--gradebook_assignment", "Lab 1", "--gradebook_points_possible"]
    assert gradebooks.main(argv) == 0
    out = tmp_path / "out" / "lab01_canvas_gradebook_ta_reviewed.csv"
    imported = canvas_import(out.read_text(), course=COURSE)
    assert imported["grades"] == {101: {"Lab 1": "3"}} and imported["points"] == {"Lab 1": "3"}
    captured = capsys.readouterr()
    assert "1 of 3 students with a total; 2 await a TA" in captured.out
    assert "row 9 (s3@uni.edu): 'Loop bound' has 2 ratings marked: none taken" in captured.err
    before = out.read_text()
    assert gradebooks.main(argv) == 2  # the file is there: not replaced unless --overwrite
    assert "exists; pass --overwrite" in capsys.readouterr().err and out.read_text() == before
    assert gradebooks.main([*argv, "--overwrite"]) == 0
    # a file of another layout at that name (here the course's own Canvas export) is never replaced
    export = "Student,ID,SIS User ID,SIS Login ID,Section,Lab 1 (7),Current Score\nAda,101,,s1@uni.edu,A,2,90\n"
    out.write_text(export)
    assert gradebooks.main([*argv, "--overwrite"]) == 2
    assert "is not a canvas gradebook this command wrote; it is never replaced" in capsys.readouterr().err
    assert out.read_text() == export
    out.unlink()
    # a file that is not a final ratings CSV is named in the error
    final.write_text("just,some\ntext\n")
    assert gradebooks.main([*argv, "--overwrite"]) == 2
    assert str(final) in capsys.readouterr().err


@pytest.mark.parametrize("fmt, text, ours", [
    ("canvas", "Student,ID,SIS User ID,SIS Login ID,Section,Lab 1\nPoints Possible,,,,,3\nA,,,s1@u,,3\n", True),
    ("canvas", "Student,ID,SIS User ID,SIS Login ID,Section,Lab 1,Lab 2\n", False),  # a Canvas export
    ("canvas", "Student,ID,SIS User ID,SIS Login ID,Section,Lab 1\nA,,,s1@u,,3,extra\n", False),
    ("moodle", "Email address,lab01\ns1@u,3\n", True),
    ("moodle", "Email address,lab01,Notes\ns1@u,3,x\n", False),
    ("plain", "Student ID,Total,Variable names,Loop bound,Status\ns1@u,3,2,1,decided by a TA\n", True),
    ("plain", "Student ID,Total\n", False),
    ("plain", "", False),
    ("moodle", "\xff\xfe", False),
])
def test_only_a_gradebook_of_the_same_layout_counts_as_this_commands_file(tmp_path, fmt, text, ours):
    path = tmp_path / "lab01_gradebook.csv"
    path.write_bytes(text.encode("latin-1"))
    assert gradebooks.is_gradebook_file(path, fmt) is ours


def test_user_named_files_are_read_only_when_regular_and_within_the_limit(tmp_path):
    import os

    from Utils.safe_read import read_named_file

    with pytest.raises(RosterError, match=r"^--roster .*missing.csv: file not found$"):
        read_roster(tmp_path / "missing.csv", "Email")
    with pytest.raises(RosterError, match="is a folder, not a regular file"):
        read_roster(tmp_path, "Email")
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)  # would block a plain read forever
    with pytest.raises(ValueError, match="pipe.csv: is a FIFO, not a regular file"):
        gradebooks.read_final_ratings(fifo)
    big = tmp_path / "big.csv"
    big.write_bytes(b"x" * 101)
    with pytest.raises(ValueError, match=r"^big: \d+ bytes, over the limit of 100 bytes$"):
        read_named_file(big, 100, "big")
    assert read_named_file(big, 101, "big") == b"x" * 101
    link = tmp_path / "link.csv"
    link.symlink_to(big)  # a link the user named is followed
    assert read_named_file(link, 101, "link") == b"x" * 101
