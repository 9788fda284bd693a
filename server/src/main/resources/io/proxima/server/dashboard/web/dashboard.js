// Proxima dashboard: plain JS over the server's /v1 API (docs/dashboard.md), charts by uPlot.
// Views by URL hash: #/ (curricula), #/c/<id> (one curriculum), #/c/<id>/task/<taskId>, #/lab.
// Everything that came from the server or a file is shown as text (textContent), never as markup.
(() => {
  'use strict';

  const TOKEN_KEY = 'proxima.token';
  const REFRESH_MS = 2000;
  const COLORS = ['#2a6fdb', '#e8590c', '#2b8a3e', '#c2255c', '#7048e8', '#0c8599', '#e67700', '#5c940d', '#862e9c', '#495057'];

  // State of the open view; window.proxima lets people (and the browser test) read what is drawn.
  const charts = {};
  const proxima = { charts, history: null, summary: null, renders: 0 };
  window.proxima = proxima;
  let timer = null;
  let view = null;
  let tokenRequired = false;

  // ------------------------------------------------------------------ helpers

  function el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined) continue;
      if (k === 'class') e.className = v;
      else if (k === 'text') e.textContent = v;
      else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
      else e.setAttribute(k, v);
    }
    for (const c of children.flat()) if (c !== null && c !== undefined) e.append(c instanceof Node ? c : document.createTextNode(String(c)));
    return e;
  }

  function fmt(v, digits) {
    if (v === null || v === undefined || Number.isNaN(v)) return '–';
    if (typeof v !== 'number') return String(v);
    if (Number.isInteger(v)) return v.toLocaleString('en-US');
    return v.toPrecision(digits || 3);
  }

  function ago(ms) {
    if (ms === null || ms === undefined) return 'unknown';
    const s = Math.max(0, Math.round((Date.now() - ms) / 1000));
    if (s < 60) return s + ' s ago';
    if (s < 3600) return Math.round(s / 60) + ' min ago';
    return Math.round(s / 3600) + ' h ago';
  }

  function status(text, error) {
    const s = document.getElementById('status');
    s.textContent = text;
    s.className = error ? 'error' : '';
  }

  class ApiError extends Error {
    constructor(status, message) { super(message); this.status = status; }
  }

  // Every data request: GET, the bearer token from this tab's sessionStorage when one is set.
  async function api(path, accept) {
    const headers = { Accept: accept || 'application/json' };
    const token = sessionStorage.getItem(TOKEN_KEY);
    if (token) headers.Authorization = 'Bearer ' + token;
    const r = await fetch(path, { headers, cache: 'no-store' });
    if (!r.ok) {
      let msg = r.status + ' ' + r.statusText;
      try { msg = (await r.json()).error || msg; } catch (e) { /* not JSON */ }
      throw new ApiError(r.status, msg);
    }
    return r;
  }

  async function json(path) { return (await api(path)).json(); }

  function enc(s) { return encodeURIComponent(s); }

  // ------------------------------------------------------------------ charts

  // One uPlot per key, created once and then fed with setData while its series stay the same.
  function chart(key, container, title, labels, data, opts) {
    opts = opts || {};
    const width = Math.max(300, container.clientWidth - 4);
    const sig = labels.join('\u0001') + '|' + (opts.bars ? 'b' : 'l') + '|' + (opts.xRange ? opts.xRange.join(',') : '');
    let c = charts[key];
    if (c && (c.sig !== sig || !container.contains(c.u.root))) {
      c.u.destroy();
      c = null;
    }
    if (c) {
      c.u.setData(data, true);
      if (Math.abs(c.u.width - width) > 8) c.u.setSize({ width, height: c.u.height });
      return c.u;
    }
    const series = [{ label: opts.xLabel || 'step' }];
    labels.forEach((label, i) => {
      const s = { label, stroke: COLORS[i % COLORS.length], width: 1.5, spanGaps: true, points: { show: opts.points || false } };
      if (opts.rightFrom !== undefined && i >= opts.rightFrom) s.scale = 'right';
      if (opts.bars && i === 0) { // the first series as bars, the others as lines over them
        s.fill = COLORS[i % COLORS.length] + '88';
        s.paths = uPlot.paths.bars({ size: [0.9, 60], gap: 1 });
        s.points = { show: false };
      }
      series.push(s);
    });
    const u = new uPlot({
      title, width, height: opts.height || 220, series,
      scales: { x: opts.xRange ? { time: false, range: opts.xRange } : { time: false }, y: opts.yRange ? { range: opts.yRange } : {} },
      axes: [{ label: opts.xLabel || 'step' }, { label: opts.yLabel || '' }]
        .concat(opts.rightFrom !== undefined ? [{ scale: 'right', side: 1, label: opts.rightLabel || '', grid: { show: false } }] : []),
      legend: { live: true },
    }, data, container);
    charts[key] = { u, sig };
    return u;
  }

  function dropCharts() {
    for (const k of Object.keys(charts)) {
      charts[k].u.destroy();
      delete charts[k];
    }
  }

  // ------------------------------------------------------------------ views

  function route() {
    const h = decodeURI(location.hash || '#/');
    let m;
    if ((m = /^#\/c\/([^/]+)\/task\/(.+)$/.exec(h))) return { name: 'task', id: m[1], taskId: decodeURIComponent(location.hash.split('/task/')[1]) };
    if ((m = /^#\/c\/([^/]+)$/.exec(h))) return { name: 'curriculum', id: m[1] };
    if (h === '#/lab') return { name: 'lab' };
    return { name: 'list' };
  }

  function show() {
    clearTimeout(timer);
    dropCharts();
    const main = document.getElementById('main');
    main.replaceChildren();
    view = route();
    view.root = main;
    view.gen = (show.gen = (show.gen || 0) + 1);
    if (view.name === 'lab') { labView(main); return; }
    if (tokenRequired && !sessionStorage.getItem(TOKEN_KEY)) {
      main.append(el('p', { class: 'empty', text: 'This server requires a token: enter it above (kept in this tab only).' }));
      status('token required');
      return;
    }
    tick();
  }

  async function tick() {
    const v = view;
    try {
      if (v.name === 'list') await listView(v);
      else if (v.name === 'curriculum') await curriculumView(v);
      else if (v.name === 'task') await taskView(v);
      if (v !== view) return;
      proxima.renders++;
      document.body.dataset.renders = String(proxima.renders);
      status('updated ' + new Date().toLocaleTimeString());
    } catch (e) {
      if (v !== view) return;
      status(e.status === 401 ? 'the token was refused: enter the right one above' : 'error: ' + e.message, true);
      if (e.status === 404 || e.status === 409) return; // nothing to retry
    }
    if (v === view && v.name !== 'task') timer = setTimeout(tick, REFRESH_MS);
  }

  // The list of curricula.
  async function listView(v) {
    const data = await json('/v1/dashboard/curricula');
    if (v !== view) return;
    proxima.summary = data;
    const rows = data.curricula.map(c => el('tr', { 'data-id': c.id },
      el('td', {}, el('a', { href: '#/c/' + enc(c.id), text: c.id })),
      el('td', { text: c.kind }),
      el('td', { text: c.recipe || c.teacherType }),
      el('td', { class: 'num', text: fmt(c.kind === 'discrete' ? c.tasks : c.proposed) }),
      el('td', { class: 'num', text: fmt(c.reports) }),
      el('td', { class: 'num', text: fmt(c.kind === 'discrete' ? c.rollouts : c.episodes) }),
      el('td', { class: 'num', text: c.kind === 'discrete' ? fmt(c.effectiveRatio) : fmt(c.meanReturn) }),
      el('td', { class: 'num', text: c.kind === 'discrete' ? fmt(c.lastEffectiveRatio) : fmt(c.lastMeanReturn) }),
      el('td', { text: ago(c.lastReportAt) })));
    const table = el('table', { id: 'curricula' },
      el('thead', {}, el('tr', {}, ['id', 'kind', 'recipe', 'tasks', 'reports (steps)', 'rollouts', 'effective ratio / mean return', 'last report\'s', 'last report']
        .map((t, i) => el('th', { class: i >= 3 && i < 8 ? 'num' : null, text: t })))),
      el('tbody', {}, rows));
    v.root.replaceChildren(el('h1', { text: 'Curricula' }),
      data.curricula.length ? el('div', { class: 'card' }, table) : el('p', { class: 'empty', text: 'No curricula yet: create one with POST /v1/curricula.' }));
  }

  // One curriculum: the charts of its history, its groups, tasks and latest batches.
  async function curriculumView(v) {
    const h = await json('/v1/curricula/' + enc(v.id) + '/history');
    if (v !== view) return;
    proxima.history = h;
    if (!v.built) buildCurriculum(v, h);
    if (h.kind === 'continuous') renderContinuous(v, h);
    else renderDiscrete(v, h);
    if (h.kind === 'discrete') await renderTasks(v);
  }

  function card(id, title, wide) {
    const body = el('div', { class: 'chart', id: 'chart-' + id });
    return { card: el('div', { class: 'card' + (wide ? ' wide' : ''), id: 'card-' + id }, title ? el('h2', { text: title }) : null, body), body };
  }

  function buildCurriculum(v, h) {
    v.built = true;
    v.parts = {};
    const parts = v.parts;
    const csv = el('button', { type: 'button', onclick: () => downloadCsv(v.id) , text: 'Download history CSV' });
    parts.summary = el('div', { class: 'summary', id: 'summary' });
    parts.pipeline = el('p', { class: 'muted', id: 'pipeline' });
    const grid = el('div', { class: 'cards' });
    const names = h.kind === 'discrete'
      ? [['share', 'Share of selections per group'], ['effective', 'Effective ratio (groups with non-zero advantage)'],
        ['advantage', 'Mean |advantage| per group'], ['rollouts', 'Rollouts spent'],
        ['probability', 'Group probability (teacher)'], ['score', 'Group score / arm value (teacher)'],
        ['histogram', 'Pass-rate histogram of the pool'], ['teacher', 'Teacher numbers']]
      : [['return', 'Mean return per report'], ['episodes', 'Episodes spent'], ['teacher', 'Teacher numbers'], ['gmm', 'Gaussians of the teacher (2-D projection)']];
    for (const [id, title] of names) {
      const c = card(id, title, id === 'gmm');
      parts[id] = c.body;
      grid.append(c.card);
    }
    if (h.kind === 'discrete') {
      const band = card('band', 'Difficulty band occupancy', false);
      parts.band = band.body;
      parts.bandCard = band.card;
      band.card.hidden = true;
      grid.append(band.card);
      // PLR's panel (plr / robust-plr item policies): shown when the history has one
      parts.plrCards = [];
      for (const [id, title] of [['plrScores', 'PLR: seen tasks per replay score now'], ['plrStaleness', 'PLR: seen tasks per staleness now'],
        ['plrSeries', 'PLR: replay scores and staleness over steps']]) {
        const c = card(id, title, false);
        parts[id] = c.body;
        c.card.hidden = true;
        parts.plrCards.push(c.card);
        grid.append(c.card);
      }
      parts.plrCaption = el('p', { class: 'muted', id: 'plr-caption' });
      parts.plrScores.before(parts.plrCaption);
      parts.histAgo = el('input', { id: 'hist-ago', type: 'number', min: '1', value: '20', size: '4', onchange: () => renderDiscrete(v, proxima.history) });
      parts.histCaption = el('span', { class: 'muted', id: 'hist-caption' });
      parts.histogram.before(el('div', { class: 'toolbar' }, 'compare with', parts.histAgo, 'steps ago', parts.histCaption));
      const groups = card('groups', 'Groups now', true);
      parts.groups = groups.body;
      const tasks = card('tasks', 'Tasks by selections', true);
      parts.tasks = tasks.body;
      parts.query = el('input', { id: 'task-query', type: 'search', placeholder: 'search task id', oninput: () => renderTasks(v) });
      parts.order = el('select', { id: 'task-order', onchange: () => renderTasks(v) }, el('option', { value: 'most', text: 'most selected' }),
        el('option', { value: 'least', text: 'least selected' }));
      parts.tasks.before(el('div', { class: 'toolbar' }, parts.order, parts.query));
      const batches = card('batches', 'Latest batches: the group policy drew each group with the probability shown, the item policy the task at its pass-rate estimate and its own numbers', true);
      parts.batches = batches.body;
      grid.append(groups.card, tasks.card, batches.card);
    } else {
      parts.dimX = el('select', { id: 'gmm-x', onchange: () => renderContinuous(v, proxima.history) });
      parts.dimY = el('select', { id: 'gmm-y', onchange: () => renderContinuous(v, proxima.history) });
      h.dims.forEach((d, i) => {
        parts.dimX.append(el('option', { value: String(i), text: d.name }));
        parts.dimY.append(el('option', { value: String(i), text: d.name }));
      });
      if (h.dims.length > 1) parts.dimY.value = '1';
      parts.canvas = el('canvas', { class: 'gmm', id: 'gmm-canvas', width: '640', height: '360' });
      parts.gmm.append(el('div', { class: 'toolbar' }, 'x', parts.dimX, 'y', parts.dimY), parts.canvas);
    }
    v.root.replaceChildren(el('h1', {}, el('a', { href: '#/', text: 'Curricula' }), ' / ', v.id),
      el('div', { class: 'toolbar' }, csv, el('span', { class: 'muted', id: 'history-note' })), parts.summary, parts.pipeline, grid);
  }

  function stat(label, value) { return el('div', {}, el('span', { class: 'muted', text: label }), el('b', { text: value })); }

  function note(v, h) {
    const from = h.from > 0 ? 'history starts after event ' + h.from + ' (the log before it was deleted); ' : '';
    const kept = h.dropped > 0 ? 'the newest ' + h.capacity + ' steps are kept; ' : '';
    document.getElementById('history-note').textContent = from + kept + h.steps + ' steps, log at event ' + h.seq;
  }

  function renderDiscrete(v, h) {
    const p = v.parts;
    const s = h.series;
    const x = s.step;
    const now = h.now;
    p.summary.replaceChildren(stat('recipe', h.recipe), stat('tasks', fmt(now.tasks)), stat('steps (reports)', fmt(h.steps)),
      stat('batches', fmt(now.batches)), stat('rollouts', fmt(now.rollouts)), stat('effective ratio', fmt(now.effectiveRatio)),
      stat('last report\'s', fmt(now.lastEffectiveRatio)));
    note(v, h);
    p.pipeline.textContent = (h.meta ? 'meta-teacher over: ' : 'pipeline: ') + h.pipelines.map(x => x.recipe + ' = group policy ' + x.groupPolicy
      + ' → item policy ' + x.itemPolicy + ' → filter ' + x.filter + ' → allocator ' + x.allocator
      + (x.directives.length ? ' (+ ' + x.directives.join(', ') + ')' : '')).join('; ');
    const G = h.groups.map(g => g === '' ? '(no group)' : g);
    chart('share', p.share, null, G, [x, ...h.groupSeries.share], { yRange: [0, 1], yLabel: 'share' });
    chart('effective', p.effective, null, ['effective ratio'], [x, s.effectiveRatio], { yRange: [0, 1] });
    chart('advantage', p.advantage, null, G, [x, ...h.groupSeries.meanAbsAdvantage], { yLabel: 'mean |A|' });
    chart('rollouts', p.rollouts, null, ['rollouts (total)', 'rollouts (step)'], [x, s.rolloutsTotal, s.rollouts],
      { yLabel: 'total', rightFrom: 1, rightLabel: 'per step' });
    chart('probability', p.probability, null, G, [x, ...h.groupSeries.probability], { yRange: [0, 1], yLabel: 'probability' });
    chart('score', p.score, null, G, [x, ...h.groupSeries.score], {});
    // Histogram: bins' centers; now, and the sampled histogram closest to (and not after) N steps ago.
    const bins = h.passRateHistograms.bins;
    const centers = Array.from({ length: bins }, (_, k) => (k + 0.5) / bins);
    const nowCounts = now.passRateHistogram;
    const back = Math.max(1, Number(p.histAgo.value) || 20);
    const target = h.steps - back;
    let past = null;
    for (const r of h.passRateHistograms.rows) if (r.step <= target) past = r;
    p.histCaption.textContent = 'now: step ' + h.steps + '; earlier: ' + (past ? 'step ' + past.step : 'none ' + back + ' steps back yet');
    const data = [centers, nowCounts, past ? past.counts : centers.map(() => null)];
    chart('histogram', p.histogram, null, ['now', 'earlier'], data, { bars: true, xLabel: 'pass rate', yLabel: 'tasks', points: true, xRange: [0, 1] });
    const tnames = Object.keys(h.teacherSeries);
    if (tnames.length) chart('teacher', p.teacher, null, tnames, [x, ...tnames.map(n => h.teacherSeries[n])], {});
    else p.teacher.replaceChildren(el('p', { class: 'empty', text: 'This teacher has no numbers of its own.' }));
    if (h.band) {
      p.bandCard.hidden = false;
      p.bandCard.querySelector('h2').textContent = 'Difficulty band occupancy: tasks by estimated pass rate vs [' + h.band.low + ', ' + h.band.high + ']';
      chart('band', p.band, null, ['in band', 'below', 'above', 'never reported'],
        [x, h.band.inBand, h.band.below, h.band.above, h.band.untried], { yLabel: 'tasks' });
    }
    if (h.plr) renderReplay(p, h.plr, x);
    // Groups now.
    const head = ['group', 'size', 'selections', 'share', 'probability', 'score', 'mean pass rate', 'mean |A|', 'effective ratio'];
    p.groups.replaceChildren(el('table', { id: 'groups-table' },
      el('thead', {}, el('tr', {}, head.map((t, i) => el('th', { class: i ? 'num' : null, text: t })))),
      el('tbody', {}, now.groups.map(g => el('tr', { 'data-group': g.name },
        el('td', { text: g.name === '' ? '(no group)' : g.name }), el('td', { class: 'num', text: fmt(g.size) }),
        el('td', { class: 'num', text: fmt(g.selections) }), el('td', { class: 'num', text: fmt(g.selectionShare) }),
        el('td', { class: 'num', text: fmt(g.probability) }), el('td', { class: 'num', text: fmt(g.score) }),
        el('td', { class: 'num', text: fmt(g.meanPassRate) }), el('td', { class: 'num', text: fmt(g.meanAbsAdvantage) }),
        el('td', { class: 'num', text: fmt(g.effectiveRatio) }))))));
    // Latest batches.
    p.batches.classList.add('scroll');
    p.batches.replaceChildren(...(h.latestBatches.length ? h.latestBatches.map(b => el('div', { class: 'batch' },
      el('h3', { text: 'batch ' + b.batch + ' (event ' + b.seq + ', after step ' + b.afterStep + ')' }),
      el('table', {}, el('thead', {}, el('tr', {}, ['task', 'group', 'rollouts', 'group probability', 'pass rate', 'chosen by'].map((t, i) => el('th', { class: i > 1 && i < 5 ? 'num' : null, text: t })))),
        el('tbody', {}, b.tasks.map(t => el('tr', {},
          el('td', {}, el('a', { href: '#/c/' + enc(v.id) + '/task/' + enc(t.id), text: t.id })), el('td', { text: t.group }),
          el('td', { class: 'num', text: fmt(t.rollouts) }), el('td', { class: 'num', text: fmt(t.groupProbability) }),
          el('td', { class: 'num', text: fmt(t.passRate) }), el('td', { class: 'why', text: chosenBy(t) }))))))) : [el('p', { class: 'empty', text: 'No batch drawn yet.' })]));
  }

  // PLR: the histograms of its seen tasks' scores and staleness now (bars over bin centers), and their quantiles per step.
  function renderReplay(p, plr, x) {
    for (const c of p.plrCards) c.hidden = false;
    const now = plr.now, q = plr.params;
    p.plrCaption.textContent = plr.itemPolicy + (plr.pipeline !== plr.itemPolicy ? ' (pipeline ' + plr.pipeline + ')' : '') + ': '
      + fmt(now.seen) + ' of ' + fmt(now.tasks) + ' tasks seen; score ' + q.score + ', ' + q.prioritization + ' β ' + fmt(q.temperature)
      + ', staleness weight ρ ' + fmt(q.staleness) + ', fresh share ' + fmt(q.freshShare);
    const centers = (n, high) => Array.from({ length: n }, (_, k) => (k + 0.5) * high / n);
    chart('plrScores', p.plrScores, null, ['seen tasks'], [centers(now.scoreCounts.length, now.scoreHigh), now.scoreCounts],
      { bars: true, xLabel: 'score', yLabel: 'tasks', xRange: [0, now.scoreHigh] });
    chart('plrStaleness', p.plrStaleness, null, ['seen tasks'], [centers(now.stalenessCounts.length, now.stalenessHigh), now.stalenessCounts],
      { bars: true, xLabel: 'staleness (picks since last picked)', yLabel: 'tasks', xRange: [0, now.stalenessHigh] });
    const s = plr.series;
    chart('plrSeries', p.plrSeries, null, ['score p10', 'score median', 'score p90', 'score max', 'staleness median', 'staleness max'],
      [x, s.scoreP10, s.scoreMedian, s.scoreP90, s.scoreMax, s.stalenessMedian, s.stalenessMax],
      { yLabel: 'score', rightFrom: 4, rightLabel: 'staleness' });
  }

  // The explanation of a drawn task: a meta-teacher's member and its probability, the item policy and its
  // numbers, and the allocator's numbers when it has some (a uniform allocator has none).
  function chosenBy(t) {
    const member = t.memberProbability != null ? t.pipeline + ' (p ' + fmt(t.memberProbability) + ') · ' : '';
    const list = o => Object.entries(o || {}).map(([k, x]) => k + ' ' + fmt(x)).join(', ');
    const nums = list(t.item), alloc = list(t.allocation);
    return member + t.itemPolicy + (nums ? ': ' + nums : '') + (alloc ? ' · ' + t.allocator + ' rollouts: ' + alloc : '');
  }

  async function renderTasks(v) {
    const p = v.parts;
    const q = p.query.value.trim();
    const data = await json('/v1/curricula/' + enc(v.id) + '/selections?order=' + p.order.value + '&limit=15' + (q ? '&q=' + enc(q) : ''));
    if (v !== view) return;
    proxima.selections = data;
    p.tasks.replaceChildren(el('p', { class: 'muted', text: data.matched + ' tasks match' }), el('div', { class: 'scroll' }, el('table', { id: 'tasks-table' },
      el('thead', {}, el('tr', {}, ['task', 'group', 'selected', 'reported', 'rollouts', 'mean reward', 'pass rate'].map((t, i) => el('th', { class: i > 1 ? 'num' : null, text: t })))),
      el('tbody', {}, data.tasks.map(t => el('tr', {},
        el('td', {}, el('a', { href: '#/c/' + enc(v.id) + '/task/' + enc(t.id), text: t.id })), el('td', { text: t.group }),
        el('td', { class: 'num', text: fmt(t.selected) }), el('td', { class: 'num', text: fmt(t.reported) }),
        el('td', { class: 'num', text: fmt(t.rollouts) }), el('td', { class: 'num', text: fmt(t.meanReward) }),
        el('td', { class: 'num', text: fmt(t.passRate) })))))));
  }

  function renderContinuous(v, h) {
    const p = v.parts;
    const s = h.series;
    const now = h.now;
    p.summary.replaceChildren(stat('teacher', h.teacherType), stat('dimensions', fmt(h.dims.length)), stat('steps (reports)', fmt(h.steps)),
      stat('proposed', fmt(now.proposed)), stat('episodes', fmt(now.episodes)), stat('mean return', fmt(now.meanReturn)),
      stat('last report\'s', fmt(now.lastMeanReturn)));
    note(v, h);
    chart('return', p.return, null, ['mean return'], [s.step, s.meanReturn], {});
    chart('episodes', p.episodes, null, ['episodes (total)', 'episodes (step)'], [s.step, s.episodesTotal, s.episodes],
      { yLabel: 'total', rightFrom: 1, rightLabel: 'per step' });
    const tnames = Object.keys(h.teacherSeries);
    if (tnames.length) chart('teacher', p.teacher, null, tnames, [s.step, ...tnames.map(n => h.teacherSeries[n])], {});
    drawGaussians(p.canvas, h, Number(p.dimX.value), Number(p.dimY.value));
  }

  // The proposed points and each Gaussian's 1- and 2-sigma ellipse over dimensions a (x) and b (y).
  function drawGaussians(canvas, h, a, b) {
    // draw at the element's own size (CSS scaling would blur and stretch the labels)
    const ratio = window.devicePixelRatio || 1;
    const cw = Math.max(300, Math.round(canvas.clientWidth || 640)), ch = 360;
    if (canvas.width !== Math.round(cw * ratio)) { canvas.width = Math.round(cw * ratio); canvas.height = Math.round(ch * ratio); }
    const ctx = canvas.getContext('2d');
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    const W = cw, H = ch, pad = 30;
    ctx.clearRect(0, 0, W, H);
    const da = h.dims[a], db = h.dims[b];
    const X = x => pad + (x - da.low) / (da.high - da.low || 1) * (W - 2 * pad);
    const Y = y => H - pad - (y - db.low) / (db.high - db.low || 1) * (H - 2 * pad);
    ctx.strokeStyle = '#999';
    ctx.strokeRect(pad, pad, W - 2 * pad, H - 2 * pad);
    ctx.fillStyle = '#333';
    ctx.font = '11px sans-serif';
    ctx.fillText(da.name + ' [' + da.low + ', ' + da.high + ']', pad, H - 8);
    ctx.fillText(db.name + ' [' + db.low + ', ' + db.high + ']', 4, pad - 10);
    ctx.fillStyle = 'rgba(42,111,219,0.35)';
    for (const pt of h.now.points) {
      if (pt[a] === null || pt[b] === null) continue;
      ctx.beginPath(); ctx.arc(X(pt[a]), Y(pt[b]), 2, 0, 2 * Math.PI); ctx.fill();
    }
    const lps = h.now.gaussians.map(g => g.learningProgress).filter(x => x !== undefined && x !== null);
    const maxLp = lps.length ? Math.max(...lps.map(Math.abs), 1e-12) : 1;
    h.now.gaussians.forEach((g, j) => {
      const mx = g.mean[a], my = g.mean[b];
      const sxx = g.covariance[a][a], syy = g.covariance[b][b], sxy = g.covariance[a][b];
      // principal axes of the 2x2 covariance
      const tr = (sxx + syy) / 2, det = Math.sqrt(Math.max(0, ((sxx - syy) / 2) ** 2 + sxy * sxy));
      const l1 = tr + det, l2 = Math.max(0, tr - det);
      const angle = Math.atan2(l1 - sxx, sxy || 1e-12);
      const color = COLORS[j % COLORS.length];
      ctx.strokeStyle = color;
      for (const k of [1, 2]) {
        ctx.beginPath();
        for (let t = 0; t <= 64; t++) {
          const th = t / 64 * 2 * Math.PI;
          const u = k * Math.sqrt(l1) * Math.cos(th), w = k * Math.sqrt(l2) * Math.sin(th);
          const px = mx + u * Math.cos(angle) - w * Math.sin(angle), py = my + u * Math.sin(angle) + w * Math.cos(angle);
          if (t === 0) ctx.moveTo(X(px), Y(py)); else ctx.lineTo(X(px), Y(py));
        }
        ctx.lineWidth = g.learningProgress !== undefined && g.learningProgress !== null ? 1 + 3 * Math.abs(g.learningProgress) / maxLp : 1.5;
        ctx.stroke();
      }
      ctx.fillStyle = color;
      ctx.fillText('#' + j + ' w=' + fmt(g.weight, 2) + (g.learningProgress !== undefined ? ' ALP=' + fmt(g.learningProgress, 2) : ''), X(mx) + 4, Y(my));
    });
    if (!h.now.gaussians.length) { ctx.fillStyle = '#666'; ctx.fillText('no Gaussians fitted yet (or this teacher has none)', pad + 8, pad + 16); }
  }

  // One task: its selections, rewards and pass-rate estimate over steps (read once from the log).
  async function taskView(v) {
    const t = await json('/v1/curricula/' + enc(v.id) + '/task-history?taskId=' + enc(v.taskId));
    if (v !== view) return;
    proxima.task = t;
    const chartBox = el('div', { class: 'chart', id: 'chart-task' });
    v.root.replaceChildren(el('h1', {}, el('a', { href: '#/', text: 'Curricula' }), ' / ', el('a', { href: '#/c/' + enc(v.id), text: v.id }), ' / ', t.taskId),
      el('div', { class: 'summary' }, stat('group', t.group === '' ? '(no group)' : t.group), stat('selected', fmt(t.selections.length)),
        stat('reported', fmt(t.reports.length)), stat('pass rate now', fmt(t.passRate)), stat('curriculum steps', fmt(t.steps))),
      el('div', { class: 'cards' }, el('div', { class: 'card wide' }, el('h2', { text: 'Pass-rate estimate and mean reward at each report of the task' }), chartBox),
        el('div', { class: 'card' }, el('h2', { text: 'Reports' }), el('div', { class: 'scroll' }, el('table', { id: 'task-reports' },
          el('thead', {}, el('tr', {}, ['step', 'rollouts', 'mean reward', 'mean |A|', 'effective', 'pass rate after'].map((x, i) => el('th', { class: 'num', text: x })))),
          el('tbody', {}, t.reports.slice().reverse().map(r => el('tr', {}, el('td', { class: 'num', text: fmt(r.step) }), el('td', { class: 'num', text: fmt(r.rollouts) }),
            el('td', { class: 'num', text: fmt(r.meanReward) }), el('td', { class: 'num', text: fmt(r.meanAbsAdvantage) }),
            el('td', { class: 'num', text: r.effective ? 'yes' : 'no' }), el('td', { class: 'num', text: fmt(r.passRateAfter) }))))))),
        el('div', { class: 'card' }, el('h2', { text: 'Selections' }), el('div', { class: 'scroll' }, el('table', { id: 'task-selections' },
          el('thead', {}, el('tr', {}, ['after step', 'batch', 'event', 'rollouts'].map(x => el('th', { class: 'num', text: x })))),
          el('tbody', {}, t.selections.slice().reverse().map(s => el('tr', {}, el('td', { class: 'num', text: fmt(s.step) }), el('td', { class: 'num', text: fmt(s.batch) }),
            el('td', { class: 'num', text: fmt(s.seq) }), el('td', { class: 'num', text: fmt(s.rollouts) })))))))));
    if (t.reports.length) {
      chart('task', chartBox, null, ['pass-rate estimate', 'mean reward'],
        [t.reports.map(r => r.step), t.reports.map(r => r.passRateAfter), t.reports.map(r => r.meanReward)], { yRange: [0, 1], points: true });
    } else {
      chartBox.append(el('p', { class: 'empty', text: 'No report of this task yet.' }));
    }
  }

  async function downloadCsv(id) {
    try {
      const blob = await (await api('/v1/curricula/' + enc(id) + '/history.csv', 'text/csv')).blob();
      const a = el('a', { href: URL.createObjectURL(blob), download: id + '-history.csv' });
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(a.href), 10000);
    } catch (e) {
      status('CSV: ' + e.message, true);
    }
  }

  // ------------------------------------------------------------------ lab reports

  // A lab report (./proxima simulate --out DIR) opened from disk: read in the browser, never uploaded.
  function labView(main) {
    const input = el('input', { type: 'file', id: 'lab-files', multiple: '', onchange: () => openLab(input.files, out) });
    const out = el('div', { class: 'lab', id: 'lab-report' });
    main.append(el('h1', { text: 'Lab report' }),
      el('p', { class: 'muted', text: 'Choose the files of a folder written by ./proxima simulate --out DIR (select them all: report.md, summary.csv, curves.csv and the plots). The files are read by this page only, never uploaded.' }),
      el('div', { class: 'toolbar' }, input), out);
    status('');
  }

  function parseCsv(text) {
    const rows = [];
    let row = [], field = '', quoted = false;
    for (let i = 0; i < text.length; i++) {
      const c = text[i];
      if (quoted) {
        if (c === '"' && text[i + 1] === '"') { field += '"'; i++; }
        else if (c === '"') quoted = false;
        else field += c;
      } else if (c === '"') quoted = true;
      else if (c === ',') { row.push(field); field = ''; }
      else if (c === '\n' || c === '\r') {
        if (c === '\r' && text[i + 1] === '\n') i++;
        row.push(field); rows.push(row); row = []; field = '';
      } else field += c;
    }
    if (field !== '' || row.length) { row.push(field); rows.push(row); }
    return rows.filter(r => r.length > 1 || r[0] !== '');
  }

  async function openLab(files, out) {
    out.replaceChildren();
    dropCharts();
    const byName = {};
    for (const f of files) byName[f.name] = f;
    if (!byName['summary.csv'] && !byName['report.md']) {
      out.append(el('p', { class: 'empty', text: 'No report.md or summary.csv in the chosen files.' }));
      return;
    }
    if (byName['summary.csv']) {
      const rows = parseCsv(await byName['summary.csv'].text());
      const head = rows[0];
      out.append(el('div', { class: 'card wide' }, el('h2', { text: 'summary.csv' }), el('div', { class: 'scroll' }, el('table', { id: 'lab-summary' },
        el('thead', {}, el('tr', {}, head.map(h => el('th', { text: h })))),
        el('tbody', {}, rows.slice(1).map(r => el('tr', {}, r.map(c => el('td', { text: c })))))))));
    }
    if (byName['curves.csv']) {
      const rows = parseCsv(await byName['curves.csv'].text());
      const head = rows[0];
      const col = n => head.indexOf(n);
      // mean over seeds, per teacher and curve point; the metrics of each kind of report (discrete:
      // heldout_accuracy, effective_ratio; continuous: mastery; supervised: clean_accuracy, ...)
      const METRICS = ['heldout_accuracy', 'effective_ratio', 'mastery', 'clean_accuracy', 'clean_loss', 'mislabelled_fit', 'mean_return', 'coverage'];
      for (const metric of METRICS.filter(m => col(m) >= 0)) {
        const acc = {};
        for (const r of rows.slice(1)) {
          const t = r[col('teacher')], k = Number(r[col('point')]);
          const x = Number(r[col('rollouts')] !== undefined ? r[col('rollouts')] : k), y = Number(r[col(metric)]);
          acc[t] = acc[t] || [];
          acc[t][k] = acc[t][k] || { x: 0, y: 0, n: 0 };
          acc[t][k].x += x; acc[t][k].y += y; acc[t][k].n++;
        }
        const teachers = Object.keys(acc);
        const points = Math.max(...teachers.map(t => acc[t].length));
        const xs = Array.from({ length: points }, (_, k) => k);
        const data = [xs, ...teachers.map(t => xs.map(k => acc[t][k] && Number.isFinite(acc[t][k].y) ? acc[t][k].y / acc[t][k].n : null))];
        const box = el('div', { class: 'chart', id: 'chart-lab-' + metric });
        out.append(el('div', { class: 'card wide' }, el('h2', { text: metric + ' (mean over seeds, by curve point)' }), box));
        chart('lab-' + metric, box, null, teachers, data, { xLabel: 'curve point' });
      }
    }
    for (const f of Object.values(byName).filter(f => f.name.endsWith('.png')).sort((p, q) => p.name.localeCompare(q.name))) {
      out.append(el('div', { class: 'card wide' }, el('h2', { text: f.name }), el('img', { src: URL.createObjectURL(f), alt: f.name })));
    }
    if (byName['report.md']) {
      out.append(el('div', { class: 'card wide' }, el('h2', { text: 'report.md' }), el('pre', { class: 'md', text: await byName['report.md'].text() })));
    }
    proxima.renders++;
    document.body.dataset.renders = String(proxima.renders);
  }

  // ------------------------------------------------------------------ start

  document.getElementById('token-form').addEventListener('submit', e => {
    e.preventDefault();
    const t = document.getElementById('token').value.trim();
    if (t) sessionStorage.setItem(TOKEN_KEY, t); else sessionStorage.removeItem(TOKEN_KEY);
    document.getElementById('token').value = '';
    document.getElementById('token').placeholder = t ? 'token set for this tab' : 'bearer token (if the server has one)';
    show();
  });
  if (sessionStorage.getItem(TOKEN_KEY)) document.getElementById('token').placeholder = 'token set for this tab';
  window.addEventListener('hashchange', show);
  fetch('/dashboard/config.json', { cache: 'no-store' }).then(r => r.json()).then(c => { tokenRequired = !!c.tokenRequired; }, () => {}).finally(show);
})();
