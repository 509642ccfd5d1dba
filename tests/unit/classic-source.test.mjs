// The classic source's methods that analytics-next may call before the wasm
// is ready (issue 16): in Node, where nothing loads the wasm, so every call
// here runs before it is ready.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConvertroIntegration, createConvertroIntegration } from '../../js/index.js';

test('loaded() before the wasm is ready is false and throws nothing', () => {
  assert.equal(ConvertroIntegration.prototype.loaded(), false);
  assert.equal(new ConvertroIntegration({ account: 'acme' }).loaded(), false);
  const Custom = createConvertroIntegration({ wasm: new Uint8Array([0]) });
  assert.equal(new Custom({ account: 'acme' }).loaded(), false);
});

test('events before the wasm is ready wait, written to localStorage as call keys, and throw nothing', () => {
  // A stand-in localStorage (Node has none): what the page would have stored.
  const items = new Map();
  globalThis.localStorage = { setItem: (k, v) => items.set(k, String(v)), getItem: (k) => items.get(k) ?? null, removeItem: (k) => items.delete(k) };
  try {
    const source = new ConvertroIntegration({ account: 'acme' });
    const event = { event: 'Order Completed', properties: { id: 'o-1' } };
    source.invoke('track', { rawEvent: () => event });
    source.invoke('page', {});
    const keys = [...items.keys()];
    assert.equal(keys.length, 1, 'one call kept (page is not Convertro\'s)');
    assert.match(keys[0], /^convertro:v2:acme:\d+:0$/);
    const stored = JSON.parse(items.get(keys[0]));
    assert.deepEqual(stored.call, ['track', event]);
    assert.ok(Math.abs(stored.at - Date.now()) < 60_000);
  } finally {
    delete globalThis.localStorage;
  }
});
