// Loading the wasm: every form `options.wasm` takes (and none) gives a working
// plugin, in a fresh page each, and a wasm that can't be had rejects
// `convertro()` with an Error saying why. Only the package loads wasm, so
// this runs against the wasm implementation alone.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { IMPLS, openPage, forEachEngine } from '../support/harness.mjs';

const wasm = IMPLS.find((impl) => impl.name === 'wasm');

// [how the wasm is given, an expression for options.wasm evaluated in the page]
const FORMS = [
  ['not given (fetched from beside the module)', 'undefined'],
  ['a URL string', "'/pkg/convertro_bg.wasm'"],
  ['a URL object', "new URL('/pkg/convertro_bg.wasm', location.href)"],
  ['a Request', "new Request('/pkg/convertro_bg.wasm')"],
  ['a promise of a Response', "fetch('/pkg/convertro_bg.wasm')"],
  ['a Response', "await fetch('/pkg/convertro_bg.wasm')"],
  ['an ArrayBuffer', "await (await fetch('/pkg/convertro_bg.wasm')).arrayBuffer()"],
  ['a Uint8Array', "new Uint8Array(await (await fetch('/pkg/convertro_bg.wasm')).arrayBuffer())"],
  ['a compiled WebAssembly.Module', "await WebAssembly.compileStreaming(fetch('/pkg/convertro_bg.wasm'))"],
];

/** In a fresh page: convertro({ account }, { wasm: <expression> }) from `entry`, then one Order Completed. */
async function load(engine, expression, entry = '/js/index.js') {
  const p = await openPage({ ...wasm, engine }, { analytics: false });
  try {
    // eslint-disable-next-line no-new-func
    const result = await p.page.evaluate(async ([expression, entry]) => {
      const { convertro } = await import(entry);
      const source = await new Function(`return (async () => ${expression})()`)();
      try {
        const plugin = await convertro({ account: 'acme' }, source === undefined ? undefined : { wasm: source });
        window.$CVO = [];
        plugin.track({ event: { type: 'track', event: 'Order Completed', properties: { order_id: 'o-1', total: 5 } } });
        return { sent: window.$CVO };
      } catch (error) {
        return { error: { isError: error instanceof Error, name: error?.name, message: String(error?.message) } };
      }
    }, [expression, entry]);
    return { ...result, wasmRequests: p.served().filter((url) => url.includes('.wasm')) };
  } finally {
    await p.close();
  }
}

forEachEngine((engine) => {
  test('every form of options.wasm gives a working plugin', { skip: !wasm }, async () => {
    const problems = [];
    for (const [form, expression] of FORMS) {
      const result = await load(engine, expression);
      const want = [['trackEvent', { type: 'sale', id: 'o-1', amount: 5 }]];
      if (result.error) problems.push(`${form}: rejected: ${result.error.message}`);
      else if (JSON.stringify(result.sent) !== JSON.stringify(want)) problems.push(`${form}: sent ${JSON.stringify(result.sent)}`);
    }
    assert.deepEqual(problems, []);
  });

  test('the /inline entry (dist/convertro.inline.js) decompresses its own wasm and gives a working plugin, fetching no .wasm', { skip: !wasm }, async () => {
    const result = await load(engine, 'undefined', '/dist/convertro.inline.js');
    assert.deepEqual(result, { sent: [['trackEvent', { type: 'sale', id: 'o-1', amount: 5 }]], wasmRequests: [] });
  });

  test('a wasm URL that answers 404 rejects with an Error naming the URL, the status, the likely cause and the fix', { skip: !wasm }, async () => {
    const result = await load(engine, "'/pkg/no-such.wasm'");
    assert.ok(result.error?.isError, JSON.stringify(result));
    assert.match(result.error.message, /^Convertro: could not load its WebAssembly from http:\/\/[^ ]+\/pkg\/no-such\.wasm: HTTP 404\b/);
    assert.match(result.error.message, /Your bundler probably did not emit convertro_bg\.wasm/);
    assert.match(result.error.message, /import from 'convertro-analytics-plugin\/inline' instead/);
    assert.match(result.error.message, /pass its URL as options\.wasm/);
  });

  test('a wasm URL answered with a page (HTML, as a server that answers every path does) rejects saying what came back', { skip: !wasm }, async () => {
    const result = await load(engine, "'/www/index.html'");
    assert.ok(result.error?.isError, JSON.stringify(result));
    assert.match(result.error.message, /^Convertro: could not load its WebAssembly from http:\/\/[^ ]+\/www\/index\.html: it answered text\/html[^,]*, not WebAssembly \(\d+ bytes\)\. Your bundler probably did not emit convertro_bg\.wasm/);
  });

  test('a wasm URL that cannot be fetched at all (the request fails) rejects naming the URL', { skip: !wasm }, async () => {
    const result = await load(engine, "'http://127.0.0.1:9/convertro_bg.wasm'");
    assert.ok(result.error?.isError, JSON.stringify(result));
    assert.match(result.error.message, /^Convertro: could not load its WebAssembly from http:\/\/127\.0\.0\.1:9\/convertro_bg\.wasm: the request failed: /);
  });

  test('bytes that are not wasm reject with a CompileError', { skip: !wasm }, async () => {
    const result = await load(engine, 'new Uint8Array([1, 2, 3, 4])');
    assert.ok(result.error?.isError, JSON.stringify(result));
    assert.equal(result.error.name, 'CompileError');
  });
});
