// The wasm by its package path, through esbuild's `file` loader (the
// `--loader:.wasm=file` of the build): esbuild copies it into dist/ and
// gives its URL, which goes to options.wasm. The main entry, no /inline.
import { AnalyticsBrowser } from '@segment/analytics-next';
import { convertro } from 'convertro-analytics-plugin';
import wasm from 'convertro-analytics-plugin/convertro_bg.wasm';
import { shop } from './shop.js';

shop(AnalyticsBrowser, convertro, { wasm: new URL(wasm, import.meta.url) });
