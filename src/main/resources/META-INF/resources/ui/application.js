// The Application page: summary, problem, resources by wave and kind with their diffs, the live
// operation per resource, history with rollback, conditions and Events; Sync, Refresh, Terminate.
'use strict';
(() => {
  const { el, badge, short, when, ago, api, live, table, cells, section, message } = M;
  const root = document.getElementById('application');
  const ns = root.dataset.namespace;
  const name = root.dataset.name;
  const base = '/api/v1/applications/' + encodeURIComponent(ns) + '/' + encodeURIComponent(name);
  let app = null;
  let diffs = null; // the last GET .../diff, dropped when the Application changes
  let openDiff = null; // key of the resource whose diff is shown

  const ref = r => JSON.stringify({ group: r.group || '', kind: r.kind, namespace: r.namespace || '', name: r.name });
  const keyOf = r => [r.group || '', r.kind, r.namespace || '', r.name].join('/');
  const objName = r => (r.namespace ? r.namespace + '/' : '') + r.name;

  async function load() {
    const r = await api('GET', base);
    if (!r.ok) {
      section('summary').appendChild(el('p', { class: 'problem error', text: r.status === 404 ? 'No Application ' + ns + '/' + name + '.' : 'Cannot load the Application.' }));
      return;
    }
    app = r.data;
    diffs = null;
    render();
    if (openDiff) showDiff(openDiff);
    loadEvents();
  }

  function render() {
    const s = app.status || {};
    const sync = (s.sync && s.sync.status) || 'Unknown';
    const health = (s.health && s.health.status) || 'Unknown';
    section('badges').append(badge(sync, 'sync'), ' ', badge(health, 'health'));
    renderProblem(s);
    renderSummary(s);
    renderOperation(s);
    renderResources(s);
    renderHistory(s);
    renderConditions(s);
    const running = (s.operationState && s.operationState.phase === 'Running') || app.operation;
    document.getElementById('terminate-button').disabled = !running;
    document.getElementById('sync-button').disabled = !!running;
  }

  function renderProblem(s) {
    const box = section('problem');
    const ready = (s.conditions || []).find(c => c.type === 'Ready' && c.status === 'False');
    if (!ready) return;
    const notYet = ['OutOfSync', 'Progressing', 'Suspended', 'Missing', 'Unknown', 'AwaitingPromotion'];
    box.appendChild(el('div', { class: 'problem ' + (notYet.includes(ready.reason) ? 'warning' : 'error'), role: 'status' },
      el('b', { text: ready.reason + ': ' }), ready.message || '',
      ready.lastTransitionTime ? el('span', { class: 'muted', text: ' (for ' + ago(ready.lastTransitionTime) + ')' }) : null));
  }

  function renderSummary(s) {
    const src = (app.spec && app.spec.source) || {};
    const auto = app.spec && app.spec.syncPolicy && app.spec.syncPolicy.automated;
    const commit = s.sync && s.sync.commit;
    const rows = [
      ['Repository', el('code', { text: src.repoURL || '' })],
      ['Path', src.path || (src.chart ? 'chart ' + src.chart : '/')],
      ['Target revision', src.targetRevision || 'HEAD'],
      ['Revision', s.sync && s.sync.revision
        ? [el('code', { text: short(s.sync.revision), title: s.sync.revision }),
          commit ? ' ' + (commit.subject || '') : '',
          commit ? el('span', { class: 'muted', text: ' — ' + (commit.author || '') + (commit.date ? ', ' + ago(commit.date) + ' ago' : '') }) : '']
        : el('span', { class: 'muted', text: 'none yet' })],
      ['Health', [(s.health && s.health.status) || 'Unknown', s.health && s.health.message ? el('span', { class: 'muted', text: ' — ' + s.health.message }) : '']],
      ['Source', [s.sourceType || '', s.renderedBy ? ' (' + s.renderedBy + ')' : '']],
      ['Automated sync', auto ? 'on' + (auto.prune ? ', prune' : '') + (auto.selfHeal ? ', self-heal' : '') : 'off'],
      ['Destination namespace', (app.spec.destination && app.spec.destination.namespace) || ns],
      ['Last compared', s.reconciledAt ? when(s.reconciledAt) : ''],
    ];
    section('summary').appendChild(el('dl', { class: 'summary' }, rows.map(([k, v]) => [el('dt', { text: k }), el('dd', {}, v)])));
  }

  function renderOperation(s) {
    const box = section('operation');
    const op = s.operationState;
    if (app.operation && (!op || op.phase !== 'Running')) {
      box.appendChild(el('p', {}, badge('Pending'), ' requested by ' + ((app.operation.initiatedBy || {}).username || '?') + '; the controller picks it up'));
    }
    if (!op) {
      if (!app.operation) box.appendChild(el('p', { class: 'muted', text: 'No operation yet.' }));
      return;
    }
    const who = op.operation && op.operation.initiatedBy ? (op.operation.initiatedBy.username || (op.operation.initiatedBy.automated ? 'automated' : '')) : '';
    box.appendChild(el('p', { id: 'operation-phase' }, badge(op.phase), ' ', op.message || '',
      el('span', { class: 'muted', text: (who ? ' · by ' + who : '') + ' · started ' + when(op.startedAt) + (op.finishedAt ? ' · finished ' + when(op.finishedAt) : '') })));
    const results = (op.syncResult && op.syncResult.resources) || [];
    if (results.length) {
      const h = ['Kind', 'Name', 'Action', 'Message'];
      box.appendChild(table(h, results.map(r => el('tr', { dataset: { key: keyOf(r) } },
        cells(h, [r.kind + (r.hookType ? ' (' + r.hookType + ' hook)' : ''), objName(r), badge(r.action === 'failed' ? 'Failed' : r.action, 'action'), r.message || ''])))));
    }
  }

  function renderResources(s) {
    const box = section('resources');
    const resources = s.resources || [];
    // what is ticked stays ticked when the Application changes while the form is open
    const ticked = new Set([...document.querySelectorAll('#sync-resources input:checked')].map(i => i.value));
    const picker = section('sync-resources');
    if (!resources.length) {
      box.appendChild(el('p', { class: 'muted', text: 'No managed resources yet.' }));
      return;
    }
    // grouped by wave, then kind, as the sync applies them
    const groups = new Map();
    for (const r of resources) {
      const g = 'Wave ' + (r.wave || 0) + ' · ' + r.kind;
      if (!groups.has(g)) groups.set(g, { wave: r.wave || 0, kind: r.kind, items: [] });
      groups.get(g).items.push(r);
    }
    const ordered = [...groups.entries()].sort((a, b) => a[1].wave - b[1].wave || a[1].kind.localeCompare(b[1].kind));
    const h = ['Name', 'Sync', 'Health', 'Message', ''];
    const rows = [];
    for (const [label, g] of ordered) {
      rows.push(el('tr', { class: 'group' }, el('th', { colspan: '5', scope: 'rowgroup', text: label + ' (' + g.items.length + ')' })));
      for (const r of g.items) {
        const key = keyOf(r);
        const sync = r.requiresPruning ? 'OutOfSync' : r.status;
        rows.push(el('tr', { class: 'resource', dataset: { key, kind: r.kind, name: r.name } }, cells(h, [
          objName(r),
          [badge(sync, 'sync'), r.requiresPruning ? el('span', { class: 'small muted', text: ' requires pruning' }) : ''],
          r.health ? badge(r.health.status, 'health') : '',
          [r.message || '', r.health && r.health.message ? el('div', { class: 'muted small', text: r.health.message }) : ''],
          el('button', { type: 'button', class: 'diff-button', 'aria-controls': 'diff-panel', text: 'Diff', onclick: () => showDiff(key) }),
        ])));
      }
      for (const r of g.items) {
        picker.appendChild(el('label', { style: 'display:block' },
          el('input', { type: 'checkbox', name: 'resource', value: ref(r), checked: ticked.has(ref(r)) }),
          ' ' + r.kind + ' ' + objName(r)));
      }
    }
    box.appendChild(table(h, rows));
  }

  async function showDiff(key) {
    openDiff = key;
    const panel = document.getElementById('diff-panel');
    panel.hidden = false;
    const box = section('diff');
    box.appendChild(el('p', { class: 'muted', text: 'Comparing…' }));
    if (!diffs) {
      const r = await api('GET', base + '/diff');
      if (!r.ok) { section('diff').appendChild(el('p', { class: 'problem error', text: 'The diff is not available.' })); return; }
      diffs = r.data;
    }
    const d = (diffs.resources || []).find(x => keyOf(x) === key);
    const out = section('diff');
    const [group, kind, namespace, rname] = key.split('/');
    out.appendChild(el('h3', { text: kind + ' ' + (namespace ? namespace + '/' : '') + rname + (group ? ' (' + group + ')' : '') }));
    if (!d) { out.appendChild(el('p', { class: 'muted', text: 'Not in the comparison of ' + short(diffs.revision) + '.' })); return; }
    out.appendChild(el('p', {}, badge(d.status, 'sync'), ' desired (Git, ' + short(diffs.revision) + ') against live; Secret values are masked and fields the server fills in are not differences'));
    if (d.diff) {
      const pre = el('pre', { class: 'diff', tabindex: '0', 'aria-label': 'unified diff' });
      for (const line of d.diff.split('\n')) {
        const cls = line.startsWith('+') && !line.startsWith('+++') ? 'add' : line.startsWith('-') && !line.startsWith('---') ? 'del' : line.startsWith('@@') ? 'hunk' : '';
        pre.appendChild(el('span', { class: cls }, line));
        if (!cls) pre.appendChild(document.createTextNode('\n'));
      }
      out.appendChild(pre);
    } else {
      out.appendChild(el('p', { class: 'muted', text: 'No difference.' }));
    }
    out.appendChild(el('details', {}, el('summary', { text: 'Desired and live objects' }),
      el('h4', { text: 'Desired' }), el('pre', { class: 'diff', text: d.desired ? JSON.stringify(d.desired, null, 2) : '(not in Git: requires pruning)' }),
      el('h4', { text: 'Live' }), el('pre', { class: 'diff', text: d.live ? JSON.stringify(d.live, null, 2) : '(missing)' })));
    out.appendChild(el('button', { type: 'button', text: 'Close diff', onclick: () => { openDiff = null; panel.hidden = true; } }));
  }

  function renderHistory(s) {
    const box = section('history');
    const history = (s.history || []).slice().reverse();
    if (!history.length) { box.appendChild(el('p', { class: 'muted', text: 'Nothing deployed yet.' })); return; }
    const automated = app.spec && app.spec.syncPolicy && app.spec.syncPolicy.automated;
    const h = ['#', 'Revision', 'When', 'By', 'Result', ''];
    box.appendChild(table(h, history.map(e => {
      const failed = e.result && e.result !== 'Succeeded';
      const current = s.sync && e.revision === s.sync.revision && !failed;
      const button = el('button', {
        type: 'button', class: 'rollback-button', text: 'Rollback',
        disabled: failed || automated ? true : null,
        title: failed ? 'this sync did not deploy' : automated ? 'automated sync is on: it would undo a rollback' : null,
        onclick: () => rollback(e),
      });
      return el('tr', { dataset: { id: e.id } }, cells(h, [
        String(e.id),
        [el('code', { text: short(e.revision), title: e.revision }), e.subject ? ' ' + e.subject : '', current ? el('span', { class: 'muted', text: ' (current)' }) : ''],
        when(e.deployedAt),
        e.initiatedBy || 'automated',
        [badge(e.result || 'Succeeded'), e.message ? el('div', { class: 'small muted', text: e.message }) : ''],
        button,
      ]));
    })));
    if (automated) box.appendChild(el('p', { class: 'muted small', text: 'Rollback needs automated sync off: the next auto-sync would undo it.' }));
  }

  function renderConditions(s) {
    const box = section('conditions');
    const conditions = s.conditions || [];
    if (!conditions.length) { box.appendChild(el('p', { class: 'muted', text: 'None.' })); return; }
    const h = ['Type', 'Status', 'Reason', 'Message', 'Since'];
    box.appendChild(table(h, conditions.map(c => el('tr', {}, cells(h, [c.type, c.status, c.reason || '', c.message || '', c.lastTransitionTime ? ago(c.lastTransitionTime) : ''])))));
  }

  const loadEvents = () => M.events(base + '/events');

  async function rollback(entry) {
    if (!confirm('Roll back ' + ns + '/' + name + ' to ' + short(entry.revision) + (entry.subject ? ' (' + entry.subject + ')' : '') + '?')) return;
    const r = await api('POST', base + '/rollback', { id: entry.id });
    if (r.ok) message('info', 'Rollback to ' + short(entry.revision) + ' requested.');
    load();
  }

  // ---- actions ----
  const form = document.getElementById('sync-form');
  document.getElementById('sync-button').addEventListener('click', () => {
    form.hidden = false;
    section('dry-run');
    form.querySelector('input[name=prune]').focus();
  });
  document.getElementById('sync-cancel').addEventListener('click', () => { form.hidden = true; });
  form.addEventListener('submit', async ev => {
    ev.preventDefault();
    const body = {};
    if (form.prune.checked) body.prune = true;
    if (form.dryRun.checked) body.dryRun = true;
    if (form.selected.checked) {
      body.resources = [...form.querySelectorAll('input[name=resource]:checked')].map(i => JSON.parse(i.value));
      if (!body.resources.length) { message('error', 'Tick at least one resource, or untick "Only the resources ticked below".'); return; }
    }
    const r = await api('POST', base + '/sync', body);
    if (!r.ok) return;
    if (body.dryRun) {
      const h = ['Kind', 'Name', 'Action', 'Message'];
      const out = section('dry-run');
      out.appendChild(el('h3', { text: 'Dry run of ' + short(r.data.revision) + ': nothing was written' }));
      out.appendChild(table(h, (r.data.resources || []).map(p => el('tr', {}, cells(h, [p.kind, objName(p), p.action, p.message || ''])))));
      return;
    }
    form.hidden = true;
    message('info', 'Sync requested.');
    load();
  });
  document.getElementById('refresh-button').addEventListener('click', async () => {
    const r = await api('POST', base + '/refresh');
    if (r.ok) message('info', 'Refreshing: Git is fetched and compared now.');
  });
  document.getElementById('terminate-button').addEventListener('click', async () => {
    if (!confirm('Stop the running sync of ' + ns + '/' + name + '?')) return;
    const r = await api('DELETE', base + '/operation');
    if (r.ok) message('info', 'Terminating the running sync.');
    load();
  });

  live({ application: e => { if (e.namespace === ns && e.name === name) load(); } }, 250);
  load();
})();
