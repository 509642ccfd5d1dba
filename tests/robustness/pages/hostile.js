// Browser side of hostile-input.test.mjs: the hostile contexts (made in the
// page, since proxies, symbols, getters and BigInts can't cross from node),
// and a runner that calls the plugin's hooks directly with each and reports
// what happened.

const MiB = 1024 * 1024;
const big = (fill = 'x') => fill.repeat(Math.ceil(MiB / fill.length)).slice(0, MiB);
const thrower = (label) => () => { throw new Error(`hostile ${label}`); };

/** A Proxy whose every trap throws. */
export function throwingProxy(target = {}) {
  const trap = thrower('proxy trap');
  return new Proxy(target, {
    get: trap, set: trap, has: trap, ownKeys: trap, getOwnPropertyDescriptor: trap, defineProperty: trap,
    deleteProperty: trap, getPrototypeOf: trap, setPrototypeOf: trap, isExtensible: trap, preventExtensions: trap,
    apply: trap, construct: trap,
  });
}

export function revokedProxy() {
  const { proxy, revoke } = Proxy.revocable({}, {});
  revoke();
  return proxy;
}

function manyKeys(n, value = (i) => i) {
  const o = {};
  for (let i = 0; i < n; i++) o[`key_${i}`] = value(i);
  return o;
}

const evilToString = () => ({ toString: thrower('toString'), valueOf: thrower('valueOf'), [Symbol.toPrimitive]: thrower('toPrimitive') });
const withGetter = (key, extra = {}) => Object.defineProperty({ ...extra }, key, { get: thrower(`getter ${key}`), enumerable: true });

const order = (properties) => ({ event: { type: 'track', event: 'Order Completed', properties } });
const user = (userId, traits) => ({ event: { type: 'identify', userId, traits } });
const named = (event, properties) => ({ event: { type: 'track', event, properties } });
/**
 * A trait whose `toJSON` (run when the outbox stores the trackUser, the tag
 * not loaded) tracks an order through the plugin, the first time: a call
 * into the destination while its outbox is in use.
 */
let noteCalls = 0;
const noteCallingTrack = {
  toJSON() {
    if (noteCalls++ === 0) window.__plugin.track({ event: { type: 'track', event: 'Order Completed', properties: { order_id: 'from-json' } }, log() {} });
    return 'n';
  },
};
const sale = (id, amount) => ['trackEvent', amount === undefined ? { type: 'sale', id } : { type: 'sale', id, amount }];

/**
 * Each case: `label` (what was tried, for the report), `hook`, `make()` a
 * fresh ctx (without a log method: the runner adds one unless `bare`),
 * `plain` when the input is plain data (then it is deep-frozen and compared
 * before/after), and `expect`: the exact commands the spec calls for, or
 * undefined when any well-formed outcome is acceptable.
 */
export const cases = [
  // ---- properties / traits that are throwing Proxies, getters, toString/valueOf
  { label: 'track: properties is a Proxy whose every trap throws', hook: 'track', make: () => order(throwingProxy()), expect: [] },
  { label: 'track: properties is a revoked Proxy', hook: 'track', make: () => order(revokedProxy()), expect: [] },
  { label: 'track: event object itself is a throwing Proxy', hook: 'track', make: () => ({ event: throwingProxy() }), expect: [] },
  { label: 'track: ctx is a throwing Proxy', hook: 'track', bare: true, make: () => throwingProxy(), expect: [] },
  { label: 'track: getter on `order_id` throws, `total` fine', hook: 'track', make: () => order(withGetter('order_id', { total: 5 })) },
  { label: 'track: getter on `total` throws, `order_id` fine', hook: 'track', make: () => order(withGetter('total', { order_id: 'g-1' })) },
  { label: 'track: getter on `total` throws, `revenue` 5', hook: 'track', make: () => order(withGetter('total', { order_id: 'g-2', revenue: 5 })), expect: [sale('g-2', 5)] },
  { label: 'track: getter on `properties` throws', hook: 'track', make: () => ({ event: withGetter('properties', { event: 'Order Completed' }) }), expect: [] },
  { label: 'track: getter on `event` (the name) throws', hook: 'track', make: () => ({ event: withGetter('event', { properties: { order_id: 'x' } }) }), expect: [] },
  { label: 'track: getter on `ctx.event` throws', hook: 'track', make: () => withGetter('event'), expect: [] },
  { label: 'track: order id and total with throwing toString/valueOf/toPrimitive', hook: 'track', make: () => order({ order_id: evilToString(), total: evilToString() }), expect: [] },
  { label: 'track: valid order id, total with throwing valueOf', hook: 'track', make: () => order({ order_id: 'v-1', total: evilToString() }), expect: [sale('v-1')] },
  { label: 'track: ctx.log throws', hook: 'track', bare: true, make: () => ({ event: { event: 'Order Completed', properties: null }, log: thrower('log') }), expect: [] },
  { label: 'identify: traits is a Proxy whose every trap throws', hook: 'identify', make: () => user('u-1', throwingProxy()) },
  { label: 'identify: traits is a revoked Proxy', hook: 'identify', make: () => user('u-1', revokedProxy()) },
  { label: 'identify: traits with a throwing getter', hook: 'identify', make: () => user('u-1', withGetter('email', { name: 'n' })) },
  { label: 'identify: getter on `userId` throws', hook: 'identify', make: () => ({ event: withGetter('userId', { traits: {} }) }), expect: [] },
  { label: 'identify: userId with throwing toString/valueOf', hook: 'identify', make: () => user(evilToString(), {}), expect: [] },
  { label: 'identify: userId is a throwing Proxy', hook: 'identify', make: () => user(throwingProxy(), {}), expect: [] },

  // ---- properties / traits of the wrong shape
  { label: 'track: properties null', hook: 'track', plain: true, make: () => order(null), expect: [] },
  { label: 'track: properties a string', hook: 'track', plain: true, make: () => order('order_id=1'), expect: [] },
  { label: 'track: properties an array', hook: 'track', plain: true, make: () => order([{ order_id: '1' }]), expect: [] },
  { label: 'track: properties missing', hook: 'track', plain: true, make: () => ({ event: { event: 'Order Completed' } }), expect: [] },
  { label: 'track: properties a number', hook: 'track', plain: true, make: () => order(42), expect: [] },
  { label: 'track: properties a function', hook: 'track', make: () => order(Object.assign(() => {}, { order_id: 'fn' })) },
  { label: 'identify: traits null', hook: 'identify', plain: true, make: () => user('u-2', null), expect: [['trackUser', { id: 'u-2' }]] },
  { label: 'identify: traits a string', hook: 'identify', plain: true, make: () => user('u-2', 'email'), expect: [['trackUser', { id: 'u-2' }]] },
  { label: 'identify: traits an array', hook: 'identify', plain: true, make: () => user('u-2', ['a']), expect: [['trackUser', { id: 'u-2' }]] },
  { label: 'identify: traits missing', hook: 'identify', plain: true, make: () => ({ event: { userId: 'u-2' } }), expect: [['trackUser', { id: 'u-2' }]] },

  // ---- ctx without an event, null, undefined
  { label: 'track: ctx without an event', hook: 'track', plain: true, make: () => ({}), expect: [] },
  { label: 'track: ctx.event null', hook: 'track', plain: true, make: () => ({ event: null }), expect: [] },
  { label: 'track: ctx.event a string', hook: 'track', plain: true, make: () => ({ event: 'Order Completed' }), expect: [] },
  { label: 'track: ctx null', hook: 'track', bare: true, make: () => null, expect: [] },
  { label: 'track: ctx undefined', hook: 'track', bare: true, make: () => undefined, expect: [] },
  { label: 'track: ctx a number', hook: 'track', bare: true, make: () => 7, expect: [] },
  { label: 'identify: ctx without an event', hook: 'identify', plain: true, make: () => ({}), expect: [] },
  { label: 'identify: ctx null', hook: 'identify', bare: true, make: () => null, expect: [] },
  { label: 'identify: ctx undefined', hook: 'identify', bare: true, make: () => undefined, expect: [] },

  // ---- event names that are numbers, objects, Symbols
  { label: 'track: event name a number', hook: 'track', plain: true, make: () => named(42, { order_id: '1' }), expect: [] },
  { label: 'track: event name NaN', hook: 'track', make: () => named(NaN, { order_id: '1' }), expect: [] },
  { label: 'track: event name an object whose toString gives "Order Completed"', hook: 'track', make: () => named({ toString: () => 'Order Completed' }, { order_id: '1' }), expect: [] },
  { label: 'track: event name an object with throwing toString', hook: 'track', make: () => named(evilToString(), { order_id: '1' }), expect: [] },
  { label: 'track: event name a Symbol', hook: 'track', make: () => named(Symbol('Order Completed'), { order_id: '1' }), expect: [] },
  { label: 'track: event name a BigInt', hook: 'track', make: () => named(10n, { order_id: '1' }), expect: [] },
  { label: 'track: event name null', hook: 'track', plain: true, make: () => named(null, { order_id: '1' }), expect: [] },
  { label: 'track: event name a throwing Proxy', hook: 'track', make: () => named(throwingProxy(), { order_id: '1' }), expect: [] },

  // ---- amounts
  { label: 'track: total Infinity', hook: 'track', make: () => order({ order_id: 'a-1', total: Infinity }), expect: [sale('a-1')] },
  { label: 'track: total -Infinity, revenue 3', hook: 'track', make: () => order({ order_id: 'a-2', total: -Infinity, revenue: 3 }), expect: [sale('a-2', 3)] },
  { label: 'track: total NaN', hook: 'track', make: () => order({ order_id: 'a-3', total: NaN }), expect: [sale('a-3')] },
  { label: 'track: total a BigInt', hook: 'track', make: () => order({ order_id: 'a-4', total: 10n }), expect: [sale('a-4')] },
  { label: 'track: total "1e400" (overflows to Infinity)', hook: 'track', plain: true, make: () => order({ order_id: 'a-5', total: '1e400' }), expect: [sale('a-5')] },
  { label: 'track: total "-1e400", revenue "$7.5"', hook: 'track', plain: true, make: () => order({ order_id: 'a-6', total: '-1e400', revenue: '$7.5' }), expect: [sale('a-6', 7.5)] },
  { label: 'track: total "Infinity"', hook: 'track', plain: true, make: () => order({ order_id: 'a-7', total: 'Infinity' }), expect: [sale('a-7')] },
  { label: 'track: total a Symbol', hook: 'track', make: () => order({ order_id: 'a-8', total: Symbol('1') }), expect: [sale('a-8')] },
  { label: 'track: total an object', hook: 'track', plain: true, make: () => order({ order_id: 'a-9', total: { value: 5 } }), expect: [sale('a-9')] },
  { label: 'track: total a 1 MiB string of digits', hook: 'track', plain: true, make: () => order({ order_id: 'a-10', total: big('9') }), expect: [sale('a-10')] },
  { label: 'track: total Number.MAX_VALUE', hook: 'track', plain: true, make: () => order({ order_id: 'a-11', total: Number.MAX_VALUE }), expect: [sale('a-11', Number.MAX_VALUE)] },
  { label: 'track: total -0', hook: 'track', plain: true, make: () => order({ order_id: 'a-12', total: -0 }), expect: [sale('a-12', 0)] },

  // ---- order ids
  { label: 'track: order id an object', hook: 'track', plain: true, make: () => order({ order_id: { id: 1 }, total: 1 }), expect: [] },
  { label: 'track: order id true', hook: 'track', plain: true, make: () => order({ order_id: true, total: 1 }), expect: [] },
  { label: 'track: order id false', hook: 'track', plain: true, make: () => order({ id: false, total: 1 }), expect: [] },
  { label: 'track: order id NaN', hook: 'track', make: () => order({ orderId: NaN, total: 1 }), expect: [] },
  { label: 'track: order id Infinity', hook: 'track', make: () => order({ orderId: Infinity, total: 1 }), expect: [] },
  { label: 'track: order id a BigInt', hook: 'track', make: () => order({ orderId: 12345678901234567890n, total: 1 }), expect: [] },
  { label: 'track: order id a Symbol', hook: 'track', make: () => order({ orderId: Symbol('x'), total: 1 }), expect: [] },
  { label: 'track: order id ""', hook: 'track', plain: true, make: () => order({ order_id: '', total: 1 }), expect: [] },
  { label: 'track: id an object, orderId "real" (the object is picked, as Segment picks it: no order)', hook: 'track', plain: true, make: () => order({ id: {}, orderId: 'real', total: 2 }), expect: [] },
  { label: 'track: id 0, orderId "real" (falls through to the next id)', hook: 'track', plain: true, make: () => order({ id: 0, orderId: 'real', total: 2 }), expect: [sale('real', 2)] },
  { label: 'track: order_id NaN then orderId "real" (one property by the lookup rule: first key wins)', hook: 'track', make: () => order({ order_id: NaN, orderId: 'real', total: 2 }), expect: [] },
  { label: 'track: order id 1e21 (number)', hook: 'track', plain: true, make: () => order({ order_id: 1e21 }), expect: [sale('1e+21')] },
  // A lone surrogate cannot be URL-encoded (encodeURIComponent throws): it is sent as U+FFFD, as every string Rust reads.
  { label: 'track: order id with a lone surrogate "\\uD800-x" (sent with U+FFFD)', hook: 'track', plain: true, make: () => order({ order_id: '\uD800-x' }), expect: [sale('\uFFFD-x')] },
  { label: 'track: order id with a NUL "a\\u0000b"', hook: 'track', plain: true, make: () => order({ order_id: 'a\u0000b' }), expect: [sale('a\u0000b')] },

  // ---- 1 MiB strings
  { label: 'track: 1 MiB order id', hook: 'track', plain: true, make: () => order({ order_id: big('o'), total: 1 }), expect: [sale(big('o'), 1)] },
  { label: 'track: 1 MiB event name (unmapped)', hook: 'track', plain: true, make: () => named(big('Order Completed '), { order_id: '1' }), expect: [] },
  { label: 'track: 1 MiB property key', hook: 'track', plain: true, make: () => order({ [big('k')]: 1, order_id: 'k-1' }), expect: [sale('k-1')] },
  { label: 'track: 1 MiB property value (unused key)', hook: 'track', plain: true, make: () => order({ note: big('v'), order_id: 'v-2' }), expect: [sale('v-2')] },
  { label: 'track: 1 MiB non-ASCII order id', hook: 'track', plain: true, make: () => order({ order_id: big('é') }), expect: [sale(big('é'))] },
  { label: 'identify: 1 MiB userId', hook: 'identify', plain: true, make: () => user(big('u'), {}), expect: [['trackUser', { id: big('u') }]] },
  { label: 'identify: 1 MiB trait key and value', hook: 'identify', plain: true, make: () => user('u-3', { [big('t')]: big('v') }), expect: [['trackUser', { [big('t')]: big('v'), id: 'u-3' }]] },

  // ---- objects with 10 000 keys
  { label: 'track: properties with 10 000 keys (order_id last)', hook: 'track', plain: true, make: () => order({ ...manyKeys(10000), order_id: 'm-1' }), expect: [sale('m-1')] },
  { label: 'track: properties with 10 000 keys that all normalise to `total`', hook: 'track', plain: true,
    make: () => { const p = { order_id: 'm-2' }; for (let i = 0; i < 10000; i++) p['t'.repeat(1) + '_'.repeat(i % 50) + 'otal' + '-'.repeat(Math.floor(i / 50))] = i; return order(p); }, expect: [sale('m-2', 0)] },
  { label: 'track: 10 000 keys holding NUL (the key-list separator)', hook: 'track', plain: true,
    make: () => order({ ...manyKeys(10000), 'x\u0000y': 1, order_id: 'm-3' }), expect: [sale('m-3')] },
  { label: 'identify: traits with 10 000 keys', hook: 'identify', plain: true, make: () => user('u-4', manyKeys(10000)), expect: [['trackUser', { ...manyKeys(10000), id: 'u-4' }]] },

  // ---- __proto__ / constructor keys
  { label: 'track: JSON-made `__proto__` and `constructor` keys in properties', hook: 'track', plain: true,
    make: () => order(JSON.parse('{"__proto__":{"polluted":"yes","order_id":"proto"},"constructor":{"prototype":{"polluted":"yes"}},"order_id":"p-1"}')), expect: [sale('p-1')] },
  { label: 'track: order id only under `__proto__` (inherited ids are not read)', hook: 'track', plain: true,
    make: () => order(Object.create({ order_id: 'inherited' })), expect: [] },
  { label: 'identify: JSON-made `__proto__` and `constructor` keys in traits', hook: 'identify', plain: true,
    make: () => user('u-5', JSON.parse('{"__proto__":{"polluted":"yes"},"constructor":{"prototype":{"polluted":"yes"}},"email":"e"}')) },
  { label: 'identify: traits with an own `id` and `__proto__` key', hook: 'identify', plain: true,
    make: () => user('u-6', JSON.parse('{"id":"old","__proto__":{"id":"proto"}}')) },

  // ---- userId shapes
  { label: 'identify: userId NaN', hook: 'identify', make: () => user(NaN, {}), expect: [] },
  { label: 'identify: userId Infinity', hook: 'identify', make: () => user(Infinity, {}), expect: [] },
  { label: 'identify: userId a BigInt', hook: 'identify', make: () => user(5n, {}), expect: [] },
  { label: 'identify: userId a Symbol', hook: 'identify', make: () => user(Symbol('u'), {}), expect: [] },
  { label: 'identify: userId ""', hook: 'identify', plain: true, make: () => user('', {}), expect: [] },
  { label: 'identify: userId 0', hook: 'identify', plain: true, make: () => user(0, { a: 1 }), expect: [['trackUser', { a: 1, id: 0 }]] },

  // ---- page code that re-enters the plugin while it is running (getters, ctx.log, $CVO.push)
  { label: 'track: a getter on `total` calls plugin.track (nested Order Completed)', hook: 'track',
    make: (plugin) => order({ order_id: 'outer', get total() { plugin.track({ event: { event: 'Order Completed', properties: { order_id: 'inner', total: 2 } }, log() {} }); return 1; } }),
    expect: [sale('inner', 2), sale('outer', 1)] },
  { label: 'identify: ctx.log calls plugin.track', hook: 'identify', bare: true,
    make: (plugin) => ({ event: { traits: {} }, log() { plugin.track({ event: { event: 'Order Completed', properties: { order_id: 'from-log' } }, log() {} }); } }),
    expect: [sale('from-log')] },
  { label: 'track: window.$CVO.push calls plugin.identify', hook: 'track',
    cvo: () => { const q = []; q.push = function (command) { Array.prototype.push.call(this, command); if (this.length === 1) window.__plugin.identify({ event: { userId: 'nested', traits: {} }, log() {} }); return this.length; }; return q; },
    make: () => order({ order_id: 'r-1' }), expect: [sale('r-1'), ['trackUser', { id: 'nested' }]] },
  { label: 'identify: a trait\'s toJSON calls plugin.track while the outbox stores the trackUser: both are sent', hook: 'identify',
    make: () => user('u-json', { note: noteCallingTrack }), expect: [['trackUser', { note: noteCallingTrack, id: 'u-json' }], sale('from-json')] },
  { label: 'track: a getter on `order_id` replaces window.$CVO mid-call', hook: 'track',
    make: () => order({ get order_id() { window.$CVO = []; window.__replaced = window.$CVO; return 'swap-1'; } }) },

  // ---- the page's $CVO is hostile
  { label: 'track: window.$CVO is a frozen array (push throws)', hook: 'track', cvo: () => Object.freeze([]), make: () => order({ order_id: 'f-1' }), expect: [] },
  { label: 'track: window.$CVO is a number', hook: 'track', cvo: () => 5, make: () => order({ order_id: 'f-2' }), expect: [] },
  { label: 'track: window.$CVO.push throws', hook: 'track', cvo: () => ({ push: thrower('push') }), make: () => order({ order_id: 'f-3' }), expect: [] },
  { label: 'identify: window.$CVO is a throwing Proxy', hook: 'identify', cvo: () => throwingProxy(), make: () => user('u-7', {}), expect: [] },
  { label: 'track: window.$CVO is a getter that throws', hook: 'track', cvo: 'getter', make: () => order({ order_id: 'f-4' }), expect: [] },
];

// ------------------------------------------------------------------ checks

/** A snapshot of plain data for before/after comparison (Symbols, BigInts and -0 kept apart). */
function snapshot(value, seen = new Set()) {
  if (typeof value === 'bigint') return { bigint: String(value) };
  if (typeof value === 'symbol') return { symbol: value.description };
  if (typeof value === 'number') return Object.is(value, -0) ? { number: '-0' } : Number.isNaN(value) ? { number: 'NaN' } : value;
  if (typeof value === 'function') return { function: true, props: snapshot(Object.assign({}, value), seen) };
  if (value === null || typeof value !== 'object') return value === undefined ? { undefined: true } : value;
  if (seen.has(value)) return { cycle: true };
  seen.add(value);
  const out = { proto: Object.getPrototypeOf(value) === Object.prototype ? 'Object' : Array.isArray(value) ? 'Array' : 'other', own: [] };
  for (const key of Reflect.ownKeys(value)) {
    const d = Object.getOwnPropertyDescriptor(value, key);
    out.own.push([String(key), 'value' in d ? snapshot(d.value, seen) : { accessor: true }, d.enumerable, d.writable, d.configurable]);
  }
  return out;
}

function deepFreeze(value) {
  if (value && (typeof value === 'object' || typeof value === 'function') && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const key of Reflect.ownKeys(value)) {
      const d = Object.getOwnPropertyDescriptor(value, key);
      if ('value' in d) deepFreeze(d.value);
    }
  }
  return value;
}

/** What is wrong with one pushed command, or '' when it is well formed. */
export function malformed(command) {
  if (!Array.isArray(command) || command.length !== 2) return 'not a [name, payload] array';
  const [name, payload] = command;
  if (!payload || typeof payload !== 'object' || Array.isArray(payload)) return 'payload is not an object';
  if (name === 'trackEvent') {
    const keys = Object.keys(payload);
    if (keys.some((k) => !['type', 'id', 'amount'].includes(k))) return `unexpected keys ${keys}`;
    if (typeof payload.type !== 'string' || payload.type === '') return 'type is not a non-empty string';
    if ('id' in payload && (typeof payload.id !== 'string' || payload.id === '')) return 'id is not a non-empty string';
    if ('amount' in payload && (typeof payload.amount !== 'number' || !Number.isFinite(payload.amount))) return 'amount is not a finite number';
    return '';
  }
  if (name === 'trackUser') {
    if (!Object.hasOwn(payload, 'id')) return 'trackUser without an own id';
    const id = payload.id;
    if (!((typeof id === 'string' && id !== '') || (typeof id === 'number' && Number.isFinite(id)))) return 'trackUser id is not a userId';
    return '';
  }
  return `unknown command ${String(name)}`;
}

/** Equality of commands: own keys in order and values (Object.is, so NaN/-0 are told apart from 0). */
function sameCommands(a, b) {
  if (a.length !== b.length) return false;
  return a.every((command, i) => {
    const other = b[i];
    if (command[0] !== other[0]) return false;
    const ka = Reflect.ownKeys(command[1]);
    const kb = Reflect.ownKeys(other[1]);
    return ka.length === kb.length && ka.every((k, j) => k === kb[j] && Object.is(command[1][k] === 0 ? 0 : command[1][k], other[1][k] === 0 ? 0 : other[1][k]));
  });
}

const short = (s) => (s.length > 80 ? `${s.slice(0, 60)}… (${s.length} chars)` : s);
/** A readable, bounded description of commands. */
export function describe(commands) {
  return commands.map(([name, payload]) => {
    const parts = payload && typeof payload === 'object'
      ? Reflect.ownKeys(payload).slice(0, 4).map((k) => `${short(String(k))}: ${typeof payload[k] === 'string' ? JSON.stringify(short(payload[k])) : String(payload[k])}`)
      : [String(payload)];
    const more = payload && typeof payload === 'object' && Reflect.ownKeys(payload).length > 4 ? `, … ${Reflect.ownKeys(payload).length} keys` : '';
    return `${name} {${parts.join(', ')}${more}}`;
  }).join('; ') || 'nothing sent';
}

const prototypes = () => [Object.prototype, Array.prototype, Function.prototype].map((p) => Reflect.ownKeys(p).map(String).join(','));

/** Runs one case against `plugin`; returns a JSON-able report. */
export function runCase(plugin, c) {
  const before = prototypes();
  const hadCvo = Object.getOwnPropertyDescriptor(window, '$CVO');
  if (c.cvo === 'getter') Object.defineProperty(window, '$CVO', { get: thrower('$CVO getter'), configurable: true });
  else window.$CVO = c.cvo ? c.cvo() : [];
  const queue = c.cvo === 'getter' || !Array.isArray(window.$CVO) || Object.isFrozen(window.$CVO) ? null : window.$CVO;
  const logs = [];
  let ctx = c.make(plugin);
  if (!c.bare) ctx.log = (level, message) => { logs.push([level, String(message)]); };
  // Plain data is deep-frozen (a write would throw in strict code) and
  // snapshotted after freezing, to compare with after the call.
  if (c.plain) deepFreeze(ctx);
  const snap = c.plain ? JSON.stringify(snapshot(ctx)) : null;

  const report = { label: c.label, problems: [] };
  let returned;
  const start = performance.now();
  try {
    returned = plugin[c.hook](ctx);
  } catch (error) {
    report.problems.push(`threw ${error?.constructor?.name}: ${error?.message}`);
  }
  report.ms = performance.now() - start;
  // The time is a sanity bound against pathological work: a slow first run
  // (a garbage collection during a call that allocates 1 MiB) is timed again,
  // twice, on a fresh context and queue, and the fastest run counts.
  if (report.ms > 10 && !c.cvo) {
    const saved = window.$CVO;
    for (let i = 0; i < 2; i++) {
      window.$CVO = [];
      const again = c.make(plugin);
      if (!c.bare) again.log = () => {};
      const t = performance.now();
      try { plugin[c.hook](again); } catch { /* reported by the first run */ }
      report.ms = Math.min(report.ms, performance.now() - t);
    }
    window.$CVO = saved;
  }
  if (returned !== ctx && !(Number.isNaN(ctx) && Number.isNaN(returned))) report.problems.push('did not return the same ctx');

  if (c.cvo === 'getter') delete window.$CVO;
  const sent = [...(queue ?? []), ...(window.__replaced ?? [])];
  delete window.__replaced;
  for (const command of sent) {
    const why = malformed(command);
    if (why) report.problems.push(`malformed command (${why}): ${describe([command])}`);
  }
  if (c.expect && !sameCommands(sent, c.expect)) report.problems.push(`sent ${describe(sent)}; expected ${describe(c.expect)}`);
  if (c.plain && JSON.stringify(snapshot(ctx)) !== snap) report.problems.push('the caller\'s event object was modified');
  // trackUser copies: `__proto__` stays an own data key and never becomes the prototype.
  for (const [name, payload] of sent) {
    if (name === 'trackUser' && Object.getPrototypeOf(payload) !== Object.prototype) report.problems.push('trackUser payload\'s prototype was changed');
    if (name === 'trackUser' && c.label.includes('__proto__')) {
      const d = Object.getOwnPropertyDescriptor(payload, '__proto__');
      if (!d || !('value' in d)) report.problems.push('trackUser copy lost the own `__proto__` key');
    }
  }
  if (({}).polluted !== undefined || [].polluted !== undefined) report.problems.push('Object.prototype polluted');
  if (prototypes().join('|') !== before.join('|')) report.problems.push('a built-in prototype changed');
  // The debug line must not contradict what was sent.
  if (sent.some(([n, p]) => n === 'trackEvent' && p && 'id' in p) && logs.some(([, m]) => /no id or amount sent/.test(m))) {
    report.problems.push(`misleading debug log "${logs.find(([, m]) => /no id or amount sent/.test(m))[1]}" although ${describe(sent)} was sent`);
  }
  report.sent = describe(sent);
  report.bug = c.bug;
  report.logs = logs.map(([, m]) => m);
  if (hadCvo === undefined) delete window.$CVO;
  return report;
}
