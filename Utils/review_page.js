// Review page of one graded lab (inlined into the HTML by Utils/review_page.py).
// Data comes only from the JSON block #review-data and is written into the page only with
// textContent, attributes set through the DOM and CSSOM widths: never as markup.
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

  // ------------------------------------------------------------------ data
  const CRITERIA = new Map(D.criteria.map((c) => [c.title, c]));
  const STUDENTS = new Map(D.students.map((s) => [s.student_id, s]));
  const NOT_GRADED = new Map(D.not_graded.map((p) => [p.student_id, p]));
  // Sidebar order: graded students (queued first, as Python ordered them), then those not graded.
  const ENTRIES = D.students.map((s) => ({ id: s.student_id, student: s }))
    .concat(D.not_graded.filter((p) => !STUDENTS.has(p.student_id))
      .map((p) => ({ id: p.student_id, problem: p })));
  const TOTAL_ITEMS = D.students.reduce((n, s) => n + s.items.length, 0);
  const TOTAL_QUEUED = D.students.reduce((n, s) => n + s.queued, 0);

  // decisions: Map student id -> Map criterion -> letter (Maps: ids are untrusted keys).
  let decisions = new Map();
  let current = null;      // selected entry id
  let focusIndex = 0;      // active criterion (index among the visible cards)
  let storageOK = true;

  function validLetter(sid, title, letter) {
    const c = CRITERIA.get(title);
    const s = STUDENTS.get(sid);
    return !!(c && s && s.items.some((i) => i.criterion === title)
      && c.ratings.some((r) => r.letter === letter));
  }
  function load() {
    let raw = null;
    try { raw = window.localStorage.getItem(D.storage_key); } catch (e) { storageOK = false; }
    if (!raw) return;
    try {
      const saved = JSON.parse(raw);
      for (const [sid, title, letter] of saved.decisions || []) {
        if (validLetter(sid, title, letter)) setLetter(sid, title, letter);
      }
      if (typeof saved.current === 'string' && ENTRIES.some((e) => e.id === saved.current)) current = saved.current;
    } catch (e) { /* a broken saved state is ignored, never trusted */ }
  }
  function save() {
    const list = [];
    for (const [sid, m] of decisions) for (const [title, letter] of m) list.push([sid, title, letter]);
    try {
      window.localStorage.setItem(D.storage_key, JSON.stringify({
        version: D.version, lab: D.lab, data_hash: D.data_hash, current: current,
        saved_at: new Date().toISOString(), decisions: list,
      }));
      storageOK = true;
    } catch (e) { storageOK = false; }
    const warn = $('storage-warning');
    warn.hidden = storageOK;
    warn.textContent = storageOK ? '' : 'This browser does not let the page save (localStorage is blocked or full): '
      + 'download the CSV before closing the page.';
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

  function studentCounts(s) {
    let decided = 0; let queuedLeft = 0;
    for (const item of s.items) {
      const done = getLetter(s.student_id, item.criterion) !== undefined;
      if (done) decided += 1; else if (item.needs_review) queuedLeft += 1;
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
    toastTimer = setTimeout(() => { t.hidden = true; }, 5000);
  }

  // ------------------------------------------------------------------ sidebar
  function visibleEntries() {
    const q = $('search').value.trim().toLowerCase();
    const queuedOnly = $('queued-only').checked;
    return ENTRIES.filter((e) => {
      if (queuedOnly && !(e.student && e.student.queued > 0)) return false;
      if (!q) return true;
      const raw = e.student ? e.student.raw_id : e.problem.raw_id;
      return e.id.toLowerCase().includes(q) || String(raw).toLowerCase().includes(q);
    });
  }
  function renderList() {
    const list = $('student-list');
    const entries = visibleEntries();
    list.replaceChildren();
    for (const e of entries) {
      const st = entryStatus(e);
      const li = el('li', 'student status-' + st.key + (e.id === current ? ' selected' : ''));
      li.dataset.sid = e.id;
      li.dataset.status = st.key;
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
      li.appendChild(el('span', 'status-label', st.label));
      li.addEventListener('click', () => select(e.id));
      list.appendChild(li);
    }
    const n = entries.length;
    $('list-caption').textContent = n + (n === 1 ? ' student' : ' students')
      + ($('queued-only').checked ? ' with queued items' : '')
      + (n !== ENTRIES.length ? ' of ' + ENTRIES.length : '');
    if (!n) list.appendChild(el('li', 'empty', 'No student matches.'));
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
  function currentEntry() { return ENTRIES.find((e) => e.id === current) || null; }

  function visibleItems(s) {
    return $('queued-only').checked ? s.items.filter((i) => i.needs_review) : s.items;
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
    const entry = currentEntry();
    const box = $('criteria');
    box.replaceChildren();
    if (!entry) return;
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
    $('criteria-info').textContent = items.length + (items.length === 1 ? ' criterion' : ' criteria')
      + (hidden ? ' \u00B7 ' + hidden + ' unqueued hidden' : '');
    items.forEach((item, index) => box.appendChild(criterionCard(s, item, index)));
    if (!items.length) box.appendChild(el('div', 'empty', 'No queued criteria for this student.'));
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
      conf.title = item.calibrated ? 'calibrated confidence' : 'model probability of the suggested rating';
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
    if (item.calibrated) notes.push('confidence is calibrated');
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
        ev.stopPropagation(); clearLetter(s.student_id, item.criterion); changed();
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
    const entry = currentEntry();
    if (!entry) {
      $('student-name').textContent = 'No students';
      $('student-meta').textContent = 'This lab has no submissions to review.';
      $('accept-student').disabled = true;
      return;
    }
    renderHead(entry);
    if (entry.student) renderCode(entry.student);
    else { $('code').replaceChildren(el('div', 'code-empty', 'No readable submission.')); $('code-info').textContent = ''; }
    renderCriteria();
    markActive();
  }

  function changed() {
    save();
    const entry = currentEntry();
    if (entry) { renderHead(entry); renderCriteria(); markActive(); }
    renderList();
    renderProgress();
  }

  function decide(s, item, letter, index) {
    setLetter(s.student_id, item.criterion, letter);
    // Move on to the next open criterion of this student (the TA presses j for the next student).
    const items = visibleItems(s);
    const next = items.findIndex((it, i) => i > index && getLetter(s.student_id, it.criterion) === undefined);
    const first = items.findIndex((it) => getLetter(s.student_id, it.criterion) === undefined);
    focusIndex = next >= 0 ? next : (first >= 0 ? first : index);
    changed();
  }

  function select(id) {
    if (id === current) return;
    current = id;
    const entry = currentEntry();
    focusIndex = 0;
    if (entry && entry.student) {
      const items = visibleItems(entry.student);
      const open = items.findIndex((it) => getLetter(entry.student.student_id, it.criterion) === undefined);
      focusIndex = open >= 0 ? open : 0;
    }
    save();
    renderList();
    renderView();
    const li = [...$('student-list').children].find((n) => n.dataset.sid === id);
    if (li) li.scrollIntoView({ block: 'nearest' });
  }

  function step(delta) {
    const entries = visibleEntries();
    if (!entries.length) return;
    const i = entries.findIndex((e) => e.id === current);
    const j = i < 0 ? 0 : Math.max(0, Math.min(entries.length - 1, i + delta));
    select(entries[j].id);
  }

  function acceptUnqueued(students) {
    let n = 0;
    for (const s of students) {
      for (const item of s.items) {
        if (!item.needs_review && item.suggested && getLetter(s.student_id, item.criterion) === undefined) {
          setLetter(s.student_id, item.criterion, item.suggested);
          n += 1;
        }
      }
    }
    changed();
    return n;
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

  // ------------------------------------------------------------------ wiring
  let resetArmed = null;
  function wire() {
    $('lab-name').textContent = D.lab;
    document.title = 'Review: ' + D.lab;
    $('lab-sub').textContent = [D.model ? 'model ' + D.model : '',
      D.review_threshold != null ? 'queued below ' + pct(D.review_threshold) : '',
      D.students.length + ' graded', D.not_graded.length ? D.not_graded.length + ' not graded' : '']
      .filter(Boolean).join(' \u00B7 ');
    $('lab-sub').title = $('lab-sub').textContent;
    $('search').addEventListener('input', () => { renderList(); });
    $('queued-only').addEventListener('change', () => {
      focusIndex = 0; renderList(); renderCriteria(); markActive();
    });
    $('accept-unqueued').addEventListener('click', () => {
      const n = acceptUnqueued(D.students);
      toast(n ? 'Accepted ' + n + ' unqueued suggestions' : 'Nothing left to accept outside the queue');
    });
    $('accept-student').addEventListener('click', () => {
      const entry = currentEntry();
      if (entry && entry.student) {
        const n = acceptUnqueued([entry.student]);
        toast(n ? 'Accepted ' + n + ' suggestions of ' + entry.id : 'Nothing to accept outside the queue');
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
    const reset = $('reset');
    reset.addEventListener('click', () => {
      if (!resetArmed) {
        reset.textContent = 'Click again to reset';
        reset.classList.add('armed');
        resetArmed = setTimeout(() => {
          resetArmed = null; reset.textContent = 'Reset'; reset.classList.remove('armed');
        }, 4000);
        return;
      }
      clearTimeout(resetArmed);
      resetArmed = null;
      reset.textContent = 'Reset';
      reset.classList.remove('armed');
      decisions = new Map();
      try { window.localStorage.removeItem(D.storage_key); } catch (e) { /* nothing saved */ }
      focusIndex = 0;
      changed();
      toast('All decisions were forgotten');
    });
    document.addEventListener('keydown', onKey);
  }

  function onKey(ev) {
    if (ev.ctrlKey || ev.metaKey || ev.altKey) return;
    const t = ev.target;
    if (t && (t.tagName === 'INPUT' && t.type !== 'radio' && t.type !== 'checkbox' || t.tagName === 'TEXTAREA')) {
      if (ev.key === 'Escape') t.blur();
      return;
    }
    const entry = currentEntry();
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
  const first = currentEntry();
  if (first && first.student) {
    focusIndex = Math.max(0, visibleItems(first.student).findIndex((it) => getLetter(first.id, it.criterion) === undefined));
  }
  renderList();
  renderProgress();
  renderView();
  document.body.classList.add('ready');
})();
