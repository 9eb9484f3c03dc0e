// Canopy dashboard: renders the node's Server-Sent Events feed (/api/stream). Hand-written, no
// libraries; every value from the network is inserted as text, never as HTML.
'use strict';

const HISTORY = 120;          // chart points kept per topic (one per snapshot)
const FEED_MAX = 100;         // items kept in each feed
const $ = (id) => document.getElementById(id);
const state = { topics: [], previous: null, series: {}, tokenRequired: false };

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === 'class') node.className = v; else if (k.startsWith('data-')) node.setAttribute(k, v); else node[k] = v;
  }
  for (const c of children) node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return node;
}
const short = (id) => (id ? String(id).slice(0, 12) : '?');
const clock = (ms) => new Date(ms).toLocaleTimeString([], { hour12: false });

function bytes(n) {
  if (n == null || !isFinite(n)) return '–';
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let i = 0;
  while (Math.abs(n) >= 1000 && i < units.length - 1) { n /= 1000; i++; }
  return (i === 0 ? Math.round(n) : n.toFixed(n < 10 ? 2 : 1)) + ' ' + units[i];
}
function rate(n) { return n < 10 ? n.toFixed(1) : Math.round(n).toString(); }
function since(ms) {
  const s = Math.max(0, Math.floor((Date.now() - ms) / 1000));
  if (s < 60) return s + 's';
  if (s < 3600) return Math.floor(s / 60) + 'm ' + (s % 60) + 's';
  if (s < 86400) return Math.floor(s / 3600) + 'h ' + Math.floor((s % 3600) / 60) + 'm';
  return Math.floor(s / 86400) + 'd ' + Math.floor((s % 86400) / 3600) + 'h';
}
function sum(topics, field) {
  return Object.values(topics || {}).reduce((acc, t) => acc + (t[field] || 0), 0);
}

// ---- node facts and topics -------------------------------------------------------------------

function hello(data) {
  const node = data.node || {};
  $('node-id').textContent = node.id || '?';
  $('node-id').title = node.id || '';
  $('network').textContent = node.network || '?';
  $('listen').textContent = node.listen || '?';
  $('version').textContent = node.version || '?';
  document.title = 'Canopy ' + short(node.id) + ' · ' + (node.network || '');
  state.tokenRequired = !!data.tokenRequired;
  $('bc-token-label').hidden = !state.tokenRequired;
  if (state.topics.length === 0) setTopics(data.topics || []);
  $('messages').replaceChildren(); // a reconnect brings the backlog again
  (data.messages || []).forEach(addMessage);
}

function setTopics(topics) {
  state.topics = topics;
  const box = $('topics');
  const select = $('bc-topic');
  box.replaceChildren();
  select.replaceChildren();
  for (const t of topics) {
    state.series[t.name] = [];
    const card = el('div', { class: 'topic', 'data-topic': t.name },
      el('h3', {}, t.name, el('span', {}, t.gossip ? 'gossip' : 'direct')),
      el('div', { class: 'figures' }, '–'),
      el('canvas', { class: 'msgs', title: 'messages per second' }),
      el('canvas', { class: 'bytes', title: 'bytes per second' }));
    box.append(card);
    if (t.gossip) select.append(el('option', { value: t.name }, t.name));
  }
  $('bc-send').disabled = select.options.length === 0;
}

// ---- snapshots: peers table and topic rates ----------------------------------------------------

// The node-wide memory budget: used of budget, and what was refused or paused because it ran out.
function renderMemory(m) {
  if (!m) return;
  const pct = m.budgetBytes > 0 ? Math.round(100 * m.usedBytes / m.budgetBytes) : 0;
  let text = bytes(m.usedBytes) + ' of ' + bytes(m.budgetBytes) + ' (' + pct + ' %)';
  if (m.refusedSends > 0 || m.readPauses > 0) {
    text += ' · ' + m.refusedSends + ' sends refused, ' + m.readPauses + ' read pauses';
  }
  $('memory').textContent = text;
}

function snapshot(data) {
  renderPeers(data.peers || []);
  renderMemory(data.memory);
  const byName = {};
  for (const t of data.topics || []) byName[t.name] = t;
  const prev = state.previous;
  if (prev) {
    const dt = Math.max(0.001, (data.at - prev.at) / 1000);
    for (const name of Object.keys(state.series)) {
      const now = byName[name], before = prev.byName[name];
      if (!now || !before) continue;
      const point = {};
      for (const f of ['messagesIn', 'messagesOut', 'bytesIn', 'bytesOut']) {
        point[f] = Math.max(0, (now[f] - before[f]) / dt);
      }
      const series = state.series[name];
      series.push(point);
      if (series.length > HISTORY) series.shift();
      drawTopic(name, point, now);
    }
  }
  state.previous = { at: data.at, byName };
}

function renderPeers(peers) {
  $('peer-count').textContent = peers.length;
  $('no-peers').hidden = peers.length > 0;
  const rows = peers
    .sort((a, b) => (a.connectedSince || 0) - (b.connectedSince || 0))
    .map((p) => el('tr', { 'data-peer': p.id },
      el('td', { class: 'mono', title: p.id }, short(p.id)),
      el('td', { class: 'mono', title: p.listenAddress ? 'listens on ' + p.listenAddress : '' }, p.address || ''),
      el('td', {}, el('span', { class: 'dir ' + p.direction }, p.direction)),
      el('td', { class: 'num' }, p.reputation == null ? '–' : p.reputation),
      el('td', { class: 'num' }, p.rttMs == null ? '–' : p.rttMs.toFixed(2) + ' ms'),
      el('td', { class: 'num' }, bytes(sum(p.topics, 'bytesIn'))),
      el('td', { class: 'num' }, bytes(sum(p.topics, 'bytesOut'))),
      el('td', { title: p.connectedSince ? new Date(p.connectedSince).toISOString() : '' },
        p.connectedSince ? since(p.connectedSince) : '–')));
  document.querySelector('#peers tbody').replaceChildren(...rows);
}

function drawTopic(name, point, totals) {
  const card = document.querySelector('.topic[data-topic="' + CSS.escape(name) + '"]');
  if (!card) return;
  const lines = [
    rate(point.messagesIn) + ' / ' + rate(point.messagesOut) + ' msg/s · ' +
      bytes(point.bytesIn) + '/s / ' + bytes(point.bytesOut) + '/s',
    'total ' + totals.messagesIn + ' in, ' + totals.messagesOut + ' out'];
  const g = totals.gossipCounters; // present on gossip topics once the node reports them
  if (g) lines.push('gossip ' + g.delivered + ' delivered · ' + g.duplicate + ' dup · ' + g.forwarded + ' fwd · ' + g.dropped + ' dropped');
  const v = totals.validationCounters; // topics with validate: true
  if (v) lines.push('validation ' + v.accept + ' accepted · ' + v.reject + ' rejected · ' + v.ignore + ' ignored · ' +
    v.timeout + ' timed out · ' + v.overflow + ' overflow · ' + v.error + ' errors · ' + v.pending + ' pending');
  card.querySelector('.figures').replaceChildren(...lines.map((l) => el('div', {}, l)));
  const series = state.series[name];
  chart(card.querySelector('canvas.msgs'), series, 'messagesIn', 'messagesOut', (v) => rate(v) + '/s');
  chart(card.querySelector('canvas.bytes'), series, 'bytesIn', 'bytesOut', (v) => bytes(v) + '/s');
}

/** Two lines (in, out) on one small canvas, scaled to the larger series; the peak is labelled. */
function chart(canvas, series, inField, outField, label) {
  const ratio = window.devicePixelRatio || 1;
  const w = canvas.clientWidth, h = canvas.clientHeight;
  if (canvas.width !== Math.round(w * ratio)) { canvas.width = Math.round(w * ratio); canvas.height = Math.round(h * ratio); }
  const g = canvas.getContext('2d');
  g.setTransform(ratio, 0, 0, ratio, 0, 0);
  g.clearRect(0, 0, w, h);
  const max = Math.max(1e-9, ...series.map((p) => Math.max(p[inField], p[outField])));
  g.strokeStyle = '#e1e6ec';
  g.beginPath(); g.moveTo(0, h - 0.5); g.lineTo(w, h - 0.5); g.stroke();
  const styles = getComputedStyle(document.documentElement);
  // The window starts at half a minute and widens to HISTORY points, newest at the right edge.
  const step = w / (Math.max(series.length, HISTORY / 4) - 1);
  const x = (i) => w - (series.length - 1 - i) * step;
  const y = (v) => h - 1 - (v / max) * (h - 14);
  for (const [field, colour] of [[inField, styles.getPropertyValue('--in')], [outField, styles.getPropertyValue('--out')]]) {
    if (series.length < 2) break;
    g.beginPath();
    series.forEach((p, i) => (i === 0 ? g.moveTo(x(i), y(p[field])) : g.lineTo(x(i), y(p[field]))));
    g.strokeStyle = colour.trim();
    g.lineWidth = 1.5;
    g.stroke();
    g.lineTo(x(series.length - 1), h);
    g.lineTo(x(0), h);
    g.closePath();
    g.globalAlpha = 0.12;
    g.fillStyle = colour.trim();
    g.fill();
    g.globalAlpha = 1;
  }
  g.fillStyle = '#66768a';
  g.font = '10px system-ui, sans-serif';
  g.fillText('peak ' + label(max > 1e-6 ? max : 0), 2, 10);
}

// ---- feeds -------------------------------------------------------------------------------------

function prepend(listId, item) {
  const list = $(listId);
  list.prepend(item);
  while (list.children.length > FEED_MAX) list.lastChild.remove();
  const empty = document.querySelector('[data-empty-for="' + listId + '"]');
  if (empty) empty.hidden = true;
}

function peerEvent(e) {
  const kind = String(e.type || '').replace('peer.', '');
  const detail = [e.direction, e.address, e.reason, e.detail].filter((x) => x).join(' · ');
  prepend('events', el('li', { 'data-type': e.type || '', 'data-peer': e.peer || '' },
    el('time', {}, clock(Date.now())),
    el('span', { class: 'tag ' + kind }, kind),
    el('span', { class: 'mono', title: e.peer || '' }, short(e.peer)),
    el('span', { class: 'detail' }, detail)));
}

function addMessage(m) {
  prepend('messages', el('li', { 'data-topic': m.topic || '', 'data-peer': m.peer || '', 'data-sha256': m.sha256 || '' },
    el('time', {}, clock(m.receivedAt || Date.now())),
    el('span', { class: 'tag' }, m.topic || '?'),
    el('span', {}, 'from'),
    el('span', { class: 'mono', title: m.peer || '' }, short(m.peer)),
    el('span', {}, bytes(m.size)),
    el('span', { class: 'mono detail', title: 'SHA-256 ' + (m.sha256 || '') }, m.sha256 ? short(m.sha256) + '…' : '')));
}

// ---- broadcast form ----------------------------------------------------------------------------

async function broadcast(ev) {
  ev.preventDefault();
  const out = $('bc-result');
  const topic = $('bc-topic').value;
  const headers = { 'content-type': 'application/octet-stream' };
  if (state.tokenRequired) headers.authorization = 'Bearer ' + $('bc-token').value;
  $('bc-send').disabled = true;
  out.className = '';
  out.textContent = 'sending…';
  try {
    const res = await fetch('/api/broadcast?topic=' + encodeURIComponent(topic),
      { method: 'POST', headers, body: $('bc-payload').value });
    const body = await res.json().catch(() => ({}));
    if (res.ok) {
      out.className = 'ok';
      out.textContent = 'broadcast on ' + topic + ', message id ' + short(body.id) + '…';
      out.dataset.messageId = body.id || '';
    } else {
      out.className = 'err';
      out.textContent = res.status + ': ' + (body.error || res.statusText);
    }
  } catch (err) {
    out.className = 'err';
    out.textContent = 'failed: ' + err;
  } finally {
    $('bc-send').disabled = false;
  }
}

// ---- peer book size (polled: it changes slowly) ------------------------------------------------

async function bookSize() {
  try {
    const res = await fetch('/api/book');
    const book = res.ok ? await res.json() : null;
    $('book-size').textContent = Array.isArray(book) ? book.length : '–';
    $('book-size').title = Array.isArray(book) ? 'known peer addresses' : 'unavailable (' + res.status + ')';
  } catch (err) {
    $('book-size').textContent = '–';
  }
}

// ---- bans (polled: operator and reputation bans change slowly) -----------------------------------

async function bans() {
  try {
    const res = await fetch('/api/bans');
    const list = res.ok ? await res.json() : [];
    $('ban-count').textContent = res.ok ? String(list.length) : 'unavailable';
    const rows = list.map((b) => el('li', { class: 'mono', title: b.reason || '' },
      (b.peer ? short(b.peer) : b.ip) + ' · ' + b.source + ' · ' +
      (b.until >= 9e15 ? 'no end' : 'until ' + new Date(b.until).toLocaleTimeString())));
    $('bans').replaceChildren(...rows);
    document.querySelector('[data-empty-for="bans"]').hidden = rows.length > 0;
  } catch (err) {
    $('ban-count').textContent = 'unavailable';
  }
}

// ---- wiring --------------------------------------------------------------------------------------

function connect() {
  const live = $('live');
  const stream = new EventSource('/api/stream');
  const on = (name, fn) => stream.addEventListener(name, (m) => fn(JSON.parse(m.data)));
  on('hello', hello);
  on('snapshot', snapshot);
  on('peer-event', peerEvent);
  on('messages', (list) => list.forEach(addMessage));
  stream.onopen = () => { live.textContent = 'live'; live.className = 'live'; };
  stream.onerror = () => { live.textContent = 'reconnecting…'; live.className = 'live off'; state.previous = null; };
}

$('broadcast').addEventListener('submit', broadcast);
connect();
bookSize();
setInterval(bookSize, 5000);
bans();
setInterval(bans, 5000);
