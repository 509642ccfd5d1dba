// The fixture corpus (tests/fixtures/), run in the browser: each case's
// settings go to the plugin, its calls through the real analytics-next, and
// what Convertro's (stand-in) tag receives must be the case's `expected`:
// the same files and expectations as the native run (tests/fixtures.rs).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { forEachImpl, openPage } from '../support/harness.mjs';
import { ROOT } from '../support/paths.mjs';

const DIR = path.join(ROOT, 'tests/fixtures');
const read = (file) => JSON.parse(readFileSync(file, 'utf8'));

/** Every case of every file, with its settings resolved. */
export const CASES = readdirSync(path.join(DIR, 'cases')).sort().flatMap((file) =>
  read(path.join(DIR, 'cases', file)).cases.map((c) => ({
    ...c,
    label: `${file} / ${c.name}`,
    settings: c.settingsFrom ? read(path.join(DIR, 'settings', `${c.settingsFrom}.json`)) : c.settings,
  })));

/** A fixture call as the analytics.js call a site makes. */
export function toCall(call) {
  const options = call.context ? { context: call.context } : undefined;
  if (call.type === 'identify') return ['identify', call.userId ?? null, call.traits, options];
  return ['track', call.event, call.properties, options];
}

test('the corpus has cases of every kind', () => {
  assert.ok(CASES.length >= 20, `${CASES.length} cases`);
  assert.ok(CASES.some((c) => c.error) && CASES.some((c) => c.calls?.some((x) => x.type === 'identify')));
});

forEachImpl((impl) => {
  for (const c of CASES) {
    test(c.label, async () => {
      if (c.error) {
        const p = await openPage(impl);
        try {
          assert.deepEqual(await p.makePlugin(c.settings), { error: { isError: true, message: c.error } });
        } finally {
          await p.close();
        }
        return;
      }
      const p = await openPage(impl);
      try {
        // With consent categories the tag loads only after the first event
        // sent, so load() is not awaited up front.
        await p.start(c.settings, { waitForLoad: false });
        await p.send(...c.calls.map(toCall));
        if (c.expected.length > 0) assert.deepEqual(await p.loadOutcome(10000), { state: 'resolved' });
        assert.deepEqual(await p.received(), c.expected);
        assert.deepEqual(p.outside, []);
      } finally {
        await p.close();
      }
    });
  }
});
