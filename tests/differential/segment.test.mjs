// Differential test against Segment's own code (issue 16): the event-name
// decision, the order id, the amount and `repeat`, on several thousand
// generated (seeded) events, through the built package (the plugin, run by
// Node's V8 on the shipped wasm) against what Segment's Convertro
// integration sends. The oracles are Segment's published packages, at the
// versions @segment/analytics.js-integration 3.3.3 resolves:
// - `to-no-case` 0.1.3, which normalises event names and mapping keys;
// - `@segment/facade`, whose Track reads the order id, total, revenue and
//   repeat (through obj-case);
// - `analytics-events`, whose `orderCompleted` pattern routes an event to
//   the integration's orderCompleted.
// What the integration does with them (integrations/convertro/lib/index.js:
// orderCompleted and track) is written below as the oracle; then the
// deliberate differences the README lists are applied, each by a named
// function. Any other difference fails the test.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { ROOT } from '../support/paths.mjs';
import { rng } from '../../bench/page.js';

const require = createRequire(import.meta.url);
const toNoCase = require('to-no-case');
const { Track } = require('@segment/facade');
const { orderCompleted: SEGMENT_ORDER_COMPLETED } = require('analytics-events');

// ------------------------------------------------------------ Segment's side

/** What Segment's Convertro integration pushes for a track event: [name, payload] commands. */
function segmentSends(settings, event, isOrder) {
  // traverse: false keeps ISO-8601 strings as strings (README: analytics-next
  // makes them Dates for classic destinations; this package does not).
  const track = new Track(event, { traverse: false });
  const id = track.orderId();
  const amount = track.total() || track.revenue();
  const out = [];
  if (isOrder(track.event())) {
    const repeat = track.proxy('properties.repeat');
    if (typeof repeat === 'boolean') out.push({ type: repeat ? 'sale.repeat' : 'sale.new', id, amount });
    if (typeof repeat !== 'boolean' || settings.hybridAttributionModel) out.push({ type: 'sale', id, amount });
  } else {
    // analytics.js-integration's map(): the mapping keys whose to-no-case form is the name's.
    const wanted = toNoCase(track.event());
    for (const [key, type] of Object.entries(settings.events)) {
      if (toNoCase(key) === wanted) out.push({ type, id, amount });
    }
  }
  return { track, out };
}

// ------------------------------------- the README's deliberate differences

/** "Anchored event-name match": Order Completed is the whole name (up to one separator around it). */
const ANCHORED_ORDER_COMPLETED = /^[ _]?(?:order[ _]?completed|completed[ _]?order)[ _]?$/i;
const isOrder = (name) => SEGMENT_ORDER_COMPLETED.test(name) && ANCHORED_ORDER_COMPLETED.test(name);

/**
 * An order id this package sends: the facade's pick when it is truthy (when
 * none is, `a || b || c` gives the last falsy one, such as 0: "no order id")
 * and a non-empty string or a finite number.
 */
const usableId = (id) => !!id && (typeof id === 'string' || (typeof id === 'number' && Number.isFinite(id)));

/**
 * "Amounts are always numbers", "a total of 0 is kept", "a revenue of 0 is
 * kept": the first of total and revenue (as the facade finds them) that is
 * a finite number or a string that reads as one once `$` signs are removed.
 */
function amountOf(track) {
  for (const value of [track.total(), track.proxy('properties.revenue')]) {
    if (typeof value === 'number' && Number.isFinite(value)) return value;
    if (typeof value === 'string') {
      const n = parseFloat(value.replace(/\$/g, ''));
      if (Number.isFinite(n)) return n;
    }
  }
  return undefined;
}

/** Segment's commands, with the deliberate differences applied: what this package must push. */
function expected(settings, event) {
  const order = isOrder(event.event);
  const { track, out } = segmentSends(settings, event, isOrder);
  // "Order id required": an order without a usable id sends nothing.
  if (order && !usableId(track.orderId())) return [];
  const amount = amountOf(track);
  return out.map(({ type, id }) => {
    const payload = { type };
    // "Ids are sent as strings"; "no id when it is not usable".
    if (usableId(id)) payload.id = String(id);
    if (amount !== undefined) payload.amount = amount;
    return ['trackEvent', payload];
  });
}

// ------------------------------------------------------------ inputs

// Seeded, so a failure reproduces.
const rand = rng(16);
const pick = (list) => list[Math.floor(rand() * list.length)];

const WORDS = ['order', 'refunded', 'signed', 'up', 'step2', 'done', 'lead', 'html', 'page', 'viewed', 'completed', 'a', 'x1', '2', 'größe', 'Σας', 'straße', 'ünïcode'];
const SEPARATORS = ['', '', ' ', ' ', '_', '-', '.', '/', ':', '!', '  ', '__', ' _ ', '\t', '\u00a0', '\ufeff', '\u0085', '✓', '日本'];
const recase = (word) => pick([
  (w) => w, (w) => w.toLowerCase(), (w) => w.toUpperCase(), (w) => w.charAt(0).toUpperCase() + w.slice(1),
  (w) => [...w].map((c) => (rand() < 0.5 ? c.toUpperCase() : c.toLowerCase())).join(''),
  (w) => w.replace('k', '\u212a').replace('i', 'İ'),
])(word);

/** A name of one to four words, in mixed case, joined and edged by separators. */
function name() {
  const words = Array.from({ length: 1 + Math.floor(rand() * 4) }, () => recase(pick(WORDS)));
  const edge = () => (rand() < 0.2 ? pick(SEPARATORS) : '');
  return edge() + words.map((w, i) => (i === 0 ? w : pick(SEPARATORS) + w)).join('') + edge();
}

/** Another spelling of `original`: its words re-cased and re-joined. */
function variant(original) {
  const words = original.split(/[^A-Za-z0-9]+/).filter(Boolean);
  if (words.length === 0) return original;
  const sep = pick(['', ' ', '_', '-', '.', '/', '  ', '__']);
  return words.map(recase).join(sep);
}

const KEYS = ['id', 'ID', 'Id', '_id', 'i.d', 'order_id', 'orderId', 'OrderID', 'ORDER-ID', 'order.id', 'order id', 'total', 'Total', 'TOTAL', 'to.tal', 'revenue', 'Revenue', 're_venue', 'repeat', 'Repeat', 'sku', 'name'];
const VALUES = [0, -0, 1, 12345, 3.5, -2, NaN, Infinity, -Infinity, '', '0', 'o-1', '$5.50', '12 USD', 'abc', 'Infinity', '2024-01-02T00:00:00.000Z', true, false, null, undefined, {}, [], { n: 1 }];

function properties() {
  const out = {};
  for (let i = Math.floor(rand() * 6); i > 0; i--) out[pick(KEYS)] = pick(VALUES);
  return out;
}

const ORDER_NAMES = ['Order Completed', 'order_completed', 'OrderCompleted', ' Order Completed_', 'Completed Order', 'completed order refund', 'Completed Order Refund', 'Order Completed Refund', 'My Order Completed', 'order  completed', 'ORDER-COMPLETED'];

// ------------------------------------------------------------ the package

/** The built plugin, in Node: the same js/index.js and wasm a site ships. */
async function plugin(settings) {
  // js/index.js refuses to start outside a browser; the plugin's track path
  // touches nothing of the page but window.$CVO, so a bare document will do.
  globalThis.document ??= {};
  const { convertro } = await import(path.join(ROOT, 'js/index.js'));
  return convertro(settings, { wasm: readFileSync(path.join(ROOT, 'pkg/convertro_bg.wasm')) });
}

function sent(destination, event) {
  globalThis.$CVO = [];
  destination.track({ event: { type: 'track', ...event }, log() {} });
  return globalThis.$CVO;
}

// ------------------------------------------------------------ tests

const mappingKeys = Array.from({ length: 40 }, name);
const SETTINGS = [false, true].map((hybridAttributionModel) => ({
  account: 'acme',
  hybridAttributionModel,
  events: Object.fromEntries(mappingKeys.filter((k) => k !== '').map((k, i) => [k, `t${i}`])),
}));

/** Runs `events` through every settings; fails with the first differences. */
async function compare(events) {
  const differences = [];
  let sending = 0;
  for (const settings of SETTINGS) {
    const destination = await plugin(settings);
    for (const event of events) {
      const want = expected(settings, event);
      const got = sent(destination, event);
      if (want.length > 0) sending++;
      try {
        assert.deepStrictEqual(got, want);
      } catch {
        if (differences.length < 10) differences.push({ hybrid: settings.hybridAttributionModel, event, segment: want, package: got });
      }
    }
  }
  assert.deepEqual(differences, [], `differences from Segment's integration (first 10):\n${JSON.stringify(differences, null, 1)}`);
  return sending;
}

test('event names: the same mapped conversions as Segment for 4,000 generated names', async () => {
  const names = Array.from({ length: 4000 }, (_, i) => (i % 2 === 0 ? name() : variant(pick(mappingKeys))));
  const sending = await compare(names.map((n) => ({ event: n, properties: {} })));
  // Enough names of both kinds for the test to mean something.
  assert.ok(sending > 1000 && sending < 7000, `${sending} of 8000 sent`);
});

test('the order id, amount and repeat: the same as Segment for 3,000 generated orders and mapped events', async () => {
  const events = Array.from({ length: 3000 }, (_, i) => ({
    event: i % 3 === 0 ? pick(mappingKeys) : pick(ORDER_NAMES),
    properties: properties(),
  }));
  const sending = await compare(events);
  assert.ok(sending > 1000, `${sending} of 6000 sent`);
});

test('the oracle itself sees the corners of issue 16', () => {
  assert.equal(toNoCase('Order/Refunded'), toNoCase('ORDER_REFUNDED'));
  assert.equal(toNoCase('Step2Done'), toNoCase('step2_done'));
  assert.notEqual(toNoCase(' Signed Up'), toNoCase('Signed Up'));
  assert.equal(new Track({ event: 'x', properties: { id: 0, orderId: 'o-1' } }).orderId(), 'o-1');
  assert.ok(SEGMENT_ORDER_COMPLETED.test('Completed Order Refund') && !isOrder('Completed Order Refund'));
});
