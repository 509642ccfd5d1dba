// The part of the benchmark that runs in the page (served by bench/serve.mjs,
// driven by bench/run.mjs). It loads the wasm plugin (/js/index.js) and the
// JavaScript reference (/bench/reference/convertro.js) side by side, with the
// same settings, and times their hooks on the same events, shaped like the
// ones @segment/analytics-next hands to a destination.

// ---------------------------------------------------------------- settings

const EVENTS = [
  { key: 'Signed Up', value: 'signup' },
  { key: 'Trial Started', value: 'trial' },
  { key: 'Trial Started', value: 'lead' },
  { key: 'Product Added', value: 'cart' },
];

/** Two configurations: `plain` and `hybrid` (hybridAttributionModel on). */
export const SETTINGS = {
  plain: { account: 'acme-shop', events: EVENTS, hybridAttributionModel: false, clientName: 'acme', siteId: '1234', domain: 'shop.example.com' },
  hybrid: { account: 'acme-shop', events: EVENTS, hybridAttributionModel: true, clientName: 'acme', siteId: '1234', domain: 'shop.example.com' },
};

// ------------------------------------------------------------------ events

/** A small deterministic PRNG (mulberry32), so every run uses the same events (the differential test's too). */
export function rng(seed) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = rng(20240601);
const hex = (n) => Array.from({ length: n }, () => Math.floor(random() * 16).toString(16)).join('');
const uuid = () => `${hex(8)}-${hex(4)}-4${hex(3)}-a${hex(3)}-${hex(12)}`;

/** What analytics-next puts around every event (Context enrichment). */
function envelope(type, i) {
  return {
    type,
    messageId: `ajs-next-${Date.now()}-${hex(32)}`,
    anonymousId: uuid(),
    userId: i % 3 === 0 ? null : `user-${i % 50}`,
    timestamp: new Date(1717200000000 + i * 1000),
    context: {
      page: {
        path: '/checkout/complete',
        referrer: 'https://www.example.com/blog/spring-sale',
        search: '?utm_source=newsletter&utm_medium=email',
        title: 'Thank you for your order – Acme Shop',
        url: 'https://shop.example.com/checkout/complete?utm_source=newsletter&utm_medium=email',
      },
      userAgent: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36',
      userAgentData: { brands: [{ brand: 'Chromium', version: '156' }, { brand: 'Not.A/Brand', version: '24' }], mobile: false, platform: 'Linux' },
      locale: 'en-US',
      library: { name: 'analytics.js', version: 'npm:next-1.84.3' },
      campaign: { source: 'newsletter', medium: 'email' },
    },
    integrations: {},
  };
}

const track = (name, properties) => (i) => ({ ...envelope('track', i), event: name, properties: properties(i) });

const products = (i) => [
  { product_id: `507f1f77bcf86cd7994390${10 + (i % 80)}`, sku: '45790-32', name: 'Monopoly: 3rd Edition', price: 19, quantity: 1, category: 'Games', url: 'https://shop.example.com/p/monopoly', image_url: 'https://shop.example.com/i/monopoly.jpg' },
  { product_id: '505bd76785ebb509fc183733', sku: '46493-32', name: 'Uno Card Game', price: 3, quantity: 2, category: 'Games' },
  { product_id: '505bd76785ebb509fc183799', sku: '11111-01', name: 'Chess Set', price: 2.5, quantity: 1, category: 'Games', coupon: 'SPRING' },
];

const order = (extra) => (i) => ({
  checkout_id: 'fksdjfsdjfisjf9sdfjsd9f',
  order_id: `50314b8e9bcf000000000000-${i}`,
  affiliation: 'Google Store',
  total: 27.5,
  subtotal: 22.5,
  revenue: 25.0,
  shipping: 3,
  tax: 2,
  discount: 2.5,
  coupon: 'hasbros',
  currency: 'USD',
  products: products(i),
  ...extra,
});

/**
 * The event kinds: what each is, which hook and which configuration gets it,
 * how often it appears in the mix, and a factory for the i-th event.
 */
export const KINDS = [
  { name: 'Order Completed, repeat: true', hook: 'track', config: 'plain', weight: 1, make: track('Order Completed', order({ repeat: true })) },
  { name: 'Order Completed, repeat: false', hook: 'track', config: 'plain', weight: 1, make: track('Order Completed', order({ repeat: false })) },
  { name: 'Order Completed, no repeat', hook: 'track', config: 'plain', weight: 1, make: track('Order Completed', order({})) },
  { name: 'Order Completed, repeat: true, hybrid', hook: 'track', config: 'hybrid', weight: 1, make: track('Order Completed', order({ repeat: true })) },
  { name: 'Order Completed, repeat: false, hybrid', hook: 'track', config: 'hybrid', weight: 1, make: track('Order Completed', order({ repeat: false })) },
  { name: 'Order Completed, no repeat, hybrid', hook: 'track', config: 'hybrid', weight: 1, make: track('Order Completed', order({})) },
  {
    name: 'order_completed, numeric orderId, "$" total', hook: 'track', config: 'plain', weight: 1,
    make: track('order_completed', (i) => { const p = order({ orderId: 100000 + i, total: '$50.99', repeat: 'true' })(i); delete p.order_id; return p; }),
  },
  { name: 'Order Completed without an id (skipped)', hook: 'track', config: 'plain', weight: 1, make: track('Order Completed', (i) => { const p = order({})(i); delete p.order_id; return p; }) },
  { name: 'mapped: signed_up → signup', hook: 'track', config: 'plain', weight: 1, make: track('signed_up', () => ({ plan: 'pro', method: 'email', trial_days: 14 })) },
  { name: 'mapped twice: Trial Started → trial, lead', hook: 'track', config: 'plain', weight: 1, make: track('Trial Started', (i) => ({ id: `trial-${i}`, plan: 'team', revenue: '$49.00', seats: 5 })) },
  {
    name: 'mapped: Product Added → cart', hook: 'track', config: 'plain', weight: 2,
    make: track('Product Added', (i) => ({ cart_id: 'skdjsidjsdkdj29j', ...products(i)[0], variant: 'standard', position: 3 })),
  },
  {
    name: 'unmapped: Product Viewed', hook: 'track', config: 'plain', weight: 6,
    make: track('Product Viewed', (i) => ({ ...products(i)[1], brand: 'Hasbro', variant: 'red', position: 1, value: 3, currency: 'USD' })),
  },
  { name: 'unmapped: Checkout Step Viewed', hook: 'track', config: 'plain', weight: 2, make: track('Checkout Step Viewed', () => ({ checkout_id: '50314b8e9bcf000000000000', step: 2, shipping_method: 'Fedex', payment_method: 'Visa' })) },
  {
    name: 'identify, 6 traits', hook: 'identify', config: 'plain', weight: 2,
    make: (i) => ({
      ...envelope('identify', i),
      userId: `user-${i % 50}`,
      traits: { email: `peter${i % 50}@example.com`, name: 'Peter Gibbons', plan: 'premium', logins: 5 + (i % 7), company: { name: 'Initech', employees: 200 }, createdAt: '2024-03-01T10:00:00.000Z' },
    }),
  },
  { name: 'identify, no userId (skipped)', hook: 'identify', config: 'plain', weight: 1, make: (i) => ({ ...envelope('identify', i), userId: null, traits: { plan: 'free' } }) },
];

/** Order Completed whose properties have `keys` keys, the id last. */
export function wideOrder(keys, i) {
  const properties = {};
  for (let k = 0; k < keys - 1; k++) properties[`attribute_${k}`] = k % 2 ? k * 1.5 : `value ${k}`;
  properties.order_id = `wide-${keys}-${i}`;
  return { ...envelope('track', i), event: 'Order Completed', properties };
}

// ----------------------------------------------------------------- contexts

let logs = 0;
/** The part of analytics-next's Context a destination uses: `event` and `log`. */
class Context {
  constructor(event) { this.event = event; this.id = hex(16); }
  log(level, message) { logs++; }
}

// ------------------------------------------------------------------ set-up

const impls = {};
let memory;
let queue;

/** A fresh `$CVO` queue (a plain array, as before the tag has loaded). */
function resetQueue() {
  if (queue) queue.length = 0;
  else window.$CVO = queue = [];
}

/**
 * From now on the queue looks like Convertro's once its tag has loaded
 * (`$CVO.trackEvent` is a function): a destination then keeps nothing in its
 * outbox. For the last measurements of a page only (a destination that has
 * seen the tag loaded does not ask again).
 */
export function tagLoaded() {
  queue.trackEvent = () => {};
}

/**
 * Loads both implementations and makes a plugin of each per configuration.
 * Returns what the bench should know about the page. `base` is where js/
 * and pkg/ are served ('' for the package's own; the profiler uses a build
 * that keeps the wasm function names).
 */
export async function setup(referenceUrl, base = '') {
  resetQueue();
  const wasmModule = await import(`${base}/js/index.js`);
  const refModule = await import(referenceUrl);
  for (const [name, mod] of [['wasm', wasmModule], ['ref', refModule]]) {
    const convertro = mod.convertro ?? mod.default;
    impls[name] = {
      plain: await convertro(SETTINGS.plain),
      hybrid: await convertro(SETTINGS.hybrid),
    };
  }
  impls.refw = { plain: withWrites(impls.ref.plain), hybrid: withWrites(impls.ref.hybrid) };
  // The glue is a module singleton: instanceExports() gives the exports of
  // the instance js/index.js made. The memory export's name is minified.
  const glue = await import(`${base}/pkg/convertro.js`);
  const exports = glue.instanceExports();
  memory = Object.values(exports).find((v) => v instanceof WebAssembly.Memory);
  buildPools();
  return { crossOriginIsolated: self.crossOriginIsolated, memory: memoryBytes(), kinds: KINDS.map((k) => k.name) };
}

export const memoryBytes = () => memory.buffer.byteLength;

/**
 * Adds Segment's own Convertro integration, built by bench/segment-peer.mjs
 * and served at `url`, as the implementation `segment` (the peer of issue
 * 24's per-event budget), with the same settings.
 */
export async function addPeer(url) {
  const { segment } = await import(url);
  impls.segment = { plain: segment(SETTINGS.plain), hybrid: segment(SETTINGS.hybrid) };
}

let written = 0;
/**
 * `plugin` (the reference's) with the one thing issue 25 asks of a
 * destination before Convertro's tag loads and the reference does not do:
 * each command it pushes also written to `localStorage` as it is sent,
 * `{ at, command }` under a key of its own, the oldest key removed beyond
 * 100 (as the outbox keeps them). Nothing else of the outbox (no lease, no
 * take-over): the guard's comparison with that write counted.
 */
function withWrites(plugin) {
  const hook = (name) => (ctx) => {
    const before = queue.length;
    plugin[name](ctx);
    for (let i = before; i < queue.length; i++) {
      localStorage.setItem(`bench:written:${written}`, JSON.stringify({ at: Date.now(), command: queue[i] }));
      if (written >= 100) localStorage.removeItem(`bench:written:${written - 100}`);
      written++;
    }
    return ctx;
  };
  return { identify: hook('identify'), track: hook('track') };
}

/**
 * Crossings between JS and wasm per event kind: the hook's one call into
 * wasm, plus every call the wasm makes out to JS (each import, wasm-bindgen's
 * string and externref helpers included), counted on a separate instance of
 * the glue whose imports are wrapped with a counter. "first": the first
 * event on a new destination; "warm": the next one of the same kind.
 */
export async function crossings(base = '') {
  const glue = await import(`${base}/pkg/convertro.js?crossings`);
  const module = await WebAssembly.compile(await (await fetch(`${base}/pkg/convertro_bg.wasm`)).arrayBuffer());
  const imports = glue.imports();
  let calls = 0;
  for (const namespace of Object.values(imports)) {
    for (const [name, f] of Object.entries(namespace)) {
      if (typeof f === 'function') namespace[name] = function (...args) { calls++; return f.apply(this, args); };
    }
  }
  glue.finalize(await WebAssembly.instantiate(module, imports), module);
  resetQueue();
  return KINDS.map((kind) => {
    const destination = glue.make(SETTINGS[kind.config], false, '1', () => {});
    const count = (i) => {
      calls = 0;
      glue[kind.hook](destination, new Context(kind.make(i)));
      return 1 + calls;
    };
    return { name: kind.name, first: count(0), warm: count(1) };
  });
}

const POOL = 64;
let pools;
let mix;

function buildPools() {
  let n = 0;
  pools = KINDS.map((kind) => Array.from({ length: POOL }, () => new Context(kind.make(n++))));
  // The mix: every kind by weight, shuffled (the same order every run).
  const shuffle = rng(7);
  const items = [];
  for (let round = 0; round < 24; round++) {
    KINDS.forEach((kind, k) => {
      for (let w = 0; w < kind.weight; w++) items.push({ k, ctx: pools[k][(round * kind.weight + w) % POOL] });
    });
  }
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(shuffle() * (i + 1));
    [items[i], items[j]] = [items[j], items[i]];
  }
  mix = items.map(({ k, ctx }) => ({ identify: KINDS[k].hook === 'identify', config: KINDS[k].config, ctx }));
}

export const mixLength = () => mix.length;

// ----------------------------------------------------------------- timing

/**
 * One round for one implementation: each kind `batches[k]` times in a row
 * (or `batches` times when it is a number), then the mix `mixReps` times.
 * Returns nanoseconds per event.
 */
export function round(impl, batches, mixReps) {
  const plugins = impls[impl];
  const perKind = [];
  for (let k = 0; k < KINDS.length; k++) {
    const batch = typeof batches === 'number' ? batches : batches[k];
    const pool = pools[k];
    const plugin = plugins[KINDS[k].config];
    const identify = KINDS[k].hook === 'identify';
    resetQueue();
    let t0, t1;
    if (identify) {
      t0 = performance.now();
      for (let i = 0; i < batch; i++) plugin.identify(pool[i & (POOL - 1)]);
      t1 = performance.now();
    } else {
      t0 = performance.now();
      for (let i = 0; i < batch; i++) plugin.track(pool[i & (POOL - 1)]);
      t1 = performance.now();
    }
    perKind.push(((t1 - t0) * 1e6) / batch);
  }
  resetQueue();
  const { plain, hybrid } = plugins;
  const t0 = performance.now();
  for (let r = 0; r < mixReps; r++) {
    for (let i = 0; i < mix.length; i++) {
      const { identify, config, ctx } = mix[i];
      const plugin = config === 'plain' ? plain : hybrid;
      if (identify) plugin.identify(ctx);
      else plugin.track(ctx);
    }
    queue.length = 0;
  }
  const t1 = performance.now();
  resetQueue();
  return { perKind, mix: ((t1 - t0) * 1e6) / (mixReps * mix.length) };
}

/** The commands each implementation (and the peer, when added) sends for one event of every kind. */
export function commands() {
  const out = {};
  for (const impl of ['wasm', 'ref', ...(impls.segment ? ['segment'] : [])]) {
    out[impl] = KINDS.map((kind, k) => {
      resetQueue();
      const ctx = new Context(kind.make(k));
      impls[impl][kind.config][kind.hook](ctx);
      return JSON.stringify(queue);
    });
  }
  resetQueue();
  return out;
}

// ------------------------------------------------------------------ growth

/**
 * Runs the mix through `impl` until `counts` events have been handled (one
 * checkpoint per count). Returns per checkpoint the ns/event over the events
 * since the last checkpoint and the wasm memory after it.
 */
export function growthByCount(impl, counts) {
  const { plain, hybrid } = impls[impl];
  const out = [];
  let done = 0;
  let i = 0;
  resetQueue();
  for (const count of counts) {
    let ns = 0;
    const segment = count - done;
    while (done < count) {
      const n = Math.min(1000, count - done);
      const t0 = performance.now();
      for (let j = 0; j < n; j++) {
        const { identify, config, ctx } = mix[i];
        i = i + 1 === mix.length ? 0 : i + 1;
        const plugin = config === 'plain' ? plain : hybrid;
        if (identify) plugin.identify(ctx);
        else plugin.track(ctx);
      }
      ns += (performance.now() - t0) * 1e6;
      queue.length = 0;
      done += n;
    }
    out.push({ count, ns: ns / segment, memory: memoryBytes() });
  }
  return out;
}

let widePools = {};
/** ns/event for Order Completed with `keys` property keys (id last), `batch` in a row. */
export function wide(impl, keys, batch) {
  const pool = (widePools[keys] ??= Array.from({ length: 16 }, (_, i) => new Context(wideOrder(keys, i))));
  const plugin = impls[impl].plain;
  resetQueue();
  const t0 = performance.now();
  for (let i = 0; i < batch; i++) plugin.track(pool[i & 15]);
  const t1 = performance.now();
  const sent = queue.length;
  resetQueue();
  return { ns: ((t1 - t0) * 1e6) / batch, sent, memory: memoryBytes() };
}

export const logCount = () => logs;
