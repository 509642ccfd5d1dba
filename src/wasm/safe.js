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

// ---- codes shared with Rust ----
// build.rs turns every `NAME = integer` of the `const` statements between
// these two lines into `pub const NAME: i32` in src/wasm/js.rs's `codes`
// module: each number the two halves exchange is defined here, once.

/** Kinds of value, as `kind()` and `field()` return them and `settings()` writes them. */
const KIND_UNDEFINED = 0, KIND_NULL = 1, KIND_FALSE = 2, KIND_TRUE = 3, KIND_NUMBER = 4, KIND_STRING = 5,
  KIND_BIGINT = 6, KIND_SYMBOL = 7, KIND_FUNCTION = 8, KIND_OBJECT = 9,
  /** Reading the value threw. */
  KIND_THREW = 10,
  /** From `settings()` only: an array, an object read into (with their contents), and values too large to read. */
  KIND_ARRAY = 11, KIND_LIST = 12, KIND_MAP = 13, KIND_LONG_STRING = 14, KIND_LONG_ARRAY = 15, KIND_LONG_OBJECT = 16;

/** Answers of `track`, `properties` and `identify` that are not memo codes (those are ≥ 0). */
const ANSWER_NO_EVENT = -1, ANSWER_NOT_TEXT = -2, ANSWER_UNKNOWN = -3, ANSWER_NO_OBJECT = -4, ANSWER_UNREADABLE = -5;

/** Bits of what `trackUser` returns. */
const SENT_TRAITS_UNREADABLE = 1, SENT_PUSH_FAILED = 2;

/**
 * How much `settings()` reads: strings up to MAX_SETTING_CHARS UTF-16 units,
 * arrays and objects up to MAX_SETTING_ENTRIES entries, SETTING_DEPTH levels
 * below the settings object; anything larger is only named.
 */
const MAX_SETTING_CHARS = 4096, MAX_SETTING_ENTRIES = 1000, SETTING_DEPTH = 2;
// ---- end of codes shared with Rust ----

/** The type of `value` as a kind. */
function kind(value) {
  switch (typeof value) {
    case 'undefined': return KIND_UNDEFINED;
    case 'boolean': return value ? KIND_TRUE : KIND_FALSE;
    case 'number': return KIND_NUMBER;
    case 'string': return KIND_STRING;
    case 'bigint': return KIND_BIGINT;
    case 'symbol': return KIND_SYMBOL;
    case 'function': return KIND_FUNCTION;
    default: return value === null ? KIND_NULL : KIND_OBJECT;
  }
}

// State between the calls of one hook call. Nothing between two of those
// calls runs page code; a call that does (a getter that calls the plugin
// again) restores what it read before returning.
let event; // the event being handled
let object; // its properties
let names; // and their keys
let got; // the properties' values read so far, by key index
let user; // identify's userId, as read
let preferences; // its context.consent.categoryPreferences
let holding; // the value last read, for heldText / heldNumber
let pending; // the string a memo did not know, for text() / remember()

/** The held value as text (`undefined` unless it is a string). */
export function heldText() {
  return typeof holding === 'string' ? holding : undefined;
}

/** The held value, to come back to wasm as an f64. */
export function heldNumber() {
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
 * Returns the code remembered for the name (≥ 0), ANSWER_NO_EVENT,
 * ANSWER_NOT_TEXT, or ANSWER_UNKNOWN (the name is pending: `text()`, then
 * `remember()`).
 */
export function track(ctx, seen) {
  const e = eventOf(ctx);
  if (e === undefined) return ANSWER_NO_EVENT;
  let name;
  try {
    name = e.event;
  } catch {
    return ANSWER_NOT_TEXT;
  }
  if (typeof name !== 'string') return ANSWER_NOT_TEXT;
  event = e;
  const code = seen.get(name);
  if (code !== undefined) return code;
  pending = name;
  return ANSWER_UNKNOWN;
}

/**
 * The event's properties and their keys, held for `field`. Returns the code
 * remembered in `seen` for the list of keys (≥ 0), ANSWER_NO_OBJECT,
 * ANSWER_UNREADABLE (reading them threw), or ANSWER_UNKNOWN: the list is
 * pending as one string "k1\0k2\0…\0count" (`text()`, `keyCount()`,
 * `key(i)`, then `remember()`).
 */
export function properties(seen) {
  const e = event;
  let o, k;
  try {
    o = e.properties;
    if (typeof o !== 'object' || o === null) return ANSWER_NO_OBJECT;
    k = Object.keys(o);
  } catch {
    return ANSWER_UNREADABLE;
  }
  object = o;
  names = k;
  got = [];
  // The count at the end: two lists give the same string only if they are
  // the same keys (a key may itself hold "\0").
  const list = k.join('\0') + '\0' + k.length;
  const code = seen.get(list);
  if (code !== undefined) return code;
  pending = list;
  return ANSWER_UNKNOWN;
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
 * `target[key]`, held for `heldText` / `heldNumber`: its kind (KIND_THREW
 * when reading threw). A getter may call the plugin again: what this hook
 * call holds is put back afterwards.
 */
function read(target, key) {
  const e = event, o = object, k = names, g = got, u = user, p = preferences;
  let value, code;
  try {
    value = target[key];
    code = kind(value);
  } catch {
    value = undefined;
    code = KIND_THREW;
  }
  event = e;
  object = o;
  names = k;
  got = g;
  user = u;
  preferences = p;
  holding = value;
  return code;
}

/** Reads property key number `index` (see `read`); the value is kept for `trackEvent`. */
export function field(index) {
  const code = read(object, names[index]);
  got[index] = holding;
  return code;
}

/**
 * The held event's `context.consent.categoryPreferences`, held for
 * `granted`: its kind, KIND_UNDEFINED when the event has no context or no
 * consent object, KIND_THREW when reading threw.
 */
export function consent() {
  // Each step through `read`, which puts back what a getter that calls the
  // plugin again would change.
  let code = read(event, 'context');
  if (code === KIND_OBJECT) code = read(holding, 'consent');
  if (code === KIND_OBJECT) code = read(holding, 'categoryPreferences');
  else if (code !== KIND_THREW) {
    holding = undefined;
    code = KIND_UNDEFINED;
  }
  preferences = holding;
  return code;
}

/** Splits Rust's "a\0b…" into a JS array (made once per destination). */
export function list(joined) {
  return joined.split('\0');
}

/** Reads the held preferences' value under `categories[index]` (see `read`). */
export function granted(categories, index) {
  return read(preferences, categories[index]);
}

/** identify: reads `ctx.event.userId` and holds it. Returns its kind, or ANSWER_NO_EVENT. */
export function identify(ctx) {
  const e = eventOf(ctx);
  if (e === undefined) return ANSWER_NO_EVENT;
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
 * `id` set to the userId as read. Returns 0 when sent, plus
 * SENT_TRAITS_UNREADABLE when the traits could not be read (sent with the id
 * only), plus SENT_PUSH_FAILED when the push failed.
 */
export function trackUser() {
  const e = event, id = user;
  let traits, unreadable = 0;
  try {
    traits = copy(e.traits);
  } catch {
    traits = {};
    unreadable = SENT_TRAITS_UNREADABLE;
  }
  traits.id = id;
  return unreadable + (push('trackUser', traits) ? 0 : SENT_PUSH_FAILED);
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
 * `$CVO.push(['trackEvent', { type, id, amount }])`: `type` is
 * `types[typeIndex]` (the destination's type names, made once); `id` is the value read
 * from property key number `idKey` as a string (a string as it is, a number
 * as `String()` writes it), left out when `idKey` is negative; `amount` is
 * left out when undefined. False when the push failed.
 */
export function trackEvent(types, typeIndex, idKey, amount) {
  const payload = { type: types[typeIndex] };
  if (idKey >= 0) payload.id = String(got[idKey]);
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

/** The kind of `window.$CVO.trackEvent` (KIND_UNDEFINED when there is no queue object, KIND_THREW when reading threw). */
export function loaded() {
  try {
    const q = globalThis.$CVO;
    return typeof q === 'object' && q !== null ? kind(q.trackEvent) : KIND_UNDEFINED;
  } catch {
    return KIND_THREW;
  }
}

/**
 * The settings object's values under `keys` ("key1\0key2…"), written for
 * Rust's decoder (read.rs) as one string. Each value is its kind as one
 * character (48 + kind), followed by:
 * - KIND_NUMBER: its IEEE 754 bits as 16 hex digits;
 * - KIND_STRING: its length in UTF-16 units, ':', the string;
 * - KIND_LIST: the element count, ':', the elements;
 * - KIND_MAP: the entry count, ':', then per entry the key (as a string,
 *   without its kind) and the value;
 * - nothing, for the other kinds.
 * The settings object itself is written as a KIND_MAP of exactly `keys`.
 * Nothing here throws: a value whose reading throws is KIND_THREW.
 */
export function settings(value, keys) {
  try {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return setting(value, 0);
    const wanted = keys.split('\0');
    let out = char(KIND_MAP) + wanted.length + ':';
    for (const k of wanted) {
      out += string(k);
      let v;
      try {
        v = value[k];
      } catch {
        out += char(KIND_THREW);
        continue;
      }
      out += setting(v, SETTING_DEPTH);
    }
    return out;
  } catch {
    return char(KIND_THREW);
  }
}

const char = (k) => String.fromCharCode(48 + k);
const string = (s) => s.length + ':' + s;

/** One settings value, read `depth` levels of arrays and objects deep. */
function setting(value, depth) {
  let k = kind(value);
  try {
    if (k === KIND_STRING) return value.length > MAX_SETTING_CHARS ? char(KIND_LONG_STRING) : char(k) + string(value);
    if (k === KIND_NUMBER) {
      const bits = new DataView(new ArrayBuffer(8));
      bits.setFloat64(0, value);
      return char(k) + hex(bits.getUint32(0)) + hex(bits.getUint32(4));
    }
    if (k !== KIND_OBJECT) return char(k);
    const list = Array.isArray(value);
    if (depth === 0) return char(list ? KIND_ARRAY : KIND_OBJECT);
    const entries = list ? value : Object.keys(value);
    if (entries.length > MAX_SETTING_ENTRIES) return char(list ? KIND_LONG_ARRAY : KIND_LONG_OBJECT);
    let out = char(list ? KIND_LIST : KIND_MAP) + entries.length + ':';
    for (let i = 0; i < entries.length; i++) {
      out += list ? setting(value[i], depth - 1) : string(entries[i]) + setting(value[entries[i]], depth - 1);
    }
    return out;
  } catch {
    return char(KIND_THREW);
  }
}

const hex = (n) => n.toString(16).padStart(8, '0');

/** The debug lines Rust gave, by number (made into JS strings once). */
const lines = [];

/** `ctx.log('debug', line number `number`)`; false when Rust has not given that line yet. */
export function logged(ctx, number) {
  const line = lines[number];
  if (line === undefined) return false;
  try {
    ctx.log('debug', line);
  } catch {
    // A context without a working log: nothing else to tell.
  }
  return true;
}

/** Remembers line `number` and logs it. */
export function logLine(ctx, number, line) {
  lines[number] = line;
  logged(ctx, number);
}
