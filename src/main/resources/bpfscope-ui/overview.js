// The live view's overview, worked out off the page's thread: a full node's
// scrape is megabytes of text, and parsing it on the page would stall its
// table. Every second this reads the families the view shows from
// /q/metrics (name[] keeps only those) and posts the page a summary: the
// busiest writers and pods by rate, the node's write and exec rates, and
// the stream's health. The histograms, most of a full node's text and slow
// to change, are read every fifth second, summed over series.
'use strict';

const COUNTERS = ['bpfscope_write_syscalls_total', 'bpfscope_write_bytes_total', 'bpfscope_exec_total',
  'bpfscope_events_lost_total', 'bpfscope_kernel_feature_info', 'bpfscope_buffer_fill_ratio', 'bpfscope_sse_clients'];
const HISTOGRAMS = ['bpfscope_write_size_bytes', 'bpfscope_exec_duration_seconds'];
const TOP = 8;
const PERIOD_MS = 1000;
const HISTOGRAMS_EVERY = 5;

let previous = null;
let ticks = 0;

function url(families) {
  return '/q/metrics?' + families.map((name) => 'name[]=' + encodeURIComponent(name)).join('&');
}

// A label value of the text format from its opening quote: [value, index after the closing quote].
function labelValue(line, from) {
  let value = '';
  let i = from;
  for (;;) {
    const quote = line.indexOf('"', i);
    const escape = line.indexOf('\\', i);
    if (escape < 0 || escape > quote) return [value + line.substring(i, quote), quote + 1];
    const next = line[escape + 1];
    value += line.substring(i, escape) + (next === 'n' ? '\n' : next);
    i = escape + 2;
  }
}

// Each sample of the text format, as name, labels and value.
function eachSample(text, visit) {
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const line = text.substring(start, end);
    start = end + 1;
    if (line === '' || line[0] === '#') continue;
    const brace = line.indexOf('{');
    const space = line.indexOf(' ');
    const labels = {};
    let i;
    let name;
    if (brace >= 0 && brace < space) {
      name = line.substring(0, brace);
      i = brace + 1;
      while (line[i] !== '}') {
        const eq = line.indexOf('=', i);
        const [value, after] = labelValue(line, eq + 2);
        labels[line.substring(i, eq)] = value;
        i = line[after] === ',' ? after + 1 : after;
      }
      i += 2;
    } else {
      name = line.substring(0, space);
      i = space + 1;
    }
    const valueEnd = line.indexOf(' ', i);
    visit(name, labels, Number(line.substring(i, valueEnd < 0 ? line.length : valueEnd)));
  }
}

function add(map, key, value) {
  map.set(key, (map.get(key) || 0) + value);
}

function readTotals(text) {
  const totals = { writers: new Map(), execs: 0, sizes: new Map(), durations: new Map(), lost: {}, paths: [], fills: [],
    clients: 0 };
  eachSample(text, (name, labels, value) => {
    switch (name) {
      case 'bpfscope_write_syscalls_total':
      case 'bpfscope_write_bytes_total': {
        const key = [labels.comm, labels.namespace, labels.pod, labels.container].join('\u0000');
        const writer = totals.writers.get(key) || { labels, calls: 0, bytes: 0 };
        if (name === 'bpfscope_write_syscalls_total') writer.calls = value; else writer.bytes = value;
        totals.writers.set(key, writer);
        break;
      }
      case 'bpfscope_exec_total': totals.execs += value; break;
      case 'bpfscope_write_size_bytes_bucket': add(totals.sizes, labels.le, value); break;
      case 'bpfscope_exec_duration_seconds_bucket': add(totals.durations, labels.le, value); break;
      case 'bpfscope_events_lost_total': totals.lost[labels.stage] = value; break;
      case 'bpfscope_kernel_feature_info': totals.paths.push(labels.feature + '=' + labels.path); break;
      case 'bpfscope_buffer_fill_ratio': totals.fills.push(labels.buffer + ' ' + (100 * value).toFixed(1) + '%'); break;
      case 'bpfscope_sse_clients': totals.clients = value; break;
      default: break;
    }
  });
  return totals;
}

function busiest(rows) {
  return rows.filter((row) => row.calls > 0).sort((a, b) => b.calls - a.calls).slice(0, TOP);
}

// Writers' and pods' rates since the last scrape; a series new since then has no rate yet.
function rates(now, before, seconds) {
  const writers = [];
  const pods = new Map();
  for (const [key, writer] of now.writers) {
    const old = before.writers.get(key);
    if (!old) continue;
    const labels = writer.labels;
    const row = { comm: labels.comm, where: labels.pod ? labels.namespace + '/' + labels.pod : labels.container || 'host',
      calls: (writer.calls - old.calls) / seconds, bytes: (writer.bytes - old.bytes) / seconds };
    writers.push(row);
    const podKey = labels.pod ? labels.namespace + '/' + labels.pod : '(host)';
    const pod = pods.get(podKey) || { pod: podKey, calls: 0, bytes: 0 };
    pod.calls += row.calls;
    pod.bytes += row.bytes;
    pods.set(podKey, pod);
  }
  return { writers, pods: [...pods.values()] };
}

async function refresh() {
  const histograms = ticks++ % HISTOGRAMS_EVERY === 0;
  let text;
  try {
    const response = await fetch(url(histograms ? COUNTERS.concat(HISTOGRAMS) : COUNTERS),
      { headers: { Accept: 'text/plain;version=0.0.4' }, cache: 'no-store' });
    if (!response.ok) return;
    text = await response.text();
  } catch (e) {
    return;
  }
  const totals = readTotals(text);
  const at = performance.now();
  const summary = { sizes: histograms ? [...totals.sizes] : null, durations: histograms ? [...totals.durations] : null,
    lost: totals.lost, paths: totals.paths, fills: totals.fills, clients: totals.clients, rates: null };
  if (previous) {
    const seconds = (at - previous.at) / 1000;
    const now = rates(totals, previous.totals, seconds);
    summary.rates = { writers: busiest(now.writers), pods: busiest(now.pods),
      writes: now.writers.reduce((sum, row) => sum + row.calls, 0), execs: (totals.execs - previous.totals.execs) / seconds };
  }
  previous = { at, totals };
  postMessage(summary);
}

refresh();
setInterval(refresh, PERIOD_MS);
