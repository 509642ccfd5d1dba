// Exception-safe reads and calls for the binding (src/wasm/js.rs).
//
// Reading an event or calling the page's queue can run page code (getters,
// proxies, Convertro's tag) that throws. Catching a JS exception takes JS,
// and wasm-bindgen's own `catch` imports leak one externref table slot per
// exception caught (the throwing call's return slot is never freed), so the
// calls that may throw go through these instead. Each returns undefined (or
// false) when the call threw, and `threw()` says so. No rule lives here.
let failed = false;

/** Whether a call below threw since the last `threw()`; resets. */
export function threw() {
  const was = failed;
  failed = false;
  return was;
}

/**
 * The type of `value` as a small number (see `Kind` in js.rs): one call that
 * answers what wasm-bindgen's probes (is it a number? a string? …) take
 * several calls to.
 */
export function kind(value) {
  switch (typeof value) {
    case 'undefined': return 0;
    case 'boolean': return value ? 3 : 2;
    case 'number': return 4;
    case 'string': return 5;
    case 'bigint': return 6;
    case 'symbol': return 7;
    case 'function': return 8;
    default: return value === null ? 1 : 9;
  }
}

// The value read by `field`, held until asked for, so that reading a
// property and learning its type is one call.
let holding;

/**
 * Reads `target[keys[index]]` and returns its `kind` (10 when the read
 * threw). A number or string is held for `held`; other values are not
 * kept.
 */
export function field(target, keys, index) {
  let value;
  try {
    value = target[keys[index]];
  } catch {
    holding = undefined;
    return 10;
  }
  const k = kind(value);
  holding = k === 4 || k === 5 ? value : undefined;
  return k;
}

/** The number or string `field` read (and no longer holds). */
export function held() {
  const value = holding;
  holding = undefined;
  return value;
}

/** `held()`, imported a second time to come back to wasm as an f64. */
export function heldNumber() {
  return held();
}

/** `target[key]`. */
export function get(target, key) {
  try {
    return target[key];
  } catch {
    failed = true;
  }
}

/** `ctx.event`. */
export function event(ctx) {
  try {
    return ctx.event;
  } catch {
    failed = true;
  }
}

/** `event.event`, the track name. */
export function name(event) {
  try {
    return event.event;
  } catch {
    failed = true;
  }
}

/** `event.properties`. */
export function properties(event) {
  try {
    return event.properties;
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

/**
 * A copy of `target`'s own enumerable properties. A `__proto__` key stays a
 * plain key: Object.assign would set it as the copy's prototype, so that
 * (rare) case copies entry by entry. Object.assign is otherwise the fast way
 * to make a copy that then gets an `id` (spread's copy slows that write).
 */
export function copy(target) {
  try {
    return Object.prototype.hasOwnProperty.call(target, '__proto__')
      ? Object.fromEntries(Object.entries(target))
      : Object.assign({}, target);
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

/** `globalThis.$CVO`. */
export function queue() {
  try {
    return globalThis.$CVO;
  } catch {
    failed = true;
  }
}

/** `globalThis.$CVO = value`; false if that threw. */
export function setQueue(value) {
  try {
    globalThis.$CVO = value;
    return true;
  } catch {
    return false;
  }
}

/** `queue.push(command)`; false if that threw (not an array, or the tag's handler threw). */
export function push(queue, command) {
  try {
    queue.push(command);
    return true;
  } catch {
    return false;
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
