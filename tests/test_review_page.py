"""The HTML review page: data embedded inertly, CSVs that read back through the lab reader, and
(in a real headless Chromium, when installed) a TA's clicks turning into downloaded CSVs.

Browser tests need Debian's chromium and chromium-driver (`apt-get install -y chromium
chromium-driver`) and the `selenium` package; without them they skip and say so.
`REVIEW_PAGE_SCREENSHOT=docs/review_page.png pytest tests/test_review_page.py -k screenshot`
rewrites the screenshot in the docs.
"""

from __future__ import annotations

import base64
import csv
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
from Utils.grading import lab_suggestions
from Utils.labs import format_ratings_csv
from Utils.labs import (NO_RATING, NO_SOURCE, RATINGS_FILE, Lab, Submission, collect_items, parse_rubric,
                        parse_ratings_csv, read_lab)
from Utils.labs import csv_text, neutralize_cell
from Utils.review_page import (embed_json, final_ratings_csv, gradebook_csv, page_data, render_review_page,
                               write_review_page)
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


# --------------------------------------------------------------------------- fixtures in plain data


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
    csv_text_, data = lab_suggestions(lab, fake_scores(lab, PROBABILITIES), 0.5, {"name": "tiny"})
    return lab, data, csv_text_


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
    _, data = lab_suggestions(lab, fake_scores(lab, probs), 0.5, {"name": "tiny"})
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
    data["students"][1]["criteria"][0]["confidence"] = 0.93  # s2: a calibrated confidence wins
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


def test_storage_key_names_the_lab_and_changes_with_the_data(labs_dir):
    lab, data, _ = graded_lab(labs_dir)
    key = page_data(lab, data)["storage_key"]
    assert key.startswith("rubric-review:v1:lab1:") and key == page_data(lab, data)["storage_key"]
    data["students"][0]["criteria"][0]["top_probability"] = 0.11
    assert page_data(lab, data)["storage_key"] != key


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


def open_page(driver, path: Path):
    """Load the page from file:// with no saved decisions."""
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
    js(browser, "document.getElementById('accept-unqueued').click()")
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
    js(browser, "document.getElementById('accept-unqueued').click()")
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
    _, data = lab_suggestions(lab, fake_scores(lab, probabilities), 0.5,
                              {"name": "qwen2.5-coder-7b", "adapter_path": "runs/model_20260301_093005"})
    return lab, data


@pytest.mark.skipif(not os.environ.get("REVIEW_PAGE_SCREENSHOT"), reason="set REVIEW_PAGE_SCREENSHOT=<png path>")
def test_screenshot(browser, tmp_path):
    from selenium.webdriver.common.action_chains import ActionChains

    lab, data = demo_suggestions(REPO / "examples" / "labs" / "lab01_sum_of_digits")
    flagged = next(s for s in data["students"] if any(c["needs_review"] for c in s["criteria"]))
    flagged["flags"] = [FLAG]
    path = write_review_page(tmp_path, lab, data)
    browser.set_window_size(1600, 1000)
    open_page(browser, path)
    for sid in [s["student_id"] for s in data["students"]][4:14]:  # the TA is part way through
        select_student(browser, sid)
        js(browser, "document.getElementById('accept-student').click()")
    select_student(browser, flagged["student_id"])
    ActionChains(browser).send_keys("2").perform()  # change the queued item to option B
    js(browser, "document.getElementById('toast').hidden = true")
    target = Path(os.environ["REVIEW_PAGE_SCREENSHOT"])
    target.parent.mkdir(parents=True, exist_ok=True)
    browser.save_screenshot(str(target))
