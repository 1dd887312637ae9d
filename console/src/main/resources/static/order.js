'use strict';
// One order's whole way: /api/explore/orders/{id}, drawn as a timeline and the rows and records behind it.

const $ = selector => document.querySelector(selector);
const el = (tag, attributes = {}, ...children) => {
  const node = document.createElement(tag);
  Object.entries(attributes).forEach(([name, value]) => node.setAttribute(name, value));
  children.forEach(child => node.append(child ?? ''));
  return node;
};
const row = (...cells) => el('tr', {}, ...cells.map(cell => el('td', {}, cell === null || cell === undefined ? '—' : String(cell))));
const iso = value => value ? new Date(value).toISOString().replace('T', ' ').slice(0, 23) : null;

async function show(id) {
  $('#order-id').value = id;
  const response = await fetch('/api/explore/orders/' + encodeURIComponent(id));
  const body = await response.json().catch(() => ({}));
  if (!response.ok) {
    $('#problem').textContent = body.detail || ('not found: ' + response.status);
    $('#problem').classList.remove('hidden');
    return;
  }
  $('#problem').classList.add('hidden');
  const o = body.order;
  $('#order tbody').replaceChildren(
    row('id', o.id), row('pattern', o.pattern), row('customer', o.customerId), row('status', o.status),
    row('version', o.version), row('total', o.totalAmount + ' ' + o.currency), row('created', iso(o.createdAt)), row('updated', iso(o.updatedAt)));
  $('#items tbody').replaceChildren(...body.items.map(i => row(i.lineNo, i.sku, i.quantity, i.unitPrice)));
  $('#event-table').textContent = body.eventTable ?? (o.pattern === 'TRANSACTIONAL_LOG_TAILING'
    ? 'the WAL (cdc_outbox rows are deleted in the transaction that writes them)' : 'no table: the naive write sends itself');
  $('#events tbody').replaceChildren(...body.events.map(e => row(e.position, e.id, e.type, iso(e.createdAt), iso(e.publishedAt),
    e.attempts, iso(e.parkedAt), e.lastError, e.traceContext)));
  $('#topic').textContent = body.topic;
  $('#records tbody').replaceChildren(...body.records.map(r => el('tr', { 'data-record': r.offset },
    el('td', {}, r.partition + '/' + r.offset), el('td', {}, iso(r.timestamp)),
    el('td', {}, el('pre', {}, Object.entries(r.headers).map(([k, v]) => k + ': ' + v).join('\n'))),
    el('td', {}, el('pre', {}, r.value)))));
  const d = body.downstream;
  $('#downstream tbody').replaceChildren(...(d ? [row('status', d.status), row('version', d.version), row('events applied', d.eventsApplied),
    row('last event', d.lastEventId), row('last event occurred', iso(d.lastEventOccurredAt)), row('applied', iso(d.appliedAt))]
    : [row('not applied (yet)')]));
  timeline(body);
}

function timeline(body) {
  const start = new Date(body.order.createdAt).getTime();
  const steps = [[body.order.createdAt, body.order.pattern, 'order committed (version 1)']];
  body.events.forEach(e => {
    steps.push([e.createdAt, body.eventTable, e.type + ' written']);
    if (e.publishedAt) steps.push([e.publishedAt, body.eventTable, e.type + ' acknowledged by Kafka (published_at)']);
    if (e.parkedAt) steps.push([e.parkedAt, body.eventTable, e.type + ' parked: ' + (e.lastError ?? '')]);
  });
  body.records.forEach(r => steps.push([r.timestamp, body.topic, (r.headers.eventType ?? 'record') + ' at ' + r.partition + '/' + r.offset]));
  if (body.downstream) steps.push([body.downstream.appliedAt, 'order-consumer', 'version ' + body.downstream.version + ' applied']);
  steps.sort((a, b) => new Date(a[0]) - new Date(b[0]));
  $('#timeline tbody').replaceChildren(...steps.map(([when, where, what]) =>
    row(iso(when), new Date(when).getTime() - start, where, what)));
}

$('#find').addEventListener('submit', event => {
  event.preventDefault();
  history.replaceState(null, '', '?id=' + encodeURIComponent($('#order-id').value.trim()));
  show($('#order-id').value.trim());
});

const id = new URLSearchParams(location.search).get('id');
if (id) {
  show(id);
}
