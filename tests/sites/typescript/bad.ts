// Wrong use: every line marked `// TSnnnn` must fail with that error, and
// nothing else may fail (tests/sites/sites.test.mjs checks both).
// (`options.wasm` is not checked here: its type includes WebAssembly.Module,
// an interface with no members, which any non-null value satisfies.)
import { convertro } from 'convertro-analytics-plugin';
import type { ConvertroPlugin } from 'convertro-analytics-plugin';
import { AnalyticsBrowser } from '@segment/analytics-next';

await convertro({ acount: 'acme' }); // TS2561
await convertro({ account: 'acme', versionSettings: {} }); // TS2353
await convertro({}); // TS2741
await convertro(); // TS2554
await convertro({ account: 42 }); // TS2322
await convertro({ account: 'acme', hybridAttributionModel: 'yes' }); // TS2322
await convertro({ account: 'acme', events: { 'Signed Up': 1 } }); // TS2322
await convertro({ account: 'acme', events: [{ key: 'Signed Up' }] }); // TS2741
await convertro({ account: 'acme', events: 'signup' }); // TS2322
await convertro({ account: 'acme', tagUrl: 7 }); // TS2322
await convertro({ account: 'acme', nonce: true }); // TS2322
await convertro({ account: 'acme', siteId: 1234 }); // TS2322
const plugin: ConvertroPlugin = await convertro({ account: 'acme' });
const name: 'Segment' = plugin.name; // TS2322
const sync: ConvertroPlugin = convertro({ account: 'acme' }); // TS2740
await convertro({ account: 'acme', consentSettings: { categories: 'C0004' } }); // TS2322
await convertro({ account: 'acme', consentSettings: ['C0004'] }); // TS2559
AnalyticsBrowser.load({ writeKey: 'WRITE_KEY', classicIntegrations: [convertro] }); // TS2322
console.log(name, sync);
