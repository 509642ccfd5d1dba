// Where the engines differ, pinned per engine, so the README's
// browser-support section states what was seen:
// - a Content-Security-Policy whose script-src lacks 'wasm-unsafe-eval':
//   Chromium and Firefox refuse to compile wasm; WebKit compiles it
//   (WebAssembly.compile resolves, new WebAssembly.Module returns) but
//   refuses to instantiate it. The plugin instantiates, so convertro()
//   rejects in all three, with the engine's CSP message.
// Everything else the plugin relies on (synchronous compilation of a module
// this size, import.meta.url, the script nonce, Resource Timing, the tag's
// load and error events) behaves alike, as the rest of the suite shows in
// each engine.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { IMPLS, openPage, forEachEngine } from '../support/harness.mjs';

const wasm = IMPLS.find((impl) => impl.name === 'wasm');

// A page whose only script is nonce'd; it makes the plugin and reports how that went.
const PAGE = `<!doctype html><html><head><meta charset="utf-8">
<script nonce="abc" type="module">
  import { convertro } from '/js/index.js';
  window.__made = convertro({ account: 'acme' }).then(
    (plugin) => ({ outcome: 'resolved', name: plugin.name }),
    (error) => ({ outcome: 'rejected', name: error && error.name, message: String(error && error.message) }),
  );
</script></head><body></body></html>`;

/** Whether each engine compiles wasm under `script-src 'nonce-abc'` alone (none instantiates it). */
const COMPILES_WITHOUT_WASM_UNSAFE_EVAL = { chromium: false, firefox: false, webkit: true };

forEachEngine((engine) => {
  test(`CSP without 'wasm-unsafe-eval': ${engine} ${COMPILES_WITHOUT_WASM_UNSAFE_EVAL[engine] ? 'compiles the wasm but refuses to instantiate it' : 'refuses to compile the wasm'}; convertro() rejects saying so`, { skip: !wasm }, async () => {
    const p = await openPage({ ...wasm, engine }, { html: PAGE, headers: { 'content-security-policy': "script-src 'nonce-abc'" }, analytics: false });
    try {
      const made = await p.page.evaluate(() => window.__made);
      assert.equal(made.outcome, 'rejected', JSON.stringify(made));
      assert.match(made.message, /unsafe-eval|Content Security Policy|CSP/i, made.message);
      const engineSays = await p.page.evaluate(async () => {
        const bytes = await (await fetch('/pkg/convertro_bg.wasm')).arrayBuffer();
        const settle = (f) => f().then(() => true, () => false);
        return { compiles: await settle(() => WebAssembly.compile(bytes)), instantiates: await settle(() => WebAssembly.instantiate(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]))) };
      });
      assert.deepEqual(engineSays, { compiles: COMPILES_WITHOUT_WASM_UNSAFE_EVAL[engine], instantiates: false });
    } finally {
      await p.close();
    }
  });

  test(`CSP with 'wasm-unsafe-eval': ${engine} compiles the wasm`, { skip: !wasm }, async () => {
    const p = await openPage({ ...wasm, engine }, { html: PAGE, headers: { 'content-security-policy': "script-src 'nonce-abc' 'wasm-unsafe-eval'" }, analytics: false });
    try {
      assert.deepEqual(await p.page.evaluate(() => window.__made), { outcome: 'resolved', name: 'Convertro' });
    } finally {
      await p.close();
    }
  });
});
