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

test('events before the wasm is ready wait, and throw nothing', () => {
  const source = new ConvertroIntegration({ account: 'acme' });
  source.invoke('track', { rawEvent: () => ({ event: 'Order Completed', properties: { id: 'o-1' } }) });
  source.invoke('page', {});
  assert.equal(source.waiting.length, 1);
});
