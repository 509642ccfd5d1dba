// Nothing to configure: the main entry, whose `.wasm` the bundler emits.
import { AnalyticsBrowser } from '@segment/analytics-next';
import { convertro } from 'convertro-analytics-plugin';
import { shop } from './shop.js';

shop(AnalyticsBrowser, convertro);
