"""Evaluation outputs: predictions.jsonl, report.json, report.md and PNG plots.

A report holds one section per scored model ("fine_tuned" and "base" when an adapter was
given, else "base"); the primary model's metrics (the fine-tuned one when there is one) sit at
the top level of report.json, the base model's under "base", so both read side by side.
Building the report (pure) is kept apart from writing and plotting it (I/O).
"""

from __future__ import annotations

from pathlib import Path

from Utils.calibration import Calibration, coverage_at, coverage_curve, reliability, setting_name, setting_of
from Utils.files import write_json_atomic, write_text_atomic
from Utils.metrics import (NO_PREDICTION, Prediction, bootstrap_interval, chance_accuracy, cohen_kappa,
                           majority_baseline, micro_accuracy, quadratic_weighted_kappa, summarize)
from Utils.predictions import predictions_of, write_predictions
from Utils.runs import read_training_log
from Utils.scoring import ScoringRun

FINE_TUNED, BASE = "fine_tuned", "base"
MODEL_TITLES = {FINE_TUNED: "fine-tuned", BASE: "base"}
# Training-log series plotted per panel (train, eval), named as in trainer_state.json.
CURVE_PANELS = (("loss", "eval_loss"), ("choice/accuracy", "eval_choice/accuracy"),
                ("logps/accuracies", "eval_logps/accuracies"),
                ("rewards/accuracies", "eval_rewards/accuracies"), ("rewards/margins", "eval_rewards/margins"))


# --------------------------------------------------------------------------- building (pure)

HELD_OUT, IN_LAB, ALL = "held-out labs", "in-lab test students", "all items"


def row_groups(predictions: list[Prediction], held_out_labs: list[str]) -> dict[str, list[Prediction]]:
    """The items behind each row of the comparison: per lab, then the held-out labs (never trained
    on), the test students of the training labs, and all items."""
    groups: dict[str, list[Prediction]] = {}
    for p in predictions:
        groups.setdefault(p.lab, []).append(p)
    held = set(held_out_labs)
    if held:
        groups[HELD_OUT] = [p for p in predictions if p.lab in held]
        groups[IN_LAB] = [p for p in predictions if p.lab not in held]
    groups[ALL] = list(predictions)
    return {k: v for k, v in groups.items() if v}


def row_metrics(predictions: list[Prediction], held_out_labs: list[str]) -> dict[str, dict]:
    return {name: {"n": len(group), "accuracy": micro_accuracy(group), "interval_95": bootstrap_interval(group),
                   "cohen_kappa": cohen_kappa([p.true_option for p in group], [p.predicted_option for p in group]),
                   "quadratic_weighted_kappa": quadratic_weighted_kappa(group)}
            for name, group in row_groups(predictions, held_out_labs).items()}


def baseline_section(predictions: list[Prediction], held_out_labs: list[str],
                     reference: list[Prediction] | None = None, reference_source: str | None = None) -> dict:
    """The constant answer's and chance's agreement, row by row, on the items the models were scored on;
    with `reference` (`Utils.reference.reference_predictions` of the same items), the reference grader's."""
    constant = majority_baseline(predictions)
    groups = row_groups(predictions, held_out_labs)
    section = {"constant_answer": row_metrics(constant, held_out_labs),
               "chance": {name: {"n": len(g), "accuracy": chance_accuracy(g)} for name, g in groups.items()},
               "definition": "constant answer: each criterion's most common TA rating among these items (the best "
                             "any constant answer can do); chance: a uniformly random option; reference: logistic "
                             "regression on the code's tokens, one per criterion, trained on the training pairs "
                             "(Utils/reference.py)"}
    if reference is not None:
        section["reference"] = row_metrics(reference, held_out_labs)
        section["reference_trained_on"] = reference_source
    return section


def calibration_section(run: ScoringRun, calibration: Calibration | None, held_out_labs: list[str]) -> dict | None:
    """Reliability and coverage of the calibrated confidence on the held-out labs (not used to fit
    it), else on all items."""
    scored = [s for s in run.scores if s.confidence is not None]
    if calibration is None or not scored:
        return None
    held = [s for s in scored if s.item.lab in set(held_out_labs)]
    chosen, where = (held, HELD_OUT) if held else (scored, ALL)
    confidences = [s.confidence for s in chosen]
    correct = [s.predicted_option == s.item.true_option for s in chosen]
    curve = coverage_curve(confidences, correct)
    return {**calibration.to_dict(), "evaluated_on": where, "reliability": reliability(confidences, correct),
            "coverage": coverage_at(curve), "curve": curve[:: max(1, len(curve) // 50)]}


def model_section(run: ScoringRun, description: dict, held_out_labs: list[str] = (),
                  calibration: Calibration | None = None) -> dict:
    """Every metric of one model's scoring run, plus how fast it ran and what it could not score."""
    predictions = predictions_of(run)
    section = {"model": description, "method": run.method, **summarize(predictions),
               "rows": row_metrics(predictions, list(held_out_labs))}
    if held_out_labs:
        held = section["rows"].get(HELD_OUT, {})
        section["held_out_micro_accuracy"] = held.get("accuracy")
        section["held_out_n_items"] = held.get("n", 0)
    section.update({
        "calibration": calibration_section(run, calibration, list(held_out_labs)),
        "parse_failures": run.parse_failures,
        "unscored": [{"lab": s.item.lab, "student_id": s.item.student_id, "criterion": s.item.criterion,
                      "reason": s.error} for s in run.scores if s.error],
        "shortened": sum(s.shortened for s in run.scores),
        "items_per_second": run.items_per_second,
        "seconds": run.seconds,
        "forward_passes": run.forward_passes,
    })
    return section


def build_report(sections: dict[str, dict], context: dict) -> dict:
    """report.json: the primary model's section at the top level, the base model's under "base"."""
    primary = FINE_TUNED if FINE_TUNED in sections else BASE
    report = {**context, **sections[primary]}
    if primary == FINE_TUNED and BASE in sections:
        report[BASE] = sections[BASE]
    return report


def sections_of(report: dict) -> dict[str, dict]:
    """The model sections of a report, fine-tuned first."""
    primary = report["model"]["label"]
    out = {primary: report}
    if BASE in report and primary != BASE:
        out[BASE] = report[BASE]
    return out


def _pct(value) -> str:
    return "n/a" if value is None else f"{100 * value:.1f}%"


def _num(value, digits=3) -> str:
    return "n/a" if value is None else f"{value:.{digits}f}"


def _interval(entry: dict) -> str:
    ci = entry.get("interval_95")
    return f"{_pct(entry.get('accuracy'))} [{100 * ci[0]:.0f}-{100 * ci[1]:.0f}]" if ci else _pct(entry.get("accuracy"))


def comparison_rows(report: dict) -> tuple[list[str], list[list[str]]]:
    """Rows (per lab, held-out labs, in-lab students, all; then macro, kappas, speed) x columns
    (chance, the constant answer, the models, and the fine-tuned model's change over the base)."""
    sections = sections_of(report)
    labels = list(sections)[::-1]  # base first, then fine-tuned
    baseline = report.get("baselines") or {}
    reference = baseline.get("reference")
    header = ["", "items", "chance", "constant"] + (["reference"] if reference else []) \
        + [MODEL_TITLES.get(l, l) for l in labels]
    two = len(labels) == 2
    if two:
        header.append("change")
    primary = sections[labels[-1]]
    held_out = set(report.get("held_out_labs") or ())
    rows = []
    for name, entry in primary["rows"].items():
        shown = name + (" (held-out)" if name in held_out else "")
        chance = baseline.get("chance", {}).get(name, {}).get("accuracy")
        constant = baseline.get("constant_answer", {}).get(name, {}).get("accuracy")
        values = [sections[l]["rows"].get(name, {}) for l in labels]
        summary_row = name in (HELD_OUT, IN_LAB, ALL)
        cells = [(_interval(v) if summary_row else _pct(v.get("accuracy"))) for v in values]
        row = [shown, str(entry["n"]), _pct(chance), _pct(constant)] \
            + ([_pct(reference.get(name, {}).get("accuracy"))] if reference else []) + cells
        if two:
            a, b = (v.get("accuracy") for v in values)
            row.append("n/a" if a is None or b is None else f"{100 * (b - a):+.1f}")
        rows.append(row)
    blank = [""] if two else []

    def add(name, n, values, baseline_cells=("", "", ""), points=True):
        row = [name, str(n), *baseline_cells[:3 if reference else 2]] + [(_pct(v) if points else _num(v))
                                                                         for v in values]
        if two:
            a, b = values
            row.append("n/a" if a is None or b is None else (f"{100 * (b - a):+.1f}" if points else f"{b - a:+.3f}"))
        rows.append(row)

    constant_all = baseline.get("constant_answer", {}).get(ALL, {})
    add("macro (mean over criteria)", f"{len(primary['per_criterion'])} crit.",
        [sections[l]["macro_accuracy"] for l in labels])
    reference_all = (reference or {}).get(ALL, {})
    add("Cohen's kappa", primary["n_items"], [sections[l]["cohen_kappa"] for l in labels],
        ("0.000", _num(constant_all.get("cohen_kappa")), _num(reference_all.get("cohen_kappa"))), points=False)
    add("quadratic-weighted kappa", primary["n_items"], [sections[l]["quadratic_weighted_kappa"] for l in labels],
        ("0.000", _num(constant_all.get("quadratic_weighted_kappa")),
         _num(reference_all.get("quadratic_weighted_kappa"))), points=False)
    empty = ["", "", ""] + ([""] if reference else [])
    rows.append(["items/second", *empty] + [f"{sections[l]['items_per_second']:.3g}" for l in labels] + blank)
    if report.get("method") == "generate":
        rows.append(["parse failures", *empty] + [str(sections[l]["parse_failures"]) for l in labels] + blank)
    return header, rows


def verdict(report: dict) -> str:
    """Plain sentences: on the new students of the training labs and on the held-out labs (or on all items),
    how the primary model compares with the base model, the constant answer and the reference grader, and
    last, which of them it beats."""
    sections = sections_of(report)
    primary = sections[list(sections)[0]]
    baselines = report.get("baselines") or {}
    names = [n for n in (IN_LAB, HELD_OUT) if n in primary["rows"]] or [ALL]
    title = MODEL_TITLES.get(primary["model"]["label"], primary["model"]["label"])
    sentences, beaten = [], {}
    for name in names:
        entry = primary["rows"][name]
        others = [("the base model", sections.get(BASE, {}).get("rows", {}).get(name, {}).get("accuracy")
                   if len(sections) == 2 else None),
                  ("the constant answer", baselines.get("constant_answer", {}).get(name, {}).get("accuracy")),
                  ("the reference grader", (baselines.get("reference") or {}).get(name, {}).get("accuracy"))]
        parts = [f"On the {name} ({entry['n']} items) the {title} model agrees with the TAs on "
                 f"{_interval(entry)} (95% interval) of items"]
        beaten[name] = []
        for other, value in others:
            if value is None or entry["accuracy"] is None:
                continue
            gap = 100 * (entry["accuracy"] - value)
            parts.append(f"beats {other} ({_pct(value)}) by {gap:.1f} points" if gap > 0 else
                         f"trails {other} ({_pct(value)}) by {-gap:.1f} points" if gap < 0 else f"ties {other}")
            if gap > 0:
                beaten[name].append(other)
        sentences.append("; ".join(parts) + ".")
    summary = [f"{', '.join(b) if b else 'none of them'} on the {name}" for name, b in beaten.items()]
    sentences.append(f"The {title} model beats {'; '.join(summary)}.")
    return " ".join(sentences)


def format_table(header: list[str], rows: list[list[str]]) -> str:
    """Plain-text table for the terminal."""
    widths = [max(len(r[i]) for r in [header] + rows) for i in range(len(header))]
    line = lambda r: "  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths)))
    return "\n".join([line(header), "  ".join("-" * w for w in widths)] + [line(r) for r in rows])


def markdown_table(header: list[str], rows: list[list[str]]) -> str:
    align = ["---"] + ["---:"] * (len(header) - 1)
    return "\n".join("| " + " | ".join(r) + " |" for r in [header, align] + rows)


def markdown_report(report: dict, images: list[str] = ()) -> str:
    """report.md: the comparison, per-criterion accuracy and kappa, confusion matrices, plots."""
    sections = sections_of(report)
    lines = ["# Evaluation report", ""]
    for label, section in sections.items():
        m = section["model"]
        adapter = f", adapter `{m['adapter_path']}`" if m.get("adapter_path") else ""
        lines.append(f"- {MODEL_TITLES.get(label, label)}: `{m['name']}`{adapter}")
    lines += [f"- method: {report['method']}; max_length {report.get('max_length')} "
              f"({report.get('max_length_source', '')}); test data: `{report.get('test_data', '')}`",
              f"- items: {report['n_items']}; shortened to fit: {report['shortened']}; "
              f"could not be scored: {len(report['unscored'])}; parse failures: {report['parse_failures']}",
              "", "## Agreement with the TAs", "", markdown_table(*comparison_rows(report)), "",
              f"**{verdict(report)}**", "",
              "Micro accuracy counts items with no prediction as wrong, with a 95% bootstrap interval over "
              "students in brackets; macro accuracy is the mean of the per-criterion accuracies; kappa is Cohen's "
              "over rating letters; quadratic-weighted kappa counts how far off a rating is. *Constant*: each "
              "criterion answered with its most common TA rating among these items (the best any constant answer "
              "can do); *chance*: a uniformly random option. *Held-out labs* were never trained on; *in-lab test "
              "students* are new students of the training labs.", ""]
    for label, section in sections.items():
        if section.get("calibration"):
            lines += _confidence_lines(label, section["calibration"])
    labels = list(sections)[::-1]
    lines += _per_criterion_lines(sections, labels)
    for label in labels:
        lines += [f"## Confusion matrices ({MODEL_TITLES.get(label, label)})", "",
                  "Rows: the TA's rating; columns: the prediction" +
                  (f" ('{NO_PREDICTION}': no prediction)" if sections[label]["no_prediction"] else "") + ".", ""]
        for key, cm in sections[label]["confusion_matrices"].items():
            cm_rows = [[r] + [str(v) for v in row] for r, row in zip(cm["labels"], cm["matrix"])]
            lines += [f"**{key}**", "", markdown_table(["TA \\ predicted"] + cm["columns"], cm_rows), ""]
    if report["unscored"]:
        lines += ["## Items that could not be scored", ""] + [
            f"- {u['lab']}/{u['student_id']}/{u['criterion']}: {u['reason']}" for u in report["unscored"]] + [""]
    if report.get("skipped_items"):
        lines += ["## Items the lab reader could not use", ""] + [f"- {p}" for p in report["skipped_items"]] + [""]
    if images:
        lines += ["## Plots", ""] + [f"![{Path(i).stem}]({i})" for i in images] + [""]
    return "\n".join(lines)


def _confidence_lines(label: str, calibration: dict) -> list[str]:
    """report.md's confidence section of one model: its temperature, reliability bins and auto-accept coverage."""
    rel = calibration["reliability"]
    return [f"## Confidence ({MODEL_TITLES.get(label, label)})", "",
            f"Temperature {calibration['temperature']:.3g} (scoring {setting_name(*setting_of(calibration))}), "
            f"fitted on {calibration['n_items']} items "
            f"({calibration['fitted_on']}); checked on the {calibration['evaluated_on']} ({rel['n']} items): "
            f"expected calibration error {_num(rel['ece'])}.", "",
            markdown_table(["confidence", "items", "mean confidence", "accuracy"],
                           [[f"{b['bin'][0]:.1f}-{b['bin'][1]:.1f}", str(b["n"]), _pct(b["confidence"]),
                             _pct(b["accuracy"])] for b in rel["bins"]]), "",
            "Auto-accepting the items at or above a confidence threshold:", "",
            markdown_table(["target accuracy", "threshold", "items auto-accepted", "share"],
                           [[_pct(c["target_accuracy"]), _num(c["threshold"]), str(c["n"]), _pct(c["coverage"])]
                            for c in calibration["coverage"]]), ""]


def _per_criterion_lines(sections: dict, labels: list[str]) -> list[str]:
    """report.md's per-criterion section: items, accuracy and kappa of each model (in `labels` order)."""
    header = ["criterion", "items"] + [f"{MODEL_TITLES.get(l, l)} accuracy" for l in labels] + \
             [f"{MODEL_TITLES.get(l, l)} kappa" for l in labels]
    rows = []
    for key, entry in sections[labels[-1]]["per_criterion"].items():
        per = [sections[l]["per_criterion"].get(key, {}) for l in labels]
        rows.append([key, str(entry["n"])] + [_pct(p.get("accuracy")) for p in per] +
                    [_num(p.get("cohen_kappa")) for p in per])
    return ["## Per criterion", "", markdown_table(header, rows), ""]


# --------------------------------------------------------------------------- plots (I/O)


def _pyplot():
    import matplotlib

    matplotlib.use("Agg")  # files only: no display on servers
    import matplotlib.pyplot as plt

    return plt


def plot_confusion_matrices(matrices: dict[str, dict], path: Path, title: str) -> None:
    plt = _pyplot()
    n = len(matrices)
    cols = min(4, n)
    rows = (n + cols - 1) // cols
    fig, axes = plt.subplots(rows, cols, figsize=(3.4 * cols, 3.2 * rows), squeeze=False)
    for ax, (key, cm) in zip(axes.flat, matrices.items()):
        ax.imshow(cm["matrix"], cmap="Blues")
        top = max(max(row) for row in cm["matrix"]) or 1
        for r, row in enumerate(cm["matrix"]):
            for c, value in enumerate(row):
                ax.text(c, r, str(value), ha="center", va="center", fontsize=9,
                        color="white" if value > top / 2 else "black")
        ax.set_xticks(range(len(cm["columns"])), cm["columns"])
        ax.set_yticks(range(len(cm["labels"])), cm["labels"])
        ax.set_xlabel("predicted", fontsize=8)
        ax.set_ylabel("TA", fontsize=8)
        ax.set_title(key if len(key) <= 40 else key[:37] + "...", fontsize=8)
    for ax in list(axes.flat)[n:]:
        ax.axis("off")
    fig.suptitle(title)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def plot_lab_accuracy(report: dict, path: Path) -> None:
    """Per-lab accuracy, one bar per model side by side."""
    plt = _pyplot()
    sections = sections_of(report)
    labels = list(sections)[::-1]
    labs = list(sections[labels[-1]]["per_lab"])
    width = 0.8 / len(labels)
    fig, ax = plt.subplots(figsize=(max(6, 1.3 * len(labs) + 2), 4))
    for k, label in enumerate(labels):
        values = [100 * (sections[label]["per_lab"].get(lab, {}).get("accuracy") or 0) for lab in labs]
        bars = ax.bar([i + (k - (len(labels) - 1) / 2) * width for i in range(len(labs))], values, width,
                      label=MODEL_TITLES.get(label, label))
        ax.bar_label(bars, fmt="%.0f", fontsize=7)
    ax.set_xticks(range(len(labs)), labs, rotation=20, ha="right", fontsize=8)
    ax.set_ylabel("agreement with TA (%)")
    ax.set_ylim(0, 105)
    ax.legend()
    ax.set_title("Accuracy per lab")
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def plot_reliability(calibrated: dict[str, dict], path: Path) -> None:
    """Per model: confidence against accuracy (the diagonal is perfect calibration), and the
    accuracy of the auto-accepted items against how many are auto-accepted."""
    plt = _pyplot()
    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 4))
    left.plot([0, 1], [0, 1], color="grey", linestyle=":", linewidth=1)
    for label, calibration in calibrated.items():
        bins = calibration["reliability"]["bins"]
        name = MODEL_TITLES.get(label, label)
        left.plot([b["confidence"] for b in bins], [b["accuracy"] for b in bins], marker="o",
                  label=f"{name} (T={calibration['temperature']:.2g})")
        curve = calibration["curve"]
        right.plot([100 * c["coverage"] for c in curve], [100 * c["accuracy"] for c in curve], label=name)
    left.set_xlabel("confidence")
    left.set_ylabel("accuracy")
    left.set_title(f"Reliability ({next(iter(calibrated.values()))['evaluated_on']})", fontsize=10)
    left.legend(fontsize=8)
    right.axhline(90, color="grey", linestyle=":", linewidth=1)
    right.set_xlabel("items auto-accepted (%), most confident first")
    right.set_ylabel("accuracy of those items (%)")
    right.set_title("Accuracy at each coverage", fontsize=10)
    right.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def plot_training_curves(log: dict, path: Path) -> bool:
    """Loss, the classifier's accuracy (choice), reward accuracy and margins against the step; False when the log
    has none of them."""
    panels = [(train, evaluation) for train, evaluation in CURVE_PANELS
              if train in log.get("series", {}) or evaluation in log.get("series", {})]
    if not panels:
        return False
    plt = _pyplot()
    fig, axes = plt.subplots(1, len(panels), figsize=(4.5 * len(panels), 3.5), squeeze=False)
    for ax, names in zip(axes[0], panels):
        for name in names:
            points = log["series"].get(name)
            if points:
                ax.plot([s for s, _ in points], [v for _, v in points], marker="." if len(points) < 30 else None,
                        label=name)
        ax.set_xlabel("step")
        ax.set_title(names[0])
        ax.legend(fontsize=8)
    fig.suptitle(f"Training curves ({Path(log['source']).name})", fontsize=9)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return True


# --------------------------------------------------------------------------- writing (I/O)


def write_evaluation(output_dir: str | Path, report: dict, runs: dict[str, ScoringRun],
                     run_dir: str | Path | None = None) -> list[Path]:
    """Write predictions.jsonl, report.json, report.md and the plots; returns the paths written."""
    out = Path(output_dir)
    out.mkdir(parents=True, exist_ok=True)
    written = [write_predictions(out / "predictions.jsonl", runs)]
    images = []
    for label, section in sections_of(report).items():
        path = out / f"confusion_{label}.png"
        plot_confusion_matrices(section["confusion_matrices"], path,
                                f"Confusion matrices, {MODEL_TITLES.get(label, label)} model")
        images.append(path)
    images.append(out / "accuracy_per_lab.png")
    plot_lab_accuracy(report, images[-1])
    calibrated = {label: section["calibration"] for label, section in sections_of(report).items()
                  if section.get("calibration")}
    if calibrated:
        images.append(out / "reliability.png")
        plot_reliability(calibrated, images[-1])
    log = read_training_log(run_dir)
    if log and plot_training_curves(log, out / "training_curves.png"):
        images.append(out / "training_curves.png")
        report["training_log"] = log["source"]
    write_json_atomic(report, out / "report.json")
    write_text_atomic(markdown_report(report, [p.name for p in images]), out / "report.md")
    return written + [out / "report.json", out / "report.md"] + images
