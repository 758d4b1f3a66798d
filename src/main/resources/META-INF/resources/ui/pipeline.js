// The Pipeline page: stages left to right, each with its revision, phase, candidate, approvals and
// what it waits for; Approve and Reject; quarantined revisions (lift); history; Events.
'use strict';
(() => {
  const { el, badge, short, when, ago, api, live, table, cells, section, message } = M;
  const root = document.getElementById('pipeline');
  const ns = root.dataset.namespace;
  const name = root.dataset.name;
  const base = '/api/v1/pipelines/' + encodeURIComponent(ns) + '/' + encodeURIComponent(name);

  async function load() {
    const r = await api('GET', base);
    if (!r.ok) {
      section('stages').appendChild(el('p', { class: 'problem error', text: r.status === 404 ? 'No Pipeline ' + ns + '/' + name + '.' : 'Cannot load the Pipeline.' }));
      return;
    }
    render(r.data);
    loadEvents();
  }

  function render(p) {
    const spec = p.spec || {};
    const s = p.status || {};
    const problem = section('problem');
    for (const c of s.conditions || []) {
      if ((c.type === 'Ready' && c.status === 'False') || (c.type !== 'Ready' && c.status === 'True' && /Invalid|Error|Failed/.test(c.reason || ''))) {
        problem.appendChild(el('div', { class: 'problem error', role: 'status' }, el('b', { text: (c.reason || c.type) + ': ' }), c.message || ''));
      }
    }
    const box = section('stages');
    const stages = spec.stages || [];
    stages.forEach((st, i) => {
      const status = (s.stages || []).find(x => x.name === st.name) || {};
      if (i > 0) box.appendChild(el('div', { class: 'arrow', 'aria-hidden': 'true', text: '→' }));
      box.appendChild(stage(st, status));
    });
    const q = section('quarantine');
    const quarantined = s.quarantine || [];
    if (!quarantined.length) q.appendChild(el('p', { class: 'muted', text: 'None.' }));
    else {
      const h = ['Revision', 'Stage', 'Why', 'When', 'Revert', ''];
      q.appendChild(table(h, quarantined.map(x => el('tr', { dataset: { revision: x.revision } }, cells(h, [
        el('code', { text: short(x.revision), title: x.revision }), x.stage || '', x.reason || '', when(x.at),
        x.revertCommit ? ['commit ', el('code', { text: short(x.revertCommit) })] : (x.revertMessage || ''),
        el('button', { type: 'button', class: 'lift-button', text: 'Lift', onclick: () => lift(x.revision) }),
      ])))));
    }
    const hb = section('history');
    const rows = [];
    for (const st of s.stages || []) for (const e of st.history || []) rows.push([st.name, e]);
    rows.sort((a, b) => (b[1].promotedAt || '').localeCompare(a[1].promotedAt || ''));
    if (!rows.length) hb.appendChild(el('p', { class: 'muted', text: 'Nothing promoted yet.' }));
    else {
      const h = ['Stage', 'Revision', 'When', 'Approved by', 'Result', 'Message'];
      hb.appendChild(table(h, rows.map(([stName, e]) => el('tr', {}, cells(h, [stName, el('code', { text: short(e.revision), title: e.revision }), when(e.promotedAt), (e.approvedBy || []).join(', '), badge(e.result || ''), e.message || ''])))));
    }
  }

  function stage(st, status) {
    const required = (st.approvals && st.approvals.required) || 0;
    const approvers = (st.approvals && st.approvals.approvers) || [];
    const cand = status.candidate;
    const card = el('section', { class: 'stage', id: 'stage-' + st.name, dataset: { stage: st.name, phase: status.phase || 'Unknown' }, 'aria-label': 'stage ' + st.name },
      el('h3', {}, st.name + ' ', badge(status.phase || 'Unknown', 'phase')),
      el('div', { class: 'small' }, 'Application ', el('a', { href: '/applications/' + encodeURIComponent(ns) + '/' + encodeURIComponent(st.application), text: st.application })),
      el('div', { class: 'revision' }, 'Revision ', status.revision ? el('code', { text: short(status.revision), title: status.revision }) : el('span', { class: 'muted', text: 'none' })),
      status.promotedAt ? el('div', { class: 'small muted', text: 'promoted ' + ago(status.promotedAt) + ' ago' }) : null,
      status.waitingFor ? el('div', { class: 'waiting' }, el('b', { text: 'Waiting for: ' }), status.waitingFor) : null,
      status.summary ? el('div', { class: 'small muted', text: status.summary }) : null,
      required ? el('div', { class: 'small', text: 'Needs ' + required + ' approval' + (required > 1 ? 's' : '') + (approvers.length ? ' from ' + approvers.join(', ') : '') }) : null,
      st.analysis && st.analysis.canaries && st.analysis.canaries.length
        ? el('div', { class: 'small' }, 'Verified by ', st.analysis.canaries.map((c, k) => [k ? ', ' : '', el('a', { href: '/canaries/' + encodeURIComponent(ns) + '/' + encodeURIComponent(c), text: c })])) : null);
    if (cand && cand.revision) {
      const approvals = cand.approvals || [];
      const who = [...new Set(approvals.map(a => a.by))];
      const comment = el('input', { type: 'text', class: 'comment', 'aria-label': 'comment for ' + st.name, placeholder: 'comment (optional)' });
      card.appendChild(el('div', { class: 'candidate panel' },
        el('div', {}, 'Candidate ', el('code', { text: short(cand.revision), title: cand.revision }), cand.since ? el('span', { class: 'muted small', text: ' since ' + ago(cand.since) }) : ''),
        el('div', { class: 'approvals' }, 'Approvals: ' + who.length + (required ? '/' + required : '') + (who.length ? ' (' + who.join(', ') + ')' : '')),
        cand.rejectedBy ? el('div', { class: 'problem error', text: 'Rejected by ' + cand.rejectedBy.by + (cand.rejectedBy.comment ? ': ' + cand.rejectedBy.comment : '') }) : null,
        required && !cand.rejectedBy ? el('div', { class: 'actions' }, comment,
          el('button', { type: 'button', class: 'primary approve-button', text: 'Approve', onclick: () => decide(st.name, cand.revision, comment.value, true) }),
          el('button', { type: 'button', class: 'danger reject-button', text: 'Reject', onclick: () => decide(st.name, cand.revision, comment.value, false) })) : null));
    }
    return card;
  }

  async function decide(stageName, revision, comment, approve) {
    const body = { revision };
    if (comment) body.comment = comment;
    const r = await api('POST', base + '/stages/' + encodeURIComponent(stageName) + (approve ? '/approvals' : '/rejections'), body);
    if (r.ok) {
      message('info', (approve ? 'Approved ' : 'Rejected ') + short(revision) + ' for ' + stageName + '.');
      render(r.data);
    }
  }

  async function lift(revision) {
    if (!confirm('Lift the quarantine of ' + short(revision) + '? It may be a candidate again.')) return;
    const r = await api('DELETE', base + '/quarantine/' + encodeURIComponent(revision));
    if (r.ok) { message('info', 'Quarantine of ' + short(revision) + ' lifted.'); render(r.data); }
  }

  const loadEvents = () => M.events(base + '/events');

  live({ pipeline: e => { if (e.namespace === ns && e.name === name) load(); } }, 250);
  load();
})();
