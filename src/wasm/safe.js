// The page-facing half of the binding (src/wasm/js.rs imports it).
//
// Reading an event or calling the page's queue can run page code (getters,
// proxies, Convertro's tag) that throws. Catching a JS exception takes JS,
// and wasm-bindgen's own `catch` imports leak one externref table slot per
// exception caught, so every call that may throw goes through here; nothing
// here throws. Each crossing between wasm and JS costs about as much as
// the rules themselves, so one call here does all the reading one step of
// the rules needs: a track event costs three or four crossings, not thirty.
//
// No rule lives here: what to send, as which type, with which id and amount
// is decided in Rust (src/rules/). This file reads what Rust asks for,
// remembers Rust's answers (the memos), and builds and pushes the commands
// Rust decided.

/** Kinds of value, as `kind` returns them (`kinds` in js.rs). */
const NUMBER = 4, STRING = 5, THREW = 10;
/** Answers of `track`, `properties` and `user` that are not memo hits. */
const NO_EVENT = -1, NOT_TEXT = -2, UNKNOWN = -3, NO_OBJECT = -1, UNREADABLE = -2;

let failed = false;

/** Whether `get`, `keys` or `copy` threw since the last `threw()`; resets. */
export function threw() {
  const was = failed;
  failed = false;
  return was;
}

/** The type of `value` as a small number (`kinds` in js.rs). */
function kind(value) {
  switch (typeof value) {
    case 'undefined': return 0;
    case 'boolean': return value ? 3 : 2;
    case 'number': return NUMBER;
    case 'string': return STRING;
    case 'bigint': return 6;
    case 'symbol': return 7;
    case 'function': return 8;
    default: return value === null ? 1 : 9;
  }
}

// State between the calls of one hook call. Nothing between two of those
// calls runs page code; a call that does (a getter that calls the plugin
// again) restores what it read before returning.
let event; // the event being handled
let object; // its properties
let names; // and their keys
let user; // identify's userId, as read
let holding; // the number or string last read, for heldText / heldNumber / held
let pending; // the string a memo did not know, for text() / remember()

/** Holds `value` for `heldText` / `heldNumber` / `held`; returns its kind. */
export function hold(value) {
  holding = value;
  return kind(value);
}

/** The held value as text (`undefined` unless it is a string). */
export function heldText() {
  return typeof holding === 'string' ? holding : undefined;
}

/** The held value, to come back to wasm as an f64. */
export function heldNumber() {
  return holding;
}

/** The held value itself. */
export function held() {
  return holding;
}

/** `ctx.event` when it is an object, else undefined. */
function eventOf(ctx) {
  try {
    const e = ctx.event;
    return typeof e === 'object' && e !== null ? e : undefined;
  } catch {
    return undefined;
  }
}

/**
 * track: reads `ctx.event` and its name and looks the name up in `seen`.
 * Returns the code remembered for the name (≥ 0), NO_EVENT, NOT_TEXT, or
 * UNKNOWN (the name is pending: `text()`, then `remember()`).
 */
export function track(ctx, seen) {
  const e = eventOf(ctx);
  if (e === undefined) return NO_EVENT;
  let name;
  try {
    name = e.event;
  } catch {
    return NOT_TEXT;
  }
  if (typeof name !== 'string') return NOT_TEXT;
  event = e;
  const code = seen.get(name);
  if (code !== undefined) return code;
  pending = name;
  return UNKNOWN;
}

/**
 * The event's properties and their keys, held for `field`. Returns the code
 * remembered in `seen` for the list of keys (≥ 0), NO_OBJECT, UNREADABLE
 * (reading them threw), or UNKNOWN: the list is pending as one string
 * "k1\0k2\0…\0count" (`text()`, `keyCount()`, `key(i)`, then `remember()`).
 */
export function properties(seen) {
  const e = event;
  let o, k;
  try {
    o = e.properties;
    if (typeof o !== 'object' || o === null) return NO_OBJECT;
    k = Object.keys(o);
  } catch {
    return UNREADABLE;
  }
  object = o;
  names = k;
  // The count at the end: two lists give the same string only if they are
  // the same keys (a key may itself hold "\0").
  const list = k.join('\0') + '\0' + k.length;
  const code = seen.get(list);
  if (code !== undefined) return code;
  pending = list;
  return UNKNOWN;
}

/** The pending string (a name or key list no memo knew). */
export function text() {
  return pending;
}

/** Remembers `code` for the pending string; `seen` is emptied first when full. */
export function remember(seen, code, capacity) {
  if (seen.size >= capacity) seen.clear();
  seen.set(pending, code);
}

/** How many keys the properties have. */
export function keyCount() {
  return names.length;
}

/** Key number `index` of the properties. */
export function key(index) {
  return names[index];
}

/**
 * Reads property key number `index`; holds the value and returns its kind
 * (THREW when reading threw).
 */
export function field(index) {
  const o = object, k = names, e = event;
  let value, code;
  try {
    value = o[k[index]];
    code = kind(value);
  } catch {
    value = undefined;
    code = THREW;
  }
  // A getter may have called the plugin again: put back what this call holds.
  object = o;
  names = k;
  event = e;
  holding = value;
  return code;
}

/** identify: reads `ctx.event.userId` and holds it. Returns its kind, or NO_EVENT. */
export function identify(ctx) {
  const e = eventOf(ctx);
  if (e === undefined) return NO_EVENT;
  let id;
  try {
    id = e.userId;
  } catch {
    id = undefined;
  }
  event = e;
  user = id;
  holding = id;
  return kind(id);
}

/**
 * `$CVO.push(['trackUser', traits])`: a copy of the identify's own
 * enumerable traits (an empty object when they are not a plain object) with
 * `id` set to the userId as read. Returns 0 when sent, plus 1 when the traits
 * could not be read (sent with the id only), plus 2 when the push failed.
 */
export function trackUser() {
  const e = event, id = user;
  let traits, unreadable = 0;
  try {
    traits = copy(e.traits);
  } catch {
    traits = {};
    unreadable = 1;
  }
  traits.id = id;
  return unreadable + (push('trackUser', traits) ? 0 : 2);
}

/** A copy of a plain object's own enumerable properties; {} for anything else. */
function copy(value) {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return {};
  // Object.assign would make a `__proto__` key the copy's prototype: that
  // (rare) case copies entry by entry. Otherwise Object.assign is the fast
  // copy (spread's copy slows the write of `id` after it).
  return Object.prototype.hasOwnProperty.call(value, '__proto__')
    ? Object.fromEntries(Object.entries(value))
    : Object.assign({}, value);
}

/**
 * `$CVO.push(['trackEvent', { type, id, amount }])`, `id` and `amount` left
 * out when undefined. False when the push failed.
 */
export function trackEvent(type, id, amount) {
  const payload = { type };
  if (id !== undefined) payload.id = id;
  if (amount !== undefined) payload.amount = amount;
  return push('trackEvent', payload);
}

/** `$CVO.push([name, payload])`; false when that threw or there is no queue. */
function push(name, payload) {
  const q = queue();
  if (q === undefined) return false;
  try {
    q.push([name, payload]);
    return true;
  } catch {
    return false;
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

/** `window.$CVO` as it is (undefined when reading it threw). */
export function cvo() {
  try {
    return globalThis.$CVO;
  } catch {
    failed = true;
  }
}

/** `target[key]`. */
export function get(target, key) {
  try {
    return target[key];
  } catch {
    failed = true;
  }
}

/** `Object.keys(target)`. */
export function keys(target) {
  try {
    return Object.keys(target);
  } catch {
    failed = true;
  }
}

/** `Array.isArray(value)` as 1 or 0; 2 when it threw (a revoked proxy). */
export function isArray(value) {
  try {
    return Array.isArray(value) ? 1 : 0;
  } catch {
    return 2;
  }
}

/** `ctx.log('debug', message)`, if the context can log. */
export function log(ctx, message) {
  try {
    ctx.log('debug', message);
  } catch {
    // A context without a working log: nothing else to tell.
  }
}
