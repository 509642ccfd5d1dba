// Correct use of the package from TypeScript: compiles with `tsc --strict`.
import { AnalyticsBrowser } from '@segment/analytics-next';
import convertroDefault, { convertro, VERSION } from 'convertro-analytics-plugin';
import type { ConvertroOptions, ConvertroPlugin, ConvertroSettings } from 'convertro-analytics-plugin';

const settings: ConvertroSettings = {
  account: 'acme',
  events: { 'Signed Up': 'signup', 'Trial Started': 'trial' },
  hybridAttributionModel: true,
  clientName: 'acme',
  siteId: '1234',
  domain: 'shop.example',
  tagUrl: '/convertro/live.js',
  nonce: 'r4nd0m',
};
const otherForms: ConvertroSettings[] = [
  { account: 'acme' },
  { account: 'acme', events: [{ key: 'Signed Up', value: 'signup' }] },
  { account: 'acme', events: ['signup', 'trial'] },
  { account: 'acme', events: null, tagUrl: null, nonce: null },
];
const options: ConvertroOptions[] = [
  {},
  { wasm: '/convertro_bg.wasm' },
  { wasm: new URL('/convertro_bg.wasm', location.href) },
  { wasm: fetch('/convertro_bg.wasm') },
  { wasm: new Uint8Array(8) },
];

// The two ways analytics.js 2.0 takes a plugin.
const plugin: ConvertroPlugin = await convertro(settings, options[1]);
const analytics = AnalyticsBrowser.load({ writeKey: 'WRITE_KEY', plugins: [plugin] });
await analytics.register(await convertroDefault({ account: 'acme' }));

const name: 'Convertro' = plugin.name;
const kind: 'destination' = plugin.type;
const loaded: boolean = plugin.isLoaded();
const version: string = VERSION;
console.log(otherForms, name, kind, loaded, version, plugin.version);

// Convertro enabled in the Segment app: the classic source, and consent settings.
import { ConvertroIntegration, createConvertroIntegration } from 'convertro-analytics-plugin';
import type { ClassicIntegrationSource, ConvertroConsentSettings } from 'convertro-analytics-plugin';
const fromApp = AnalyticsBrowser.load({ writeKey: 'WRITE_KEY', classicIntegrations: [ConvertroIntegration] });
const elsewhere: ClassicIntegrationSource = createConvertroIntegration({ wasm: '/static/convertro_bg.wasm' });
AnalyticsBrowser.load({ writeKey: 'WRITE_KEY', classicIntegrations: [elsewhere] }, { integrations: { Convertro: { tagUrl: '/cvo/live.js' } } });
const consent: ConvertroConsentSettings = { categories: ['C0004'] };
await convertro({ account: 'acme', consentSettings: consent });
await convertro({ account: 'acme', consentSettings: null });
console.log(fromApp);
