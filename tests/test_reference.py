"""The reference grader (logistic regression on the code's tokens) and how reports place it beside the models."""

from Utils.items import Item
from Utils.metrics import Prediction
from Utils.reference import features, fit_predict, reference_predictions
from Utils.report import IN_LAB, HELD_OUT, baseline_section, build_report, comparison_rows, verdict


def item(student: str, code: str, rating: str | None, criterion: str = "Variable names", lab: str = "lab1") -> Item:
    start = "## Student's code\n```cpp\n"
    content = start + code + "\n```"
    return Item(lab, student, criterion, ("A", "B", "C"), ('{"answer": "A. x"}', '{"answer": "B. y"}',
                                                           '{"answer": "C. z"}'),
                [{"role": "user", "content": content}], (len(start), len(start) + len(code)), rating)


def test_features_count_tokens_bigrams_indentation_and_names_clipped():
    f = features("int x = 1;\n    x = x + x + x + x + x + x;")
    assert f["x"] == 5  # seven uses, clipped at 5
    assert f["int x"] == 1 and f["<indent mod 4 = 0>"] == 2 and f["<one-letter names>"] == 5


def test_fit_predict_learns_what_the_code_shows_and_handles_degenerate_criteria():
    train = ([item(f"a{k}", f"int digitSum{k} = total + value;", "A") for k in range(8)]
             + [item(f"c{k}", f"int x{k} = y + z;", "C") for k in range(8)])
    test = [item("t1", "int digitSum = total + value;", None), item("t2", "int x = y + z;", None)]
    assert fit_predict(train, test) == ["A", "C"]
    assert fit_predict([item("s", "int a;", "B")], test) == ["B", "B"]  # one rating seen: that rating
    assert fit_predict([], test) == [None, None]  # never trained: no answer


def test_reference_predictions_keep_the_test_order_across_criteria():
    train = ([item(f"a{k}", "good_name = 1;", "A") for k in range(5)] + [item(f"b{k}", "q = 1;", "B") for k in range(5)]
             + [item(f"h{k}", "int helper();", "C", criterion="Helper function") for k in range(3)])
    test = [item("t1", "q = 1;", "B"), item("t2", "x();", "C", criterion="Helper function"),
            item("t3", "good_name = 1;", "A"), item("t4", "y", "A", criterion="Unseen criterion")]
    predicted = reference_predictions(train, test)
    assert [(p.student_id, p.predicted_option) for p in predicted] == [("t1", "B"), ("t2", "C"), ("t3", "A"),
                                                                       ("t4", None)]
    assert all(isinstance(p, Prediction) and p.options == ("A", "B", "C") for p in predicted)


def test_report_places_the_reference_beside_the_models_and_says_which_it_beats():
    """In-lab: model 3/4, constant 2/4, reference 4/4; held-out: model 1/2, constant 1/2, reference 0/2."""
    truth = [("lab1", "s1", "A"), ("lab1", "s2", "A"), ("lab1", "s3", "B"), ("lab1", "s4", "C"),
             ("lab2", "s5", "A"), ("lab2", "s6", "B")]
    model = ["A", "A", "B", "A", "A", "A"]
    reference = ["A", "A", "B", "C", "B", "A"]
    preds = [Prediction(lab, sid, "Names", t, m, ("A", "B", "C")) for (lab, sid, t), m in zip(truth, model)]
    ref = [Prediction(lab, sid, "Names", t, r, ("A", "B", "C")) for (lab, sid, t), r in zip(truth, reference)]
    from Utils.report import row_metrics

    section = {"model": {"label": "fine_tuned", "name": "tiny"}, "rows": row_metrics(preds, ["lab2"]),
               "per_criterion": {}, "macro_accuracy": 0.5, "cohen_kappa": 0.1, "quadratic_weighted_kappa": 0.1,
               "items_per_second": 1.0, "n_items": 6}
    report = build_report({"fine_tuned": section}, {"method": "first_token", "held_out_labs": ["lab2"],
                                                   "baselines": baseline_section(preds, ["lab2"], ref, "train.jsonl")})
    assert report["baselines"]["reference"][IN_LAB]["accuracy"] == 1.0
    assert report["baselines"]["reference"][HELD_OUT]["accuracy"] == 0.0
    header, rows = comparison_rows(report)
    assert header[:5] == ["", "items", "chance", "constant", "reference"]
    in_lab = next(r for r in rows if r[0] == IN_LAB)
    assert in_lab[3:5] == ["50.0%", "100.0%"] and in_lab[5].startswith("75.0%")
    assert all(len(r) == len(header) for r in rows)
    text = verdict(report)
    assert "trails the reference grader (100.0%) by 25.0 points" in text
    assert "beats the reference grader (0.0%) by 50.0 points" in text
    assert text.endswith("The fine-tuned model beats the constant answer on the in-lab test students; "
                         "the reference grader on the held-out labs.")
