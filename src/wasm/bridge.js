// The JavaScript half of the binding, imported by src/wasm/bridge.rs.
//
// Small functions that never throw and keep nothing between or within calls.
// Reading page values and pushing onto Convertro's queue can run page code
// (getters, proxies, the tag) that throws: each function here catches it and
// says so in what it returns. (Not wasm-bindgen's `catch` imports: each
// exception one of those catches leaks a slot of wasm-bindgen's externref
// table when the import returns a value.)
//
// No rule lives here: what to send, as which type, with which id and amount
// is decided in Rust (src/rules/); these only read, build and push.

/** What `get` gives when reading threw: a symbol no page can hold. */
const THREW = Symbol('Convertro: reading threw');

/** `target[key]`, or a marker that `type` calls "threw" when reading it threw. */
export function get(target, key) {
  try {
    return target[key];
  } catch {
    return THREW;
  }
}

/** The kinds of value `type` tells apart, numbered as the Rust rules' `Kind` (src/rules/read.rs). */
const KINDS = ['undefined', 'null', 'true', 'false', 'number', 'string', 'bigint', 'symbol', 'function', 'object', 'array'];

/**
 * What `value` is, as its number in KINDS: its `typeof`, but null, true,
 * false and arrays apart; 11 (the rules' `Kind::Threw`) for `get`'s marker.
 */
export function type(value) {
  if (value === THREW) return 11;
  if (value === null || value === true || value === false) return KINDS.indexOf(String(value));
  try {
    return KINDS.indexOf(Array.isArray(value) ? 'array' : typeof value);
  } catch {
    return 11; // a revoked proxy
  }
}

/** `Object.keys(object)`, or undefined when listing them threw. */
export function keys(object) {
  try {
    return Object.keys(object);
  } catch {
    return undefined;
  }
}

/** `['trackEvent', { type, id, amount }]`: `id` as `String(id)`, left out when undefined, as is `amount`. */
export function eventCommand(type, id, amount) {
  const payload = { type };
  if (id !== undefined) payload.id = String(id);
  if (amount !== undefined) payload.amount = amount;
  return ['trackEvent', payload];
}

/**
 * `['trackUser', traits]`: a copy of `traits`' own enumerable properties (an
 * empty object when they are not a plain object) with `id` set to `id`.
 * Undefined when copying them threw.
 */
export function userCommand(traits, id) {
  try {
    const copied = copy(traits);
    copied.id = id;
    return ['trackUser', copied];
  } catch {
    return undefined;
  }
}

/** A copy of a plain object's own enumerable properties; {} for anything else. */
function copy(value) {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return {};
  // Object.assign would make a `__proto__` key the copy's prototype: that
  // (rare) case copies entry by entry.
  return Object.prototype.hasOwnProperty.call(value, '__proto__')
    ? Object.fromEntries(Object.entries(value))
    : Object.assign({}, value);
}

/** `$CVO.push(command)`; false when that threw or there is no queue. */
export function push(command) {
  const q = queue();
  if (q === undefined) return false;
  try {
    q.push(command);
    return true;
  } catch {
    return false;
  }
}

/**
 * Takes `command` back out of `window.$CVO` while that is still a plain
 * array (the tag has not taken it over): it was delivered from another page.
 */
export function unqueue(command) {
  try {
    const q = globalThis.$CVO;
    if (!Array.isArray(q)) return;
    const at = q.indexOf(command);
    if (at >= 0) q.splice(at, 1);
  } catch {
    // Nothing to take back.
  }
}

/** `localStorage`; undefined where the page may not use it (a sandboxed frame, storage disabled). */
function storage() {
  try {
    return globalThis.localStorage ?? undefined;
  } catch {
    return undefined;
  }
}

/** Whether the page may use `localStorage`. */
export function stores() {
  return storage() !== undefined;
}

/**
 * What is stored under `key`, parsed: undefined when there is none, it is
 * longer than `most` UTF-16 units, it is not JSON, or reading threw.
 */
export function storedValue(key, most) {
  try {
    const text = storage()?.getItem(key);
    return typeof text === 'string' && text.length <= most ? JSON.parse(text) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Stores `JSON.stringify(value)` under `key`: its length (UTF-16 units), or
 * -1 when that failed (no storage, a full quota; a bigint, a cycle, a
 * throwing getter in `value`).
 */
export function store(key, value) {
  try {
    const text = JSON.stringify(value);
    storage().setItem(key, text);
    return text.length;
  } catch {
    return -1;
  }
}

/** Removes what is stored under `key`, if it can. */
export function unstore(key) {
  try {
    storage()?.removeItem(key);
  } catch {
    // Nothing that can be removed.
  }
}

/**
 * The stored keys that start with `prefix`, without it, joined by NUL (a
 * key holding a NUL is none of the outbox's: left out); undefined when they
 * could not be listed.
 */
export function storedKeys(prefix) {
  try {
    const s = storage();
    const found = [];
    for (let i = 0; i < s.length; i++) {
      const key = s.key(i);
      if (key?.startsWith(prefix) && !key.includes('\0')) found.push(key.slice(prefix.length));
    }
    return found.join('\0');
  } catch {
    return undefined;
  }
}

/** An outbox entry as it is stored. */
export function entry(at, command) {
  return { at, command };
}

/** A page's lease as it is stored. */
export function lease(lease) {
  return { lease };
}

/** A claim as it is stored. */
export function claim(by, at) {
  return { by, at };
}

/** A context for an event kept before the WebAssembly was ready. */
export function context(event) {
  return { event };
}

/** `console.warn(line)`. */
export function warn(line) {
  try {
    console.warn(line);
  } catch {
    // No console to tell.
  }
}

/**
 * `window.$CVO`, made an array when it is undefined or null; an existing one
 * (the tag's, or one the page made) is never replaced. Undefined when it
 * could not be read or set.
 */
export function queue() {
  try {
    let q = globalThis.$CVO;
    if (q === undefined || q === null) globalThis.$CVO = q = [];
    return q;
  } catch {
    return undefined;
  }
}

/** Whether Convertro's tag has loaded: `window.$CVO.trackEvent` is a function. */
export function isLoaded() {
  try {
    return typeof globalThis.$CVO?.trackEvent === 'function';
  } catch {
    return false;
  }
}

/** `ctx.log('debug', line)`, when the context has a working log. */
export function log(ctx, line) {
  try {
    ctx.log('debug', line);
  } catch {
    // A context without a working log: nothing else to tell.
  }
}

/** `globalThis`: the window, for the tag. */
export function global() {
  return globalThis;
}
