// bpfscope's live view. Everything a process wrote (comm, filename, argv,
// pod names) reaches the page as text: it is set with textContent only,
// and the page's policy allows no inline script.
'use strict';

const TOKEN_KEY = 'bpfscope.token';
const FILTERS = ['type', 'pid', 'comm', 'namespace', 'pod', 'container'];
const MAX_ROWS = 300;
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
  td.title = printable(text);
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
// the table keeps: each insertion lays the table out again. At a rate no one
// can read, the view skips the older ones, and says so.
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
  if (message.node) $('node').textContent = printable(message.node);
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

function showRate() {
  $('view-rate').textContent = state.received + ' messages, ' + state.shown + ' shown'
    + (state.skipped ? ', ' + state.skipped + ' skipped by the view' : '')
    + (state.sampled ? ', ' + state.sampled + ' held back by the daemon (over ' + VIEW_RATE + '/s)' : '');
}

// The metrics the overview reads, by their family names (name[] keeps only those).
const FAMILIES = ['bpfscope_write_syscalls_total', 'bpfscope_write_bytes_total', 'bpfscope_exec_total',
  'bpfscope_write_size_bytes', 'bpfscope_exec_duration_seconds', 'bpfscope_events_lost_total',
  'bpfscope_kernel_feature_info', 'bpfscope_buffer_fill_ratio', 'bpfscope_sse_clients'];
const HISTORY = 300;
const TOP = 8;

const overview = { previous: null, history: [] };

// Samples of the Prometheus text format: name, labels, value.
function parseMetrics(text) {
  const samples = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const brace = line.indexOf('{');
    const labels = {};
    let rest;
    let name;
    if (brace >= 0 && brace < line.indexOf(' ')) {
      name = line.substring(0, brace);
      let i = brace + 1;
      while (line[i] !== '}') {
        const eq = line.indexOf('=', i);
        const key = line.substring(i, eq);
        let value = '';
        i = eq + 2;
        while (line[i] !== '"') {
          if (line[i] === '\\') {
            const next = line[i + 1];
            value += next === 'n' ? '\n' : next;
            i += 2;
          } else {
            value += line[i++];
          }
        }
        labels[key] = value;
        i++;
        if (line[i] === ',') i++;
      }
      rest = line.substring(i + 1).trim();
    } else {
      const space = line.indexOf(' ');
      name = line.substring(0, space);
      rest = line.substring(space + 1).trim();
    }
    samples.push({ name, labels, value: Number(rest.split(' ')[0]) });
  }
  return samples;
}

function seriesKey(labels) {
  return [labels.comm, labels.namespace, labels.pod, labels.container].join('\u0000');
}

function readTotals(samples) {
  const totals = { writers: new Map(), execs: 0, sizes: new Map(), durations: new Map(), lost: {}, paths: [], fills: [], clients: 0 };
  for (const sample of samples) {
    const labels = sample.labels;
    switch (sample.name) {
      case 'bpfscope_write_syscalls_total':
      case 'bpfscope_write_bytes_total': {
        const key = seriesKey(labels);
        const writer = totals.writers.get(key) || { labels, calls: 0, bytes: 0 };
        if (sample.name.endsWith('syscalls_total')) writer.calls = sample.value; else writer.bytes = sample.value;
        totals.writers.set(key, writer);
        break;
      }
      case 'bpfscope_exec_total': totals.execs += sample.value; break;
      case 'bpfscope_write_size_bytes_bucket': add(totals.sizes, labels.le, sample.value); break;
      case 'bpfscope_exec_duration_seconds_bucket': add(totals.durations, labels.le, sample.value); break;
      case 'bpfscope_events_lost_total': totals.lost[labels.stage] = sample.value; break;
      case 'bpfscope_kernel_feature_info': totals.paths.push(labels.feature + '=' + labels.path); break;
      case 'bpfscope_buffer_fill_ratio': totals.fills.push(labels.buffer + ' ' + (100 * sample.value).toFixed(1) + '%'); break;
      case 'bpfscope_sse_clients': totals.clients = sample.value; break;
      default: break;
    }
  }
  return totals;
}

function add(map, key, value) {
  map.set(key, (map.get(key) || 0) + value);
}

function rates(now, before, seconds) {
  const rows = [];
  for (const [key, writer] of now.writers) {
    const old = before.writers.get(key);
    if (!old) continue;
    rows.push({ labels: writer.labels, calls: (writer.calls - old.calls) / seconds, bytes: (writer.bytes - old.bytes) / seconds });
  }
  return rows;
}

function number(value) {
  if (value >= 1e9) return (value / 1e9).toFixed(1) + 'G';
  if (value >= 1e6) return (value / 1e6).toFixed(1) + 'M';
  if (value >= 1e3) return (value / 1e3).toFixed(1) + 'k';
  return value.toFixed(value < 10 && value % 1 ? 1 : 0);
}

function fillTop(body, rows, columns) {
  const trs = rows.map((row) => {
    const tr = document.createElement('tr');
    for (const column of columns) cell(tr, column(row));
    return tr;
  });
  body.replaceChildren(...trs);
}

function renderTop(byWriter) {
  const busiest = byWriter.filter((row) => row.calls > 0).sort((a, b) => b.calls - a.calls).slice(0, TOP);
  fillTop($('top-comms'), busiest, [(row) => row.labels.comm, (row) => row.labels.pod
    ? row.labels.namespace + '/' + row.labels.pod : row.labels.container || 'host', (row) => number(row.calls), (row) => number(row.bytes)]);
  const pods = new Map();
  for (const row of byWriter) {
    const key = row.labels.pod ? row.labels.namespace + '/' + row.labels.pod : '(host)';
    const pod = pods.get(key) || { key, calls: 0, bytes: 0 };
    pod.calls += row.calls;
    pod.bytes += row.bytes;
    pods.set(key, pod);
  }
  const busiestPods = [...pods.values()].filter((pod) => pod.calls > 0).sort((a, b) => b.calls - a.calls).slice(0, TOP);
  fillTop($('top-pods'), busiestPods, [(pod) => pod.key, (pod) => number(pod.calls), (pod) => number(pod.bytes)]);
}

// A classic histogram's cumulative buckets as bars of the count in each.
function renderBars(box, cumulative, label) {
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

function renderRates() {
  const canvas = $('rates');
  const context = canvas.getContext('2d');
  context.clearRect(0, 0, canvas.width, canvas.height);
  const points = overview.history;
  if (points.length < 2) return;
  for (const [field, color] of [['writes', '#4a78c2'], ['execs', '#c2504a']]) {
    const most = Math.max(1, ...points.map((point) => point[field]));
    context.strokeStyle = color;
    context.beginPath();
    points.forEach((point, i) => {
      const x = canvas.width * (i + HISTORY - points.length) / (HISTORY - 1);
      const y = canvas.height - 2 - (canvas.height - 14) * point[field] / most;
      if (i === 0) context.moveTo(x, y); else context.lineTo(x, y);
    });
    context.stroke();
    context.fillStyle = color;
    context.fillText(number(points[points.length - 1][field]) + '/s', field === 'writes' ? 4 : canvas.width / 2, 10);
  }
}

function renderHealth(totals) {
  const entries = [
    ['lost, kernel', totals.lost.kernel], ['lost, reader', totals.lost.reader], ['lost, clients', totals.lost.client],
    ['lost, export', totals.lost.export], ['kernel paths', totals.paths.join(' ')], ['buffers', totals.fills.join(', ')],
    ['/events clients', totals.clients], ['this view', state.received + ' messages, ' + state.shown + ' shown, '
      + state.skipped + ' skipped; ' + state.sampled + ' held back by the daemon (at most ' + VIEW_RATE + '/s)']];
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

async function refreshOverview() {
  const url = '/q/metrics?' + FAMILIES.map((name) => 'name[]=' + encodeURIComponent(name)).join('&');
  let text;
  try {
    const response = await fetch(url, { headers: { Accept: 'text/plain;version=0.0.4' }, cache: 'no-store' });
    if (!response.ok) return;
    text = await response.text();
  } catch (e) {
    return;
  }
  const totals = readTotals(parseMetrics(text));
  const at = performance.now();
  if (overview.previous) {
    const elapsed = (at - overview.previous.at) / 1000;
    const byWriter = rates(totals, overview.previous.totals, elapsed);
    renderTop(byWriter);
    overview.history.push({ writes: byWriter.reduce((sum, row) => sum + row.calls, 0),
      execs: (totals.execs - overview.previous.totals.execs) / elapsed });
    if (overview.history.length > HISTORY) overview.history.shift();
    renderRates();
  }
  overview.previous = { at, totals };
  renderBars($('sizes'), totals.sizes, bytes);
  renderBars($('exec-durations'), totals.durations, seconds);
  renderHealth(totals);
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
  setInterval(showRate, 1000);
  setInterval(refreshOverview, 1000);
  refreshOverview();
  $('pid-form').addEventListener('submit', addPid);
  $('pid-clear').addEventListener('click', () => filterCall('DELETE', ''));
  $('follow-children').addEventListener('change', setFollow);
  filterCall('GET', '');
  setInterval(() => filterCall('GET', ''), 5000);
  connect();
}

document.addEventListener('DOMContentLoaded', start);
