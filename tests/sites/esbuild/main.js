// esbuild emits no asset for `new URL('…wasm', import.meta.url)`: the README's
// one line for esbuild is this import of the /inline entry.
import { AnalyticsBrowser } from '@segment/analytics-next';
import { convertro } from 'convertro-analytics-plugin/inline';
import { shop } from './shop.js';

shop(AnalyticsBrowser, convertro);
