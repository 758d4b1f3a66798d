// Shared by Mooring's pages: DOM helpers (text only: never HTML from the server's data), the API
// with the person's token (kept for this browser session only), messages, and the event stream.
'use strict';
const M = (() => {
  const TOKEN = 'mooring.token';

  function el(tag, props, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(props || {})) {
      if (v == null || v === false) continue;
      if (k === 'text') e.textContent = v;
      else if (k === 'class') e.className = v;
      else if (k.startsWith('on')) e.addEventListener(k.substring(2), v);
      else if (k === 'dataset') Object.assign(e.dataset, v);
      else e.setAttribute(k, v === true ? '' : v);
    }
    for (const c of children.flat(Infinity)) {
      if (c == null || c === false) continue;
      e.appendChild(typeof c === 'string' || typeof c === 'number' ? document.createTextNode(String(c)) : c);
    }
    return e;
  }

  function badge(text, extra) {
    const t = text || 'Unknown';
    return el('span', { class: 'badge ' + t + (extra ? ' ' + extra : ''), text: t });
  }

  const short = sha => (sha ? sha.substring(0, 7) : '');

  function ago(iso) {
    if (!iso) return '';
    const t = Date.parse(iso);
    if (isNaN(t)) return iso;
    const s = Math.max(0, Math.round((Date.now() - t) / 1000));
    return s < 60 ? s + ' s' : s < 3600 ? Math.floor(s / 60) + ' min' : s < 86400 ? Math.floor(s / 3600) + ' h' : Math.floor(s / 86400) + ' d';
  }

  function when(iso) {
    if (!iso) return '';
    const d = new Date(iso);
    return isNaN(d) ? iso : d.toLocaleString() + ' (' + ago(iso) + ' ago)';
  }

  // ---- messages ----
  function message(kind, text) {
    const box = document.getElementById('messages');
    if (!box) return;
    const m = el('div', { class: 'message ' + kind, role: kind === 'error' ? 'alert' : 'status' },
      el('span', { text }),
      el('button', { type: 'button', text: 'Dismiss', onclick: () => m.remove() }));
    box.appendChild(m);
    while (box.children.length > 3) box.firstElementChild.remove(); // the newest three
    if (kind !== 'error') setTimeout(() => m.remove(), 8000);
    return m;
  }

  // ---- token ----
  function token() { return sessionStorage.getItem(TOKEN); }
  function showTokenForm() {
    const form = document.getElementById('token-form');
    if (!form) return;
    form.hidden = false;
    form.querySelector('input').focus();
  }
  function setupToken() {
    const form = document.getElementById('token-form');
    const button = document.getElementById('token-button');
    if (!form || !button) return;
    const label = () => { button.textContent = token() ? 'Token set' : 'Set token'; };
    label();
    button.addEventListener('click', () => { form.hidden ? showTokenForm() : (form.hidden = true); });
    form.addEventListener('submit', ev => {
      ev.preventDefault();
      const v = form.querySelector('input').value.trim();
      if (v) sessionStorage.setItem(TOKEN, v); else sessionStorage.removeItem(TOKEN);
      form.querySelector('input').value = '';
      form.hidden = true;
      label();
      message('info', v ? 'Token kept for this browser session.' : 'Token forgotten.');
    });
    form.querySelector('.forget').addEventListener('click', () => {
      sessionStorage.removeItem(TOKEN);
      form.hidden = true;
      label();
      message('info', 'Token forgotten.');
    });
  }

  // ---- the API ----
  async function api(method, path, body) {
    const headers = { Accept: 'application/json' };
    const t = token();
    if (t) headers.Authorization = 'Bearer ' + t;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    let res;
    try {
      res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    } catch (e) {
      message('error', 'Cannot reach Mooring: ' + e.message);
      return { status: 0, ok: false, data: null };
    }
    const text = await res.text();
    let data = null;
    try { data = text ? JSON.parse(text) : null; } catch (e) { data = { message: text }; }
    if (!res.ok) {
      const what = (data && data.message) || res.statusText;
      if (res.status === 401) {
        message('error', '401 Unauthorized: ' + what + '. Set a token with the rights for this.');
        showTokenForm();
      } else if (res.status === 403) {
        message('error', '403 Forbidden: ' + what);
      } else {
        message('error', res.status + ' ' + ((data && data.error) || '') + ': ' + what);
      }
    }
    return { status: res.status, ok: res.ok, data };
  }

  // ---- live: the event stream, coalesced (a burst of changes is one update per object) ----
  function live(handlers, delay) {
    const status = document.getElementById('live');
    const pending = new Map();
    let timer = null;
    const flush = () => {
      timer = null;
      const batch = [...pending.values()];
      pending.clear();
      for (const [type, data] of batch) {
        try { handlers[type](data); } catch (e) { console.error(e); }
      }
    };
    const source = new EventSource('/api/v1/events');
    source.onopen = () => { if (status) status.textContent = 'live'; };
    source.onerror = () => { if (status) status.textContent = 'reconnecting…'; };
    for (const type of Object.keys(handlers)) {
      source.addEventListener(type, ev => {
        const data = JSON.parse(ev.data);
        pending.set(type + ':' + data.namespace + '/' + data.name, [type, data]);
        if (!timer) timer = setTimeout(flush, delay == null ? 150 : delay);
      });
    }
    return source;
  }

  function table(headers, rows, cls) {
    return el('table', { class: cls || 'responsive' },
      el('thead', {}, el('tr', {}, headers.map(h => el('th', { scope: 'col', text: h })))),
      el('tbody', {}, rows));
  }

  function cells(headers, values) {
    return values.map((v, i) => el('td', { 'data-label': headers[i] }, v));
  }

  function section(id) {
    const s = document.getElementById(id);
    s.replaceChildren();
    return s;
  }

  // the Events of an object, newest first, into the section "events"
  async function events(url) {
    const r = await fetch(url, { headers: token() ? { Authorization: 'Bearer ' + token() } : {} });
    const box = section('events');
    if (!r.ok) { box.appendChild(el('p', { class: 'muted', text: 'Events are not available (' + r.status + ').' })); return; }
    const list = (await r.json()).slice().reverse();
    if (!list.length) { box.appendChild(el('p', { class: 'muted', text: 'None.' })); return; }
    const h = ['Type', 'Reason', 'Message', 'Count', 'Last'];
    box.appendChild(table(h, list.map(e => el('tr', {}, cells(h, [
      badge(e.type === 'Warning' ? 'Warning' : 'Normal', e.type === 'Warning' ? 'warning' : ''),
      e.reason || '', e.message || '', String(e.count || 1), ago(e.lastTimestamp) + ' ago'])))));
  }

  document.addEventListener('DOMContentLoaded', setupToken);
  return { el, badge, short, ago, when, message, token, api, live, table, cells, section, events };
})();
