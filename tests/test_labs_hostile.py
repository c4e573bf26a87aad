"""The lab reader against hostile or broken lab folders: links out of the lab, FIFOs, huge files,
OS junk, missing statements, unreadable files, misshaped CSV headers, odd cells and empty ids.

Each test builds a small lab with `write_lab` and checks what is used and what is reported."""

import json
import os
import subprocess
import sys

import pytest

from fixtures import REPO, RUBRIC, ratings_csv, write_lab
from Utils import lab_records as records
from Utils import ratings_sheet as sheet
from Utils import safe_read
from Utils import labs as L

CRITERIA = len(RUBRIC)


def read(lab_dir, **kw):
    lab = L.read_lab(lab_dir, **kw)
    items, problems = L.collect_items(lab)
    # The accounting holds whatever the lab held: every CSV row x criterion is an item or a problem.
    item_problems = [p for p in problems if p.criterion is not None]
    assert len(items) + len(item_problems) == len(lab.ratings.rows) * CRITERIA
    return lab, items, problems


def by_student(problems):
    """{student: {reasons}} of the problems."""
    out = {}
    for p in problems:
        out.setdefault(p.student, set()).add(p.reason)
    return out


def used(items):
    return {i.student_id for i in items}


def grades(*ids):
    return {sid: {"Variable names": "A", "Loop bound": "B"} for sid in ids}


# --------------------------------------------------------------------------- links


def test_links_leaving_the_lab_are_not_followed_links_inside_are(tmp_path, labs_dir):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.cpp").write_text("TOP SECRET")
    ids = [f"s{i}@u" for i in range(6)]
    lab = write_lab(labs_dir, "lab1", grades=grades(*ids))
    subs = lab / "submissions"
    (subs / "s0@u" / "main.cpp").unlink()
    (subs / "s0@u" / "main.cpp").symlink_to(outside / "secret.cpp")  # a source linked out
    (subs / "s1@u" / "root").symlink_to("/")  # a folder linked to the disk's root: never walked
    os.rename(subs / "s2@u", tmp_path / "s2-moved")
    (subs / "s2@u").symlink_to(tmp_path / "s2-moved")  # the whole folder linked out
    (subs / "s3@u" / "util.h").symlink_to(subs / "s4@u" / "main.cpp")  # inside the lab: followed
    (subs / "s5@u" / "loop").symlink_to(".")  # a loop: walked once
    (subs / "s5@u" / "up").symlink_to("../..")  # the lab itself: not walked

    _, items, problems = read(lab)
    assert used(items) == {"s3", "s4", "s5"}
    assert all("TOP SECRET" not in i.code for i in items)
    assert by_student(problems) == {s: {records.LINK_OUTSIDE_LAB} for s in ("s0", "s1", "s2")}
    details = {p.student: p.detail for p in problems}
    assert details["s0"].startswith("main.cpp: link to") and str(outside) in details["s0"]
    assert details["s1"].startswith("root: link to /")
    s3 = next(i for i in items if i.student_id == "s3")
    assert "/* s3@u */" in s3.code and "/* s4@u */" in s3.code  # util.h -> s4's main.cpp
    s5 = next(i for i in items if i.student_id == "s5")
    assert s5.code.count("/* s5@u */") == 1


@pytest.mark.parametrize("what", ["lab", "submissions", "rubrics.json", "rubric_ratings.csv"])
def test_lab_folder_or_its_files_linked_out_of_the_parent_are_refused(tmp_path, labs_dir, what):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    real = write_lab(elsewhere, "real")
    if what == "lab":
        lab = labs_dir / "lab1"
        lab.symlink_to(real)
        assert lab in L.list_lab_dirs(labs_dir)  # listed, so that it is reported, not dropped
        match = "outside its parent folder"
    else:
        lab = write_lab(labs_dir, "lab1")
        target = lab / what
        if target.is_dir():
            os.rename(target, tmp_path / "moved")
        else:
            target.unlink()
        target.symlink_to("/" if what == "submissions" else real / what)
        match = rf"{what}: link to .* leaves the lab folder"
    with pytest.raises(records.LabFormatError, match=match):
        L.read_lab(lab)


def test_statement_linked_out_is_not_read_and_the_other_statement_is_used(tmp_path, labs_dir):
    (tmp_path / "passwd").write_text("root:x:0:0")
    lab_dir = write_lab(labs_dir, "lab1")
    (lab_dir / "modified_ps.txt").unlink()
    (lab_dir / "modified_ps.txt").symlink_to(tmp_path / "passwd")
    lab = L.read_lab(lab_dir)
    assert lab.statement_file == "ps.txt" and "root:x" not in lab.statement
    (notice,) = lab.lab_notices
    assert notice.reason == records.STATEMENT_FALLBACK and "leaves the lab folder" in notice.detail


# --------------------------------------------------------------------------- special files

FIFO_SCRIPT = """
import json, sys
from Utils import labs as L  # the child runs in the repository root (python -c puts it on the path)
out = {}
lab = L.read_lab(sys.argv[1])
items, problems = L.collect_items(lab)
out["students"] = sorted({i.student_id for i in items})
out["problems"] = sorted({(p.student or "", p.reason, p.detail) for p in problems})
out["statement_file"] = lab.statement_file
try:
    L.read_lab(sys.argv[2])
    out["csv_error"] = None
except L.LabFormatError as e:
    out["csv_error"] = str(e)
print(json.dumps(out))
"""


def test_fifos_and_sockets_never_hang_the_read(labs_dir):
    lab = write_lab(labs_dir, "lab1", grades=grades("s0@u", "s1@u", "s2@u", "s3@u"))
    subs = lab / "submissions"
    (subs / "s0@u" / "main.cpp").unlink()
    os.mkfifo(subs / "s0@u" / "main.cpp")  # the source is a FIFO: skipped with a reason
    os.mkfifo(subs / "s1@u" / "input.txt")  # a FIFO beside the source: ignored, never opened
    os.mkfifo(subs / "s2@u" / "extra.cpp")
    (lab / "modified_ps.txt").unlink()
    os.mkfifo(lab / "modified_ps.txt")  # the statement: the other one is used
    bad_csv = write_lab(labs_dir, "lab2")
    (bad_csv / "rubric_ratings.csv").unlink()
    os.mkfifo(bad_csv / "rubric_ratings.csv")
    sock_path = subs / "s3@u" / "s.cpp"
    if len(str(sock_path)) < 100:  # AF_UNIX paths are short
        import socket
        with socket.socket(socket.AF_UNIX) as sock:
            sock.bind(str(sock_path))
    # A subprocess with a time limit, so a regression fails here instead of hanging the run.
    try:
        done = subprocess.run([sys.executable, "-c", FIFO_SCRIPT, str(lab), str(bad_csv)], cwd=REPO,
                              capture_output=True, text=True, timeout=60)
    except subprocess.TimeoutExpired:
        pytest.fail("read_lab blocked on a FIFO")
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert out["statement_file"] == "ps.txt"
    assert "s1" in out["students"] and "s0" not in out["students"] and "s2" not in out["students"]
    reasons = {(s, r) for s, r, _ in out["problems"]}
    assert {("s0", records.UNREADABLE_SOURCE), ("s2", records.UNREADABLE_SOURCE), ("", records.STATEMENT_FALLBACK)} <= reasons
    assert any(s == "s0" and "is a FIFO" in d for s, _, d in out["problems"])
    if len(str(sock_path)) < 100:
        assert any(s == "s3" and "is a socket" in d for s, _, d in out["problems"])
    assert "rubric_ratings.csv: is a FIFO, not a regular file" in out["csv_error"]


# --------------------------------------------------------------------------- sizes


def test_oversized_sources_skip_the_student_and_oversized_lab_files_are_refused(labs_dir, monkeypatch):
    ids = ["big@u", "many@u", "ok@u"]
    lab = write_lab(labs_dir, "lab1", grades=grades(*ids))
    (lab / "submissions" / "big@u" / "main.cpp").write_bytes(b"// x\n" * (L.MAX_SOURCE_BYTES // 5 + 1))
    many = lab / "submissions" / "many@u"
    for i in range(30):
        (many / f"part{i}.h").write_text("int x;\n" * 2000)  # 14 KB each, 420 KB together
    _, items, problems = read(lab)
    assert used(items) == {"ok"}
    assert by_student(problems) == {"big": {records.SOURCE_TOO_LARGE}, "many": {records.SOURCE_TOO_LARGE}}
    assert all(len(i.code) < 1000 for i in items)
    # The limit is a parameter too.
    _, items, _ = read(lab, max_source_bytes=10)
    assert items == []
    # Statement too big: the other statement file is used, with the reason.
    (lab / "modified_ps.txt").write_bytes(b"x" * (L.MAX_STATEMENT_BYTES + 1))
    lab_read = L.read_lab(lab)
    assert lab_read.statement_file == "ps.txt" and "over the limit" in lab_read.lab_notices[0].detail
    monkeypatch.setattr(L, "MAX_CSV_BYTES", 100)
    with pytest.raises(records.LabFormatError, match=r"rubric_ratings.csv: \d+ bytes, over the limit of 100"):
        L.read_lab(lab)
    monkeypatch.setattr(L, "MAX_RUBRIC_BYTES", 100)
    with pytest.raises(records.LabFormatError, match=r"rubrics.json: \d+ bytes, over the limit of 100"):
        L.read_lab(lab)


def test_a_folder_with_too_many_entries_skips_the_student(labs_dir, monkeypatch):
    monkeypatch.setattr(L, "MAX_SUBMISSION_ENTRIES", 5)
    lab = write_lab(labs_dir, "lab1", grades=grades("s0@u", "s1@u"))
    for i in range(6):
        (lab / "submissions" / "s0@u" / f"note{i}.txt").write_text("x")
    _, items, problems = read(lab)
    assert used(items) == {"s1"} and by_student(problems) == {"s0": {records.SOURCE_TOO_LARGE}}


# --------------------------------------------------------------------------- junk


def test_os_junk_is_skipped_in_and_as_submission_folders(labs_dir):
    lab = write_lab(labs_dir, "lab1", grades=grades("s0@u"))
    subs = lab / "submissions"
    for junk in ["__MACOSX/s0@u", ".hidden@u", "__MACOSX/s9@u"]:
        (subs / junk).mkdir(parents=True)
        (subs / junk / "._main.cpp").write_bytes(b"\x00\x05\x16\x07 AppleDouble")
    s0 = subs / "s0@u"
    (s0 / ".DS_Store").write_bytes(b"\x00\x00\x00\x01Bud1")
    (s0 / "Thumbs.db").write_bytes(b"\xd0\xcf")
    (s0 / "main.cpp~").write_text("old backup")
    (s0 / "#main.cpp#").write_text("emacs autosave")
    (s0 / ".main.cpp.swp").write_text("vim swap")
    (s0 / ".hidden.cpp").write_text("hidden")
    (s0 / ".git").mkdir()
    (s0 / ".git" / "x.cpp").write_text("in .git")
    (s0 / "__MACOSX").mkdir()
    (s0 / "__MACOSX" / "._main.cpp").write_bytes(b"\x00AppleDouble")
    (labs_dir / "__MACOSX").mkdir()
    (labs_dir / ".Trash").mkdir()
    assert L.list_lab_dirs(labs_dir) == [lab]
    lab_read, items, problems = read(lab)
    assert problems == [] and set(lab_read.submissions) == {"s0"}
    assert {i.code for i in items} == {"int main() { /* s0@u */ }\n"}


# --------------------------------------------------------------------------- statements


@pytest.mark.parametrize("verbose, files, used_file, notice", [
    (0, ["ps.txt", "problemStatement.txt"], "ps.txt", True),
    (0, ["problemStatement.txt"], "problemStatement.txt", True),
    (1, ["modified_ps.txt"], "modified_ps.txt", True),
    (1, ["problemStatement.txt", "modified_ps.txt"], "problemStatement.txt", False),  # documented alternative
    (0, ["modified_ps.txt", "ps.txt"], "modified_ps.txt", False),
])
def test_missing_statement_falls_back_with_a_notice(labs_dir, verbose, files, used_file, notice):
    lab_dir = write_lab(labs_dir, "lab1")
    for name in ("modified_ps.txt", "ps.txt"):
        (lab_dir / name).unlink()
    for name in files:
        (lab_dir / name).write_text(f"statement from {name}")
    lab, items, problems = read(lab_dir, verbose=verbose)
    assert lab.statement_file == used_file and lab.statement == f"statement from {used_file}"
    assert len(items) == 20 and {i.statement for i in items} == {lab.statement}
    fallbacks = [p for p in problems if p.reason == records.STATEMENT_FALLBACK]
    assert len(fallbacks) == int(notice) and all(records.is_notice(p) and p.student is None for p in fallbacks)
    if notice:
        assert f"used {used_file}" in fallbacks[0].detail


def test_empty_binary_or_latin1_statements(labs_dir):
    lab_dir = write_lab(labs_dir, "lab1")
    (lab_dir / "modified_ps.txt").write_text("  \n")
    (lab_dir / "ps.txt").write_bytes(b"\x7fELF\x02\x01\x01\x00\x00\x00" * 50)
    (lab_dir / "problemStatement.txt").write_bytes("Somme de 1..n, caf\xe9".encode("latin-1"))
    lab = L.read_lab(lab_dir)
    assert lab.statement_file == "problemStatement.txt" and lab.statement == "Somme de 1..n, caf\ufffd"
    (fallback, latin1) = lab.lab_notices
    assert fallback.reason == records.STATEMENT_FALLBACK and latin1.reason == records.STATEMENT_NOT_UTF8
    assert "modified_ps.txt: is empty" in fallback.detail and "ps.txt: is binary" in fallback.detail
    assert all(records.is_notice(p) for p in lab.lab_notices)
    (lab_dir / "problemStatement.txt").unlink()
    with pytest.raises(records.LabFormatError, match=r"no problem statement .*ps.txt: is binary"):
        L.read_lab(lab_dir)
    for name in ("modified_ps.txt", "ps.txt"):
        (lab_dir / name).unlink()
    with pytest.raises(records.LabFormatError, match="no problem statement"):
        L.read_lab(lab_dir)


# --------------------------------------------------------------------------- unreadable files


def test_an_unreadable_file_skips_only_that_student(labs_dir, monkeypatch):
    ids = ["dangling@u", "folder@u", "denied@u", "ok@u"]
    lab = write_lab(labs_dir, "lab1", grades=grades(*ids))
    subs = lab / "submissions"
    (subs / "dangling@u" / "main.cpp").unlink()
    (subs / "dangling@u" / "main.cpp").symlink_to(subs / "dangling@u" / "gone.cpp")
    (subs / "folder@u" / "main.cpp").unlink()
    (subs / "folder@u" / "main.cpp").mkdir()
    (subs / "folder@u" / "main.cpp" / "inner.cpp").write_text("int main(){}")
    (subs / "dangling@u" / "notes.txt").symlink_to(subs / "nowhere")  # not a source: ignored
    real_open = open

    def denying_open(path, *args, **kwargs):
        if "denied@u" in str(path):
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(safe_read, "open", denying_open, raising=False)
    _, items, problems = read(lab)
    assert used(items) == {"ok"}
    assert by_student(problems) == {s: {records.UNREADABLE_SOURCE} for s in ("dangling", "folder", "denied")}
    details = {p.student: p.detail for p in problems}
    assert details["dangling"].startswith("main.cpp: dangling link")
    assert details["folder"] == "main.cpp: is a folder, not a file"
    assert details["denied"] == "main.cpp: cannot be read: Permission denied"
    assert all(p.criterion for p in problems)  # each of their CSV items carries the reason


# --------------------------------------------------------------------------- CSV header shape


def _csv_lines():
    return ratings_csv(RUBRIC, grades("s1@u", "s2@u")).splitlines(keepends=True)


def _drop(i):
    lines = _csv_lines()
    del lines[i]
    return "".join(lines)


def _dup(i):
    lines = _csv_lines()
    return "".join(lines[:i + 1] + [lines[i]] + lines[i + 1:])


def _swap(i, j):
    lines = _csv_lines()
    lines[i], lines[j] = lines[j], lines[i]
    return "".join(lines)


@pytest.mark.parametrize("text, match", [
    (_drop(5), r"row 6, column 1: expected a header such as 'Email', found 's1@u'"),  # Email row missing
    (_drop(0), r"row 5, column 1: expected blank in the header rows, found 'Email'"),  # titles row missing
    (_drop(2), r"row 3: rating titles must be short letters"),  # rating titles row missing
    (_dup(3), r"row 6, column\(s\) \[2, 3, 4, 5, 6\]: the header row holds numbers"),  # extra header row
    (_dup(5), r"row 7, column 1: 'Email' is a header, not a student"),  # Email row twice
    (_swap(2, 3), r"row 3: rating titles must be short letters such as A, B, C; found 'Good variable names'"),
    (_swap(3, 4), r"row 5: marks must be numbers; found 'Good variable names'"),
])
def test_misshaped_csv_header_is_refused_naming_file_and_row(labs_dir, text, match):
    lab = write_lab(labs_dir, "lab1", grades=grades("s1@u", "s2@u"), csv_text=text)
    with pytest.raises(records.LabFormatError, match=r"rubric_ratings.csv: .*" + match):
        L.read_lab(lab)


def test_header_words_accepted_in_row_6():
    for header in ["Email", "", "Student ID", "Roll No.", "Name", "E-mail Address", "S.No"]:
        lines = _csv_lines()
        lines[5] = lines[5].replace("Email", header, 1)
        assert len(sheet.parse_ratings_csv("".join(lines)).rows) == 2, header


# --------------------------------------------------------------------------- cells


@pytest.mark.parametrize("value, outcome", [
    ("-1", "no mark"), ("nan", "no mark"), ("NaN", "no mark"), ("none", "no mark"), ("false", "no mark"),
    ("-", "no mark"), ("0.0", "no mark"), ("N/A", "no mark"), ("#N/A", "no mark"), ("--", "no mark"),
    ("1.0", "mark"), ("TRUE", "mark"), ("x", "mark"), ("\u2713", "mark"), ("No Comments", "mark"),
    ("Good names", "comment"),
    ("2", "unclear"), ("0.5", "unclear"),
])
def test_cell_values(labs_dir, value, outcome):
    """`value` sits in rating B of "Variable names" where the TA marked nothing else (and
    "Loop bound" is normal), so the item is used with B, reported NO_RATING, or UNCLEAR_CELL."""
    def cell(student, title, letter, chosen):
        if title == "Variable names":
            return value if letter == "B" else "0"

    lab = write_lab(labs_dir, "lab1", grades=grades("s1@u"), cell=cell)
    _, items, problems = read(lab)
    names = [i for i in items if i.criterion.title == "Variable names"]
    if outcome == "no mark":
        assert [p.reason for p in problems] == [records.NO_RATING] and names == []
    elif outcome == "unclear":
        assert [(p.reason, p.detail) for p in problems] == [(records.UNCLEAR_CELL, f"row 7: B={value}")]
    else:
        assert problems == [] and [i.chosen for i in names] == ["B"]
        assert names[0].comment == (value if outcome == "comment" else None)


def test_null_cells_beside_a_mark_keep_the_mark(labs_dir):
    def cell(student, title, letter, chosen):
        return None if chosen else {"A": "-1", "B": "nan", "C": "No"}[letter]

    _, items, problems = read(write_lab(labs_dir, "lab1", grades=grades("s1@u"), cell=cell))
    assert problems == [] and sorted((i.criterion.title, i.chosen) for i in items) == [
        ("Loop bound", "B"), ("Variable names", "A")]


# --------------------------------------------------------------------------- ids


def test_empty_id_parts_never_match(labs_dir):
    rows = grades("@x.in", "@", "@y.in", "ok@u")
    codes = {"@x.in": "a", "@": "b", "@z.in": "c", "ok@u": "int main(){}"}
    lab = write_lab(labs_dir, "lab1", grades=rows, codes=codes)
    (lab / "submissions" / "  ").mkdir()
    (lab / "submissions" / "  " / "main.cpp").write_text("d")
    lab_read, items, problems = read(lab)
    assert used(items) == {"ok"} and set(lab_read.submissions) == {"ok"}
    rows_reported = {(p.student, p.reason) for p in problems if p.criterion}
    assert rows_reported == {("@x.in", records.EMPTY_STUDENT_ID), ("@", records.EMPTY_STUDENT_ID), ("@y.in", records.EMPTY_STUDENT_ID)}
    folders = {(p.student, p.reason) for p in problems if p.criterion is None}
    assert folders == {("@x.in", records.EMPTY_STUDENT_ID), ("@", records.EMPTY_STUDENT_ID), ("@z.in", records.EMPTY_STUDENT_ID),
                       ("  ", records.EMPTY_STUDENT_ID)}


# --------------------------------------------------------------------------- all at once


def test_notices_are_a_clear_set():
    assert set(records.NOTICES) == {records.NOT_UTF8, records.STATEMENT_FALLBACK, records.STATEMENT_NOT_UTF8}
    skips = [records.NO_SUBMISSION, records.NO_CSV_ROW, records.NO_SOURCE, records.LINK_OUTSIDE_LAB, records.UNREADABLE_SOURCE,
             records.SOURCE_TOO_LARGE, records.EMPTY_STUDENT_ID, records.UNCLEAR_CELL]
    assert not any(records.is_notice(records.Problem("lab", reason)) for reason in skips)


def test_file_names_that_are_not_utf8_are_shown_with_replacement_characters(labs_dir):
    lab = write_lab(labs_dir, "lab1", grades=grades("s1@u"))
    folder = os.fsencode(lab / "submissions")
    os.mkdir(folder + b"/s\xff@u")
    with open(folder + b"/s\xff@u/m\xe9.cpp", "wb") as f:
        f.write(b"int main(){}")
    with open(folder + b"/s1@u/x\xe9.h", "wb") as f:
        f.write(b"// helper")
    _, items, problems = read(lab)
    json.dumps([p.__dict__ for p in problems], ensure_ascii=False).encode("utf-8")
    assert [(p.student, p.reason) for p in problems] == [("s\ufffd", records.NO_CSV_ROW)]
    assert "// file: x\ufffd.h" in items[0].code
    items[0].code.encode("utf-8")
