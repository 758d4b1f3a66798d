// The Canary page: phase, weight and failed checks; charts over time of the weight and of each
// metric against its threshold range (one point per analysis record), webhook results, Events.
'use strict';
(() => {
  const { el, badge, when, ago, api, live, table, cells, section } = M;
  const root = document.getElementById('canary');
  const ns = root.dataset.namespace;
  const name = root.dataset.name;
  const base = '/api/v1/canaries/' + encodeURIComponent(ns) + '/' + encodeURIComponent(name);
  const charts = [];

  const num = v => (v == null ? 'no data' : Number.isInteger(v) ? String(v) : v.toPrecision(4).replace(/\.?0+$/, ''));
  const cssVar = n => getComputedStyle(document.documentElement).getPropertyValue(n).trim();

  async function load() {
    const r = await api('GET', base);
    if (!r.ok) {
      section('summary').appendChild(el('p', { class: 'problem error', text: r.status === 404 ? 'No Canary ' + ns + '/' + name + '.' : 'Cannot load the Canary.' }));
      return;
    }
    render(r.data);
    loadEvents();
  }

  function render(c) {
    const spec = c.spec || {};
    const s = c.status || {};
    const analysis = spec.analysis || {};
    const threshold = analysis.threshold == null ? 1 : analysis.threshold;
    section('badges').append(badge(s.phase || 'Unknown', 'phase'));
    const promoted = (s.conditions || []).find(x => x.type === 'Promoted');
    const rows = [
      ['Target', (spec.targetRef ? spec.targetRef.kind + ' ' + spec.targetRef.name : '')],
      ['Router', s.provider || spec.provider || '(not yet reconciled)'],
      ['Phase', [badge(s.phase || 'Unknown', 'phase'), promoted && promoted.message ? ' ' + promoted.message : '']],
      ['Weight', el('span', { id: 'weight', text: s.canaryWeight == null ? '' : s.canaryWeight + '%' })],
      ['Failed checks', el('span', { id: 'failed', text: (s.failedChecks || 0) + '/' + threshold })],
      ['Steps', steps(analysis)],
      ['Interval', analysis.interval || '1m'],
      ['Last change', s.lastTransitionTime ? when(s.lastTransitionTime) : ''],
    ];
    section('summary').appendChild(el('dl', { class: 'summary' }, rows.map(([k, v]) => [el('dt', { text: k }), el('dd', {}, v)])));
    const history = s.analysisHistory || [];
    const checks = history.filter(h => !h.webhook);
    const hooks = history.filter(h => h.webhook);
    renderCharts(checks, analysis);
    const h = ['When', 'Metric', 'Value', 'Range', 'Weight', 'Result', 'Message'];
    const box = section('checks');
    if (!checks.length) box.appendChild(el('p', { class: 'muted', text: 'No checks yet.' }));
    else box.appendChild(table(h, checks.slice().reverse().map(x => el('tr', {}, cells(h, [
      when(x.time), x.metric, num(x.value), range(x), x.weight == null ? '' : x.weight + '%',
      el('span', { class: x.passed ? 'pass' : 'fail', text: x.passed ? '✓ pass' : '✗ fail' }),
      [x.message || '', x.query && !(x.message || '').includes(x.query) ? el('div', { class: 'small muted' }, el('code', { text: x.query })) : null]])))));
    const wh = ['When', 'Webhook', 'Type', 'Result', 'Message'];
    const hb = section('webhooks');
    if (!hooks.length) hb.appendChild(el('p', { class: 'muted', text: (analysis.webhooks || []).length ? 'No webhook calls yet.' : 'No webhooks.' }));
    else hb.appendChild(table(wh, hooks.slice().reverse().map(x => el('tr', {}, cells(wh, [
      when(x.time), x.metric, x.webhook, el('span', { class: x.passed ? 'pass' : 'fail', text: x.passed ? '✓ ok' : '✗ failed' }), x.message || ''])))));
    const ch = ['Type', 'Status', 'Reason', 'Message', 'Since'];
    const cb = section('conditions');
    cb.appendChild(table(ch, (s.conditions || []).map(x => el('tr', {}, cells(ch, [x.type, x.status, x.reason || '', x.message || '', x.lastTransitionTime ? ago(x.lastTransitionTime) : ''])))));
  }

  function steps(a) {
    if (a.iterations) return a.iterations + ' iterations';
    if (a.stepWeights && a.stepWeights.length) return a.stepWeights.join('%, ') + '%';
    if (a.stepWeight) return 'steps of ' + a.stepWeight + '% up to ' + (a.maxWeight || 50) + '%';
    return '';
  }

  function range(x) {
    if (x.thresholdMin == null && x.thresholdMax == null) return '';
    return (x.thresholdMin == null ? '' : '≥ ' + num(x.thresholdMin)) + (x.thresholdMin != null && x.thresholdMax != null ? ', ' : '') + (x.thresholdMax == null ? '' : '≤ ' + num(x.thresholdMax));
  }

  function renderCharts(checks, analysis) {
    charts.splice(0).forEach(u => u.destroy());
    const box = section('charts');
    if (!checks.length) { box.appendChild(el('p', { class: 'muted', text: 'No analysis records yet: the charts start with the first check.' })); return; }
    const width = Math.max(280, Math.min(900, box.clientWidth - 20));
    const t = x => Date.parse(x.time) / 1000;
    // the canary weight at each analysis time (one point per distinct check time)
    const times = [...new Set(checks.map(t))].sort((a, b) => a - b);
    const weightAt = new Map(checks.map(x => [t(x), x.weight]));
    chart(box, 'weight', 'Canary weight (%)', times, [{ label: 'weight %', values: times.map(x => weightAt.get(x) ?? null), stroke: cssVar('--link') }], width, times.length);
    const byMetric = new Map();
    for (const x of checks) {
      if (!byMetric.has(x.metric)) byMetric.set(x.metric, []);
      byMetric.get(x.metric).push(x);
    }
    let i = 0;
    for (const [metric, records] of byMetric) {
      const xs = records.map(t);
      const series = [{ label: metric, values: records.map(x => x.value), stroke: cssVar('--fg'), points: records.map(x => x.passed) }];
      const last = records[records.length - 1];
      if (last.thresholdMin != null) series.push({ label: 'min', values: records.map(x => x.thresholdMin), stroke: cssVar('--ok'), dash: [6, 4] });
      if (last.thresholdMax != null) series.push({ label: 'max', values: records.map(x => x.thresholdMax), stroke: cssVar('--bad'), dash: [6, 4] });
      chart(box, 'metric-' + (i++), metric + ' against its threshold range', xs, series, width, records.length, records);
    }
  }

  function chart(box, id, title, xs, series, width, points, records) {
    const holder = el('div', { class: 'chart', id: 'chart-' + id, dataset: { points: String(points) }, role: 'figure', 'aria-label': title + ': ' + points + ' points' });
    holder.appendChild(el('h3', { text: title }));
    box.appendChild(holder);
    const plot = el('div', {});
    holder.appendChild(plot);
    // the same numbers as a table, for keyboards and screen readers
    const rows = xs.map((x, k) => el('tr', { class: 'point' }, el('td', { text: new Date(x * 1000).toLocaleTimeString() }),
      series.map(s => el('td', { text: s.values[k] == null ? 'no data' : num(s.values[k]) })),
      records ? el('td', { text: records[k].passed ? 'pass' : 'fail' }) : null));
    holder.appendChild(el('details', {}, el('summary', { text: 'Values' }),
      el('table', {}, el('thead', {}, el('tr', {}, el('th', { text: 'Time' }), series.map(s => el('th', { text: s.label })), records ? el('th', { text: 'Result' }) : null)), el('tbody', {}, rows))));
    if (typeof uPlot === 'undefined') return;
    const failColor = cssVar('--bad');
    const okColor = cssVar('--ok');
    const opts = {
      width, height: 200,
      scales: { x: { time: true } },
      axes: [{ stroke: cssVar('--muted'), grid: { stroke: cssVar('--line') } }, { stroke: cssVar('--muted'), grid: { stroke: cssVar('--line') } }],
      series: [{}].concat(series.map(s => ({
        label: s.label, stroke: s.stroke, width: 2, dash: s.dash, spanGaps: false,
        points: s.points ? { show: true, size: 8, stroke: (u, si) => s.stroke, fill: (u, si) => s.stroke } : { show: !s.dash },
      }))),
      hooks: records ? {
        // a failed check is a red dot over its point
        draw: [u => {
          const ctx = u.ctx;
          records.forEach((r, k) => {
            const v = series[0].values[k];
            if (v == null) return;
            const cx = u.valToPos(xs[k], 'x', true);
            const cy = u.valToPos(v, 'y', true);
            ctx.beginPath();
            ctx.fillStyle = r.passed ? okColor : failColor;
            ctx.arc(cx, cy, 4 * devicePixelRatio, 0, 2 * Math.PI);
            ctx.fill();
          });
        }],
      } : {},
    };
    charts.push(new uPlot(opts, [xs].concat(series.map(s => s.values)), plot));
  }

  const loadEvents = () => M.events(base + '/events');

  live({ canary: e => { if (e.namespace === ns && e.name === name) load(); } }, 250);
  load();
})();
