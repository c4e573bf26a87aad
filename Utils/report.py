"""Evaluation outputs: predictions.jsonl, report.json, report.md and PNG plots.

A report holds one section per scored model ("fine_tuned" and "base" when an adapter was
given, else "base"); the primary model's metrics (the fine-tuned one when there is one) sit at
the top level of report.json, the base model's under "base", so both read side by side.
Building the report (pure) is kept apart from writing and plotting it (I/O).
"""

from __future__ import annotations

from pathlib import Path

from Utils.files import write_json_atomic, write_text_atomic
from Utils.metrics import NO_PREDICTION, micro_accuracy, summarize
from Utils.predictions import predictions_of, write_predictions
from Utils.runs import read_training_log
from Utils.scoring import ScoringRun

FINE_TUNED, BASE = "fine_tuned", "base"
MODEL_TITLES = {FINE_TUNED: "fine-tuned", BASE: "base"}
# Training-log series plotted per panel (train, eval), named as in trainer_state.json.
CURVE_PANELS = (("loss", "eval_loss"), ("rewards/accuracies", "eval_rewards/accuracies"),
                ("rewards/margins", "eval_rewards/margins"))


# --------------------------------------------------------------------------- building (pure)


def model_section(run: ScoringRun, description: dict, held_out_labs: list[str] = ()) -> dict:
    """Every metric of one model's scoring run, plus how fast it ran and what it could not score."""
    predictions = predictions_of(run)
    section = {"model": description, "method": run.method, **summarize(predictions)}
    if held_out_labs:
        held = [p for p in predictions if p.lab in set(held_out_labs)]
        section["held_out_micro_accuracy"] = micro_accuracy(held)
        section["held_out_n_items"] = len(held)
    section.update({
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


def comparison_rows(report: dict) -> tuple[list[str], list[list[str]]]:
    """Rows (per lab, then overall metrics) x columns (models, and the change when there are two)."""
    sections = sections_of(report)
    labels = list(sections)[::-1]  # base first, then fine-tuned
    header = ["", "items"] + [MODEL_TITLES.get(l, l) for l in labels]
    two = len(labels) == 2
    if two:
        header.append("change")
    primary = sections[labels[-1]]
    held_out = set(report.get("held_out_labs") or ())
    rows = []

    def add(name, n, values, points=True):
        row = [name, str(n)] + [(_pct(v) if points else _num(v)) for v in values]
        if two:
            a, b = values
            row.append("n/a" if a is None or b is None else (f"{100 * (b - a):+.1f}" if points else f"{b - a:+.3f}"))
        rows.append(row)

    for lab, entry in primary["per_lab"].items():
        name = lab + (" (held-out lab)" if lab in held_out else "")
        add(name, entry["n"], [sections[l]["per_lab"].get(lab, {}).get("accuracy") for l in labels])
    if held_out:
        add("held-out labs (micro)", primary["held_out_n_items"],
            [sections[l].get("held_out_micro_accuracy") for l in labels])
    add("all items (micro)", primary["n_items"], [sections[l]["micro_accuracy"] for l in labels])
    add("macro (mean over criteria)", f"{len(primary['per_criterion'])} criteria",
        [sections[l]["macro_accuracy"] for l in labels])
    add("Cohen's kappa", primary["n_items"], [sections[l]["cohen_kappa"] for l in labels], points=False)
    blank = [""] if two else []
    rows.append(["items/second", ""] + [f"{sections[l]['items_per_second']:.3g}" for l in labels] + blank)
    if report.get("method") == "generate":
        rows.append(["parse failures", ""] + [str(sections[l]["parse_failures"]) for l in labels] + blank)
    return header, rows


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
              "", "Micro accuracy counts items with no prediction as wrong; macro accuracy is the mean of the "
              "per-criterion accuracies; kappa is Cohen's over rating letters.", "",
              "## Agreement with the TAs", "", markdown_table(*comparison_rows(report)), ""]
    labels = list(sections)[::-1]
    header = ["criterion", "items"] + [f"{MODEL_TITLES.get(l, l)} accuracy" for l in labels] + \
             [f"{MODEL_TITLES.get(l, l)} kappa" for l in labels]
    rows = []
    for key, entry in sections[labels[-1]]["per_criterion"].items():
        per = [sections[l]["per_criterion"].get(key, {}) for l in labels]
        rows.append([key, str(entry["n"])] + [_pct(p.get("accuracy")) for p in per] +
                    [_num(p.get("cohen_kappa")) for p in per])
    lines += ["## Per criterion", "", markdown_table(header, rows), ""]
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


def plot_training_curves(log: dict, path: Path) -> bool:
    """Loss, reward accuracy and margins against the step; False when the log has none of them."""
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
    log = read_training_log(run_dir)
    if log and plot_training_curves(log, out / "training_curves.png"):
        images.append(out / "training_curves.png")
        report["training_log"] = log["source"]
    write_json_atomic(report, out / "report.json")
    write_text_atomic(markdown_report(report, [p.name for p in images]), out / "report.md")
    return written + [out / "report.json", out / "report.md"] + images
