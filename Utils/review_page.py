"""A self-contained HTML page on which a TA reviews one graded lab's suggested ratings.

`render_review_page(lab, data)` turns a lab (read with `with_ratings=False`) and the data
`Utils.grading.lab_suggestions` returns into one .html file: no server, no network, no external
file (the markup is `review_page.html` beside this module, a `string.Template` into which the CSS
and JS of `review_page.css` and `review_page.js` beside it are inlined, with the data). The
TA opens it by double-click, accepts or changes every suggestion, and downloads

- `<lab>_final_ratings.csv` in the rubric_ratings.csv layout (the six header rows and the column
  order are computed here, by the same code that writes the suggested CSV; the page's JS only
  writes the student rows), which `Utils.labs.read_lab` reads back, and
- `<lab>_gradebook.csv` (student id, total marks, one column per criterion): a total only for a
  student whose every criterion is decided.

Decisions live in the browser's localStorage under the lab's name, one entry per (student,
criterion). A page regenerated for the same lab (new suggestions, another threshold) finds the
decisions saved by the earlier page and offers them, saying which no longer apply (student or
criterion gone, option letter gone); the TA can also load an earlier `<lab>_final_ratings.csv`
(read by the JS twin of `Utils.ratings_sheet.parse_ratings_csv`'s cell rules). Bulk actions ask first and
can be undone.

Trust signals (`trust_signals`): a confidence is labelled calibrated only when the suggestions
say it was (`"calibrated": true` per item, set by `Utils.grading.lab_suggestions`), and the page
header states the run's measured agreement with TAs on held-out labs, with its 95% interval and
the constant-answer and chance baselines, from `data["model"]["agreement"]`, or says that it
was never measured.

Command line: `python -m Utils.review_page --lab_dir LAB --suggestions OUT/<lab>_suggestions.json`
rebuilds a lab's page from grade.py's suggestions JSON without scoring again (e.g. after the page
file was lost or deleted, or with another `--gradebook_id_header`); the decisions saved in the
browser carry over to the rebuilt page as described above.

Safety: student code and ids are hostile input. Everything the page shows is embedded as JSON in
a `<script type="application/json">` block with `<`, `>`, `&` (and every non-ASCII character,
U+2028/U+2029 included) escaped, and the JS only ever writes it with `textContent`. A
Content-Security-Policy allows only the page's own inline script and style (by hash), so even
markup that slipped through could run nothing. Both CSVs neutralize spreadsheet formulas
(`neutralize_cell`, and its JS twin `neutralize`).

`final_ratings_csv` and `gradebook_csv` are the Python twins of the page's downloads (the browser
tests check the two agree byte for byte); use them to rebuild the CSVs from a decisions dict.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import html
import json
import sys
from pathlib import Path
from string import Template

from Utils.cli import STATEMENTS, Checks, add_statement_flags, check_statement, fail
from Utils.files import finite, foreign, output_path, safe_filename, write_text_atomic
from Utils.lab_records import NO_SOURCE
from Utils.labs import Lab
from Utils.ratings_sheet import MARK_WORDS, NULL_CELLS, csv_text, neutralize_cell, ratings_csv_header
from Utils.safe_read import read_named_file

HTML_SUFFIX = "_review.html"
RATINGS_SUFFIX = "_final_ratings.csv"
GRADEBOOK_SUFFIX = "_gradebook.csv"
GRADEBOOK_ID_HEADER = "Student ID"
GRADEBOOK_TOTAL_HEADER = "Total"
STORAGE_PREFIX = "rubric-review:v2"
LEGACY_STORAGE_PREFIX = "rubric-review:v1"  # keyed by lab and data hash: read once, offered
PAGE_VERSION = 2
NEVER_MEASURED = "never measured"

# OWASP "CSV injection": a cell starting with one of these is read as a formula by spreadsheets.
# Plain numbers ("-1", "+0.5") are left alone: a spreadsheet reads them as numbers, not formulas,
# and quoting them would turn negative marks into text in the gradebook import.

_ASSETS = Path(__file__).resolve().parent


def embed_json(obj) -> str:
    """JSON safe to place between `<script type="application/json">` and `</script>`: ASCII only
    (so U+2028/U+2029 and lone surrogates are escaped) and no `<`, `>` or `&` at all. `JSON.parse`
    of the element's textContent gives `obj` back."""
    text = json.dumps(obj, ensure_ascii=True, allow_nan=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _format_number(x: float) -> str:
    """A total as the page's JS writes it: rounded to 6 decimals, integers without `.0`."""
    r = round(x, 6)
    return str(int(r)) if float(r).is_integer() else repr(r)


def _not_graded_raw_id(problem: dict) -> str:
    # As lab_suggestions writes the CSV row: the folder name when there is exactly one folder.
    if problem.get("reason") == NO_SOURCE and problem.get("detail"):
        return problem["detail"]
    return problem.get("student_id") or ""


def header_and_columns(lab: Lab) -> tuple[list[list[str]], list[tuple[str, str]]]:
    """The six header rows of rubric_ratings.csv (`Utils.ratings_sheet.ratings_csv_header`) and the ordered
    (criterion title, rating letter) of the rating columns (not neutralized)."""
    columns = [(c.title, r.letter) for c in lab.rubric for r in c.ratings]
    return ratings_csv_header(lab.rubric), columns


def data_hash(lab: Lab, data: dict) -> str:
    """16 hex digits identifying the suggestions and the rubric: the page loads the decisions it
    saved itself silently and offers those of a page built from other data."""
    rubric = [[c.title, c.description, [[r.letter, r.description, r.marks] for r in c.ratings]]
              for c in lab.rubric]
    blob = json.dumps({"data": data, "rubric": rubric}, sort_keys=True, ensure_ascii=True, default=str)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()[:16]


def _pct(x: float) -> str:
    return f"{100 * x:.0f}%"


def _baseline(value) -> float | None:
    """A baseline accuracy given as a number or as evaluate.py's {"accuracy": x}."""
    if isinstance(value, dict):
        value = value.get("accuracy")
    x = finite(value)
    return x if x is not None and 0 <= x <= 1 else None


def agreement_text(agreement) -> tuple[bool, str]:
    """(measured, one sentence) for the page header from `data["model"]["agreement"]`
    (`Utils.grading.measured_agreement` writes it).

    Keys read: `measured` (False: never measured, `note` says why), `accuracy` (0-1, agreement
    with the TAs' ratings; required when measured), `interval_95` ([low, high]), `n_items`,
    `labs` (the held-out lab names) or `n_labs`, `on` (default "held-out labs"), `cohen_kappa`,
    `baselines` {"constant_answer": x, "chance": y} (numbers or {"accuracy": x}). A missing,
    malformed or out-of-range record reads as never measured, never as a number."""
    record = agreement if isinstance(agreement, dict) else {}
    where = str(record.get("on") or record.get("evaluated_on") or "held-out labs")
    accuracy = finite(record.get("accuracy"))
    if record.get("measured") is False or accuracy is None or not 0 <= accuracy <= 1:
        note = str(record.get("note") or "").strip()
        if note:
            text = note[0].upper() + note[1:]
        else:
            text = (f"Agreement with TAs on {where}: {NEVER_MEASURED} for this model (run evaluate.py on the "
                    "training run)")
        return False, text.rstrip(".") + ". Treat every suggestion as unverified."
    text = f"Agreement with TAs on {where}: {_pct(accuracy)}"
    details = []
    interval = record.get("interval_95")
    if isinstance(interval, (list, tuple)) and len(interval) == 2:
        low, high = finite(interval[0]), finite(interval[1])
        if low is not None and high is not None:
            details.append(f"95% interval {100 * low:.0f}\u2013{100 * high:.0f}%")
    n_items = finite(record.get("n_items"))
    if n_items is not None:
        details.append(f"{int(n_items)} item{'s' if int(n_items) != 1 else ''}")
    labs = record.get("labs")
    n_labs = len(labs) if isinstance(labs, (list, tuple)) else finite(record.get("n_labs"))
    if n_labs is not None:
        details.append(f"{int(n_labs)} lab{'s' if int(n_labs) != 1 else ''}")
    kappa = finite(record.get("cohen_kappa"))
    if kappa is not None:
        details.append(f"Cohen's kappa {kappa:.2f}")
    if details:
        text += " (" + ", ".join(details) + ")"
    baselines = record.get("baselines") if isinstance(record.get("baselines"), dict) else {}
    compared = [f"{name} {_pct(value)}" for name, value in
                (("always the most common rating", _baseline(baselines.get("constant_answer"))),
                 ("chance", _baseline(baselines.get("chance")))) if value is not None]
    text += "; " + (", ".join(compared) if compared else "no baseline recorded") + " on the same items"
    return True, text


def trust_signals(data: dict, items: list[dict]) -> dict:
    """What the page says about how far to trust the suggestions: the measured agreement (see
    `agreement_text`) and whether the confidences shown are calibrated (only when every scored
    item says so; `data["model"]["temperature"]` and `["calibration_note"]` explain it)."""
    model = data.get("model") if isinstance(data.get("model"), dict) else {}
    measured, agreement = agreement_text(model.get("agreement"))
    scored = [i for i in items if i["confidence"] is not None]
    calibrated = sum(i["calibrated"] for i in scored)
    temperature = finite(model.get("temperature"))
    if scored and calibrated == len(scored):
        state = "calibrated"
        text = "Confidences: calibrated on the run's evaluation" + (
            f" (temperature {temperature:.3g})" if temperature is not None else "")
    elif calibrated:
        state = "partly"
        text = f"Confidences: {calibrated} of {len(scored)} calibrated, the rest raw model probabilities"
    else:
        state = "none"
        note = str(model.get("calibration_note") or "")
        text = "Confidences: raw model probabilities, not calibrated" + (f" ({note})" if note else "")
    return {"agreement_measured": measured, "agreement": agreement, "calibration": state, "calibration_text": text}


def page_data(lab: Lab, data: dict, *, gradebook: bool = True,
              gradebook_id_header: str = GRADEBOOK_ID_HEADER) -> dict:
    """Everything the page shows and writes, as one JSON-able dict (embedded by render_review_page).

    Students with queued items (needs_review) come first, and within a student the queued
    criteria come first. `csv` holds the neutralized header rows, columns and row order of the
    final rubric_ratings.csv; `gradebook_csv` the gradebook's header (None without a gradebook),
    whose first column is named `gradebook_id_header`.
    """
    header, columns = header_and_columns(lab)
    criteria = _criteria_data(lab, header, columns)
    notices = _notices_by_student(data)
    students = [_student_data(lab, s, notices) for s in data.get("students", [])]
    students.sort(key=lambda s: s["queued"] == 0)  # stable: students with queued items first
    not_graded = [{"student_id": p.get("student_id") or "", "raw_id": _not_graded_raw_id(p),
                   "reason": p.get("reason", ""), "detail": p.get("detail", "")}
                  for p in data.get("not_graded", [])]
    model_name, scoring = _model_description(data.get("model") or {})
    base = safe_filename(lab.name)
    return {
        "version": PAGE_VERSION,
        "lab": lab.name,
        "model": model_name,
        "scoring": scoring,
        "review_threshold": finite(data.get("review_threshold")),
        "trust": trust_signals(data, [i for s in students for i in s["items"]]),
        "statement": lab.statement or "",
        "statement_file": lab.statement_file or "",
        "data_hash": data_hash(lab, data),
        "storage_key": f"{STORAGE_PREFIX}:{lab.name}",
        "legacy_storage_prefix": f"{LEGACY_STORAGE_PREFIX}:{lab.name}:",
        "criteria": criteria,
        "students": students,
        "not_graded": not_graded,
        "csv": {
            "filename": base + RATINGS_SUFFIX,
            "header_rows": [[neutralize_cell(c) for c in row] for row in header],
            "columns": [list(c) for c in columns],
            "rows": _csv_rows(students, not_graded),
            # how the page reads an earlier final CSV back: Utils.ratings_sheet's cell words
            "mark_words": sorted(MARK_WORDS),
            "null_words": sorted(NULL_CELLS),
        },
        "gradebook_csv": {
            "filename": base + GRADEBOOK_SUFFIX,
            "header": [neutralize_cell(c) for c in
                       [gradebook_id_header, GRADEBOOK_TOTAL_HEADER] + [c.title for c in lab.rubric]],
        } if gradebook else None,
    }


def _criteria_data(lab: Lab, header: list[list[str]], columns: list[tuple[str, str]]) -> list[dict]:
    """The rubric as the page shows it: each criterion with its options, marks and marks as the CSV writes them."""
    marks_text = dict(zip(columns, header[4][1:]))
    return [{
        "title": c.title, "description": c.description,
        "ratings": [{"letter": r.letter, "description": r.description, "marks": finite(r.marks),
                     "marks_text": marks_text[(c.title, r.letter)]} for r in c.ratings],
    } for c in lab.rubric]


def _notices_by_student(data: dict) -> dict[str, list[str]]:
    """The data's notices as "reason: detail" lines per student id ("" for notices about no student)."""
    notices: dict[str, list[str]] = {}
    for n in data.get("notices", []):
        notices.setdefault(n.get("student_id") or "", []).append(
            f"{n.get('reason', '')}" + (f": {n['detail']}" if n.get("detail") else ""))
    return notices


def _item_data(lab: Lab, sid: str, entry: dict) -> dict:
    """One suggestion as the page shows it (an unknown letter is no suggestion); ValueError for an unknown criterion."""
    title = entry["criterion"]
    criterion = {c.title: c for c in lab.rubric}.get(title)
    if criterion is None:
        raise ValueError(f"lab {lab.name!r}: suggestion for unknown criterion {title!r} (student {sid!r})")
    letters = criterion.letters
    suggested = entry.get("suggested_option")
    if suggested not in letters:
        suggested = None
    confidence = finite(entry.get("confidence"))
    if confidence is None:
        confidence = finite(entry.get("top_probability"))
    probabilities = entry.get("probabilities") or {}
    return {
        "criterion": title,
        "suggested": suggested,
        "confidence": confidence if suggested is not None else None,
        # only what the suggestions say: lab_suggestions sets it when a calibration was applied
        "calibrated": entry.get("calibrated") is True and confidence is not None and suggested is not None,
        "probabilities": {k: finite(v) for k, v in probabilities.items() if k in letters},
        "needs_review": bool(entry.get("needs_review")) or suggested is None,
        "reason": str(entry.get("reason") or ""),
        "shortened": bool(entry.get("shortened")),
        "auto_accepted": bool(entry.get("auto_accepted")),
    }


def _student_data(lab: Lab, s: dict, notices: dict[str, list[str]]) -> dict:
    """One student as the page shows them: code, notices and items, every rubric criterion present (queued first)."""
    sid = s["student_id"]
    submission = lab.submissions.get(sid)
    items = [_item_data(lab, sid, entry) for entry in s.get("criteria", [])]
    missing = [c.title for c in lab.rubric if c.title not in {i["criterion"] for i in items}]
    for title in missing:  # never silently ungradeable: the TA rates it by hand
        items.append({"criterion": title, "suggested": None, "confidence": None, "calibrated": False,
                      "probabilities": {}, "needs_review": True, "reason": "no suggestion in the data",
                      "shortened": False, "auto_accepted": False})
    items.sort(key=lambda i: not i["needs_review"])  # stable: queued first, rubric order kept
    student_notices = list(notices.get(sid, []))
    if submission is None:
        student_notices.append("no submission code found for this student in the lab folder")
    return {
        "student_id": sid,
        "raw_id": s.get("submission") or (submission.folder_name if submission else sid),
        "language": submission.language if submission else "",
        "files": list(submission.files) if submission else [],
        "code": submission.code if submission else "",
        "flags": [str(f) for f in s.get("flags") or []],
        "notices": student_notices,
        "queued": sum(i["needs_review"] for i in items),
        "items": items,
    }


def _csv_rows(students: list[dict], not_graded: list[dict]) -> list[dict]:
    """The final CSV's student rows (graded or not), in the order lab_suggestions writes, each with its cell."""
    rows = [{"raw_id": s["raw_id"], "student_id": s["student_id"], "graded": True} for s in students]
    rows += [{"raw_id": p["raw_id"], "student_id": p["student_id"], "graded": False} for p in not_graded]
    rows.sort(key=lambda r: r["raw_id"])  # the order lab_suggestions writes
    for r in rows:
        r["cell"] = neutralize_cell(r["raw_id"])
    return rows


def _model_description(model) -> tuple[str, str]:
    """(the model's name, with its adapter folder's name if any; "method, quantization") from the data's "model"."""
    if not isinstance(model, dict):
        return str(model), ""
    model_name = str(model.get("name") or model.get("hub_id") or "")
    if model.get("adapter_path"):
        model_name += " + adapter " + Path(str(model["adapter_path"])).name
    return model_name, ", ".join(str(model[k]) for k in ("method", "quantization") if model.get(k))


# --------------------------------------------------------------------------- the page's CSVs, in Python


def final_ratings_csv(page: dict, decisions: dict[str, dict[str, str]]) -> str:
    """The rubric_ratings.csv the page downloads, for `decisions` = {student id: {criterion: letter}}:
    `1` in the chosen rating's column, `0` elsewhere (an undecided item and a student not graded
    have no rating marked)."""
    rows = [list(r) for r in page["csv"]["header_rows"]]
    for r in page["csv"]["rows"]:
        chosen = decisions.get(r["student_id"], {}) if r["graded"] else {}
        rows.append([r["cell"]] + ["1" if chosen.get(t) == letter else "0" for t, letter in page["csv"]["columns"]])
    return csv_text(rows)


def gradebook_csv(page: dict, decisions: dict[str, dict[str, str]]) -> str:
    """The gradebook the page downloads: student id, total marks, the marks of each criterion's
    chosen rating. A total is written only when every criterion is decided and has marks."""
    if page.get("gradebook_csv") is None:
        raise ValueError("page was rendered with gradebook=False")
    rows = [list(page["gradebook_csv"]["header"])]
    for r in page["csv"]["rows"]:
        chosen = decisions.get(r["student_id"], {}) if r["graded"] else {}
        cells, total, complete = [], 0.0, r["graded"]
        for c in page["criteria"]:
            rating = next((x for x in c["ratings"] if x["letter"] == chosen.get(c["title"])), None)
            if rating is None or rating["marks"] is None:
                complete = False
                cells.append("")
            else:
                total += rating["marks"]
                cells.append(rating["marks_text"])
        rows.append([r["cell"], _format_number(total) if complete else ""] + cells)
    return csv_text(rows)


# --------------------------------------------------------------------------- the page


def _read_asset(name: str) -> str:
    return (_ASSETS / name).read_text(encoding="utf-8")


def _asset(name: str) -> str:
    """An asset inlined into the page's <style> or <script>, checked that it cannot end its element."""
    text = _read_asset(name)
    lowered = text.lower()
    if "</script" in lowered or "</style" in lowered or "<!--" in lowered:
        raise ValueError(f"{name} must not contain '</script', '</style' or '<!--' (it is inlined)")
    return text


def _sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"


def render_review_page(lab: Lab, data: dict, *, gradebook: bool = True,
                       gradebook_id_header: str = GRADEBOOK_ID_HEADER) -> str:
    """One self-contained HTML page (a str) to review `data` = `lab_suggestions(lab, ...)[1]`."""
    payload = page_data(lab, data, gradebook=gradebook, gradebook_id_header=gradebook_id_header)
    css, js = _asset("review_page.css"), _asset("review_page.js")
    csp = ("default-src 'none'; "
           f"script-src {_sha256(js)}; style-src {_sha256(css)}; "
           "img-src data:; base-uri 'none'; form-action 'none'")
    title = html.escape(f"Review: {lab.name}", quote=True)
    # review_page.html is static markup only: every piece of data is put in by the JS, with textContent.
    # Each value is safe where it goes: the CSP is base64 and keywords (no " < &), the title is escaped,
    # the CSS and JS are checked by _asset, the data by embed_json.
    return Template(_read_asset("review_page.html")).substitute(
        csp=csp, title=title, css=css, data=embed_json(payload), js=js)


def write_review_page(output_dir: str | Path, lab: Lab, data: dict, *, gradebook: bool = True,
                      gradebook_id_header: str = GRADEBOOK_ID_HEADER) -> Path:
    """Write `<output_dir>/<lab>_review.html` (name made safe, written atomically) and return its path."""
    out = Path(output_dir)
    out.mkdir(parents=True, exist_ok=True)
    path = output_path(out, lab.name, HTML_SUFFIX)
    write_text_atomic(render_review_page(lab, data, gradebook=gradebook, gradebook_id_header=gradebook_id_header),
                      path)
    return path


MAX_PAGE_BYTES = 512 * 2**20  # a page or suggestions file; a 1,000-student lab's is a few MB
PAGE_DATA_TAG = '<script type="application/json" id="review-data">'  # in every page render_review_page writes


def is_review_page(path: Path) -> bool:
    """Whether the regular file `path` holds a page `render_review_page` wrote (its data element)."""
    try:
        return PAGE_DATA_TAG.encode() in read_named_file(path, MAX_PAGE_BYTES, str(path))
    except ValueError:
        return False


def main(argv: list[str] | None = None) -> int:
    from Utils.labs import read_lab

    parser = argparse.ArgumentParser(description=(
        "Rebuild the HTML review page of one graded lab from grade.py's <lab>_suggestions.json, without "
        "scoring again (e.g. when the page file was lost). Decisions saved in the browser carry over."))
    parser.add_argument("--lab_dir", required=True, help="the lab folder that was graded")
    parser.add_argument("--suggestions", required=True, help="its <lab>_suggestions.json written by grade.py")
    parser.add_argument("--output_dir", default=None, help="default: the folder of --suggestions")
    add_statement_flags(parser)
    parser.add_argument("--no_gradebook", action="store_true", help="leave out the gradebook download")
    parser.add_argument("--gradebook_id_header", default=GRADEBOOK_ID_HEADER,
                        help="name of the id column of the page's gradebook download")
    args = parser.parse_args(argv)
    try:
        checks = Checks()
        check_statement(checks, args)
        checks.raise_if_any()
        lab = read_lab(args.lab_dir, verbose=STATEMENTS[args.statement], with_ratings=False)
        raw = read_named_file(args.suggestions, MAX_PAGE_BYTES, f"--suggestions {args.suggestions}")
        try:
            data = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as e:
            raise ValueError(f"--suggestions {args.suggestions}: not readable as grade.py's JSON ({e})") from None
        if not isinstance(data, dict) or not isinstance(data.get("students"), list):
            raise ValueError(f"--suggestions {args.suggestions}: not a <lab>_suggestions.json written by grade.py "
                             "(no 'students' list)")
        if data.get("lab") not in (None, lab.name):
            raise ValueError(f"--suggestions {args.suggestions} grades lab {data.get('lab')!r}, but --lab_dir "
                             f"{args.lab_dir} is lab {lab.name!r}")
        out = args.output_dir or str(Path(args.suggestions).resolve().parent)
        earlier = output_path(Path(out), lab.name, HTML_SUFFIX)
        if foreign(earlier, is_review_page):
            raise ValueError(f"{earlier} exists and is not a review page; it is never replaced: move it away or "
                             "choose another --output_dir")
        path = write_review_page(out, lab, data, gradebook=not args.no_gradebook,
                                 gradebook_id_header=args.gradebook_id_header)
    except (ValueError, OSError) as e:  # LabFormatError is a ValueError
        return fail(str(e))
    print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
