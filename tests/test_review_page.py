"""The HTML review page: data embedded inertly, CSVs that read back through the lab reader, and
(in a real headless Chromium, when installed) a TA's clicks turning into downloaded CSVs.

Browser tests need Debian's chromium and chromium-driver (`apt-get install -y chromium
chromium-driver`) and the `selenium` package; without them they skip and say so.
`REVIEW_PAGE_SCREENSHOT=docs/review_page.png pytest tests/test_review_page.py -k screenshot`
rewrites the screenshots in the docs (that file at 1440 px; `review_page_1024.png` and
`review_page_1920.png` beside it). `test_browser_decision_speed_on_a_1000_student_page` prints how long one decision
takes on a 1,000-student page (and writes it to $REVIEW_PAGE_BENCH when set): a measurement, not
an assertion.
"""

from __future__ import annotations

import base64
import csv
import dataclasses
import hashlib
import io
import json
import os
import random
import re
import shutil
import time
from pathlib import Path

import pytest

from fixtures import REPO, RUBRIC, write_lab
from Utils.grading import ReviewPolicy, lab_suggestions
from Utils.lab_records import NO_RATING, NO_SOURCE, RATINGS_FILE, Submission
from Utils.labs import Lab, collect_items, read_lab
from Utils.ratings_sheet import csv_text, format_ratings_csv, neutralize_cell, parse_ratings_csv
from Utils.rubric import parse_rubric
from Utils.review_page import (agreement_text, embed_json, final_ratings_csv, gradebook_csv, page_data,
                               render_review_page, write_review_page)
from Utils.scoring import ItemScore

try:  # items_to_grade moved from Utils.scoring to Utils.items
    from Utils.items import items_to_grade
except ImportError:  # pragma: no cover
    from Utils.scoring import items_to_grade

HOSTILE_CODE = ("int main() { // </script><script>document.title='pwned'</script>\n"
                "  /* <!-- <img src=x onerror=\"document.title='pwned2'\"> --> & &amp; \u2028 \u2029 */\n"
                "  return 0; }\n")
HOSTILE_ID = '=HYPERLINK("http://x")'
FLAG = "suspicious text: possible prompt injection"
ESCAPE = "\ue00c"  # selenium's Keys.ESCAPE (selenium is imported only where a browser runs)


# --------------------------------------------------------------------------- fixtures in plain data


def suggestions(lab, scores, threshold=0.5, model=None, calibrated=False):
    """grade.py's JSON data for `scores`: items below `threshold` queued, nothing auto-accepted."""
    return lab_suggestions(lab, scores, ReviewPolicy(threshold, "test threshold", calibrated),
                           {"name": "tiny"} if model is None else model)


def fake_scores(lab, probabilities):
    """ItemScores with chosen probabilities: {(student, criterion): {letter: p}}."""
    scores = []
    for item in items_to_grade(lab, "system"):
        probs = probabilities[(item.student_id, item.criterion)]
        scores.append(ItemScore(item, max(probs, key=probs.get), logprobs={k: 0.0 for k in probs}, probabilities=probs))
    return scores


# s1 and s3 have one queued item each (top probability below 0.5); s2 and s4 have none.
PROBABILITIES = {
    ("s1", "Variable names"): {"A": 0.7, "B": 0.2, "C": 0.1}, ("s1", "Loop bound"): {"A": 0.45, "B": 0.4},
    ("s2", "Variable names"): {"A": 0.1, "B": 0.8, "C": 0.1}, ("s2", "Loop bound"): {"A": 0.9, "B": 0.1},
    ("s3", "Variable names"): {"A": 0.4, "B": 0.35, "C": 0.25}, ("s3", "Loop bound"): {"A": 0.2, "B": 0.8},
    ("s4", "Variable names"): {"A": 0.05, "B": 0.15, "C": 0.8}, ("s4", "Loop bound"): {"A": 0.85, "B": 0.15},
}


def graded_lab(labs_dir, name="lab1"):
    """A lab with four graded students (s1, s3 queued), one folder with no source (s9): (lab, data)."""
    codes = {f"s{i}@uni.edu": f"#include <cstdio>\nint main() {{\n  int n{i} = {i};\n  return 0;\n}}\n"
             for i in range(1, 5)}
    path = write_lab(labs_dir, name, codes=codes)
    (path / "submissions" / "s9@uni.edu").mkdir()
    (path / "submissions" / "s9@uni.edu" / "notes.txt").write_text("no code here")
    (path / RATINGS_FILE).unlink()
    lab = read_lab(path, with_ratings=False)
    data = suggestions(lab, fake_scores(lab, PROBABILITIES))
    rows = [(s["submission"], {c["criterion"]: c["suggested_option"] for c in s["criteria"]}) for s in data["students"]]
    suggested = format_ratings_csv(lab.rubric, sorted(rows + [("s9@uni.edu", {})]))  # the suggestions, as a CSV
    return lab, data, suggested


def hostile_lab(tmp_path):
    """A lab whose student ids and code attack the page and the CSVs (no folder: ids hold '/')."""
    rubric = parse_rubric(json.dumps(RUBRIC))
    ids = [HOSTILE_ID, "-2+3@uni.edu", "__proto__", "ok@uni.edu"]
    submissions = {}
    for raw in ids:
        sid = raw.split("@", 1)[0]
        submissions[sid] = Submission(sid, raw, HOSTILE_CODE if sid == HOSTILE_ID else "int main() {}\n",
                                      "cpp", ("main.cpp",))
    lab = Lab('lab"<b>x</b>', tmp_path, "Print 1.", rubric, submissions)
    probs = {(sid, c.title): {r.letter: (0.9 if r.letter == "A" else 0.1 / (len(c.ratings) - 1))
                              for r in c.ratings} for sid in submissions for c in rubric}
    data = suggestions(lab, fake_scores(lab, probs))
    for s in data["students"]:
        if s["student_id"] == HOSTILE_ID:
            s["flags"] = [FLAG]
    return lab, data


def payload_of(page: str) -> dict:
    match = re.search(r'<script type="application/json" id="review-data">(.*?)</script>', page, re.S)
    return json.loads(match.group(1))


# --------------------------------------------------------------------------- no browser


@pytest.mark.parametrize("value, expected", [
    ("=1+2", "'=1+2"), ("+A1", "'+A1"), ("-A1", "'-A1"), ("@SUM(A1)", "'@SUM(A1)"), ("\tx", "'\tx"),
    ("\rx", "'\rx"), (HOSTILE_ID, "'" + HOSTILE_ID), ("'=x", "'=x"), ("s1@uni.edu", "s1@uni.edu"),
    ("", ""), ("A", "A"), ("-1", "-1"), ("+2.5", "+2.5"), ("-1+2", "'-1+2"), ("-", "'-"), ("x=1", "x=1"),
])
def test_neutralize_cell(value, expected):
    assert neutralize_cell(value) == expected
    assert neutralize_cell(neutralize_cell(value)) == expected  # idempotent


def test_csv_text_is_the_csv_module_for_plain_cells_and_quotes_neutralized_ones():
    rows = [["", "Variable names", 'say "hi", twice', "line\nbreak"], ["Email", "", "1", "0"]]
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    assert csv_text(rows) == out.getvalue()
    assert csv_text([[HOSTILE_ID, "-1", "@x"]]) == '"\'=HYPERLINK(""http://x"")",-1,"\'@x"\n'
    assert list(csv.reader(io.StringIO(csv_text([[HOSTILE_ID]])))) == [["'" + HOSTILE_ID]]


def test_student_code_and_ids_are_embedded_inertly(tmp_path):
    lab, data = hostile_lab(tmp_path)
    page = render_review_page(lab, data)
    assert page.isascii()  # every non-ASCII character (U+2028/9 included) is a JSON escape
    assert page.lower().count("</script") == 2  # the JSON block's and the code's own closing tags
    assert page.lower().count("<script") == 2
    assert "<!--" not in page and "pwned" not in page.split('id="review-data">')[0]
    assert "<b>x</b>" not in page and "Review: lab&quot;&lt;b&gt;x&lt;/b&gt;" in page
    block = re.search(r'id="review-data">(.*?)</script>', page, re.S).group(1)
    assert not set("<>&") & set(block)
    payload = payload_of(page)  # round trip: exactly what went in
    assert payload == json.loads(json.dumps(page_data(lab, data)))
    by_id = {s["student_id"]: s for s in payload["students"]}
    assert by_id[HOSTILE_ID]["code"] == HOSTILE_CODE and by_id[HOSTILE_ID]["flags"] == [FLAG]
    assert set(by_id) == {HOSTILE_ID, "-2+3", "__proto__", "ok"}
    assert json.loads(embed_json({"k": "</script>\u2028&"})) == {"k": "</script>\u2028&"}


def test_csp_allows_only_the_inline_script_and_style(tmp_path):
    lab, data = hostile_lab(tmp_path)
    page = render_review_page(lab, data)
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]*)"', page).group(1)
    script = re.findall(r"<script>(.*?)</script>", page, re.S)
    style = re.findall(r"<style>(.*?)</style>", page, re.S)
    assert len(script) == 1 and len(style) == 1

    def digest(text):
        return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"
    assert f"script-src {digest(script[0])};" in csp and f"style-src {digest(style[0])};" in csp
    assert "default-src 'none'" in csp and "unsafe" not in csp
    markup = page.split('id="review-data"')[0]  # no external resource: nothing to fetch offline
    assert not re.search(r"\b(src|href)\s*=|url\(|@import|https?:", markup)


def test_header_rows_come_from_the_suggested_csv_and_accepting_all_gives_it_back(labs_dir):
    lab, data, suggested = graded_lab(labs_dir)
    page = page_data(lab, data)
    assert page["csv"]["header_rows"] == list(csv.reader(io.StringIO(format_ratings_csv(lab.rubric, []))))
    assert page["csv"]["columns"] == [[c.title, r.letter] for c in lab.rubric for r in c.ratings]
    assert [r["raw_id"] for r in page["csv"]["rows"]] == [f"s{i}@uni.edu" for i in (1, 2, 3, 4, 9)]
    accept_all = {s["student_id"]: {c["criterion"]: c["suggested_option"] for c in s["criteria"]}
                  for s in data["students"]}
    assert final_ratings_csv(page, accept_all) == suggested  # byte for byte


def test_students_and_items_queued_first_with_confidence_and_flags(labs_dir):
    lab, data, _ = graded_lab(labs_dir)
    data["students"][1]["criteria"][0].update(confidence=0.93, calibrated=True)  # s2: a calibrated confidence wins
    data["students"][3]["flags"] = [FLAG]
    page = page_data(lab, data)
    assert [s["student_id"] for s in page["students"]] == ["s1", "s3", "s2", "s4"]
    assert [s["queued"] for s in page["students"]] == [1, 1, 0, 0]
    s1 = page["students"][0]
    assert [i["criterion"] for i in s1["items"]] == ["Loop bound", "Variable names"]  # queued first
    assert s1["items"][0]["needs_review"] and s1["items"][0]["confidence"] == 0.45
    s2 = page["students"][2]
    assert s2["items"][0]["confidence"] == 0.93 and s2["items"][0]["calibrated"]
    assert page["students"][3]["flags"] == [FLAG]
    assert page["not_graded"] == [{"student_id": "s9", "raw_id": "s9@uni.edu", "reason": NO_SOURCE,
                                   "detail": "s9@uni.edu"}]


def test_storage_key_names_only_the_lab_so_a_regenerated_page_finds_the_decisions(labs_dir):
    lab, data, _ = graded_lab(labs_dir)
    page = page_data(lab, data)
    assert page["storage_key"] == "rubric-review:v2:lab1"
    assert page["legacy_storage_prefix"] == "rubric-review:v1:lab1:"  # the older pages' keys, offered once
    data["students"][0]["criteria"][0]["top_probability"] = 0.11  # new suggestions: same key, new data hash
    regenerated = page_data(lab, data)
    assert regenerated["storage_key"] == page["storage_key"] and regenerated["data_hash"] != page["data_hash"]


def test_python_twins_read_back_as_the_decisions(labs_dir):
    lab, data, _ = graded_lab(labs_dir)
    page = page_data(lab, data)
    decisions = {"s1": {"Variable names": "C", "Loop bound": "B"}, "s2": {"Variable names": "B", "Loop bound": "A"},
                 "s3": {"Variable names": "A", "Loop bound": "A"}, "s4": {"Variable names": "C"}}
    (lab.path / RATINGS_FILE).write_text(final_ratings_csv(page, decisions))
    items, problems = collect_items(read_lab(lab.path))
    assert {(i.student_id, i.criterion.title): i.chosen for i in items} == {
        (sid, title): letter for sid, chosen in decisions.items() for title, letter in chosen.items()}
    assert {(p.student, p.criterion, p.reason) for p in problems} == {
        ("s4", "Loop bound", NO_RATING), ("s9", "Variable names", NO_SOURCE), ("s9", "Loop bound", NO_SOURCE)}
    rows = list(csv.reader(io.StringIO(gradebook_csv(page, decisions))))
    assert rows == [["Student ID", "Total", "Variable names", "Loop bound"],
                    ["s1@uni.edu", "0", "0", "0"], ["s2@uni.edu", "2", "1", "1"], ["s3@uni.edu", "3", "2", "1"],
                    ["s4@uni.edu", "", "0", ""], ["s9@uni.edu", "", "", ""]]


def test_gradebook_can_be_left_out_or_renamed_for_canvas(labs_dir):
    lab, data, _ = graded_lab(labs_dir)
    page = page_data(lab, data, gradebook=False)
    assert page["gradebook_csv"] is None
    with pytest.raises(ValueError):
        gradebook_csv(page, {})
    page = page_data(lab, data, gradebook_id_header="SIS Login ID")
    assert gradebook_csv(page, {}).splitlines()[0] == "SIS Login ID,Total,Variable names,Loop bound"


def test_write_review_page_names_the_file_safely(tmp_path, labs_dir):
    lab, data, _ = graded_lab(labs_dir)
    lab.name = "../evil lab"
    path = write_review_page(tmp_path / "out", lab, data)
    assert path.parent == (tmp_path / "out").resolve() and path.name == "_evil_lab_review.html"
    assert payload_of(path.read_text())["csv"]["filename"] == "_evil_lab_final_ratings.csv"


# --------------------------------------------------------------------------- in a headless browser

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
SKIP_REASON = "chromium/chromedriver not installed: apt-get install chromium chromium-driver"


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    if not (os.path.exists(CHROMIUM) and os.path.exists(CHROMEDRIVER)):
        pytest.skip(SKIP_REASON)
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        pytest.skip("selenium not installed: pip install -r requirements.txt")
    downloads = tmp_path_factory.mktemp("downloads")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--window-size=1440,900", "--disable-extensions", "--no-first-run"):
        options.add_argument(arg)
    options.add_experimental_option("prefs", {
        "download.default_directory": str(downloads), "download.prompt_for_download": False,
        "download.directory_upgrade": True, "safebrowsing.enabled": False})
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(options=options, service=Service(CHROMEDRIVER))
    driver.set_page_load_timeout(20)
    driver.downloads = downloads
    yield driver
    driver.quit()


def reload_until(driver, condition, timeout=15.0):
    """Reload the page until `condition()` holds in the fresh document.

    Chromium hands a page's localStorage writes to the browser process asynchronously, so a
    reload issued right after a write may (rarely) start its document before the write landed;
    the page itself never writes on load, so reloading again cannot lose anything."""
    def reloaded():
        driver.refresh()
        wait(lambda: driver.execute_script("return document.body.classList.contains('ready')"))
        return condition()
    wait(reloaded, timeout)


def set_viewport(driver, width, height):
    """Make the page's viewport (window.innerWidth x innerHeight) exactly width x height."""
    driver.set_window_size(width, height)
    inner = js(driver, "return [window.innerWidth, window.innerHeight]")
    if inner != [width, height]:
        driver.set_window_size(2 * width - inner[0], 2 * height - inner[1])


def open_page(driver, path: Path, size=(1440, 900)):
    """Load the page from file:// with no saved decisions, in a `size` viewport."""
    set_viewport(driver, *size)
    driver.get(path.as_uri())
    driver.execute_script("localStorage.clear()")
    reload_until(driver, lambda: driver.execute_script("return localStorage.length") == 0)
    driver.get_log("browser")  # drop earlier messages


def wait(condition, timeout=15.0):
    end = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > end:
            raise AssertionError("timed out waiting")
        time.sleep(0.05)


def js(driver, script, *args):
    return driver.execute_script(script, *args)


def sidebar(driver):
    return js(driver, "return [...document.querySelectorAll('#student-list li.student')]"
                      ".map(li => [li.dataset.sid, li.dataset.status])")


def cards(driver):
    return js(driver, "return [...document.querySelectorAll('#criteria .crit')]"
                      ".map(c => [c.dataset.criterion, c.dataset.state, c.classList.contains('queued')])")


def select_student(driver, sid):
    js(driver, "[...document.querySelectorAll('#student-list li.student')].find(li => li.dataset.sid === arguments[0])"
               ".click()", sid)
    wait(lambda: js(driver, "return document.getElementById('student-name').textContent") == sid)


def click_option(driver, criterion, letter):
    js(driver, "[...document.querySelectorAll('#criteria .crit')].find(c => c.dataset.criterion === arguments[0])"
               ".querySelector(`input[value=\"${arguments[1]}\"]`).click();", criterion, letter)


def click_accept(driver, criterion):
    js(driver, "[...document.querySelectorAll('#criteria .crit')].find(c => c.dataset.criterion === arguments[0])"
               ".querySelector('button.accept').click();", criterion)


def accept_all(driver, confirm=True) -> str:
    """Click "Accept all unqueued", then OK (or Cancel) in the dialog it opens; returns the dialog's text."""
    js(driver, "document.getElementById('accept-unqueued').click()")
    wait(lambda: js(driver, "return !document.getElementById('confirm').hidden"))
    text = js(driver, "return document.getElementById('confirm-text').textContent")
    js(driver, f"document.getElementById('{'confirm-ok' if confirm else 'confirm-cancel'}').click()")
    assert js(driver, "return document.getElementById('confirm').hidden")
    return text


def saved_decisions(driver, key) -> dict:
    saved = json.loads(js(driver, "return localStorage.getItem(arguments[0])", key) or '{"decisions": []}')
    out: dict = {}
    for sid, title, letter in saved["decisions"]:
        out.setdefault(sid, {})[title] = letter
    return out


def download(driver, button_id, filename) -> str:
    target = Path(driver.downloads) / filename
    if target.exists():
        target.unlink()
    from selenium.webdriver.common.by import By

    driver.find_element(By.ID, button_id).click()  # a real (trusted) click, as the TA's
    wait(lambda: target.exists() and not list(Path(driver.downloads).glob("*.crdownload")))
    return target.read_text(encoding="utf-8")


def severe_logs(driver):
    return [e for e in driver.get_log("browser") if e["level"] == "SEVERE"]


def test_browser_renders_every_student_and_criterion_queued_first(browser, labs_dir, tmp_path):
    lab, data, _ = graded_lab(labs_dir)
    path = write_review_page(tmp_path, lab, data)
    open_page(browser, path)
    assert sidebar(browser) == [["s1", "queued"], ["s3", "queued"], ["s2", "todo"], ["s4", "todo"],
                                ["s9", "not-graded"]]
    assert browser.title == "Review: lab1"
    counts = js(browser, "return ['count-reviewed','count-total','count-queued-left','count-queued']"
                         ".map(id => document.getElementById(id).textContent)")
    assert counts == ["0", "8", "2", "2"]
    for sid in ("s1", "s3", "s2", "s4"):
        select_student(browser, sid)
        queued = {c for (s, c) in PROBABILITIES if s == sid and max(PROBABILITIES[(s, c)].values()) < 0.5}
        shown = cards(browser)
        assert sorted(c for c, _, _ in shown) == ["Loop bound", "Variable names"]
        assert [c for c, _, q in shown if q] == sorted(queued) and all(q for _, _, q in shown[:len(queued)])
        code = js(browser, "return [...document.querySelectorAll('#code .line .src')].map(s => s.textContent)")
        assert code == lab.submissions[sid].code.rstrip("\n").split("\n")
        options = js(browser, "return [...document.querySelectorAll('#criteria .crit')].map(c =>"
                              " [...c.querySelectorAll('.option')].map(o => [o.querySelector('.letter').textContent,"
                              " o.querySelector('.opt-desc').textContent, o.querySelector('.marks').textContent]))")
        by_title = {c[0]: opts for c, opts in zip(shown, options)}
        for criterion in lab.rubric:
            assert by_title[criterion.title] == [
                [r.letter, r.description, f"{int(r.marks)} mark" + ("" if r.marks == 1 else "s")]
                for r in criterion.ratings]
    select_student(browser, "s1")
    confidence = js(browser, "return document.querySelector('#criteria .crit .confidence').textContent")
    assert confidence == "45%"
    js(browser, "document.getElementById('queued-only').click()")
    assert [sid for sid, _ in sidebar(browser)] == ["s1", "s3"] and len(cards(browser)) == 1
    js(browser, "document.getElementById('queued-only').click()")
    select_student(browser, "s9")
    assert "no source file" in js(browser, "return document.getElementById('criteria').textContent")
    assert severe_logs(browser) == []


def test_browser_decisions_download_and_read_back(browser, labs_dir, tmp_path):
    lab, data, _ = graded_lab(labs_dir)
    path = write_review_page(tmp_path, lab, data)
    key = page_data(lab, data)["storage_key"]
    open_page(browser, path)
    accept_all(browser)
    # s1: Loop bound was queued with A suggested at 45%; the TA changes it to B.
    select_student(browser, "s1")
    click_option(browser, "Loop bound", "B")
    # s3: Variable names was queued (A at 40%); the TA accepts it.
    select_student(browser, "s3")
    click_accept(browser, "Variable names")
    # s2: the TA overrules an accepted unqueued suggestion.
    select_student(browser, "s2")
    click_option(browser, "Variable names", "C")
    expected = {"s1": {"Variable names": "A", "Loop bound": "B"}, "s2": {"Variable names": "C", "Loop bound": "A"},
                "s3": {"Variable names": "A", "Loop bound": "B"}, "s4": {"Variable names": "C", "Loop bound": "A"}}
    assert saved_decisions(browser, key) == expected
    assert dict((c, s) for c, s, _ in cards(browser)) == {"Variable names": "changed", "Loop bound": "accepted"}
    assert sidebar(browser)[:4] == [["s1", "done"], ["s3", "done"], ["s2", "done"], ["s4", "done"]]
    assert js(browser, "return document.getElementById('count-reviewed').textContent") == "8"

    ratings = download(browser, "download-csv", "lab1_final_ratings.csv")
    assert ratings == final_ratings_csv(page_data(lab, data), expected)  # JS and Python twins agree
    (lab.path / RATINGS_FILE).write_text(ratings)
    items, problems = collect_items(read_lab(lab.path))
    assert {(i.student_id, i.criterion.title): i.chosen for i in items} == {
        (sid, title): letter for sid, chosen in expected.items() for title, letter in chosen.items()}
    assert {(p.student, p.reason) for p in problems} == {("s9", NO_SOURCE)}

    gradebook = download(browser, "download-gradebook", "lab1_gradebook.csv")
    assert gradebook == gradebook_csv(page_data(lab, data), expected)
    rows = list(csv.reader(io.StringIO(gradebook)))
    assert rows[0] == ["Student ID", "Total", "Variable names", "Loop bound"]
    for row in rows[1:5]:
        chosen = expected[row[0].split("@")[0]]
        marks = [lab.criterion(t).rating(chosen[t]).marks for t in ("Variable names", "Loop bound")]
        assert [float(x) for x in row[2:]] == marks and float(row[1]) == sum(marks)
    assert rows[5] == ["s9@uni.edu", "", "", ""]
    assert severe_logs(browser) == []


def test_browser_decisions_survive_a_reload_and_reset_forgets_them(browser, labs_dir, tmp_path):
    lab, data, _ = graded_lab(labs_dir)
    path = write_review_page(tmp_path, lab, data)
    key = page_data(lab, data)["storage_key"]
    open_page(browser, path)
    select_student(browser, "s3")
    click_option(browser, "Loop bound", "A")
    # where the TA was, once the browser has stored it
    reload_until(browser, lambda: js(browser, "return document.getElementById('student-name').textContent") == "s3")
    assert dict((c, s) for c, s, _ in cards(browser))["Loop bound"] == "changed"
    assert saved_decisions(browser, key) == {"s3": {"Loop bound": "A"}}
    js(browser, "document.getElementById('reset').click()")  # first click only arms the button
    assert saved_decisions(browser, key) == {"s3": {"Loop bound": "A"}}
    js(browser, "document.getElementById('reset').click()")
    assert saved_decisions(browser, key) == {}
    assert all(state == "open" for _, state, _ in cards(browser))


def test_browser_keyboard_shortcuts(browser, labs_dir, tmp_path):
    lab, data, _ = graded_lab(labs_dir)
    path = write_review_page(tmp_path, lab, data)
    key = page_data(lab, data)["storage_key"]
    open_page(browser, path)
    from selenium.webdriver.common.action_chains import ActionChains

    def press(keys):
        ActionChains(browser).send_keys(keys).perform()

    assert "j" in js(browser, "return document.getElementById('shortcuts').textContent")
    name = lambda: js(browser, "return document.getElementById('student-name').textContent")  # noqa: E731
    assert name() == "s1"
    press("j")
    assert name() == "s3"
    press("k")
    assert name() == "s1"
    press("2")  # active card: s1's queued "Loop bound" -> option 2 (B); the next card becomes active
    press("a")  # accept "Variable names" (A)
    assert saved_decisions(browser, key) == {"s1": {"Loop bound": "B", "Variable names": "A"}}
    press("j")
    press("a")
    assert saved_decisions(browser, key)["s3"] == {"Variable names": "A"}


def test_browser_hostile_submission_is_inert_and_neutralized(browser, tmp_path):
    lab, data = hostile_lab(tmp_path)
    path = write_review_page(tmp_path, lab, data)
    page = page_data(lab, data)
    open_page(browser, path)
    select_student(browser, HOSTILE_ID)
    assert browser.title == 'Review: lab"<b>x</b>'
    assert js(browser, "return document.scripts.length") == 2
    assert js(browser, "return document.querySelectorAll('#student-view img, #student-view b').length") == 0
    code = js(browser, "return [...document.querySelectorAll('#code .line .src')].map(s => s.textContent).join('\\n')")
    assert code == HOSTILE_CODE.rstrip("\n")
    assert js(browser, "return document.getElementById('flags').textContent") == FLAG
    assert js(browser, "return getComputedStyle(document.getElementById('flags')).display") != "none"
    assert [sid for sid, _ in sidebar(browser)] == [s["student_id"] for s in page["students"]]
    accept_all(browser)
    select_student(browser, "__proto__")
    click_option(browser, "Loop bound", "B")
    time.sleep(0.3)
    assert browser.title == 'Review: lab"<b>x</b>'  # no injected script ever ran

    decisions = saved_decisions(browser, page["storage_key"])
    assert decisions["__proto__"] == {"Variable names": "A", "Loop bound": "B"} and len(decisions) == 4
    ratings = download(browser, "download-csv", page["csv"]["filename"])
    assert ratings == final_ratings_csv(page, decisions)
    lines = ratings.splitlines()
    assert '"\'=HYPERLINK(""http://x"")",1,0,0,1,0' in lines and '"\'-2+3@uni.edu",1,0,0,1,0' in lines
    table = parse_ratings_csv(ratings)  # the reader drops the neutralizing quote: the ids come back as they were
    assert sorted(r.raw_id for r in table.rows) == sorted([HOSTILE_ID, "-2+3@uni.edu", "__proto__", "ok@uni.edu"])
    read_back = {r.raw_id: {c.title: [m.letter for m in table.marks(r, c)] for c in table.criteria}
                 for r in table.rows}
    assert read_back[HOSTILE_ID] == {"Variable names": ["A"], "Loop bound": ["A"]}
    assert read_back["__proto__"] == {"Variable names": ["A"], "Loop bound": ["B"]}
    gradebook = download(browser, "download-gradebook", page["gradebook_csv"]["filename"])
    assert gradebook == gradebook_csv(page, decisions)
    assert '"\'=HYPERLINK(""http://x"")",3,2,1' in gradebook.splitlines()
    assert [e for e in severe_logs(browser) if "Content Security Policy" not in e["message"]] == []


# --------------------------------------------------------------------------- trust, statement (no browser)


def test_confidence_is_called_calibrated_only_when_the_suggestions_say_so(labs_dir):
    lab, data, _ = graded_lab(labs_dir)
    page = page_data(lab, data)  # grading without a calibration: confidences are raw probabilities
    items = [i for s in page["students"] for i in s["items"]]
    assert all(i["confidence"] is not None and not i["calibrated"] for i in items)
    assert page["trust"]["calibration"] == "none" and "not calibrated" in page["trust"]["calibration_text"]
    for s in data["students"]:  # a confidence value alone (the old page's rule) is not a calibration
        for c in s["criteria"]:
            c["confidence"] = c["top_probability"]
    assert not any(i["calibrated"] for s in page_data(lab, data)["students"] for i in s["items"])
    scores = fake_scores(lab, PROBABILITIES)
    for score in scores:
        score.confidence = 0.5
    data = suggestions(lab, scores, calibrated=True)
    page = page_data(lab, data)
    assert all(i["calibrated"] and i["confidence"] == 0.5 for s in page["students"] for i in s["items"])
    assert page["trust"]["calibration"] == "calibrated"


def test_header_states_the_measured_agreement_or_that_it_was_never_measured(labs_dir):
    measured = {"measured": True, "on": "held-out labs", "labs": ["lab7", "lab8"], "n_items": 384,
                "accuracy": 0.8312, "interval_95": [0.79, 0.871], "cohen_kappa": 0.705,
                "baselines": {"constant_answer": 0.64, "chance": 0.36}}
    assert agreement_text(measured) == (True, "Agreement with TAs on held-out labs: 83% (95% interval 79\u201387%, "
                                              "384 items, 2 labs, Cohen's kappa 0.70); always the most common "
                                              "rating 64%, chance 36% on the same items")
    # evaluate.py's baseline rows ({"accuracy": x}) read the same; a missing baseline is said to be missing
    assert agreement_text({**measured, "baselines": {"constant_answer": {"accuracy": 0.64}}})[1].endswith(
        "; always the most common rating 64% on the same items")
    assert agreement_text({"accuracy": 0.8})[1].endswith("80%; no baseline recorded on the same items")
    note = "agreement with TAs was never measured for this model on held-out labs (run evaluate.py)"
    for record in (None, {}, {"measured": False, "note": note}, {"measured": True, "accuracy": "n/a"},
                   {"accuracy": 1.7}, {"accuracy": float("nan")}, "83%"):
        is_measured, text = agreement_text(record)
        assert not is_measured and "never measured" in text and "%" not in text, record
    assert agreement_text({"measured": False, "note": note})[1] == (
        "Agreement with TAs was never measured for this model on held-out labs (run evaluate.py). "
        "Treat every suggestion as unverified.")
    lab, data, _ = graded_lab(labs_dir)
    assert not page_data(lab, data)["trust"]["agreement_measured"]  # {"name": "tiny"}: no agreement key
    data["model"]["agreement"] = measured
    assert page_data(lab, data)["trust"]["agreement"] == agreement_text(measured)[1]


def test_page_carries_the_statement(labs_dir):
    lab, data, _ = graded_lab(labs_dir)
    page = page_data(lab, data)
    assert page["statement"] == lab.statement == "Read n and print the sum of 1..n."
    assert page["statement_file"] == lab.statement_file == "modified_ps.txt"


def test_command_line_rebuilds_the_page_from_the_suggestions_json(labs_dir, tmp_path, capsys):
    from Utils.review_page import main

    lab, data, _ = graded_lab(labs_dir)
    suggestions_json = tmp_path / "out" / "lab1_suggestions.json"
    suggestions_json.parent.mkdir()
    suggestions_json.write_text(json.dumps(data))
    assert main(["--lab_dir", str(lab.path), "--suggestions", str(suggestions_json)]) == 0
    page = tmp_path / "out" / "lab1_review.html"
    assert capsys.readouterr().out.strip() == str(page.resolve())
    payload = payload_of(page.read_text())
    assert payload == json.loads(json.dumps(page_data(lab, data)))  # what grade.py's page holds
    assert payload["storage_key"] == "rubric-review:v2:lab1"  # so the browser's decisions carry over

    other = write_lab(labs_dir, "lab2")
    assert main(["--lab_dir", str(other), "--suggestions", str(suggestions_json)]) == 2
    assert "grades lab 'lab1', but --lab_dir" in capsys.readouterr().err
    (tmp_path / "broken.json").write_text("{")
    assert main(["--lab_dir", str(lab.path), "--suggestions", str(tmp_path / "broken.json")]) == 2
    assert "broken.json: not readable as grade.py's JSON" in capsys.readouterr().err
    os.mkfifo(tmp_path / "pipe.json")  # refused at once, never waited on
    assert main(["--lab_dir", str(lab.path), "--suggestions", str(tmp_path / "pipe.json")]) == 2
    assert "pipe.json: is a FIFO, not a regular file" in capsys.readouterr().err
    # the page is rebuilt over a page it wrote, never over another file of that name
    assert main(["--lab_dir", str(lab.path), "--suggestions", str(suggestions_json)]) == 0
    capsys.readouterr()
    page.write_text("my notes on lab1")
    assert main(["--lab_dir", str(lab.path), "--suggestions", str(suggestions_json)]) == 2
    assert "lab1_review.html exists and is not a review page; it is never replaced" in capsys.readouterr().err
    assert page.read_text() == "my notes on lab1"


# --------------------------------------------------------------------------- earlier decisions, bulk actions, layout


def regenerated(lab, labs_dir):
    """The same lab graded again with other suggestions (a lower threshold), student s4 gone and
    criterion Variable names' option C gone from the rubric."""
    rubric = json.loads(json.dumps(RUBRIC))
    rubric[0]["Ratings"] = rubric[0]["Ratings"][:2]
    again = Lab(lab.name, lab.path, lab.statement, parse_rubric(json.dumps(rubric)),
                {k: v for k, v in lab.submissions.items() if k != "s4"}, problems=lab.problems,
                statement_file=lab.statement_file)
    probabilities = {k: ({"A": 0.5, "B": 0.5} if k[1] == "Variable names" else v)
                     for k, v in PROBABILITIES.items() if k[0] != "s4"}
    return again, suggestions(again, fake_scores(again, probabilities), 0.3)


def open_again(driver, path: Path):
    """Load a page keeping what the browser saved."""
    driver.get(path.as_uri())
    wait(lambda: js(driver, "return document.body.classList.contains('ready')"))


def offer_text(driver):
    return js(driver, "return document.getElementById('offer').hidden ? null"
                      " : document.getElementById('offer-text').textContent")


def test_browser_regenerated_page_offers_the_earlier_decisions_and_says_which_no_longer_apply(browser, labs_dir,
                                                                                               tmp_path):
    lab, data, _ = graded_lab(labs_dir)
    first = write_review_page(tmp_path / "first", lab, data)
    key = page_data(lab, data)["storage_key"]
    open_page(browser, first)
    earlier = {"s1": {"Loop bound": "B", "Variable names": "C"}, "s2": {"Variable names": "B"},
               "s4": {"Loop bound": "A"}}
    for sid, chosen in earlier.items():
        select_student(browser, sid)
        for title, letter in chosen.items():
            click_option(browser, title, letter)
    assert saved_decisions(browser, key) == earlier

    lab2, data2 = regenerated(lab, labs_dir)
    second = write_review_page(tmp_path / "second", lab2, data2)
    assert page_data(lab2, data2)["storage_key"] == key  # found under the lab's name
    open_again(browser, second)
    assert js(browser, "return document.getElementById('count-reviewed').textContent") == "0"
    assert offer_text(browser).startswith("4 decisions from an earlier version of this page (saved ")
    assert "2 can be restored to items not decided here \u00B7 2 no longer apply." in offer_text(browser)
    listed = js(browser, "return [...document.querySelectorAll('#offer-list li')].map(li => li.textContent)")
    assert sorted(listed) == ["s1 \u00B7 Variable names \u00B7 C: option C no longer exists",
                              "s4 \u00B7 Loop bound \u00B7 A: student not on this page"]
    # Until the TA answers, the earlier decisions are kept: a decision here and a reload lose nothing.
    select_student(browser, "s3")
    click_option(browser, "Loop bound", "A")
    reload_until(browser, lambda: saved_decisions(browser, key) == {"s3": {"Loop bound": "A"}}
                 and offer_text(browser) is not None)
    js(browser, "document.getElementById('offer-apply').click()")
    assert offer_text(browser) is None
    restored = {"s1": {"Loop bound": "B"}, "s2": {"Variable names": "B"}, "s3": {"Loop bound": "A"}}
    assert saved_decisions(browser, key) == restored
    select_student(browser, "s1")
    assert dict((c, s) for c, s, _ in cards(browser)) == {"Loop bound": "changed", "Variable names": "open"}
    js(browser, "document.getElementById('undo').click()")  # one undo takes the whole restore back
    assert saved_decisions(browser, key) == {"s3": {"Loop bound": "A"}}
    reload_until(browser, lambda: saved_decisions(browser, key) == {"s3": {"Loop bound": "A"}})
    assert offer_text(browser) is None  # answered: not offered again
    assert severe_logs(browser) == []


def test_browser_page_of_an_older_version_offers_its_decisions(browser, labs_dir, tmp_path):
    lab, data, _ = graded_lab(labs_dir)
    path = write_review_page(tmp_path, lab, data)
    page = page_data(lab, data)
    open_page(browser, path)
    old = {"version": 1, "lab": "lab1", "saved_at": "2026-03-01T10:00:00Z",
           "decisions": [["s2", "Loop bound", "B"], ["s4", "Variable names", "A"], ["s2", "Style", "A"],
                         ["s9", "Loop bound", "A"], ["s3", 7, "A"]]}  # the last one is malformed: ignored
    js(browser, "localStorage.setItem(arguments[0], JSON.stringify(arguments[1]))",
       page["legacy_storage_prefix"] + "0123456789abcdef", old)
    reload_until(browser, lambda: offer_text(browser) is not None)
    assert "2 can be restored to items not decided here \u00B7 2 no longer apply." in offer_text(browser)
    assert sorted(js(browser, "return [...document.querySelectorAll('#offer-list li')].map(li => li.textContent)")) == [
        "s2 \u00B7 Style \u00B7 A: criterion no longer in the rubric",
        "s9 \u00B7 Loop bound \u00B7 A: student not graded on this page"]
    js(browser, "document.getElementById('offer-apply').click()")
    assert saved_decisions(browser, page["storage_key"]) == {"s2": {"Loop bound": "B"}, "s4": {"Variable names": "A"}}


def test_browser_loads_an_earlier_final_ratings_csv(browser, labs_dir, tmp_path):
    lab, data, _ = graded_lab(labs_dir)
    page = page_data(lab, data)
    path = write_review_page(tmp_path, lab, data)
    open_page(browser, path)
    earlier = final_ratings_csv(page, {"s1": {"Variable names": "B", "Loop bound": "B"},
                                       "s2": {"Variable names": "C", "Loop bound": "A"},
                                       "s3": {"Variable names": "A"}, "s4": {"Loop bound": "B"}})
    rows = list(csv.reader(io.StringIO(earlier)))
    by_id = {r[0]: r for r in rows[6:]}
    by_id["s2@uni.edu"][1:4] = ["", "", "x"]    # a TA's spreadsheet edit: "x" marks C
    by_id["s3@uni.edu"][4:6] = ["1", "1"]       # two ratings marked: skipped, said so
    by_id["s4@uni.edu"][1:4] = ["2", "0", "0"]  # unclear: skipped, said so
    rows.append(["=cmd|calc", "1", "0", "0", "1", "0"])  # a student not on the page
    text = csv_text(rows)
    table = parse_ratings_csv(text)  # the toolkit's own reader reads the same marks
    assert [m.letter for m in table.marks(next(r for r in table.rows if r.student_id == "s2"), table.criteria[0])] == ["C"]
    csv_file = tmp_path / "lab1_final_ratings.csv"
    csv_file.write_text(text)
    select_student(browser, "s1")
    click_option(browser, "Variable names", "A")  # decided here already: kept
    from selenium.webdriver.common.by import By

    browser.find_element(By.ID, "load-csv").send_keys(str(csv_file))
    wait(lambda: offer_text(browser) is not None)
    # s1 B/B (Variable names decided here), s2 C/A, s3 A, s4 B, and the unknown student's two
    assert offer_text(browser) == ("8 decisions from lab1_final_ratings.csv: 5 can be restored to items not decided "
                                   "here \u00B7 2 no longer apply \u00B7 1 differ from your decision here (yours "
                                   "are kept).")
    toast = js(browser, "return document.getElementById('toast').textContent")
    assert "row 9, Loop bound: several ratings marked (A, B), skipped" in toast
    assert "row 10, Variable names: unclear cell under A, skipped" in toast
    js(browser, "document.getElementById('offer-apply').click()")
    assert saved_decisions(browser, page["storage_key"]) == {
        "s1": {"Variable names": "A", "Loop bound": "B"}, "s2": {"Variable names": "C", "Loop bound": "A"},
        "s3": {"Variable names": "A"}, "s4": {"Loop bound": "B"}}
    broken = tmp_path / "notes.csv"
    broken.write_text("just,a,note\n")
    browser.find_element(By.ID, "load-csv").send_keys(str(broken))
    wait(lambda: "notes.csv was not loaded: expected six header rows" in
         js(browser, "return document.getElementById('toast').textContent"))
    assert offer_text(browser) is None


def test_browser_accept_all_asks_with_the_count_and_one_undo_restores(browser, labs_dir, tmp_path):
    lab, data, _ = graded_lab(labs_dir)
    key = page_data(lab, data)["storage_key"]
    path = write_review_page(tmp_path, lab, data)
    open_page(browser, path)
    select_student(browser, "s2")
    click_option(browser, "Loop bound", "B")
    before = {"s2": {"Loop bound": "B"}}
    text = accept_all(browser, confirm=False)
    assert text.startswith("Accept 5 suggestions of 4 students that are not queued")
    assert saved_decisions(browser, key) == before  # cancelled: nothing changed
    accept_all(browser)
    assert js(browser, "return document.getElementById('count-reviewed').textContent") == "6"
    assert js(browser, "return document.getElementById('undo').title") == "Undo: accept all 5 unqueued suggestions (u)"
    from selenium.webdriver.common.action_chains import ActionChains

    ActionChains(browser).send_keys("u").perform()
    assert saved_decisions(browser, key) == before
    assert sidebar(browser)[:4] == [["s1", "queued"], ["s3", "queued"], ["s2", "partial"], ["s4", "todo"]]
    assert js(browser, "return document.getElementById('count-reviewed').textContent") == "1"
    ActionChains(browser).send_keys("u").perform()  # and the single decision before it
    assert saved_decisions(browser, key) == {}
    js(browser, "document.getElementById('accept-unqueued').click()")
    ActionChains(browser).send_keys(ESCAPE).perform()  # Escape cancels
    assert js(browser, "return document.getElementById('confirm').hidden") and saved_decisions(browser, key) == {}


def test_browser_statement_is_one_click_away(browser, labs_dir, tmp_path):
    lab, data, _ = graded_lab(labs_dir)
    path = write_review_page(tmp_path, lab, data)
    open_page(browser, path)
    from selenium.webdriver.common.by import By

    assert not browser.find_element(By.ID, "statement-panel").is_displayed()
    browser.find_element(By.ID, "show-statement").click()
    assert browser.find_element(By.ID, "statement-text").text == "Read n and print the sum of 1..n."
    assert browser.find_element(By.ID, "statement-file").text == "modified_ps.txt"
    assert browser.find_element(By.ID, "code").is_displayed()  # the code stays in view beside it
    from selenium.webdriver.common.action_chains import ActionChains

    ActionChains(browser).send_keys(ESCAPE).perform()
    assert not browser.find_element(By.ID, "statement-panel").is_displayed()
    ActionChains(browser).send_keys("s").perform()
    assert browser.find_element(By.ID, "statement-panel").is_displayed()


def test_browser_trust_signals_in_the_header_and_on_each_confidence(browser, labs_dir, tmp_path):
    lab, data, _ = graded_lab(labs_dir)
    path = write_review_page(tmp_path, lab, data)
    open_page(browser, path)
    agreement = js(browser, "return document.getElementById('trust-agreement').textContent")
    assert "never measured" in agreement and "unverified" in agreement
    assert "not calibrated" in js(browser, "return document.getElementById('trust-calibration').textContent")
    assert js(browser, "return [...document.querySelectorAll('.confidence')].map(c => c.dataset.calibrated)") == [
        "no", "no"]
    assert "queued below 50% model probability" in js(browser, "return document.getElementById('lab-sub').textContent")
    shown = js(browser, "return document.body.innerText + [...document.querySelectorAll('[title]')]"
                        ".map(e => e.title).join(' ')")
    assert "calibrated confidence" not in shown and "is calibrated" not in shown


def test_browser_queued_only_never_leaves_an_unqueued_student_selected(browser, labs_dir, tmp_path):
    lab, data, _ = graded_lab(labs_dir)
    path = write_review_page(tmp_path, lab, data)
    open_page(browser, path)
    select_student(browser, "s2")  # nothing queued
    js(browser, "document.getElementById('queued-only').click()")
    assert js(browser, "return document.getElementById('student-name').textContent") == "s1"
    assert [c for c, _, q in cards(browser) if q] == ["Loop bound"] and len(cards(browser)) == 1
    assert js(browser, "return document.querySelector('#student-list li.selected').dataset.sid") == "s1"
    js(browser, "document.getElementById('queued-only').click()")
    select_student(browser, "s9")  # not graded: not in the queue either
    js(browser, "document.getElementById('queued-only').click()")
    assert js(browser, "return document.getElementById('student-name').textContent") == "s1"

    for s in data["students"]:  # a page with nothing queued
        for c in s["criteria"]:
            c["needs_review"] = False
    path = write_review_page(tmp_path / "none", lab, data)
    open_page(browser, path)
    js(browser, "document.getElementById('queued-only').click()")
    assert js(browser, "return document.getElementById('student-name').textContent") == "No student selected"
    assert "Nothing is queued" in js(browser, "return document.getElementById('student-meta').textContent")
    assert cards(browser) == [] and sidebar(browser) == []


def test_browser_layout_from_1024_to_1920_px(browser, tmp_path):
    lab, data = demo_suggestions(REPO / "examples" / "labs" / "lab01_sum_of_digits")
    data["model"]["name"] = "a-rather-long-model-name-for-the-top-bar-to-hold-7b-instruct"
    sid = data["students"][0]["student_id"]
    long_code = "int main() {\n" + "".join(f"  int v{i} = {i};  // line {i + 2}\n" for i in range(60)) + "}\n"
    lab.submissions[sid] = dataclasses.replace(lab.submissions[sid], code=long_code)
    path = write_review_page(tmp_path, lab, data)
    for size in ((1024, 768), (1280, 800), (1440, 900), (1920, 1080)):
        open_page(browser, path, size)
        select_student(browser, sid)
        box = js(browser, """
            const r = (id) => document.getElementById(id).getBoundingClientRect();
            const bar = document.querySelector('.topbar-row');
            const buttons = [...document.querySelectorAll('#actions > button:not([hidden]), #actions > details')]
              .map(b => b.getBoundingClientRect());
            const code = r('code');
            const lines = [...document.querySelectorAll('#code .line')].filter(l => {
              const b = l.getBoundingClientRect(); return b.top >= code.top && b.bottom <= code.bottom; }).length;
            return {page: document.documentElement.scrollWidth, bar: bar.scrollWidth - bar.clientWidth,
                    buttons: buttons.map(b => [b.left, b.right, b.top, b.bottom]),
                    parts: ['.brand', '.progress', '#actions'].map(q => {
                      const b = document.querySelector(q).getBoundingClientRect();
                      return [b.left, b.right, b.top, b.bottom]; }),
                    criteria: r('criteria').width, lines: lines, inner: window.innerWidth};""")
        width = size[0]
        assert box["inner"] == width
        assert box["page"] <= width and box["bar"] <= 0, (size, box)  # nothing overflows the top bar
        for (left, right, top, bottom), nxt in zip(box["buttons"], box["buttons"][1:]):
            assert 0 <= left and right <= width and right <= nxt[0], (size, box)  # on screen, not overlapping
        for i, a in enumerate(box["parts"]):  # title, progress and actions never overlap
            for b in box["parts"][i + 1:]:
                assert a[1] <= b[0] + 0.5 or b[1] <= a[0] + 0.5 or a[3] <= b[2] + 0.5 or b[3] <= a[2] + 0.5, (size, box)
        assert box["criteria"] >= 300, (size, box)
        assert box["lines"] >= (24 if size[1] >= 768 else 0), (size, box)  # the code keeps a full column
    set_viewport(browser, 1440, 900)


def big_lab(n_students=1000):
    """A lab of `n_students` students x 4 criteria, in memory, and its suggestions."""
    rubric_json = [{"id": k, "title": f"Criterion {k}", "description": f"Check {k}",
                    "Ratings": [{"id": 10 * k + j, "title": "ABCD"[j], "description": f"Level {j}", "marks": 3 - j}
                                for j in range(4)]} for k in range(1, 5)]
    rubric = parse_rubric(json.dumps(rubric_json))
    rng = random.Random(3)
    code = "".join(f"  int v{i} = {i};\n" for i in range(40))
    submissions = {f"st{i:04d}": Submission(f"st{i:04d}", f"st{i:04d}@uni.edu", "int main() {\n" + code + "}\n",
                                            "cpp", ("main.cpp",)) for i in range(n_students)}
    lab = Lab("big", Path("."), "Print the sum.", rubric, submissions)
    probabilities = {}
    for sid in submissions:
        for c in rubric:
            weights = [rng.random() ** 3 for _ in c.ratings]
            probabilities[(sid, c.title)] = {r.letter: w / sum(weights) for r, w in zip(c.ratings, weights)}
    return lab, suggestions(lab, fake_scores(lab, probabilities), 0.6)


def test_browser_decision_speed_on_a_1000_student_page(browser, tmp_path):
    lab, data = big_lab(1000)
    path = write_review_page(tmp_path, lab, data)
    open_page(browser, path)
    assert len(sidebar(browser)) == 1000
    # One decision = the click's handlers (save, repaint of the student's row, cards and counts)
    # plus the style and layout the browser does before it can paint.
    times = js(browser, """
        const out = [];
        const ids = [...document.querySelectorAll('#student-list li.student')].slice(0, 40).map(li => li.dataset.sid);
        for (const sid of ids) {
          [...document.querySelectorAll('#student-list li.student')].find(li => li.dataset.sid === sid).click();
          for (const [card, letter] of [[0, 'B'], [1, 'C']]) {
            const input = document.querySelectorAll('#criteria .crit')[card].querySelector('input[value="' + letter + '"]');
            const t0 = performance.now();
            input.click();
            document.body.getBoundingClientRect();  // force style and layout
            out.push(performance.now() - t0);
          }
        }
        return out;""")
    times.sort()
    median, worst = times[len(times) // 2], times[-1]
    line = (f"review page, 1000 students x 4 criteria: one decision takes {median:.1f} ms (median of {len(times)}), "
            f"{worst:.1f} ms at most, headless chromium on this machine")
    print("\n" + line)
    if os.environ.get("REVIEW_PAGE_BENCH"):
        Path(os.environ["REVIEW_PAGE_BENCH"]).write_text(json.dumps(
            {"students": 1000, "criteria": 4, "decisions": len(times), "median_ms": round(median, 2),
             "max_ms": round(worst, 2)}) + "\n")
    # the decisions took effect, row by row
    assert js(browser, "return document.getElementById('count-reviewed').textContent") == "80"
    rows = lambda: js(browser, "return [...document.querySelectorAll('#student-list li.student')]"  # noqa: E731
                               ".map(li => [li.dataset.sid, li.className, li.textContent])")
    repainted = rows()
    assert all(status != "todo" for _, status in sidebar(browser)[:40])
    reload_until(browser, lambda: rows() == repainted)  # row by row == drawn afresh from the saved decisions


# --------------------------------------------------------------------------- the screenshot in docs/


def demo_suggestions(lab_dir: Path, seed: int = 7, limit: int = 24):
    """Fake but realistic suggestions for a bundled example lab: mostly the TA's rating, at a
    confidence drawn at random; a few wrong, and those tend to be less confident."""
    rng = random.Random(seed)
    items, _ = collect_items(read_lab(lab_dir))
    ta = {(i.student_id, i.criterion.title): i.chosen for i in items}
    lab = read_lab(lab_dir, with_ratings=False)
    keep = sorted(lab.submissions)[:limit]
    lab.submissions = {k: lab.submissions[k] for k in keep}
    probabilities = {}
    for sid in keep:
        for c in lab.rubric:
            letters = list(c.letters)
            right = rng.random() < 0.85
            top = ta[(sid, c.title)] if right else rng.choice([x for x in letters if x != ta[(sid, c.title)]])
            p = rng.uniform(0.62, 0.99) if right else rng.uniform(0.34, 0.62)
            rest = [rng.random() + 0.05 for _ in letters[1:]]
            probs = {top: p}
            others = [x for x in letters if x != top]
            for x, w in zip(others, rest):
                probs[x] = (1 - p) * w / sum(rest)
            probabilities[(sid, c.title)] = probs
    model = {"name": "qwen2.5-coder-7b", "adapter_path": "runs/model_20260301_093005", "method": "likelihood",
             "quantization": "bf16", "temperature": 1.42,
             "agreement": {"measured": True, "on": "held-out labs", "labs": ["lab07", "lab08"], "n_items": 384,
                           "accuracy": 0.83, "interval_95": [0.79, 0.87], "cohen_kappa": 0.71,
                           "baselines": {"constant_answer": 0.64, "chance": 0.36}}}
    scores = fake_scores(lab, probabilities)
    for score in scores:
        score.confidence = max(score.probabilities.values())  # illustrative: as if calibrated
    return lab, suggestions(lab, scores, 0.7, model, calibrated=True)


@pytest.mark.skipif(not os.environ.get("REVIEW_PAGE_SCREENSHOT"), reason="set REVIEW_PAGE_SCREENSHOT=<png path>")
def test_screenshot(browser, tmp_path):
    """The page part way through a review at 1440x900 (<path>, the README's), 1024x768 and
    1920x1080 (<stem>_1024.png, <stem>_1920.png beside it)."""
    from selenium.webdriver.common.action_chains import ActionChains

    lab, data = demo_suggestions(REPO / "examples" / "labs" / "lab01_sum_of_digits")
    flagged = next(s for s in data["students"] if any(c["needs_review"] for c in s["criteria"]))
    flagged["flags"] = [FLAG]
    path = write_review_page(tmp_path, lab, data)
    target = Path(os.environ["REVIEW_PAGE_SCREENSHOT"])
    target.parent.mkdir(parents=True, exist_ok=True)
    for size in ((1024, 768), (1440, 900), (1920, 1080)):
        open_page(browser, path, size)
        for sid in [s["student_id"] for s in data["students"]][4:14]:  # the TA is part way through
            select_student(browser, sid)
            js(browser, "document.getElementById('accept-student').click()")
        select_student(browser, flagged["student_id"])
        ActionChains(browser).send_keys("2").perform()  # change the queued item to option B
        js(browser, "document.getElementById('toast').hidden = true")
        browser.save_screenshot(str(target if size[0] == 1440 else
                                    target.with_name(f"{target.stem}_{size[0]}{target.suffix}")))
    set_viewport(browser, 1440, 900)
