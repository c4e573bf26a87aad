"""A self-contained HTML page on which a TA reviews one graded lab's suggested ratings.

`render_review_page(lab, data)` turns a lab (read with `with_ratings=False`) and the data
`Utils.grading.lab_suggestions` returns into one .html file: no server, no network, no external
file (CSS and JS are inlined from `review_page.css` and `review_page.js` beside this module). The
TA opens it by double-click, accepts or changes every suggestion, and downloads

- the final `rubric_ratings.csv` (the six header rows and the column order are computed here,
  by the same code that writes the suggested CSV; the page's JS only writes the student rows),
  which `Utils.labs.read_lab` reads back, and
- a gradebook CSV (student id, total marks, one column per criterion) for Moodle or Canvas.

Decisions live in the browser's localStorage, keyed by lab and a hash of the data.

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
import math
import sys
from pathlib import Path

from Utils.grading import output_path, safe_filename
from Utils.labs import NO_SOURCE, Lab, csv_text, neutralize_cell, ratings_csv_header

HTML_SUFFIX = "_review.html"
RATINGS_SUFFIX = "_final_ratings.csv"
GRADEBOOK_SUFFIX = "_gradebook.csv"
GRADEBOOK_ID_HEADER = "Student ID"
GRADEBOOK_TOTAL_HEADER = "Total"
STORAGE_PREFIX = "rubric-review:v1"
PAGE_VERSION = 1

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


def _finite(x) -> float | None:
    try:
        x = float(x)
    except (TypeError, ValueError):
        return None
    return x if math.isfinite(x) else None


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
    """The six header rows of rubric_ratings.csv (`Utils.labs.ratings_csv_header`) and the ordered
    (criterion title, rating letter) of the rating columns (not neutralized)."""
    columns = [(c.title, r.letter) for c in lab.rubric for r in c.ratings]
    return ratings_csv_header(lab.rubric), columns


def data_hash(lab: Lab, data: dict) -> str:
    """16 hex digits identifying the suggestions and the rubric (the localStorage key uses it)."""
    rubric = [[c.title, c.description, [[r.letter, r.description, r.marks] for r in c.ratings]]
              for c in lab.rubric]
    blob = json.dumps({"data": data, "rubric": rubric}, sort_keys=True, ensure_ascii=True, default=str)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()[:16]


def page_data(lab: Lab, data: dict, *, gradebook: bool = True,
              gradebook_id_header: str = GRADEBOOK_ID_HEADER) -> dict:
    """Everything the page shows and writes, as one JSON-able dict (embedded by render_review_page).

    Students with queued items (needs_review) come first, and within a student the queued
    criteria come first. `csv` holds the neutralized header rows, columns and row order of the
    final rubric_ratings.csv; `gradebook_csv` the gradebook's header (None without a gradebook),
    whose first column is named `gradebook_id_header` (Canvas matches rows by a column named
    `SIS Login ID`, `SIS User ID` or `ID`; Moodle lets the importer map any column).
    """
    header, columns = header_and_columns(lab)
    marks_text = dict(zip(columns, header[4][1:]))
    rubric = {c.title: c for c in lab.rubric}
    criteria = [{
        "title": c.title, "description": c.description,
        "ratings": [{"letter": r.letter, "description": r.description, "marks": _finite(r.marks),
                     "marks_text": marks_text[(c.title, r.letter)]} for r in c.ratings],
    } for c in lab.rubric]

    notices: dict[str, list[str]] = {}
    for n in data.get("notices", []):
        notices.setdefault(n.get("student_id") or "", []).append(
            f"{n.get('reason', '')}" + (f": {n['detail']}" if n.get("detail") else ""))

    students = []
    for s in data.get("students", []):
        sid = s["student_id"]
        submission = lab.submissions.get(sid)
        items = []
        for entry in s.get("criteria", []):
            title = entry["criterion"]
            if title not in rubric:
                raise ValueError(f"lab {lab.name!r}: suggestion for unknown criterion {title!r} (student {sid!r})")
            letters = rubric[title].letters
            suggested = entry.get("suggested_option")
            if suggested not in letters:
                suggested = None
            calibrated = _finite(entry.get("confidence"))
            probabilities = entry.get("probabilities") or {}
            items.append({
                "criterion": title,
                "suggested": suggested,
                "confidence": calibrated if calibrated is not None else _finite(entry.get("top_probability")),
                "calibrated": calibrated is not None,
                "probabilities": {k: _finite(v) for k, v in probabilities.items() if k in letters},
                "needs_review": bool(entry.get("needs_review")) or suggested is None,
                "reason": str(entry.get("reason") or ""),
                "shortened": bool(entry.get("shortened")),
            })
        missing = [c.title for c in lab.rubric if c.title not in {i["criterion"] for i in items}]
        for title in missing:  # never silently ungradeable: the TA rates it by hand
            items.append({"criterion": title, "suggested": None, "confidence": None, "calibrated": False,
                          "probabilities": {}, "needs_review": True, "reason": "no suggestion in the data",
                          "shortened": False})
        items.sort(key=lambda i: not i["needs_review"])  # stable: queued first, rubric order kept
        student_notices = list(notices.get(sid, []))
        if submission is None:
            student_notices.append("no submission code found for this student in the lab folder")
        students.append({
            "student_id": sid,
            "raw_id": s.get("submission") or (submission.folder_name if submission else sid),
            "language": submission.language if submission else "",
            "files": list(submission.files) if submission else [],
            "code": submission.code if submission else "",
            "flags": [str(f) for f in s.get("flags") or []],
            "notices": student_notices,
            "queued": sum(i["needs_review"] for i in items),
            "items": items,
        })
    students.sort(key=lambda s: s["queued"] == 0)  # stable: students with queued items first

    not_graded = [{"student_id": p.get("student_id") or "", "raw_id": _not_graded_raw_id(p),
                   "reason": p.get("reason", ""), "detail": p.get("detail", "")}
                  for p in data.get("not_graded", [])]
    rows = [{"raw_id": s["raw_id"], "student_id": s["student_id"], "graded": True} for s in students]
    rows += [{"raw_id": p["raw_id"], "student_id": p["student_id"], "graded": False} for p in not_graded]
    rows.sort(key=lambda r: r["raw_id"])  # the order lab_suggestions writes
    for r in rows:
        r["cell"] = neutralize_cell(r["raw_id"])

    model = data.get("model") or {}
    if isinstance(model, dict):
        model_name = str(model.get("name") or model.get("hub_id") or "")
        if model.get("adapter_path"):
            model_name += " + adapter " + Path(str(model["adapter_path"])).name
    else:
        model_name = str(model)
    digest = data_hash(lab, data)
    base = safe_filename(lab.name)
    return {
        "version": PAGE_VERSION,
        "lab": lab.name,
        "model": model_name,
        "review_threshold": _finite(data.get("review_threshold")),
        "data_hash": digest,
        "storage_key": f"{STORAGE_PREFIX}:{lab.name}:{digest}",
        "criteria": criteria,
        "students": students,
        "not_graded": not_graded,
        "csv": {
            "filename": base + RATINGS_SUFFIX,
            "header_rows": [[neutralize_cell(c) for c in row] for row in header],
            "columns": [list(c) for c in columns],
            "rows": rows,
        },
        "gradebook_csv": {
            "filename": base + GRADEBOOK_SUFFIX,
            "header": [neutralize_cell(c) for c in
                       [gradebook_id_header, GRADEBOOK_TOTAL_HEADER] + [c.title for c in lab.rubric]],
        } if gradebook else None,
    }


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


def _asset(name: str) -> str:
    text = (_ASSETS / name).read_text(encoding="utf-8")
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
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{csp}">\n'  # base64 and keywords: no " < &
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="referrer" content="no-referrer">\n'
        f"<title>{title}</title>\n"
        f"<style>{css}</style>\n</head>\n<body>\n"
        f"{_BODY}\n"
        f'<script type="application/json" id="review-data">{embed_json(payload)}</script>\n'
        f"<script>{js}</script>\n"
        "</body>\n</html>\n"
    )


def write_review_page(output_dir: str | Path, lab: Lab, data: dict, *, gradebook: bool = True,
                      gradebook_id_header: str = GRADEBOOK_ID_HEADER) -> Path:
    """Write `<output_dir>/<lab>_review.html` (name made safe) and return its path."""
    out = Path(output_dir)
    out.mkdir(parents=True, exist_ok=True)
    path = output_path(out, lab.name, HTML_SUFFIX)
    path.write_text(render_review_page(lab, data, gradebook=gradebook, gradebook_id_header=gradebook_id_header),
                    encoding="utf-8")
    return path


# Static markup only: every piece of data is put in by the JS, with textContent.
_BODY = """\
<header class="topbar">
  <div class="brand">
    <div class="brand-title"><span class="logo" aria-hidden="true">&#10003;</span><span id="lab-name"></span></div>
    <div class="brand-sub" id="lab-sub"></div>
  </div>
  <div class="progress" aria-live="polite">
    <div class="progress-bar"><div class="progress-fill" id="progress-fill"></div></div>
    <div class="progress-counts">
      <span><b id="count-reviewed">0</b> / <span id="count-total">0</span> reviewed</span>
      <span class="dot-sep">&middot;</span>
      <span><b id="count-queued-left">0</b> of <span id="count-queued">0</span> queued left</span>
      <span class="dot-sep">&middot;</span>
      <span><b id="count-students-done">0</b> / <span id="count-students">0</span> students done</span>
    </div>
  </div>
  <div class="actions">
    <button type="button" id="accept-unqueued"
      title="Accept every suggestion that is not queued for review and not yet decided">Accept all unqueued</button>
    <button type="button" id="download-csv" class="primary"
      title="rubric_ratings.csv with your decisions">Download ratings CSV</button>
    <button type="button" id="download-gradebook"
      title="Student id, total and marks per criterion (Moodle, Canvas)">Gradebook CSV</button>
    <button type="button" id="reset" class="danger-ghost" title="Forget every decision on this page">Reset</button>
  </div>
</header>
<div class="notice-bar" id="storage-warning" hidden></div>
<div class="layout">
  <aside class="sidebar">
    <div class="sidebar-tools">
      <input type="search" id="search" placeholder="Find student (/)" autocomplete="off" spellcheck="false">
      <label class="toggle"><input type="checkbox" id="queued-only"> Queued only</label>
    </div>
    <div class="list-caption" id="list-caption"></div>
    <ul class="student-list" id="student-list"></ul>
    <div class="shortcuts" id="shortcuts">
      <div class="shortcuts-title">Keyboard</div>
      <div><kbd>j</kbd> <kbd>k</kbd> next / previous student</div>
      <div><kbd>1</kbd>&ndash;<kbd>9</kbd> choose an option</div>
      <div><kbd>a</kbd> accept the suggestion</div>
      <div><kbd>n</kbd> <kbd>p</kbd> next / previous criterion</div>
      <div><kbd>q</kbd> queued only &nbsp; <kbd>/</kbd> find student</div>
      <div class="shortcuts-hint">Keys act on the active (outlined) criterion.</div>
    </div>
  </aside>
  <main class="student-view" id="student-view">
    <div class="student-head">
      <div class="student-ident">
        <div class="student-name" id="student-name"></div>
        <div class="student-meta" id="student-meta"></div>
      </div>
      <div class="student-actions">
        <span class="pill" id="student-status"></span>
        <button type="button" id="accept-student"
          title="Accept this student's unqueued suggestions">Accept unqueued</button>
        <button type="button" id="prev-student" class="icon" title="Previous student (k)">&#8593;</button>
        <button type="button" id="next-student" class="icon" title="Next student (j)">&#8595;</button>
      </div>
    </div>
    <div class="flags" id="flags" hidden></div>
    <div class="panes">
      <section class="code-pane" aria-label="Student code">
        <div class="pane-title"><span>Code</span><span class="pane-sub" id="code-info"></span></div>
        <div class="code" id="code"></div>
      </section>
      <section class="criteria-pane" aria-label="Rubric">
        <div class="pane-title"><span>Rubric</span><span class="pane-sub" id="criteria-info"></span></div>
        <div class="criteria" id="criteria"></div>
      </section>
    </div>
  </main>
</div>
<div class="toast" id="toast" role="status" hidden></div>
<noscript><div class="noscript">This review page needs JavaScript
(it runs only inside this file; nothing is sent anywhere).</div></noscript>"""


def main(argv: list[str] | None = None) -> int:
    from Utils.labs import read_lab

    parser = argparse.ArgumentParser(description="Write the HTML review page of one graded lab.")
    parser.add_argument("--lab_dir", required=True, help="the lab folder that was graded")
    parser.add_argument("--suggestions", required=True, help="its <lab>_suggestions.json written by grade.py")
    parser.add_argument("--output_dir", default=None, help="default: the folder of --suggestions")
    parser.add_argument("--verbose", type=int, default=0, help="statement file choice, as in grade.py")
    parser.add_argument("--no_gradebook", action="store_true", help="leave out the gradebook download")
    parser.add_argument("--gradebook_id_header", default=GRADEBOOK_ID_HEADER,
                        help="name of the gradebook's id column (Canvas: 'SIS Login ID')")
    args = parser.parse_args(argv)
    lab = read_lab(args.lab_dir, verbose=args.verbose, with_ratings=False)
    data = json.loads(Path(args.suggestions).read_text(encoding="utf-8"))
    out = args.output_dir or str(Path(args.suggestions).resolve().parent)
    path = write_review_page(out, lab, data, gradebook=not args.no_gradebook,
                             gradebook_id_header=args.gradebook_id_header)
    print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
