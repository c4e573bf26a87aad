"""The lab reader against every edge case of the lab format spec (docs/lab-format.md)."""

import json

import pytest

from fixtures import RUBRIC, ratings_csv, write_lab
from Utils import lab_records as records
from Utils import ratings_sheet as sheet
from Utils.rubric import parse_rubric
from Utils import safe_read
from Utils import labs as L


def read_items(lab_dir):
    return L.collect_items(L.read_lab(lab_dir))


def reasons(problems):
    return sorted((p.student, p.criterion, p.reason) for p in problems)


def test_clean_lab_gives_one_item_per_student_and_criterion(labs_dir):
    items, problems = read_items(write_lab(labs_dir, "lab1"))
    assert problems == []
    assert len(items) == 20
    item = next(i for i in items if i.student_id == "s01" and i.criterion.title == "Loop bound")
    assert item.chosen == "B" and item.comment is None
    assert item.criterion.letters == ("A", "B")
    assert "s01" in item.code and item.language == "cpp"
    assert item.statement == "Read n and print the sum of 1..n."


def test_rubric_ratings_sorted_by_letter_and_optional_fields():
    rubric = [{"title": "Names", "description": "d", "Ratings": [
        {"title": "C", "description": "poor"}, {"title": "A", "description": "good", "marks": "2"},
        {"title": "B", "description": "ok", "id": 3}]}]
    (c,) = parse_rubric(json.dumps(rubric))
    assert c.letters == ("A", "B", "C")
    assert c.rating("A").marks == 2.0 and c.rating("C").marks is None


def test_rubric_errors_are_collected_and_name_the_file():
    bad = [{"title": "X", "Ratings": [{"title": "A"}]}, {"description": "no title", "Ratings": []},
           {"title": "Y", "Ratings": [{"title": "A", "description": "a"}, {"title": "A", "description": "b"}]}]
    with pytest.raises(records.LabFormatError) as e:
        parse_rubric(json.dumps(bad), "lab9/rubrics.json")
    msg = str(e.value)
    assert msg.startswith("lab9/rubrics.json")
    assert "rating 'A' has no 'description'" in msg and "criterion 1: missing 'title'" in msg
    assert "rating titles repeated: A" in msg


def test_invalid_json_names_line():
    with pytest.raises(records.LabFormatError, match=r"rubrics.json: invalid JSON at line 2"):
        parse_rubric('[\n{"title": }]')


def test_csv_with_bom_crlf_quoted_commas_and_trailing_column():
    rubric = [{"title": "Names", "description": "Names, and more", "Ratings": [
        {"title": "A", "description": "Good, clear"}, {"title": "B", "description": "Poor"}]}]
    text = ratings_csv(rubric, {"x1@a.b": {"Names": "B"}, "x2": {"Names": "A"}})
    text = "\ufeff" + text.replace("\n", ",\r\n")  # BOM, Windows line ends, a trailing empty column
    table = sheet.parse_ratings_csv(safe_read.decode_text(text.encode("utf-8"))[0])
    (crit,) = table.criteria
    assert crit.title == "Names" and crit.descriptions == ("Good, clear", "Poor")
    assert [r.student_id for r in table.rows] == ["x1", "x2"]
    assert [m.letter for m in table.marks(table.rows[0], crit)] == ["B"]


def test_comment_cells_mark_the_rating_and_carry_the_comment(labs_dir):
    def cell(student, title, letter, chosen):
        if chosen and title == "Loop bound":
            return "Loop runs once too often" if student.startswith("s01") else "No Comments"
    items, problems = read_items(write_lab(labs_dir, "lab1", cell=cell))
    assert problems == []
    by = {(i.student_id, i.criterion.title): i for i in items}
    assert by["s01", "Loop bound"].chosen == "B"
    assert by["s01", "Loop bound"].comment == "Loop runs once too often"
    assert by["s02", "Loop bound"].comment is None  # "No Comments" means none
    assert by["s01", "Variable names"].comment is None


def test_unusable_items_are_reported_with_reasons(labs_dir):
    grades = {"a@x": {"Variable names": "A", "Loop bound": "A"},
              "nosub@x": {"Variable names": "A", "Loop bound": "A"},
              "none@x": {"Variable names": "A"},  # no loop rating marked
              "two@x": {"Variable names": "A", "Loop bound": "A"}}

    def cell(student, title, letter, chosen):
        if student == "two@x" and title == "Loop bound":
            return "1"  # both A and B marked

    codes = {"a@x": "int main(){}", "none@x": "int main(){}", "two@x": "int main(){}", "extra@y": "int main(){}"}
    items, problems = read_items(write_lab(labs_dir, "lab1", grades=grades, codes=codes, cell=cell))
    assert sorted((i.student_id, i.criterion.title) for i in items) == [
        ("a", "Loop bound"), ("a", "Variable names"), ("none", "Variable names"), ("two", "Variable names")]
    assert reasons(problems) == sorted([
        ("nosub", "Variable names", records.NO_SUBMISSION), ("nosub", "Loop bound", records.NO_SUBMISSION),
        ("none", "Loop bound", records.NO_RATING), ("two", "Loop bound", records.SEVERAL_RATINGS),
        ("extra", None, records.NO_CSV_ROW)])
    several = next(p for p in problems if p.reason == records.SEVERAL_RATINGS)
    assert "row 10" in several.detail and "A, B" in several.detail


def test_criteria_missing_on_either_side_and_differing_ratings(labs_dir):
    csv_rubric = [RUBRIC[0], {"title": "Comments", "description": "c", "Ratings": [
        {"title": "A", "description": "a"}, {"title": "B", "description": "b"}]}]
    json_rubric = [{**RUBRIC[0], "Ratings": RUBRIC[0]["Ratings"][:2]}, RUBRIC[1]]
    grades = {"s1@x": {"Variable names": "A", "Comments": "B"}}
    lab = write_lab(labs_dir, "lab1", rubric=json_rubric, grades=grades,
                    csv_text=ratings_csv(csv_rubric, grades))
    items, problems = read_items(lab)
    assert items == []
    assert reasons(problems) == sorted([
        ("s1", "Variable names", records.RATINGS_DIFFER), ("s1", "Comments", records.NOT_IN_RUBRIC),
        ("s1", "Loop bound", records.NOT_IN_CSV)])


def test_duplicate_rows_and_duplicate_submission_folders(labs_dir):
    grades = {"dup@a": {"Variable names": "A", "Loop bound": "A"}, "dup@b": {"Variable names": "B", "Loop bound": "A"},
              "twofolders@a": {"Variable names": "A", "Loop bound": "A"}, "nosrc": {"Variable names": "A", "Loop bound": "A"}}
    codes = {"dup@a": "x", "twofolders@a": "x", "twofolders@b": "y"}
    lab = write_lab(labs_dir, "lab1", grades=grades, codes=codes)
    (lab / "submissions" / "nosrc").mkdir()
    (lab / "submissions" / "nosrc" / "notes.txt").write_text("not code")
    items, problems = read_items(lab)
    assert items == []
    got = {(p.student, p.reason) for p in problems}
    assert got == {("dup", records.DUPLICATE_ROW), ("twofolders", records.SEVERAL_SUBMISSIONS), ("nosrc", records.NO_SOURCE)}
    assert len(problems) == 8  # four rows x two criteria, each reported


def test_non_utf8_source_is_decoded_and_reported_not_dropped(labs_dir):
    grades = {"s1@x": {"Variable names": "A", "Loop bound": "A"}}
    codes = {"s1@x": b"// caf\xe9\r\nint main() {}\r\n"}
    items, problems = read_items(write_lab(labs_dir, "lab1", grades=grades, codes=codes))
    assert len(items) == 2
    assert items[0].code == "// caf\ufffd\nint main() {}\n"
    assert [(p.student, p.reason, p.detail) for p in problems] == [("s1", records.NOT_UTF8, "main.cpp")]


def test_several_source_files_are_joined_and_other_files_ignored(labs_dir):
    lab = write_lab(labs_dir, "lab1", grades={"s1": {"Variable names": "A", "Loop bound": "A"}}, codes={"s1": "main"})
    folder = lab / "submissions" / "s1"
    (folder / "util.h").write_text("helper")
    (folder / "a.out").write_bytes(b"\x7fELF\x00")
    items, _ = read_items(lab)
    assert items[0].code == "// file: main.cpp\nmain\n\n// file: util.h\nhelper\n"


def test_statement_choice_by_verbose(labs_dir):
    lab = write_lab(labs_dir, "lab1")
    assert L.read_lab(lab, verbose=0).statement.startswith("Read n")
    assert L.read_lab(lab, verbose=1).statement.startswith("LONG:")
    (lab / "ps.txt").unlink()
    (lab / "problemStatement.txt").write_text("OLDER EXPORT")
    assert L.read_lab(lab, verbose=1).statement == "OLDER EXPORT"
    (lab / "modified_ps.txt").unlink()
    # An older export without the asked-for file falls back to the one it has, with a notice.
    fallback = L.read_lab(lab, verbose=0)
    assert fallback.statement == "OLDER EXPORT" and fallback.statement_file == "problemStatement.txt"
    assert [p.reason for p in fallback.lab_notices] == [records.STATEMENT_FALLBACK]
    (lab / "problemStatement.txt").unlink()
    with pytest.raises(records.LabFormatError, match="no problem statement"):
        L.read_lab(lab, verbose=0)


def test_broken_csv_header_names_file_and_row(labs_dir):
    lab = write_lab(labs_dir, "lab1")
    text = ratings_csv(RUBRIC + [{**RUBRIC[0]}], {})  # "Variable names" columns appear twice, apart
    (lab / "rubric_ratings.csv").write_text(text)
    with pytest.raises(records.LabFormatError, match=r"rubric_ratings.csv: row 1: the columns of criterion 'Variable names' are not adjacent"):
        L.read_lab(lab)
    (lab / "rubric_ratings.csv").write_text(",A\n,b\n")
    with pytest.raises(records.LabFormatError, match="expected 6 header rows"):
        L.read_lab(lab)


def test_row_with_more_cells_than_header_is_reported(labs_dir):
    grades = {"s1": {"Variable names": "A", "Loop bound": "A"}}
    text = ratings_csv(RUBRIC, grades).rstrip("\n") + ",1,stray\n"
    items, problems = read_items(write_lab(labs_dir, "lab1", grades=grades, csv_text=text))
    assert items == [] and {p.reason for p in problems} == {records.MALFORMED_ROW}
    assert "row 7 has 8 cells but the header has 6" in problems[0].detail


def test_grading_reads_a_lab_without_ratings(labs_dir):
    lab_dir = write_lab(labs_dir, "lab1")
    (lab_dir / "rubric_ratings.csv").unlink()
    lab = L.read_lab(lab_dir, with_ratings=False)
    assert lab.ratings is None and len(lab.submissions) == 10


def test_python_and_java_sources_and_ids_without_domain(labs_dir):
    grades = {"py1": {"Variable names": "A", "Loop bound": "A"}, "jv@x.org": {"Variable names": "B", "Loop bound": "A"}}
    lab = write_lab(labs_dir, "lab1", grades=grades, codes={})
    for folder, name, text in [("py1", "sol.py", "print(1)\r\n"), ("jv@x.org", "Main.java", "class Main {}")]:
        (lab / "submissions" / folder).mkdir()
        (lab / "submissions" / folder / name).write_text(text)
    items, problems = read_items(lab)
    assert problems == []
    by = {i.student_id: i for i in items}
    assert (by["py1"].language, by["py1"].code) == ("python", "print(1)\n")
    assert by["jv"].language == "java"
