"""The dataset builder: pairs, split rules, the accounting identity, and the CLI end to end."""

import json
import os
import subprocess
import sys

import pytest

from fixtures import REPO, write_lab
from Utils import create_dataset as C
from Utils.items import item_from_graded
from Utils.labs import read_lab, collect_items
from Utils.pairs import pair_records

SYSTEM = "You grade code. Reply with JSON."


def build(parent, **kw):
    return C.build_dataset(parent, SYSTEM, **kw)


def test_one_pair_per_wrong_rating_in_trl_conversational_format(labs_dir):
    write_lab(labs_dir, "lab1")
    data = build(labs_dir, train_split=1.0)
    # 10 students: names has 3 ratings (2 pairs), loop bound 2 ratings (1 pair)
    assert len(data.train) == 10 * (2 + 1) and data.test == []
    names = [r for r in data.records('train') if r["student_id"] == "s01" and r["criterion"] == "Variable names"]
    assert [r["rejected_option"] for r in names] == ["B", "C"]
    r = names[0]
    assert [m["role"] for m in r["prompt"]] == ["system", "user"]
    assert r["prompt"][0]["content"] == SYSTEM
    assert r["chosen"] == [{"role": "assistant", "content": '{"answer": "A. Good variable names"}'}]
    assert r["rejected"] == [{"role": "assistant", "content": '{"answer": "B. Ok variable names"}'}]
    assert (r["lab"], r["chosen_option"], r["options"]) == ("lab1", "A", ["A", "B", "C"])
    user = r["prompt"][1]["content"]
    start, end = r["code_span"]
    assert user[start:end] == "int main() { /* s01@uni.edu */ }"
    for text in ("Read n and print", "Variable names: Quality of variable names",
                 "A. Good variable names\nB. Ok variable names\nC. Poor naming of variables"):
        assert text in user
    # The chat template is applied at training time: no template text or special tokens in the data.
    blob = json.dumps(data.records('train'))
    for token in ("<s>", "</s>", "[INST]", "<<SYS>>", "<|im_start|>"):
        assert token not in blob


def test_reasoning_uses_ta_comment_or_rating_description(labs_dir):
    def cell(student, title, letter, chosen):
        if chosen and title == "Loop bound" and student.startswith("s01"):
            return "Loop runs once too often"
    write_lab(labs_dir, "lab1", cell=cell)
    data = build(labs_dir, train_split=1.0, dpo_reasoning=True)
    loop = next(r for r in data.records('train') if r["student_id"] == "s01" and r["criterion"] == "Loop bound")
    assert json.loads(loop["chosen"][0]["content"]) == {"answer": "B. Off by one", "reasoning": "Loop runs once too often"}
    assert json.loads(loop["rejected"][0]["content"]) == {"answer": "A. Correct bound", "reasoning": "Correct bound"}
    names = next(r for r in data.records('train') if r["student_id"] == "s01" and r["criterion"] == "Variable names")
    assert json.loads(names["chosen"][0]["content"])["reasoning"] == "Good variable names"


def test_split_is_by_student_sorted_and_shielded_labs_are_test_only(labs_dir):
    write_lab(labs_dir, "lab1")
    write_lab(labs_dir, "lab2")
    data = build(labs_dir, eval_lab_names=["lab2"], train_split=0.7)
    train_students = {(r["lab"], r["student_id"]) for r in data.records('train')}
    test_students = {(r["lab"], r["student_id"]) for r in data.records('test')}
    assert train_students == {("lab1", f"s{i:02d}") for i in range(7)}
    assert test_students == {("lab1", f"s{i:02d}") for i in range(7, 10)} | {("lab2", f"s{i:02d}") for i in range(10)}
    assert [s.split for s in data.labs] == ["train+test", "test"]


def test_shuffle_is_seeded_and_still_by_student():
    ids = [f"s{i:02d}" for i in range(20)]
    a = C.split_students(ids, 0.5, shuffle=True, seed=1)
    assert a == C.split_students(ids, 0.5, shuffle=True, seed=1)
    assert a != C.split_students(ids, 0.5, shuffle=True, seed=2)
    assert a[0] != set(ids[:10]) and not (a[0] & a[1]) and len(a[0]) == 10


def test_unknown_eval_lab_name_is_an_error_with_suggestion(labs_dir):
    write_lab(labs_dir, "lab_loops")
    with pytest.raises(ValueError, match=r"'lab_loop' \(did you mean lab_loops\?\)"):
        build(labs_dir, eval_lab_names=["lab_loop"])


def test_accounting_identity_with_skips_and_a_broken_lab(labs_dir):
    grades = {"a@x": {"Variable names": "A", "Loop bound": "A"}, "b@x": {"Variable names": "A"},
              "c@x": {"Variable names": "C", "Loop bound": "B"}}
    write_lab(labs_dir, "lab1", grades=grades, codes={"a@x": "x", "b@x": "x", "zz@x": "x"})
    broken = write_lab(labs_dir, "lab2")
    (broken / "rubrics.json").write_text("{not json")
    data = build(labs_dir, train_split=0.5)
    report = C.build_report(data, {})
    lab1 = report["labs"][0]
    assert lab1["items_read"] == 6 and lab1["items_written"] == 3
    assert lab1["skipped_by_reason"] == {"no rating marked": 1, "student in CSV has no submission folder": 2}
    assert lab1["students_skipped_by_reason"] == {"submission folder has no row in rubric_ratings.csv": 1}
    t = report["totals"]
    assert t["items_written"] + t["items_skipped"] == t["items_read"] == 6
    assert t["labs_skipped"] == 1
    assert report["labs"][1]["split"] == "skipped" and "rubrics.json: invalid JSON" in report["labs"][1]["error"]
    written = {(r["student_id"], r["criterion"]) for r in data.records('train') + data.records('test')}
    assert len(written) == lab1["items_written"]


def test_item_records_match_the_reader(labs_dir):
    lab = read_lab(write_lab(labs_dir, "lab1"))
    items, _ = collect_items(lab)
    records = pair_records(item_from_graded(items[0], SYSTEM))
    assert len(records) == len(items[0].criterion.ratings) - 1
    assert all(r["prompt"] is records[0]["prompt"] for r in records)  # one prompt, shared by its pairs
    # The item gives back the code and the option descriptions it was built from.
    item = item_from_graded(items[0], SYSTEM)
    assert item.code == items[0].code.rstrip("\n")  # as the prompt holds it
    assert item.descriptions == tuple(r.description for r in items[0].criterion.ratings)


def run_wrapper(*args, cwd=REPO, **settings):
    """create_dpo_dataset.sh on fixture labs: its own shielded labs (of examples/labs) cleared."""
    env = {**os.environ, "EVAL_LAB_NAMES": "", **settings}
    return subprocess.run(["bash", str(REPO / "create_dpo_dataset.sh"), *args], cwd=cwd,
                          capture_output=True, text=True, timeout=120, env=env)


def test_shell_wrapper_end_to_end(labs_dir, tmp_path):
    write_lab(labs_dir, "lab1")
    write_lab(labs_dir, "lab2")
    out = tmp_path / "out"
    p = run_wrapper("--parent_dir", str(labs_dir), "--eval_lab_names", "lab2",
                    "--train_dataset_path", str(out / "train.jsonl"), "--test_dataset_path", str(out / "test.jsonl"),
                    "--report_path", str(out / "report.json"), "--strict")
    assert p.returncode == 0, p.stderr
    assert "lab1" in p.stdout and "total: 40 items read, 40 written, 0 skipped" in p.stdout
    train = [json.loads(line) for line in (out / "train.jsonl").read_text().splitlines()]
    test = [json.loads(line) for line in (out / "test.jsonl").read_text().splitlines()]
    assert len(train) == 7 * 3 and len(test) == 3 * 3 + 10 * 3
    report = json.loads((out / "report.json").read_text())
    assert report["arguments"]["eval_lab_names"] == ["lab2"]
    assert report["arguments"]["system_prompt_path"].endswith("system_prompt.txt")
    assert train[0]["prompt"][0]["content"] == (REPO / "system_prompt.txt").read_text().strip()


@pytest.mark.slow
def test_strict_fails_on_skips_and_bad_input_has_no_traceback(labs_dir, tmp_path):
    write_lab(labs_dir, "lab1", grades={"a": {"Variable names": "A"}}, codes={"a": "x"})
    out = tmp_path / "o"
    common = ["--parent_dir", str(labs_dir), "--train_dataset_path", str(out / "tr.jsonl"),
              "--test_dataset_path", str(out / "te.jsonl"), "--report_path", str(out / "r.json")]
    p = run_wrapper(*common, "--strict")
    assert p.returncode == 1 and "--strict: 1 items, students or labs were skipped" in p.stderr
    assert "1 items: no rating marked" in p.stdout
    p = run_wrapper(*common)
    assert p.returncode == 0
    p = run_wrapper(*common[:2], "--eval_lab_names", "lab9")
    assert p.returncode == 2 and "no lab folder" in p.stderr and "Traceback" not in p.stderr


def test_builder_imports_no_torch():
    code = "import sys, Utils.create_dataset; assert 'torch' not in sys.modules, 'torch imported'"
    p = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True)
    assert p.returncode == 0, p.stderr


def test_system_prompt_file_is_read_or_named_when_missing(tmp_path, capsys):
    from Utils.cli import read_system_prompt
    from Utils.create_dataset import main

    text, path = read_system_prompt(None, reasoning=True)
    assert path.name == "system_prompt_reasoning.txt" and text == path.read_text(encoding="utf-8").strip()
    (tmp_path / "mine.txt").write_text("  Grade strictly.\n")
    assert read_system_prompt(tmp_path / "mine.txt") == ("Grade strictly.", tmp_path / "mine.txt")
    missing = tmp_path / "nope.txt"
    with pytest.raises(FileNotFoundError, match=r"--system_prompt_path: .*nope\.txt: file not found"):
        read_system_prompt(missing)
    assert main(["--parent_dir", str(tmp_path), "--system_prompt_path", str(missing)]) == 2
    assert "nope.txt: file not found" in capsys.readouterr().err


def test_inject_share_plants_instructions_in_training_students_only_and_keeps_the_ta_ratings(labs_dir):
    from Utils.injection import suspicious_text

    write_lab(labs_dir, "lab1")
    write_lab(labs_dir, "lab2")
    plain = build(labs_dir, eval_lab_names=["lab2"], train_split=0.6)
    data = build(labs_dir, eval_lab_names=["lab2"], train_split=0.6, inject_share=0.5)
    assert [s.students_injected for s in data.labs] == [3, 0]  # half of lab1's 6 training students; none shielded

    def code(record):
        start, end = record["code_span"]
        return record["prompt"][1]["content"][start:end]

    injected = {r["student_id"] for r in data.records("train") if suspicious_text(code(r))}
    assert len(injected) == 3
    assert not any(suspicious_text(code(r)) for r in data.records("test"))  # never in the test file
    for before, after in zip(plain.records("train"), data.records("train")):
        assert (before["chosen"], before["rejected"], before["chosen_option"]) == (
            after["chosen"], after["rejected"], after["chosen_option"])  # the TA's rating is kept
    assert data.records("train") == build(labs_dir, eval_lab_names=["lab2"], train_split=0.6,
                                          inject_share=0.5).records("train")  # seeded
