// Review page of one graded lab (inlined into the HTML by Utils/review_page.py).
// Data comes only from the JSON block #review-data (and a CSV file the TA picks) and is written
// into the page only with textContent, attributes set through the DOM and CSSOM widths: never
// as markup.
(() => {
  'use strict';

  const D = JSON.parse(document.getElementById('review-data').textContent);
  const $ = (id) => document.getElementById(id);

  // ------------------------------------------------------------------ CSV (twin of review_page.py)
  const TRIGGERS = ['=', '+', '-', '@', '\t', '\r'];
  const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

  function neutralize(value) {
    const s = value == null ? '' : String(value);
    return s !== '' && TRIGGERS.includes(s[0]) && !NUMBER.test(s) ? "'" + s : s;
  }
  function unneutralize(s) {
    return s.length > 1 && s[0] === "'" && TRIGGERS.includes(s[1]) ? s.slice(1) : s;
  }
  function csvCell(value) {
    const s = neutralize(value);
    return /[",\r\n]/.test(s) || s[0] === "'" ? '"' + s.replace(/"/g, '""') + '"' : s;
  }
  function csvText(rows) {
    return rows.map((row) => row.map(csvCell).join(',') + '\n').join('');
  }
  function formatNumber(x) {
    const r = Math.round(x * 1e6) / 1e6;
    return String(r === 0 ? 0 : r);
  }

  // Reading CSV as Python's csv module does: a quote opens a quoted field only at its start.
  function parseCsv(text) {
    const rows = [];
    let row = []; let cell = ''; let quoted = false; let atStart = true;
    let i = text.charCodeAt(0) === 0xFEFF ? 1 : 0;
    const n = text.length;
    while (i < n) {
      const ch = text[i];
      if (quoted) {
        if (ch === '"') {
          if (text[i + 1] === '"') { cell += '"'; i += 2; continue; }
          quoted = false;
        } else cell += ch;
        i += 1;
        continue;
      }
      if (ch === '"' && atStart) { quoted = true; atStart = false; i += 1; continue; }
      if (ch === ',') { row.push(cell); cell = ''; atStart = true; i += 1; continue; }
      if (ch === '\r' || ch === '\n') {
        row.push(cell); rows.push(row); row = []; cell = ''; atStart = true;
        i += ch === '\r' && text[i + 1] === '\n' ? 2 : 1;
        continue;
      }
      cell += ch; atStart = false; i += 1;
    }
    if (cell !== '' || row.length || quoted) { row.push(cell); rows.push(row); }
    return rows;
  }
  // A cell of a ratings CSV, as Utils.labs._cell_kind reads it: 'mark', 'none' or 'unclear'.
  function cellKind(raw) {
    const cell = raw.trim();
    if (!cell) return 'none';
    if (NUMBER.test(cell)) {
      const x = Number(cell);
      return x === 1 ? 'mark' : (x <= 0 ? 'none' : 'unclear');
    }
    const low = cell.toLowerCase();
    if (D.csv.mark_words.includes(low)) return 'mark';
    if (D.csv.null_words.includes(low) || !/[\p{L}\p{N}]/u.test(cell)) return 'none';
    return 'mark';  // other text marks the rating (a TA's comment)
  }
  // An earlier final ratings CSV -> {decisions: [[student id, criterion, letter]], problems: [text]}.
  function readRatingsCsv(text) {
    const rows = parseCsv(text).map((r) => r.map(unneutralize));
    if (rows.length < 6) throw new Error('expected six header rows (a rubric_ratings.csv), found ' + rows.length + ' rows');
    const header = rows.slice(0, 6);
    const width = Math.max(...header.map((r) => r.length));
    const columns = [];  // [column index, criterion title, letter]
    for (let c = 1; c < width; c += 1) {
      const title = (header[0][c] || '').trim();
      const letter = (header[2][c] || '').trim();
      if (title && letter) columns.push([c, title, letter]);
    }
    if (!columns.length) throw new Error('no rating columns in its header rows (is it a rubric_ratings.csv?)');
    const titles = [...new Set(columns.map((c) => c[1]))];
    const decisionsOut = []; const problems = []; const seen = new Map();
    rows.slice(6).forEach((cells, k) => {
      const line = k + 7;
      if (!cells.some((c) => c.trim())) return;
      const raw = (cells[0] || '').trim();
      const sid = raw.split('@')[0].trim();
      if (!sid) { problems.push('row ' + line + ': no student id'); return; }
      if (seen.has(sid)) { problems.push('row ' + line + ': ' + sid + ' again (first in row ' + seen.get(sid) + '), skipped'); return; }
      seen.set(sid, line);
      for (const title of titles) {
        const marked = []; const unclear = [];
        for (const [c, t, letter] of columns) {
          if (t !== title) continue;
          const kind = cellKind(cells[c] || '');
          if (kind === 'mark') marked.push(letter); else if (kind === 'unclear') unclear.push(letter);
        }
        if (unclear.length) problems.push('row ' + line + ', ' + title + ': unclear cell under ' + unclear.join(', ') + ', skipped');
        else if (marked.length > 1) problems.push('row ' + line + ', ' + title + ': several ratings marked (' + marked.join(', ') + '), skipped');
        else if (marked.length === 1) decisionsOut.push([sid, title, marked[0]]);
      }
    });
    return { decisions: decisionsOut, problems };
  }

  // ------------------------------------------------------------------ data
  const CRITERIA = new Map(D.criteria.map((c) => [c.title, c]));
  const STUDENTS = new Map(D.students.map((s) => [s.student_id, s]));
  const NOT_GRADED = new Map(D.not_graded.map((p) => [p.student_id, p]));
  // Sidebar order: graded students (queued first, as Python ordered them), then those not graded.
  const ENTRIES = D.students.map((s) => ({ id: s.student_id, student: s }))
    .concat(D.not_graded.filter((p) => !STUDENTS.has(p.student_id))
      .map((p) => ({ id: p.student_id, problem: p })));
  const ENTRY = new Map();
  for (const e of ENTRIES) if (!ENTRY.has(e.id)) ENTRY.set(e.id, e);
  const TOTAL_ITEMS = D.students.reduce((n, s) => n + s.items.length, 0);
  const TOTAL_QUEUED = D.students.reduce((n, s) => n + s.queued, 0);

  // decisions: Map student id -> Map criterion -> letter (Maps: ids are untrusted keys).
  let decisions = new Map();
  let current = null;      // selected entry id
  let focusIndex = 0;      // active criterion (index among the visible cards)
  let storageOK = true;
  // Decisions found but not applied yet: saved by an earlier page built from other data, or read
  // from a CSV the TA loaded. Each: {source, saved_at, decisions: [[sid, title, letter]]}.
  // Kept in storage until the TA restores or discards them, so nothing is lost meanwhile.
  let offers = [];
  const history = [];      // undo: {label, changes: [[sid, title, before, after]]}

  function whyNot(sid, title, letter) {
    if (!STUDENTS.has(sid)) return NOT_GRADED.has(sid) ? 'student not graded on this page' : 'student not on this page';
    const c = CRITERIA.get(title);
    if (!c || !STUDENTS.get(sid).items.some((i) => i.criterion === title)) return 'criterion no longer in the rubric';
    if (!c.ratings.some((r) => r.letter === letter)) return 'option ' + letter + ' no longer exists';
    return null;
  }
  function cleanList(list) {
    return Array.isArray(list) ? list.filter((d) => Array.isArray(d) && d.length === 3
      && d.every((x) => typeof x === 'string')) : [];
  }
  function cleanOffer(o) {
    if (!o || typeof o !== 'object') return null;
    const list = cleanList(o.decisions);
    return list.length ? { source: String(o.source || 'an earlier page'), saved_at: String(o.saved_at || ''),
      decisions: list } : null;
  }
  function load() {
    let raw = null;
    try { raw = window.localStorage.getItem(D.storage_key); } catch (e) { storageOK = false; }
    let saved = null;
    try { saved = raw ? JSON.parse(raw) : null; } catch (e) { saved = null; /* broken: never trusted */ }
    if (saved && typeof saved === 'object') {
      const list = cleanList(saved.decisions);
      if (saved.data_hash === D.data_hash) {  // saved by this very page
        for (const [sid, title, letter] of list) if (!whyNot(sid, title, letter)) setLetter(sid, title, letter);
        if (typeof saved.current === 'string' && ENTRY.has(saved.current)) current = saved.current;
      } else if (list.length) {
        offers.push({ source: 'an earlier version of this page', saved_at: String(saved.saved_at || ''), decisions: list });
      }
      for (const o of Array.isArray(saved.offers) ? saved.offers : []) {
        const clean = cleanOffer(o);
        if (clean) offers.push(clean);
      }
      return;
    }
    // An older page kept its decisions under the lab and a hash of its data.
    let best = null;
    try {
      for (let i = 0; i < window.localStorage.length; i += 1) {
        const key = window.localStorage.key(i);
        if (!key || !key.startsWith(D.legacy_storage_prefix)) continue;
        let old = null;
        try { old = JSON.parse(window.localStorage.getItem(key)); } catch (e) { continue; }
        if (!old || typeof old !== 'object') continue;
        const list = cleanList(old.decisions);
        if (!list.length) continue;
        const candidate = { same: key === D.legacy_storage_prefix + D.data_hash, saved_at: String(old.saved_at || ''), list };
        if (!best || candidate.same || (!best.same && candidate.saved_at > best.saved_at)) best = candidate;
      }
    } catch (e) { storageOK = false; }
    if (best && best.same) {
      for (const [sid, title, letter] of best.list) if (!whyNot(sid, title, letter)) setLetter(sid, title, letter);
    } else if (best) {
      offers.push({ source: 'an earlier version of this page', saved_at: best.saved_at, decisions: best.list });
    }
  }
  function save() {
    const list = [];
    for (const [sid, m] of decisions) for (const [title, letter] of m) list.push([sid, title, letter]);
    try {
      window.localStorage.setItem(D.storage_key, JSON.stringify({
        version: D.version, lab: D.lab, data_hash: D.data_hash, current: current,
        saved_at: new Date().toISOString(), decisions: list, offers: offers,
      }));
      storageOK = true;
    } catch (e) { storageOK = false; }
    const warn = $('storage-warning');
    if (warn.hidden !== storageOK) {
      warn.hidden = storageOK;
      warn.textContent = storageOK ? '' : 'This browser does not let the page save (localStorage is blocked or full): '
        + 'download the CSV before closing the page.';
    }
  }
  function getLetter(sid, title) {
    const m = decisions.get(sid);
    return m ? m.get(title) : undefined;
  }
  function setLetter(sid, title, letter) {
    if (!decisions.has(sid)) decisions.set(sid, new Map());
    decisions.get(sid).set(title, letter);
  }
  function clearLetter(sid, title) {
    const m = decisions.get(sid);
    if (m) { m.delete(title); if (!m.size) decisions.delete(sid); }
  }
  function put(sid, title, letter) {
    if (letter === undefined) clearLetter(sid, title); else setLetter(sid, title, letter);
  }
  // Apply [[sid, title, letter or undefined]] as one undoable step; returns the students touched.
  function record(changes, label) {
    const done = []; const touched = new Set();
    for (const [sid, title, after] of changes) {
      const before = getLetter(sid, title);
      if (before === after) continue;
      put(sid, title, after);
      done.push([sid, title, before, after]);
      touched.add(sid);
    }
    if (done.length) {
      history.push({ label, changes: done });
      if (history.length > 200) history.shift();
    }
    return touched;
  }
  function undo() {
    const step = history.pop();
    if (!step) { toast('Nothing to undo'); return; }
    const touched = new Set();
    for (let i = step.changes.length - 1; i >= 0; i -= 1) {
      const [sid, title, before] = step.changes[i];
      put(sid, title, before);
      touched.add(sid);
    }
    changed(touched);
    toast('Undone: ' + step.label);
  }

  function studentCounts(s) {
    let decided = 0; let queuedLeft = 0;
    const m = decisions.get(s.student_id);
    for (const item of s.items) {
      if (m && m.has(item.criterion)) decided += 1; else if (item.needs_review) queuedLeft += 1;
    }
    return { decided, queuedLeft, total: s.items.length };
  }
  function entryStatus(entry) {
    if (!entry.student) return { key: 'not-graded', label: 'not graded' };
    const c = studentCounts(entry.student);
    if (c.decided === c.total) return { key: 'done', label: 'done' };
    if (c.queuedLeft) return { key: 'queued', label: c.queuedLeft + ' queued' };
    if (c.decided) return { key: 'partial', label: c.decided + '/' + c.total + ' done' };
    return { key: 'todo', label: 'to review' };
  }

  // ------------------------------------------------------------------ DOM helpers
  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }
  function pct(p) { return p == null ? '\u2013' : Math.round(p * 100) + '%'; }
  function plural(n, one, many) { return n + ' ' + (n === 1 ? one : many); }
  function marksLabel(r) {
    if (r.marks == null) return 'no marks';
    return r.marks_text + (r.marks === 1 ? ' mark' : ' marks');
  }
  let toastTimer = null;
  function toast(message) {
    const t = $('toast');
    t.textContent = message;
    t.hidden = false;
    clearTimeout(toastTimer);
    toastTimer = setTimeout(() => { t.hidden = true; }, 6000);
  }

  // ------------------------------------------------------------------ sidebar
  // Built once per filter; a decision repaints only the rows of the students it touched.
  let visible = [];
  let rowsById = new Map();  // id -> [li]
  function queuedOnly() { return $('queued-only').checked; }
  function visibleEntries() {
    const q = $('search').value.trim().toLowerCase();
    const onlyQueued = queuedOnly();
    return ENTRIES.filter((e) => {
      if (onlyQueued && !(e.student && e.student.queued > 0)) return false;
      if (!q) return true;
      const raw = e.student ? e.student.raw_id : e.problem.raw_id;
      return e.id.toLowerCase().includes(q) || String(raw).toLowerCase().includes(q);
    });
  }
  function paintRow(li, e) {
    const st = entryStatus(e);
    li.className = 'student status-' + st.key + (e.id === current ? ' selected' : '');
    li.dataset.status = st.key;
    li.lastChild.textContent = st.label;
  }
  function paintRows(ids) {
    for (const id of ids) {
      const e = ENTRY.get(id);
      for (const li of rowsById.get(id) || []) paintRow(li, e);
    }
  }
  function buildList() {
    const list = $('student-list');
    visible = visibleEntries();
    rowsById = new Map();
    const frag = document.createDocumentFragment();
    for (const e of visible) {
      const li = el('li');
      li.dataset.sid = e.id;
      li.tabIndex = -1;
      li.appendChild(el('span', 'status-dot'));
      const name = el('span', 'student-id', e.id);
      name.title = e.student ? e.student.raw_id : e.problem.raw_id;
      li.appendChild(name);
      if (e.student && e.student.flags.length) {
        const flag = el('span', 'flag-mark', '\u26A0');
        flag.title = e.student.flags.join('\n');
        li.appendChild(flag);
      }
      li.appendChild(el('span', 'status-label'));
      li.addEventListener('click', () => select(e.id));
      paintRow(li, e);
      if (!rowsById.has(e.id)) rowsById.set(e.id, []);
      rowsById.get(e.id).push(li);
      frag.appendChild(li);
    }
    list.replaceChildren(frag);
    const n = visible.length;
    $('list-caption').textContent = plural(n, 'student', 'students')
      + (queuedOnly() ? ' with queued items' : '')
      + (n !== ENTRIES.length ? ' of ' + ENTRIES.length : '');
    if (!n) list.appendChild(el('li', 'empty', queuedOnly() && !$('search').value.trim()
      ? 'Nothing is queued for review on this page.' : 'No student matches.'));
  }
  function renderProgress() {
    let reviewed = 0; let queuedLeft = 0; let done = 0;
    for (const s of D.students) {
      const c = studentCounts(s);
      reviewed += c.decided; queuedLeft += c.queuedLeft;
      if (c.decided === c.total) done += 1;
    }
    $('count-reviewed').textContent = reviewed;
    $('count-total').textContent = TOTAL_ITEMS;
    $('count-queued-left').textContent = queuedLeft;
    $('count-queued').textContent = TOTAL_QUEUED;
    $('count-students-done').textContent = done;
    $('count-students').textContent = D.students.length;
    $('progress-fill').style.width = (TOTAL_ITEMS ? (100 * reviewed) / TOTAL_ITEMS : 100) + '%';
  }

  // ------------------------------------------------------------------ student view
  function currentEntry() { return current === null ? null : ENTRY.get(current) || null; }
  // The entry the view shows: none when "queued only" hides the selected student.
  function shownEntry() {
    const e = currentEntry();
    if (!e) return null;
    if (queuedOnly() && !(e.student && e.student.queued > 0)) return null;
    return e;
  }

  function visibleItems(s) {
    return queuedOnly() ? s.items.filter((i) => i.needs_review) : s.items;
  }

  function renderCode(s) {
    const box = $('code');
    box.replaceChildren();
    const lines = s.code.split('\n');
    if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
    const frag = document.createDocumentFragment();
    lines.forEach((line, i) => {
      const row = el('div', 'line');
      row.appendChild(el('span', 'ln', i + 1));
      row.appendChild(el('span', 'src', line === '' ? ' ' : line));
      frag.appendChild(row);
    });
    box.appendChild(frag);
    box.scrollTop = 0;
    $('code-info').textContent = [s.language, s.files.join(', '), lines.length + ' lines']
      .filter(Boolean).join(' \u00B7 ');
  }

  function renderHead(entry) {
    const st = entryStatus(entry);
    $('student-name').textContent = entry.id;
    const status = $('student-status');
    status.hidden = false;
    status.textContent = st.label;
    status.className = 'pill status-' + st.key;
    const flags = $('flags');
    flags.replaceChildren();
    const s = entry.student;
    if (s) {
      $('student-meta').textContent = s.raw_id + (s.queued ? ' \u00B7 ' + s.queued + ' of ' + s.items.length
        + ' criteria queued for review' : ' \u00B7 nothing queued');
      for (const f of s.flags) flags.appendChild(el('div', 'flag', f));
      for (const n of s.notices) flags.appendChild(el('div', 'notice', n));
      flags.hidden = !(s.flags.length || s.notices.length);
    } else {
      $('student-meta').textContent = entry.problem.raw_id;
      flags.hidden = true;
    }
    $('accept-student').disabled = !s;
  }

  function renderCriteria() {
    const entry = shownEntry();
    const box = $('criteria');
    box.replaceChildren();
    if (!entry) { $('criteria-info').textContent = ''; return; }
    if (!entry.student) {
      const p = entry.problem;
      const card = el('div', 'not-graded-card');
      card.appendChild(el('div', 'ng-title', 'Not graded'));
      card.appendChild(el('div', 'ng-reason', p.reason));
      if (p.detail) card.appendChild(el('div', 'ng-detail', p.detail));
      card.appendChild(el('div', 'ng-help', 'This student keeps a row with no rating marked in the ratings CSV '
        + 'and empty marks in the gradebook. Grade the submission by hand in the grading system.'));
      box.appendChild(card);
      $('criteria-info').textContent = '';
      return;
    }
    const s = entry.student;
    const items = visibleItems(s);
    if (focusIndex >= items.length) focusIndex = Math.max(0, items.length - 1);
    const hidden = s.items.length - items.length;
    $('criteria-info').textContent = plural(items.length, 'criterion', 'criteria')
      + (hidden ? ' \u00B7 ' + hidden + ' unqueued hidden' : '');
    const frag = document.createDocumentFragment();
    items.forEach((item, index) => frag.appendChild(criterionCard(s, item, index)));
    box.appendChild(frag);
  }

  function criterionCard(s, item, index) {
    const c = CRITERIA.get(item.criterion);
    const chosen = getLetter(s.student_id, item.criterion);
    const state = chosen === undefined ? 'open' : (chosen === item.suggested ? 'accepted' : 'changed');
    const card = el('div', 'crit state-' + state + (item.needs_review ? ' queued' : '')
      + (index === focusIndex ? ' active' : ''));
    card.dataset.criterion = item.criterion;
    card.dataset.state = state;
    card.addEventListener('click', () => { if (focusIndex !== index) { focusIndex = index; markActive(); } });

    const head = el('div', 'crit-head');
    const titles = el('div', 'crit-titles');
    titles.appendChild(el('div', 'crit-title', c.title));
    if (c.description && c.description !== c.title) titles.appendChild(el('div', 'crit-desc', c.description));
    head.appendChild(titles);
    const badges = el('div', 'crit-badges');
    if (item.needs_review) badges.appendChild(el('span', 'badge badge-queued', 'queued'));
    if (state === 'accepted') badges.appendChild(el('span', 'badge badge-accepted', 'accepted'));
    if (state === 'changed') badges.appendChild(el('span', 'badge badge-changed', 'changed'));
    head.appendChild(badges);
    card.appendChild(head);

    const sug = el('div', 'suggestion');
    if (item.suggested) {
      const rating = c.ratings.find((r) => r.letter === item.suggested);
      const text = el('div', 'sug-text');
      text.appendChild(el('span', 'sug-label', 'Suggested'));
      text.appendChild(el('span', 'sug-letter', item.suggested));
      text.appendChild(el('span', 'sug-desc', rating ? rating.description : ''));
      sug.appendChild(text);
      const conf = el('span', 'confidence conf-' + (item.confidence == null ? 'none'
        : item.confidence >= 0.8 ? 'high' : item.confidence >= 0.5 ? 'mid' : 'low'), pct(item.confidence));
      conf.title = item.calibrated ? 'calibrated confidence of the suggested rating'
        : 'model probability of the suggested rating (not calibrated)';
      conf.dataset.calibrated = item.calibrated ? 'yes' : 'no';
      sug.appendChild(conf);
      const accept = el('button', 'accept', state === 'accepted' ? 'Accepted' : 'Accept ' + item.suggested);
      accept.type = 'button';
      accept.disabled = state === 'accepted';
      accept.title = 'Accept the suggestion (a)';
      accept.addEventListener('click', (ev) => { ev.stopPropagation(); decide(s, item, item.suggested, index); });
      sug.appendChild(accept);
    } else {
      sug.appendChild(el('div', 'sug-text sug-none', 'No suggestion: choose a rating'));
    }
    card.appendChild(sug);
    const notes = [];
    if (item.reason) notes.push(item.reason);
    if (item.shortened) notes.push('the code was shortened to fit the model');
    if (item.suggested && !item.calibrated) notes.push('raw model probability, not calibrated');
    if (item.auto_accepted) notes.push('auto-accepted in the grading files (calibrated threshold); yours to confirm');
    if (notes.length) card.appendChild(el('div', 'crit-note', notes.join(' \u00B7 ')));

    const group = el('div', 'options');
    group.setAttribute('role', 'radiogroup');
    group.setAttribute('aria-label', c.title);
    const name = 'criterion-' + index;
    c.ratings.forEach((r, k) => {
      const opt = el('label', 'option' + (r.letter === item.suggested ? ' suggested' : '')
        + (r.letter === chosen ? ' chosen' : ''));
      const input = el('input');
      input.type = 'radio';
      input.name = name;
      input.value = r.letter;
      input.checked = r.letter === chosen;
      input.addEventListener('change', () => { if (input.checked) decide(s, item, r.letter, index); });
      opt.appendChild(input);
      opt.appendChild(el('span', 'key', k < 9 ? k + 1 : ''));
      opt.appendChild(el('span', 'letter', r.letter));
      const body = el('span', 'opt-body');
      body.appendChild(el('span', 'opt-desc', r.description));
      const meta = el('span', 'opt-meta');
      meta.appendChild(el('span', 'marks', marksLabel(r)));
      const p = item.probabilities[r.letter];
      if (p != null) {
        const bar = el('span', 'prob');
        const track = el('span', 'prob-track');
        const fill = el('span', 'prob-fill');
        fill.style.width = Math.max(0, Math.min(100, p * 100)) + '%';
        track.appendChild(fill);
        bar.appendChild(track);
        bar.appendChild(el('span', 'prob-text', pct(p)));
        meta.appendChild(bar);
      }
      body.appendChild(meta);
      opt.appendChild(body);
      group.appendChild(opt);
    });
    card.appendChild(group);
    if (chosen !== undefined) {
      const clear = el('button', 'link clear', 'undo');
      clear.type = 'button';
      clear.title = 'Forget this decision';
      clear.addEventListener('click', (ev) => {
        ev.stopPropagation();
        changed(record([[s.student_id, item.criterion, undefined]], 'clear ' + s.student_id + ' \u00B7 ' + item.criterion));
      });
      badges.insertBefore(clear, badges.firstChild);
    }
    return card;
  }

  function markActive() {
    const cards = $('criteria').querySelectorAll('.crit');
    cards.forEach((card, i) => card.classList.toggle('active', i === focusIndex));
    if (cards[focusIndex]) cards[focusIndex].scrollIntoView({ block: 'nearest' });
  }

  function renderView() {
    const entry = shownEntry();
    if (!entry) {
      const none = !ENTRIES.length;
      $('student-name').textContent = none ? 'No students' : 'No student selected';
      $('student-meta').textContent = none ? 'This lab has no submissions to review.'
        : (queuedOnly() && !visible.length ? 'Nothing is queued for review. Turn off "Queued only" (q) to see every student.'
          : 'Choose a student on the left.');
      $('student-status').hidden = true;
      $('accept-student').disabled = true;
      $('flags').hidden = true;
      $('code').replaceChildren();
      $('code-info').textContent = '';
      $('criteria').replaceChildren();
      $('criteria-info').textContent = '';
      return;
    }
    renderHead(entry);
    if (entry.student) renderCode(entry.student);
    else { $('code').replaceChildren(el('div', 'code-empty', 'No readable submission.')); $('code-info').textContent = ''; }
    renderCriteria();
    markActive();
  }

  // After decisions changed for the students in `touched` (a Set of ids).
  function changed(touched) {
    save();
    const entry = shownEntry();
    if (touched.size > 200) buildList(); else paintRows(touched);
    renderProgress();
    renderUndo();
    if (offers.length) renderOffer();
    if (entry) { renderHead(entry); renderCriteria(); markActive(); }  // last: its scroll lays the page out once
  }

  function decide(s, item, letter, index) {
    const touched = record([[s.student_id, item.criterion, letter]],
      s.student_id + ' \u00B7 ' + item.criterion + ' = ' + letter);
    // Move on to the next open criterion of this student (the TA presses j for the next student).
    const items = visibleItems(s);
    const next = items.findIndex((it, i) => i > index && getLetter(s.student_id, it.criterion) === undefined);
    const first = items.findIndex((it) => getLetter(s.student_id, it.criterion) === undefined);
    focusIndex = next >= 0 ? next : (first >= 0 ? first : index);
    changed(touched);
  }

  function openIndex(entry) {
    if (!entry || !entry.student) return 0;
    const items = visibleItems(entry.student);
    const open = items.findIndex((it) => getLetter(entry.student.student_id, it.criterion) === undefined);
    return open >= 0 ? open : 0;
  }

  function select(id) {
    if (id === current && shownEntry()) return;
    const previous = current;
    current = id;
    focusIndex = openIndex(currentEntry());
    save();
    paintRows([previous, id].filter((x) => x !== null));
    renderView();
    const li = (rowsById.get(id) || [])[0];
    if (li) li.scrollIntoView({ block: 'nearest' });
  }

  function step(delta) {
    if (!visible.length) return;
    const i = visible.findIndex((e) => e.id === current);
    const j = i < 0 ? 0 : Math.max(0, Math.min(visible.length - 1, i + delta));
    select(visible[j].id);
  }

  function unqueuedOpen(students) {
    const list = [];
    for (const s of students) {
      for (const item of s.items) {
        if (!item.needs_review && item.suggested && getLetter(s.student_id, item.criterion) === undefined) {
          list.push([s.student_id, item.criterion, item.suggested]);
        }
      }
    }
    return list;
  }

  // ------------------------------------------------------------------ confirmation, statement
  let confirmAction = null;
  let confirmReturn = null;
  function ask(text, okLabel, action) {
    confirmAction = action;
    confirmReturn = document.activeElement;
    $('confirm-text').textContent = text;
    $('confirm-ok').textContent = okLabel;
    $('confirm').hidden = false;
    $('confirm-ok').focus();
  }
  function closeConfirm(run) {
    const action = confirmAction;
    confirmAction = null;
    $('confirm').hidden = true;
    if (confirmReturn && confirmReturn.focus) confirmReturn.focus();
    if (run && action) action();
  }
  function confirmOpen() { return !$('confirm').hidden; }

  function toggleStatement(show) {
    const panel = $('statement-panel');
    const open = show === undefined ? panel.hidden : show;
    panel.hidden = !open;
    $('show-statement').classList.toggle('pressed', open);
    $('show-statement').setAttribute('aria-expanded', open ? 'true' : 'false');
  }

  // ------------------------------------------------------------------ earlier decisions offered
  function analyse(list) {
    const apply = []; const gone = []; const differ = []; let same = 0;
    for (const [sid, title, letter] of list) {
      const why = whyNot(sid, title, letter);
      if (why) { gone.push([sid, title, letter, why]); continue; }
      const now = getLetter(sid, title);
      if (now === undefined) apply.push([sid, title, letter]);
      else if (now === letter) same += 1;
      else differ.push([sid, title, letter, 'you chose ' + now + ' here (kept)']);
    }
    return { apply, gone, differ, same };
  }
  function savedWhen(iso) {
    const d = new Date(iso);
    return isNaN(d.getTime()) ? '' : ' (saved ' + d.toLocaleString() + ')';
  }
  function renderOffer() {
    const bar = $('offer');
    const offer = offers[0];
    if (!offer) { bar.hidden = true; return; }
    const a = analyse(offer.decisions);
    const parts = [a.apply.length + ' can be restored to items not decided here'];
    if (a.gone.length) parts.push(a.gone.length + ' no longer apply');
    if (a.differ.length) parts.push(a.differ.length + ' differ from your decision here (yours are kept)');
    if (a.same) parts.push(a.same + ' already match');
    $('offer-text').textContent = plural(offer.decisions.length, 'decision', 'decisions') + ' from ' + offer.source
      + savedWhen(offer.saved_at) + ': ' + parts.join(' \u00B7 ') + '.';
    const apply = $('offer-apply');
    apply.textContent = a.apply.length ? 'Restore ' + a.apply.length : 'Nothing to restore';
    apply.disabled = !a.apply.length;
    $('offer-dismiss').textContent = a.apply.length ? 'Discard' : 'Dismiss';
    const problems = a.gone.concat(a.differ);
    const details = $('offer-details');
    details.hidden = !problems.length;
    $('offer-summary').textContent = 'Which do not apply';
    const list = $('offer-list');
    list.replaceChildren();
    for (const [sid, title, letter, why] of problems.slice(0, 200)) {
      list.appendChild(el('li', null, sid + ' \u00B7 ' + title + ' \u00B7 ' + letter + ': ' + why));
    }
    if (problems.length > 200) list.appendChild(el('li', null, 'and ' + (problems.length - 200) + ' more'));
    bar.hidden = false;
  }
  function resolveOffer(restore) {
    const offer = offers.shift();
    if (!offer) return;
    let touched = new Set();
    if (restore) {
      const a = analyse(offer.decisions);
      touched = record(a.apply, 'restore ' + plural(a.apply.length, 'earlier decision', 'earlier decisions'));
      toast('Restored ' + plural(a.apply.length, 'decision', 'decisions') + ' from ' + offer.source + ' (u to undo)');
    } else {
      toast('Discarded the decisions from ' + offer.source);
    }
    changed(touched);
    renderOffer();
  }
  function loadCsvFile(file) {
    const reader = new FileReader();
    reader.onload = () => {
      let result;
      try { result = readRatingsCsv(String(reader.result)); } catch (e) {
        toast(file.name + ' was not loaded: ' + e.message);
        return;
      }
      if (!result.decisions.length) {
        toast(file.name + ' marks no rating' + (result.problems.length ? ': ' + result.problems.slice(0, 3).join('; ') : ''));
        return;
      }
      offers.unshift({ source: file.name, saved_at: '', decisions: result.decisions });
      save();
      renderOffer();
      if (result.problems.length) {
        toast(file.name + ': ' + plural(result.problems.length, 'row problem', 'row problems') + ': '
          + result.problems.slice(0, 3).join('; ') + (result.problems.length > 3 ? ' ...' : ''));
      }
    };
    reader.onerror = () => toast(file.name + ' could not be read');
    reader.readAsText(file);
  }

  // ------------------------------------------------------------------ downloads
  function ratingsCsv() {
    const rows = D.csv.header_rows.map((r) => r.slice());
    for (const r of D.csv.rows) {
      const row = [r.cell];
      for (const [title, letter] of D.csv.columns) {
        row.push(r.graded && getLetter(r.student_id, title) === letter ? '1' : '0');
      }
      rows.push(row);
    }
    return csvText(rows);
  }
  function gradebookCsv() {
    const rows = [D.gradebook_csv.header.slice()];
    for (const r of D.csv.rows) {
      const cells = [];
      let total = 0; let complete = r.graded;
      for (const c of D.criteria) {
        const letter = r.graded ? getLetter(r.student_id, c.title) : undefined;
        const rating = c.ratings.find((x) => x.letter === letter);
        if (!rating || rating.marks == null) { complete = false; cells.push(''); } else {
          total += rating.marks; cells.push(rating.marks_text);
        }
      }
      rows.push([r.cell, complete ? formatNumber(total) : ''].concat(cells));
    }
    return csvText(rows);
  }
  function download(filename, text) {
    const blob = new Blob([text], { type: 'text/csv;charset=utf-8' });
    const url = URL.createObjectURL(blob);
    const a = document.createElement('a');
    a.href = url;
    a.download = filename;
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60000);
  }
  function openItems() {
    let n = 0;
    for (const s of D.students) n += s.items.length - studentCounts(s).decided;
    return n;
  }
  function downloaded(filename, what) {
    const open = openItems();
    toast('Saved ' + filename + (open ? ' \u2014 ' + open + (open === 1 ? ' item is' : ' items are')
      + ' not reviewed yet and ' + what : ''));
  }

  function renderUndo() {
    const button = $('undo');
    const last = history[history.length - 1];
    button.disabled = !last;
    button.title = last ? 'Undo: ' + last.label + ' (u)' : 'Nothing to undo (u)';
  }

  // ------------------------------------------------------------------ wiring
  let resetArmed = null;
  function disarmReset() {
    const reset = $('reset');
    clearTimeout(resetArmed);
    resetArmed = null;
    reset.textContent = 'Reset all decisions';
    reset.classList.remove('armed');
  }
  function wire() {
    $('lab-name').textContent = D.lab;
    document.title = 'Review: ' + D.lab;
    const calibrated = D.trust.calibration === 'calibrated';
    $('lab-sub').textContent = [D.model ? 'model ' + D.model : '', D.scoring,
      D.review_threshold == null ? '' : (D.review_threshold >= 1 ? 'every item queued'
        : 'queued below ' + pct(D.review_threshold) + (calibrated ? ' calibrated confidence' : ' model probability')),
      D.students.length + ' graded', D.not_graded.length ? D.not_graded.length + ' not graded' : '']
      .filter(Boolean).join(' \u00B7 ');
    $('lab-sub').title = $('lab-sub').textContent;
    $('trust-agreement').textContent = D.trust.agreement;
    $('trust-agreement').classList.toggle('warn', !D.trust.agreement_measured);
    $('trust-calibration').textContent = D.trust.calibration_text;
    $('trust-calibration').classList.toggle('warn', D.trust.calibration !== 'calibrated');
    $('trust').title = D.trust.agreement + '\n' + D.trust.calibration_text;

    $('statement-text').textContent = D.statement || 'The lab folder has no problem statement.';
    $('statement-file').textContent = D.statement_file;
    $('show-statement').addEventListener('click', () => toggleStatement());
    $('close-statement').addEventListener('click', () => toggleStatement(false));

    $('search').addEventListener('input', () => { buildList(); });
    $('queued-only').addEventListener('change', () => {
      buildList();
      if (queuedOnly() && !visible.some((e) => e.id === current)) {
        // never leave a student without queued items selected with an empty rubric
        const previous = current;
        current = visible.length ? visible[0].id : current;
        if (previous !== null) paintRows([previous]);
        if (current !== null) paintRows([current]);
      }
      focusIndex = openIndex(shownEntry());
      renderView();
    });
    $('accept-unqueued').addEventListener('click', () => {
      const list = unqueuedOpen(D.students);
      if (!list.length) { toast('Nothing left to accept outside the queue'); return; }
      const students = new Set(list.map((d) => d[0])).size;
      ask('Accept ' + plural(list.length, 'suggestion', 'suggestions') + ' of ' + plural(students, 'student', 'students')
        + ' that are not queued for review and not decided yet? Queued items stay open. Undo (u) takes all of '
        + 'them back at once.', 'Accept ' + list.length, () => {
        const touched = record(list, 'accept all ' + list.length + ' unqueued suggestions');
        changed(touched);
        toast('Accepted ' + plural(list.length, 'unqueued suggestion', 'unqueued suggestions') + ' (u or Undo to take them back)');
      });
    });
    $('confirm-ok').addEventListener('click', () => closeConfirm(true));
    $('confirm-cancel').addEventListener('click', () => closeConfirm(false));
    $('confirm').addEventListener('click', (ev) => { if (ev.target === $('confirm')) closeConfirm(false); });
    $('undo').addEventListener('click', undo);
    $('accept-student').addEventListener('click', () => {
      const entry = shownEntry();
      if (entry && entry.student) {
        const list = unqueuedOpen([entry.student]);
        changed(record(list, 'accept ' + list.length + ' suggestions of ' + entry.id));
        toast(list.length ? 'Accepted ' + list.length + ' suggestions of ' + entry.id : 'Nothing to accept outside the queue');
      }
    });
    $('prev-student').addEventListener('click', () => step(-1));
    $('next-student').addEventListener('click', () => step(1));
    $('download-csv').addEventListener('click', () => {
      download(D.csv.filename, ratingsCsv());
      downloaded(D.csv.filename, 'have no rating marked');
    });
    if (D.gradebook_csv) {
      $('download-gradebook').addEventListener('click', () => {
        download(D.gradebook_csv.filename, gradebookCsv());
        downloaded(D.gradebook_csv.filename, 'their students have no total');
      });
    } else {
      $('download-gradebook').hidden = true;
    }
    $('load-csv').addEventListener('change', (ev) => {
      const file = ev.target.files && ev.target.files[0];
      $('more-menu').open = false;
      if (file) loadCsvFile(file);
      ev.target.value = '';
    });
    $('offer-apply').addEventListener('click', () => resolveOffer(true));
    $('offer-dismiss').addEventListener('click', () => resolveOffer(false));
    const reset = $('reset');
    reset.addEventListener('click', () => {
      if (!resetArmed) {
        reset.textContent = 'Click again to reset';
        reset.classList.add('armed');
        resetArmed = setTimeout(disarmReset, 4000);
        return;
      }
      disarmReset();
      $('more-menu').open = false;
      const list = [];
      for (const [sid, m] of decisions) for (const title of m.keys()) list.push([sid, title, undefined]);
      focusIndex = 0;
      const touched = record(list, 'reset (' + plural(list.length, 'decision', 'decisions') + ')');
      changed(touched);
      toast('All decisions were forgotten (u or Undo brings them back)');
    });
    document.addEventListener('keydown', onKey);
  }

  function onKey(ev) {
    if (confirmOpen()) {
      if (ev.key === 'Escape') { closeConfirm(false); ev.preventDefault(); }
      return;  // Enter and Space act on the focused dialog button
    }
    if (ev.ctrlKey || ev.metaKey || ev.altKey) return;
    const t = ev.target;
    if (t && (t.tagName === 'INPUT' && t.type !== 'radio' && t.type !== 'checkbox' || t.tagName === 'TEXTAREA')) {
      if (ev.key === 'Escape') t.blur();
      return;
    }
    const entry = shownEntry();
    const s = entry && entry.student;
    const items = s ? visibleItems(s) : [];
    const key = ev.key;
    if (key === 'j') step(1);
    else if (key === 'k') step(-1);
    else if (key === 'n' || key === 'p') {
      if (!items.length) return;
      focusIndex = Math.max(0, Math.min(items.length - 1, focusIndex + (key === 'n' ? 1 : -1)));
      markActive();
    } else if (key === 'a') {
      const item = items[focusIndex];
      if (item && item.suggested) decide(s, item, item.suggested, focusIndex);
    } else if (/^[1-9]$/.test(key)) {
      const item = items[focusIndex];
      if (!item) return;
      const rating = CRITERIA.get(item.criterion).ratings[Number(key) - 1];
      if (rating) decide(s, item, rating.letter, focusIndex);
    } else if (key === 'u') {
      undo();
    } else if (key === 's') {
      toggleStatement();
    } else if (key === 'Escape') {
      if ($('statement-panel').hidden) return;
      toggleStatement(false);
    } else if (key === 'q') {
      $('queued-only').click();
    } else if (key === '/') {
      $('search').focus();
    } else return;
    ev.preventDefault();
  }

  load();
  wire();
  if (current === null && ENTRIES.length) current = ENTRIES[0].id;
  focusIndex = openIndex(currentEntry());
  buildList();
  renderProgress();
  renderView();
  renderUndo();
  renderOffer();
  document.body.classList.add('ready');
})();
