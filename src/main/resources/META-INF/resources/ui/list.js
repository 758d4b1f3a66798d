// The list page: filters, and the rows kept current from the event stream (coalesced).
'use strict';
(() => {
  const { el, badge, short, ago, live } = M;
  const body = document.querySelector('#apps tbody');
  const text = document.getElementById('filter-text');
  const sync = document.getElementById('filter-sync');
  const health = document.getElementById('filter-health');
  const errors = document.getElementById('filter-error');
  const count = document.getElementById('filter-count');

  function matches(tr) {
    const q = text.value.trim().toLowerCase();
    return (!q || tr.dataset.key.toLowerCase().includes(q))
      && (!sync.value || tr.dataset.sync === sync.value)
      && (!health.value || tr.dataset.health === health.value)
      && (!errors.checked || tr.dataset.error === '1');
  }
  function filter() {
    let shown = 0;
    const rows = body.querySelectorAll('tr[data-key]');
    for (const tr of rows) {
      const ok = matches(tr);
      tr.hidden = !ok;
      if (ok) shown++;
    }
    const active = text.value || sync.value || health.value || errors.checked;
    count.textContent = active ? shown + ' of ' + rows.length + ' shown' : '';
    document.getElementById('app-count').textContent = String(rows.length);
  }
  for (const input of [text, sync, health, errors]) input.addEventListener('input', filter);
  const params = new URLSearchParams(location.search);
  if (params.get('q')) text.value = params.get('q');
  if (params.get('sync')) sync.value = params.get('sync');
  if (params.get('health')) health.value = params.get('health');
  if (params.get('errors')) errors.checked = true;
  filter();

  function problem(p) {
    if (!p) return null;
    return el('div', { class: 'problem ' + p.severity, role: 'status' }, el('b', { text: p.reason + ': ' }), p.message || '',
      p.since ? el('span', { class: 'muted since', 'data-since': p.since, text: ' (for ' + ago(p.since) + ')' }) : null);
  }

  function row(e) {
    const id = 'app-' + e.namespace + '-' + e.name;
    let tr = document.getElementById(id);
    if (e.deleted) { if (tr) tr.remove(); filter(); return; }
    if (!tr) {
      const empty = body.querySelector('tr.empty');
      if (empty) empty.remove();
      const labels = ['Application', 'Repository', 'Revision', 'Sync', 'Health', 'Last operation'];
      tr = el('tr', { id, dataset: { key: e.namespace + '/' + e.name } }, labels.map(l => el('td', { 'data-label': l })));
      tr.children[0].append(el('a', { class: 'app-link', href: '/applications/' + encodeURIComponent(e.namespace) + '/' + encodeURIComponent(e.name) }, e.namespace + '/', el('b', { text: e.name })),
        el('div', { class: 'problem-cell' }));
      tr.children[1].className = 'muted';
      tr.children[2].className = 'revision';
      tr.children[5].className = 'operation';
      body.appendChild(tr);
    }
    tr.dataset.sync = e.sync || 'Unknown';
    tr.dataset.health = e.health || 'Unknown';
    tr.dataset.error = e.problem && e.problem.severity === 'error' ? '1' : '';
    tr.querySelector('.problem-cell').replaceChildren(...[problem(e.problem)].filter(Boolean));
    const rev = tr.children[2];
    rev.replaceChildren();
    if (e.revision) {
      rev.append(el('code', { title: e.revision, text: short(e.revision) }));
      if (e.commit) rev.append(' ', el('span', { class: 'subject', text: e.commit.subject || '' }), ' ', el('span', { class: 'muted author', text: e.commit.author || '' }));
    }
    tr.children[3].replaceChildren(badge(e.sync || 'Unknown', 'sync'));
    tr.children[4].replaceChildren(badge(e.health || 'Unknown', 'health'),
      ...(e.healthMessage ? [el('div', { class: 'muted small health-message', text: e.healthMessage })] : []));
    const op = tr.children[5];
    op.replaceChildren();
    if (e.operationPhase) op.append(badge(e.operationPhase), ' ', el('span', { class: 'muted', text: e.operationMessage || '' }));
    tr.hidden = !matches(tr);
  }

  // a canary event carries phase, weight and failed checks: the rest stays as rendered
  const canaryBody = document.querySelector('#canary-table tbody');
  function canaryRow(e) {
    const id = 'canary-' + e.namespace + '-' + e.name;
    let tr = document.getElementById(id);
    if (e.deleted) { if (tr) tr.remove(); return; }
    if (!tr) {
      const empty = canaryBody.querySelector('tr.empty');
      if (empty) empty.remove();
      const cols = [['Canary', ''], ['Target', 'target'], ['Router', 'provider'], ['Phase', 'phase'], ['Weight', 'weight'], ['Failed checks', 'failed'], ['Last check', 'check'], ['Message', 'message muted']];
      tr = el('tr', { id, dataset: { key: e.namespace + '/' + e.name } }, cols.map(([l, c]) => el('td', { 'data-label': l, class: c || null })));
      tr.children[0].append(el('a', { class: 'canary-link', href: '/canaries/' + encodeURIComponent(e.namespace) + '/' + encodeURIComponent(e.name) }, e.namespace + '/', el('b', { text: e.name })));
      canaryBody.appendChild(tr);
    }
    tr.querySelector('.phase').replaceChildren(badge(e.phase || 'Unknown', 'phase'));
    tr.querySelector('.weight').textContent = e.canaryWeight == null ? '' : e.canaryWeight + '%';
    const failed = e.failedChecks == null ? 0 : e.failedChecks;
    const threshold = tr.dataset.threshold;
    tr.querySelector('.failed').textContent = threshold ? failed + '/' + threshold : String(failed);
  }

  const pipelineBody = document.querySelector('#pipeline-table tbody');
  function pipelineRow(e) {
    const id = 'pipeline-' + e.namespace + '-' + e.name;
    let tr = document.getElementById(id);
    if (e.deleted) { if (tr) tr.remove(); return; }
    if (!tr) {
      const empty = pipelineBody.querySelector('tr.empty');
      if (empty) empty.remove();
      tr = el('tr', { id, dataset: { key: e.namespace + '/' + e.name } },
        el('td', { 'data-label': 'Pipeline' }, el('a', { class: 'pipeline-link', href: '/pipelines/' + encodeURIComponent(e.namespace) + '/' + encodeURIComponent(e.name) }, e.namespace + '/', el('b', { text: e.name }))),
        el('td', { 'data-label': 'Stages', class: 'stages-cell' }), el('td', { 'data-label': 'Quarantined', class: 'quarantined' }));
      pipelineBody.appendChild(tr);
    }
    const cell = tr.querySelector('.stages-cell');
    cell.replaceChildren();
    (e.stages || []).forEach((st, i) => {
      if (i) cell.append(' → ');
      cell.append(el('span', { class: 'stage-summary', text: st.name + ': ' + (st.phase || 'Unknown') + (st.revision ? ' ' + short(st.revision) : '') }));
    });
    tr.querySelector('.quarantined').textContent = String((e.quarantined || []).length);
  }

  live({ application: row, canary: canaryRow, pipeline: pipelineRow }, 200);
  // the "for 5 min" of each problem stays true
  setInterval(() => {
    for (const s of document.querySelectorAll('.since[data-since]')) if (s.dataset.since) s.textContent = ' (for ' + ago(s.dataset.since) + ')';
  }, 30000);
})();
