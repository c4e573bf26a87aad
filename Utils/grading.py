"""Grading outputs: suggestions for review, and only decided marks in anything a grading system imports.

A suggestion is not a grade. Per lab, `grade.py` writes:

- `<lab>_suggestions.json`: per student and criterion the suggestion, the model's probability of
  it (`top_probability`), its calibrated confidence (`confidence`, only when the run's calibration
  for this scoring setting was applied: `calibrated` says so) and every option's probability;
  whether it is queued for a TA and every reason why; whether it was auto-accepted. Valid JSON
  (a non-finite number is written as null and its item queued).
- `<lab>_suggestions_unreviewed.csv`: the same, one row per item, for a spreadsheet. It holds no
  marks and no totals: nothing in it is a grade.
- `<lab>_review.html`: the review page (`Utils.review_page`) on which a TA decides every item.
- `<lab>_auto_accepted_ratings.csv` (the rubric_ratings.csv layout) and
  `<lab>_<format>_auto_accepted.csv` (`Utils.gradebooks`: plain, canvas or moodle): only the items
  a calibrated threshold auto-accepted, named as such; an item awaiting a TA is left unmarked and
  a student with any such item has no total.
- `grade_summary.json`: the arguments, the model, the review policy and one line per lab,
  rewritten after every lab, so it always describes the files that exist.

What goes to a TA (`needs_review`, with `reasons`): every item when the run has no calibrated
threshold for this scoring setting and target accuracy (a raw probability is not a measured
accuracy: the demo's model says 99% while agreeing with TAs less often than the most common
rating); items below the threshold; items that could not be scored or whose scores are not finite
(no suggestion is made); items whose code was shortened to fit --max_length; every item of a
submission that is empty or whitespace only, that is not valid UTF-8 (or not text), or that holds
text addressing the grader. Only an item with none of these reasons, scored at or above a
threshold that a calibration measured on held-out labs for the target accuracy, is auto-accepted.

Every CSV cell is neutralized against spreadsheet formula injection (`Utils.ratings_sheet.csv_text`).
Student ids are written into the files, never used as paths; lab names become file names only
through `Utils.files.safe_filename`. A folder that already holds a grading run is never written over
without --overwrite: a TA may have edited its files.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from Utils import gradebooks
from Utils.files import finite, output_path, write_text_atomic
from Utils.injection import suspicious_text
from Utils.lab_records import NO_SOURCE, Problem, is_notice
from Utils.labs import Lab
from Utils.ratings_sheet import csv_text, format_ratings_csv
from Utils.review_page import HTML_SUFFIX, render_review_page
from Utils.scoring import ItemScore

JSON_SUFFIX = "_suggestions.json"
UNREVIEWED_SUFFIX = "_suggestions_unreviewed.csv"
RATINGS_SUFFIX = "_auto_accepted_ratings.csv"
AUTO_ACCEPTED = "auto_accepted"
SUMMARY_FILE = "grade_summary.json"
# Files earlier versions wrote: they gave marks and totals for queued items, so a run with
# --overwrite removes them together with the lab's other earlier files.
LEGACY_SUFFIXES = ("_suggested_ratings.csv", "_gradebook.csv")
DEFAULT_TARGET_ACCURACY = 0.9
MAX_REPORT_BYTES = 64 * 2**20  # evaluate.py's report.json: a few hundred KB for a large evaluation

SUSPICIOUS_REASON = "the submission holds text that addresses the grader (possible prompt injection)"
EMPTY_SOURCE = "the submission's source is empty or whitespace only"
NOT_TEXT = "the submission's source is not valid UTF-8 text (decoded with replacement characters)"
BINARY_SOURCE = "a source file is binary or UTF-16/32, not text: the model did not see it"
NOT_FINITE = "the model's scores for this item are not finite numbers (NaN or infinity): no suggestion"
SHORTENED = "the code was shortened to fit --max_length: the model did not see all of it"
NOT_SCORED = "not scored"


@dataclass(frozen=True)
class ReviewPolicy:
    """Which items go to a TA and which, if any, are auto-accepted.

    `threshold`: items whose confidence is below it are queued (1 queues every item).
    `calibrated`: confidences are calibrated probabilities (the run's temperature for this
    scoring setting was applied). `auto_accept`: the threshold is the one the calibration found
    to reach `target_accuracy` on held-out items, so items at or above it count as decided;
    a threshold given by hand (--review_threshold) only orders the TA's work."""

    threshold: float
    source: str
    calibrated: bool = False
    auto_accept: bool = False
    target_accuracy: float | None = None
    item_reason: str = ""  # why each item is queued when every item is (short; `source` says more)

    @property
    def decided_by(self) -> str | None:
        if not self.auto_accept:
            return None
        return (f"auto-accepted (calibrated threshold {self.threshold:.3g} for target accuracy "
                f"{100 * self.target_accuracy:.0f}%)")

    def to_dict(self) -> dict:
        return {"threshold": self.threshold, "source": self.source, "calibrated": self.calibrated,
                "auto_accept": self.auto_accept, "target_accuracy": self.target_accuracy,
                "decided_by": self.decided_by}


def choose_threshold(review_threshold: float | None, target_accuracy: float, calibration: dict | None
                     ) -> ReviewPolicy:
    """The review policy: --review_threshold when given (nothing auto-accepted); else the threshold
    that reached --target_accuracy on held-out items in the run's calibration for this scoring
    setting (items at or above it auto-accepted), or 1 (every item queued) when the calibration
    found that no confidence reached it, when it has no threshold for this target, or when there
    is no calibration for this setting at all."""
    calibrated = calibration is not None
    if review_threshold is not None:
        on = "calibrated confidence" if calibrated else "the raw model probability (no calibration)"
        return ReviewPolicy(review_threshold, f"--review_threshold on {on}; nothing auto-accepted: a TA decides "
                                              "every item", calibrated)
    target = f"{100 * target_accuracy:.0f}%"
    if not calibrated:
        return ReviewPolicy(1.0, "no calibration for this scoring setting in the run folder: a raw model probability "
                                 "is not a measured accuracy, so every item goes to a TA (run evaluate.py on the run "
                                 "with grade.py's --method and --quantization to calibrate; or give --review_threshold "
                                 "to order the queue)",
                            item_reason="not calibrated: a raw model probability is not a measured accuracy")
    points = calibration.get("auto_accept") or []
    for point in points:
        if abs(point["target_accuracy"] - target_accuracy) >= 1e-9:
            continue
        where = point.get("evaluated_on", "evaluated")
        if point.get("threshold") is None:
            return ReviewPolicy(1.0, f"calibrated: no confidence reached {target} accuracy on the {where} items, so "
                                     "every item goes to a TA", True,
                                item_reason=f"no confidence reached {target} accuracy on the {where} items")
        return ReviewPolicy(float(point["threshold"]),
                            f"calibrated: {100 * point['coverage']:.0f}% of the {where} items reached {target} "
                            "accuracy at or above it", True, True, target_accuracy)
    have = ", ".join(f"{100 * p['target_accuracy']:.0f}%" for p in points) or "none"
    return ReviewPolicy(1.0, f"the run's calibration has no threshold for target accuracy {target} (it has: {have}): "
                             "every item goes to a TA", True,
                        item_reason=f"the calibration has no threshold for target accuracy {target}")


def _is_empty(code: str) -> bool:
    """No text but whitespace (and the `// file: name` lines that join several files)."""
    return not re.sub(r"(?m)^(//|#) file: .*$", "", code).strip()


def submission_reasons(submission) -> list[str]:
    """Why every item of a submission goes to a TA, whatever the model says."""
    reasons = []
    if _is_empty(submission.code):
        reasons.append(EMPTY_SOURCE)
    not_text = tuple(getattr(submission, "undecodable", ()) or ())  # binary or UTF-16/32: left out of the code
    if not_text:
        reasons.append(f"{BINARY_SOURCE}: {', '.join(not_text)}")
    replaced = tuple(getattr(submission, "not_utf8", ()) or ())
    if replaced:
        reasons.append(f"{NOT_TEXT}: {', '.join(replaced)}")
    reasons += [f"{SUSPICIOUS_REASON}: {line}" for line in suspicious_text(submission.code)]
    return reasons


def _item_entry(title: str, score: ItemScore | None, policy: ReviewPolicy, student_reasons: list[str]) -> dict:
    """One criterion of one student: the suggestion, its numbers, and why it is queued (if it is)."""
    reasons = list(student_reasons)
    entry: dict = {"criterion": title, "suggested_option": None, "top_probability": None, "confidence": None,
                   "calibrated": False, "probabilities": None}
    numbers = (list((score.probabilities or {}).values()) + list((score.logprobs or {}).values())
               + ([score.confidence] if score.confidence is not None else [])) if score else []
    if score is None or score.predicted_option is None:
        reasons.insert(0, (score.error if score is not None and score.error else NOT_SCORED))
    elif not score.probabilities or any(finite(v) is None for v in numbers):
        reasons.insert(0, NOT_FINITE)
    else:
        top = max(score.probabilities.values())
        confidence = score.confidence if policy.calibrated and score.confidence is not None else None
        entry.update(suggested_option=score.predicted_option, top_probability=top, confidence=confidence,
                     calibrated=confidence is not None, probabilities=dict(score.probabilities))
        if score.shortened:
            entry["shortened"] = True
            reasons.append(SHORTENED)
        if policy.calibrated and confidence is None:  # calibration could not be applied to this item
            reasons.append("no calibrated confidence for this item")
        value = confidence if confidence is not None else top
        if policy.threshold >= 1.0 and not policy.auto_accept:
            reasons.append(policy.item_reason or policy.source)
        elif value < policy.threshold:
            reasons.append(f"confidence {value:.3f} below the review threshold {policy.threshold:.3g}")
    entry["needs_review"] = bool(reasons)
    entry["reasons"] = reasons
    entry["reason"] = "; ".join(reasons)
    entry["auto_accepted"] = policy.auto_accept and not reasons
    entry["decided_by"] = policy.decided_by if entry["auto_accepted"] else None
    return entry


def lab_suggestions(lab: Lab, scores: list[ItemScore], policy: ReviewPolicy, model: dict) -> dict:
    """The JSON data of one graded lab (pure: no files touched)."""
    by_student: dict[str, dict[str, ItemScore]] = {}
    for s in scores:
        by_student.setdefault(s.item.student_id, {})[s.item.criterion] = s
    not_graded = [p for p in lab.problems if not is_notice(p)]
    notices = list(lab.lab_notices) + [p for p in lab.problems if is_notice(p)]
    students, review = [], []
    for student_id, submission in sorted(lab.submissions.items()):
        student_reasons = submission_reasons(submission)
        flags = [r for r in student_reasons if r.startswith(SUSPICIOUS_REASON)]
        criteria = []
        for criterion in lab.rubric:
            entry = _item_entry(criterion.title, by_student.get(student_id, {}).get(criterion.title), policy,
                                student_reasons)
            if entry["needs_review"]:
                review.append({"student_id": student_id, "criterion": criterion.title,
                               "suggested_option": entry["suggested_option"],
                               "top_probability": entry["top_probability"], "reason": entry["reason"]})
            criteria.append(entry)
        students.append({"student_id": student_id, "submission": submission.folder_name, "criteria": criteria,
                         **({"flags": flags} if flags else {}),
                         **({"queue_reasons": student_reasons} if student_reasons else {})})
    return {
        "lab": lab.name,
        "model": model,
        "review_threshold": policy.threshold,
        "review_policy": policy.to_dict(),
        "n_students": len(students),
        "n_items": sum(len(s["criteria"]) for s in students),
        "n_needs_review": len(review),
        "n_auto_accepted": sum(c["auto_accepted"] for s in students for c in s["criteria"]),
        "n_flagged_students": sum(bool(s.get("flags")) for s in students),
        "needs_review": review,
        "not_graded": [_problem(p) for p in not_graded],
        "notices": [_problem(p) for p in notices],
        "students": students,
    }


def _problem(p: Problem) -> dict:
    return {"student_id": p.student, "reason": p.reason, "detail": p.detail}


def _not_graded_raw_id(problem: dict) -> str:
    # The folder name is the full id (<id>@<domain>) when there is exactly one folder.
    return problem["detail"] if problem["reason"] == NO_SOURCE and problem.get("detail") else problem["student_id"]


def auto_accepted_ratings_csv(lab: Lab, data: dict) -> str:
    """rubric_ratings.csv with `1` only for auto-accepted items: an item awaiting a TA, and a
    student who could not be graded, have no rating marked."""
    rows = [(s["submission"], {c["criterion"]: c["suggested_option"] for c in s["criteria"] if c["auto_accepted"]})
            for s in data["students"]]
    rows += [(_not_graded_raw_id(p), {}) for p in data["not_graded"]]
    return format_ratings_csv(lab.rubric, sorted(rows, key=lambda r: r[0]))


def unreviewed_csv(lab: Lab, data: dict) -> str:
    """One row per item: the suggestion, its numbers and status. No marks: nothing here is a grade."""
    descriptions = {(c.title, r.letter): r.description for c in lab.rubric for r in c.ratings}
    rows = [["student", "criterion", "suggested option (unreviewed)", "option text", "model probability",
             "calibrated confidence", "status", "reasons"]]
    for s in data["students"]:
        for c in s["criteria"]:
            status = c["decided_by"] or ("queued for a TA" if c["needs_review"] else "awaits a TA's decision")
            rows.append([s["submission"], c["criterion"], c["suggested_option"] or "",
                         descriptions.get((c["criterion"], c["suggested_option"]), ""),
                         _number(c["top_probability"]), _number(c["confidence"]), status, c["reason"]])
    for p in data["not_graded"]:
        rows.append([_not_graded_raw_id(p), "", "", "", "", "", "not graded", p["reason"]])
    return csv_text(rows)


def _number(x) -> str:
    return f"{x:.4f}" if x is not None else ""


def student_marks(lab: Lab, data: dict, decisions: dict[str, dict[str, str]] | None = None, *,
                  decided_by: str = "") -> list[gradebooks.StudentMarks]:
    """Every student's decided marks: `decisions` {student id: {criterion: letter}} (a TA's), else
    the auto-accepted items of `data`. Students not graded are included with no marks."""
    out = []
    for s in data["students"]:
        if decisions is None:
            chosen = {c["criterion"]: c["suggested_option"] for c in s["criteria"] if c["auto_accepted"]}
        else:
            chosen = decisions.get(s["student_id"], {})
        marks = []
        for criterion in lab.rubric:
            rating = next((r for r in criterion.ratings if r.letter == chosen.get(criterion.title)), None)
            marks.append(finite(rating.marks) if rating is not None else None)
        waiting = sum(m is None for m in marks)
        status = (f"{waiting} of {len(marks)} items await a TA: no total" if waiting
                  else (decided_by or data["review_policy"]["decided_by"] or "decided"))
        out.append(gradebooks.StudentMarks(s["submission"], s["student_id"], marks, status))
    for p in data["not_graded"]:
        out.append(gradebooks.StudentMarks(_not_graded_raw_id(p), p["student_id"] or "", [None] * len(lab.rubric),
                                           f"not graded: {p['reason']}", graded=False))
    return out


@dataclass
class GradebookOptions:
    format: str = "plain"
    id_header: str = gradebooks.DEFAULT_ID_HEADER["plain"]
    assignment: str | None = None  # default: the lab's name
    points_possible: bool = False
    roster: gradebooks.Roster | None = None


def lab_outputs(output_dir: Path, lab_name: str, fmt: str = "plain") -> dict[str, Path]:
    """The files grading one lab writes, in the output folder."""
    suffixes = {"json": JSON_SUFFIX, "unreviewed": UNREVIEWED_SUFFIX, "html": HTML_SUFFIX, "ratings": RATINGS_SUFFIX,
                "gradebook": gradebooks.gradebook_suffix(fmt, AUTO_ACCEPTED)}
    return {k: output_path(output_dir, lab_name, s) for k, s in suffixes.items()}


def known_outputs(output_dir: Path, lab_name: str) -> list[Path]:
    """Every file a grading run (this version, any gradebook format, or an earlier version) may
    have written for this lab."""
    paths = {p for fmt in gradebooks.FORMATS for p in lab_outputs(output_dir, lab_name, fmt).values()}
    paths |= {output_path(output_dir, lab_name, s) for s in LEGACY_SUFFIXES}
    return sorted(paths)


def previous_run(output_dir: Path, lab_names: list[str]) -> list[Path]:
    """Files of an earlier grading run that this run would write over (a TA may have edited them)."""
    if not output_dir.is_dir():
        return []
    candidates = [output_dir / SUMMARY_FILE] + [p for name in lab_names for p in known_outputs(output_dir, name)]
    return [p for p in candidates if p.exists()]


def files_of_earlier_run(output_dir: Path) -> set[str]:
    """The file names the earlier run's grade_summary.json lists (what grade.py wrote there): only
    these are ever removed, never a file a TA put in the folder (e.g. a download from the page)."""
    try:
        summary = json.loads((output_dir / SUMMARY_FILE).read_text(encoding="utf-8"))
        return {v for lab in summary.get("labs", []) if isinstance(lab, dict) for v in lab.values()
                if isinstance(v, str) and "/" not in v}
    except (OSError, ValueError, AttributeError):
        return set()


def json_text(data) -> str:
    """Strict JSON (a NaN or infinity raises instead of writing `NaN`)."""
    return json.dumps(data, indent=2, ensure_ascii=False, allow_nan=False, default=str) + "\n"


def write_lab_outputs(output_dir: Path, lab: Lab, data: dict, options: GradebookOptions,
                      earlier_files: set[str] = frozenset()) -> tuple[dict[str, Path], gradebooks.Gradebook, list[Path]]:
    """The lab's files, each written atomically; then the files of the earlier run for this lab
    (`earlier_files`: `files_of_earlier_run`, read before this run rewrote the summary) that this
    run did not write (another gradebook format, or an earlier version's full-marks files) are
    removed. Returns the paths, the gradebook's account and the removed files."""
    paths = lab_outputs(output_dir, lab.name, options.format)
    book = gradebooks.build_gradebook(options.format, student_marks(lab, data),
                                      gradebooks.rubric_criteria(lab.rubric),
                                      id_header=options.id_header, assignment=options.assignment or lab.name,
                                      points_possible=options.points_possible, roster=options.roster)
    data["gradebook"] = {"format": options.format, "file": paths["gradebook"].name, "id_header": options.id_header,
                         "assignment": options.assignment or lab.name, "students_with_total": book.with_total,
                         "students_without_total": book.without_total,
                         "unknown_to_roster": book.unknown_to_roster if options.roster else None,
                         "roster": str(options.roster.path) if options.roster else None}
    write_text_atomic(json_text(data), paths["json"])
    write_text_atomic(unreviewed_csv(lab, data), paths["unreviewed"])
    write_text_atomic(auto_accepted_ratings_csv(lab, data), paths["ratings"])
    write_text_atomic(book.text, paths["gradebook"])
    write_text_atomic(render_review_page(lab, data, gradebook_id_header=options.id_header), paths["html"])
    written = set(paths.values())
    removed = [p for p in known_outputs(output_dir, lab.name)
               if p not in written and p.name in earlier_files and p.exists()]
    for p in removed:
        p.unlink()
    return paths, book, removed


def write_summary(summary: dict, path: Path) -> Path:
    return write_text_atomic(json_text(summary), path)


def read_suggestions(output_dir: Path, lab_name: str) -> dict[tuple[str, str], dict]:
    """A lab's suggestions JSON as {(student id, criterion): its record} (to compare two runs)."""
    data = json.loads(output_path(output_dir, lab_name, JSON_SUFFIX).read_text(encoding="utf-8"))
    return {(s["student_id"], c["criterion"]): c for s in data["students"] for c in s["criteria"]}


def compare_suggestions(run: dict[tuple[str, str], dict], reference: dict[tuple[str, str], dict]) -> dict:
    """How far a grading run (e.g. int8) is from a reference run (float32) on the items both scored:
    the share with the same suggestion, the share with the same review-queue decision, and the
    largest change of an option's probability, averaged over the items."""
    both = [k for k in reference if k in run and run[k].get("probabilities") and reference[k].get("probabilities")]
    if not both:
        return {"n": 0, "same_suggestion": None, "same_queue": None, "mean_largest_change": None}
    change = [max(abs(run[k]["probabilities"].get(o, 0.0) - p) for o, p in reference[k]["probabilities"].items())
              for k in both]
    return {"n": len(both),
            "same_suggestion": sum(run[k]["suggested_option"] == reference[k]["suggested_option"] for k in both) / len(both),
            "same_queue": sum(bool(run[k]["needs_review"]) == bool(reference[k]["needs_review"]) for k in both) / len(both),
            "mean_largest_change": sum(change) / len(change)}


# --------------------------------------------------------------------------- what the page says about the model

NEVER_MEASURED = ("agreement with TAs was never measured for this model on held-out labs (run evaluate.py on the "
                  "training run with held-out labs in its test data: it saves the agreement in the run folder)")


def read_evaluation_report(path: str | Path) -> dict:
    """evaluate.py's report.json (raises ValueError naming the flag when it cannot be used)."""
    from Utils.safe_read import read_named_file

    path = Path(path)
    if not path.exists():
        raise ValueError(f"--evaluation_report {path}: file not found (evaluate.py writes report.json into its "
                         "--output_dir)")
    data = read_named_file(path, MAX_REPORT_BYTES, f"--evaluation_report {path}")
    try:
        report = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as e:
        raise ValueError(f"--evaluation_report {path}: not a JSON report ({str(e)[:200]})") from None
    if not isinstance(report, dict) or not isinstance(report.get("rows"), dict):
        raise ValueError(f"--evaluation_report {path}: not a report.json written by evaluate.py (no 'rows')")
    report["_path"] = str(path)
    return report


def _at(data, *keys):
    """data[k1][k2]... or None where a level is missing or not a mapping (a report edited by hand)."""
    for key in keys:
        if not isinstance(data, dict):
            return None
        data = data.get(key)
    return data


def measured_agreement(report: dict | None, weights_dir: Path | None) -> dict:
    """What the page and the suggestions JSON say about how far to trust the model: its agreement
    with the TAs on held-out labs (micro accuracy with its 95% interval, Cohen's kappa) next to the
    constant answer and chance on the same items, from evaluate.py's report of this model; or
    `measured: False` with why."""
    if report is None:
        return {"measured": False, "note": NEVER_MEASURED}
    evaluated = _at(report, "model", "adapter_path")
    if weights_dir is not None and isinstance(evaluated, str) and Path(evaluated).resolve() != Path(weights_dir).resolve():
        return {"measured": False, "source": report["_path"],
                "note": f"the evaluation report describes {evaluated}, not this model ({weights_dir}): " + NEVER_MEASURED}
    if weights_dir is not None and not evaluated:
        return {"measured": False, "source": report["_path"],
                "note": "the evaluation report describes the bare base model, not this training run: " + NEVER_MEASURED}
    held = _at(report, "rows", "held-out labs")
    labs = report.get("held_out_labs")
    if not isinstance(held, dict) or not labs or finite(held.get("accuracy")) is None:
        return {"measured": False, "source": report["_path"],
                "note": "the evaluation scored no held-out lab (only students of the training labs): " + NEVER_MEASURED}
    interval = held.get("interval_95")
    interval = [finite(interval[0]), finite(interval[1])] if isinstance(interval, list) and len(interval) == 2 else None
    return {"measured": True, "source": report["_path"], "on": "held-out labs",
            "labs": [str(lab) for lab in labs] if isinstance(labs, list) else [], "n_items": held.get("n"),
            "accuracy": finite(held.get("accuracy")), "interval_95": interval,
            "cohen_kappa": finite(held.get("cohen_kappa")),
            "baselines": {"constant_answer": finite(_at(report, "baselines", "constant_answer", "held-out labs",
                                                        "accuracy")),
                          "chance": finite(_at(report, "baselines", "chance", "held-out labs", "accuracy"))},
            "method": report.get("method"), "quantization": _at(report, "arguments", "quantization")}
