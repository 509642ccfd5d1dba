// Browser side of settings.test.mjs: settings of every wrong shape, made in
// the page, each given to `convertro(settings)`.
import { throwingProxy, revokedProxy } from './hostile.js';

const MiB = 1024 * 1024;
const thrower = (label) => () => { throw new Error(`hostile ${label}`); };
const getter = (key, extra = {}) => Object.defineProperty({ ...extra }, key, { get: thrower(key), enumerable: true });

function nested(depth, leaf = 'x') {
  let value = leaf;
  for (let i = 0; i < depth; i++) value = { [`level${i}`]: value };
  return value;
}
function nestedArray(depth) {
  let value = 'x';
  for (let i = 0; i < depth; i++) value = [value];
  return value;
}
function manyEvents(n) {
  const events = {};
  for (let i = 0; i < n; i++) events[`Event ${i}`] = `type${i}`;
  return events;
}

/** `names`: the word the rejection message must contain (the setting it names). */
export const cases = [
  { label: 'settings null', names: 'settings', make: () => null },
  { label: 'settings undefined', names: 'settings', make: () => undefined },
  { label: 'settings a string ("acme")', names: 'settings', make: () => 'acme' },
  { label: 'settings a number', names: 'settings', make: () => 42 },
  { label: 'settings true', names: 'settings', make: () => true },
  { label: 'settings an array', names: 'settings', make: () => [{ account: 'acme' }] },
  { label: 'settings a Symbol', names: 'settings', make: () => Symbol('acme') },
  { label: 'settings a BigInt', names: 'settings', make: () => 10n },
  { label: 'settings a function with an account property', names: 'settings', make: () => Object.assign(() => {}, { account: 'acme' }) },
  { label: 'settings {} (no account)', names: 'account', make: () => ({}) },
  { label: '`account` getter throws', names: 'account', make: () => getter('account') },
  { label: '`events` getter throws (account fine)', names: 'events', make: () => getter('events', { account: 'acme' }) },
  { label: '`tagUrl` getter throws', names: 'tagUrl', make: () => getter('tagUrl', { account: 'acme' }) },
  { label: '`nonce` getter throws', names: 'nonce', make: () => getter('nonce', { account: 'acme' }) },
  { label: '`hybridAttributionModel` getter throws', names: 'hybridAttributionModel', make: () => getter('hybridAttributionModel', { account: 'acme' }) },
  { label: 'a getter throwing inside `events`', names: 'events', make: () => ({ account: 'acme', events: getter('Signed Up') }) },
  { label: 'a getter throwing inside an `events` array entry', names: 'events', make: () => ({ account: 'acme', events: [getter('value', { key: 'Signed Up' })] }) },
  { label: 'settings a Proxy whose every trap throws', names: 'account', make: () => throwingProxy() },
  { label: 'settings a revoked Proxy', names: 'settings', make: () => revokedProxy() },
  { label: 'settings inheriting from a throwing Proxy', names: 'account', make: () => Object.create(throwingProxy()) },
  { label: '`events` a Proxy whose every trap throws', names: 'events', make: () => ({ account: 'acme', events: throwingProxy() }) },
  { label: '`events` a revoked Proxy', names: 'events', make: () => ({ account: 'acme', events: revokedProxy() }) },
  { label: '`account` an object with throwing toString', names: 'account', make: () => ({ account: { toString: thrower('toString'), valueOf: thrower('valueOf') } }) },
  { label: '`account` a 1 MiB string', names: 'account', make: () => ({ account: 'a'.repeat(MiB) }) },
  { label: '`tagUrl` a 1 MiB URL', names: 'tagUrl', make: () => ({ account: 'acme', tagUrl: 'https://cdn.example/' + 'a'.repeat(MiB) }) },
  { label: '`nonce` a 1 MiB string', names: 'nonce', make: () => ({ account: 'acme', nonce: 'n'.repeat(MiB) }) },
  { label: '`events` with 100 000 entries (object)', names: 'events', make: () => ({ account: 'acme', events: manyEvents(100000) }) },
  { label: '`events` with 100 000 entries (array of names)', names: 'events', make: () => ({ account: 'acme', events: Array.from({ length: 100000 }, (_, i) => `Event ${i}`) }) },
  { label: '`events` with 100 000 { key, value } entries', names: 'events', make: () => ({ account: 'acme', events: Array.from({ length: 100000 }, (_, i) => ({ key: `E${i}`, value: 't' })) }) },
  { label: '`events` an array of length 2^32-1 (sparse)', names: 'events', make: () => ({ account: 'acme', events: Object.assign([], { length: 2 ** 32 - 1 }) }) },
  { label: '`events` nested 10 000 objects deep', names: 'events', make: () => ({ account: 'acme', events: nested(10000) }) },
  { label: '`events` nested 10 000 arrays deep', names: 'events', make: () => ({ account: 'acme', events: nestedArray(10000) }) },
  { label: '`events` value nested 3 deep', names: 'events', make: () => ({ account: 'acme', events: { 'Signed Up': { a: { b: 'c' } } } }) },
  { label: '`events` a 1 MiB event name', names: 'events', make: () => ({ account: 'acme', events: { ['e'.repeat(MiB)]: 't' } }) },
  { label: '`events` a 1 MiB Convertro type', names: 'events', make: () => ({ account: 'acme', events: { 'Signed Up': 't'.repeat(MiB) } }) },
  { label: '`events` a string', names: 'events', make: () => ({ account: 'acme', events: 'Signed Up' }) },
  { label: '`events` with a value that is a number', names: 'events', make: () => ({ account: 'acme', events: { 'Signed Up': 1 } }) },
  { label: '`events` entry of another shape (number)', names: 'events', make: () => ({ account: 'acme', events: [1] }) },
  { label: '`hybridAttributionModel` "true" (a string)', names: 'hybridAttributionModel', make: () => ({ account: 'acme', hybridAttributionModel: 'true' }) },
  { label: '`hybridAttributionModel` a Proxy', names: 'hybridAttributionModel', make: () => ({ account: 'acme', hybridAttributionModel: throwingProxy() }) },
  { label: '`account` a Symbol', names: 'account', make: () => ({ account: Symbol('acme') }) },
  { label: '`account` a BigInt', names: 'account', make: () => ({ account: 1n }) },
  { label: '`nonce` a number', names: 'nonce', make: () => ({ account: 'acme', nonce: 5 }) },
  { label: '`tagUrl` an object with toString giving a URL', names: 'tagUrl', make: () => ({ account: 'acme', tagUrl: { toString: () => 'https://cdn.example/t.js' } }) },
];

/** Runs one case: how `convertro(settings)` settled, and how fast. */
export async function runCase(convertro, c) {
  const settings = c.make();
  const report = { label: c.label, names: c.names };
  const start = performance.now();
  let promise;
  try {
    promise = convertro(settings);
  } catch (error) {
    report.syncThrow = `${error?.constructor?.name}: ${error?.message ?? String(error)}`;
    report.ms = performance.now() - start;
    return report;
  }
  report.isPromise = promise instanceof Promise;
  const timeout = new Promise((resolve) => setTimeout(() => resolve('hang'), 5000));
  const outcome = await Promise.race([
    Promise.resolve(promise).then((value) => ({ resolved: value }), (error) => ({ rejected: error })),
    timeout,
  ]);
  report.ms = performance.now() - start;
  if (outcome === 'hang') report.hang = true;
  else if ('resolved' in outcome) report.resolved = outcome.resolved?.name ?? String(outcome.resolved);
  else {
    const e = outcome.rejected;
    report.isError = e instanceof Error;
    report.type = e?.constructor?.name ?? typeof e;
    report.message = e instanceof Error ? e.message : String(e);
  }
  return report;
}
