"""Command lines: list flags add up, empty names and clashing paths are refused before anything is
written, and bad input ends with `error:` and exit code 2, never a traceback."""

import subprocess
import sys

import pytest

from fixtures import REPO, write_lab
from Utils import create_dataset
from Utils.cli import UsageError, parse, split_names


def build_args(labs_dir, tmp_path, *extra):
    return ["--parent_dir", str(labs_dir), "--workers", "1", "--train_dataset_path", str(tmp_path / "d" / "tr.jsonl"),
            "--test_dataset_path", str(tmp_path / "d" / "te.jsonl"), *extra]


def test_repeated_list_flags_add_up_in_every_script():
    (args,) = parse(create_dataset.BuildArguments, ["--parent_dir", "x", "--eval_lab_names", "a", "b",
                                                    "--eval_lab_names", "c,d"], "")
    assert args.eval_lab_names == ["a", "b", "c", "d"]
    import evaluate
    import grade

    (ev,) = parse(evaluate.EvaluateArguments, ["--lab_names", "a", "--lab_names", "b"], "")
    assert evaluate.check_args(ev).lab_names == ["a", "b"]
    (gr,) = parse(grade.GradeArguments, ["--parent_dir", "x", "--lab_names", "a,b", "--lab_names", "c"], "")
    assert grade.check_args(gr).lab_names == ["a", "b", "c"]


@pytest.mark.parametrize("values", [[""], ["a,,b"], [" "], ["a", ""]])
def test_an_empty_lab_name_is_an_error(values):
    with pytest.raises(UsageError, match="--lab_names: empty name"):
        split_names(values, "--lab_names")


@pytest.mark.slow
def test_the_wrappers_shielded_labs_stay_shielded_when_more_are_given(labs_dir, tmp_path):
    for name in ("lab05_factorial", "lab06_palindrome", "lab07"):
        write_lab(labs_dir, name)
    out = tmp_path / "out"
    p = subprocess.run(["bash", str(REPO / "create_dpo_dataset.sh"), "--parent_dir", str(labs_dir),
                        "--eval_lab_names", "lab07", "--train_dataset_path", str(out / "train.jsonl"),
                        "--test_dataset_path", str(out / "test.jsonl")], capture_output=True, text=True, timeout=120)
    assert p.returncode == 0, p.stderr
    assert (out / "train.jsonl").read_text() == ""  # all three labs shielded: none trains
    p = subprocess.run(["bash", str(REPO / "create_dpo_dataset.sh"), "--parent_dir", str(labs_dir),
                        "--eval_lab_names", ""], capture_output=True, text=True, timeout=120)
    assert p.returncode == 2 and "empty name" in p.stderr and "Traceback" not in p.stderr


@pytest.mark.parametrize("clash", ["input", "each other", "inside the labs"])
def test_outputs_never_overwrite_inputs_or_each_other(labs_dir, tmp_path, capsys, clash):
    lab = write_lab(labs_dir, "lab1")
    ta_csv = (lab / "rubric_ratings.csv").read_text()
    extra = {"input": ["--report_path", str(REPO / "system_prompt.txt")],
             "each other": ["--test_dataset_path", str(tmp_path / "d" / "tr.jsonl")],
             "inside the labs": ["--train_dataset_path", str(lab / "rubric_ratings.csv")]}[clash]
    assert create_dataset.main(build_args(labs_dir, tmp_path, *extra)) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: output paths clash")
    assert (lab / "rubric_ratings.csv").read_text() == ta_csv and not (tmp_path / "d").exists()


def test_strict_fails_a_run_that_found_no_lab(tmp_path, capsys):
    (tmp_path / "empty").mkdir()
    args = build_args(tmp_path / "empty", tmp_path, "--strict")
    assert create_dataset.main(args) == 1 and "no lab folder was found" in capsys.readouterr().err


@pytest.mark.slow
def test_the_builder_runs_as_a_module_from_the_repository_root(labs_dir, tmp_path):
    write_lab(labs_dir, "lab1")
    p = subprocess.run([sys.executable, "-m", "Utils.create_dataset", *build_args(labs_dir, tmp_path)],
                       capture_output=True, text=True, timeout=120, cwd=REPO)
    assert p.returncode == 0, p.stderr
    assert (tmp_path / "d" / "tr.jsonl").stat().st_size > 0


def test_malformed_rows_of_a_test_file_are_named_before_any_model_loads(tmp_path, capsys):
    import json

    import evaluate

    good = {"prompt": [{"role": "user", "content": "code"}], "chosen": [{"role": "assistant", "content": "x"}],
            "rejected": [{"role": "assistant", "content": "y"}], "lab": "l", "student_id": "s", "criterion": "c",
            "chosen_option": "A", "rejected_option": "B", "options": ["A", "B"], "code_span": [0, 4]}
    rows = [good, {**good, "student_id": 7}, {**good, "options": "AB"}, {**good, "code_span": ["a", 1]}, [1, 2]]
    path = tmp_path / "test.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n{not json\n")
    assert evaluate.main(["--test_dataset_path", str(path), "--model", "no-such-model-is-loaded"]) == 2
    err = capsys.readouterr().err
    for expected in ["line 2: field 'student_id' must be a non-empty string", "line 3: field 'options'",
                     "line 4: field 'code_span'", "line 5: expected a JSON object", "line 6: invalid JSON"]:
        assert expected in err, expected
    assert "Traceback" not in err


@pytest.mark.slow
def test_dpo_train_answers_a_bad_setting_with_error_and_exit_2(tmp_path):
    p = subprocess.run([sys.executable, str(REPO / "dpo_train.py"), "--trainer", "fancy",
                        "--train_dataset_path", str(tmp_path / "none.jsonl")],
                       capture_output=True, text=True, timeout=300, cwd=REPO)
    assert p.returncode == 2 and "error: --trainer must be one of" in p.stderr and "Traceback" not in p.stderr


@pytest.mark.parametrize("new, old", [("modified_ps", "0"), ("ps", "1")])
def test_statement_and_its_older_name_verbose_read_the_same_file(labs_dir, tmp_path, new, old):
    write_lab(labs_dir, "lab1")  # modified_ps.txt "Read n ...", ps.txt "LONG: Read n ..."
    pairs = {}
    for flags in (["--statement", new], ["--verbose", old]):
        out = tmp_path / flags[0].strip("-")
        assert create_dataset.main(build_args(labs_dir, out, *flags)) == 0
        pairs[flags[0]] = (out / "d" / "tr.jsonl").read_text() + (out / "d" / "te.jsonl").read_text()
    assert pairs["--statement"] == pairs["--verbose"]
    assert ("LONG: Read n" in pairs["--statement"]) == (new == "ps")
    assert "Read n and print" in pairs["--statement"]
    import evaluate
    import grade

    for script, cls, extra in ((grade, grade.GradeArguments, ["--parent_dir", "x"]),
                               (evaluate, evaluate.EvaluateArguments, []),
                               (create_dataset, create_dataset.BuildArguments, ["--parent_dir", "x"])):
        (args,) = parse(cls, [*extra, "--verbose", old], "")
        assert script.check_args(args).statement == new


def test_an_invalid_verbose_or_one_contradicting_statement_is_an_error_naming_the_flags(labs_dir, tmp_path, capsys):
    write_lab(labs_dir, "lab1")
    assert create_dataset.main(build_args(labs_dir, tmp_path, "--verbose", "2")) == 2
    assert "--verbose (older name for --statement) must be 0 (modified_ps) or 1 (ps), got 2" in capsys.readouterr().err
    assert create_dataset.main(build_args(labs_dir, tmp_path, "--statement", "ps", "--verbose", "0")) == 2
    assert "contradicts --statement ps" in capsys.readouterr().err
    assert not (tmp_path / "d").exists()
    from Utils import review_page

    assert review_page.main(["--lab_dir", str(labs_dir / "lab1"), "--suggestions", "x.json", "--verbose", "3"]) == 2
    assert "--verbose (older name for --statement)" in capsys.readouterr().err
