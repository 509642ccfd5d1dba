// The fixture corpus (tests/fixtures/), for the browser suites: every case
// of every file with its settings resolved, and a fixture call as the
// analytics.js call a site makes.
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from './paths.mjs';

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

