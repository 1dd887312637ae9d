'use strict';
// The live console: one snapshot a second pushed by the server (/api/live), charts of the last minutes from the
// snapshots kept (/api/live/history). No framework: the DOM and SVG.

const HISTORY = 300;
const history = [];
const cards = {};
let faultsShown = false;

const $ = (selector, root = document) => root.querySelector(selector);
const el = (tag, attributes = {}, ...children) => {
  const node = tag.startsWith('svg:')
    ? document.createElementNS('http://www.w3.org/2000/svg', tag.slice(4))
    : document.createElement(tag);
  Object.entries(attributes).forEach(([name, value]) => node.setAttribute(name, value));
  children.forEach(child => node.append(child));
  return node;
};
const fmt = (value, digits = 0) => value === null || value === undefined ? '—'
  : Number(value).toLocaleString('en', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const bytes = value => value === null || value === undefined ? '—'
  : value < 1024 ? value + ' B' : value < 1048576 ? fmt(value / 1024, 1) + ' kB' : fmt(value / 1048576, 1) + ' MB';
const time = iso => iso ? new Date(iso).toISOString().slice(11, 23) : '—';

async function json(url, options) {
  const response = await fetch(url, options);
  const body = response.headers.get('content-type')?.includes('json') ? await response.json() : await response.text();
  if (!response.ok) {
    throw new Error(body && body.detail ? body.detail : response.status + ' ' + JSON.stringify(body));
  }
  return body;
}

// ---- writers: a card each, with its flow, its figures and three charts

const FIGURES = [
  ['ordersPerSecond', 'orders/s', 1], ['eventsPerSecond', 'events/s', 1], ['appliedPerSecond', 'applied/s', 1],
  ['consumerLag', 'consumer lag', 0], ['backlog', 'backlog', 0], ['oldestPendingSeconds', 'oldest pending s', 1],
  ['parked', 'parked', 0], ['deadLetters', 'dead letters', 0], ['p50Ms', 'p50 ms', 1], ['p99Ms', 'p99 ms', 1],
  ['walUnconfirmedBytes', 'WAL unconfirmed', 'bytes'], ['walRetainedBytes', 'WAL retained', 'bytes'],
  ['connectorState', 'connector', 'text'], ['taskState', 'task', 'text'],
];

function card(writer) {
  if (cards[writer.pattern]) {
    return cards[writer.pattern];
  }
  const root = el('section', { class: 'writer', id: 'writer-' + writer.pattern, 'data-pattern': writer.pattern });
  root.append(el('h2', {}, writer.label + ' ', el('small', {}, writer.pattern)));
  const flow = el('svg:svg', { class: 'flow', viewBox: '0 0 720 90' });
  root.append(flow);
  const figures = el('div', { class: 'figures' });
  FIGURES.forEach(([key, label]) => {
    const value = el('span', { id: key + '-' + writer.pattern, 'data-figure': key }, '—');
    figures.append(el('div', { 'data-row': key }, el('span', {}, label), value));
  });
  root.append(figures);
  const charts = el('div', { class: 'charts' });
  const chartNames = ['rates', writer.route === 'log tailing' ? 'WAL unconfirmed' : writer.route === 'relay' ? 'backlog' : 'consumer lag', 'latency'];
  const svgs = chartNames.map(name => {
    const svg = el('svg:svg', { class: 'chart', viewBox: '0 0 200 90', preserveAspectRatio: 'none', 'data-chart': name });
    charts.append(el('div', {}, el('div', { class: 'muted' }, name), svg));
    return svg;
  });
  root.append(charts);
  $('#writers').append(root);
  cards[writer.pattern] = { root, flow, svgs };
  return cards[writer.pattern];
}

function drawFlow(svg, writer, up) {
  svg.replaceChildren();
  const defs = el('svg:defs', {}, el('svg:marker', { id: 'arrow', viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 6, markerHeight: 6, orient: 'auto' },
    el('svg:path', { d: 'M0,0 L10,5 L0,10 z', fill: '#4a5568' })));
  svg.append(defs);
  const relays = writer.relays.length ? writer.relays[0].replace(/-\d+$/, '') + ' ×' + writer.relays.length : '';
  const middle = writer.route === 'relay' ? [[writer.eventTable, up.postgres], [relays, writer.relays.some(r => up[r])]]
    : writer.route === 'log tailing' ? [['WAL', up.postgres], ['Debezium (Connect)', up.connect]] : [];
  const boxes = [[writer.service, up[writer.service]], ...middle, [writer.topic, up.kafka], ['order-consumer', up['order-consumer']]];
  // the rate on each arrow: what leaves the box before it (the naive service sends its events itself)
  const rates = writer.route === 'direct'
    ? [writer.eventsPerSecond, writer.appliedPerSecond]
    : [writer.ordersPerSecond, null, writer.eventsPerSecond, writer.appliedPerSecond];
  const slot = 720 / boxes.length;
  const width = slot - 30;
  boxes.forEach(([name, isUp], i) => {
    const x = i * slot + 4;
    svg.append(el('svg:rect', { x, y: 34, width, height: 50, class: isUp === false ? 'down' : isUp ? 'up' : '' }));
    // two lines: a topic at its dot, a service name at its second dash, anything else as it is
    const text = String(name);
    const cut = text.includes('.') ? text.indexOf('.') + 1 : text.split('-').length > 2 ? text.indexOf('-', text.indexOf('-') + 1) + 1 : -1;
    const lines = cut > 0 ? [text.slice(0, cut), text.slice(cut)] : [text];
    lines.forEach((line, n) => svg.append(el('svg:text', { x: x + width / 2, y: 62 + (n - (lines.length - 1) / 2) * 13 }, line)));
    if (i < boxes.length - 1) {
      svg.append(el('svg:line', { x1: x + width + 2, y1: 59, x2: x + slot - 2, y2: 59 }));
      const rate = rates[i];
      if (rate !== null && rate !== undefined) {
        svg.append(el('svg:text', { x: x + width + 14, y: 28, class: 'rate' }, fmt(rate, 0) + '/s'));
      }
    }
  });
  if (writer.route === 'direct') {
    svg.append(el('svg:text', { x: 360, y: 12 }, 'commits the order, then sends the event: nothing ties the two'));
  }
}

function chart(svg, series) {
  svg.replaceChildren();
  const all = series.flatMap(s => s.values).filter(v => v !== null && v !== undefined);
  const max = Math.max(1, ...all);
  series.forEach(s => {
    const n = s.values.length;
    const points = s.values.map((v, i) => v === null || v === undefined ? null
      : [(i / Math.max(1, HISTORY - 1)) * 200 + (HISTORY - n) / Math.max(1, HISTORY - 1) * 200, 88 - (v / max) * 78])
      .filter(p => p !== null).map(p => p[0].toFixed(1) + ',' + p[1].toFixed(1)).join(' ');
    svg.append(el('svg:polyline', { points, stroke: s.color }));
  });
  svg.append(el('svg:text', { x: 2, y: 9 }, fmt(max, max < 10 ? 1 : 0) + ' max · ' + series.map(s => s.label).join(', ')));
}

function renderWriters(snapshot) {
  const up = { postgres: false, kafka: false, connect: false };
  snapshot.components.forEach(c => { up[c.name] = c.up; });
  snapshot.writers.forEach(writer => {
    const c = card(writer);
    drawFlow(c.flow, writer, up);
    FIGURES.forEach(([key, , digits]) => {
      const node = $('#' + key + '-' + writer.pattern);
      const value = writer[key];
      node.textContent = digits === 'text' ? (value ?? '—') : digits === 'bytes' ? bytes(value) : fmt(value, digits);
      node.parentElement.style.display = value === null || value === undefined ? 'none' : '';
    });
    const past = history.map(s => s.writers.find(w => w.pattern === writer.pattern) || {});
    chart(c.svgs[0], [
      { label: 'orders', color: '#2b6cb0', values: past.map(w => w.ordersPerSecond) },
      { label: 'events', color: '#805ad5', values: past.map(w => w.eventsPerSecond) },
      { label: 'applied', color: '#2f855a', values: past.map(w => w.appliedPerSecond) }]);
    const middle = writer.route === 'log tailing' ? 'walUnconfirmedBytes' : writer.route === 'relay' ? 'backlog' : 'consumerLag';
    chart(c.svgs[1], [{ label: middle, color: '#c05621', values: past.map(w => w[middle]) }]);
    chart(c.svgs[2], [
      { label: 'p50 ms', color: '#2b6cb0', values: past.map(w => w.p50Ms) },
      { label: 'p99 ms', color: '#c53030', values: past.map(w => w.p99Ms) }]);
  });
}

function render(snapshot) {
  $('#clock').textContent = 'live · ' + new Date(snapshot.at).toLocaleTimeString()
    + (snapshot.duplicatesSkipped !== null ? ' · order-consumer skipped ' + fmt(snapshot.duplicatesSkipped) + ' duplicates' : '');
  $('#components').replaceChildren(...snapshot.components.map(c =>
    el('span', { class: 'pill ' + (c.up ? 'up' : 'down'), 'data-component': c.name, 'data-up': c.up }, c.name)));
  renderPatternChoices(snapshot.writers);
  renderWriters(snapshot);
  renderWorkload(snapshot.workload);
  if (snapshot.faults && !faultsShown) {
    faultsShown = true;
    $('#faults-panel').classList.remove('hidden');
    $('#verdict-panel').classList.remove('hidden');
    refreshFaults();
    setInterval(refreshFaults, 2000);
  }
}

// ---- workload

function renderPatternChoices(writers) {
  if ($('#workload-patterns').childElementCount) {
    return;
  }
  $('#workload-patterns').replaceChildren(...writers.map(w => w.pattern).map(p =>
    el('label', {}, el('input', { type: 'checkbox', value: p, checked: 'checked', 'data-pattern-choice': p }), ' ' + p)));
}

function renderWorkload(state) {
  if (!state) {
    return;
  }
  const s = state;
  $('#workload-state').textContent = (s.running ? 'running' : 'stopped')
    + (s.settings ? ' · ' + s.settings.ratePerSecond + ' orders/s through ' + s.settings.patterns.join(', ') : '')
    + ' · sent ' + fmt(s.sent) + ', created ' + fmt(s.created) + ', confirmed or cancelled ' + fmt(s.changed)
    + ', failed ' + fmt(s.failed) + ', skipped ' + fmt(s.skipped) + ', in flight ' + fmt(s.inFlight)
    + (s.lastError ? ' · last error: ' + s.lastError : '');
  $('#workload-state').dataset.running = s.running;
}

$('#workload-form').addEventListener('submit', async event => {
  event.preventDefault();
  const settings = {
    ratePerSecond: Number($('#workload-rate').value),
    patterns: [...document.querySelectorAll('[data-pattern-choice]:checked')].map(box => box.value),
    confirmPercent: Number($('#workload-confirm').value),
    cancelPercent: Number($('#workload-cancel').value),
  };
  try {
    renderWorkload(await json('/api/workload', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(settings) }));
  } catch (e) {
    $('#workload-state').textContent = 'not started: ' + e.message;
  }
});
$('#workload-stop').addEventListener('click', async () => {
  try {
    renderWorkload(await json('/api/workload', { method: 'DELETE' }));
  } catch (e) {
    $('#workload-state').textContent = 'not stopped: ' + e.message;
  }
});

$('#verdict-run').addEventListener('click', async () => {
  const verdict = $('#verdict');
  verdict.dataset.state = 'judging';
  verdict.textContent = 'stopping the workload and waiting until what it produced has settled…';
  try {
    const judgement = await json('/api/verdict', { method: 'POST' });
    verdict.textContent = 'run ' + judgement.runId + ': the three patterns ' + (judgement.patternsHold ? 'hold' : 'VIOLATED')
      + '  (./lab.sh verify --run ' + judgement.runId + ' judges it again)\n\n' + judgement.table;
    verdict.dataset.state = judgement.patternsHold ? 'hold' : 'violated';
  } catch (e) {
    verdict.textContent = 'no verdict: ' + e.message;
    verdict.dataset.state = 'failed';
  }
});

// ---- faults (lab profile)

async function refreshFaults() {
  try {
    const faults = await json('/api/faults');
    if (!$('#fault-targets').childElementCount) {
      $('#fault-targets').replaceChildren(...faults.targets.map(target => {
        const button = el('button', { type: 'button', 'data-fault': target }, 'kill ' + target);
        button.addEventListener('click', async () => {
          try {
            await json('/api/faults/' + encodeURIComponent(target), { method: 'POST' });
            $('#fault-status').textContent = 'killed ' + target;
          } catch (e) {
            $('#fault-status').textContent = 'not killed: ' + e.message;
          }
          refreshFaults();
        });
        return button;
      }));
    }
    $('#fault-list tbody').replaceChildren(...faults.recent.map(f => el('tr', { 'data-fault-target': f.target, 'data-fault-state': f.state },
      el('td', {}, f.target), el('td', {}, time(f.killedAt)), el('td', {}, String(f.pid)), el('td', {}, f.state + (f.detail && f.state === 'failed' ? ': ' + f.detail : '')),
      el('td', {}, time(f.recoveredAt)))));
  } catch (e) {
    $('#fault-list tbody').replaceChildren(el('tr', {}, el('td', { class: 'error', colspan: 5 }, 'faults not read: ' + e.message)));
  }
}

// ---- tables

async function refreshParked() {
  const body = $('#parked tbody');
  try {
    const parked = await json('/api/parked');
    const rows = [];
    Object.entries(parked).forEach(([pattern, events]) => {
      if (!Array.isArray(events)) {
        rows.push(el('tr', {}, el('td', {}, pattern), el('td', { class: 'error', colspan: 7 }, events.error)));
        return;
      }
      events.forEach(e => {
        const redrive = el('button', { type: 'button', 'data-redrive': e.id }, 'redrive');
        redrive.addEventListener('click', async () => {
          try {
            await json('/api/parked/' + pattern + '/' + e.id + '/redrive', { method: 'POST' });
            $('#parked-status').textContent = 'redriven: ' + e.id;
          } catch (failure) {
            $('#parked-status').textContent = 'not redriven: ' + failure.message;
          }
          refreshParked();
        });
        rows.push(el('tr', {}, el('td', {}, pattern), el('td', {}, e.id), el('td', {}, orderLink(e.aggregateId)),
          el('td', {}, e.type), el('td', {}, String(e.attempts)), el('td', { class: 'error' }, e.lastError ?? ''), el('td', {}, time(e.parkedAt)), el('td', {}, redrive)));
      });
    });
    body.replaceChildren(...(rows.length ? rows : [el('tr', {}, el('td', { colspan: 8, class: 'muted' }, 'nothing parked'))]));
  } catch (e) {
    body.replaceChildren(el('tr', {}, el('td', { class: 'error', colspan: 8 }, 'not read: ' + e.message)));
  }
}

async function refreshDeadLetters() {
  const body = $('#dead-letters tbody');
  try {
    const topics = await json('/api/explore/dead-letters');
    const rows = Object.values(topics).flat().map(r => el('tr', {},
      el('td', {}, r.topic), el('td', {}, r.partition + '/' + r.offset), el('td', {}, orderLink(r.key)), el('td', {}, time(r.timestamp)),
      el('td', { class: 'error' }, (r.headers['kafka_dlt-exception-fqcn'] ?? '') + ': ' + (r.headers['kafka_dlt-exception-message'] ?? ''))));
    body.replaceChildren(...(rows.length ? rows : [el('tr', {}, el('td', { colspan: 5, class: 'muted' }, 'no dead letters'))]));
  } catch (e) {
    body.replaceChildren(el('tr', {}, el('td', { class: 'error', colspan: 5 }, 'not read: ' + e.message)));
  }
}

function orderLink(id) {
  return id ? el('a', { href: 'order.html?id=' + encodeURIComponent(id) }, id) : '—';
}

async function refreshOrders() {
  const body = $('#orders tbody');
  try {
    const orders = await json('/api/explore/orders?limit=20');
    body.replaceChildren(...orders.map(o => el('tr', { 'data-order': o.id },
      el('td', {}, orderLink(o.id)), el('td', {}, o.pattern), el('td', {}, o.status), el('td', {}, String(o.version)), el('td', {}, time(o.createdAt)))));
  } catch (e) {
    body.replaceChildren(el('tr', {}, el('td', { class: 'error', colspan: 5 }, 'not read: ' + e.message)));
  }
}

$('#parked-refresh').addEventListener('click', refreshParked);
$('#dlt-refresh').addEventListener('click', refreshDeadLetters);
$('#orders-refresh').addEventListener('click', refreshOrders);

// ---- start

async function start() {
  try {
    history.push(...(await json('/api/live/history')).slice(-HISTORY));
    if (history.length) {
      render(history[history.length - 1]);
    }
  } catch (e) {
    $('#clock').textContent = 'history not read: ' + e.message;
  }
  const live = new EventSource('/api/live');
  live.addEventListener('snapshot', event => {
    history.push(JSON.parse(event.data));
    if (history.length > HISTORY) {
      history.shift();
    }
    render(history[history.length - 1]);
  });
  live.onerror = () => { $('#clock').textContent = 'reconnecting…'; };
  refreshParked();
  refreshDeadLetters();
  refreshOrders();
  setInterval(refreshOrders, 5000);
}

start();
