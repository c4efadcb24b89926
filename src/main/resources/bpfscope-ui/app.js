// bpfscope's live view. Everything a process wrote (comm, filename, argv,
// pod names) reaches the page as text: it is set with textContent only,
// and the page's policy allows no inline script.
'use strict';

const TOKEN_KEY = 'bpfscope.token';
const FILTERS = ['type', 'pid', 'comm', 'namespace', 'pod', 'container'];
const MAX_ROWS = 50;
const FLUSH_MS = 250;
// More than a person reads: the daemon sends the view no more (/events?maxRate) and says how many it held back.
const VIEW_RATE = 50;
const RETRY_MS = [250, 500, 1000, 2000, 5000];

const state = {
  lastId: null,
  paused: false,
  held: [],
  heldDropped: 0,
  controller: null,
  retries: 0,
  received: 0,
  shown: 0,
  skipped: 0,
  sampled: 0,
  pending: [],
  flushing: false,
  node: null,
};

function $(id) { return document.getElementById(id); }

// C0 controls and DEL shown as their Unicode pictures, so a newline or an
// escape sequence in argv neither breaks a row nor hides what follows it.
function printable(text) {
  if (text === null || text === undefined) return '';
  return String(text).replace(/[\u0000-\u001f\u007f]/g,
    (c) => c === '\u007f' ? '\u2421' : String.fromCharCode(0x2400 + c.charCodeAt(0)));
}

function cell(row, text, className) {
  const td = document.createElement('td');
  const span = document.createElement('span');
  span.className = 'cell';
  span.textContent = printable(text);
  td.title = span.textContent;
  td.appendChild(span);
  if (className) td.className = className;
  row.appendChild(td);
}

function where(event) {
  if (event.pod) return event.pod.namespace + '/' + event.pod.name + (event.container ? '/' + event.container.name : '');
  if (event.container) return event.container.name;
  return 'host';
}

function time(event) {
  const at = event.time || '';
  return at.length >= 19 ? at.substring(11, 23) : at;
}

function result(event) {
  if (event.type === 'exec') return event.ret === 0 ? 'ok' : 'ret ' + event.ret;
  if (event.type === 'exit') {
    const lived = event.durationNs === null || event.durationNs === undefined ? '' : ' after ' + duration(event.durationNs);
    if (event.result === 'signal') return event.signal + (event.coreDumped ? ' (core)' : '') + lived;
    return 'exit ' + event.exitCode + lived;
  }
  if (event.type === 'write') return event.count + ' B to fd ' + event.fd;
  return '';
}

function duration(ns) {
  if (ns < 1e3) return ns + ' ns';
  if (ns < 1e6) return (ns / 1e3).toFixed(1) + ' µs';
  if (ns < 1e9) return (ns / 1e6).toFixed(1) + ' ms';
  return (ns / 1e9).toFixed(2) + ' s';
}

function eventRow(event) {
  const row = document.createElement('tr');
  row.className = event.type;
  if (event.type === 'exec' && event.ret !== 0) row.classList.add('failed');
  if (event.type === 'exit' && event.result !== 'success') row.classList.add(event.result === 'signal' ? 'signal' : 'failed');
  cell(row, time(event));
  cell(row, event.type);
  cell(row, where(event));
  cell(row, event.pid);
  cell(row, event.ppid);
  cell(row, event.uid);
  cell(row, event.comm);
  cell(row, event.filename);
  cell(row, Array.isArray(event.argv) ? event.argv.join(' ') + (event.argvTruncated ? ' …' : '') : '');
  cell(row, result(event), 'result');
  return row;
}

function lostRow(loss) {
  const row = document.createElement('tr');
  row.className = 'lost';
  const td = document.createElement('td');
  td.colSpan = 10;
  const count = loss.count === null || loss.count === undefined ? 'an unknown number of' : loss.count;
  const what = loss.eventType ? ' ' + loss.eventType : '';
  td.textContent = printable(time(loss) + '  ' + count + what + ' events lost: stage ' + loss.stage + ', ' + loss.reason
    + (loss.scope === 'type' ? ' (every ' + loss.eventType + ' of the node; some would not have matched)' : ''));
  row.appendChild(td);
  return row;
}

// Rows are put in a few times a second, in one frame each, and no more than
// the table keeps: each insertion lays out and paints every row again, which
// is why it keeps no more than two screens of them. At a rate no one can
// read, the view skips the older ones, and says so.
function show(row) {
  state.pending.push(row);
  if (state.pending.length > MAX_ROWS) {
    state.pending.shift();
    state.skipped++;
  }
  if (!state.flushing) {
    state.flushing = true;
    setTimeout(() => requestAnimationFrame(flush), FLUSH_MS);
  }
}

function flush() {
  state.flushing = false;
  const rows = $('rows');
  const fragment = document.createDocumentFragment();
  for (let i = state.pending.length - 1; i >= 0; i--) fragment.appendChild(state.pending[i]);
  state.shown += state.pending.length;
  state.pending = [];
  rows.insertBefore(fragment, rows.firstChild);
  while (rows.childElementCount > MAX_ROWS) rows.removeChild(rows.lastChild);
}

function deliver(name, data) {
  let message;
  try {
    message = JSON.parse(data);
  } catch (e) {
    return;
  }
  if (name === 'sampled') {
    state.sampled += message.skipped;
    return;
  }
  // Once: a change to the header at every message would lay the page out again at every message.
  if (message.node && message.node !== state.node) {
    state.node = message.node;
    $('node').textContent = printable(message.node);
  }
  const row = name === 'lost' ? lostRow(message) : eventRow(message);
  if (state.paused) {
    state.held.push(row);
    if (state.held.length > MAX_ROWS) {
      state.held.shift();
      state.heldDropped++;
    }
    return;
  }
  show(row);
}

function setState(name, text) {
  const badge = $('stream-state');
  badge.dataset.state = name;
  badge.textContent = text || name;
}

function query() {
  const params = new URLSearchParams(window.location.search);
  const asked = new URLSearchParams();
  for (const name of FILTERS) {
    for (const value of params.getAll(name)) {
      for (const part of value.split(/[\s,]+/)) if (part) asked.append(name, part);
    }
  }
  if (!params.has('type')) {
    asked.append('type', 'exec');
    asked.append('type', 'exit');
  }
  return asked;
}

function fillForm() {
  const asked = query();
  const form = $('filter-form');
  for (const box of form.querySelectorAll('input[name="type"]')) box.checked = asked.getAll('type').includes(box.value);
  for (const name of FILTERS.slice(1)) form.elements[name].value = asked.getAll(name).join(' ');
}

function applyForm(submitted) {
  submitted.preventDefault();
  const form = $('filter-form');
  const params = new URLSearchParams();
  for (const box of form.querySelectorAll('input[name="type"]')) if (box.checked) params.append('type', box.value);
  for (const name of FILTERS.slice(1)) {
    for (const part of form.elements[name].value.split(/[\s,]+/)) if (part) params.append(name, part);
  }
  history.pushState(null, '', '?' + params.toString());
  restart();
}

// A new filter: a new stream from now, in an empty table.
function restart() {
  state.pending = [];
  state.held = [];
  $('rows').replaceChildren();
  state.lastId = null;
  state.retries = 0;
  connect();
}

function headers() {
  const token = sessionStorage.getItem(TOKEN_KEY);
  const asked = { Accept: 'text/event-stream' };
  if (token) asked.Authorization = 'Bearer ' + token;
  if (state.lastId !== null) asked['Last-Event-ID'] = state.lastId;
  return asked;
}

function askToken(message) {
  const form = $('token-form');
  form.hidden = false;
  $('token-message').textContent = message;
  $('token-input').focus();
  setState('error', 'token needed');
}

// One SSE block: its event name, its id and its data lines.
function parseBlock(block) {
  let name = 'message';
  let id = null;
  const data = [];
  for (const line of block.split('\n')) {
    if (line === '' || line.startsWith(':')) continue;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.substring(0, colon);
    let value = colon < 0 ? '' : line.substring(colon + 1);
    if (value.startsWith(' ')) value = value.substring(1);
    if (field === 'event') name = value;
    else if (field === 'id') id = value;
    else if (field === 'data') data.push(value);
  }
  return { name, id, data: data.join('\n') };
}

async function readStream(response) {
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let pending = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    pending += value.replace(/\r\n?/g, '\n');
    let end;
    while ((end = pending.indexOf('\n\n')) >= 0) {
      const block = parseBlock(pending.substring(0, end));
      pending = pending.substring(end + 2);
      if (block.id !== null) state.lastId = block.id;
      if (block.data) {
        state.received++;
        deliver(block.name, block.data);
      }
    }
  }
}

async function connect() {
  if (state.controller) state.controller.abort();
  const controller = new AbortController();
  state.controller = controller;
  setState(state.retries ? 'reconnecting' : 'connecting', state.retries ? 'reconnecting (' + state.retries + ')' : 'connecting');
  let response;
  try {
    const asked = query();
    asked.append('maxRate', String(VIEW_RATE));
    response = await fetch('/events?' + asked.toString(), { headers: headers(), signal: controller.signal, cache: 'no-store' });
  } catch (e) {
    if (controller.signal.aborted) return;
    retry(controller);
    return;
  }
  if (response.status === 401) {
    askToken('This daemon needs a token.');
    return;
  }
  if (response.status === 403) {
    sessionStorage.removeItem(TOKEN_KEY);
    askToken('That token is not this daemon\'s.');
    return;
  }
  if (response.status === 400) {
    const problem = await response.json().catch(() => ({ detail: 'bad filter' }));
    $('filter-message').textContent = printable(problem.detail);
    setState('error', 'bad filter');
    return;
  }
  if (!response.ok) {
    retry(controller);
    return;
  }
  $('filter-message').textContent = '';
  state.retries = 0;
  setState(state.paused ? 'paused' : 'live');
  try {
    await readStream(response);
  } catch (e) {
    // The connection dropped: reconnect below.
  }
  if (!controller.signal.aborted) retry(controller);
}

function retry(controller) {
  if (state.controller !== controller) return;
  state.retries++;
  setState('reconnecting', 'reconnecting (' + state.retries + ')');
  setTimeout(() => { if (state.controller === controller) connect(); }, RETRY_MS[Math.min(state.retries - 1, RETRY_MS.length - 1)]);
}

function togglePause() {
  state.paused = !state.paused;
  $('pause').textContent = state.paused ? 'Resume' : 'Pause';
  if (!state.paused) {
    if (state.heldDropped) show(lostRow({ count: state.heldDropped, stage: 'view', reason: 'paused', time: '' }));
    for (const row of state.held) show(row);
    state.held = [];
    state.heldDropped = 0;
  }
  setState(state.paused ? 'paused' : 'live');
}

// What the view received, showed, skipped and was held back: whether it keeps up.
function viewCounts() {
  return state.received + (state.received === 1 ? ' message, ' : ' messages, ') + state.shown + ' shown, '
    + state.skipped + ' skipped by the view, ' + state.sampled + ' held back by the daemon (at most ' + VIEW_RATE + '/s)';
}

function showRate() {
  $('view-rate').textContent = viewCounts();
}

function number(value) {
  if (value >= 1e9) return (value / 1e9).toFixed(1) + 'G';
  if (value >= 1e6) return (value / 1e6).toFixed(1) + 'M';
  if (value >= 1e3) return (value / 1e3).toFixed(1) + 'k';
  return value.toFixed(value < 10 && value % 1 ? 1 : 0);
}

// Writes and execs a second over the last 5 minutes, one point a second.
const HISTORY = 300;
const ratePoints = [];

function fillTop(body, rows, columns) {
  const trs = rows.map((row) => {
    const tr = document.createElement('tr');
    for (const column of columns) cell(tr, column(row));
    return tr;
  });
  body.replaceChildren(...trs);
}

function renderTop(rates) {
  fillTop($('top-comms'), rates.writers, [(row) => row.comm, (row) => row.where, (row) => number(row.calls),
    (row) => number(row.bytes)]);
  fillTop($('top-pods'), rates.pods, [(pod) => pod.pod, (pod) => number(pod.calls), (pod) => number(pod.bytes)]);
}

// A classic histogram's cumulative buckets as bars of the count in each.
function renderBars(box, buckets, label) {
  const cumulative = new Map(buckets);
  const bounds = [...cumulative.keys()].sort((a, b) => (a === '+Inf') - (b === '+Inf') || Number(a) - Number(b));
  let previous = 0;
  const counts = bounds.map((bound) => {
    const count = cumulative.get(bound) - previous;
    previous = cumulative.get(bound);
    return count;
  });
  // Only the buckets from the first to the last that hold anything: the rest says nothing.
  const first = Math.max(0, counts.findIndex((count) => count > 0));
  const last = counts.length - 1 - Math.max(0, [...counts].reverse().findIndex((count) => count > 0));
  const most = Math.max(1, ...counts);
  const nodes = [];
  bounds.forEach((bound, i) => {
    if (i < first || i > last) return;
    const name = document.createElement('span');
    name.textContent = bound === '+Inf' ? 'more' : '≤ ' + label(Number(bound));
    const bar = document.createElement('span');
    bar.className = 'bar';
    bar.style.width = (100 * counts[i] / most) + '%';
    const count = document.createElement('span');
    count.className = 'count';
    count.textContent = number(counts[i]);
    nodes.push(name, bar, count);
  });
  box.replaceChildren(...nodes);
}

function bytes(value) {
  if (value >= 1 << 20) return value / (1 << 20) + ' MiB';
  if (value >= 1 << 10) return value / (1 << 10) + ' KiB';
  return value + ' B';
}

function seconds(value) {
  return duration(Math.round(value * 1e9));
}

// Each line on its own scale, named with its peak: writes run to millions a
// second where execs run to tens. Time runs to now at the right, a mark a minute.
function renderRates() {
  const canvas = $('rates');
  const context = canvas.getContext('2d');
  // Drawn at the size it is shown, in device pixels, so its text stays sharp and legible.
  const width = canvas.clientWidth;
  const height = canvas.clientHeight;
  const ratio = window.devicePixelRatio || 1;
  if (canvas.width !== Math.round(width * ratio) || canvas.height !== Math.round(height * ratio)) {
    canvas.width = Math.round(width * ratio);
    canvas.height = Math.round(height * ratio);
  }
  context.setTransform(ratio, 0, 0, ratio, 0, 0);
  const top = 32;
  const bottom = height - 16;
  context.clearRect(0, 0, width, height);
  context.font = '11px system-ui, sans-serif';
  context.lineWidth = 1;
  context.strokeStyle = '#e3e6ea';
  context.fillStyle = '#566';
  for (let minute = 0; minute <= 5; minute++) {
    const x = Math.round((width - 1) * (1 - minute * 60 / (HISTORY - 1))) + 0.5;
    context.beginPath();
    context.moveTo(x, top);
    context.lineTo(x, bottom);
    context.stroke();
    context.textAlign = minute === 0 ? 'right' : minute === 5 ? 'left' : 'center';
    context.fillText(minute === 0 ? 'now' : '\u2212' + minute + (minute === 5 ? ' min' : ''), x, height - 3);
  }
  context.strokeStyle = '#8a94a6';
  context.beginPath();
  context.moveTo(0, bottom + 0.5);
  context.lineTo(width, bottom + 0.5);
  context.stroke();
  const points = ratePoints;
  context.lineWidth = 1.5;
  [['writes', '#4a78c2'], ['execs', '#c2504a']].forEach(([field, color], line) => {
    const latest = points.length ? points[points.length - 1][field] : 0;
    const most = Math.max(0, ...points.map((point) => point[field]));
    context.fillStyle = color;
    context.textAlign = 'left';
    context.fillText(field + '/s ' + number(latest) + ' (peak ' + number(most) + ')', 0, 11 + 13 * line);
    if (points.length < 2) return;
    context.strokeStyle = color;
    context.beginPath();
    points.forEach((point, i) => {
      const x = (width - 1) * (i + HISTORY - points.length) / (HISTORY - 1);
      const y = bottom - 1 - (bottom - top) * point[field] / Math.max(1, most);
      if (i === 0) context.moveTo(x, y); else context.lineTo(x, y);
    });
    context.stroke();
  });
}

function renderHealth(summary) {
  const entries = [
    ['lost, kernel', summary.lost.kernel], ['lost, reader', summary.lost.reader], ['lost, clients', summary.lost.client],
    ['lost, export', summary.lost.export], ['kernel paths', summary.paths.join(' ')], ['buffers', summary.fills.join(', ')],
    ['/events clients', summary.clients], ['this view', viewCounts()]];
  const nodes = [];
  for (const [name, value] of entries) {
    const dt = document.createElement('dt');
    dt.textContent = name;
    const dd = document.createElement('dd');
    dd.textContent = printable(value === undefined ? '-' : value);
    if (name.startsWith('lost') && value > 0) dd.className = 'bad';
    nodes.push(dt, dd);
  }
  $('health').replaceChildren(...nodes);
}

function showOverview(summary) {
  if (summary.rates) {
    renderTop(summary.rates);
    ratePoints.push({ writes: summary.rates.writes, execs: summary.rates.execs });
    if (ratePoints.length > HISTORY) ratePoints.shift();
    renderRates();
  }
  if (summary.sizes) {
    renderBars($('sizes'), summary.sizes, bytes);
    renderBars($('exec-durations'), summary.durations, seconds);
  }
  renderHealth(summary);
}

// The PID filter, through the same REST API as any client: GET is open,
// changes carry the token.
async function filterCall(method, path, body) {
  const asked = { Accept: 'application/json' };
  const token = sessionStorage.getItem(TOKEN_KEY);
  if (token && method !== 'GET') asked.Authorization = 'Bearer ' + token;
  if (body !== undefined) asked['Content-Type'] = 'application/json';
  const response = await fetch('/filters/pids' + path, { method, headers: asked, cache: 'no-store',
    body: body === undefined ? undefined : JSON.stringify(body) });
  const answer = await response.json().catch(() => ({}));
  if (response.status === 401 || response.status === 403) {
    askToken(response.status === 401 ? 'This daemon needs a token.' : 'That token is not this daemon\'s.');
  }
  if (!response.ok) {
    $('pid-message').textContent = printable(answer.detail || response.status + ' ' + response.statusText);
    return null;
  }
  $('pid-message').textContent = '';
  renderPids(answer);
  return answer;
}

function renderPids(filter) {
  $('follow-children').checked = filter.followChildren;
  const items = filter.pids.map((pid) => {
    const item = document.createElement('li');
    item.dataset.pid = pid;
    item.append(String(pid));
    const remove = document.createElement('button');
    remove.type = 'button';
    remove.textContent = '×';
    remove.title = 'stop tracing ' + pid;
    remove.addEventListener('click', () => filterCall('DELETE', '/' + pid));
    item.appendChild(remove);
    return item;
  });
  $('pids').replaceChildren(...items);
}

async function addPid(submitted) {
  submitted.preventDefault();
  const text = $('pid-input').value.trim();
  const pid = Number(text);
  if (!/^[0-9]+$/.test(text) || pid < 1) {
    $('pid-message').textContent = 'A PID is a positive whole number.';
    return;
  }
  const current = await filterCall('GET', '');
  if (!current) return;
  const follow = $('follow-children').checked;
  const answer = current.followChildren === follow
    ? await filterCall('POST', '', { pid })
    : await filterCall('PUT', '', { pids: [...new Set([...current.pids, pid])], followChildren: follow });
  if (answer) $('pid-input').value = '';
}

async function setFollow() {
  const current = await filterCall('GET', '');
  if (current) await filterCall('PUT', '', { pids: current.pids, followChildren: $('follow-children').checked });
}

function start() {
  fillForm();
  $('filter-form').addEventListener('submit', applyForm);
  $('pause').addEventListener('click', togglePause);
  $('token-form').addEventListener('submit', (submitted) => {
    submitted.preventDefault();
    sessionStorage.setItem(TOKEN_KEY, $('token-input').value.trim());
    $('token-input').value = '';
    $('token-form').hidden = true;
    $('token-message').textContent = '';
    connect();
  });
  window.addEventListener('popstate', () => { fillForm(); restart(); });
  // A page left for another may be kept whole for the back button: its stream must not stay open at the daemon.
  window.addEventListener('pagehide', () => {
    if (state.controller) state.controller.abort();
    state.controller = null;
  });
  window.addEventListener('pageshow', (shown) => { if (shown.persisted) connect(); });
  setInterval(showRate, 1000);
  new Worker('/ui/overview.js').addEventListener('message', (message) => showOverview(message.data));
  $('pid-form').addEventListener('submit', addPid);
  $('pid-clear').addEventListener('click', () => filterCall('DELETE', ''));
  $('follow-children').addEventListener('change', setFollow);
  filterCall('GET', '');
  setInterval(() => filterCall('GET', ''), 5000);
  connect();
}

document.addEventListener('DOMContentLoaded', start);
